from django.urls import URLPattern, URLResolver, path

from .views import TokenObtainView

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
]
