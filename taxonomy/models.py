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


class Language(models.Model):
    code = models.CharField(max_length=2, primary_key=True, help_text="ISO 639-1 code")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z]{2}$"), name="language_code_iso_639_1"
            )
        ]

    def __str__(self) -> str:
        return self.name
