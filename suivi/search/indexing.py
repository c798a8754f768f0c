"""Build the search entries of a programme and of the territories."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Prefetch
from django.urls import reverse

from suivi.catalogue.models import Programme
from suivi.initiatives.models import Initiative
from suivi.search.models import Kind, SearchEntry
from suivi.territories.folding import fold
from suivi.territories.models import COMMUNE_LIKE_LEVELS, Level, Territory


def _places(territories) -> str:
    """``|com:28404|dep:28|reg:24|fr|``: the territories and everything above them."""
    codes: set[str] = set()
    for territory in territories:
        codes.add(territory.code)
        codes.update(code for code in (territory.departement_id, territory.region_id) if code)
        codes.add("fr")
    return "|" + "|".join(sorted(codes)) + "|" if codes else ""


def _entry(kind: str, key: str, title: str, text: str, url: str, name: str = "", **extra) -> SearchEntry:
    """``name``, when given, is what ranks as the title (a commune's name without its département)."""
    return SearchEntry(
        kind=kind,
        key=key,
        title=title,
        title_folded=fold(name or title),
        text=text,
        folded=f"{fold(title)} {fold(text)}",
        url=url,
        **extra,
    )


def refresh_statistics() -> None:
    """After a bulk load, PostgreSQL's planner must learn the table's new size to pick the full-text index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")


def programme_entries(programme: Programme) -> list[SearchEntry]:
    entries = []
    measures = (
        programme.measures.public()
        .select_related("axis")
        .prefetch_related(
            "decisions",
            "indicators",
            Prefetch("initiatives", Initiative.objects.public().prefetch_related("territories")),
        )
    )
    for measure in measures:
        decisions = "|" + "|".join(str(d.number) for d in measure.decisions.all()) + "|"
        url = reverse("publication:measure", args=[programme.slug, measure.slug])
        common = {"programme": programme, "axis": measure.axis.slug, "decisions": decisions, "status": measure.status}
        entries.append(
            _entry(
                Kind.MEASURE,
                f"{programme.slug}/{measure.slug}",
                measure.title,
                f"{measure.summary}\n{measure.body}",
                url,
                detail=measure.axis.name,
                places="|fr|",
                **common,
            )
        )
        for indicator in measure.indicators.all():
            entries.append(
                _entry(
                    Kind.INDICATOR,
                    f"{programme.slug}/{measure.slug}/{indicator.slug}",
                    indicator.name,
                    f"{indicator.description}\n{indicator.target_sentence}",
                    f"{url}#indicateur-{indicator.slug}",
                    detail=measure.title,
                    places="|fr|",
                    **common,
                )
            )
        for initiative in measure.initiatives.all():
            territories = list(initiative.territories.all())
            entries.append(
                _entry(
                    Kind.INITIATIVE,
                    f"{programme.slug}/{initiative.slug}",
                    initiative.title,
                    initiative.body,
                    reverse("publication:initiative", args=[programme.slug, initiative.slug]),
                    detail=", ".join(t.label for t in territories),
                    places=_places(territories),
                    **common,
                )
            )
    return entries


@transaction.atomic
def index_programme(programme: Programme) -> int:
    SearchEntry.objects.filter(programme=programme).delete()
    entries = programme_entries(programme) if programme.is_published else []
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    refresh_statistics()
    return len(entries)


@transaction.atomic
def index_territories() -> int:
    """One entry per current territory, built from plain rows (45,000 of them: no model
    instances, one URL pattern, one label per level)."""
    SearchEntry.objects.filter(kind=Kind.TERRITORY).delete()
    labels = {level: str(label) for level, label in Level.choices}
    names = dict(
        Territory.objects.filter(level__in=[Level.DEPARTEMENT, Level.OVERSEAS_COLLECTIVITY]).values_list("code", "name")
    )
    url = reverse("publication:territory", args=["CODE"])
    rows = Territory.objects.filter(current=True).values_list(
        "code", "level", "name", "insee_code", "departement_id", "region_id", "population"
    )
    entries = []
    for code, level, name, insee_code, departement_id, region_id, population in rows.iterator(5000):
        detail = labels[level]
        if departement_id and level != Level.DEPARTEMENT:
            detail += f" — {names.get(departement_id, '')}"
        label = (
            f"{name} ({departement_id.split(':', 1)[1]})" if level in COMMUNE_LIKE_LEVELS and departement_id else name
        )
        places = {code, "fr", *(c for c in (departement_id, region_id) if c)}
        entries.append(
            _entry(
                Kind.TERRITORY,
                code,
                label,
                insee_code,
                url.replace("CODE", code.replace(":", "-")),
                name=name,
                detail=detail,
                places="|" + "|".join(sorted(places)) + "|",
                boost=population or 0,
            )
        )
    SearchEntry.objects.bulk_create(entries, batch_size=2000)
    refresh_statistics()
    return len(entries)


def rebuild() -> dict[str, int]:
    counts = {"territories": index_territories()}
    for programme in Programme.objects.all():
        counts[programme.slug] = index_programme(programme)
    return counts
