"""Ada says "I'm interested" in a role; Sam, Harbor's coordinator, accepts or declines. Told as
small stories against the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from audit.models import AuditEntry
from backend.errors import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from matching.engine import eligibility
from matching.models import Match, MatchTransition
from notifications import messages as m
from notifications.models import Notification
from notifications.tasks import notify_interest_task
from opportunities.models import Opportunity
from placements.models import InterestRequest
from placements.services import interest
from placements.services.reasons import INELIGIBILITY_TEXT, VOLUNTEER_ASKED
from suggestions.services import rematch
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_ada_asks_for_the_peer_line_and_the_request_waits_for_sam(ada, harbor):
    """Given Ada, who fits the peer line, when she says she is interested with a word, then one
    pending request holds her message and the engine's reasons, and the audit log has its row."""
    ready_volunteer(ada)
    role = peer_line(harbor)

    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk, message=" I listen. ")

    assert (made.status, made.message, made.volunteer_id) == ("pending", "I listen.", ada.pk)
    assert made.reasons[0] == "Remote role; they accept remote work"  # the engine's, frozen
    entry = AuditEntry.objects.get(event="interest_request_changed", subject_id=str(made.pk))
    assert entry.data["to_status"] == "pending"
    assert not Match.objects.exists()  # a request is not a match


def test_harbors_coordinators_hear_that_a_volunteer_asked_without_her_name(
    ada, harbor, sam, alex, django_capture_on_commit_callbacks
):
    """Given Sam and Alex at Harbor, when Ada asks for the peer line, then each is told a
    volunteer is interested in it; the notice names neither Ada nor her message (it outlives an
    erasure of her account), and telling twice adds nothing."""
    ready_volunteer(ada)
    role = peer_line(harbor)

    with django_capture_on_commit_callbacks(execute=True):
        made = interest.interest_express(actor=ada.user, opportunity_id=role.pk, message="Me!")
    notify_interest_task(made.pk)

    notices = Notification.objects.filter(kind="interest_received").order_by("recipient__email")
    assert [n.recipient for n in notices] == [alex, sam]
    assert notices[0].title == m.INTEREST_RECEIVED_TITLE.format(role=role.title)
    assert all("Ada" not in n.title + n.body and "Me!" not in n.body for n in notices)


def test_a_role_she_cannot_do_is_refused_naming_the_rule_in_words(ada, harbor):
    """Given a role on Saturdays only at fixed times, when Ada (free Tue and Thu evenings) asks
    for it, then the refusal names the rule in words and nothing is stored."""
    ready_volunteer(ada)
    role = peer_line(harbor, availability=["sat-morning"], schedule_fixed=True)

    with pytest.raises(ConflictError) as refused:
        interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    assert refused.value.fields == {"reasons": [eligibility.NO_SHARED_TIME]}
    words = INELIGIBILITY_TEXT[eligibility.NO_SHARED_TIME]
    assert refused.value.message == interest.NOT_ELIGIBLE.format(reasons=words)
    assert not InterestRequest.objects.exists()


def test_asking_twice_for_the_same_role_is_refused(ada, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)
    interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    with pytest.raises(ConflictError) as refused:
        interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    assert refused.value.message == interest.ALREADY_ASKED
    assert InterestRequest.objects.count() == 1


def test_a_role_she_is_already_offered_is_refused(ada, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)
    suggestion(ada, role, status="offered")

    with pytest.raises(ConflictError) as refused:
        interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    assert refused.value.message == interest.MATCH_IN_PROGRESS


@override_settings(INTEREST_MAX_OPEN_PER_VOLUNTEER=2)
def test_she_holds_at_most_the_settings_number_of_open_requests(ada, harbor):
    """Given a cap of two, when Ada asks for a third role while two wait, then it is refused;
    withdrawing one, or a role closing, makes room again."""
    ready_volunteer(ada)
    first, second, third = (peer_line(harbor, title=t) for t in ("A", "B", "C"))
    made = interest.interest_express(actor=ada.user, opportunity_id=first.pk)
    interest.interest_express(actor=ada.user, opportunity_id=second.pk)

    with pytest.raises(ConflictError) as refused:
        interest.interest_express(actor=ada.user, opportunity_id=third.pk)
    assert refused.value.message == interest.TOO_MANY_OPEN.format(limit=2)

    interest.interest_withdraw(interest_id=made.pk, actor=ada.user)
    assert interest.interest_express(actor=ada.user, opportunity_id=third.pk).status == "pending"
    # A role that closed since no longer counts against her.
    Opportunity.objects.filter(pk=second.pk).update(status=Opportunity.Status.CLOSED)
    fourth = peer_line(harbor, title="D")
    assert interest.interest_express(actor=ada.user, opportunity_id=fourth.pk).status == "pending"


def test_a_draft_or_an_unverified_email_cannot_be_asked_for(ada, harbor):
    ready_volunteer(ada)
    draft = peer_line(harbor, status=Opportunity.Status.DRAFT)
    with pytest.raises(NotFoundError):
        interest.interest_express(actor=ada.user, opportunity_id=draft.pk)

    ada.user.email_verified_at = None
    ada.user.save()
    with pytest.raises(ConflictError) as refused:
        interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)
    assert refused.value.message == interest.EMAIL_NOT_VERIFIED


def test_sam_accepts_and_the_pair_is_approved_and_offered_through_the_lifecycle(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    """Given Ada's request (no suggestion of the pair), when Sam accepts it, then the engine
    scores the pair, the match goes suggested -> approved (reason volunteer_asked) -> offered
    with its transition rows, Ada is told of the offer, and the request points at the match."""
    ready_volunteer(ada)
    role = peer_line(harbor)
    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    with django_capture_on_commit_callbacks(execute=True):
        accepted = interest.interest_accept(interest_id=made.pk, actor=sam, note="Welcome")

    match = Match.objects.get(volunteer=ada, opportunity=role)
    assert (accepted.status, accepted.decided_by, accepted.match_id) == ("accepted", sam, match.pk)
    assert match.status == "offered"
    assert match.reasons
    assert match.features
    assert 0 <= match.score <= 1
    steps = list(MatchTransition.objects.filter(match=match).values_list("to_status", "reason"))
    assert steps == [("approved", VOLUNTEER_ASKED), ("offered", "")]
    assert Notification.objects.filter(recipient=ada.user, kind="match_offered").exists()


def test_an_open_suggestion_of_the_pair_is_the_match_sam_approves(ada, harbor, sam):
    ready_volunteer(ada)
    role = peer_line(harbor)
    queued = suggestion(ada, role)
    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    interest.interest_accept(interest_id=made.pk, actor=sam)

    assert Match.objects.get(pk=queued.pk).status == "offered"
    assert Match.objects.count() == 1


def test_accepting_rechecks_the_rules(ada, harbor, sam):
    """Given Ada's request, when she pauses before Sam answers, then accepting is refused in
    words and the request still waits."""
    ready_volunteer(ada)
    role = peer_line(harbor)
    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk)
    ready_volunteer(ada, paused=True)

    with pytest.raises(ConflictError) as refused:
        interest.interest_accept(interest_id=made.pk, actor=sam)

    assert refused.value.fields == {"reasons": [eligibility.VOLUNTEER_UNAVAILABLE]}
    assert InterestRequest.objects.get(pk=made.pk).status == "pending"
    assert not Match.objects.exists()


def test_only_harbors_coordinators_answer(ada, harbor, rita, sam):
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)

    with pytest.raises(ForbiddenError):
        interest.interest_accept(interest_id=made.pk, actor=rita)
    with pytest.raises(ForbiddenError):
        interest.interest_decline(interest_id=made.pk, actor=ada.user, reason="other")
    with pytest.raises(ForbiddenError):
        interest.interest_withdraw(interest_id=made.pk, actor=sam)


def test_sam_declines_with_a_reason_and_ada_is_told(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    ready_volunteer(ada)
    role = peer_line(harbor)
    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk)

    with django_capture_on_commit_callbacks(execute=True):
        declined = interest.interest_decline(interest_id=made.pk, actor=sam, reason="schedule")

    assert (declined.status, declined.reason) == ("declined", "schedule")
    notice = Notification.objects.get(recipient=ada.user, kind="interest_declined")
    assert notice.title == m.INTEREST_DECLINED_TITLE.format(role=role.title)
    assert "Reason: Schedule." in notice.body
    with pytest.raises(ConflictError):  # answered once
        interest.interest_accept(interest_id=made.pk, actor=sam)


def test_declining_needs_a_reason_code(ada, harbor, sam):
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)

    with pytest.raises(ApplicationError) as refused:
        interest.interest_decline(interest_id=made.pk, actor=sam, reason="")

    assert "reason" in refused.value.fields
    assert InterestRequest.objects.get(pk=made.pk).status == "pending"


def test_a_rematch_and_a_full_run_leave_requests_alone(ada, harbor):
    """Given Ada's pending request and Bo's withdrawn one, when Ada is rematched and a full run
    runs, then both requests are exactly as they were."""
    ready_volunteer(ada)
    bo = new_volunteer("Bo")
    role = peer_line(harbor)
    interest.interest_express(actor=ada.user, opportunity_id=role.pk, message="Hello")
    taken_back = interest.interest_express(actor=bo.user, opportunity_id=role.pk)
    interest.interest_withdraw(interest_id=taken_back.pk, actor=bo.user)
    before = list(InterestRequest.objects.order_by("pk").values())

    rematch.volunteer_rematch(profile_id=ada.pk)
    call_command("match_all", "--chunk-size", "1", stdout=None)

    assert list(InterestRequest.objects.order_by("pk").values()) == before
