"""The client's address, as one rule for the throttles (DRF) and the lockouts (django-axes).

``X-Forwarded-For`` is a header anyone can send. Only the entries that our own trusted proxies
appended count: with ``NUM_PROXIES`` = n (``REST_FRAMEWORK["NUM_PROXIES"]``, env ``NUM_PROXIES``,
default 0) the address is the n-th entry from the right; with 0 it is the socket's ``REMOTE_ADDR``
and the header is ignored. Behind one TLS proxy in front of gunicorn, set ``NUM_PROXIES=1``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings


def client_address(request: Any) -> str:
    """The address the throttles and lockouts count against: the same rule as DRF's
    ``BaseThrottle.get_ident`` (which reads ``NUM_PROXIES`` too), for an HttpRequest or a DRF
    Request."""
    meta = request.META
    remote_addr = str(meta.get("REMOTE_ADDR") or "")
    num_proxies = api_settings.NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if num_proxies and forwarded:
        addresses = [part.strip() for part in str(forwarded).split(",") if part.strip()]
        if addresses:
            return addresses[-min(int(num_proxies), len(addresses))]
    return remote_addr
