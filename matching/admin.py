from django.contrib import admin

# The lifecycle's audit admin (read-only MatchTransition) lives in its own module; importing it here
# registers it, since Django autodiscovers only admin.py.
from matching.lifecycle_admin import MatchTransitionInline
from matching.models import Match, MatchRun, MatchRunChunk, ScoringModelVersion


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "volunteer",
        "opportunity",
        "status",
        "score",
        "model_version",
        "updated_at",
    ]
    list_filter = ["status", "model_version"]
    list_select_related = ["volunteer", "opportunity"]
    raw_id_fields = ["volunteer", "opportunity", "run"]
    search_fields = ["volunteer__display_name", "opportunity__title"]
    readonly_fields = ["score", "features", "reasons", "model_version", "created_at", "updated_at"]
    inlines = [MatchTransitionInline]


class MatchRunChunkInline(admin.TabularInline):
    model = MatchRunChunk
    extra = 0
    can_delete = False
    fields = ("index", "done", "attempts", "suggestions", "finished_at")
    readonly_fields = fields


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
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
class ScoringModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "is_current", "training_size", "created_at"]
    readonly_fields = ["version", "parameters", "training_size", "metrics", "created_at"]
