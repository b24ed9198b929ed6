"""Who may act on a role. Who may *see* one is ``selectors.opportunity_list_visible``.

Every member of the organization (admin or coordinator) may post, edit, publish and close its roles.
Platform staff have no API powers here; they moderate in the Django admin.
"""

from __future__ import annotations

from opportunities.models import Opportunity
from organizations.membership import is_member


def can_edit_opportunity(user: object, opportunity: Opportunity) -> bool:
    return is_member(user, opportunity.organization_id)


def can_publish_opportunity(user: object, opportunity: Opportunity) -> bool:
    return is_member(user, opportunity.organization_id)


def can_close_opportunity(user: object, opportunity: Opportunity) -> bool:
    return is_member(user, opportunity.organization_id)
