"""What every page's layout needs, without a database query."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class SiteConfig:
    """The fields of django-dsfr's ``DsfrConfig`` that our templates read, fixed in code."""

    site_title: str = "Suivi"
    site_tagline: str = "Suivre et publier l’avancement des programmes publics"
    header_brand_html: str = "République<br>française"
    footer_brand_html: str = "République<br>française"
    footer_description: str = (
        "Suivi publie les mesures d’un programme public, leurs indicateurs, les chiffres par territoire "
        "et les initiatives locales, chacun relié à sa source."
    )
    beta_tag: bool = True
    mourning: bool = False
    notice_title: str = ""
    notice_description: str = ""


SITE = SiteConfig()


def site(request):
    return {"SITE_CONFIG": SITE, "OIDC_ENABLED": settings.OIDC_ENABLED}
