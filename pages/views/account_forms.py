"""The forms of the account pages (password change and reset, ratings). They check the shape of
what was typed; the rules (the old password, the validators, who may rate) stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from backend.errors import ApplicationError
from pages.forms import add_service_errors

PASSWORDS_DIFFER_MESSAGE = gettext_noop("The two passwords do not match.")
#: The services name the new password ``new_password``; the forms ask for it twice.
_SERVICE_FIELDS = {"new_password": "new_password1"}


def add_password_errors(form: forms.Form, error: ApplicationError) -> None:
    """``add_service_errors`` with the services' ``new_password`` put beside the first box."""
    fields = {_SERVICE_FIELDS.get(name, name): msgs for name, msgs in (error.fields or {}).items()}
    renamed = ApplicationError(error.message, code=error.code, fields=fields)
    add_service_errors(form, renamed)


class _NewPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        max_length=128,
        help_text=_("At least 8 characters, not a common password and not only numbers."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput, max_length=128
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", gettext(PASSWORDS_DIFFER_MESSAGE))
        return data


class PasswordChangeForm(_NewPasswordForm):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput, max_length=128
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"


class PasswordResetConfirmForm(_NewPasswordForm):
    """The page the emailed link opens. Ids without the ``id_`` prefix (``new_password1``), as the
    link's first page had them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
