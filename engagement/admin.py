"""Hours, ratings and calendar feeds, for reading: they change through engagement.services."""

from django.contrib import admin

from backend.admin import ViewOnlyAdmin
from engagement.models import CalendarFeed, HoursLog, Rating


@admin.register(HoursLog)
class HoursLogAdmin(ViewOnlyAdmin):
    list_display = ("date", "match", "hours", "verified_at")
    list_filter = ("verified_at",)
    raw_id_fields = ("match", "verified_by")


@admin.register(Rating)
class RatingAdmin(ViewOnlyAdmin):
    list_display = ("match", "side", "score", "created_at")
    raw_id_fields = ("match", "rater")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ViewOnlyAdmin):
    list_display = ("volunteer", "created_at")
    raw_id_fields = ("volunteer",)
    readonly_fields = ("token_hash",)
