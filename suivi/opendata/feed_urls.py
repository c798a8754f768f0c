from django.urls import path

from suivi.opendata.feeds import MeasureFeed, ProgrammeFeed, TerritoryFeed

app_name = "feeds"

urlpatterns = [
    path("territoires/<str:code>.atom", TerritoryFeed(), name="territory"),
    path("<slug:programme>.atom", ProgrammeFeed(), name="programme"),
    path("<slug:programme>/mesures/<slug:measure>.atom", MeasureFeed(), name="measure"),
]
