"""``manage.py totp_enroll <email>``: give a staff account its second factor (a confirmed TOTP
device, replacing any it had) and print what the authenticator app needs. For the first member of
staff, or one who lost their phone; colleagues can also add a device in the admin."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services.second_factor import user_totp_enroll
from backend.errors import ApplicationError

UNKNOWN_EMAIL_MESSAGE = "No account has the email address {email}."


class Command(BaseCommand):
    help = (
        "Create (or replace) the confirmed TOTP device of a staff account and print its otpauth:// "
        "URI and base32 secret for an authenticator app. The old codes stop working at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The staff account's email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise CommandError(UNKNOWN_EMAIL_MESSAGE.format(email=email))
        try:
            device = user_totp_enroll(user=user)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        secret = b32encode(device.bin_key).decode()
        self.stdout.write(
            "\n".join(
                [
                    self.style.SUCCESS(f"A second factor is set up for {user.email}."),
                    "Add it to an authenticator app (scan this URI as a QR code, or type the secret):",
                    f"  otpauth URI  {device.config_url}",
                    f"  secret       {secret}",
                    "Keep both secret: anyone holding them can make codes for this account.",
                ]
            )
        )
