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


TOKEN_HASH_SHOWN = 8


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ViewOnlyAdmin):
    """The token's hash is a secret too (it is what the feed is looked up by): the admin shows only
    its first characters, enough to tell two feeds apart, never the whole of it."""

    list_display = ("volunteer", "token_hash_start", "created_at")
    raw_id_fields = ("volunteer",)
    fields = ("volunteer", "token_hash_start", "created_at")
    readonly_fields = ("token_hash_start", "created_at")

    @admin.display(description="token hash (start)")
    def token_hash_start(self, obj: CalendarFeed) -> str:
        return f"{obj.token_hash[:TOKEN_HASH_SHOWN]}…"
