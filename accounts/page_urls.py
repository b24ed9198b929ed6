"""The pages emailed links open (verify an address, set a new password): accounts/pages.py."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
