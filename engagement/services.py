"""Calendar feeds, hours and ratings around a match. Services follow the house pattern: keyword-only
arguments, guards that raise the one error type, messages as constants."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from icalendar import Calendar, Event, vRecur

from backend import spreadsheets
from backend.errors import ApplicationError, ConflictError
from engagement.models import CalendarFeed, HoursLog, Rating
from matching.models import Match, MatchStatus, MatchTransition
from placements import permissions
from volunteers.models import VolunteerProfile

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus

HOURS_ONLY_ON_ACTIVE = gettext_noop(
    "Hours can be logged only on an active or completed match; this match is {status}."
)
HOURS_IN_FUTURE = gettext_noop("Hours cannot be logged for a day that has not come yet.")
HOURS_BEFORE_START = gettext_noop("The role started on {date}; log hours from that day on.")
HOURS_BEFORE_MATCH = gettext_noop("This match began on {date}; log hours from that day on.")
HOURS_AFTER_END = gettext_noop("This match ended on {date}; log hours up to that day.")
HOURS_OUT_OF_RANGE = gettext_noop("Log more than 0 and at most 24 hours for a day.")
HOURS_DAY_FULL = gettext_noop("A day has 24 hours: {logged} are already logged on {date}.")
HOURS_WEEK_FULL = gettext_noop(
    "This role asks about {weekly} hours a week: at most {cap} can be logged for the week of "
    "{monday}, and {logged} already are."
)
HOURS_ALREADY_VERIFIED = gettext_noop("These hours were already verified.")
NOT_A_COORDINATOR = gettext_noop(
    "Only a coordinator or admin of the role's organization may do this."
)
NOT_THE_VOLUNTEER = gettext_noop("Only the volunteer of this match may do this.")
RATING_ONLY_COMPLETED = gettext_noop(
    "A match can be rated once it is completed; this match is {status}."
)
RATING_ALREADY_GIVEN = gettext_noop("You already rated this match.")

#: Clock times of the availability parts (local time, settings.TIME_ZONE).
PART_TIMES: dict[str, tuple[dt.time, dt.time]] = {
    "morning": (dt.time(9), dt.time(12)),
    "afternoon": (dt.time(13), dt.time(17)),
    "evening": (dt.time(18), dt.time(21)),
    "night": (dt.time(21), dt.time(23, 30)),
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Matches whose schedule appears in the volunteer's calendar.
CALENDAR_STATUSES = frozenset({S.ACCEPTED, S.ACTIVE})
#: A volunteer's matches they may address when logging hours: the ones they hold or held. Any other
#: match answers 404, as if it did not exist; of these, the service takes hours on the active one.
HOURS_MATCH_STATUSES = frozenset({S.ACCEPTED, S.ACTIVE, S.ON_HOLD, S.COMPLETED})
#: Matches that take hours: the running one, and a completed one (for the days it ran).
HOURS_LOGGED_ON = frozenset({S.ACTIVE, S.COMPLETED})
#: A week may hold the role's weekly hours times this (a busy week happens; a fourfold one is a
#: typing slip or worse), per ISO week (Monday to Sunday), on that match.
HOURS_WEEK_MARGIN = Decimal("1.5")
#: The weekly hours assumed for a role that states none.
HOURS_PER_WEEK_UNSTATED = Decimal(40)


# --- Calendar ---------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_reset(*, volunteer: VolunteerProfile) -> str:
    """Make a new secret calendar token (the old address stops working) and return it; only its
    hash is stored, so this is the one moment it can be shown."""
    token = secrets.token_urlsafe(32)  # 256 bits: not guessable, safe in a URL
    CalendarFeed.objects.update_or_create(
        volunteer=volunteer, defaults={"token_hash": _digest(token)}
    )
    return token


def calendar_feed_volunteer(*, token: str) -> VolunteerProfile | None:
    feed = (
        CalendarFeed.objects.select_related("volunteer").filter(token_hash=_digest(token)).first()
    )
    return feed.volunteer if feed else None


def _first_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _slot(slot: str) -> tuple[int, tuple[dt.time, dt.time]] | None:
    day, _, part = slot.partition("-")
    if day not in WEEKDAYS or part not in PART_TIMES:
        return None
    return WEEKDAYS.index(day), PART_TIMES[part]


def calendar_build(*, volunteer: VolunteerProfile) -> bytes:
    """An iCalendar of the volunteer's accepted and active roles: one weekly event per availability
    slot of the role, from the role's start (or the day they accepted) until its end."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Kindred Match//Volunteer calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kindred Match volunteering")
    matches = (
        Match.objects.filter(volunteer=volunteer, status__in=CALENDAR_STATUSES)
        .select_related("opportunity__organization")
        .prefetch_related("transitions")
        .order_by("id")
    )
    for match in matches:
        role = match.opportunity
        accepted = [t.created_at for t in match.transitions.all() if t.to_status == S.ACCEPTED]
        anchor = role.starts_on or (
            timezone.localdate(accepted[0]) if accepted else match.created_at.date()
        )
        for slot in role.availability or []:
            parsed = _slot(slot)
            if parsed is None:
                continue
            weekday, (begin, end) = parsed
            first = _first_on_or_after(anchor, weekday)
            if role.ends_on is not None and first > role.ends_on:
                continue
            event = Event()
            event.add("uid", f"match-{match.pk}-{slot}@kindred-match")
            event.add("summary", f"{role.title} ({role.organization.name})")
            event.add("dtstamp", match.updated_at)
            event.add("dtstart", dt.datetime.combine(first, begin, tzinfo=zone))
            event.add("dtend", dt.datetime.combine(first, end, tzinfo=zone))
            rule: dict[str, Any] = {"freq": "weekly"}
            if role.ends_on is not None:
                rule["until"] = dt.datetime.combine(role.ends_on, dt.time(23, 59), tzinfo=zone)
            event.add("rrule", vRecur(rule))
            if role.address:
                event.add("location", role.address)
            event.add(
                "description",
                f"{role.organization.name}. Contact: {role.organization.contact_email}",
            )
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- Hours ------------------------------------------------------------------------------------------


def _match_days(match: Match) -> tuple[dt.date, dt.date | None]:
    """The first day of the match (the day it became active; its creation if it never moved
    there) and, once completed, its last."""
    moves = list(
        MatchTransition.objects.filter(match=match, to_status__in=[S.ACTIVE, S.COMPLETED])
        .order_by("created_at", "id")
        .values_list("to_status", "created_at")
    )
    started = [at for status, at in moves if status == S.ACTIVE]
    ended = [at for status, at in moves if status == S.COMPLETED]
    began = timezone.localdate(started[0] if started else match.created_at)
    end = timezone.localdate(ended[-1]) if match.status == S.COMPLETED and ended else None
    return began, end


def _refuse_date(message: str) -> None:
    raise ApplicationError(message, fields={"date": [message]})


def _check_week(match: Match, *, date: dt.date, hours: Decimal) -> None:
    weekly = match.opportunity.hours_per_week or HOURS_PER_WEEK_UNSTATED
    cap = weekly * HOURS_WEEK_MARGIN
    monday = date - dt.timedelta(days=date.weekday())
    logged = HoursLog.objects.filter(
        match=match, date__range=(monday, monday + dt.timedelta(days=6))
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if logged + hours > cap:
        message = gettext(HOURS_WEEK_FULL).format(
            weekly=f"{weekly.normalize():f}",
            cap=f"{cap:.2f}",
            monday=monday.isoformat(),
            logged=f"{logged:.2f}",
        )
        raise ApplicationError(message, fields={"hours": [message]})


def hours_log_add(
    *,
    match_id: int,
    actor: User,
    date: dt.date,
    hours: Decimal,
    note: str = "",
    today: dt.date | None = None,
) -> HoursLog:
    """The volunteer of the match, and nobody else, logs hours given on it while active or once
    completed: for a day inside the match (from the day it became active to the day it completed,
    never a day to come nor before the role started), more than 0 and at most 24 a day across all
    roles, and at most the role's weekly hours times HOURS_WEEK_MARGIN in a week. Logged hours are
    unverified: only ``hours_log_verify`` sets ``verified_*``."""
    today = today or timezone.localdate()
    hours = Decimal(hours)
    if not Decimal(0) < hours <= Decimal(24):
        raise ApplicationError(
            gettext(HOURS_OUT_OF_RANGE), fields={"hours": [gettext(HOURS_OUT_OF_RANGE)]}
        )
    with transaction.atomic():
        match = Match.objects.select_related("opportunity", "volunteer").get(pk=match_id)
        # The volunteer's row serialises their own logging, so two requests cannot both fit a day.
        VolunteerProfile.objects.select_for_update().filter(pk=match.volunteer_id).first()
        match = (
            Match.objects.select_for_update()
            .select_related("opportunity", "volunteer")
            .get(pk=match_id)
        )
        if not permissions.is_match_volunteer(actor, match):
            raise ApplicationError(gettext(NOT_THE_VOLUNTEER), code="forbidden", status_code=403)
        if match.status not in HOURS_LOGGED_ON:
            raise ConflictError(
                gettext(HOURS_ONLY_ON_ACTIVE).format(status=match.status), code="invalid_state"
            )
        if date > today:
            _refuse_date(gettext(HOURS_IN_FUTURE))
        starts_on = match.opportunity.starts_on
        if starts_on is not None and date < starts_on:
            _refuse_date(gettext(HOURS_BEFORE_START).format(date=starts_on.isoformat()))
        began, ended = _match_days(match)
        if date < began:
            _refuse_date(gettext(HOURS_BEFORE_MATCH).format(date=began.isoformat()))
        if ended is not None and date > ended:
            _refuse_date(gettext(HOURS_AFTER_END).format(date=ended.isoformat()))
        logged = HoursLog.objects.filter(
            match__volunteer_id=match.volunteer_id, date=date
        ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
        if logged + hours > 24:
            message = gettext(HOURS_DAY_FULL).format(logged=f"{logged:.2f}", date=date.isoformat())
            raise ApplicationError(message, fields={"hours": [message]})
        _check_week(match, date=date, hours=hours)
        log = HoursLog(match=match, date=date, hours=hours, note=note.strip())
        log.full_clean()
        log.save()
    return log


def hours_log_verify(*, log_id: int, actor: User) -> HoursLog:
    """A coordinator or admin of the role's organization verifies logged hours: the one way
    ``verified_*`` is set; never the match's own volunteer, even one who coordinates there."""
    with transaction.atomic():
        log = (
            HoursLog.objects.select_for_update()
            .select_related("match__opportunity", "match__volunteer")
            .get(pk=log_id)
        )
        if not permissions.can_review(actor, log.match):
            raise ApplicationError(gettext(NOT_A_COORDINATOR), code="forbidden", status_code=403)
        if log.verified_at is not None:
            raise ConflictError(gettext(HOURS_ALREADY_VERIFIED), code="already_verified")
        log.verified_by = actor
        log.verified_at = timezone.now()
        log.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return log


_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=10, decimal_places=2))


def hours_totals(logs: QuerySet[HoursLog], *, by: str) -> list[dict[str, Any]]:
    """Total and verified hours per volunteer or per role, over the given logs."""
    keys: Iterable[str]
    if by == "volunteer":
        keys = ("match__volunteer_id", "match__volunteer__display_name")
        names = ("volunteer_id", "volunteer")
    else:
        keys = ("match__opportunity_id", "match__opportunity__title")
        names = ("opportunity_id", "opportunity")
    rows = (
        logs.order_by()
        .values(*keys)
        .annotate(
            total_hours=Coalesce(Sum("hours"), _ZERO),
            total_verified=Coalesce(Sum("hours", filter=Q(verified_at__isnull=False)), _ZERO),
            entries=Count("id"),
        )
        .order_by(keys[1])
    )
    return [
        {
            names[0]: row[keys[0]],
            names[1]: row[keys[1]],
            "hours": f"{row['total_hours']:.2f}",
            "verified_hours": f"{row['total_verified']:.2f}",
            "entries": row["entries"],
        }
        for row in rows
    ]


#: Columns of the totals that are the project's own numbers, not user text.
CSV_NUMBER_COLUMNS = ("volunteer_id", "opportunity_id", "hours", "verified_hours", "entries")


def hours_totals_csv(logs: QuerySet[HoursLog], *, by: str) -> str:
    """``hours_totals`` as a spreadsheet (the API's hours/totals.csv and the coordinator's page):
    names and titles are user text, escaped against formula injection; the numbers are ours."""
    rows = hours_totals(logs, by=by)
    first = (
        ["volunteer_id", "volunteer"] if by == "volunteer" else ["opportunity_id", "opportunity"]
    )
    columns = list(rows[0]) if rows else [*first, "hours", "verified_hours", "entries"]
    return spreadsheets.csv_text(rows, columns=columns, trusted=CSV_NUMBER_COLUMNS)


# --- Ratings ----------------------------------------------------------------------------------------


def rating_leave(*, match_id: int, actor: User, score: int, comment: str = "") -> Rating:
    """Once completed, the volunteer rates the role and the organization rates the volunteer; once
    each (a database constraint backs the check)."""
    match = Match.objects.select_related("opportunity", "volunteer").get(pk=match_id)
    if permissions.is_match_volunteer(actor, match):
        side = Rating.Side.VOLUNTEER
    elif permissions.can_review(actor, match):
        side = Rating.Side.ORGANIZATION
    else:
        raise ApplicationError(gettext(NOT_A_COORDINATOR), code="forbidden", status_code=403)
    if match.status != S.COMPLETED:
        raise ConflictError(
            gettext(RATING_ONLY_COMPLETED).format(status=match.status), code="invalid_state"
        )
    rating = Rating(match=match, side=side, rater=actor, score=score, comment=comment.strip())
    rating.full_clean(exclude=["match"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise ConflictError(gettext(RATING_ALREADY_GIVEN), code="already_rated") from None
    return rating
