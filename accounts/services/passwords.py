"""Password change (with the old password) and reset (by an emailed link that works once and
expires after ``PASSWORD_RESET_TIMEOUT``, 60 minutes). Either one signs the account out
everywhere: every API token is revoked (and every other session no longer matches the password's
hash); the owner is told by email."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from accounts.services.email_verification import user_email_mark_verified
from accounts.services.links import account_email_queue, link_user, public_link
from accounts.services.mail import account_email_send
from accounts.services.tokens import DEFAULT_TOKEN_NAME, user_token_issue, user_tokens_revoke_all
from backend.errors import ApplicationError

# Messages are marked for the catalogue (gettext_noop) and translated where they are raised, so a
# page or an API caller reading Spanish gets them in Spanish; tests compare the English constants.
OLD_PASSWORD_WRONG_MESSAGE = gettext_noop("That is not your current password.")
PASSWORD_NOT_CHANGED_MESSAGE = gettext_noop("Your password was not changed.")
RESET_LINK_INVALID_CODE = "reset_link_invalid"
RESET_LINK_INVALID_MESSAGE = gettext_noop(
    "This password reset link does not work: it was already used, it expired, or it was copied "
    "incompletely. Ask for a new one."
)
RESET_REQUESTED_MESSAGE = gettext_noop(
    "If an account uses this email address, a link to set a new password is on its way: check "
    "your email. The link expires in {minutes} minutes."
)

RESET_TITLE = "Set a new password for Kindred Match"
RESET_BODY = (
    "Hello,\n\nSomeone (perhaps you) asked to set a new password for the Kindred Match account "
    "of {email}. To choose one, open this link:\n\n{link}\n\n"
    "The link works once and expires in {minutes} minutes. Setting a new password signs you "
    "out on every device.\n\nIf you did not ask, ignore this email: your password stays as it "
    "is.\n"
)
CHANGED_TITLE = "Your Kindred Match password was changed"
CHANGED_BODY = (
    "Hello,\n\nThe password of the Kindred Match account of {email} was just changed, and "
    "every device signed in to it was signed out.\n\n"
    'If this was you, nothing more to do. If it was not, choose "Forgot your password?" in the '
    "app at once to set a new one, and tell us by replying to this email.\n"
)


def reset_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


def _validated(new_password: str, *, user: Any) -> None:
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise ApplicationError(
            gettext(PASSWORD_NOT_CHANGED_MESSAGE), fields={"new_password": list(exc.messages)}
        ) from None


def _password_set(*, user: Any, new_password: str) -> None:
    """Set the password and end every sign-in: tokens revoked here, other sessions by the new
    password's hash (Django checks it on every request)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke_all(user=user)
    account_email_queue(task_name="password_changed_email_task", user_id=user.pk)


@transaction.atomic
def user_password_change(
    *,
    user: Any,
    old_password: str,
    new_password: str,
    token_name: str = DEFAULT_TOKEN_NAME,
    user_agent: str = "",
    issue_token: bool = True,
) -> str:
    """Change the password of a signed-in account. Every token of the account is revoked and a
    new one issued for the calling device (the secret is returned, shown once), so the caller
    stays signed in and everyone else is out. A browser keeps its session instead (the page
    updates the session's hash): ``issue_token=False`` issues none and returns ""."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ApplicationError(
            gettext(PASSWORD_NOT_CHANGED_MESSAGE),
            fields={"old_password": [gettext(OLD_PASSWORD_WRONG_MESSAGE)]},
        )
    _validated(new_password, user=user)
    _password_set(user=user, new_password=new_password)
    if not issue_token:
        return ""
    _, secret = user_token_issue(user=user, name=token_name, user_agent=user_agent)
    return secret


def user_password_reset_request(*, email: str) -> bool:
    """Email a reset link if an active account with a usable password has this address; the caller
    answers the same either way (whether one was queued is for tests and logs only)."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    account_email_queue(task_name="password_reset_email_task", user_id=user.pk)
    return True


def _reset_link_invalid() -> ApplicationError:
    return ApplicationError(gettext(RESET_LINK_INVALID_MESSAGE), code=RESET_LINK_INVALID_CODE)


def password_reset_link_valid(*, uidb64: str, token: str) -> bool:
    """Whether the link would set a password (the page's GET; checking does not consume it)."""
    user = link_user(uidb64)
    return user is not None and default_token_generator.check_token(user, token)


@transaction.atomic
def user_password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> Any:
    """Set a new password from a reset link. The link stops working (Django's token hashes the
    password), every token is revoked, and the account's sign-in lockout is lifted (django-axes),
    since the owner just proved they hold the address. Following the link also proves the
    address, so an unverified one becomes verified."""
    candidate = link_user(uidb64)
    if candidate is None:
        raise _reset_link_invalid()
    # Locked, then checked: two submissions of one link cannot both pass.
    user = get_user_model().objects.select_for_update().get(pk=candidate.pk)
    if not default_token_generator.check_token(user, token):
        raise _reset_link_invalid()
    _validated(new_password, user=user)
    _password_set(user=user, new_password=new_password)
    user_email_mark_verified(user=user)
    # Sign-in records are keyed by the address as typed, normalised (accounts/lockout.py).
    axes_reset(username=user.email)
    return user


def password_reset_email_send(*, user_id: int) -> bool:
    """Email a reset link (the worker); False when the account is gone or deactivated."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    link = public_link(
        "pages:password-reset-confirm", user=user, token=default_token_generator.make_token(user)
    )
    account_email_send(
        user=user,
        subject=RESET_TITLE,
        body=RESET_BODY.format(email=user.email, link=link, minutes=reset_minutes()),
    )
    return True


def password_changed_email_send(*, user_id: int) -> bool:
    """Tell the owner their password changed (the worker)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    account_email_send(
        user=user,
        subject=CHANGED_TITLE,
        body=CHANGED_BODY.format(email=user.email),
    )
    return True
