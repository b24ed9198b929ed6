from __future__ import annotations

from rest_framework import serializers

from taxonomy.models import Cause, Language, Skill, TrainingType


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name", "description"]


class CauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cause
        fields = ["slug", "name", "description"]


class TrainingTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingType
        fields = ["slug", "name", "description", "valid_for_months"]


class LanguageSerializer(serializers.ModelSerializer):
    synonyms = serializers.ListField(
        source="synonym_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="Other names people look for, so a form can find Persian when someone types "
        "'Farsi'.",
    )

    class Meta:
        model = Language
        fields = ["code", "name", "synonyms"]
