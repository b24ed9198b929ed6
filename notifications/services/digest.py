"""The daily review digest: one email to each coordinator with suggestions waiting on their roles,
each line linking to the role's review queue on the pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from matching.models import Match, MatchStatus
from notifications import messages as m
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from organizations.membership import active_members_of

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus
Kind = Notification.Kind


def _review_link(opportunity_id: int | None) -> str:
    """The pages' review queue (``PUBLIC_BASE_URL``), for one role or for all of them."""
    path = reverse("pages:review")
    query = "" if opportunity_id is None else f"?role={opportunity_id}"
    return f"{settings.PUBLIC_BASE_URL}{path}{query}"


def notifications_review_digest(*, today: dt.date) -> list[Notification]:
    """One email a day to each coordinator with suggestions waiting on their published roles."""
    rows = (
        Match.objects.filter(status=S.SUGGESTED, opportunity__status="published")
        .values(
            "opportunity_id",
            "opportunity__title",
            "opportunity__organization_id",
            "opportunity__organization__name",
        )
        .order_by("opportunity__organization__name", "opportunity__title")
    )
    per_org: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        entry = per_org[row["opportunity__organization_id"]].setdefault(
            row["opportunity_id"],
            {
                "role": row["opportunity__title"],
                "organization": row["opportunity__organization__name"],
                "count": 0,
            },
        )
        entry["count"] += 1
        entry["link"] = _review_link(row["opportunity_id"])
    members = active_members_of(per_org)
    per_user: dict[int, tuple[User, list[dict[str, Any]]]] = {}
    for organization_id, roles in per_org.items():
        for user in members.get(organization_id, []):
            per_user.setdefault(user.pk, (user, []))[1].extend(roles.values())
    drafts = []
    for user_id, (user, lines) in per_user.items():
        total = sum(line["count"] for line in lines)
        body = (
            m.DIGEST_BODY_HEAD
            + "".join(m.DIGEST_BODY_LINE.format(**line) for line in lines)
            + m.DIGEST_BODY_FOOT.format(link=_review_link(None))
        )
        drafts.append(
            Draft(
                key=f"digest:{today.isoformat()}:user:{user_id}",
                recipient=user,
                kind=Kind.REVIEW_DIGEST,
                title=m.DIGEST_TITLE.format(count=total),
                body=body,
            )
        )
    return notifications_deliver(drafts=drafts)
