"""Writes about accounts, one module per concern: ``tokens`` (sign-in and API tokens),
``erasure`` (the account row's personal fields). Creating a volunteer account is
``volunteers.services.registration.volunteer_register`` (it creates the profile too)."""

from .erasure import SIGN_IN_RECORDS, erased_email, sign_in_records, user_erase
from .tokens import (
    DEFAULT_TOKEN_NAME,
    INVALID_CREDENTIALS_MESSAGE,
    user_token_issue,
    user_token_obtain,
    user_tokens_revoke_all,
)

__all__ = [
    "DEFAULT_TOKEN_NAME",
    "INVALID_CREDENTIALS_MESSAGE",
    "SIGN_IN_RECORDS",
    "erased_email",
    "sign_in_records",
    "user_erase",
    "user_token_issue",
    "user_token_obtain",
    "user_tokens_revoke_all",
]
