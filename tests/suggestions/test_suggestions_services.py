"""Stories of the matching services against a real database: records built from the ORM, a
volunteer's and a role's rematch, and what a rematch must never touch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching import records
from matching.engine import DEFAULT_MODEL, FEATURE_NAMES, Suggestion
from matching.models import Match, MatchStatus, MatchTransition
from opportunities.models import Opportunity
from suggestions.services import candidates, reconcile, rematch, runs, store
from tests.factories import (
    MatchFactory,
    OpportunityFactory,
    TrainingRecordFactory,
    VolunteerProfileFactory,
    cause,
    language,
    skill,
    training_type,
)
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

#: A fixed today for the records built here (they take ``today=``); other dates are relative to it.
TODAY = dt.date(2026, 6, 1)


def listening_role(harbor, **fields) -> Opportunity:
    """A remote peer-listening role at Harbor House that Ada fits."""
    role = OpportunityFactory.create(
        organization=harbor,
        title=fields.pop("title", "Evening peer listener"),
        description="Listen to people who feel lonely, by video call, two evenings a week.",
        mode="remote",
        availability=["tue-evening", "thu-evening"],
        **fields,
    )
    role.required_skills.add(skill("active-listening"))
    role.causes.add(cause("loneliness"), cause("mental-health"))
    return role


def make_listener(profile: VolunteerProfile, **fields) -> VolunteerProfile:
    """Give a volunteer a profile that fits ``listening_role``."""
    profile.bio = fields.pop("bio", "I like to listen and I know what loneliness feels like.")
    profile.modes = ["remote"]
    profile.availability = ["tue-evening", "thu-evening", "sat-morning"]
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.skills.add(skill("active-listening"))
    profile.causes.add(cause("loneliness"))
    return profile


def test_records_carry_commitments_capacity_and_age_inputs(ada, harbor):
    """Given Ada holds one approved match of 3 h/week and the role has two places,
    the records say: one commitment, 3 hours, one place left, and her date of birth."""
    make_listener(ada, date_of_birth=dt.date(2000, 2, 29), max_hours_per_week=6)
    ada.languages.add(language("es"))
    mhfa_expires = TODAY + dt.timedelta(days=214)
    TrainingRecordFactory.create(
        profile=ada,
        training_type=training_type("mhfa"),
        completed_on=TODAY - dt.timedelta(days=30),
        expires_on=mhfa_expires,
    )
    role = listening_role(harbor, capacity=2, hours_per_week=3, min_age=18)
    role.required_trainings.add(training_type("mhfa"))
    MatchFactory.create(volunteer=ada, opportunity=role, status=MatchStatus.APPROVED)
    other = listening_role(harbor, title="Weekend befriender")
    MatchFactory.create(volunteer=ada, opportunity=other, status=MatchStatus.SUGGESTED)

    volunteer = records.volunteer_record(ada, today=TODAY)
    opportunity = records.opportunity_record(role, today=TODAY)

    assert volunteer.active_commitments == 1  # the suggestion does not count
    assert volunteer.committed_hours == 3.0
    assert volunteer.max_hours_per_week == 6.0
    assert volunteer.date_of_birth == dt.date(2000, 2, 29)
    assert volunteer.skills == {"active-listening"}
    assert volunteer.languages == {"es"}
    assert volunteer.trainings == {"mhfa": mhfa_expires}
    assert "Active listening" in volunteer.text
    assert "Loneliness and isolation" in volunteer.text
    assert opportunity.capacity_left == 1
    assert opportunity.min_age == 18
    assert opportunity.required_trainings == {"mhfa"}
    assert opportunity.causes == {"loneliness", "mental-health"}
    assert opportunity.text.startswith("Evening peer listener\nListen to people")


def test_bulk_records_take_a_fixed_number_of_queries(harbor):
    """Thirty volunteers cost the same queries as three: no N+1."""

    def count_queries(n: int) -> int:
        ids = [make_listener(VolunteerProfileFactory.create()).id for _ in range(n)]
        with CaptureQueriesContext(connection) as queries:
            built = records.volunteer_records(
                VolunteerProfile.objects.filter(id__in=ids), today=TODAY
            )
        assert len(built) == n
        return len(queries)

    assert count_queries(3) == count_queries(30)


def test_ada_gets_suggestions_with_reasons_and_model_version(ada, harbor):
    """Given a role Ada fits, her rematch stores one suggestion that says why and which model."""
    make_listener(ada)
    role = listening_role(harbor)

    result = rematch.volunteer_rematch(profile_id=ada.id)

    match = Match.objects.get(volunteer=ada, opportunity=role)
    assert result.created == 1
    assert match.status == MatchStatus.SUGGESTED
    assert match.model_version == DEFAULT_MODEL.version
    assert 0 < match.score <= 1
    assert set(match.features) == set(FEATURE_NAMES)
    assert match.reasons[0] == "Remote role; they accept remote work"
    assert "Has every skill the role requires: Active listening" in match.reasons
    ada.refresh_from_db()
    assert ada.matched_at is not None


def test_rematch_twice_keeps_the_same_rows(ada, harbor):
    make_listener(ada)
    listening_role(harbor)
    listening_role(harbor, title="Weekend phone befriender")

    rematch.volunteer_rematch(profile_id=ada.id)
    first = sorted(Match.objects.values_list("id", "opportunity_id", "status", "score"))
    again = rematch.volunteer_rematch(profile_id=ada.id)

    assert sorted(Match.objects.values_list("id", "opportunity_id", "status", "score")) == first
    assert len(first) == 2
    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 2, 0)


@pytest.mark.parametrize(
    "change",
    ["the role closes", "Ada pauses", "the role is filled"],
)
def test_a_suggestion_that_stops_being_eligible_is_withdrawn_with_a_transition(
    change, ada, bo, harbor
):
    make_listener(ada)
    role = listening_role(harbor)
    rematch.volunteer_rematch(profile_id=ada.id)
    suggestion = Match.objects.get(volunteer=ada, opportunity=role, status=MatchStatus.SUGGESTED)

    if change == "the role closes":
        Opportunity.objects.filter(id=role.id).update(status=Opportunity.Status.CLOSED)
    elif change == "Ada pauses":
        VolunteerProfile.objects.filter(id=ada.id).update(paused=True)
    else:
        MatchFactory.create(volunteer=bo, opportunity=role, status=MatchStatus.ACCEPTED)
    rematch.volunteer_rematch(profile_id=ada.id)

    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.WITHDRAWN
    transition = MatchTransition.objects.get(match=suggestion)
    assert (transition.from_status, transition.to_status) == ("suggested", "withdrawn")
    assert transition.reason == store.REASON_NO_LONGER_ELIGIBLE
    assert transition.actor is None


def test_closing_a_role_withdraws_its_suggestions_on_the_roles_rematch(ada, bo, harbor):
    make_listener(ada)
    make_listener(bo)
    role = listening_role(harbor)
    rematch.opportunity_rematch(opportunity_id=role.id)
    assert Match.objects.filter(opportunity=role, status=MatchStatus.SUGGESTED).count() == 2

    Opportunity.objects.filter(id=role.id).update(
        status=Opportunity.Status.CLOSED, updated_at=timezone.now()
    )
    result = rematch.opportunity_rematch(opportunity_id=role.id)

    assert result.withdrawn == 2
    assert not Match.objects.filter(opportunity=role, status=MatchStatus.SUGGESTED).exists()
    assert set(MatchTransition.objects.values_list("reason", flat=True)) == {
        store.REASON_NO_LONGER_ELIGIBLE
    }
    role.refresh_from_db()
    assert role.matched_at is not None


def test_reviewed_matches_are_never_touched_and_a_rejected_pair_never_comes_back(ada, harbor):
    """Sam approved Ada for one role and rejected her for another: her rematch leaves both rows
    exactly as they were and suggests neither pair again."""
    make_listener(ada)
    approved_role = listening_role(harbor, title="Approved listener role")
    rejected_role = listening_role(harbor, title="Rejected listener role")
    approved = MatchFactory.create(
        volunteer=ada, opportunity=approved_role, status=MatchStatus.APPROVED, score=0.42
    )
    rejected = MatchFactory.create(
        volunteer=ada, opportunity=rejected_role, status=MatchStatus.REJECTED, score=0.31
    )
    before = {m.id: (m.status, m.score, m.updated_at) for m in (approved, rejected)}

    rematch.volunteer_rematch(profile_id=ada.id)
    rematch.volunteer_rematch(profile_id=ada.id)

    after = {
        m.id: (m.status, m.score, m.updated_at)
        for m in Match.objects.filter(id__in=[approved.id, rejected.id])
    }
    assert after == before
    assert Match.objects.filter(volunteer=ada).count() == 2
    assert not MatchTransition.objects.exists()


def test_store_skips_reviewed_pairs_and_upserts_suggested_ones(ada, bo, harbor):
    role = listening_role(harbor)
    reviewed = MatchFactory.create(volunteer=bo, opportunity=role, status=MatchStatus.OFFERED)
    features = dict.fromkeys(FEATURE_NAMES, 0.5)

    def suggest(volunteer, score):
        return Suggestion(volunteer.id, role.id, score, 1, features, ["Remote role", "Cares"])

    first = store.suggestions_store(
        suggestions=[suggest(ada, 0.6), suggest(bo, 0.9)], model_version="default-weights-1"
    )
    second = store.suggestions_store(suggestions=[suggest(ada, 0.7)], model_version="logistic-test")

    assert (first.created, first.skipped_reviewed) == (1, 1)
    assert (second.created, second.updated) == (0, 1)
    ada_match = Match.objects.get(volunteer=ada, opportunity=role)
    assert (ada_match.score, ada_match.model_version) == (0.7, "logistic-test")
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.score) == (MatchStatus.OFFERED, 0.5)


def test_a_role_posted_later_reaches_ada_without_taking_her_other_suggestions(ada, harbor):
    make_listener(ada)
    first = listening_role(harbor, title="First listener role")
    rematch.volunteer_rematch(profile_id=ada.id)

    later = listening_role(harbor, title="Later listener role")
    rematch.opportunity_rematch(opportunity_id=later.id)

    assert set(
        Match.objects.filter(volunteer=ada, status=MatchStatus.SUGGESTED).values_list(
            "opportunity_id", flat=True
        )
    ) == {first.id, later.id}


def test_stale_profiles_and_roles_are_found_for_the_reconciler(ada, bo, harbor):
    role = listening_role(harbor)
    rematch.volunteer_rematch(profile_id=ada.id)
    rematch.opportunity_rematch(opportunity_id=role.id)
    assert ada.id not in reconcile.stale_volunteer_ids(limit=10)
    assert bo.id in reconcile.stale_volunteer_ids(limit=10)  # never matched
    assert role.id not in reconcile.stale_opportunity_ids(limit=10)

    # Ada edits her profile while the broker is down: nothing was queued, but she is stale now.
    ada.bio = "New bio"
    ada.save()

    assert ada.id in reconcile.stale_volunteer_ids(limit=10)


# --- fair exposure across chunks and single rematches ---------------------------------------------


def evening_circle(harbor, *, mode: str) -> Opportunity:
    """An evening listening circle; every circle has the same text, so a volunteer scores them all
    alike and, without fair exposure, always sees the first one created."""
    role = OpportunityFactory.create(
        organization=harbor,
        title="Evening listening circle",
        description="Listen to people who feel lonely, two evenings a week.",
        mode=mode,
        availability=["tue-evening", "thu-evening"],
    )
    role.required_skills.add(skill("active-listening"))
    role.causes.add(cause("loneliness"))
    return role


def roles_with_a_suggestion() -> set[int]:
    return set(
        Match.objects.filter(status=MatchStatus.SUGGESTED).values_list("opportunity_id", flat=True)
    )


def shown_to(volunteer: VolunteerProfile) -> list[int]:
    return list(
        Match.objects.filter(volunteer=volunteer, status=MatchStatus.SUGGESTED).values_list(
            "opportunity_id", flat=True
        )
    )


@pytest.fixture
def one_suggestion_each(monkeypatch, settings):
    """Each volunteer is shown a single role, so that who gets which circle is visible."""
    monkeypatch.setattr(candidates, "SUGGESTIONS_PER_VOLUNTEER", 1)
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 1


def without_priors(monkeypatch) -> None:
    """Today's behaviour before priors: every chunk and rematch ranks as if nothing else were
    shown."""
    monkeypatch.setattr(candidates, "_open_suggestions_per_role", lambda **_: None)


@pytest.mark.usefixtures("one_suggestion_each")
@pytest.mark.parametrize("carry_priors", [True, False], ids=["with priors", "without priors"])
def test_consecutive_rematches_spread_suggestions_over_equally_good_circles(
    carry_priors, monkeypatch, ada, bo, harbor
):
    """Given two identical circles, Ada's rematch shows her the first. Bo's rematch counts Ada's
    open suggestion, so he is shown the second and both circles reach someone; without priors he
    would get the first circle too and the second nobody."""
    make_listener(ada)
    make_listener(bo)
    first, second = evening_circle(harbor, mode="remote"), evening_circle(harbor, mode="remote")
    if not carry_priors:
        without_priors(monkeypatch)

    rematch.volunteer_rematch(profile_id=ada.id)
    rematch.volunteer_rematch(profile_id=bo.id)

    assert shown_to(ada) == [first.id]
    if carry_priors:
        assert shown_to(bo) == [second.id]
        assert roles_with_a_suggestion() == {first.id, second.id}  # 2 of 2 circles
    else:
        assert shown_to(bo) == [first.id]
        assert roles_with_a_suggestion() == {first.id}  # 1 of 2 circles
    # Bo's own suggestion is not a prior of his next rematch: it stays where it is.
    rematch.volunteer_rematch(profile_id=bo.id)
    assert shown_to(bo) == [second.id if carry_priors else first.id]


@pytest.mark.usefixtures("one_suggestion_each")
def test_a_run_in_chunks_is_one_assignment_that_reaches_every_circle(ada, bo, harbor):
    """Four identical circles, two by video and two by phone. Ada and Bo take both kinds; Cy only
    video calls, Di only phone calls. The run is cut in two chunks, but who is shown where is one
    assignment over all four: Cy and Di get the circles only they can take, and Ada and Bo the two
    others, so all four circles reach someone (independent chunks showed two circles twice)."""
    cy = VolunteerProfileFactory.create(display_name="Cy")
    di = VolunteerProfileFactory.create(display_name="Di")
    for volunteer, modes in ((ada, ["remote", "phone"]), (bo, ["remote", "phone"])):
        make_listener(volunteer, modes=modes)
    make_listener(cy, modes=["remote"])
    make_listener(di, modes=["phone"])
    circles = [evening_circle(harbor, mode=mode) for mode in ("remote", "phone") * 2]

    run = runs.match_run_start(requested_by=None, chunk_size=2)
    chunks = list(run.chunks.order_by("index"))
    assert [c.volunteer_ids for c in chunks] == [[ada.id, bo.id], [cy.id, di.id]]
    for chunk in chunks:
        runs.match_run_chunk_execute(chunk_id=chunk.id)

    shown = [shown_to(person) for person in (ada, bo, cy, di)]
    assert all(len(roles) == 1 for roles in shown)
    assert roles_with_a_suggestion() == {c.id for c in circles}  # 4 of 4 circles


def test_the_priors_are_one_query_that_leaves_out_the_volunteers_being_ranked(ada, bo, harbor):
    """Ada and Bo each hold an open suggestion of the circle, and Ada one that was withdrawn:
    re-ranking Ada counts only Bo's, in one query."""
    circle = evening_circle(harbor, mode="remote")
    other = evening_circle(harbor, mode="phone")
    MatchFactory.create(volunteer=ada, opportunity=circle, status=MatchStatus.SUGGESTED)
    MatchFactory.create(volunteer=bo, opportunity=circle, status=MatchStatus.SUGGESTED)
    MatchFactory.create(volunteer=ada, opportunity=other, status=MatchStatus.WITHDRAWN)

    with CaptureQueriesContext(connection) as queries:
        prior = candidates._open_suggestions_per_role(except_volunteer_ids=[ada.id])

    assert prior == {circle.id: 1}
    assert len(queries) == 1
