"""Text search over roles (``q=``): PostgreSQL full-text search through a GIN index, a plain
case-insensitive substring match on SQLite.

PostgreSQL: the words of the title and description, stemmed in English (``listen`` finds
"Helpline listener"), matched with ``websearch_to_tsquery`` (quotes for a phrase, ``-word`` to
leave a word out). The GIN index ``opportunity_search_gin`` (migration 0003, PostgreSQL only) is
built on exactly ``search_vector()``, so the planner answers the filter from it instead of
reading every role's texts. SQLite has no such index: the embedded path keeps the substring match.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet

SEARCH_CONFIG = "english"
SEARCH_INDEX = "opportunity_search_gin"


def search_vector() -> SearchVector:
    """The indexed expression: the migration's index and the filter must stay the same."""
    return SearchVector("title", "description", config=SEARCH_CONFIG)


def opportunities_matching_text(queryset: QuerySet, text: str) -> QuerySet:
    """The roles of ``queryset`` whose title or description matches ``text``."""
    text = text.strip()
    if not text:
        return queryset
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return queryset.alias(search=search_vector()).filter(
        search=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    )
