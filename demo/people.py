"""Generated demo volunteers: plausible New Yorkers from a seeded random generator.

Everything comes from one ``random.Random(seed)`` and dates are relative to ``today``, so the same
seed on the same day gives the same people, field for field (nothing iterates over a ``set``, whose
order changes between Python processes). Proportions are rough but chosen to look like the city:

* Languages follow New York's home languages (American Community Survey, roughly): about half
  English only, a fifth Spanish speakers, then Chinese, Russian, Bengali, Haitian Creole, Korean,
  Arabic, Yiddish, Polish, French, Urdu and Tagalog; most non-English speakers also speak English.
* Homes are real ZIP codes in the five boroughs, weighted by population, with a few hundred metres
  of jitter so volunteers do not stack on the same point.
* Ages 18-80 (about 3% are 16-17, so the minimum-age rules have someone to refuse); students and
  working people are free evenings and weekends, retired people in the daytime.
* About half hold at least one training (Mental Health First Aid most often); some 12% of those are
  expired. Background checks: 45% none, 15% pending, 35% cleared, 5% expired.
* About a fifth describe lived experience, two thirds of them consenting to share it; 4% are paused.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from demo.data.boroughs import BOROUGH_CENTRES, BOROUGH_WEIGHTS, BOROUGH_ZIPS
from demo.data.communities import COMMUNITIES
from demo.data.volunteer_traits import (
    CAUSE_WEIGHTS,
    LIVED_EXPERIENCES,
    MODE_CHOICES,
    MOTIVATIONS,
    SKILL_WEIGHTS,
    STYLES,
    TRAINING_CHANCES,
)
from demo.specs import TrainingSpec, VolunteerSpec, add_months
from taxonomy.availability import DAYS, normalise_slots
from taxonomy.seed import TRAININGS

DEFAULT_SEED = 7
GENERATED_EMAIL = "volunteer-{number:04d}@demo.kindred"

TRAINING_VALIDITY = {slug: months for slug, _name, months in TRAININGS}


def _weighted_sample(rng: random.Random, weights: dict[str, float], count: int) -> tuple[str, ...]:
    """``count`` distinct keys, likelier ones first; in insertion order of ``weights`` afterwards."""
    pool = dict(weights)
    chosen: list[str] = []
    for _ in range(min(count, len(pool))):
        key = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(key)
        del pool[key]
    return tuple(key for key in weights if key in chosen)


def _age(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.03:
        return rng.randint(16, 17)
    if band < 0.33:
        return rng.randint(18, 29)
    if band < 0.63:
        return rng.randint(30, 49)
    if band < 0.83:
        return rng.randint(50, 64)
    return rng.randint(65, 80)


def _born(rng: random.Random, age: int, today: dt.date) -> dt.date:
    """A birthday that makes the volunteer exactly ``age`` today."""
    return add_months(today, -12 * age) - dt.timedelta(days=rng.randint(0, 360))


def _availability(rng: random.Random, age: int) -> tuple[str, ...]:
    if age >= 65:
        parts: tuple[str, ...] = ("morning", "afternoon")
        days: tuple[str, ...] = DAYS
    elif age < 25:
        parts = ("afternoon", "evening")
        days = DAYS
    else:
        parts = ("evening",)
        days = DAYS[:5]
    pool = [f"{day}-{part}" for day in days for part in parts]
    if age >= 25:
        pool += ["sat-morning", "sat-afternoon", "sun-morning", "sun-afternoon"]
    if rng.random() < 0.08:  # night owls for the overnight lines
        pool += ["fri-night", "sat-night", "sun-night"]
    wanted = rng.sample(pool, k=min(len(pool), rng.randint(3, 9)))
    return tuple(normalise_slots(wanted))


def _trainings(rng: random.Random, today: dt.date, lived: bool) -> tuple[TrainingSpec, ...]:
    held: list[TrainingSpec] = []
    for slug, chance in TRAINING_CHANCES:
        if slug == "peer-support-training" and lived:
            chance = 0.35
        if rng.random() >= chance:
            continue
        months = TRAINING_VALIDITY[slug]
        if months is None:
            completed = today - dt.timedelta(days=rng.randint(30, 5 * 365))
        elif rng.random() < 0.12:  # lapsed: completed before the validity window
            completed = add_months(today, -months) - dt.timedelta(days=rng.randint(10, 400))
        else:
            completed = add_months(today, -months) + dt.timedelta(
                days=rng.randint(15, months * 30 - 15)
            )
        expires = add_months(completed, months) if months is not None else None
        held.append(TrainingSpec(slug, completed, expires, verified=rng.random() < 0.6))
    return tuple(held)


def _background_check(
    rng: random.Random, today: dt.date, age: int
) -> tuple[str, dt.date | None, dt.date | None]:
    roll = rng.random()
    if age < 18 or roll < 0.45:
        return "none", None, None
    if roll < 0.60:
        return "pending", None, None
    if roll < 0.95:
        cleared = today - dt.timedelta(days=rng.randint(20, 1000))
        return "cleared", cleared, add_months(cleared, 36)
    cleared = today - dt.timedelta(days=rng.randint(1120, 1800))
    return "expired", cleared, add_months(cleared, 36)


def generate_volunteers(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date,
    zip_centre: Callable[[str], tuple[float, float] | None],
) -> list[VolunteerSpec]:
    """``count`` volunteers numbered 1..count. ``zip_centre(zip)`` gives (lat, lon) or None."""
    rng = random.Random(seed)
    people: list[VolunteerSpec] = []
    for number in range(1, count + 1):
        community = rng.choices(COMMUNITIES, weights=[c.weight for c in COMMUNITIES])[0]
        first, last = rng.choice(community.first_names), rng.choice(community.last_names)
        languages = list(community.languages)
        if community.languages == ("en",):
            if rng.random() < 0.08:
                languages.append(rng.choice(("es", "fr", "it", "de", "pt")))
        elif rng.random() < community.english_share:
            languages.insert(0, "en")

        boroughs = community.boroughs or BOROUGH_WEIGHTS
        borough = rng.choices(list(boroughs), weights=list(boroughs.values()))[0]
        postcode = rng.choice(BOROUGH_ZIPS[borough])
        centre = zip_centre(postcode) or BOROUGH_CENTRES[borough]
        latitude = round(centre[0] + rng.gauss(0, 0.004), 6)
        longitude = round(centre[1] + rng.gauss(0, 0.005), 6)

        age = _age(rng)
        lived = rng.random() < 0.2
        lived_text = rng.choice(LIVED_EXPERIENCES) if lived else ""
        skills = _weighted_sample(rng, SKILL_WEIGHTS, rng.randint(2, 6))
        causes = _weighted_sample(rng, CAUSE_WEIGHTS, rng.randint(1, 4))
        check, cleared_on, expires_on = _background_check(rng, today, age)
        bio = " ".join((rng.choice(MOTIVATIONS), rng.choice(STYLES)))
        people.append(
            VolunteerSpec(
                email=GENERATED_EMAIL.format(number=number),
                first_name=first,
                last_name=last,
                display_name=f"{first} {last}",
                bio=bio,
                postcode=postcode,
                latitude=latitude,
                longitude=longitude,
                max_travel_km=float(rng.choice((2, 3, 5, 5, 8, 10, 10, 12, 15, 15, 20, 25))),
                modes=rng.choices(
                    [m for m, _ in MODE_CHOICES], weights=[w for _, w in MODE_CHOICES]
                )[0],
                availability=_availability(rng, age),
                max_hours_per_week=Decimal(rng.randint(2, 10)),
                max_commitments=rng.choices((1, 2, 3), weights=(50, 35, 15))[0],
                date_of_birth=_born(rng, age, today),
                background_check_status=check,
                background_check_cleared_on=cleared_on,
                background_check_expires_on=expires_on,
                lived_experience=lived_text,
                share_lived_experience=lived and rng.random() < 0.65,
                paused=rng.random() < 0.04,
                skills=skills,
                causes=causes,
                languages=tuple(dict.fromkeys(languages)),
                trainings=_trainings(rng, today, lived),
            )
        )
    return people
