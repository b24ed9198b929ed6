"""The demo roles of Elder Bridge and Bronx Roots (demo.data.roles)."""

from __future__ import annotations

from decimal import Decimal

from demo.data.organizations import BRONX_ROOTS, ELDER_BRIDGE
from demo.data.places import (
    CORONA_PARK,
    FLUSHING,
    KINGSBRIDGE,
    MOTT_HAVEN,
    ST_GEORGE,
)
from demo.data.role_shapes import (
    WEEKDAY_AFTERNOONS,
    WEEKEND_MORNINGS,
    DemoRole,
)
from demo.specs import RoleSpec

ELDER_BRIDGE_BRONX_ROOTS_ROLES: tuple[DemoRole, ...] = (
    # Elder Bridge Befriending, Queens
    DemoRole(
        RoleSpec(
            organization=ELDER_BRIDGE,
            title="Befriender for isolated older adults",
            description="Visit an older person who lives alone for an hour or two each week: tea, "
            "conversation, a walk to the shops. Safeguarding training and a background check are "
            "required because you visit people at home.",
            causes=("loneliness", "older-adults", "mental-health"),
            required_skills=("befriending",),
            preferred_skills=("elder-care", "active-listening"),
            required_trainings=("safeguarding",),
            availability=WEEKDAY_AFTERNOONS,
            hours_per_week=Decimal("2"),
            capacity=10,
            min_age=18,
            background_check_required=True,
            audience=("older_adults",),
            address="136-20 38th Avenue, Flushing, NY 11354",
            **FLUSHING,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=ELDER_BRIDGE,
            title="Telephone befriender",
            description="Call the same older person twice a week for a friendly chat. Ideal if you "
            "cannot travel; safeguarding training and a background check are required.",
            mode="phone",
            causes=("loneliness", "older-adults"),
            required_skills=("befriending",),
            preferred_skills=("active-listening",),
            required_trainings=("safeguarding",),
            availability=("mon-morning", "wed-morning", "fri-morning", "tue-evening"),
            hours_per_week=Decimal("1.5"),
            capacity=15,
            min_age=18,
            background_check_required=True,
            audience=("older_adults",),
            hide_address=True,
            **FLUSHING,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=ELDER_BRIDGE,
            title="Mandarin-speaking befriender",
            description="Visit Mandarin-speaking older adults in Flushing who have few people to "
            "talk to in their own language. Safeguarding training and a background check are "
            "required.",
            causes=("loneliness", "older-adults", "refugees"),
            required_skills=("befriending",),
            preferred_skills=("translation", "elder-care"),
            languages=("zh",),
            required_trainings=("safeguarding",),
            availability=(*WEEKDAY_AFTERNOONS, *WEEKEND_MORNINGS),
            hours_per_week=Decimal("2"),
            capacity=6,
            min_age=18,
            background_check_required=True,
            audience=("older_adults",),
            address="136-20 38th Avenue, Flushing, NY 11354",
            **FLUSHING,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=ELDER_BRIDGE,
            title="Russian-speaking telephone befriender",
            description="Weekly calls with Russian-speaking older adults across Queens and "
            "Brooklyn. Safeguarding training and a background check are required.",
            mode="phone",
            causes=("loneliness", "older-adults"),
            required_skills=("befriending",),
            languages=("ru",),
            required_trainings=("safeguarding",),
            availability=("tue-afternoon", "thu-afternoon", "sun-afternoon"),
            hours_per_week=Decimal("1.5"),
            capacity=4,
            min_age=18,
            background_check_required=True,
            audience=("older_adults",),
            hide_address=True,
            **FLUSHING,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=ELDER_BRIDGE,
            title="Walking group lead",
            description="Lead a gentle one-hour walk for older adults around Flushing Meadows "
            "Corona Park on weekday mornings. First aid certification required.",
            causes=("health", "loneliness", "older-adults"),
            required_skills=("group-facilitation",),
            preferred_skills=("sports-coaching", "elder-care"),
            required_trainings=("first-aid",),
            availability=("tue-morning", "thu-morning"),
            hours_per_week=Decimal("2"),
            capacity=2,
            min_age=18,
            audience=("older_adults",),
            address="Flushing Meadows Corona Park, Queens, NY 11368",
            **CORONA_PARK,
        ),
        ends_after_months=6,
    ),
    # Bronx Roots Wellbeing Collective, South Bronx
    DemoRole(
        RoleSpec(
            organization=BRONX_ROOTS,
            title="Community garden host",
            description="Open the gate of our wellbeing garden on weekend mornings, welcome "
            "visitors and get people planting. Gardening knowledge helps; kindness matters more.",
            causes=("environment", "mental-health", "community"),
            required_skills=("gardening",),
            preferred_skills=("group-facilitation", "customer-service"),
            availability=WEEKEND_MORNINGS,
            hours_per_week=Decimal("3"),
            capacity=6,
            address="Willis Avenue, Bronx, NY 10454",
            **MOTT_HAVEN,
        ),
        ends_after_months=6,
    ),
    DemoRole(
        RoleSpec(
            organization=BRONX_ROOTS,
            title="Art-for-wellbeing session helper",
            description="Help an artist run drop-in painting and collage sessions for adults "
            "using community mental-health services. No talent needed, just patience.",
            causes=("arts-culture", "mental-health"),
            required_skills=("art-therapy",),
            preferred_skills=("group-facilitation", "active-listening"),
            availability=("wed-afternoon", "fri-afternoon"),
            hours_per_week=Decimal("3"),
            capacity=3,
            min_age=18,
            audience=("adults",),
            address="Willis Avenue, Bronx, NY 10454",
            **MOTT_HAVEN,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=BRONX_ROOTS,
            title="Veteran peer mentor",
            description="Mentor a veteran returning to civilian life: monthly meet-ups near the "
            "Kingsbridge VA and calls in between. Veterans and military family members with lived "
            "experience especially welcome; peer support training required.",
            mode="hybrid",
            causes=("veterans", "mental-health"),
            required_skills=("mentoring", "peer-support"),
            preferred_skills=("active-listening",),
            required_trainings=("peer-support-training",),
            availability=("tue-evening", "sat-afternoon"),
            hours_per_week=Decimal("2"),
            capacity=5,
            min_age=21,
            audience=("adults",),
            lived_experience_valued=True,
            address="Kingsbridge, Bronx, NY 10468",
            **KINGSBRIDGE,
        ),
    ),
    DemoRole(
        RoleSpec(
            organization=BRONX_ROOTS,
            title="Youth wellbeing workshop helper",
            description="Support after-school wellbeing workshops for teenagers (stress, sleep, "
            "social media). Youth Mental Health First Aid and a background check are required.",
            causes=("youth", "mental-health", "education"),
            required_skills=("youth-work",),
            preferred_skills=("teaching", "event-support"),
            required_trainings=("youth-mhfa",),
            availability=("mon-afternoon", "wed-afternoon"),
            hours_per_week=Decimal("2"),
            capacity=4,
            min_age=18,
            background_check_required=True,
            audience=("minors",),
            address="Willis Avenue, Bronx, NY 10454",
            **MOTT_HAVEN,
        ),
        ends_after_months=6,
    ),
    DemoRole(
        RoleSpec(
            organization=BRONX_ROOTS,
            title="Staten Island ferry-side walk and talk buddy",
            description="Join a weekly walk-and-talk group for adults coping with stress, starting "
            "at St. George Terminal. Mental Health First Aid preferred, not required.",
            causes=("mental-health", "health", "loneliness"),
            required_skills=("active-listening",),
            preferred_skills=("peer-support", "sports-coaching"),
            availability=("sat-morning",),
            hours_per_week=Decimal("1.5"),
            capacity=3,
            min_age=18,
            audience=("adults",),
            lived_experience_valued=True,
            address="St. George Terminal, Staten Island, NY 10301",
            **ST_GEORGE,
        ),
    ),
)
