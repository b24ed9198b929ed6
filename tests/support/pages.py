"""What the page tests share: a browser (Django's test client) signed in as someone, or nobody."""

from __future__ import annotations

from django.test import Client


def browser_for(user) -> Client:
    """A test client with ``user`` signed in by session (None: anonymous)."""
    browser = Client()
    if user is not None:
        browser.force_login(user)
    return browser
