"""The reference data a new installation starts with (loaded by migration 0002)."""

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


def reference_data_load(apps=None) -> None:
    """Create or refresh the reference rows above. ``apps`` is a migration's historical registry;
    without it the current models are used (tests reload the rows after a transactional flush)."""
    if apps is None:
        from django.apps import apps as current_apps

        apps = current_apps
    skill = apps.get_model("taxonomy", "Skill")
    cause = apps.get_model("taxonomy", "Cause")
    training_type = apps.get_model("taxonomy", "TrainingType")
    language = apps.get_model("taxonomy", "Language")
    for slug, name in SKILLS:
        skill.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, name in CAUSES:
        cause.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, name, months in TRAININGS:
        training_type.objects.update_or_create(
            slug=slug, defaults={"name": name, "valid_for_months": months}
        )
    for code, name in LANGUAGES:
        language.objects.update_or_create(code=code, defaults={"name": name})
