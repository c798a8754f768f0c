from django.contrib.auth import views as auth_views
from django.urls import path

from suivi.contributions import views

app_name = "contributions"

urlpatterns = [
    path("espace/", views.dashboard, name="dashboard"),
    path("espace/connexion/", views.LoginView.as_view(), name="login"),
    path("espace/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("espace/validation/", views.review_queue, name="review"),
    path("espace/jetons/", views.tokens, name="tokens"),
    path("espace/<slug:programme>/valeurs/nouvelle/", views.value_form, name="value_new"),
    path("espace/<slug:programme>/valeurs/<int:pk>/modifier/", views.value_form, name="value_edit"),
    path("espace/<slug:programme>/initiatives/nouvelle/", views.initiative_form, name="initiative_new"),
    path("espace/<slug:programme>/initiatives/<int:pk>/modifier/", views.initiative_form, name="initiative_edit"),
    path("espace/<str:kind>/<int:pk>/", views.item, name="item"),
    path("espace/<str:kind>/<int:pk>/etat/", views.move_view, name="move"),
    path("espace/<str:kind>/<int:pk>/restaurer/", views.restore_view, name="restore"),
    path("suggerer-une-initiative/", views.suggest, name="suggest"),
]
