"""Seeded generator of volunteers and roles with a realistic shape, for benchmarks and tests.

Places spread over New York (lat 40.5-40.9, lon -74.25..-73.7), clustered around borough centres;
about 30% remote/phone roles; role texts built from real NYC Service titles and summaries plus
skill and cause names; profiles of 200-700 characters.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from matching.engine.records import SLOTS, OpportunityRecord, VolunteerRecord

DATA = Path(__file__).resolve().parent.parent / "data" / "nyc_service_volunteer_opportunities.csv"

SKILLS = {
    "active-listening": "Active listening",
    "peer-support": "Peer support",
    "crisis-support": "Crisis support",
    "spanish-interpreting": "Spanish interpreting",
    "tutoring": "Tutoring",
    "mentoring": "Mentoring",
    "driving": "Driving",
    "cooking": "Cooking",
    "data-entry": "Data entry",
    "graphic-design": "Graphic design",
    "social-media": "Social media",
    "fundraising": "Fundraising",
    "event-planning": "Event planning",
    "first-aid": "First aid",
    "childcare": "Childcare",
    "elder-care": "Elder care",
    "case-management": "Case management",
    "grant-writing": "Grant writing",
    "web-development": "Web development",
    "photography": "Photography",
    "translation": "Translation",
    "counseling": "Counseling",
    "group-facilitation": "Group facilitation",
    "art-therapy": "Art therapy",
    "music": "Music",
    "yoga": "Yoga and mindfulness",
    "legal-aid": "Legal aid",
    "accounting": "Accounting",
    "public-speaking": "Public speaking",
    "outreach": "Community outreach",
    "warehouse": "Warehouse and sorting",
    "gardening": "Gardening",
    "carpentry": "Carpentry",
    "it-support": "IT support",
    "research": "Research",
    "writing": "Writing and editing",
    "sign-language": "Sign language",
    "nursing": "Nursing",
    "nutrition": "Nutrition",
    "coaching": "Sports coaching",
}
CAUSES = {
    "mental-health": "Mental health",
    "youth": "Youth",
    "seniors": "Seniors",
    "homelessness": "Homelessness",
    "food-security": "Food security",
    "lgbtq": "LGBTQ+",
    "immigrants": "Immigrants and refugees",
    "veterans": "Veterans",
    "disability": "Disability",
    "recovery": "Addiction recovery",
    "domestic-violence": "Domestic violence",
    "education": "Education",
    "environment": "Environment",
    "health": "Health",
}
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "ru": "Russian",
    "bn": "Bengali",
    "ht": "Haitian Creole",
    "ko": "Korean",
    "ar": "Arabic",
    "fr": "French",
    "pl": "Polish",
}
TRAININGS = {
    "mhfa": "Mental Health First Aid",
    "qpr": "QPR Suicide Prevention",
    "safeguarding": "Safeguarding Children",
    "crisis-line": "Crisis Line Certification",
    "cpr": "CPR/AED",
    "trauma-informed": "Trauma-Informed Care",
    "harm-reduction": "Harm Reduction Basics",
    "naloxone": "Naloxone Administration",
}
LABELS = {**SKILLS, **CAUSES, **LANGUAGES, **TRAININGS}

# Borough centres (lat, lon, weight): people and roles cluster; Manhattan holds more roles.
_CENTRES = np.array(
    [
        (40.78, -73.97, 0.25),
        (40.65, -73.95, 0.30),
        (40.72, -73.82, 0.25),
        (40.84, -73.88, 0.15),
        (40.58, -74.15, 0.05),
    ]
)
_BIO_OPENERS = [
    "I am a retired teacher",
    "I work in finance",
    "I am a nursing student",
    "I am a graduate student in social work",
    "I work nights as a bartender",
    "I am a software engineer",
    "I am a stay-at-home parent",
    "I recently moved to the city",
    "I am a psychology undergraduate",
    "I have worked in hospitality for ten years",
    "I am a peer specialist in recovery",
    "I am a librarian",
    "I am a chef",
]
_BIO_SENTENCES = [
    "I want to give back to my neighborhood",
    "I have lived experience of depression and recovery",
    "I enjoy listening to people and helping them feel heard",
    "I am comfortable with crisis situations and stay calm under pressure",
    "I love working with kids and teenagers",
    "I like organizing events and bringing people together",
    "I speak more than one language and can help with interpreting",
    "I am good with computers and spreadsheets",
    "I can drive and have my own car",
    "I have volunteered at a food pantry before",
    "I care about older adults living alone",
    "I am looking for something meaningful on weekends",
    "I want to support people experiencing homelessness",
    "I have experience facilitating support groups",
    "I am interested in suicide prevention and mental health advocacy",
    "I can help with social media and design",
    "I enjoy cooking for large groups",
    "I would like to mentor young people from immigrant families",
]


@dataclass(frozen=True)
class Catalogue:
    volunteers: list[VolunteerRecord]
    opportunities: list[OpportunityRecord]
    labels: dict[str, str]
    today: date


def _nyc_texts() -> list[tuple[str, str]]:
    with DATA.open(newline="", encoding="utf-8") as f:
        return [(r["title"], r["summary"]) for r in csv.DictReader(f)]


def _places(rng: np.random.Generator, n: int, spread: float) -> np.ndarray:
    centre = rng.choice(len(_CENTRES), size=n, p=_CENTRES[:, 2] / _CENTRES[:, 2].sum())
    lat = rng.normal(_CENTRES[centre, 0], spread)
    lon = rng.normal(_CENTRES[centre, 1], spread * 1.3)
    return np.column_stack([np.clip(lat, 40.5, 40.9), np.clip(lon, -74.25, -73.7)])


def _pick(rng: np.random.Generator, keys: list[str], low: int, high: int) -> frozenset[str]:
    return frozenset(rng.choice(keys, size=int(rng.integers(low, high + 1)), replace=False))


def _slots(rng: np.random.Generator, low: int, high: int) -> frozenset[str]:
    return _pick(rng, list(SLOTS), low, high)


def make_catalogue(n_volunteers: int, n_roles: int, *, seed: int = 0) -> Catalogue:
    rng = np.random.default_rng(seed)
    today = date(2025, 6, 2)
    skills, causes, trainings = list(SKILLS), list(CAUSES), list(TRAININGS)
    other_languages = [c for c in LANGUAGES if c != "en"]
    texts = _nyc_texts()

    role_places = _places(rng, n_roles, 0.05)
    opportunities = []
    for i in range(n_roles):
        mode = rng.choice(["in_person", "remote", "phone", "hybrid"], p=[0.6, 0.2, 0.1, 0.1])
        req, pref = _pick(rng, skills, 0, 3), _pick(rng, skills, 0, 3)
        role_causes = _pick(rng, causes, 1, 2)
        parts = [texts[j] for j in rng.integers(len(texts), size=int(rng.integers(1, 4)))]
        title = parts[0][0]
        description = " ".join(s for _, s in parts)
        names = ", ".join(SKILLS[s] for s in sorted(req | pref))
        cause_names = ", ".join(CAUSES[c] for c in sorted(role_causes))
        starts = today + timedelta(days=int(rng.integers(-60, 90)))
        ends = None if rng.random() < 0.7 else today + timedelta(days=int(rng.integers(-10, 300)))
        on_site = mode in ("in_person", "hybrid")
        opportunities.append(
            OpportunityRecord(
                id=i + 1,
                organization_id=int(rng.integers(1, max(2, n_roles // 8))),
                title=title,
                text=f"{title}. {description} {names}. {cause_names}.",
                required_skills=req,
                preferred_skills=pref - req,
                causes=role_causes,
                languages=frozenset({str(rng.choice(other_languages))})
                if rng.random() < 0.12
                else frozenset(),
                mode=str(mode),
                latitude=float(role_places[i, 0]) if on_site else None,
                longitude=float(role_places[i, 1]) if on_site else None,
                availability=_slots(rng, 0, 6) if rng.random() < 0.8 else frozenset(),
                hours_per_week=float(rng.choice([1, 2, 3, 4, 6, 8]))
                if rng.random() < 0.9
                else None,
                starts_on=starts,
                ends_on=ends,
                capacity_left=int(rng.choice([0, 1, 1, 2, 3, 5, 10])),
                min_age=int(rng.choice([16, 18, 21])) if rng.random() < 0.2 else None,
                background_check_required=bool(rng.random() < 0.25),
                required_trainings=_pick(rng, trainings, 1, 2)
                if rng.random() < 0.2
                else frozenset(),
                audience=frozenset({"minors"}) if rng.random() < 0.1 else frozenset({"adults"}),
                status=str(rng.choice(["published", "draft", "closed"], p=[0.9, 0.05, 0.05])),
            )
        )

    people = _places(rng, n_volunteers, 0.06)
    volunteers = []
    for i in range(n_volunteers):
        v_skills, v_causes = _pick(rng, skills, 2, 6), _pick(rng, causes, 1, 4)
        sentences = rng.choice(_BIO_SENTENCES, size=int(rng.integers(2, 6)), replace=False)
        bio = f"{rng.choice(_BIO_OPENERS)}. " + ". ".join(sentences) + "."
        text = (
            f"{bio} {', '.join(SKILLS[s] for s in sorted(v_skills))}. "
            f"{', '.join(CAUSES[c] for c in sorted(v_causes))}."
        )
        held = {}
        for t in _pick(rng, trainings, 0, 3):
            held[t] = (
                None if rng.random() < 0.3 else today + timedelta(days=int(rng.integers(-200, 900)))
            )
        check = str(rng.choice(["none", "pending", "cleared", "expired"], p=[0.4, 0.1, 0.45, 0.05]))
        located = rng.random() > 0.08
        max_hours = float(rng.choice([2, 4, 6, 10])) if rng.random() < 0.6 else None
        max_commitments = int(rng.integers(1, 4))
        volunteers.append(
            VolunteerRecord(
                id=i + 1,
                text=text,
                skills=v_skills,
                causes=v_causes,
                languages=frozenset({"en"})
                | (
                    frozenset({str(rng.choice(other_languages))})
                    if rng.random() < 0.35
                    else frozenset()
                ),
                latitude=float(people[i, 0]) if located else None,
                longitude=float(people[i, 1]) if located else None,
                max_travel_km=float(
                    rng.choice(
                        [2, 3, 5, 8, 10, 15, 20, 25],
                        p=[0.1, 0.15, 0.25, 0.15, 0.15, 0.1, 0.05, 0.05],
                    )
                ),
                modes=_pick(rng, ["in_person", "remote", "phone", "hybrid"], 1, 4),
                availability=_slots(rng, 3, 10),
                max_hours_per_week=max_hours,
                max_commitments=max_commitments,
                active_commitments=int(rng.integers(0, max_commitments + 1))
                if rng.random() < 0.3
                else 0,
                committed_hours=float(rng.choice([0, 0, 1, 2, 3])),
                date_of_birth=None
                if rng.random() < 0.05
                else date(
                    int(rng.integers(1945, 2010)),
                    int(rng.integers(1, 13)),
                    int(rng.integers(1, 29)),
                ),
                trainings=held,
                background_check_status=check,
                background_check_expires_on=None
                if check != "cleared" or rng.random() < 0.3
                else today + timedelta(days=int(rng.integers(-100, 700))),
                paused=bool(rng.random() < 0.05),
            )
        )
    return Catalogue(volunteers, opportunities, dict(LABELS), today)
