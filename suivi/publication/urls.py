from django.urls import path

from suivi.publication import views

app_name = "publication"

urlpatterns = [
    path("", views.home, name="home"),
]
