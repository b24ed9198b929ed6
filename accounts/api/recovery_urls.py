"""API routes for password change and reset and for email verification (accounts/api/recovery_views.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
