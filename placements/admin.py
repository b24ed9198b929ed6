"""Admin of matches and their audit trail, view-only (backend/admin.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.admin import ViewOnlyAdmin, ViewOnlyInline, run_service_action
from matching.models import Match, MatchTransition
from placements.models import InterestRequest
from placements.services.transitions import match_withdraw_for_safeguarding

if TYPE_CHECKING:
    from accounts.models import User

#: The note an admin withdrawal records (an action has no form; the audit names who acted).
ADMIN_SAFEGUARDING_NOTE = (
    "Withdrawn by platform staff from the admin for a safeguarding concern; the case record "
    "holds the details."
)


class MatchTransitionInline(ViewOnlyInline):
    model = MatchTransition
    fields = ("created_at", "from_status", "to_status", "actor", "reason", "note")
    readonly_fields = fields
    ordering = ("created_at", "id")


@admin.register(MatchTransition)
class MatchTransitionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "match", "from_status", "to_status", "actor", "reason")
    list_filter = ("to_status", "reason")
    search_fields = ("match__volunteer__display_name", "match__opportunity__title", "note")
    date_hierarchy = "created_at"
    readonly_fields = ("match", "from_status", "to_status", "actor", "reason", "note", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Match)
class MatchAdmin(ViewOnlyAdmin):
    """Matches for reading. A status changes only through the lifecycle's services (with their
    guards, capacity count, audit row and notices), never by editing the row here."""

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
    actions = ["withdraw_for_safeguarding"]

    @admin.action(description="Withdraw the selected matches now (safeguarding concern)")
    def withdraw_for_safeguarding(self, request: HttpRequest, queryset: QuerySet[Match]) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda match: match_withdraw_for_safeguarding(
                match_id=match.pk,
                actor=cast("User", request.user),  # the admin is for signed-in staff only
                note=ADMIN_SAFEGUARDING_NOTE,
            ),
            "{count} match(es) withdrawn; both sides were told.",
        )


@admin.register(InterestRequest)
class InterestRequestAdmin(ViewOnlyAdmin):
    """Volunteers' interest requests, to read; they change through their services only
    (placements/services/interest.py)."""

    list_display = ("created_at", "volunteer", "opportunity", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("volunteer__display_name", "opportunity__title")
    date_hierarchy = "created_at"
    list_select_related = ("volunteer", "opportunity", "decided_by")
