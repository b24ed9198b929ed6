"""``GET /api/v1/``: where to start — links to the documentation and the main collections."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

_LINKS = {
    "schema": "schema",
    "docs": "swagger-ui",
}
_PATHS = (
    "auth/register/",
    "auth/token/",
    "volunteers/me/",
    "organizations/",
    "opportunities/",
    "matches/",
    "matching/runs/",
    "notifications/",
    "skills/",
    "causes/",
    "trainings/",
    "languages/",
)


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    base = request.build_absolute_uri()
    links = {name: reverse(url_name, request=request) for name, url_name in _LINKS.items()}
    links.update({path.rstrip("/"): base + path for path in _PATHS})
    return Response({"name": "Kindred Match API", "version": "v1", "links": links})
