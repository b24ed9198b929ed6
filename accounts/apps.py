from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str = "default", verbosity: int = 1, **_: Any) -> None:
    """Django's database cache (the embedded default of ``CACHES``) needs its table, which
    ``migrate`` does not make: make it after every ``migrate`` (a no-op when it exists or when the
    cache is not a database cache), so a fresh clone, CI and the containers never miss it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from accounts import schema  # noqa: F401  (registers the schema's authentication schemes)
        from accounts.admin_site import SecondFactorAdminSite

        # The one admin site asks staff for their second factor (accounts/admin_site.py). Swapping
        # the class of ``admin.site`` (django-otp's documented way) keeps every registration and
        # backend/urls.py as they are.
        admin.site.__class__ = SecondFactorAdminSite

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="kindred-cache-table")
