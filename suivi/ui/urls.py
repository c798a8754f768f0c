from django.urls import path
from django.views.generic import TemplateView

from suivi.ui import health

app_name = "ui"


class Page(TemplateView):
    """A page of fixed text (the footer's mandatory pages); the site map lists the programmes too."""

    title = ""

    def get_context_data(self, **kwargs):
        from suivi.catalogue.models import Programme

        return super().get_context_data(**kwargs) | {
            "title": self.title,
            "breadcrumb_data": {"links": [], "current": self.title},
            "programmes": Programme.objects.public().order_by("name"),
        }


def page(template: str, title: str):
    return Page.as_view(template_name=f"ui/pages/{template}.html", title=title)


urlpatterns = [
    path("sante/", health.alive, name="alive"),
    path("sante/pret/", health.ready, name="ready"),
    path("plan-du-site/", page("sitemap", "Plan du site"), name="sitemap"),
    path("accessibilite/", page("accessibility", "Déclaration d’accessibilité"), name="accessibility"),
    path("mentions-legales/", page("legal", "Mentions légales"), name="legal"),
    path("donnees-personnelles/", page("personal_data", "Données personnelles"), name="personal_data"),
]
