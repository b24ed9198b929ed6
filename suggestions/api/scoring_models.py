"""Staff endpoints of the scoring model: its versions with their metrics, promotion and rollback.

Thin by design: check the caller, call one service, format the answer. Every change of the current
version leaves an audit row and rescores every open suggestion (suggestions/services/
scoring_model.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching.engine import DEFAULT_MODEL, ScoringModel
from matching.models import ScoringModelVersion
from suggestions.permissions import can_manage_scoring_model
from suggestions.services import scoring_model

ONLY_STAFF_MESSAGE = "Only platform staff can read or change the scoring model."


class IsPlatformStaff(permissions.BasePermission):
    message = ONLY_STAFF_MESSAGE

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_manage_scoring_model(request.user)


class ScoringModelVersionSerializer(serializers.ModelSerializer):
    weights = serializers.SerializerMethodField(
        help_text="{feature: weight}; every weight of a feature that must help is at least 0."
    )
    intercept = serializers.SerializerMethodField()
    metrics = serializers.JSONField(
        read_only=True,
        help_text="On the later decisions it was judged on: roc_auc, average_precision, "
        "log_loss, later_decisions; current_roc_auc of the version it was compared_with and the "
        "95% bootstrap interval of the AUC difference (auc_difference_low, auc_difference_high); "
        "earlier_decisions it learned from, position_eta, and the verdict in words.",
    )
    organization_offsets = serializers.JSONField(
        read_only=True,
        help_text="{organization id: offset} learned beside the weights; never used to score.",
    )

    class Meta:
        model = ScoringModelVersion
        fields = [
            "id",
            "version",
            "is_current",
            "promoted_at",
            "created_at",
            "training_size",
            "weights",
            "intercept",
            "metrics",
            "organization_offsets",
        ]
        read_only_fields = fields

    def _model(self, row: ScoringModelVersion) -> ScoringModel:
        return ScoringModel.from_dict(row.parameters)

    def get_weights(self, row: ScoringModelVersion) -> dict[str, float]:
        model = self._model(row)
        return dict(zip(model.feature_names, model.coefficients, strict=True))

    def get_intercept(self, row: ScoringModelVersion) -> float:
        return self._model(row).intercept


class CurrentScoringSerializer(serializers.Serializer):
    scores_with = serializers.CharField(
        help_text="The version that scores the queues now (the hand-set weights' name if none)."
    )
    current = ScoringModelVersionSerializer(allow_null=True)


def _current_answer(row: ScoringModelVersion | None) -> dict[str, Any]:
    return {
        "scores_with": row.version if row is not None else DEFAULT_MODEL.version,
        "current": ScoringModelVersionSerializer(row).data if row is not None else None,
    }


class ScoringModelVersionListView(generics.ListAPIView):
    """GET: every stored version, newest first, with its weights and metrics (platform staff)."""

    permission_classes = [permissions.IsAuthenticated, IsPlatformStaff]
    serializer_class = ScoringModelVersionSerializer
    queryset = ScoringModelVersion.objects.order_by("-created_at", "-id")


@extend_schema(
    summary="Make a stored version score the queues",
    description="Platform staff only. Every open suggestion is then rescored with it "
    "(one version per queue). 409 when it is already current, or when it learned a negative "
    "weight for a feature that must help.",
    request=None,
    responses={200: ScoringModelVersionSerializer},
)
class ScoringModelPromoteView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaff]

    def post(self, request: Request, pk: int) -> Response:
        row = scoring_model.scoring_model_promote(version_id=pk, actor=request.user)
        return Response(ScoringModelVersionSerializer(row).data)


@extend_schema(
    summary="Take the current version back",
    description="Platform staff only. The version promoted before it scores again (the "
    "hand-set weights when there is none), and every open suggestion is rescored with it. "
    "409 when the hand-set weights already score the queues.",
    request=None,
    responses={200: CurrentScoringSerializer},
)
class ScoringModelRollbackView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsPlatformStaff]

    def post(self, request: Request) -> Response:
        return Response(_current_answer(scoring_model.scoring_model_rollback(actor=request.user)))
