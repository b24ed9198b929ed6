from decimal import Decimal

from rest_framework import serializers

from engagement.models import HoursLog, Rating


class HoursInput(serializers.Serializer):
    date = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal(24)
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class MyHoursInput(HoursInput):
    """Hours on a match named in the body. Only these fields are read: anything else sent
    (``verified_at``, ``verified_by``...) is ignored, as only a coordinator verifies."""

    match = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class HoursLogSerializer(serializers.ModelSerializer):
    volunteer = serializers.CharField(source="match.volunteer.display_name", read_only=True)
    opportunity = serializers.CharField(source="match.opportunity.title", read_only=True)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = HoursLog
        fields = [
            "id",
            "match",
            "volunteer",
            "opportunity",
            "date",
            "hours",
            "note",
            "verified",
            "verified_at",
            "created_at",
        ]
        # Output only: logs are written by engagement.services, never through this serializer.
        read_only_fields = fields

    def get_verified(self, log: HoursLog) -> bool:
        return log.verified_at is not None


class RatingInput(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "match", "side", "score", "comment", "created_at"]
