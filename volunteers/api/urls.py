from django.urls import URLPattern, URLResolver, path

from .views import BackgroundCheckRecordView, TrainingVerifyView, VolunteerMeView

urlpatterns: list[URLPattern | URLResolver] = [
    path("volunteers/me/", VolunteerMeView.as_view(), name="volunteer-me"),
    path(
        "volunteers/<int:profile_id>/background-check/",
        BackgroundCheckRecordView.as_view(),
        name="volunteer-background-check",
    ),
    path(
        "volunteers/<int:profile_id>/trainings/<slug:training_slug>/verify/",
        TrainingVerifyView.as_view(),
        name="volunteer-training-verify",
    ),
]
