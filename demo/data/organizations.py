"""The four fictional organizations that post the demo's own roles (``demo.data.roles``).

Their names and addresses are invented; their places are real neighbourhoods.
"""

from __future__ import annotations

from demo.data.places import FLUSHING, MOTT_HAVEN, SUNSET_PARK, WASHINGTON_HEIGHTS
from demo.specs import OrganizationSpec

HARBOR = "Harbor House Peer Support"
RIVERSIDE = "Riverside Warmline"
ELDER_BRIDGE = "Elder Bridge Befriending"
BRONX_ROOTS = "Bronx Roots Wellbeing Collective"

DEMO_ORGANIZATIONS: tuple[OrganizationSpec, ...] = (
    OrganizationSpec(
        name=HARBOR,
        contact_email="hello@harborhouse.example.org",
        website="https://harborhouse.example.org",
        description="Peer-led support groups in Sunset Park, run by and for people living with "
        "mental-health conditions, in English and Spanish.",
        address="512 44th Street, Brooklyn, NY 11220",
        **SUNSET_PARK,
    ),
    OrganizationSpec(
        name=RIVERSIDE,
        contact_email="volunteer@riversidewarmline.example.org",
        website="https://riversidewarmline.example.org",
        description="A non-crisis warmline and text service for New Yorkers who need someone to "
        "talk to, answered by trained volunteers every evening and night.",
        address="Washington Heights, New York, NY 10032",
        **WASHINGTON_HEIGHTS,
    ),
    OrganizationSpec(
        name=ELDER_BRIDGE,
        contact_email="befriend@elderbridge.example.org",
        website="https://elderbridge.example.org",
        description="Weekly visits and calls for isolated older adults in Queens, in their own "
        "languages.",
        address="136-20 38th Avenue, Flushing, NY 11354",
        **FLUSHING,
    ),
    OrganizationSpec(
        name=BRONX_ROOTS,
        contact_email="grow@bronxroots.example.org",
        website="https://bronxroots.example.org",
        description="Gardens, walks, art and peer mentoring for wellbeing in the South Bronx.",
        address="Willis Avenue, Bronx, NY 10454",
        **MOTT_HAVEN,
    ),
)
