"""The reference data a new installation starts with (loaded by migrations 0002 and 0004)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from taxonomy.languages import iso_639_1_languages
from taxonomy.models import LANGUAGE_UNRANKED_SORT_ORDER

SKILLS = [
    ("active-listening", "Active listening"),
    ("peer-support", "Peer support"),
    ("group-facilitation", "Group facilitation"),
    ("crisis-support", "Crisis support"),
    ("befriending", "Befriending"),
    ("mentoring", "Mentoring"),
    ("tutoring", "Tutoring"),
    ("teaching", "Teaching and workshops"),
    ("event-support", "Event support"),
    ("gardening", "Gardening"),
    ("cooking", "Cooking and food service"),
    ("driving", "Driving"),
    ("administration", "Administration"),
    ("data-entry", "Data entry"),
    ("fundraising", "Fundraising"),
    ("social-media", "Social media"),
    ("graphic-design", "Graphic design"),
    ("web-development", "Web development"),
    ("translation", "Translation and interpreting"),
    ("counseling", "Counseling"),
    ("art-therapy", "Arts and creative activities"),
    ("music", "Music"),
    ("sports-coaching", "Sports coaching"),
    ("youth-work", "Youth work"),
    ("elder-care", "Companionship for older adults"),
    ("outreach", "Community outreach"),
    ("research", "Research and evaluation"),
    ("legal", "Legal advice"),
    ("accounting", "Accounting"),
    ("photography", "Photography"),
    ("manual-labor", "Moving and manual work"),
    ("customer-service", "Reception and customer service"),
]

CAUSES = [
    ("mental-health", "Mental health"),
    ("suicide-prevention", "Suicide prevention"),
    ("loneliness", "Loneliness and isolation"),
    ("older-adults", "Older adults"),
    ("youth", "Children and youth"),
    ("lgbtq", "LGBTQ+ communities"),
    ("veterans", "Veterans"),
    ("homelessness", "Homelessness and housing"),
    ("addiction-recovery", "Addiction recovery"),
    ("refugees", "Refugees and immigrants"),
    ("food-security", "Food security"),
    ("education", "Education and literacy"),
    ("environment", "Environment and green spaces"),
    ("health", "Health and wellbeing"),
    ("disability", "Disability inclusion"),
    ("domestic-violence", "Domestic violence"),
    ("arts-culture", "Arts and culture"),
    ("community", "Strengthening communities"),
    ("emergency", "Emergency preparedness"),
]

TRAININGS = [
    ("mhfa", "Mental Health First Aid", 36),
    ("youth-mhfa", "Youth Mental Health First Aid", 36),
    ("asist", "ASIST suicide intervention", 36),
    ("qpr", "QPR suicide prevention", 24),
    ("safeguarding", "Safeguarding", 24),
    ("peer-support-training", "Peer support training", None),
    ("crisis-line", "Crisis line training", 12),
    ("trauma-informed", "Trauma-informed care", None),
    ("first-aid", "First aid and CPR", 24),
]

#: The languages forms list first, in this order: roughly New York's home languages by number of
#: speakers. The names are the ones this service shows (and the demo, tests and reasons use), where
#: they differ from ISO's ("Haitian Creole", not "Haitian"). Every other ISO 639-1 language follows,
#: by name, with its English name from pycountry.
LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("zh", "Chinese"),
    ("ru", "Russian"),
    ("bn", "Bengali"),
    ("ht", "Haitian Creole"),
    ("ko", "Korean"),
    ("ar", "Arabic"),
    ("fr", "French"),
    ("ur", "Urdu"),
    ("pl", "Polish"),
    ("it", "Italian"),
    ("yi", "Yiddish"),
    ("hi", "Hindi"),
    ("pt", "Portuguese"),
    ("de", "German"),
    ("el", "Greek"),
    ("tl", "Tagalog"),
    ("vi", "Vietnamese"),
    ("ja", "Japanese"),
    ("he", "Hebrew"),
    ("fa", "Persian"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("pa", "Punjabi"),
    ("sw", "Swahili"),
    ("yo", "Yoruba"),
    ("am", "Amharic"),
    ("so", "Somali"),
    ("ne", "Nepali"),
]


#: Other names people look for that ISO does not give (ISO's own names are added to these).
LANGUAGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "zh": ("Mandarin", "Cantonese"),
    "fa": ("Farsi",),
    "ht": ("Kreyòl",),
    "tl": ("Filipino",),
}

#: Ranks in steps of ten, so staff can slot a language in between in the admin.
SORT_ORDER_STEP = 10


def _joined(names: Iterable[str], shown: str) -> str:
    """Synonyms as the admin keeps them: one comma-separated line, without the shown name."""
    return ", ".join(n for n in dict.fromkeys(names) if n != shown)


def language_rows() -> list[dict[str, Any]]:
    """One row per ISO 639-1 language: the house name and rank for the common ones, ISO's English
    name and the unranked place for the rest, and the other names people search for."""
    house_names = dict(LANGUAGES)
    ranks = {code: (i + 1) * SORT_ORDER_STEP for i, (code, _) in enumerate(LANGUAGES)}
    rows = []
    for iso in iso_639_1_languages():
        name = house_names.get(iso.code, iso.name)
        others = (*LANGUAGE_SYNONYMS.get(iso.code, ()), iso.name, *iso.other_names)
        rows.append(
            {
                "code": iso.code,
                "name": name,
                "synonyms": _joined(others, name),
                "sort_order": ranks.get(iso.code, LANGUAGE_UNRANKED_SORT_ORDER),
            }
        )
    return rows


def languages_load(apps: Any = None) -> None:
    """Create or refresh a row for every ISO 639-1 language; running it again changes nothing.
    Three queries, not one per language: tests reload the rows after every transactional flush.

    Migration 0002 runs this with a historical Language that has only ``code`` and ``name``, so
    only the fields the given model has are written; migration 0004 runs it again once the model
    has ``synonyms`` and ``sort_order``."""
    language = _registry(apps).get_model("taxonomy", "Language")
    rows = language_rows()
    fields = [
        f.name for f in language._meta.concrete_fields if f.name in rows[0] and not f.primary_key
    ]
    existing = {row.code: row for row in language.objects.all()}
    new, changed = [], []
    for row in rows:
        values = {key: row[key] for key in fields}
        current = existing.get(row["code"])
        if current is None:
            new.append(language(code=row["code"], **values))
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            changed.append(current)
    language.objects.bulk_create(new)
    language.objects.bulk_update(changed, fields)


def _registry(apps: Any) -> Any:
    """A migration's historical registry, or the current models when called outside one."""
    if apps is None:
        from django.apps import apps as current_apps

        return current_apps
    return apps


def reference_data_load(apps: Any = None) -> None:
    """Create or refresh the reference rows above. ``apps`` is a migration's historical registry;
    without it the current models are used (tests reload the rows after a transactional flush)."""
    apps = _registry(apps)
    skill = apps.get_model("taxonomy", "Skill")
    cause = apps.get_model("taxonomy", "Cause")
    training_type = apps.get_model("taxonomy", "TrainingType")
    for slug, name in SKILLS:
        skill.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, name in CAUSES:
        cause.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, name, months in TRAININGS:
        training_type.objects.update_or_create(
            slug=slug, defaults={"name": name, "valid_for_months": months}
        )
    languages_load(apps)
