from django.contrib import admin
from django.urls import include, path

from suivi.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("donnees/", include("suivi.opendata.urls")),
    path("flux/", include("suivi.opendata.feed_urls")),
    path("", include("suivi.publication.urls")),
]
