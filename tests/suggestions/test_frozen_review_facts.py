"""Finding 3: a coordinator located a volunteer's home to about a metre by moving a role three times
and reading ``distance_km`` / ``features.distance_fit`` again (recomputed from the role's current
coordinates), and recovered her exact date of birth and her check's expiry by bisection, moving the
role's start date and reading ``meets_minimum_age`` / ``background_check_cleared`` again.

Now the review row shows facts frozen when the engine stored the suggestion (``Match.facts``): a
distance band, never a figure, and two booleans; moving the role changes nothing until the engine
suggests the pair again, and even then only the band is shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from matching.engine import Suggestion, rules
from matching.models import Match
from suggestions.services import rematch
from suggestions.services.facts import pair_facts
from suggestions.services.store import suggestions_store
from tests.conftest import client_for
from tests.factories import OpportunityFactory, OrganizationFactory, VolunteerProfileFactory
from tests.placements.lifecycle_helpers import ready_volunteer
from tests.support.dates import days_from_today

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/matches/"
#: Any distance written as a figure ("2.4 km", "12 km away"), once the bands are taken out.
KM_FIGURE = re.compile(r"\d+(\.\d+)? ?km")
BANDS = [words for _, words in rules.DISTANCE_BANDS] + [rules.FARTHEST_BAND]
#: Where the group meets (Brooklyn), and three places Sam moves it to, one after another.
GROUP = (40.6782, -73.9442)
MOVES = [(40.6800, -73.9500), (40.7000, -73.9300), (40.9000, -73.8000)]


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@pytest.fixture
def group(harbor):
    """Harbor's in-person peer group: minimum age 21, needs a check, starts in 90 days."""
    return OpportunityFactory.create(
        organization=harbor,
        title="Peer support group co-facilitator",
        mode="in_person",
        latitude=GROUP[0],
        longitude=GROUP[1],
        min_age=21,
        background_check_required=True,
        starts_on=days_from_today(90),
        ends_on=days_from_today(400),
    )


@pytest.fixture
def ada_nearby(ada):
    """Ada lives 2-3 km from the group; she turns 21 in 60 days; her verified check expires in
    120 days."""
    ada.latitude, ada.longitude = 40.6960, -73.9700
    ada.date_of_birth = _years_before(days_from_today(60), 21)
    ada.background_check_status = "cleared"
    ada.background_check_cleared_on = days_from_today(-100)
    ada.background_check_expires_on = days_from_today(120)
    ada.background_check_verified_at = timezone.now()
    ada.save()
    return ada


def _engine_suggests(volunteer, role) -> Match:
    """The engine stores the pair as it does after a run: score, features, reasons; the store
    freezes the facts from the role as it is now."""
    suggestions_store(
        suggestions=[
            Suggestion(
                volunteer_id=volunteer.id,
                opportunity_id=role.id,
                score=0.7,
                rank=1,
                features={"text_similarity": 0.4, "distance_fit": 0.71234, "language_fit": 0.0},
                reasons=["In person, 2.4 km away", "Cares about Mental health"],
            )
        ],
        model_version="v1",
    )
    return Match.objects.get(volunteer=volunteer, opportunity=role, status="suggested")


def _row(client, match: Match) -> dict:
    answer = client.get(f"{QUEUE}{match.pk}/")
    assert answer.status_code == 200, answer.content
    text = answer.content.decode()
    for band in BANDS:  # the engine's reasons may start a sentence with one ("Under 2 km away")
        text = re.sub(re.escape(band), "", text, flags=re.IGNORECASE)
    assert not KM_FIGURE.search(text), answer.content
    return answer.json()


def _volunteer_facts(row: dict) -> tuple:
    volunteer = row["volunteer"]
    return (
        volunteer["distance_band"],
        volunteer["meets_minimum_age"],
        volunteer["background_check_cleared"],
    )


def test_moving_the_role_three_times_tells_sam_nothing_until_the_engine_suggests_again(
    sam, ada_nearby, group
):
    """Given Ada suggested for the group, when Sam moves the group three times and reads her row
    after each move, he reads the same band and no figure (no ``distance_km``, no ``distance_fit``,
    no "2.4 km away" in the reasons); when the engine suggests the pair again from the last place,
    the row shows that place's band only."""
    sam_client = client_for(sam)
    match = _engine_suggests(ada_nearby, group)
    first = _row(sam_client, match)
    assert _volunteer_facts(first) == ("2-5 km", True, True)
    assert "distance_km" not in first["volunteer"]
    assert first["features"] == {"text_similarity": 0.4, "language_fit": 0.0}
    assert first["reasons"] == ["In person, 2-5 km away", "Cares about Mental health"]

    for latitude, longitude in MOVES:
        moved = sam_client.patch(
            f"/api/v1/opportunities/{group.pk}/",
            {"latitude": latitude, "longitude": longitude},
            format="json",
        )
        assert moved.status_code == 200, moved.content
        again = _row(sam_client, match)
        assert _volunteer_facts(again) == _volunteer_facts(first)
        assert (again["features"], again["reasons"]) == (first["features"], first["reasons"])

    re_suggested = _engine_suggests(ada_nearby, group)

    assert re_suggested.pk == match.pk
    assert _volunteer_facts(_row(sam_client, match)) == ("over 25 km", True, True)


def test_moving_the_start_date_does_not_bisect_her_birthday_or_her_checks_expiry(
    sam, ada_nearby, group
):
    """Given Ada (21 in 60 days, check valid 120 more days) suggested for the group starting in 90
    days, when Sam moves the start to before her birthday and then past her check's expiry, the
    row still says what it said when the engine made the suggestion."""
    sam_client = client_for(sam)
    match = _engine_suggests(ada_nearby, group)
    assert _volunteer_facts(_row(sam_client, match))[1:] == (True, True)

    for starts_in in (30, 59, 61, 119, 121, 150):
        moved = sam_client.patch(
            f"/api/v1/opportunities/{group.pk}/",
            {"starts_on": days_from_today(starts_in).isoformat()},
            format="json",
        )
        assert moved.status_code == 200, moved.content
        assert _volunteer_facts(_row(sam_client, match))[1:] == (True, True)


def test_the_review_queue_answers_for_the_servers_today_whatever_the_caller_sends(
    sam, ada_nearby, group
):
    """Given Ada's row, asking with a date or a point of one's own changes nothing: no review
    endpoint compares a private value to what the caller chooses."""
    sam_client = client_for(sam)
    match = _engine_suggests(ada_nearby, group)
    plain = sam_client.get(f"{QUEUE}{match.pk}/").json()
    chosen = "today=2000-01-01&on=2000-01-01&as_of=2000-01-01&latitude=40.696&longitude=-73.97"

    assert sam_client.get(f"{QUEUE}{match.pk}/?{chosen}").json() == plain
    assert sam_client.get(f"{QUEUE}?{chosen}").json()["results"] == [plain]


def test_the_engines_own_rematch_freezes_the_band_of_where_the_role_is(sam, ada, harbor):
    """Given a real rematch of an in-person role 2-3 km from Ada, the stored facts hold its band;
    after the role moved, the row keeps the old band until the engine's next rematch."""
    volunteer = ready_volunteer(ada, latitude=40.6960, longitude=-73.9700, max_travel_km=25)
    role = OpportunityFactory.create(
        organization=harbor, mode="in_person", latitude=GROUP[0], longitude=GROUP[1]
    )
    rematch.opportunity_rematch(opportunity_id=role.pk)
    match = Match.objects.get(volunteer=volunteer, opportunity=role, status="suggested")
    assert match.facts == {
        "distance_band": "2-5 km",
        "meets_minimum_age": True,
        "background_check_cleared": None,
    }

    role.latitude, role.longitude = 40.6961, -73.9701  # next door to Ada
    role.save()
    assert _volunteer_facts(_row(client_for(sam), match))[0] == "2-5 km"

    rematch.opportunity_rematch(opportunity_id=role.pk)
    assert _volunteer_facts(_row(client_for(sam), match))[0] == "under 2 km"


# --- The facts themselves ---------------------------------------------------------------------------


def test_a_role_serving_minors_without_a_minimum_age_needs_adults(harbor):
    """Given a 17-year-old and a role for minors with no ``min_age``, she does not meet its
    minimum age (18), and the check it needs is not cleared."""
    teen = VolunteerProfileFactory.create(date_of_birth=_years_before(days_from_today(-30), 17))
    role = OpportunityFactory.create(
        organization=harbor, mode="remote", audience=["minors"], min_age=None
    )

    facts = pair_facts([(teen.id, role.id)], today=timezone.localdate())[(teen.id, role.id)]

    assert facts == {
        "distance_band": None,
        "meets_minimum_age": False,
        "background_check_cleared": False,
    }


def test_a_check_verified_by_another_organization_is_not_cleared_here(ada_nearby, group):
    """Given Ada's check verified by a coordinator of Riverside only, Harbor's group is told it is
    not cleared; once platform staff confirm it (no scope), it is."""
    elsewhere = OrganizationFactory.create(name="Riverside Helpline")
    ada_nearby.background_check_verified_for = elsewhere
    ada_nearby.save()
    pair = (ada_nearby.id, group.id)

    scoped = pair_facts([pair], today=timezone.localdate())[pair]
    ada_nearby.background_check_verified_for = None
    ada_nearby.save()
    confirmed = pair_facts([pair], today=timezone.localdate())[pair]

    assert (scoped["background_check_cleared"], confirmed["background_check_cleared"]) == (
        False,
        True,
    )


def test_an_unverified_check_is_not_cleared(ada_nearby, group):
    ada_nearby.background_check_verified_at = None
    ada_nearby.save()
    pair = (ada_nearby.id, group.id)

    assert pair_facts([pair], today=timezone.localdate())[pair]["background_check_cleared"] is False
