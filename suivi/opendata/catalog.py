"""The DCAT catalogue (JSON-LD) of the open data, for harvesters such as data.gouv.fr."""

from __future__ import annotations

from django.urls import reverse

from suivi.catalogue.models import Programme
from suivi.opendata import barometre
from suivi.opendata.formats import LICENCE, MEDIA_TYPES
from suivi.opendata.tables import TABLES
from suivi.publication.freshness import last_change

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def distribution(request, title: str, path: str, fmt: str, media_type: str, schema: str | None = None) -> dict:
    item = {
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:downloadURL": {"@id": request.build_absolute_uri(path)},
        "dcat:accessURL": {"@id": request.build_absolute_uri(path)},
        "dct:format": fmt,
        "dcat:mediaType": media_type,
        "dct:license": {"@id": LICENCE["path"]},
    }
    if schema:
        item["dct:conformsTo"] = {"@id": request.build_absolute_uri(schema)}
    return item


def dataset(request, programme: Programme, modified: str | None) -> dict:
    distributions = []
    for table in TABLES:
        schema = reverse("opendata:schema", args=[programme.slug, table.name])
        for extension, media_type in MEDIA_TYPES.items():
            path = reverse("opendata:table", args=[programme.slug, table.name, extension])
            distributions.append(
                distribution(
                    request, f"{table.title} ({extension.upper()})", path, extension.upper(), media_type, schema
                )
            )
    for name in barometre.FILES:
        path = reverse("opendata:barometre", args=[programme.slug, name])
        distributions.append(distribution(request, f"Format Baromètre — {name}", path, "CSV", "text/csv"))
    package = reverse("opendata:datapackage", args=[programme.slug])
    distributions.append(distribution(request, "Data Package", package, "JSON", "application/json"))
    page = request.build_absolute_uri(reverse("publication:programme", args=[programme.slug]))
    item = {
        "@type": "dcat:Dataset",
        "@id": page,
        "dct:identifier": f"suivi-{programme.slug}",
        "dct:title": programme.name,
        "dct:description": programme.description,
        "dcat:landingPage": {"@id": page},
        "dct:license": {"@id": LICENCE["path"]},
        "dct:spatial": {"@id": "http://id.insee.fr/geo/pays/france"},
        "dcat:keyword": ["politiques publiques", "indicateurs", "territoires", programme.short_name or programme.slug],
        "dct:accrualPeriodicity": {"@id": "http://purl.org/cld/freq/irregular"},
        "dcat:distribution": distributions,
    }
    if modified:
        item["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    return item


def catalog(request) -> dict:
    changed = last_change()
    modified = changed.isoformat() if changed else None
    return {
        "@context": CONTEXT,
        "@type": "dcat:Catalog",
        "@id": request.build_absolute_uri(reverse("opendata:catalog")),
        "dct:title": "Suivi — données ouvertes",
        "dct:description": (
            "Programmes publics suivis : mesures, indicateurs, valeurs par territoire, initiatives locales."
        ),
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/FRA"},
        "foaf:homepage": {"@id": request.build_absolute_uri("/")},
        "dcat:dataset": [dataset(request, p, modified) for p in Programme.objects.public().order_by("slug")],
    }
