"""Admin of full runs and scoring models: read-only records of what the engine did."""

from django.contrib import admin

from backend.admin import ViewOnlyAdmin, ViewOnlyInline
from matching.models import MatchRun, MatchRunChunk, ScoringModelVersion


class MatchRunChunkInline(ViewOnlyInline):
    model = MatchRunChunk
    extra = 0
    can_delete = False
    fields = ("index", "done", "attempts", "suggestions", "finished_at")
    readonly_fields = fields


@admin.register(MatchRun)
class MatchRunAdmin(ViewOnlyAdmin):
    list_display = ["id", "status", "done", "total", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "total",
        "done",
        "errors",
        "model_version",
        "requested_by",
        "started_at",
        "finished_at",
        "created_at",
        "updated_at",
    ]
    inlines = [MatchRunChunkInline]


@admin.register(ScoringModelVersion)
class ScoringModelVersionAdmin(ViewOnlyAdmin):
    list_display = ["version", "is_current", "promoted_at", "training_size", "created_at"]
    readonly_fields = [
        "version",
        "parameters",
        "training_size",
        "metrics",
        "organization_offsets",
        "promoted_at",
        "created_at",
    ]
