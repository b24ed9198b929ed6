from __future__ import annotations

from rest_framework import serializers


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key")
