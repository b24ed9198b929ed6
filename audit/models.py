from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One domain event as it was emitted: never edited, never deleted with its actor.

    ``data`` holds the event's fields (ids, codes, field names), never personal data, so the log can
    be kept as long as the records it explains. Match transitions keep their own richer audit rows
    (``matching.MatchTransition``) too.
    """

    # Personal data (backend/personal.py): what the person did is exported; the rows hold ids only
    # and stay after erasure, the actor being the deactivated account.
    PERSONAL_OWNER = ("actor",)
    PERSONAL_FIELDS = ()
    PERSONAL_ERASURE = "keep"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    event = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the system acted.",
    )
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.subject_type} {self.subject_id}"
        )
