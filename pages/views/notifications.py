"""Everyone signed in: their in-app notifications (the API's selector), marked read with the
API's reading services."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.selectors import notifications_of
from notifications.services import reading
from pages.views.common import signed_in_required

#: The newest notifications shown; older ones stay in the API's list.
SHOWN = 50


@signed_in_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notices = notifications_of(request.user).order_by("-created_at", "-id")[:SHOWN]
    return render(request, "pages/notifications.html", {"notices": notices})


@signed_in_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notifications_of(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    reading.notification_mark_read(notification=notice)
    return redirect("pages:notifications")


@signed_in_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    reading.notification_mark_all_read(recipient=request.user)  # type: ignore[arg-type]
    return redirect("pages:notifications")
