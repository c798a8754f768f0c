"""Public pages: what citizens, journalists and elected officials read.

Each view resolves its URL to published objects (404 otherwise), asks ``pages`` for
what to show, and renders a DSFR template that works without JavaScript.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from suivi.catalogue.models import Axis, Measure, MeasureStatus, Programme
from suivi.indicators.progress import ProgressStatus
from suivi.initiatives.models import Initiative
from suivi.publication import measure_list, pages
from suivi.search.models import Kind
from suivi.search.query import Filters, highlight, query_words, search
from suivi.sources.models import SourceDocument
from suivi.territories.models import Level, Territory
from suivi.ui.formatting import sort_key


def published_programme(slug: str) -> Programme:
    return get_object_or_404(Programme.objects.public(), slug=slug)


def home_programme() -> Programme | None:
    programmes = Programme.objects.public()
    return programmes.filter(slug=settings.SUIVI_HOME_PROGRAMME).first() or programmes.order_by("name").first()


def crumbs(*links: tuple[str, str], current: str) -> dict:
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def home(request):
    programme = home_programme()
    others = Programme.objects.public().annotate(
        axis_count=Count("axes", distinct=True),
        measure_count=Count("measures", filter=Q(measures__is_published=True), distinct=True),
    )
    if programme is None:
        return render(request, "publication/home.html", {"programmes": others})
    context = pages.programme_page(programme) | {"other_programmes": others.exclude(pk=programme.pk)}
    return render(request, "publication/programme.html", context)


def programme(request, programme: str):
    instance = published_programme(programme)
    context = pages.programme_page(instance) | {"breadcrumb_data": crumbs(current=instance.short_name or instance.name)}
    return render(request, "publication/programme.html", context)


def programme_link(programme: Programme) -> tuple[str, str]:
    return reverse("publication:programme", args=[programme.slug]), programme.short_name or programme.name


def axis(request, programme: str, axis: str):
    instance = published_programme(programme)
    axis_obj = get_object_or_404(Axis, programme=instance, slug=axis)
    context = pages.axis_page(instance, axis_obj) | {
        "breadcrumb_data": crumbs(programme_link(instance), current=axis_obj.name),
        "title": axis_obj.name,
    }
    return render(request, "publication/axis.html", context)


def measure(request, programme: str, measure: str):
    instance = published_programme(programme)
    measure_obj = get_object_or_404(Measure.objects.public(), programme=instance, slug=measure)
    context = pages.measure_page(instance, measure_obj)
    axis_obj = context["measure"].axis
    context["breadcrumb_data"] = crumbs(
        programme_link(instance),
        (reverse("publication:axis", args=[instance.slug, axis_obj.slug]), axis_obj.name),
        current=measure_obj.title,
    )
    context["title"] = measure_obj.title
    return render(request, "publication/measure.html", context)


def measures(request, programme: str):
    """Every measure of a programme, filtered by axis, decision and both statuses, and sorted."""
    instance = published_programme(programme)
    filters = measure_list.MeasureFilters.from_query(request.GET, instance)
    rows = measure_list.measures_of(instance, filters)
    context = {
        "programme": instance,
        "measures": rows,
        "filters": filters,
        "axes": instance.axes.order_by("position"),
        "decisions": instance.decisions.order_by("number"),
        "statuses": MeasureStatus.choices,
        "progress_statuses": ProgressStatus.choices,
        "sorts": measure_list.SORTS.items(),
        "breadcrumb_data": crumbs(programme_link(instance), current="Toutes les mesures"),
        "title": f"Toutes les mesures — {instance.short_name or instance.name}",
    }
    return render(request, "publication/measures.html", context)


def source(request, programme: str, document: str):
    instance = published_programme(programme)
    found = get_object_or_404(SourceDocument.objects.select_related("programme"), programme=instance, slug=document)
    context = pages.source_page(found) | {
        "programme": instance,
        "breadcrumb_data": crumbs(programme_link(instance), current=found.title),
        "title": found.title,
    }
    return render(request, "publication/source.html", context)


def method(request):
    return render(
        request,
        "publication/method.html",
        {"breadcrumb_data": crumbs(current="Méthode"), "title": "Méthode : comment l’avancement est calculé"},
    )


def initiative(request, programme: str, initiative: str):
    instance = published_programme(programme)
    initiative_obj = get_object_or_404(Initiative.objects.public(), programme=instance, slug=initiative)
    context = pages.initiative_page(instance, initiative_obj)
    context["breadcrumb_data"] = crumbs(programme_link(instance), current=initiative_obj.title)
    context["title"] = initiative_obj.title
    return render(request, "publication/initiative.html", context)


def territory(request, code: str):
    instance = get_object_or_404(Territory, code=Territory.code_from_slug(code))
    context = pages.territory_page(instance)
    paginator = Paginator(pages.children_of(instance).select_related("departement"), 60)
    context["children"] = paginator.get_page(request.GET.get("page"))
    context["breadcrumb_data"] = crumbs(
        *[(reverse("publication:territory", args=[a.slug]), a.name) for a in context["ancestors"]],
        current=instance.label,
    )
    context["title"] = instance.label
    return render(request, "publication/territory.html", context)


def initiatives_map(request):
    programmes = Programme.objects.public()
    slug = request.GET.get("programme") or getattr(home_programme(), "slug", None)
    if slug is None:
        raise Http404("Aucun programme publié.")
    instance = get_object_or_404(programmes, slug=slug)
    axis_obj = instance.axes.filter(slug=request.GET.get("axe")).first() if request.GET.get("axe") else None
    measure_obj = None
    if request.GET.get("mesure"):
        measure_obj = instance.measures.public().filter(slug=request.GET["mesure"]).first()
    context = pages.map_page(instance, axis_obj, measure_obj) | {
        "programmes": programmes,
        "breadcrumb_data": crumbs(current="Carte des initiatives"),
        "title": "Carte des initiatives locales",
    }
    return render(request, "publication/map.html", context)


def filter_places() -> list[Territory]:
    """Régions then départements, in French order; an overseas région that is also a single
    département of the same name (Guadeloupe, Martinique…) appears once, as its département."""
    territories = list(Territory.objects.filter(level__in=[Level.REGION, Level.DEPARTEMENT], current=True))
    departements = {t.name for t in territories if t.level == Level.DEPARTEMENT}
    kept = [t for t in territories if t.level == Level.DEPARTEMENT or t.name not in departements]
    return sorted(kept, key=lambda t: (t.level != Level.REGION, sort_key(t.name)))


def search_view(request):
    query = request.GET.get("q", "").strip()
    programme = home_programme()
    decision = request.GET.get("decision", "")
    filters = Filters(
        kind=request.GET.get("type", "") if request.GET.get("type") in Kind.values else "",
        axis=request.GET.get("axe", ""),
        decision=int(decision) if re.fullmatch(r"[0-9]{1,4}", decision) else None,
        status=request.GET.get("statut", "") if request.GET.get("statut") in MeasureStatus.values else "",
        territory=request.GET.get("territoire", ""),
    )
    results = search(query, filters) if query or filters.narrowing else None
    page = Paginator(results, 20).get_page(request.GET.get("page")) if results is not None else None
    words = query_words(query)
    if page is not None:
        for entry in page:
            entry.title_html = highlight(entry.title, words)
            entry.excerpt_html = highlight(entry.text, words, limit=240) if entry.kind != Kind.TERRITORY else ""
    context = {
        "query": query,
        "filters": filters,
        "page": page,
        "kinds": Kind.choices,
        "statuses": MeasureStatus.choices,
        "axes": programme.axes.order_by("position") if programme else [],
        "decisions": programme.decisions.order_by("number") if programme else [],
        "places": filter_places(),
        "querystring": request.GET.copy(),
        "breadcrumb_data": crumbs(current="Recherche"),
        "title": f"Recherche : {query}" if query else "Recherche",
    }
    context["querystring"].pop("page", None)
    return render(request, "publication/search.html", context)
