from django.urls import path

from suggestions.api import scoring_models, views

urlpatterns = [
    path("matching/runs/", views.MatchRunCreateView.as_view(), name="matching-run-create"),
    path(
        "matching/runs/<uuid:pk>/", views.MatchRunDetailView.as_view(), name="matching-run-detail"
    ),
    path(
        "matching/scoring-models/",
        scoring_models.ScoringModelVersionListView.as_view(),
        name="scoring-model-list",
    ),
    path(
        "matching/scoring-models/<int:pk>/promote/",
        scoring_models.ScoringModelPromoteView.as_view(),
        name="scoring-model-promote",
    ),
    path(
        "matching/scoring-models/rollback/",
        scoring_models.ScoringModelRollbackView.as_view(),
        name="scoring-model-rollback",
    ),
    path("matches/", views.ReviewQueueListView.as_view(), name="match-review-list"),
    path("matches/<int:pk>/", views.ReviewQueueDetailView.as_view(), name="match-review-detail"),
    path(
        "volunteers/me/lived-experience/reads/",
        views.LivedExperienceReadsView.as_view(),
        name="lived-experience-reads",
    ),
]
