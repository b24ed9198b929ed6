"""The services' refusals reach a Spanish page in Spanish: each message is marked for the catalogue
(gettext_noop beside its constant) and translated where it is raised, in the reader's language.
The Spanish catalogue is written at the end of the work on the pages, so these tests give the
active catalogue a translation of their own for the message they follow."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import trans_real

from accounts.services.passwords import OLD_PASSWORD_WRONG_MESSAGE
from accounts.services.tokens import INVALID_CREDENTIALS_MESSAGE
from engagement.services import HOURS_IN_FUTURE
from placements.services import transitions
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MARKED = [
    "accounts/services/passwords.py",
    "accounts/services/tokens.py",
    "engagement/services.py",
    "organizations/services/invitations.py",
    "placements/services/transitions.py",
    "volunteers/services/profile_update.py",
]


@pytest.fixture
def spanish() -> Iterator[list[str]]:
    """Translations the test adds to the Spanish catalogue, taken out after it (each message had
    none: the catalogue is written later)."""
    added: list[str] = []
    yield added
    first = _catalogue()._catalogs[0]
    for msgid in added:
        first.pop(msgid, None)


def _catalogue() -> Any:
    # Django's own catalogue of the language (a private attribute: no public way to add to it).
    return trans_real.translation("es")._catalog  # type: ignore[attr-defined]


def translate(added: list[str], msgid: str, text: str) -> None:
    catalogue = _catalogue()
    assert msgid not in catalogue  # else the test would remove a real translation
    catalogue[msgid] = text
    added.append(msgid)


def spanish_browser(user=None) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.mark.parametrize("path", MARKED)
def test_every_message_constant_a_page_shows_is_marked_for_the_catalogue(path):
    tree = ast.parse((ROOT / path).read_text())
    unmarked = [
        node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.endswith("_MESSAGE")
        and isinstance(node.value, ast.Constant)
    ]
    assert unmarked == []


def test_a_wrong_password_on_the_spanish_sign_in_page_is_in_spanish(spanish, ada):
    translate(spanish, INVALID_CREDENTIALS_MESSAGE, "Ese correo y esa contraseña no coinciden.")

    response = spanish_browser().post(
        "/sign-in/", {"email": "ada@example.org", "password": "not-hers"}
    )

    assert "Ese correo y esa contraseña no coinciden." in response.content.decode()


def test_a_wrong_current_password_is_in_spanish(spanish, ada):
    translate(spanish, OLD_PASSWORD_WRONG_MESSAGE, "Esa no es tu contraseña actual.")

    response = spanish_browser(ada.user).post(
        "/me/password/",
        {
            "old_password": "nope",
            "new_password1": "a-long-passphrase",
            "new_password2": "a-long-passphrase",
        },
    )

    assert "Esa no es tu contraseña actual." in response.content.decode()


@pytest.mark.usefixtures("eager_tasks")
def test_hours_for_a_day_to_come_are_refused_in_spanish(spanish, ada, harbor, sam):
    suggested = suggestion(ready_volunteer(ada), peer_line(harbor))
    transitions.match_approve(match_id=suggested.pk, actor=sam)
    match = transitions.match_accept(match_id=suggested.pk, actor=ada.user)
    translate(spanish, HOURS_IN_FUTURE, "No se pueden anotar horas de un día que no ha llegado.")
    browser = spanish_browser(ada.user)
    tomorrow = timezone.localdate() + timedelta(days=1)

    browser.post(f"/me/roles/{match.pk}/hours/", {"date": tomorrow.isoformat(), "hours": "2"})

    assert "No se pueden anotar horas" in browser.get("/me/roles/").content.decode()


def test_the_same_refusal_stays_english_for_an_english_reader(spanish, ada):
    translate(spanish, INVALID_CREDENTIALS_MESSAGE, "Ese correo y esa contraseña no coinciden.")

    with translation.override("en"):
        response = Client().post("/sign-in/", {"email": "ada@example.org", "password": "x"})

    assert INVALID_CREDENTIALS_MESSAGE in response.content.decode()
