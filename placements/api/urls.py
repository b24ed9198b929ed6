from django.urls import URLPattern, URLResolver, path

from placements.api import interest_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("matches/bulk/", views.MatchBulkView.as_view(), name="match-bulk"),
    path("matches/<int:pk>/approve/", views.MatchApproveView.as_view(), name="match-approve"),
    path("matches/<int:pk>/reject/", views.MatchRejectView.as_view(), name="match-reject"),
    path("matches/<int:pk>/start/", views.MatchStartView.as_view(), name="match-start"),
    path("matches/<int:pk>/resume/", views.MatchResumeView.as_view(), name="match-resume"),
    path("matches/<int:pk>/complete/", views.MatchCompleteView.as_view(), name="match-complete"),
    path("matches/<int:pk>/withdraw/", views.MatchWithdrawView.as_view(), name="match-withdraw"),
    path("matches/<int:pk>/history/", views.MatchHistoryView.as_view(), name="match-history"),
    path("volunteers/me/matches/", views.MyMatchListView.as_view(), name="my-match-list"),
    path(
        "volunteers/me/matches/<int:pk>/", views.MyMatchDetailView.as_view(), name="my-match-detail"
    ),
    path(
        "volunteers/me/matches/<int:pk>/accept/",
        views.MyMatchAcceptView.as_view(),
        name="my-match-accept",
    ),
    path(
        "volunteers/me/matches/<int:pk>/decline/",
        views.MyMatchDeclineView.as_view(),
        name="my-match-decline",
    ),
    path(
        "volunteers/me/matches/<int:pk>/withdraw/",
        views.MyMatchWithdrawView.as_view(),
        name="my-match-withdraw",
    ),
    path(
        "volunteers/me/matches/<int:pk>/complete/",
        views.MyMatchCompleteView.as_view(),
        name="my-match-complete",
    ),
    path(
        "volunteers/me/interest-requests/",
        interest_views.MyInterestListView.as_view(),
        name="my-interest-list",
    ),
    path(
        "volunteers/me/interest-requests/<int:pk>/",
        interest_views.MyInterestDetailView.as_view(),
        name="my-interest-detail",
    ),
    path(
        "volunteers/me/roles-for-you/",
        interest_views.RolesForYouView.as_view(),
        name="my-roles-for-you",
    ),
    path("interest-requests/", interest_views.InterestListView.as_view(), name="interest-list"),
    path(
        "interest-requests/<int:pk>/accept/",
        interest_views.InterestAcceptView.as_view(),
        name="interest-accept",
    ),
    path(
        "interest-requests/<int:pk>/decline/",
        interest_views.InterestDeclineView.as_view(),
        name="interest-decline",
    ),
]
