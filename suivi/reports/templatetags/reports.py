from django import template

from suivi.reports.views import download_url

register = template.Library()


@register.inclusion_tag("reports/downloads.html")
def report_downloads(programme, heading: str = "", axis: str = "", measure: str = "", territory: str = ""):
    """The PDF and HTML links of a programme's report, for the whole or one axis, measure or territory."""
    scope = {"axis": axis, "measure": measure, "territory": territory}
    return {
        "programme": programme,
        "heading": heading,
        "anchor": "-".join(["rapport", programme.slug, *(v.replace(":", "-") for v in scope.values() if v)]),
        "pdf": download_url(programme.slug, "pdf", **scope),
        "html": download_url(programme.slug, "html", **scope),
    }
