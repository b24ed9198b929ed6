"""Reference data edited by platform staff in the admin and seeded by a migration."""

from django.db import models


class ReferenceItem(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(ReferenceItem):
    pass


class Cause(ReferenceItem):
    pass


class TrainingType(ReferenceItem):
    """A training such as Mental Health First Aid; ``valid_for_months`` is the usual renewal period."""

    valid_for_months = models.PositiveSmallIntegerField(null=True, blank=True)


#: Where a language nobody has ranked sits: after every ranked one, with its peers by name.
LANGUAGE_UNRANKED_SORT_ORDER = 1000


class Language(models.Model):
    """A language a volunteer speaks or a role needs: every ISO 639-1 language, loaded from
    pycountry by migration 0004 so nobody is turned away for a language we forgot to type in.
    Staff keep the rows in the admin: the name shown, other names people search for, and the
    order forms list them in (the languages most volunteers speak first)."""

    code = models.CharField(max_length=2, primary_key=True, help_text="ISO 639-1 code")
    name = models.CharField(max_length=80)
    synonyms = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names people look for, comma-separated, e.g. 'Farsi' for Persian.",
    )
    sort_order = models.PositiveSmallIntegerField(
        default=LANGUAGE_UNRANKED_SORT_ORDER,
        help_text="Lower numbers are listed first; languages with the same number are listed by "
        "name.",
    )

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z]{2}$"), name="language_code_iso_639_1"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def synonym_list(self) -> list[str]:
        """The synonyms as a list: staff type them as one comma-separated line in the admin."""
        return [name.strip() for name in self.synonyms.split(",") if name.strip()]
