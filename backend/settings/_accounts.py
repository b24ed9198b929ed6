"""Accounts: links, second factor, retention (docs/security.md).

A part of backend/settings/base.py, which imports every name here.
"""

import environ

env = environ.Env()

#: Where people open the product; emailed links (verification, reset) start with it.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://localhost:8000").rstrip("/")
#: A password-reset link works once and for this long (Django's setting, in seconds).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=60) * 60
#: An email-verification link works once and for this long.
EMAIL_VERIFICATION_TIMEOUT = env.int("EMAIL_VERIFICATION_TIMEOUT_HOURS", default=72) * 3600
#: Staff need a second factor (TOTP, django-otp) for the admin and for the API.
STAFF_SECOND_FACTOR_REQUIRED = env.bool("STAFF_SECOND_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Kindred Match"
#: Accounts unused this long are erased by the retention sweep, after two warning emails sent
#: ACCOUNT_RETENTION_WARNING_DAYS before (the first, then the second).
ACCOUNT_RETENTION_MONTHS = env.int("ACCOUNT_RETENTION_MONTHS", default=24)
ACCOUNT_RETENTION_WARNING_DAYS = tuple(
    env.list("ACCOUNT_RETENTION_WARNING_DAYS", cast=int, default=[30, 7])
)
