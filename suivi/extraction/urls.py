from django.urls import path

from suivi.extraction import views

app_name = "extraction"

urlpatterns = [
    path("espace/<slug:programme>/lecture/", views.deposit, name="deposit"),
    path("espace/lectures/<int:pk>/", views.draft_page, name="draft"),
    path("espace/lectures/<int:pk>/elements/<int:position>/", views.item_page, name="item"),
    path("espace/lectures/<int:pk>/elements/<int:position>/decision/", views.decide, name="decide"),
]
