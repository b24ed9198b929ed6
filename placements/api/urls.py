from django.urls import URLPattern, URLResolver, path

from placements.api import views

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
]
