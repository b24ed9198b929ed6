from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from organizations.api.views import OrganizationMembersView, OrganizationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path(
        "organizations/<int:organization_pk>/members/",
        OrganizationMembersView.as_view(),
        name="organization-members",
    ),
]
