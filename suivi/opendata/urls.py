from django.urls import path, re_path

from suivi.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue.jsonld", views.catalog, name="catalog"),
    path("<slug:programme>/datapackage.json", views.datapackage, name="datapackage"),
    path("<slug:programme>/barometre/<slug:name>.csv", views.barometre_file, name="barometre"),
    path("<slug:programme>/<slug:name>.schema.json", views.schema, name="schema"),
    re_path(r"^(?P<programme>[-\w]+)/(?P<name>\w+)\.(?P<extension>csv|json|xlsx)$", views.table, name="table"),
]
