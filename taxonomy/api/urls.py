from django.urls import URLPattern, URLResolver, path

from .views import CauseListView, LanguageListView, SkillListView, TrainingTypeListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("skills/", SkillListView.as_view(), name="skill-list"),
    path("causes/", CauseListView.as_view(), name="cause-list"),
    path("trainings/", TrainingTypeListView.as_view(), name="training-list"),
    path("languages/", LanguageListView.as_view(), name="language-list"),
]
