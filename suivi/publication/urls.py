from django.urls import path

from suivi.publication import views

app_name = "publication"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:programme>/", views.programme, name="programme"),
    path("programmes/<slug:programme>/axes/<slug:axis>/", views.axis, name="axis"),
    path("programmes/<slug:programme>/mesures/", views.measures, name="measures"),
    path("methode/", views.method, name="method"),
    path("programmes/<slug:programme>/sources/<slug:document>/", views.source, name="source"),
    path("programmes/<slug:programme>/mesures/<slug:measure>/", views.measure, name="measure"),
    path("programmes/<slug:programme>/initiatives/<slug:initiative>/", views.initiative, name="initiative"),
    path("territoires/<str:code>/", views.territory, name="territory"),
    path("carte/", views.initiatives_map, name="map"),
    path("recherche/", views.search_view, name="search"),
]
