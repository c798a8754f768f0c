from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from suivi.api import docs as api_docs
from suivi.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_docs.documentation, name="api-docs"),
    path("api/v1/", api.urls),
    path("donnees/", include("suivi.opendata.urls")),
    path("flux/", include("suivi.opendata.feed_urls")),
    path("", include("suivi.imports.urls")),
    path("", include("suivi.extraction.urls")),
    path("", include("suivi.reports.urls")),
    path("", include("suivi.contributions.urls")),
    path("", include("suivi.ui.urls")),
    path("", include("suivi.publication.urls")),
]

handler400 = "suivi.ui.errors.bad_request"
handler403 = "suivi.ui.errors.permission_denied"
handler404 = "suivi.ui.errors.page_not_found"
handler500 = "suivi.ui.errors.server_error"

if settings.OIDC_ENABLED:  # ProConnect: /oidc/authenticate/ and /oidc/callback/
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
