from django.urls import URLPattern, URLResolver, path

from .views import RegisterView, TokenObtainView

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/register/", RegisterView.as_view(), name="auth-register"),
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
]
