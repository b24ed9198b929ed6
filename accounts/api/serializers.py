from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy, gettext_noop
from rest_framework import serializers

from accounts.models import DeviceToken
from accounts.services.tokens import DEFAULT_TOKEN_NAME

OTP_FORMAT_MESSAGE = gettext_noop("Enter the 6 digits of the code your authenticator app shows.")


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)
    #: What the owner calls this device or client ("Ada's phone"), shown in their token list.
    name = serializers.CharField(max_length=100, required=False, default=DEFAULT_TOKEN_NAME)
    #: A staff member's second factor: the current code of their authenticator app.
    otp = serializers.CharField(
        required=False,
        write_only=True,
        validators=[RegexValidator(r"^[0-9]{6}$", gettext_lazy(OTP_FORMAT_MESSAGE))],
    )


class TokenSerializer(serializers.Serializer):
    """The answer to a sign-in: the secret (shown this once) and the token's id, name and expiry."""

    token = serializers.CharField()
    token_id = serializers.CharField(source="instance.token_key")
    name = serializers.CharField(source="instance.name")
    expiry = serializers.DateTimeField(source="instance.expiry", allow_null=True)


class DeviceTokenSerializer(serializers.ModelSerializer):
    """One of the caller's tokens, as their token list shows it (never the secret or its digest)."""

    token_id = serializers.CharField(source="token_key")
    current = serializers.SerializerMethodField()

    class Meta:
        model = DeviceToken
        fields = ("token_id", "name", "user_agent", "created", "expiry", "last_used_at", "current")
        read_only_fields = fields

    def get_current(self, token: DeviceToken) -> bool:
        """Whether this is the token making the request."""
        in_use: Any = self.context.get("token_in_use")
        return isinstance(in_use, DeviceToken) and in_use.digest == token.digest
