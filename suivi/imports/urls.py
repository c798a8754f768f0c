from django.urls import path

from suivi.imports import views

app_name = "imports"

urlpatterns = [
    path("espace/<slug:programme>/imports/", views.upload, name="upload"),
    path("espace/<slug:programme>/imports/modele.csv", views.template, name="template"),
    path("espace/imports/<int:pk>/", views.job_page, name="job"),
    path("espace/imports/<int:pk>/importer/", views.job_apply, name="apply"),
    path("espace/imports/<int:pk>/annuler/", views.job_revert, name="revert"),
]
