"""Real volunteer roles from NYC Service, turned into demo organizations and published roles.

Source: NYC Service, "Volunteer Opportunities (Historical)", published by the City of New York on
NYC Open Data (https://data.cityofnewyork.us/, public and free to reuse). The file ships unchanged as
``data/nyc_service_volunteer_opportunities.csv``; ``data/README.md`` describes it.

How a row becomes a role:

* **Organization**: one per ``org_title`` (whitespace trimmed); contact ``contact@<slug>.example.org``
  (the data set has no contact details); address, postcode and coordinates from its first row.
* **Causes**: ``category_desc`` maps to one cause, then keyword rules on the title and summary add
  specific ones ("senior" -> older adults, "garden" -> environment...). Roles that name no cause at
  all get "Strengthening communities".
* **Skills**: inferred from keywords, stored as *preferred* skills: a 2011 listing saying "help at
  our walk" hints at event support, it does not make it a requirement that would hide the role.
* **Place**: in person at ``Latitude``/``Longitude`` when the row has them (383 rows); otherwise at
  the centre of ``Postcode`` from the ``zipcodes`` package; a role with neither is remote (6 rows).
* **Audience and checks**: roles with children (kids, youth, students, school...) serve minors and
  require a background check, as New York programmes working with children do; "55+ Only" roles
  keep that as ``min_age`` 55.
* **Capacity**: ``vol_requests``, at least 1 and at most 25 (the data uses 99 and 100 for "as many
  as come", which would swamp a coordinator's review queue in the demo).
* **Dates**: the listings ran in 2011-2013, so every one would be over. The demo shifts them to
  today: ``starts_on`` is 0-5 days ago; ``ongoing`` roles have no end, ``onetime`` roles end 3-12
  months from today. The offsets derive from ``opportunity_id``, so a role keeps its place in the
  calendar from one seeding to the next on the same day.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable
from pathlib import Path

from django.utils.text import slugify

from backend.places import postcode_coordinates
from demo.specs import OrganizationSpec, RoleSpec, add_months

NYC_CSV = (
    Path(__file__).resolve().parent.parent / "data" / "nyc_service_volunteer_opportunities.csv"
)

MAX_CAPACITY = 25

CATEGORY_CAUSES = {
    "Strengthening Communities": "community",
    "Helping Neighbors in Need": "community",
    "Education": "education",
    "Health": "health",
    "Environment": "environment",
    "Emergency Preparedness": "emergency",
}

# (pattern, slug): searched case-insensitively in "title summary"; word boundaries keep "art" out
# of "start" and "party".
CAUSE_RULES: tuple[tuple[str, str], ...] = (
    (r"mental health|psych|emotional|well-?being|counsel", "mental-health"),
    (r"suicid", "suicide-prevention"),
    (r"isolat|lonel|friendly visit|companion", "loneliness"),
    (r"senior|older adult|elder|aging|ageing|home ?bound", "older-adults"),
    (r"\byouth|child|\bkids?\b|\bteens?\b|student|school|\bgirls?\b|\bboys?\b", "youth"),
    (r"lgbt|\bgay\b|lesbian|transgender|queer", "lgbtq"),
    (r"veteran", "veterans"),
    (r"homeless|shelter|housing", "homelessness"),
    (r"addict|substance|recovery", "addiction-recovery"),
    (r"immigra|refugee|citizenship|\besl\b|second language", "refugees"),
    (r"\bfood|meal|hunger|hungry|pantry|soup kitchen", "food-security"),
    (r"tutor|literacy|reading|homework|\bmath", "education"),
    (r"garden|\bparks?\b|\btrees?\b|green|recycl|environment|clean ?up|compost", "environment"),
    (r"health|diabetes|fitness|cancer|\bhiv\b|\baids\b|arthritis", "health"),
    (r"disab|special needs|autism|\bblind|\bdeaf", "disability"),
    (r"domestic violence|abuse", "domestic-violence"),
    (r"\barts?\b|music|museum|theat|\bdanc|mural|film", "arts-culture"),
    (r"emergency|disaster|storm|hurricane", "emergency"),
)

SKILL_RULES: tuple[tuple[str, str], ...] = (
    (r"tutor|homework", "tutoring"),
    (r"mentor", "mentoring"),
    (r"garden|planting|\btrees?\b|compost", "gardening"),
    (r"driv|deliver", "driving"),
    (r"translat|interpret|bilingual", "translation"),
    (r"data entry|database|spreadsheet", "data-entry"),
    (
        r"event|festival|\bwalk\b|\brun\b|\brace\b|marathon|\bfair\b|carnival|celebration",
        "event-support",
    ),
    (r"clerical|office|filing|administrat", "administration"),
    (r"reception|front desk|greeter", "customer-service"),
    (r"fundrais|donation", "fundraising"),
    (r"social media|facebook|twitter|marketing", "social-media"),
    (r"graphic|designer|logo", "graphic-design"),
    (r"website|\bweb\b|wordpress|\bcms\b|technology|\bit support", "web-development"),
    (r"\bcook|kitchen|\bmeals?\b|\bfood", "cooking"),
    (r"teach|instructor|workshop|\bclass", "teaching"),
    (r"coach|sports|soccer|basketball|fitness|\bbike|bicycl|skat", "sports-coaching"),
    (r"\byouth|child|\bkids?\b|\bteens?\b", "youth-work"),
    (r"senior|elderly|friendly visit", "elder-care"),
    (r"outreach|canvass|flyer|recruit", "outreach"),
    (r"research|survey|evaluat|analys", "research"),
    (r"legal|\blaw\b|attorney|lawyer", "legal"),
    (r"accounting|bookkeep|financ|\btax", "accounting"),
    (r"photo|video|film", "photography"),
    (r"moving|lifting|\bpaint|shovel|sorting|clean ?up", "manual-labor"),
    (r"counsel", "counseling"),
    (r"music|\bsing|choir|concert", "music"),
    (r"\barts?\b|craft|mural|puppet|costume", "art-therapy"),
    (r"listen|support group", "active-listening"),
    (r"\bpeer", "peer-support"),
    (r"friendly visit|companion|befriend", "befriending"),
)

MINOR_AUDIENCE = re.compile(
    r"\byouth|child|\bkids?\b|\bteens?\b|student|school|\bgirls?\b|\bboys?\b|pre-?k\b", re.I
)
OLDER_AUDIENCE = re.compile(r"senior|older adult|elderly|home ?bound", re.I)
FIFTY_FIVE_PLUS = re.compile(r"55\s*\+", re.I)
ZIP_FORMAT = re.compile(r"\d{5}(-\d{4})?")


def clean(text: str) -> str:
    """Trim and collapse runs of whitespace (the data pads names such as ``"Bideawee  "``)."""
    return " ".join(text.split())


def read_rows(path: Path = NYC_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _compiled(rules: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), slug) for pattern, slug in rules)


def matching_slugs(text: str, rules: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    # Patterns are lower case and matched against lowered text: re.IGNORECASE made the 30,000
    # searches of a full seed take twice as long (0.5 s).
    lowered = text.lower()
    found: list[str] = []
    for pattern, slug in _compiled(rules):
        if slug not in found and pattern.search(lowered):
            found.append(slug)
    return tuple(found)


def postcode_centre(postcode: str) -> tuple[float, float] | None:
    """Latitude and longitude of a US ZIP code's centre, or None for an unknown or malformed one
    (the product's own look-up, ``backend.places``)."""
    return postcode_coordinates(postcode)


def _coordinates(row: dict[str, str]) -> tuple[float, float] | None:
    try:
        return float(row["Latitude"]), float(row["Longitude"])
    except ValueError:
        return postcode_centre(_postcode(row))


def _postcode(row: dict[str, str]) -> str:
    postcode = row["Postcode"].strip()
    return postcode if ZIP_FORMAT.fullmatch(postcode) else ""


def _address(row: dict[str, str]) -> str:
    """``"407 Broome Street\\nNew York, NY 10013\\n(40.72, -73.99)"`` -> street and city lines."""
    lines = [clean(line) for line in row["locality"].splitlines()]
    return ", ".join(line for line in lines if line and not line.startswith("("))[:300]


def _capacity(row: dict[str, str]) -> int:
    try:
        requested = int(row["vol_requests"])
    except ValueError:
        return 1
    return max(1, min(MAX_CAPACITY, requested))


def _opportunity_number(row: dict[str, str]) -> int:
    return int(row["opportunity_id"]) if row["opportunity_id"].isdigit() else 0


def organization_name(row: dict[str, str]) -> str:
    return clean(row["org_title"])[:200]


def organization_specs(rows: Iterable[dict[str, str]]) -> list[OrganizationSpec]:
    """One organization per distinct name, placed at its first role."""
    specs: dict[str, OrganizationSpec] = {}
    for row in rows:
        name = organization_name(row)
        if name in specs:
            continue
        where = _coordinates(row)
        specs[name] = OrganizationSpec(
            name=name,
            contact_email=f"contact@{slugify(name)[:50].strip('-') or 'organization'}.example.org",
            description="Volunteer roles listed with NYC Service (NYC Open Data, historical).",
            address=_address(row),
            postcode=_postcode(row),
            latitude=where[0] if where else None,
            longitude=where[1] if where else None,
        )
    return list(specs.values())


def role_spec(row: dict[str, str], *, today: dt.date) -> RoleSpec:
    title = clean(row["title"])[:200]
    summary = row["summary"].strip()
    text = f"{title} {summary}"
    category_cause = CATEGORY_CAUSES.get(clean(row["category_desc"]))
    keyword_causes = matching_slugs(text, CAUSE_RULES)
    causes = tuple(dict.fromkeys([*([category_cause] if category_cause else []), *keyword_causes]))
    where = _coordinates(row)
    audience: list[str] = []
    if MINOR_AUDIENCE.search(text):
        audience.append("minors")
    if OLDER_AUDIENCE.search(text):
        audience.append("older_adults")
    number = _opportunity_number(row)
    ongoing = row["recurrence_type"].strip() != "onetime"
    return RoleSpec(
        organization=organization_name(row),
        title=title,
        description=summary[:5000],
        mode="in_person" if where else "remote",
        causes=causes or ("community",),
        preferred_skills=matching_slugs(text, SKILL_RULES),
        address=_address(row) if where else "",
        postcode=_postcode(row),
        latitude=where[0] if where else None,
        longitude=where[1] if where else None,
        starts_on=today - dt.timedelta(days=number % 6),
        ends_on=None if ongoing else add_months(today, 3 + number % 10),
        capacity=_capacity(row),
        min_age=55 if FIFTY_FIVE_PLUS.search(title) else None,
        background_check_required="minors" in audience,
        audience=tuple(audience),
    )


def role_specs(rows: Iterable[dict[str, str]], *, today: dt.date) -> list[RoleSpec]:
    return [role_spec(row, today=today) for row in rows]
