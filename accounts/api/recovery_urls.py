"""API routes for password change and reset and for email verification (accounts/api/recovery_views.py)."""

from django.urls import URLPattern, URLResolver, path

from .recovery_views import (
    EmailVerificationResendView,
    EmailVerifyView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetRequestView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/password/change/", PasswordChangeView.as_view(), name="auth-password-change"),
    path("auth/password/reset/", PasswordResetRequestView.as_view(), name="auth-password-reset"),
    path(
        "auth/password/reset/confirm/",
        PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("auth/email/verify/", EmailVerifyView.as_view(), name="auth-email-verify"),
    path(
        "auth/email/verify/resend/",
        EmailVerificationResendView.as_view(),
        name="auth-email-verify-resend",
    ),
]
