from django.urls import path

from suivi.reports import views

app_name = "reports"

urlpatterns = [
    path("programmes/<slug:programme>/rapport/", views.download, name="download"),
]
