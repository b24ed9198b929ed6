from django.urls import path

from suggestions.api import views

urlpatterns = [
    path("matching/runs/", views.MatchRunCreateView.as_view(), name="matching-run-create"),
    path(
        "matching/runs/<uuid:pk>/", views.MatchRunDetailView.as_view(), name="matching-run-detail"
    ),
    path("matches/", views.ReviewQueueListView.as_view(), name="match-review-list"),
    path("matches/<int:pk>/", views.ReviewQueueDetailView.as_view(), name="match-review-detail"),
    path(
        "volunteers/me/lived-experience/reads/",
        views.LivedExperienceReadsView.as_view(),
        name="lived-experience-reads",
    ),
]
