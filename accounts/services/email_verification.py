"""Email verification: the owner of an address proves they receive it by following a link that
works once and expires (``EMAIL_VERIFICATION_TIMEOUT``, 72 hours). Until then a volunteer is not
matched and the account cannot register an organization."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int
from django.utils.translation import gettext, gettext_noop

from accounts.events import EmailVerified
from accounts.services.links import account_email_queue, link_user, public_link
from accounts.services.mail import account_email_send
from backend.errors import ApplicationError
from backend.events import emit

VERIFICATION_LINK_INVALID_CODE = "verification_link_invalid"
VERIFICATION_LINK_INVALID_MESSAGE = gettext_noop(
    "This verification link does not work: it was already used, it expired, or it was copied "
    "incompletely. Sign in and ask for a new one."
)
EMAIL_VERIFIED_MESSAGE = gettext_noop("Your email address is verified.")
VERIFICATION_SENT_MESSAGE = gettext_noop(
    "If your email address is not verified yet, a new link is on its way: check your email."
)

VERIFICATION_TITLE = "Confirm your email address for Kindred Match"
VERIFICATION_BODY = (
    "Hello,\n\nThanks for signing up to Kindred Match. To confirm that {email} is your address, "
    "open this link and press the button on the page:\n\n{link}\n\n"
    "The link works once and expires in {hours} hours. Until you confirm, no organization is "
    "suggested to you.\n\nIf you did not sign up, ignore this email: nothing happens.\n"
)
SIGN_UP_ATTEMPT_TITLE = "Someone tried to sign up to Kindred Match with your address"
SIGN_UP_ATTEMPT_BODY = (
    "Hello,\n\nSomeone (perhaps you) just tried to create a Kindred Match account with {email}. "
    "This address already has an account, so nothing was changed and no second account was "
    'made.\n\nIf it was you: sign in with your password. If you forgot it, choose "Forgot your '
    'password?" in the app to get a link that sets a new one.\n\n'
    "If it was not you, you need do nothing: your account and password are unchanged.\n"
)


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, salted apart, hashing the address and when it was verified: a link
    stops working once used (``email_verified_at`` changes) or when the address changes, and
    expires after ``EMAIL_VERIFICATION_TIMEOUT`` rather than the reset's hour."""

    key_salt = "accounts.services.email_verification.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        verified_at = "" if user.email_verified_at is None else user.email_verified_at.isoformat()
        return f"{user.pk}{user.email}{verified_at}{timestamp}{user.is_active}"

    def check_token(self, user: Any, token: str | None) -> bool:
        # Django's check, with this generator's own expiry.
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.EMAIL_VERIFICATION_TIMEOUT


email_verification_token_generator = EmailVerificationTokenGenerator()


def email_verification_link(*, user: Any) -> str:
    token = email_verification_token_generator.make_token(user)
    return public_link("account-verify-email", user=user, token=token)


def email_verification_request(*, user: Any) -> bool:
    """Queue a verification email for ``user`` unless the address is verified already; whether
    one was queued."""
    if user.email_verified:
        return False
    account_email_queue(task_name="email_verification_task", user_id=user.pk)
    return True


def _verification_link_invalid() -> ApplicationError:
    return ApplicationError(
        gettext(VERIFICATION_LINK_INVALID_MESSAGE), code=VERIFICATION_LINK_INVALID_CODE
    )


def user_email_mark_verified(*, user: Any, at: dt.datetime | None = None) -> bool:
    """Record that the owner of ``user`` receives its email (idempotent); whether it changed.
    Call inside a transaction that holds the user's row."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = at or timezone.now()
    user.save(update_fields=["email_verified_at"])
    emit(EmailVerified(actor_id=user.pk, user_id=user.pk))
    return True


@transaction.atomic
def user_email_verify(*, uidb64: str, token: str) -> Any:
    """Follow a verification link: the address is verified and the link stops working. A used,
    expired or broken link is refused with one message."""
    candidate = link_user(uidb64)
    if candidate is None:
        raise _verification_link_invalid()
    # Locked, then checked: two clicks at once cannot both pass (the second sees the first's
    # ``email_verified_at``, which the token hashes).
    user = get_user_model().objects.select_for_update().get(pk=candidate.pk)
    if user.email_verified or not email_verification_token_generator.check_token(user, token):
        raise _verification_link_invalid()
    user_email_mark_verified(user=user)
    return user


def email_verification_link_valid(*, uidb64: str, token: str) -> bool:
    """Whether the link would verify (the page's GET shows the button or the refusal; it does
    not consume the link, so a mail scanner that fetches it changes nothing)."""
    user = link_user(uidb64)
    return (
        user is not None
        and not user.email_verified
        and email_verification_token_generator.check_token(user, token)
    )


def _active_user(user_id: int) -> Any | None:
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def email_verification_send(*, user_id: int) -> bool:
    """Email the verification link (the worker); False when the account is gone or verified."""
    user = _active_user(user_id)
    if user is None or user.email_verified:
        return False
    hours = settings.EMAIL_VERIFICATION_TIMEOUT // 3600
    account_email_send(
        user=user,
        subject=VERIFICATION_TITLE,
        body=VERIFICATION_BODY.format(
            email=user.email, link=email_verification_link(user=user), hours=hours
        ),
    )
    return True


def sign_up_attempt_send(*, user_id: int) -> bool:
    """Tell the owner of an address that someone tried to sign up with it (the worker)."""
    user = _active_user(user_id)
    if user is None:
        return False
    account_email_send(
        user=user,
        subject=SIGN_UP_ATTEMPT_TITLE,
        body=SIGN_UP_ATTEMPT_BODY.format(email=user.email),
    )
    return True
