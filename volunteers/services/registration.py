"""Registration: a new volunteer account, its empty profile and its API token, all or nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from backend.errors import ApplicationError
from volunteers.models import VolunteerProfile

EMAIL_TAKEN_MESSAGE = "An account with this email address already exists."
INVALID_REGISTRATION_MESSAGE = "The account could not be created."


@transaction.atomic
def volunteer_register(*, email: str, password: str, display_name: str) -> VolunteerProfile:
    """A new volunteer account, its empty profile and its API token, all or nothing."""
    user_model = get_user_model()
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    if user_model.objects.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN_MESSAGE]
    try:
        # Validated against an unsaved user so the similarity check compares with the email.
        validate_password(password, user=user_model(email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ApplicationError(INVALID_REGISTRATION_MESSAGE, fields=errors)

    try:
        # A savepoint: two sign-ups with one address at the same moment both pass the check above;
        # the case-insensitive unique constraint refuses the second, which gets the same answer.
        with transaction.atomic():
            user = user_model.objects.create_user(email=email, password=password)
    except IntegrityError:
        raise ApplicationError(
            INVALID_REGISTRATION_MESSAGE, fields={"email": [EMAIL_TAKEN_MESSAGE]}
        ) from None
    profile = VolunteerProfile(user=user, display_name=display_name.strip())
    profile.full_clean()
    profile.save()
    from accounts.services import user_token_issue

    _, profile.issued_token = user_token_issue(user=user, name="Sign-up")  # type: ignore[attr-defined]
    return profile
