"""Every ISO 639-1 language is there, from pycountry; staff rank and rename them in the admin, and
the list shows the languages most volunteers speak first."""

from __future__ import annotations

import importlib

import pycountry
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from taxonomy.models import Language
from taxonomy.seed import LANGUAGES
from tests.factories import UserFactory
from tests.support.second_factor import staff_login

pytestmark = pytest.mark.django_db

LIST = "/api/v1/languages/"
ISO_639_1 = {entry.alpha_2 for entry in pycountry.languages if hasattr(entry, "alpha_2")}
COMMON = [code for code, _ in LANGUAGES]
LOAD_MIGRATION = "taxonomy.migrations.0004_load_iso_639_1_languages"


def unranked() -> int:
    """Where a language nobody ranked sits (the field's default)."""
    return Language._meta.get_field("sort_order").default


def run_load_migration() -> None:
    importlib.import_module(LOAD_MIGRATION).load_languages(django_apps, None)


def listed(anonymous) -> list[dict]:
    response = anonymous.get(LIST)
    assert response.status_code == 200
    return response.json()


def test_the_list_holds_every_iso_639_1_language(anonymous):
    """Given a migrated database, when a form fetches the languages, then all 184 ISO 639-1 codes
    are there, Wolof, Gujarati and Malayalam among them, with English names."""
    body = listed(anonymous)

    assert len(ISO_639_1) == 184
    assert {entry["code"] for entry in body} == ISO_639_1
    names = {entry["code"]: entry["name"] for entry in body}
    assert (names["wo"], names["gu"], names["ml"]) == ("Wolof", "Gujarati", "Malayalam")


def test_the_languages_most_volunteers_speak_come_first_then_the_rest_by_name(anonymous):
    """Given a volunteer filling in a form, when it lists the languages, then English, Spanish,
    Chinese... come first, in the order of seed.LANGUAGES, and every other language follows by
    name, so she need not scroll past Abkhazian to find Spanish."""
    body = listed(anonymous)
    codes = [entry["code"] for entry in body]
    names = [entry["name"] for entry in body]

    assert codes[: len(COMMON)] == COMMON
    rest = names[len(COMMON) :]
    assert rest == sorted(rest)
    assert "Wolof" in rest


def test_the_names_the_demo_tests_and_engine_use_are_kept():
    """Given the hand-typed names (e.g. "Haitian Creole", not ISO's "Haitian"), when every ISO
    language has been loaded, then each of those codes still carries its name."""
    stored = dict(Language.objects.values_list("code", "name"))

    assert {code: stored[code] for code in COMMON} == dict(LANGUAGES)


@pytest.mark.parametrize(
    ("code", "name"), [("ms", "Malay"), ("sw", "Swahili"), ("ne", "Nepali"), ("el", "Greek")]
)
def test_a_name_reads_as_people_say_it_without_the_standards_qualifier(code, name):
    """ISO 639-3 says "Malay (macrolanguage)"; a volunteer looks for "Malay"."""
    assert Language.objects.get(code=code).name == name
    assert not Language.objects.filter(name__contains="(").exists()


@pytest.mark.parametrize(
    ("code", "synonym"),
    [("fa", "Farsi"), ("bn", "Bangla"), ("pa", "Panjabi"), ("ht", "Haitian"), ("zh", "Mandarin")],
)
def test_the_list_gives_other_names_so_a_form_finds_persian_under_farsi(anonymous, code, synonym):
    entry = next(entry for entry in listed(anonymous) if entry["code"] == code)

    assert synonym in entry["synonyms"]


def test_staff_rank_wolof_up_and_the_list_follows(anonymous):
    """Given a branch whose volunteers often speak Wolof, when staff give it rank 15 in the admin,
    then the list shows it second, after English (rank 10) and before Spanish (rank 20)."""
    Language.objects.filter(code="wo").update(sort_order=15)

    codes = [entry["code"] for entry in listed(anonymous)]

    assert codes[:3] == ["en", "wo", "es"]


def test_pat_finds_persian_in_the_admin_by_its_other_name_and_ranks_it():
    """Given Pat, platform staff, when Pat searches the language admin for "Farsi", then Persian
    is found; the rank is editable in the list itself."""
    pat = UserFactory.create(
        email="pat.languages@kindred.example", is_staff=True, is_superuser=True
    )
    client = Client()
    staff_login(client, pat)

    page = client.get("/admin/taxonomy/language/", {"q": "Farsi"})

    assert page.status_code == 200
    assert b"Persian" in page.content
    assert b"Wolof" not in page.content
    assert b'name="form-0-sort_order"' in page.content


def test_the_data_migration_upserts_the_old_hand_typed_rows_and_a_second_run_writes_nothing():
    """Given a database that holds only the 30 hand-typed languages of before, when the data
    migration runs, then every ISO 639-1 language is there once, the 30 keep their names and get
    their ranks; and when it runs again, nothing is written."""
    Language.objects.exclude(code__in=COMMON).delete()
    Language.objects.update(synonyms="", sort_order=unranked())

    run_load_migration()
    first = list(Language.objects.values_list("code", "name", "synonyms", "sort_order"))
    with CaptureQueriesContext(connection) as queries:
        run_load_migration()

    assert {code for code, *_ in first} == ISO_639_1
    assert len(first) == len(ISO_639_1)
    assert list(Language.objects.values_list("code", "name", "synonyms", "sort_order")) == first
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    rows = {code: (name, rank) for code, name, _, rank in first}
    assert {code: rows[code][0] for code in COMMON} == dict(LANGUAGES)
    ranks = [rows[code][1] for code in COMMON]
    assert ranks == sorted(set(ranks))
    assert ranks[-1] < rows["wo"][1] == unranked()
