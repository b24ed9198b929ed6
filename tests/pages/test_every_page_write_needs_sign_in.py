"""Every page address but the public ones sends a signed-out visitor to sign in (or refuses the
method): derived from pages/urls.py, so a new page cannot skip the table. Who of the signed-in may
act is in each audience's tests."""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from pages import urls

#: Open to everyone by design: signing in, up and out.
PUBLIC_WRITES = {"sign-in", "sign-up", "sign-out", "password-reset", "password-reset-confirm"}
#: Pages anyone may read.
PUBLIC_READS = {
    *("home", "roles", "role", "sign-in", "sign-up", "sign-up-sent"),
    *("password-reset", "password-reset-sent", "password-reset-confirm"),
}

pytestmark = pytest.mark.django_db


def page_paths() -> list[tuple[str, str]]:
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        path = str(pattern.pattern)
        for converter in ("<int:pk>", "<slug:step>"):
            path = path.replace(converter, "about" if "step" in converter else "1")
        found.append((pattern.name or "", "/" + path))
    return found


@pytest.mark.parametrize(("name", "path"), page_paths())
def test_a_signed_out_visitor_is_sent_to_sign_in(client, name, path):
    if name in PUBLIC_WRITES | PUBLIC_READS:
        pytest.skip("open to everyone")

    for method in (client.get, client.post):
        response = method(path)
        # A write-only address refuses GET (405); everything else asks to sign in first.
        assert response.status_code in (302, 405), (method, path)
        if response.status_code == 302:
            assert response["Location"].startswith("/sign-in/?next="), path
