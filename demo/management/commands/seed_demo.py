"""``manage.py seed_demo``: load the demo catalogue, volunteers and logins (see ``demo.seeding``)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.logins import DEFAULT_PASSWORD
from demo.people import DEFAULT_SEED
from demo.seeding import (
    DEFAULT_VOLUNTEERS,
    REFUSED_WITHOUT_DEBUG_MESSAGE,
    SeedResult,
    demo_seed,
)


class Command(BaseCommand):
    help = (
        "Load a realistic demo: NYC Service volunteer roles, mental-health community roles, "
        "generated volunteers and demo logins. Safe to run twice. Refuses without DEBUG (or the "
        "embedded demo's KINDRED_DEMO) unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--volunteers",
            type=int,
            default=DEFAULT_VOLUNTEERS,
            help=f"How many volunteers to generate (default {DEFAULT_VOLUNTEERS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same volunteers (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"The password shared by the demo logins (default {DEFAULT_PASSWORD!r}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though DEBUG is off. Never in production.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # KINDRED_DEMO exists in the local settings only (backend/settings/local.py).
        demo = getattr(settings, "KINDRED_DEMO", False)
        if not (settings.DEBUG or demo) and not options["force"]:
            raise CommandError(REFUSED_WITHOUT_DEBUG_MESSAGE)
        if options["volunteers"] < 0:
            raise CommandError("--volunteers must be zero or more.")
        if not options["password"]:
            raise CommandError("--password must not be empty.")
        started = time.perf_counter()
        result = demo_seed(
            volunteers=options["volunteers"], seed=options["seed"], password=options["password"]
        )
        self.stdout.write(self._report(result, time.perf_counter() - started))

    def _report(self, result: SeedResult, seconds: float) -> str:
        lines = [
            self.style.SUCCESS(f"Demo seeded in {seconds:.1f} s."),
            f"  organizations  {result.organizations_total:>5}  ({result.organizations_created} new)",
            f"  roles          {result.roles_total:>5}  ({result.roles_created} new)",
            f"  volunteers     {result.volunteers_total:>5}  ({result.volunteers_created} new)",
            "",
            f"Demo logins (password: {result.password})",
            f"  {'role':<16}email",
            *(f"  {login.role:<16}{login.email}" for login in result.logins),
        ]
        return "\n".join(lines)
