"""The admin reads; it never writes a domain row itself.

Every change to a match, a role, a profile, an organization or an hours log goes through its
service, so the guards, the audit rows and the notifications cannot be skipped: domain admins are
view-only (``ViewOnlyAdmin``), and what platform staff may do there is an admin action that calls
the service (verify an organization or a training, close a role). Reference data (skills, causes,
trainings, languages), accounts and the schedules stay editable: they have no service to bypass.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from backend.errors import ApplicationError


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def run_service_action(
    model_admin: admin.ModelAdmin, request: HttpRequest, objects: Any, call: Any, done: str
) -> int:
    """Call ``call(obj)`` for each selected object, each on its own: a refusal is shown to the
    member of staff and the others still go through. Returns how many succeeded."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except ApplicationError as exc:
            model_admin.message_user(request, f"{obj}: {exc.message}", level=messages.WARNING)
        else:
            succeeded += 1
    model_admin.message_user(request, done.format(count=succeeded))
    return succeeded
