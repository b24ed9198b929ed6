"""Registration: a new volunteer account and its empty profile, all or nothing, answered the same
whether or not the address already has an account (the emails tell the owner which it was)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from accounts.services.email_verification import email_verification_request
from accounts.services.links import account_email_queue
from backend.errors import ApplicationError
from volunteers.models import VolunteerProfile

INVALID_REGISTRATION_MESSAGE = gettext_noop("The account could not be created.")
#: The one answer to every well-formed sign-up, new address or not: no token, no ids.
REGISTRATION_ACCEPTED_MESSAGE = gettext_noop(
    "Check your email: we sent a message to this address with what to do next."
)


def _validated_profile(*, email: str, password: str, display_name: str) -> VolunteerProfile:
    """Every check that depends on what was typed, never on who has an account, so a refusal
    reveals nothing about the address."""
    user_model = get_user_model()
    errors: dict[str, list[str]] = {}
    try:
        # Validated against an unsaved user so the similarity check compares with the email.
        validate_password(password, user=user_model(email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    profile = VolunteerProfile(display_name=display_name.strip())
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as exc:
        errors.update({name: list(messages) for name, messages in exc.message_dict.items()})
    if errors:
        raise ApplicationError(gettext(INVALID_REGISTRATION_MESSAGE), fields=errors)
    return profile


@transaction.atomic
def volunteer_register(*, email: str, password: str, display_name: str) -> VolunteerProfile | None:
    """Sign up as a volunteer. A new address gets an account (not yet verified), an empty profile
    and a verification email; an address that has an account changes nothing and its owner is
    told that someone tried. The profile, or None when the address was taken; the API answers
    both the same."""
    user_model = get_user_model()
    email = email.strip().lower()
    profile = _validated_profile(email=email, password=password, display_name=display_name)

    existing = user_model.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            # A savepoint: two sign-ups with one address at the same moment both find no account;
            # the case-insensitive unique constraint refuses the second, which is then answered
            # like any sign-up with a taken address.
            with transaction.atomic():
                user = user_model.objects.create_user(email=email, password=password)
        except IntegrityError:
            existing = user_model.objects.filter(email__iexact=email).first()
        else:
            profile.user = user
            profile.save()
            email_verification_request(user=user)
            return profile

    # As slow as creating the account (one password hash), so the time taken does not tell
    # either.
    make_password(password)
    if existing is not None and existing.is_active:
        account_email_queue(task_name="sign_up_attempt_email_task", user_id=existing.pk)
    return None
