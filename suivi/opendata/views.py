"""Downloads: each table as CSV, JSON and XLSX with its Table Schema, the Data Package,
the Baromètre-layout files and the DCAT catalogue."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from suivi.catalogue.models import Programme
from suivi.opendata import barometre
from suivi.opendata.catalog import catalog as dcat_catalog
from suivi.opendata.formats import MEDIA_TYPES, WRITERS, data_package, table_schema
from suivi.opendata.tables import TABLES, TABLES_BY_NAME


def published(slug: str) -> Programme:
    return get_object_or_404(Programme.objects.public(), slug=slug)


def download(content: str | bytes, media_type: str, filename: str) -> HttpResponse:
    charset = "; charset=utf-8" if isinstance(content, str) else ""
    response = HttpResponse(content, content_type=media_type + charset)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def json_response(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "programmes": Programme.objects.public().order_by("name"),
            "tables": TABLES,
            "formats": list(MEDIA_TYPES),
            "barometre_files": barometre.FILES,
            "title": "Données ouvertes",
            "breadcrumb_data": {"links": [], "current": "Données ouvertes"},
        },
    )


def table(request, programme: str, name: str, extension: str):
    spec = TABLES_BY_NAME.get(name)
    if spec is None or extension not in WRITERS:
        raise Http404("Pas de telle table.")
    instance = published(programme)
    content = WRITERS[extension](spec, instance)
    return download(content, MEDIA_TYPES[extension], f"{instance.slug}-{name}.{extension}")


def schema(request, programme: str, name: str):
    published(programme)
    spec = TABLES_BY_NAME.get(name)
    if spec is None:
        raise Http404("Pas de telle table.")
    return json_response(table_schema(spec))


def datapackage(request, programme: str):
    return json_response(data_package(published(programme), request))


def barometre_file(request, programme: str, name: str):
    if name not in barometre.FILES:
        raise Http404("Pas de tel fichier.")
    instance = published(programme)
    return download(barometre.to_csv(instance, name), "text/csv", f"barometre-resultats-{name}-{instance.slug}.csv")


def catalog(request):
    response = HttpResponse(
        json.dumps(dcat_catalog(request), ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
    return response
