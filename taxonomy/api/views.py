"""Reference lists for forms and filters: public, read-only, edited by staff in the admin."""

from __future__ import annotations

from rest_framework import generics
from rest_framework.permissions import AllowAny

from taxonomy.models import Cause, Language, Skill, TrainingType

from .serializers import (
    CauseSerializer,
    LanguageSerializer,
    SkillSerializer,
    TrainingTypeSerializer,
)


class _ReferenceListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    # Whole lists, not pages: each holds tens of rows curated by staff (languages: the 184 of ISO
    # 639-1), and a form needs all of them at once (a page of 20 would cut the 32 skills in two).
    pagination_class = None
    filter_backends: list = []


class SkillListView(_ReferenceListView):
    queryset = Skill.objects.order_by("name")
    serializer_class = SkillSerializer


class CauseListView(_ReferenceListView):
    queryset = Cause.objects.order_by("name")
    serializer_class = CauseSerializer


class TrainingTypeListView(_ReferenceListView):
    queryset = TrainingType.objects.order_by("name")
    serializer_class = TrainingTypeSerializer


class LanguageListView(_ReferenceListView):
    """Every ISO 639-1 language, the ones most volunteers speak first (staff rank them in the
    admin), then the rest by name."""

    queryset = Language.objects.order_by("sort_order", "name")
    serializer_class = LanguageSerializer
