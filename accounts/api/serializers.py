from __future__ import annotations

from rest_framework import serializers


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    # Not trimmed: leading or trailing spaces are part of what the person typed. The cap keeps a
    # megabyte "password" away from the hasher.
    password = serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)
    display_name = serializers.CharField(max_length=120)


class RegisteredSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id", help_text="The account's id.")
    volunteer_id = serializers.IntegerField(source="id", help_text="The volunteer profile's id.")
    email = serializers.EmailField(source="user.email")
    display_name = serializers.CharField()
    token = serializers.CharField(source="user.auth_token.key")


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key")
