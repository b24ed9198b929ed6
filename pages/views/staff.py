"""Platform staff's queues: organizations awaiting verification, background checks and trainings
awaiting verification (or a coordinator's verification awaiting staff's confirmation), each with
the evidence to look at. The decisions are the services the API and the Django admin call
(``organization_verification_decide``, ``background_check_record``/``_confirm``,
``training_verify``/``_confirm``), so every guard and audit entry holds here too.

Staff only, with the second factor passed (as the API counts a staff session): 403 for anyone
else."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import second_factor
from backend.errors import ApplicationError
from organizations.models import Organization, VerificationStatus
from organizations.services.verification import organization_verification_decide
from pages.forms import BackgroundCheckForm, OrganizationDecisionForm, add_service_errors
from pages.views.common import View, signed_in_required
from volunteers.models import BackgroundCheckStatus, TrainingRecord, VolunteerProfile
from volunteers.permissions import is_platform_staff
from volunteers.services.verification import (
    background_check_confirm,
    background_check_record,
    training_confirm,
    training_verify,
)

QUEUE_SIZE = 100


def staff_required(view: View) -> View:
    @signed_in_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_platform_staff(request.user) or not second_factor.session_passes(
            request, request.user
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)  # type: ignore[return-value]

    return wrapped


def _checks_waiting(user: object) -> QuerySet[VolunteerProfile]:
    """Declared as applied for and not yet recorded, or recorded by a coordinator for their own
    organization only (staff confirm it to count everywhere). Never the reader's own profile."""
    return (
        VolunteerProfile.objects.filter(
            Q(
                background_check_status=BackgroundCheckStatus.PENDING,
                background_check_verified_at__isnull=True,
            )
            | Q(background_check_verified_for__isnull=False)
        )
        .exclude(user_id=getattr(user, "pk", 0))
        .select_related("user", "background_check_verified_for")
        .order_by("updated_at", "pk")
    )


def _trainings_waiting(user: object) -> QuerySet[TrainingRecord]:
    return (
        TrainingRecord.objects.filter(Q(verified=False) | Q(verified_for__isnull=False))
        .exclude(profile__user_id=getattr(user, "pk", 0))
        .select_related("profile", "training_type", "verified_for")
        .order_by("created_at", "pk")
    )


@staff_required
def organizations_queue(request: HttpRequest) -> HttpResponse:
    waiting = Organization.objects.filter(verification_status=VerificationStatus.PENDING)
    context = {"organizations": waiting.order_by("created_at", "pk")[:QUEUE_SIZE]}
    return render(request, "pages/staff/organizations.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def organization_decide(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    initial = {
        "registration_number": organization.registration_number,
        "website": organization.website,
    }
    form = OrganizationDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organization_verification_decide(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["decision"] == VerificationStatus.VERIFIED:
                done = _("%(name)s is verified: its roles can be published.")
            else:
                done = _("%(name)s is refused.")
            messages.success(request, done % {"name": organization.name})
            return redirect("pages:staff-organizations")
    context = {
        "organization": organization,
        "form": form,
        "members": organization.memberships.select_related("user").order_by("role", "pk"),
        "decisions": organization.verifications.select_related("decided_by").order_by(
            "-decided_at"
        ),
    }
    return render(
        request, "pages/staff/organization.html", context, status=400 if form.errors else 200
    )


@staff_required
def checks_queue(request: HttpRequest) -> HttpResponse:
    context = {"profiles": _checks_waiting(request.user)[:QUEUE_SIZE]}
    return render(request, "pages/staff/checks.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def check_record(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(_checks_waiting(request.user), pk=pk)
    form = BackgroundCheckForm(request.POST or None)
    if request.method == "POST" and "confirm" in request.POST:
        try:
            background_check_confirm(
                profile=profile, confirmed_by=request.user, note=request.POST.get("note", "")
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Confirmed: the check counts for every role."))
        return redirect("pages:staff-checks")
    if request.method == "POST" and form.is_valid():
        try:
            background_check_record(profile=profile, verified_by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The check is recorded."))
            return redirect("pages:staff-checks")
    context = {"profile": profile, "form": form}
    return render(request, "pages/staff/check.html", context, status=400 if form.errors else 200)


@staff_required
def trainings_queue(request: HttpRequest) -> HttpResponse:
    context = {"records": _trainings_waiting(request.user)[:QUEUE_SIZE]}
    return render(request, "pages/staff/trainings.html", context)


@staff_required
@require_POST
def training_decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_trainings_waiting(request.user), pk=pk)
    try:
        note = request.POST.get("note", "")
        if record.verified:
            training_confirm(record=record, confirmed_by=request.user, note=note)
        else:
            training_verify(record=record, verified_by=request.user, note=note)
    except ApplicationError as error:
        found = [str(m) for msgs in (error.fields or {}).values() for m in msgs]
        messages.error(request, " ".join(found) or error.message)
    else:
        messages.success(request, _("Verified: the training counts for every role."))
    return redirect("pages:staff-trainings")
