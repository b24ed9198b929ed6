from typing import Any

from django.db.models import Count, Window
from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """Limit/offset pages with a hard ceiling: a huge ``?limit=`` is clamped before it reaches the
    database (schemathesis found a 500 from an unbounded limit in a service like this one)."""

    default_limit = 20
    max_limit = 100


class WindowCountLimitOffsetPagination(BoundedLimitOffsetPagination):
    """The same pages, with the total counted by the page's own query (``COUNT(*) OVER ()``)
    instead of a second query that filters everything again: for a list whose filter is costly
    (the role list's distance), one query instead of two. A page past the end has no row to
    carry the total, so only then is it counted apart."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        rows = list(
            queryset.annotate(_total_rows=Window(Count("pk")))[
                self.offset : self.offset + self.limit
            ]
        )
        self.count = rows[0]._total_rows if rows else self.get_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count == 0 or self.offset > self.count:
            return []
        return rows
