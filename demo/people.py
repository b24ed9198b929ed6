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
from dataclasses import dataclass
from decimal import Decimal

from demo.specs import TrainingSpec, VolunteerSpec, add_months
from taxonomy.availability import DAYS, normalise_slots
from taxonomy.seed import TRAININGS

DEFAULT_SEED = 7
GENERATED_EMAIL = "volunteer-{number:04d}@demo.kindred"

BOROUGH_ZIPS: dict[str, tuple[str, ...]] = {
    "brooklyn": (
        "11201",
        "11206",
        "11211",
        "11215",
        "11220",
        "11226",
        "11230",
        "11235",
        "11212",
        "11209",
    ),
    "queens": (
        "11354",
        "11368",
        "11372",
        "11375",
        "11377",
        "11385",
        "11432",
        "11434",
        "11101",
        "11691",
    ),
    "manhattan": (
        "10002",
        "10009",
        "10025",
        "10027",
        "10031",
        "10034",
        "10016",
        "10029",
        "10023",
        "10011",
    ),
    "bronx": (
        "10451",
        "10453",
        "10456",
        "10458",
        "10461",
        "10463",
        "10467",
        "10469",
        "10472",
        "10474",
    ),
    "staten_island": ("10301", "10304", "10306", "10312", "10314"),
}
# Population in millions (2020 census), the weight for where a volunteer lives.
BOROUGH_WEIGHTS = {
    "brooklyn": 2.7,
    "queens": 2.4,
    "manhattan": 1.7,
    "bronx": 1.5,
    "staten_island": 0.5,
}
# Fallback when the zipcodes package does not know a ZIP: the borough's centre.
BOROUGH_CENTRES = {
    "brooklyn": (40.6782, -73.9442),
    "queens": (40.7282, -73.7949),
    "manhattan": (40.7831, -73.9712),
    "bronx": (40.8448, -73.8648),
    "staten_island": (40.5795, -74.1502),
}


@dataclass(frozen=True)
class Community:
    """A language community: its weight among volunteers, languages, names and where it lives."""

    weight: float
    languages: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    boroughs: dict[str, float] | None = None
    english_share: float = 0.9


COMMUNITIES: tuple[Community, ...] = (
    Community(
        52,
        ("en",),
        (
            "James",
            "Emily",
            "Michael",
            "Sarah",
            "David",
            "Jessica",
            "Chris",
            "Ashley",
            "Daniel",
            "Lauren",
            "Kevin",
            "Rachel",
            "Marcus",
            "Tanya",
            "Andre",
            "Keisha",
            "Ryan",
            "Megan",
            "Jordan",
            "Taylor",
            "Brian",
            "Nicole",
            "Patrick",
            "Grace",
            "Sean",
            "Olivia",
            "Tyrone",
            "Hannah",
            "Jamal",
            "Abigail",
        ),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Moore",
            "Taylor",
            "Anderson",
            "Jackson",
            "White",
            "Harris",
            "Thompson",
            "Robinson",
            "Walker",
            "O'Brien",
            "Murphy",
            "Sullivan",
            "Cohen",
            "Goldberg",
            "Russo",
            "Esposito",
        ),
        english_share=1.0,
    ),
    Community(
        22,
        ("es",),
        (
            "María",
            "José",
            "Luis",
            "Carmen",
            "Ana",
            "Carlos",
            "Rosa",
            "Miguel",
            "Yesenia",
            "Jorge",
            "Alejandra",
            "Juan",
            "Daniela",
            "Francisco",
            "Lucía",
            "Rafael",
            "Gabriela",
            "Héctor",
            "Marisol",
            "Ángel",
        ),
        (
            "García",
            "Rodríguez",
            "Martínez",
            "Hernández",
            "López",
            "González",
            "Pérez",
            "Sánchez",
            "Ramírez",
            "Torres",
            "Rivera",
            "Cruz",
            "Reyes",
            "Morales",
            "Ortiz",
            "Santiago",
            "Vásquez",
            "Díaz",
        ),
        boroughs={"bronx": 3, "queens": 2.5, "brooklyn": 2, "manhattan": 1.5, "staten_island": 0.3},
        english_share=0.85,
    ),
    Community(
        7,
        ("zh",),
        ("Wei", "Mei", "Jun", "Li", "Xiao", "Ying", "Hao", "Lin", "Jian", "Fang", "Kevin", "Amy"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Lin", "Huang", "Wu", "Zhou", "Ng", "Chan"),
        boroughs={"queens": 3, "brooklyn": 2, "manhattan": 1.5},
        english_share=0.8,
    ),
    Community(
        4,
        ("ru",),
        ("Olga", "Dmitri", "Natalia", "Sergei", "Irina", "Alexei", "Svetlana", "Yuri", "Anya"),
        ("Ivanova", "Petrov", "Smirnova", "Kuznetsov", "Popova", "Volkov", "Sokolova", "Lebedev"),
        boroughs={"brooklyn": 4, "queens": 1, "staten_island": 0.5},
        english_share=0.85,
    ),
    Community(
        2.5,
        ("bn",),
        ("Rahim", "Fatema", "Nusrat", "Arif", "Tahmina", "Sabbir", "Farhana", "Imran"),
        ("Rahman", "Hossain", "Islam", "Ahmed", "Chowdhury", "Uddin", "Begum"),
        boroughs={"queens": 3, "bronx": 1.5, "brooklyn": 1.5},
    ),
    Community(
        2.5,
        ("ht", "fr"),
        ("Jean", "Marie", "Widline", "Pierre", "Nadège", "Stanley", "Guerline", "Fritz"),
        ("Joseph", "Pierre", "Jean-Baptiste", "Louis", "Charles", "Etienne", "Baptiste"),
        boroughs={"brooklyn": 4, "queens": 1.5},
    ),
    Community(
        2,
        ("ko",),
        ("Ji-woo", "Min-jun", "Seo-yeon", "Hyun", "Soo-jin", "Daniel", "Grace"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang"),
        boroughs={"queens": 4, "manhattan": 1},
    ),
    Community(
        1.5,
        ("ar",),
        ("Omar", "Layla", "Yusuf", "Mariam", "Khalid", "Nour"),
        ("Haddad", "Mansour", "Saleh", "Nasser", "Khoury"),
        boroughs={"brooklyn": 3, "queens": 1.5, "staten_island": 0.5},
    ),
    Community(
        1.5,
        ("yi", "he"),
        ("Chaim", "Rivka", "Moshe", "Chana", "Yosef", "Leah"),
        ("Friedman", "Weiss", "Schwartz", "Klein", "Rosenberg"),
        boroughs={"brooklyn": 5},
    ),
    Community(
        1,
        ("pl",),
        ("Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magda"),
        ("Kowalski", "Nowak", "Wiśniewska", "Wójcik"),
        boroughs={"brooklyn": 3, "queens": 2},
    ),
    Community(
        1,
        ("fr",),
        ("Aminata", "Mamadou", "Fatou", "Ibrahima", "Awa"),
        ("Diallo", "Traoré", "Sow", "Camara", "Ndiaye"),
        boroughs={"bronx": 3, "manhattan": 1.5},
    ),
    Community(
        1,
        ("ur", "hi"),
        ("Ayesha", "Bilal", "Sana", "Usman", "Zainab"),
        ("Khan", "Malik", "Qureshi", "Siddiqui"),
        boroughs={"brooklyn": 2, "queens": 2},
    ),
    Community(
        1,
        ("tl",),
        ("Maricel", "Jose", "Rowena", "Arnel", "Joy"),
        ("Santos", "Reyes", "Bautista", "Villanueva"),
        boroughs={"queens": 4},
    ),
)

SKILL_WEIGHTS: dict[str, float] = {
    "active-listening": 8,
    "peer-support": 4,
    "group-facilitation": 3,
    "crisis-support": 1.5,
    "befriending": 3,
    "mentoring": 4,
    "tutoring": 4,
    "teaching": 3,
    "event-support": 5,
    "gardening": 3,
    "cooking": 3,
    "driving": 2,
    "administration": 3,
    "data-entry": 2,
    "fundraising": 2,
    "social-media": 2.5,
    "graphic-design": 1.5,
    "web-development": 1,
    "translation": 2,
    "counseling": 1,
    "art-therapy": 2,
    "music": 1.5,
    "sports-coaching": 1.5,
    "youth-work": 2.5,
    "elder-care": 2,
    "outreach": 3,
    "research": 1,
    "legal": 0.5,
    "accounting": 0.5,
    "photography": 1.5,
    "manual-labor": 2,
    "customer-service": 3,
}
CAUSE_WEIGHTS: dict[str, float] = {
    "mental-health": 10,
    "suicide-prevention": 2,
    "loneliness": 4,
    "older-adults": 3,
    "youth": 5,
    "lgbtq": 2,
    "veterans": 1,
    "homelessness": 3,
    "addiction-recovery": 1.5,
    "refugees": 2,
    "food-security": 3,
    "education": 4,
    "environment": 3,
    "health": 3,
    "disability": 1.5,
    "domestic-violence": 1,
    "arts-culture": 2.5,
    "community": 4,
    "emergency": 0.7,
}
# (slug, chance to hold it); peer support training is likelier with lived experience.
TRAINING_CHANCES: tuple[tuple[str, float], ...] = (
    ("mhfa", 0.28),
    ("youth-mhfa", 0.06),
    ("asist", 0.08),
    ("qpr", 0.08),
    ("safeguarding", 0.15),
    ("peer-support-training", 0.06),
    ("crisis-line", 0.06),
    ("trauma-informed", 0.07),
    ("first-aid", 0.2),
)
TRAINING_VALIDITY = {slug: months for slug, _name, months in TRAININGS}

MODE_CHOICES: tuple[tuple[tuple[str, ...], float], ...] = (
    (("in_person",), 25),
    (("in_person", "hybrid"), 20),
    (("in_person", "remote", "phone", "hybrid"), 25),
    (("remote", "phone"), 10),
    (("remote",), 8),
    (("phone",), 4),
    (("in_person", "phone"), 8),
)

MOTIVATIONS = (
    "I want to give something back to the neighbourhood that looked after me.",
    "After years of caring for my mother I know how isolating it can be.",
    "I'm a graduate student in social work looking for hands-on experience.",
    "I recently retired and want to spend my time where it matters.",
    "My friends come to me when things are hard, and I'd like to put that to use.",
    "I moved to New York last year and want to meet people while helping out.",
    "Volunteering keeps me grounded; I've done it since high school.",
    "I work from home and miss being part of a community.",
    "I believe nobody should have to face a mental-health crisis alone.",
    "I'm bilingual and know how much it means to be heard in your own language.",
    "My company gives us volunteering days and I want to use them well.",
    "I'm training to be a nurse and care about mental health as much as physical health.",
)
STYLES = (
    "I'm patient and a good listener.",
    "People tell me I'm calm in a crisis.",
    "I'm organised and reliable; if I say I'll be there, I will.",
    "I love a busy event and talking to strangers.",
    "I'm better one-to-one than in big groups.",
    "I'm happiest outdoors with my hands in the soil.",
    "I enjoy explaining things and seeing them click.",
)
LIVED_EXPERIENCES = (
    "I lived with depression through my twenties; a peer support group helped me more than anything.",
    "I'm in long-term recovery from alcohol addiction.",
    "I lost my brother to suicide and have been through grief support myself.",
    "I have bipolar disorder and have been well for several years with good support.",
    "I came to New York as a refugee and know what isolation and trauma feel like.",
    "As a young LGBTQ+ person I struggled with anxiety and found help through an online peer chat.",
    "I served in the Army and went through the transition back to civilian life.",
    "I cared for a parent with dementia for six years.",
    "I've experienced homelessness and lived in a shelter for a year.",
    "I live with an eating disorder in recovery.",
)


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
