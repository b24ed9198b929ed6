from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from knox.models import AbstractAuthToken


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


# knox's abstract token points at settings.AUTH_USER_MODEL, which django-stubs cannot follow.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """People sign in with their email address; there is no separate username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    #: When the owner followed the link sent to ``email`` (accounts/services/email_verification.py).
    #: A volunteer is matched, and an organization submitted for verification, only once it is set.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    #: The last day the account signed in or used the API (accounts/activity.py); the retention
    #: sweep erases accounts inactive for ``ACCOUNT_RETENTION_MONTHS``.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    #: Inactivity warnings sent since ``last_seen_at`` (0, 1 or 2), and when the last one went.
    inactivity_warnings_sent = models.PositiveSmallIntegerField(default=0)
    inactivity_warned_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Personal data (backend/personal.py): the account row is erased by accounts.services.user_erase.
    PERSONAL_OWNER = ("pk",)
    PERSONAL_FIELDS = ("email", "first_name", "last_name")
    PERSONAL_ERASURE = "account"
    PERSONAL_EXPORT_EXCLUDE = ("password",)

    objects = UserManager()  # type: ignore[misc,assignment]  # email-based manager replaces the username one

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class DeviceToken(AbstractAuthToken):
    """An API token for one device or client (django-rest-knox's token, swapped in by
    ``KNOX_TOKEN_MODEL``): only a digest of the secret is stored; it has a name its owner gave it,
    an expiry, and the last time it was used. Its owner lists and revokes them."""

    name = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_OWNER = ("user",)
    PERSONAL_FIELDS = ("name", "user_agent")
    PERSONAL_ERASURE = "delete"
    PERSONAL_EXPORT_EXCLUDE = ("digest",)
    PERSONAL_EXPORT_KEY = "token_key"

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"
