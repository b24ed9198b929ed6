"""The volunteer's pages: the profile wizard (the service behind PATCH /api/v1/volunteers/me/),
their roles (offers to accept or decline, active and completed roles) and logging hours. Input is
checked by the API's own serializers and every write is the API's service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxValueValidator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from backend.errors import ApplicationError
from engagement.api.serializers import HoursInput
from engagement.models import Rating
from engagement.services import calendar_feed_reset, hours_log_add
from matching import selectors
from matching.engine import rules
from matching.models import Match, MatchStatus
from opportunities.models import Mode
from pages import labels
from pages.views.common import validated, volunteer_required
from placements.api.serializers import ReasonNoteInput
from placements.selectors import interest_requests_for_volunteer
from placements.services import transitions
from taxonomy.availability import DAYS, PARTS_OF_DAY
from taxonomy.models import Cause, Language, Skill
from volunteers.api.serializers import VolunteerProfileSerializer
from volunteers.models import VolunteerProfile
from volunteers.selectors import volunteer_profile_of
from volunteers.services.profile_update import volunteer_profile_update

S = MatchStatus
#: The wizard's steps, in order, each with the profile fields it edits.
STEPS: dict[str, tuple[str, ...]] = {
    "about": ("display_name", "bio"),
    "interests": ("causes", "skills", "languages"),
    "place": ("postcode", "max_travel_km", "modes"),
    "time": ("availability", "max_hours_per_week", "max_commitments", "paused"),
    "experience": ("lived_experience", "share_lived_experience"),
}
_LISTS = frozenset({"causes", "skills", "languages", "modes", "availability"})
_BOOLEANS = frozenset({"share_lived_experience", "paused"})
_NULLABLE = frozenset({"max_hours_per_week"})
#: Languages offered as checkboxes: the ones people use most here (Language.sort_order).
LANGUAGE_CHOICES = 12


def _profile_input(step: str, post: QueryDict) -> dict[str, Any]:
    """What the form sent, shaped as the API's PATCH body for this step's fields."""
    data: dict[str, Any] = {}
    for name in STEPS[step]:
        if name in _LISTS:
            data[name] = post.getlist(name)
        elif name in _BOOLEANS:
            data[name] = name in post
        elif name == "max_travel_km":
            data[name] = _travel_km(post.get(name, "").strip())
        else:
            value = post.get(name, "").strip()
            if value or name not in _NULLABLE:
                data[name] = value
            else:
                data[name] = None
    return data


@volunteer_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, step: str = "about") -> HttpResponse:
    if step not in STEPS:
        raise Http404
    current = volunteer_profile_of(user=request.user)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        data, errors = validated(
            VolunteerProfileSerializer, _profile_input(step, request.POST), partial=True
        )
        if data is not None:
            try:
                volunteer_profile_update(profile=current, data=data)
            except ApplicationError as error:
                errors = {name: list(map(str, msgs)) for name, msgs in error.fields.items()}
                errors = errors or {"__all__": [error.message]}
            else:
                messages.success(request, _("Saved."))
                names = list(STEPS)
                following = names.index(step) + 1
                if following < len(names):
                    return redirect("pages:profile-step", step=names[following])
                # The profile is complete: show what it fits.
                return redirect("pages:roles-for-you")
        status = 400
        errors = _travel_errors(errors)
        current = volunteer_profile_of(user=request.user)
    context = {
        "step": step,
        "steps": list(STEPS),
        "profile": current,
        "sent": request.POST if request.method == "POST" else None,
        "errors": errors,
        "chosen": _chosen(current, request.POST if request.method == "POST" else None),
        "distance_unit": settings.DISTANCE_UNIT,
        "travel": _travel_shown(current, request.POST if request.method == "POST" else None),
        "causes": Cause.objects.all(),
        "skills": Skill.objects.all(),
        "languages": Language.objects.all()[:LANGUAGE_CHOICES],
        "modes": [(mode.value, labels.MODES[mode.value]) for mode in Mode],
        "days": [(day, labels.DAYS[day]) for day in DAYS],
        "parts": [(part, labels.PARTS_OF_DAY[part]) for part in PARTS_OF_DAY],
    }
    return render(request, "pages/volunteer/profile.html", context, status=status)


def _travel_km(typed: str) -> str:
    """The travel distance typed in the deployment's unit, in km as the profile stores it (what
    is no number goes on as typed, for the serializer's own message)."""
    try:
        distance = float(typed)
    except ValueError:
        return typed
    return str(round(rules.km_from(distance, settings.DISTANCE_UNIT), 3))


def _travel_shown(current: Any, post: QueryDict | None) -> str:
    """The travel distance in the deployment's unit: as typed after a refusal, else as stored."""
    if post is not None:
        return post.get("max_travel_km", "")
    shown = round(rules.km_in(current.max_travel_km, settings.DISTANCE_UNIT), 1)
    return f"{shown:g}"


def _travel_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A refused distance, said in miles where the deployment shows miles (the rule is in km)."""
    if "max_travel_km" in errors and settings.DISTANCE_UNIT == rules.MILES:
        field = VolunteerProfile._meta.get_field("max_travel_km")
        bound = max(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
        most = int(rules.km_in(bound, rules.MILES))
        message = _("Enter a travel distance between 0 and %(most)d mi.") % {"most": most}
        errors = {**errors, "max_travel_km": [message]}
    return errors


def _chosen(current: Any, post: QueryDict | None) -> dict[str, set[str]]:
    """What is ticked in each list: what was just sent after a refusal, else what is stored."""
    if post is not None:
        return {name: set(post.getlist(name)) for name in _LISTS}
    return {
        "causes": {c.slug for c in current.causes.all()},
        "skills": {s.slug for s in current.skills.all()},
        "languages": {lang.code for lang in current.languages.all()},
        "modes": set(current.modes),
        "availability": set(current.availability),
    }


_RELATED = ("opportunity__organization",)


@volunteer_required
def my_roles(request: HttpRequest) -> HttpResponse:
    mine = list(
        selectors.matches_for_volunteer(request.user)
        .select_related(*_RELATED)
        .order_by("-updated_at", "-id")
    )
    context = {
        "offers": [m for m in mine if m.status == S.OFFERED],
        "current": [m for m in mine if m.status in {S.ACCEPTED, S.ACTIVE, S.ON_HOLD}],
        "completed": [m for m in mine if m.status == S.COMPLETED],
        # Completed roles the volunteer already rated (pages/views/account_ratings.py): once each.
        "rated": set(
            Rating.objects.filter(
                match__in=[m.pk for m in mine if m.status == S.COMPLETED],
                side=Rating.Side.VOLUNTEER,
            ).values_list("match_id", flat=True)
        ),
        "reasons": list(labels.VOLUNTEER_REASONS.items()),
        "reasons_coordinator": labels.COORDINATOR_REASONS,
        "today": timezone.localdate(),
        "profile": volunteer_profile_of(user=request.user),
        # Their "I'm interested" requests (pages/views/volunteer_roles.py), newest first.
        "interests": interest_requests_for_volunteer(request.user)
        .select_related("opportunity__organization")
        .order_by("-created_at", "-id")[:50],
    }
    return render(request, "pages/volunteer/my_roles.html", context)


def _my_match(request: HttpRequest, pk: int) -> Match:
    # The API's filter: a match the caller was never offered is a 404 here too.
    return get_object_or_404(selectors.matches_for_volunteer(request.user), pk=pk)


def _refused(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("pages:my-roles")


@volunteer_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    match = _my_match(request, pk)
    try:
        transitions.match_accept(match_id=match.pk, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as error:
        return _refused(request, error)
    messages.success(request, _("You accepted the role. The coordinator will be in touch."))
    return redirect("pages:my-roles")


@volunteer_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    match = _my_match(request, pk)
    data, errors = validated(ReasonNoteInput, request.POST)
    if data is None:
        messages.error(request, " ".join(m for msgs in errors.values() for m in msgs))
        return redirect("pages:my-roles")
    try:
        transitions.match_decline(match_id=match.pk, actor=request.user, **data)  # type: ignore[arg-type]
    except ApplicationError as error:
        return _refused(request, error)
    messages.success(request, _("You declined the offer."))
    return redirect("pages:my-roles")


@volunteer_required
@require_POST
def hours_log(request: HttpRequest, pk: int) -> HttpResponse:
    match = _my_match(request, pk)
    data, errors = validated(HoursInput, request.POST)
    if data is None:
        messages.error(request, " ".join(m for msgs in errors.values() for m in msgs))
        return redirect("pages:my-roles")
    try:
        hours_log_add(match_id=match.pk, actor=request.user, **data)  # type: ignore[arg-type]
    except ApplicationError as error:
        return _refused(request, error)
    messages.success(request, _("Your hours are logged; the coordinator will verify them."))
    return redirect("pages:my-roles")


@never_cache
@volunteer_required
@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    """A new private calendar address of the accepted roles (the API's reset: the old one stops
    working). Shown once, on the page that answers: only its hash is kept."""
    token = calendar_feed_reset(volunteer=volunteer_profile_of(user=request.user))
    url = request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": token}))
    return render(request, "pages/volunteer/calendar.html", {"url": url})
