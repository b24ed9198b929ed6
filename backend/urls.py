from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from backend.api_root import api_root
from backend.health import healthz

api_v1: list[URLPattern | URLResolver] = [
    path("", api_root, name="api-root"),
    path("", include("accounts.api.urls")),
    path("", include("accounts.api.recovery_urls")),
    path("", include("taxonomy.api.urls")),
    path("", include("organizations.api.urls")),
    path("", include("opportunities.api.urls")),
    path("", include("volunteers.api.urls")),
    path("", include("suggestions.api.urls")),
    path("", include("placements.api.urls")),
    path("", include("engagement.api.urls")),
    path("", include("notifications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the page loads its start script from this URL (?script), so no inline script is
    # needed and the self-only Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("account/", include("accounts.page_urls")),
    path("api/v1/", include(api_v1)),
    # Django's set_language: the pages' language switcher posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("pages.urls")),
]

# The pages a person sees for an error (pages/views/errors.py); the API answers its own JSON.
handler400 = "pages.views.errors.bad_request"
handler403 = "pages.views.errors.forbidden"
handler404 = "pages.views.errors.not_found"
handler500 = "pages.views.errors.server_error"
