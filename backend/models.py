"""Abstract building blocks shared by the apps' models."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def coordinate_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Check constraints for a model with latitude/longitude: both or neither, and in range."""
    return [
        models.CheckConstraint(
            condition=models.Q(latitude__isnull=True, longitude__isnull=True)
            | models.Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_lat_lon_together",
        ),
        models.CheckConstraint(
            condition=models.Q(latitude__isnull=True)
            | models.Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=models.Q(longitude__isnull=True)
            | models.Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]
