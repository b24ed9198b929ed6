"""The demo roles of Harbor House (peer support, Sunset Park) and Riverside Helpline (demo.data.roles)."""

from __future__ import annotations

from decimal import Decimal

from demo.data.organizations import HARBOR, RIVERSIDE
from demo.data.places import (
    SUNSET_PARK,
    WASHINGTON_HEIGHTS,
)
from demo.data.role_shapes import (
    NIGHTS,
    WEEKDAY_EVENINGS,
    WEEKEND_MORNINGS,
    DemoRole,
)
from demo.specs import RoleSpec

HARBOR_RIVERSIDE_ROLES: tuple[DemoRole, ...] = (
    # Harbor House Peer Support, Sunset Park
    DemoRole(
        RoleSpec(
            organization=HARBOR,
            title="Peer support group co-facilitator",
            description="Co-facilitate a weekly evening peer support group for adults living with "
            "depression and anxiety, alongside a staff facilitator. You keep time, welcome new "
            "members and help everyone have a turn. Lived experience of mental ill-health is "
            "valued; our peer support training is required.",
            causes=("mental-health", "community"),
            required_skills=("group-facilitation", "active-listening"),
            preferred_skills=("peer-support",),
            required_trainings=("peer-support-training",),
            availability=("tue-evening", "thu-evening"),
            hours_per_week=Decimal("3"),
            capacity=4,
            min_age=18,
            audience=("adults",),
            lived_experience_valued=True,
            address="512 44th Street, Brooklyn, NY 11220",
            **SUNSET_PARK,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=HARBOR,
            title="Spanish-language support group co-facilitator",
            description="Co-facilitate our Saturday morning grupo de apoyo for Spanish-speaking "
            "adults and families. You need to be comfortable leading conversation in Spanish. "
            "Peer support training is provided before you start.",
            causes=("mental-health", "refugees", "community"),
            required_skills=("group-facilitation",),
            preferred_skills=("peer-support", "translation", "active-listening"),
            languages=("es",),
            required_trainings=("peer-support-training",),
            availability=("sat-morning",),
            hours_per_week=Decimal("2.5"),
            capacity=2,
            min_age=18,
            audience=("adults",),
            lived_experience_valued=True,
            address="512 44th Street, Brooklyn, NY 11220",
            **SUNSET_PARK,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=HARBOR,
            title="Grief support circle companion",
            description="Sit with a fortnightly grief support circle, in person or joining by "
            "video, helping people who have lost someone feel less alone. Trauma-informed care "
            "training is required; we run it each quarter.",
            mode="hybrid",
            causes=("mental-health", "loneliness"),
            required_skills=("active-listening",),
            preferred_skills=("group-facilitation", "counseling"),
            required_trainings=("trauma-informed",),
            availability=("wed-evening",),
            hours_per_week=Decimal("2"),
            capacity=3,
            min_age=21,
            audience=("adults",),
            lived_experience_valued=True,
            address="512 44th Street, Brooklyn, NY 11220",
            **SUNSET_PARK,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=HARBOR,
            title="LGBTQ+ peer chat volunteer",
            description="Answer our moderated online peer chat for LGBTQ+ young adults (18-25) on "
            "weekday evenings. Volunteers who share their own experience as LGBTQ+ people make "
            "this space work.",
            mode="remote",
            causes=("lgbtq", "mental-health"),
            required_skills=("active-listening",),
            preferred_skills=("peer-support", "social-media"),
            required_trainings=("peer-support-training",),
            availability=WEEKDAY_EVENINGS,
            hours_per_week=Decimal("3"),
            capacity=6,
            min_age=18,
            audience=("adults",),
            lived_experience_valued=True,
            hide_address=True,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=HARBOR,
            title="Recovery café host",
            description="Host our Sunday recovery café: set up, make coffee, and chat with people "
            "in recovery from addiction. Lived experience of recovery is welcome.",
            causes=("addiction-recovery", "mental-health", "community"),
            required_skills=("customer-service",),
            preferred_skills=("cooking", "peer-support"),
            availability=("sun-morning", "sun-afternoon"),
            hours_per_week=Decimal("4"),
            capacity=3,
            min_age=18,
            audience=("adults",),
            lived_experience_valued=True,
            address="512 44th Street, Brooklyn, NY 11220",
            **SUNSET_PARK,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=HARBOR,
            title="Youth mentor (ages 12-17)",
            description="Meet a young person weekly after school for a year of mentoring: homework, "
            "walks, conversation. Because you will work one-to-one with minors, a cleared "
            "background check and safeguarding training are required.",
            causes=("youth", "mental-health", "education"),
            required_skills=("mentoring",),
            preferred_skills=("youth-work", "tutoring", "active-listening"),
            required_trainings=("safeguarding",),
            availability=("mon-afternoon", "wed-afternoon", "thu-afternoon"),
            hours_per_week=Decimal("2"),
            capacity=5,
            min_age=21,
            background_check_required=True,
            audience=("minors",),
            address="512 44th Street, Brooklyn, NY 11220",
            **SUNSET_PARK,
        ),
        ends_after_months=12,
    ),
    # Riverside Warmline, Washington Heights (listening roles keep the address private)
    DemoRole(
        RoleSpec(
            organization=RIVERSIDE,
            title="Crisis text line listener",
            description="Answer texts from people in distress from home, with a supervisor online "
            "for every shift. Crisis line training (provided) and a cleared background check are "
            "required; shifts are four hours, evenings and nights.",
            mode="remote",
            causes=("suicide-prevention", "mental-health"),
            required_skills=("crisis-support", "active-listening"),
            required_trainings=("crisis-line",),
            availability=("mon-evening", "wed-evening", *NIGHTS),
            hours_per_week=Decimal("4"),
            capacity=10,
            min_age=18,
            background_check_required=True,
            audience=("adults", "minors"),
            hide_address=True,
            **WASHINGTON_HEIGHTS,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=RIVERSIDE,
            title="Warmline volunteer",
            description="Take calls on our non-crisis warmline: people who are lonely, worried or "
            "just need to talk. Mental Health First Aid is required; lived experience of "
            "mental-health conditions is valued.",
            mode="phone",
            causes=("mental-health", "loneliness"),
            required_skills=("active-listening",),
            preferred_skills=("peer-support",),
            required_trainings=("mhfa",),
            availability=WEEKDAY_EVENINGS,
            hours_per_week=Decimal("3"),
            capacity=8,
            min_age=18,
            audience=("adults",),
            lived_experience_valued=True,
            hide_address=True,
            **WASHINGTON_HEIGHTS,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=RIVERSIDE,
            title="Overnight warmline listener",
            description="Keep the warmline open overnight on weekends, when calls are fewest but "
            "loneliness is sharpest. ASIST and crisis line training plus a background check are "
            "required.",
            mode="phone",
            causes=("mental-health", "suicide-prevention", "loneliness"),
            required_skills=("active-listening", "crisis-support"),
            required_trainings=("crisis-line", "asist"),
            availability=NIGHTS,
            hours_per_week=Decimal("6"),
            capacity=4,
            min_age=21,
            background_check_required=True,
            audience=("adults",),
            hide_address=True,
            **WASHINGTON_HEIGHTS,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=RIVERSIDE,
            title="Mental Health First Aid workshop helper",
            description="Help run our Saturday Mental Health First Aid courses for the public: "
            "registration, room set-up, small-group exercises. You must hold a current MHFA "
            "certificate.",
            causes=("mental-health", "education", "community"),
            required_skills=("event-support",),
            preferred_skills=("teaching", "customer-service"),
            required_trainings=("mhfa",),
            availability=("sat-morning", "sat-afternoon"),
            hours_per_week=Decimal("4"),
            capacity=4,
            audience=("adults",),
            address="Washington Heights, New York, NY 10032",
            **WASHINGTON_HEIGHTS,
        ),
        ends_after_months=6,
    ),
    DemoRole(
        RoleSpec(
            organization=RIVERSIDE,
            title="Volunteer rota and data assistant",
            description="Keep the shift rota and anonymised call statistics tidy from home. No "
            "listening shifts, but a big help to those who do them.",
            mode="remote",
            causes=("mental-health",),
            required_skills=("data-entry",),
            preferred_skills=("administration", "research"),
            availability=("tue-morning", "thu-morning", "fri-afternoon"),
            hours_per_week=Decimal("2"),
            capacity=2,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=RIVERSIDE,
            title="Community outreach at street fairs",
            description="Staff our table at summer street fairs and tell people the warmline "
            "exists. Outgoing people and Spanish speakers especially welcome.",
            causes=("mental-health", "suicide-prevention", "community"),
            required_skills=("outreach",),
            preferred_skills=("event-support", "translation"),
            availability=(*WEEKEND_MORNINGS, "sat-afternoon", "sun-afternoon"),
            hours_per_week=Decimal("4"),
            capacity=12,
            address="Washington Heights, New York, NY 10032",
            **WASHINGTON_HEIGHTS,
        ),
        ends_after_months=6,
    ),
)
