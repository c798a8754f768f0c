"""Report downloads: served from the file made for the current data, or made in the background
while a page says how far it is (it refreshes itself, no JavaScript needed)."""

from __future__ import annotations

from pathlib import Path

from csp.decorators import csp_update
from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from suivi.catalogue.models import Axis, Measure, Programme
from suivi.reports import services
from suivi.reports.models import ReportFormat, ReportState
from suivi.territories.models import Territory

CONTENT_TYPES = {ReportFormat.PDF: "application/pdf", ReportFormat.HTML: "text/html; charset=utf-8"}


def download_url(programme: str, fmt: str, **scope: str) -> str:
    """``/programmes/ciec/rapport/?format=pdf&territoire=dep:36``: the address pages link to."""
    names = {"axis": "axe", "measure": "mesure", "territory": "territoire"}
    query = {"format": fmt} | {names[key]: value for key, value in scope.items() if value}
    return reverse("reports:download", args=[programme]) + "?" + urlencode(query)


# The HTML report is one self-contained file: its style sheet and fonts are inside it.
REPORT_CSP = {"style-src": ["'self'", "'unsafe-inline'"], "font-src": ["'self'", "data:"]}


@csp_update(REPORT_CSP)
def download(request, programme: str):
    instance = get_object_or_404(Programme.objects.public(), slug=programme)
    fmt = request.GET.get("format", ReportFormat.PDF)
    if fmt not in ReportFormat.values:
        raise Http404(_("Format inconnu : %s (pdf ou html).") % fmt)
    scope = {}
    if request.GET.get("axe"):
        scope["axis"] = get_object_or_404(Axis, programme=instance, slug=request.GET["axe"]).slug
    if request.GET.get("mesure"):
        scope["measure"] = get_object_or_404(
            Measure.objects.public(), programme=instance, slug=request.GET["mesure"]
        ).slug
    if request.GET.get("territoire"):
        scope["territory"] = get_object_or_404(Territory, code=request.GET["territoire"].replace("-", ":", 1)).code
    if request.GET.get("reessayer"):
        services.request(instance.slug, fmt, retry=True, **scope)
        return redirect(download_url(instance.slug, fmt, **scope))
    report_file = services.request(instance.slug, fmt, **scope)
    if report_file.state == ReportState.DONE:
        path = Path(settings.MEDIA_ROOT) / report_file.path
        if path.is_file():
            response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'inline; filename="{report_file.file_name}"'
            return response
        # The file went missing (a cleaned disk): make it again.
        report_file.delete()
        report_file = services.request(instance.slug, fmt, **scope)
    context = {
        "programme": instance,
        "report_file": report_file,
        "refresh": report_file.state in (ReportState.QUEUED, ReportState.RUNNING),
        "title": _("Rapport d’avancement en préparation"),
        "refresh_url": request.get_full_path(),
        "retry_url": download_url(instance.slug, fmt, **scope) + "&reessayer=1",
    }
    return render(request, "reports/pending.html", context, status=202 if context["refresh"] else 200)
