"""Organization staff's role pages: post a role, edit it, publish and close it, with the live
preview of how many volunteers it would reach (``matching.preview``). Input is checked by the
API's input serializer; the writes are the API's services (``opportunity_create``,
``opportunity_update``...), with the API's permission rules (opportunities/permissions.py).

The role form is one template for both pages (organization/role_form.html). A change in it asks
for the preview by htmx after a short pause; without JavaScript the "Preview" button does the
same with a full page. A save never previews and a preview never saves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backend.errors import ApplicationError
from matching.preview import opportunity_preview
from opportunities import permissions
from opportunities.api.serializers import OpportunityInputSerializer
from opportunities.models import Opportunity
from opportunities.services import (
    opportunity_close,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
)
from organizations.models import Organization
from organizations.selectors import organizations_of_member
from pages import labels
from pages.views.common import signed_in_required, validated, within_budget
from taxonomy.availability import DAYS, PARTS_OF_DAY
from taxonomy.models import Cause, Language, Skill, TrainingType

#: Fields of the form typed as text; empty numbers and dates mean "none".
ROLE_TEXT_FIELDS = ("title", "description", "postcode", "address", "capacity")
ROLE_OPTIONAL_FIELDS = ("hours_per_week", "min_age", "starts_on", "ends_on")
ROLE_LISTS = ("causes", "required_skills", "availability", "required_trainings", "languages")
ROLE_FLAGS = ("hide_address", "background_check_required")
#: What the engine reads of a role that the form does not show: an edit's preview keeps them.
HIDDEN_RULE_FIELDS = ("audience", "schedule_fixed", "skills_learnable_on_the_job")
PREVIEW_PAUSED_MESSAGE = gettext_lazy(
    "The preview is paused: too many just now. Try again in a minute."
)


def _errors_of(error: ApplicationError | ValidationError) -> dict[str, list[str]]:
    """A service's refusal by field: its own error, or the model's ``full_clean``."""
    if isinstance(error, ValidationError):
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        return {name: list(msgs) for name, msgs in fields.items()} or {"__all__": error.messages}
    found = {name: [str(m) for m in msgs] for name, msgs in (error.fields or {}).items()}
    return found or {"__all__": [error.message]}


def _my_organization(request: HttpRequest, pk: int) -> Organization:
    organization = organizations_of_member(user=request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def _my_role(request: HttpRequest, pk: int, allowed: Any) -> Opportunity:
    # A role of an organization the caller is not a member of is not found (the API's 404).
    role = (
        Opportunity.objects.filter(organization__in=organizations_of_member(user=request.user))
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if role is None:
        raise Http404
    if not allowed(request.user, role):
        raise PermissionDenied
    return role


def _role_input(post: QueryDict) -> dict[str, Any]:
    """What the form sent, shaped as the API's body: every field the form shows, so an edit
    that clears a field clears it (and fields the form does not show are left alone)."""
    data: dict[str, Any] = {"mode": post.get("mode", "")}
    for name in ROLE_TEXT_FIELDS:
        data[name] = post.get(name, "").strip()
    if not data["capacity"]:
        del data["capacity"]  # the model's default (one place) when posting
    for name in ROLE_OPTIONAL_FIELDS:
        data[name] = post.get(name, "").strip() or None
    for name in ROLE_LISTS:
        data[name] = post.getlist(name)
    for name in ROLE_FLAGS:
        data[name] = name in post
    return data


def _sent_of(role: Opportunity) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The form filled from a saved role: its values as typed text, its lists as chosen keys."""
    sent: dict[str, Any] = {name: getattr(role, name) for name in ("mode", *ROLE_TEXT_FIELDS)}
    for name in ROLE_OPTIONAL_FIELDS:
        value = getattr(role, name)
        sent[name] = "" if value is None else str(value)
    for name in ROLE_FLAGS:
        sent[name] = getattr(role, name)
    chosen = {
        "causes": {c.slug for c in role.causes.all()},
        "required_skills": {s.slug for s in role.required_skills.all()},
        "required_trainings": {t.slug for t in role.required_trainings.all()},
        "languages": {language.code for language in role.languages.all()},
        "availability": set(role.availability or ()),
    }
    return sent, chosen


def _preview(
    request: HttpRequest, organization: Organization, role: Opportunity | None
) -> tuple[Any, dict[str, list[str]]]:
    """The preview of what the form holds, or the form's messages when it cannot be read."""
    if not within_budget(request, "role_preview"):
        return {"paused": PREVIEW_PAUSED_MESSAGE}, {}
    body = {"organization": organization.pk, **_role_input(request.POST)}
    data, errors = validated(OpportunityInputSerializer, body, context={"request": request})
    if data is None:
        return None, errors
    if role is not None:
        for name in HIDDEN_RULE_FIELDS:
            data.setdefault(name, getattr(role, name))
        data.setdefault("preferred_skills", list(role.preferred_skills.all()))
        if data.get("postcode") == role.postcode and role.latitude is not None:
            data["latitude"], data["longitude"] = role.latitude, role.longitude
    return opportunity_preview(organization=organization, data=data), {}


def _form_page(
    request: HttpRequest,
    organization: Organization,
    role: Opportunity | None,
    *,
    errors: dict[str, list[str]],
    preview: Any = None,
    sent: Any = None,
    chosen: dict[str, set[str]] | None = None,
) -> HttpResponse:
    if chosen is None:
        chosen = {name: set(request.POST.getlist(name)) for name in ROLE_LISTS}
    context = {
        "organization": organization,
        "role": role,
        "errors": errors,
        "preview": preview,
        "previewing": organization.is_verified,
        "sent": request.POST if sent is None else sent,
        "chosen": chosen,
        "causes": Cause.objects.all(),
        "skills": Skill.objects.all(),
        "trainings": TrainingType.objects.all(),
        "languages": Language.objects.all(),
        "modes": list(labels.MODES.items()),
        "days": [(day, labels.DAYS[day]) for day in DAYS],
        "parts": [(part, labels.PARTS_OF_DAY[part]) for part in PARTS_OF_DAY],
    }
    template = "pages/organization/role_edit.html" if role else "pages/organization/role_new.html"
    return render(request, template, context, status=400 if errors else 200)


def _answer_preview(
    request: HttpRequest, organization: Organization, role: Opportunity | None
) -> HttpResponse:
    preview, errors = _preview(request, organization, role)
    if getattr(request, "htmx", False):
        # While the form is half typed the preview says so; the fields' messages wait for Save.
        context = {
            "preview": preview,
            "incomplete": bool(errors),
            "previewing": organization.is_verified,
        }
        return render(request, "pages/organization/role_preview.html", context)
    return _form_page(request, organization, role, errors=errors, preview=preview)


@signed_in_required
@require_http_methods(["GET", "POST"])
def role_new(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _my_organization(request, pk)
    if request.method == "POST" and "preview" in request.POST:
        return _answer_preview(request, organization, None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        body = {"organization": organization.pk, **_role_input(request.POST)}
        data, errors = validated(OpportunityInputSerializer, body, context={"request": request})
        if data is not None:
            try:
                opportunity_create(**data, actor=request.user)
            except (ApplicationError, ValidationError) as error:
                errors = _errors_of(error)
            else:
                messages.success(request, _("The role is saved as a draft. Publish it when ready."))
                return redirect("pages:organization", pk=organization.pk)
    sent = None if request.method == "POST" else {"capacity": "1", "mode": "in_person"}
    return _form_page(request, organization, None, errors=errors, sent=sent)


@signed_in_required
@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = _my_role(request, pk, permissions.can_edit_opportunity)
    organization = role.organization
    if request.method == "POST" and "preview" in request.POST:
        return _answer_preview(request, organization, role)
    if request.method == "GET":
        sent, chosen = _sent_of(role)
        return _form_page(request, organization, role, errors={}, sent=sent, chosen=chosen)
    data, errors = validated(
        OpportunityInputSerializer,
        _role_input(request.POST),
        partial=True,
        context={"request": request},
    )
    if data is not None:
        try:
            opportunity_update(opportunity=role, data=data, actor=request.user)
        except (ApplicationError, ValidationError) as error:
            errors = _errors_of(error)
        else:
            messages.success(request, _("The role is saved."))
            return redirect("pages:organization", pk=organization.pk)
    return _form_page(request, organization, role, errors=errors)


@signed_in_required
@require_POST
def role_publish(request: HttpRequest, pk: int) -> HttpResponse:
    role = _my_role(request, pk, permissions.can_publish_opportunity)
    try:
        opportunity_publish(opportunity=role, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published: volunteers can find the role now."))
    return redirect("pages:organization", pk=role.organization_id)


@signed_in_required
@require_POST
def role_close(request: HttpRequest, pk: int) -> HttpResponse:
    role = _my_role(request, pk, permissions.can_close_opportunity)
    try:
        opportunity_close(opportunity=role, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Closed: the role is no longer shown."))
    return redirect("pages:organization", pk=role.organization_id)
