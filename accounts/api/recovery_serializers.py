"""Input and output of password change and reset and of email verification."""

from __future__ import annotations

from rest_framework import serializers


def _password() -> serializers.CharField:
    # Not trimmed (spaces are part of what was typed); the cap keeps a megabyte "password" away
    # from the hasher.
    return serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)


def _uid() -> serializers.CharField:
    return serializers.CharField(max_length=64)  # a uidb64 is a few characters


def _token() -> serializers.CharField:
    return serializers.CharField(max_length=128)  # "<timestamp>-<32 hex>"


class PasswordChangeSerializer(serializers.Serializer):
    old_password = _password()
    new_password = _password()


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = _uid()
    token = _token()
    new_password = _password()


class EmailVerifySerializer(serializers.Serializer):
    uid = _uid()
    token = _token()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="A new token for this device; every other is revoked.")
