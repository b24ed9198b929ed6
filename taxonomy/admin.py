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
    list_display = ("code", "name")
    search_fields = ("code", "name")
