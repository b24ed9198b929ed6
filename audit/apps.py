from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log: one row per domain event (backend/events.py), who did what to what, when."""

    name = "audit"
