from django.contrib import admin

from .models import Cause, Language, Skill, TrainingType


@admin.register(Skill, Cause)
class ReferenceItemAdmin(admin.ModelAdmin):
    list_display: tuple[str, ...] = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(TrainingType)
class TrainingTypeAdmin(ReferenceItemAdmin):
    list_display = ("name", "slug", "valid_for_months")


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    """Every ISO 639-1 language is loaded by migration; staff rename, add synonyms and rank the
    ones their volunteers speak most so forms list them first."""

    list_display = ("code", "name", "sort_order", "synonyms")
    list_editable = ("sort_order",)
    search_fields = ("code", "name", "synonyms")
