"""The pages' views, one module per audience: ``public`` (everyone), ``account`` (sign in, sign
up), ``volunteer``, ``coordinator``, and ``errors`` (the 400/403/404/500 pages)."""
