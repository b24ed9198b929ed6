"""Issue 10 item 3: reasons are sentences a coordinator reads without a glossary. The text reason
quotes what the volunteer asked for (their own words of what they want to do, never their lived
experience or contact details), the time reason names days, what is missing is said, and a
distance is a band in the deployment's unit."""

from __future__ import annotations

import re

from matching.engine import MatchIndex, rank_all, rank_for_volunteer, rules
from matching.engine.features import distance_fit
from matching.engine.quotes import MAX_QUOTE, in_their_words
from matching.engine.reasons import describe_slots, not_free_reason, time_reason
from matching.engine.records import DAYS
from tests.matching.engine.engine_people import LABELS, TODAY, ada, listening_line

WANTS = (
    "Retired nurse, 30 years on wards. "
    "I want to co-facilitate a peer support group for adults living with anxiety. "
    "Call me on 917 555 0100 about listening circles."
)
MILES = {**LABELS, **rules.band_names(rules.MILES)}


def reasons_of(volunteer, role, labels=LABELS):
    [suggestion] = rank_for_volunteer(
        volunteer, MatchIndex.build([role], today=TODAY), labels=labels
    )
    return suggestion.reasons


def test_the_text_reason_says_what_she_asked_for_in_her_own_words():
    reasons = reasons_of(ada(wants=WANTS), listening_line())
    assert reasons[1] == (
        "Wants to co-facilitate a peer support group for adults living with anxiety"
    )


def test_contact_details_and_figures_are_never_quoted():
    """The sentence naming listening circles shares more words with the role, but it carries a
    phone number: it is passed over."""
    reasons = reasons_of(ada(wants=WANTS), listening_line())
    assert not any("917" in reason or "555" in reason for reason in reasons)
    assert in_their_words("Email me at ada@example.org about listening.", "listening") is None


def test_lived_experience_is_never_the_source_of_a_quote():
    """The engine's record carries what they want to do (``wants``) and nothing of their lived
    experience: a volunteer who wrote nothing there gets no quote, whatever the role says."""
    reasons = reasons_of(ada(wants=""), listening_line())
    assert not any(reason.startswith(("Wants", "In their words")) for reason in reasons)


def test_a_sentence_in_the_first_person_is_quoted_as_it_was_written():
    quoted = in_their_words("I'd like to help my neighbours by listening.", "listening circle")
    assert quoted == 'In their words: "I\'d like to help my neighbours by listening"'


def test_a_long_sentence_is_cut_at_a_word():
    wants = "I want to " + "listen to people who need someone to talk to " * 5
    quoted = in_their_words(wants, "listening")
    assert quoted is not None
    assert len(quoted) <= MAX_QUOTE
    assert quoted.endswith("...")


def test_the_time_reason_names_the_days_the_role_meets():
    role = listening_line(
        availability=frozenset({"tue-evening", "thu-evening"}), schedule_fixed=True
    )
    assert time_reason(ada(), role) == "Free Tue and Thu evenings, when the role meets"
    tuesday_only = ada(availability=frozenset({"tue-evening"}))
    assert time_reason(tuesday_only, role) == (
        "Free Tue evening, when the role meets; not free Thu evening"
    )
    assert describe_slots(frozenset(f"{d}-morning" for d in DAYS)) == "every morning"


def test_a_flexible_role_she_is_never_free_for_says_which_days_in_words():
    role = listening_line(schedule_fixed=False)
    sunday = ada(availability=frozenset({"sun-morning"}))
    assert "Not free on Tuesdays, the role's evening" in reasons_of(sunday, role)
    two = listening_line(availability=frozenset({"tue-evening", "thu-evening"}))
    assert not_free_reason(two) == "Not free on Tuesdays or Thursdays, the role's evenings"
    mixed = listening_line(availability=frozenset({"tue-evening", "sat-morning"}))
    assert not_free_reason(mixed) == (
        "Not free at any of the role's usual times: Sat morning; Tue evening"
    )


def test_a_skill_the_role_teaches_is_said_to_be_missing():
    role = listening_line(skills_learnable=True)
    reasons = reasons_of(ada(skills=frozenset()), role)
    assert reasons[-1] == "Has not done Active listening yet; the role teaches it"


def test_distances_read_in_miles_for_a_us_deployment_and_the_score_does_not_change():
    role = listening_line()  # 2 km north of Ada
    km = rank_for_volunteer(ada(), MatchIndex.build([role], today=TODAY), labels=LABELS)
    mi = rank_for_volunteer(ada(), MatchIndex.build([role], today=TODAY), labels=MILES)
    assert km[0].reasons[0] == "2-5 km away"
    assert mi[0].reasons[0] == "1¼-3 mi away"
    assert (km[0].score, km[0].features) == (mi[0].score, mi[0].features)
    [full] = rank_all([ada()], [role], today=TODAY, labels=MILES)
    assert full.reasons[0] == "1¼-3 mi away"


def test_every_kilometre_band_has_one_mile_band_and_the_feature_keys_stay_in_km():
    assert set(rules.band_names(rules.MILES)) == set(rules.band_names(rules.KILOMETRES))
    assert rules.distance_band(3.0, rules.MILES) == "1¼-3 mi"
    assert rules.distance_band(30.0, rules.MILES) == "over 15 mi"
    assert distance_fit(3.0, "in_person") == 0.7  # the km band's fit, whatever is shown


def test_no_reason_shows_a_figure_other_than_a_band_edge():
    role = listening_line(skills_learnable=True, schedule_fixed=False)
    for labels in (LABELS, MILES):
        for reason in reasons_of(ada(wants=WANTS, skills=frozenset()), role, labels):
            without_band = re.sub(r"(under |over )?[\d¼]+(-[\d¼]+)? (km|mi) away", "", reason)
            assert not re.search(r"\d", without_band), reason


def test_only_the_clause_saying_what_she_wants_is_quoted_not_where_she_lives():
    wants = "I moved to Washington Heights five years ago and want to befriend older neighbours."
    assert in_their_words(wants, "Befriender for older adults") == (
        "Wants to befriend older neighbours"
    )


def test_a_refusal_is_never_read_as_a_wish():
    """Contraindications such as "no crisis work" must not turn into "Wants to do crisis work"."""
    role = "Crisis line listener: crisis work on the phone"
    assert in_their_words("I do not want to do crisis work.", role) is None
    assert in_their_words("I don't want crisis calls; I want to do phone befriending.", role) == (
        "Wants to do phone befriending"
    )


def test_a_sentence_that_says_no_wish_is_never_quoted():
    """Her history ("After years of caring for my mother...") is not what she asked for."""
    wants = "After years of caring for my mother I know how isolating it can be."
    assert in_their_words(wants, "Befriender: visits to isolated carers") is None


def test_a_flexible_role_with_one_time_reads_in_the_singular():
    assert time_reason(ada(), listening_line()) == "Free Tue evening, the role's usual time"
