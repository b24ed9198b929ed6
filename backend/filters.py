"""Filters shared by the API's list endpoints."""

import django_filters
from django import forms

#: Largest value a 64-bit signed primary key holds; SQLite refuses to bind anything larger
#: (OverflowError), so a bigger id in a query string must be a 400, not a server error.
MAX_OBJECT_ID = 2**63 - 1


class ObjectIdFilter(django_filters.NumberFilter):
    """Filter by a related object's id: a whole number in the primary-key range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_OBJECT_ID)
        super().__init__(*args, **kwargs)
