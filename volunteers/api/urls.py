from django.urls import URLPattern, URLResolver, path

from .data_rights import VolunteerExportView, VolunteerMeWithErasureView
from .views import (
    BackgroundCheckConfirmView,
    BackgroundCheckRecordView,
    DateOfBirthCorrectView,
    TrainingVerifyView,
    VolunteerRegisterView,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/register/", VolunteerRegisterView.as_view(), name="auth-register"),
    path("volunteers/me/", VolunteerMeWithErasureView.as_view(), name="volunteer-me"),
    path("volunteers/me/export/", VolunteerExportView.as_view(), name="volunteer-me-export"),
    path(
        "volunteers/<int:profile_id>/background-check/",
        BackgroundCheckRecordView.as_view(),
        name="volunteer-background-check",
    ),
    path(
        "volunteers/<int:profile_id>/background-check/confirm/",
        BackgroundCheckConfirmView.as_view(),
        name="volunteer-background-check-confirm",
    ),
    path(
        "volunteers/<int:profile_id>/trainings/<slug:training_slug>/verify/",
        TrainingVerifyView.as_view(),
        name="volunteer-training-verify",
    ),
    path(
        "volunteers/<int:profile_id>/date-of-birth/",
        DateOfBirthCorrectView.as_view(),
        name="volunteer-date-of-birth",
    ),
]
