from django.urls import URLPattern, URLResolver, path

from .views import LogoutAllView, LogoutView, TokenListView, TokenObtainView, TokenRevokeView

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="auth-token"),
    path("auth/tokens/", TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<str:token_id>/", TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="auth-logout-all"),
]
