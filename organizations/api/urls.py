from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from organizations.api.members import (
    InvitationAcceptView,
    InvitationDeclineView,
    MyInvitationsView,
    OrganizationInvitationRevokeView,
    OrganizationInvitationsView,
    OrganizationMembersView,
    OrganizationMemberView,
)
from organizations.api.views import OrganizationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path(
        "organizations/<int:organization_pk>/members/",
        OrganizationMembersView.as_view(),
        name="organization-members",
    ),
    path(
        "organizations/<int:organization_pk>/members/<int:membership_pk>/",
        OrganizationMemberView.as_view(),
        name="organization-member",
    ),
    path(
        "organizations/<int:organization_pk>/invitations/",
        OrganizationInvitationsView.as_view(),
        name="organization-invitations",
    ),
    path(
        "organizations/<int:organization_pk>/invitations/<int:invitation_pk>/revoke/",
        OrganizationInvitationRevokeView.as_view(),
        name="organization-invitation-revoke",
    ),
    path("invitations/", MyInvitationsView.as_view(), name="invitations"),
    path(
        "invitations/<int:invitation_pk>/accept/",
        InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<int:invitation_pk>/decline/",
        InvitationDeclineView.as_view(),
        name="invitation-decline",
    ),
]
