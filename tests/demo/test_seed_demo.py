"""``manage.py seed_demo``: Dana the developer loads the demo on a fresh database, runs it again by
mistake, and once tries it where DEBUG is off."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from demo import seeding
from demo.catalogue import demo_role_specs
from demo.data.organizations import DEMO_ORGANIZATIONS
from demo.data.volunteer_traits import CAUSE_WEIGHTS, SKILL_WEIGHTS, TRAINING_CHANCES
from demo.logins import ADMIN_LOGIN, COORDINATOR_LOGIN, STAFF_LOGIN, VOLUNTEER_LOGIN
from demo.nyc import CATEGORY_CAUSES, CAUSE_RULES, NYC_CSV, SKILL_RULES, postcode_centre
from demo.people import generate_volunteers
from demo.seeding import REFUSED_WITHOUT_DEBUG_MESSAGE
from opportunities.models import Opportunity
from organizations.models import Membership, Organization
from taxonomy.availability import invalid_slots
from taxonomy.seed import CAUSES, LANGUAGES, SKILLS, TRAININGS
from volunteers.models import TrainingRecord, VolunteerProfile

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kindred-demo-2026"
LOGINS = (VOLUNTEER_LOGIN, COORDINATOR_LOGIN, ADMIN_LOGIN, STAFF_LOGIN)
DEMO_ORGANIZATION_NAMES = [spec.name for spec in DEMO_ORGANIZATIONS]


def csv_rows() -> list[dict[str, str]]:
    with NYC_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def nyc_organization_names() -> set[str]:
    return {" ".join(row["org_title"].split()) for row in csv_rows()}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "roles": Opportunity.objects.count(),
        "users": get_user_model().objects.count(),
        "profiles": VolunteerProfile.objects.count(),
        "trainings": TrainingRecord.objects.count(),
        "memberships": Membership.objects.count(),
        "role causes": Opportunity.causes.through.objects.count(),
        "role skills": Opportunity.preferred_skills.through.objects.count()
        + Opportunity.required_skills.through.objects.count(),
        "role trainings": Opportunity.required_trainings.through.objects.count(),
        "volunteer skills": VolunteerProfile.skills.through.objects.count(),
        "volunteer languages": VolunteerProfile.languages.through.objects.count(),
    }


def volunteer_snapshot() -> list[tuple]:
    return [
        (
            p.user.email,
            p.display_name,
            p.bio,
            p.latitude,
            p.longitude,
            p.max_travel_km,
            p.modes,
            p.availability,
            p.date_of_birth,
            p.background_check_status,
            p.paused,
            sorted(p.skills.values_list("slug", flat=True)),
            sorted(p.languages.values_list("code", flat=True)),
            sorted(p.trainings.values_list("training_type__slug", "completed_on", "expires_on")),
        )
        for p in VolunteerProfile.objects.filter(user__email__startswith="volunteer-").order_by(
            "user__email"
        )
    ]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_seeding_loads_the_nyc_catalogue_the_demo_roles_volunteers_and_logins(debug):
    output = seed(volunteers=40)

    rows = csv_rows()
    nyc_names = nyc_organization_names()
    assert Organization.objects.filter(name__in=nyc_names).count() == len(nyc_names)
    assert Opportunity.objects.filter(organization__name__in=nyc_names).count() == len(rows)
    demo_roles = Opportunity.objects.filter(organization__name__in=DEMO_ORGANIZATION_NAMES)
    assert demo_roles.count() == len(demo_role_specs(today=timezone.localdate())) >= 20
    assert Organization.objects.count() == len(nyc_names) + len(DEMO_ORGANIZATIONS)
    assert not Opportunity.objects.exclude(status=Opportunity.Status.PUBLISHED).exists()

    # 40 generated volunteers plus Jordan, the demo volunteer; the other logins have no profile.
    assert VolunteerProfile.objects.count() == 41
    assert get_user_model().objects.count() == 40 + len(LOGINS)

    # full_clean checks every constraint with a query: all demo roles, every fifth NYC row.
    for organization in Organization.objects.order_by("id")[::5]:
        organization.full_clean()
    for role in [*demo_roles, *Opportunity.objects.exclude(pk__in=demo_roles).order_by("id")[::5]]:
        role.full_clean()
        assert not invalid_slots(role.availability)
    for profile in VolunteerProfile.objects.all():
        profile.full_clean()
        assert not invalid_slots(profile.availability)

    for email in LOGINS:
        assert authenticate(email=email, password=PASSWORD) is not None, email
        assert email in output
    assert PASSWORD in output
    assert "organizations" in output
    assert "roles" in output
    assert "volunteers" in output


@pytest.mark.django_db
def test_the_nyc_roles_are_alive_placed_and_sized(debug):
    seed(volunteers=0)
    today = timezone.localdate()
    nyc = Opportunity.objects.filter(organization__name__in=nyc_organization_names())

    # The 2011-2013 listings are moved to today: none has ended, none starts in the future.
    assert not nyc.filter(ends_on__lt=today).exists()
    assert not nyc.filter(starts_on__gt=today).exists()
    assert not nyc.filter(starts_on__lt=today - dt.timedelta(days=5)).exists()
    rows = csv_rows()
    assert nyc.filter(ends_on__isnull=True).count() == sum(
        row["recurrence_type"] == "ongoing" for row in rows
    )
    assert not nyc.filter(capacity__gt=25).exists()
    # Published as a coordinator could publish them: placed when in person, not yet ended.
    for role in Opportunity.objects.all():
        assert role.publication_problems(today=today) == {}, role.title

    # A row with coordinates is in person there; with only a postcode, at the postcode's centre;
    # with neither, remote.
    with_coordinates = next(row for row in rows if row["Latitude"])
    placed = nyc.filter(title=" ".join(with_coordinates["title"].split())).first()
    assert placed is not None
    assert placed.mode == "in_person"
    assert placed.latitude == pytest.approx(float(with_coordinates["Latitude"]))
    postcode_only = next(row for row in rows if not row["Latitude"] and row["Postcode"] == "10001")
    at_postcode = nyc.filter(
        title=" ".join(postcode_only["title"].split()),
        organization__name=" ".join(postcode_only["org_title"].split()),
        postcode="10001",
    ).first()
    assert at_postcode is not None
    assert (at_postcode.latitude, at_postcode.longitude) == pytest.approx(postcode_centre("10001"))
    nowhere = next(row for row in rows if not row["Latitude"] and not row["Postcode"].strip())
    unplaced = nyc.filter(title=" ".join(nowhere["title"].split())).first()
    assert unplaced is not None
    assert unplaced.mode == "remote"

    math_tutor = nyc.get(title="Math Tutor", organization__name="Mosaic Preparatory Academy")
    assert {"education", "youth"} <= set(math_tutor.causes.values_list("slug", flat=True))
    assert "tutoring" in math_tutor.preferred_skills.values_list("slug", flat=True)
    assert math_tutor.audience == ["minors"]
    assert math_tutor.background_check_required


@pytest.mark.django_db
def test_the_demo_roles_carry_their_safeguards(debug):
    seed(volunteers=0)

    crisis = Opportunity.objects.get(title="Crisis text line listener")
    assert crisis.mode == "remote"
    assert crisis.hide_address
    assert crisis.background_check_required
    assert crisis.min_age == 18
    assert list(crisis.required_trainings.values_list("slug", flat=True)) == ["crisis-line"]

    befriender = Opportunity.objects.get(title="Befriender for isolated older adults")
    assert befriender.audience == ["older_adults"]
    assert befriender.background_check_required
    assert "safeguarding" in befriender.required_trainings.values_list("slug", flat=True)

    # SQLite cannot filter JSON lists by containment, hence the Python filter.
    for role in Opportunity.objects.all():
        if "minors" in role.audience:
            assert role.background_check_required, role.title
    spanish = Opportunity.objects.get(title="Spanish-language support group co-facilitator")
    assert list(spanish.languages.values_list("code", flat=True)) == ["es"]
    assert spanish.lived_experience_valued


@pytest.mark.django_db
def test_the_demo_logins_hold_their_roles(debug):
    seed(volunteers=0)
    User = get_user_model()
    demo_organizations = Organization.objects.filter(name__in=DEMO_ORGANIZATION_NAMES)

    staff = User.objects.get(email=STAFF_LOGIN)
    assert staff.is_staff
    assert staff.is_superuser
    for email, role in ((COORDINATOR_LOGIN, "coordinator"), (ADMIN_LOGIN, "admin")):
        memberships = Membership.objects.filter(user__email=email)
        assert {m.organization for m in memberships} == set(demo_organizations)
        assert {m.role for m in memberships} == {role}
        assert not User.objects.get(email=email).is_staff

    jordan = VolunteerProfile.objects.get(user__email=VOLUNTEER_LOGIN)
    assert jordan.skills.exists()
    assert jordan.causes.exists()
    assert jordan.languages.count() == 2
    assert jordan.trainings.count() == 2
    assert jordan.background_check_status == "cleared"
    assert jordan.latitude is not None
    assert jordan.availability
    assert jordan.date_of_birth
    assert jordan.share_lived_experience
    assert jordan.lived_experience

    # Generated volunteers exist to be matched, not to sign in.
    generated = User.objects.exclude(email__in=LOGINS).first()
    assert generated is None or not generated.has_usable_password()


@pytest.mark.django_db
def test_running_it_twice_duplicates_nothing(debug):
    seed(volunteers=40)
    before = table_counts()

    output = seed(volunteers=40, password="another-password")

    assert table_counts() == before
    assert "(0 new)" in output
    # The logins take the password printed by the latest run.
    assert authenticate(email=COORDINATOR_LOGIN, password="another-password") is not None


@pytest.mark.django_db
def test_more_volunteers_later_adds_only_the_missing_ones(debug):
    seed(volunteers=10)
    seed(volunteers=25)
    assert VolunteerProfile.objects.filter(user__email__startswith="volunteer-").count() == 25


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_volunteers(debug):
    seed(volunteers=30, seed=11)
    first = volunteer_snapshot()
    get_user_model().objects.filter(email__startswith="volunteer-").delete()

    seed(volunteers=30, seed=11)

    assert volunteer_snapshot() == first
    assert len(first) == 30


def test_a_different_seed_gives_different_volunteers():
    today = dt.date(2026, 3, 1)
    one = generate_volunteers(50, seed=1, today=today, zip_centre=postcode_centre)
    again = generate_volunteers(50, seed=1, today=today, zip_centre=postcode_centre)
    other = generate_volunteers(50, seed=2, today=today, zip_centre=postcode_centre)
    assert one == again
    assert one != other


def test_generated_volunteers_look_like_new_yorkers():
    today = dt.date(2026, 3, 1)
    people = generate_volunteers(600, seed=7, today=today, zip_centre=postcode_centre)
    ages = []
    for p in people:
        born = p.date_of_birth
        assert born is not None
        ages.append(today.year - born.year - (today.timetuple()[1:3] < born.timetuple()[1:3]))
    assert min(ages) >= 16
    assert max(ages) <= 80
    assert any(age < 18 for age in ages)
    assert all(
        p.background_check_status == "none" for p, age in zip(people, ages, strict=True) if age < 18
    )
    for p in people:
        assert p.latitude is not None
        assert p.longitude is not None
        assert 40.45 < p.latitude < 40.95
        assert -74.3 < p.longitude < -73.65
    assert all(2 <= p.max_travel_km <= 25 and 1 <= p.max_commitments <= 3 for p in people)
    speaking = {code: sum(code in p.languages for p in people) for code in ("en", "es", "zh", "ru")}
    assert speaking["en"] > speaking["es"] > speaking["zh"] > 0
    assert speaking["ru"] > 0
    assert any(t.expires_on and t.expires_on < today for p in people for t in p.trainings)
    assert any(p.background_check_status == "expired" for p in people)
    assert any(p.paused for p in people)
    assert any(p.share_lived_experience for p in people)


def test_every_slug_the_demo_names_exists_in_the_reference_data():
    skills = {slug for slug, _ in SKILLS}
    causes = {slug for slug, _ in CAUSES}
    trainings = {slug for slug, _, _ in TRAININGS}
    languages = {code for code, _ in LANGUAGES}
    roles = demo_role_specs(today=dt.date(2026, 3, 1))
    assert {s for r in roles for s in (*r.required_skills, *r.preferred_skills)} <= skills
    assert {s for _, s in SKILL_RULES} | set(SKILL_WEIGHTS) <= skills
    assert {c for r in roles for c in r.causes} | {c for _, c in CAUSE_RULES} <= causes
    assert set(CATEGORY_CAUSES.values()) | set(CAUSE_WEIGHTS) <= causes
    assert {t for r in roles for t in r.required_trainings} | {
        t for t, _ in TRAINING_CHANCES
    } <= trainings
    assert {code for r in roles for code in r.languages} <= languages
    assert all(not invalid_slots(r.availability) for r in roles)


@pytest.mark.django_db
def test_an_error_half_way_leaves_no_half_written_demo(debug, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(seeding, "ensure_logins", broken)

    with pytest.raises(RuntimeError):
        seed(volunteers=5)

    assert not Organization.objects.exists()
    assert not Opportunity.objects.exists()
    assert not VolunteerProfile.objects.exists()


@pytest.mark.django_db
def test_it_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as refused:
        seed(volunteers=5)

    assert str(refused.value) == REFUSED_WITHOUT_DEBUG_MESSAGE
    assert not Organization.objects.exists()

    seed(volunteers=5, force=True)
    assert VolunteerProfile.objects.count() == 6


def test_the_refusal_is_a_clear_message_on_the_command_line_not_a_traceback():
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
    }

    finished = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode == 1
    assert REFUSED_WITHOUT_DEBUG_MESSAGE in finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.django_db
def test_every_demo_organization_is_verified_by_the_staff_login_once(debug):
    """Only verified organizations publish and are matched: the seeding records each demo
    organization as verified by the demo's staff login, with a decision saying it is demo data,
    and a second run adds no second decision."""
    from demo.logins import STAFF_LOGIN
    from demo.writer import DEMO_VERIFICATION_NOTE
    from organizations.models import OrganizationVerification

    seed(volunteers=5)
    seed(volunteers=5)

    staff = get_user_model().objects.get(email=STAFF_LOGIN)
    assert not Organization.objects.exclude(verification_status="verified").exists()
    assert set(Organization.objects.values_list("verified_by", flat=True)) == {staff.pk}
    assert not Organization.objects.filter(verified_at__isnull=True).exists()
    decisions = OrganizationVerification.objects.all()
    assert decisions.count() == Organization.objects.count()
    assert {(d.decided_by_id, d.note) for d in decisions} == {(staff.pk, DEMO_VERIFICATION_NOTE)}


@pytest.mark.django_db
def test_the_demo_roles_that_need_a_check_find_volunteers_whose_check_counts(debug):
    """A check counts only once verified: every cleared demo check is recorded as seen by staff,
    so the demo's roles that need one still get suggestions."""
    from suggestions.services.rematch import volunteers_rematch

    seed(volunteers=120)

    volunteers_rematch(list(VolunteerProfile.objects.values_list("id", flat=True)))

    cleared = VolunteerProfile.objects.filter(background_check_status="cleared")
    assert cleared.exists()
    assert not cleared.filter(background_check_verified_at__isnull=True).exists()
    needing_a_check = Opportunity.objects.filter(background_check_required=True)
    assert needing_a_check.filter(matches__status="suggested").exists()


@pytest.mark.django_db
def test_the_embedded_demo_seeds_without_debug(settings):
    """`make run` runs with DEBUG off and marks its deployment the embedded demo (KINDRED_DEMO,
    backend/settings/local.py): seeding needs no --force there."""
    settings.DEBUG = False
    settings.KINDRED_DEMO = True

    seed(volunteers=5)

    assert VolunteerProfile.objects.count() == 6
