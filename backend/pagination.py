from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset pages with a hard ceiling: a huge ``?limit=`` is clamped before it reaches the
    database (schemathesis found a 500 from an unbounded limit in a service like this one)."""

    default_limit = 20
    max_limit = 100
