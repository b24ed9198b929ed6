"""Forms of the pages. They check what a person typed into a browser (the shape); the rules stay
in the services, and a service's refusal is put back on the form's fields (``add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from backend.errors import ApplicationError
from matching.engine import rules
from opportunities.filters import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MAX_RADIUS_MI
from pages import labels
from taxonomy.models import Cause, Skill


def add_service_errors(form: forms.Form, error: ApplicationError) -> None:
    """A service's refusal on the form: each field's messages beside the field, the rest (and the
    overall message when no field is named) at the top."""
    placed = False
    for name, messages in (error.fields or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(name if name in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)
    otp = forms.CharField(
        label=_("Code from your authenticator app (staff only)"),
        required=False,
        max_length=12,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["otp"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric")


class SignUpForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name, as coordinators will see it"), max_length=120
    )
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        max_length=128,
        help_text=_("At least 8 characters, not a common password and not only numbers."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["password"].widget.attrs["autocomplete"] = "new-password"


class RoleSearchForm(forms.Form):
    """The browse page's filters; turned into the API's own role filters (OpportunityFilter)."""

    q = forms.CharField(
        label=_("Words in the title or description"), required=False, max_length=200
    )
    cause = forms.ModelChoiceField(
        label=_("Cause"),
        queryset=Cause.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any cause"),
    )
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any skill"),
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=[("", _("Any way")), *labels.MODES.items()], required=False
    )
    postcode = forms.CharField(label=_("Near ZIP code"), required=False, max_length=12)
    radius_km = forms.IntegerField(
        label=_("Within (km)"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
    )
    include_remote = forms.BooleanField(
        label=_("Also show remote and phone roles"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The distance in the deployment's unit (settings.DISTANCE_UNIT), under the API's own
        # parameter for it: radius_km, or radius_mi, which the role filter turns into km.
        if settings.DISTANCE_UNIT == rules.MILES:
            del self.fields["radius_km"]
            self.fields["radius_mi"] = forms.IntegerField(
                label=_("Within (mi)"),
                required=False,
                min_value=1,
                max_value=MAX_RADIUS_MI,
                initial=round(rules.km_in(DEFAULT_RADIUS_KM, rules.MILES)),
            )
            self.order_fields([name for name in self.fields if name != "include_remote"])

    @property
    def radius(self) -> forms.BoundField:
        """The distance field, whichever unit it is in."""
        return self["radius_mi" if "radius_mi" in self.fields else "radius_km"]


class OrganizationDecisionForm(forms.Form):
    """Platform staff's decision on an organization; what each decision needs is the service's
    rule (``organization_verification_decide``), put back on these fields."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verified", _("Verify")), ("refused", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    registration_number = forms.CharField(
        label=_("Registered charity or EIN number you checked"),
        required=False,
        max_length=64,
        help_text=_("Needed to verify; the number the organization gave is used when empty."),
    )
    website = forms.URLField(
        label=_("Website you checked"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )
    contact = forms.CharField(
        label=_("Who confirmed the organization, and how"),
        required=False,
        max_length=300,
        help_text=_("Needed to verify."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to refuse: why the organization is refused."),
    )


class BackgroundCheckForm(forms.Form):
    """The outcome of a background check staff have seen (``background_check_record``)."""

    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("cleared", _("Cleared")),
            ("pending", _("Still pending")),
            ("expired", _("Expired")),
            ("none", _("No check")),
        ],
    )
    cleared_on = forms.DateField(label=_("Cleared on (YYYY-MM-DD)"), required=False)
    expires_on = forms.DateField(label=_("Expires on (YYYY-MM-DD)"), required=False)
    note = forms.CharField(
        label=_("Note: the evidence you saw (kept with the check)"),
        required=False,
        max_length=500,
    )
