"""The pages emailed links open (verify an address, set a new password): accounts/pages.py."""

from django.urls import URLPattern, URLResolver, path

from . import pages

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "verify-email/<str:uidb64>/<str:token>/",
        pages.verify_email_page,
        name="account-verify-email",
    ),
    path(
        "reset/<str:uidb64>/<str:token>/", pages.password_reset_page, name="account-password-reset"
    ),
]
