"""Mental-health community roles written for the demo, posted by four fictional organizations.

The NYC Service catalogue is real but general (park clean-ups, tutoring, galas); these roles show
what Kindred Match is for: peer support, listening lines, befriending, with the trainings,
background checks, age limits, audiences and lived experience that such roles carry. Places are
real New York neighbourhoods; the organizations and their addresses are invented.

A data file: the roles as written, their dates left to the seeding day (``demo.catalogue``).
"""

from __future__ import annotations

from demo.data.elder_bridge_bronx_roots_roles import ELDER_BRIDGE_BRONX_ROOTS_ROLES
from demo.data.harbor_riverside_roles import HARBOR_RIVERSIDE_ROLES
from demo.data.role_shapes import DemoRole

__all__ = ["DEMO_ROLES", "DemoRole"]

DEMO_ROLES: tuple[DemoRole, ...] = (*HARBOR_RIVERSIDE_ROLES, *ELDER_BRIDGE_BRONX_ROOTS_ROLES)
