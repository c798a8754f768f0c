"""Model instances as the plain dicts the API schemas describe."""

from __future__ import annotations

from django.urls import reverse

from suivi.catalogue.models import Axis, Decision, Measure, Programme
from suivi.indicators.models import Indicator, Observation, TerritorialTarget
from suivi.indicators.progress import Progress, Rollup
from suivi.initiatives.models import Funding, Initiative, Organisation
from suivi.sources.models import SourceLocator
from suivi.territories.models import Territory


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def indicator_id(indicator: Indicator) -> str:
    return f"{indicator.measure.programme.slug}/{indicator.measure.slug}/{indicator.slug}"


def programme(request, p: Programme) -> dict:
    return {
        "slug": p.slug,
        "name": p.name,
        "short_name": p.short_name,
        "description": p.description,
        "url": p.url,
        "page": absolute(request, reverse("publication:programme", args=[p.slug])),
    }


def axis(a: Axis) -> dict:
    return {
        "programme": a.programme.slug,
        "slug": a.slug,
        "position": a.position,
        "name": a.name,
        "description": a.description,
    }


def decision(d: Decision) -> dict:
    return {
        "programme": d.programme.slug,
        "number": d.number,
        "name": d.name,
        "date": d.date,
        "place": d.place,
        "territory": d.territory_id,
    }


def measure(request, m: Measure, progress: Rollup) -> dict:
    return {
        "programme": m.programme.slug,
        "slug": m.slug,
        "axis": m.axis.slug,
        "position": m.position,
        "title": m.title,
        "summary": m.summary,
        "body": m.body,
        "status": m.status,
        "lead_ministry": m.lead_ministry,
        "themes": m.themes,
        "decisions": sorted(d.number for d in m.decisions.all()),
        "partners": sorted(o.slug for o in m.partners.all()),
        "progress": {"status": progress.status, "label": str(progress.status_label), "percent": progress.percent},
        "page": absolute(request, reverse("publication:measure", args=[m.programme.slug, m.slug])),
    }


def indicator(request, i: Indicator) -> dict:
    m = i.measure
    baseline = None
    if i.baseline_value is not None:
        baseline = {"value": i.baseline_value, "date": i.baseline_date, "date_precision": i.baseline_precision}
    target = None
    if i.has_target:
        target = {
            "value": i.target_value,
            "factor": i.target_factor,
            "deadline": i.target_deadline,
            "deadline_precision": i.target_precision,
            "sentence": i.target_sentence,
        }
    return {
        "id": indicator_id(i),
        "programme": m.programme.slug,
        "measure": m.slug,
        "slug": i.slug,
        "name": i.name,
        "description": i.description,
        "unit": i.unit,
        "direction": i.direction,
        "aggregation": i.aggregation,
        "update_cadence_months": i.update_cadence_months,
        "baseline": baseline,
        "target": target,
        "page": absolute(
            request, reverse("publication:measure", args=[m.programme.slug, m.slug]) + f"#indicateur-{i.slug}"
        ),
    }


def territorial_target(goal: TerritorialTarget, latest: Observation | None, progress: Progress) -> dict:
    """A territory's own goal, its latest published value and its progress against the goal: the
    figures of the territory page's « Objectif du territoire » column."""
    baseline = target = None
    if goal.baseline_value is not None:
        baseline = {"value": goal.baseline_value, "date": goal.baseline_date, "date_precision": goal.baseline_precision}
    if goal.target_value is not None:
        target = {
            "value": goal.target_value,
            "deadline": goal.target_deadline,
            "deadline_precision": goal.target_precision,
        }
    return {
        "indicator": indicator_id(goal.indicator),
        "territory": goal.territory_id,
        "territory_name": goal.territory.name,
        "baseline": baseline,
        "target": target,
        "latest": latest
        and {
            "value": latest.value,
            "qualifier": latest.qualifier,
            "date": latest.date,
            "date_precision": latest.date_precision,
        },
        "progress": {"status": progress.status, "label": str(progress.status_label), "percent": progress.percent},
        "source": goal.source_id,
        "source_line": goal.source_line,
    }


def observation(o: Observation) -> dict:
    return {
        "indicator": indicator_id(o.indicator),
        "territory": o.territory_id,
        "date": o.date,
        "date_precision": o.date_precision,
        "period_start": o.period_start,
        "value": o.value,
        "qualifier": o.qualifier,
        "status": o.status,
        "source": o.source_id,
    }


def initiative(request, i: Initiative) -> dict:
    return {
        "programme": i.programme.slug,
        "slug": i.slug,
        "title": i.title,
        "body": i.body,
        "measures": sorted(m.slug for m in i.measures.all()),
        "territories": sorted(t.code for t in i.territories.all()),
        "partners": sorted(o.slug for o in i.partners.all()),
        "start_date": i.start_date,
        "end_date": i.end_date,
        "figures": [
            {
                "label": f.label,
                "value": f.value,
                "unit": f.unit,
                "qualifier": f.qualifier,
                "date": f.date,
                "date_precision": f.date_precision,
            }
            for f in i.figures.all()
        ],
        "source": i.source_id,
        "page": absolute(request, reverse("publication:initiative", args=[i.programme.slug, i.slug])),
    }


def organisation(o: Organisation) -> dict:
    return {"slug": o.slug, "name": o.name, "acronym": o.acronym, "kind": o.kind, "territory": o.territory_id}


def funding(f: Funding) -> dict:
    return {
        "id": f.pk,
        "measure": f.measure.slug if f.measure_id else None,
        "initiative": f.initiative.slug if f.initiative_id else None,
        "part_of": f.part_of_id,
        "label": f.label,
        "amount": f.amount,
        "currency": f.currency,
        "qualifier": f.qualifier,
        "funder": f.funder.slug if f.funder_id else None,
        "territory": f.territory_id,
        "stage": f.stage,
        "date": f.date,
        "date_precision": f.date_precision,
        "source": f.source_id,
    }


def territory(request, t: Territory) -> dict:
    return {
        "code": t.code,
        "level": t.level,
        "insee_code": t.insee_code,
        "name": t.name,
        "label": t.label,
        "parent": t.parent_id,
        "departement": t.departement_id,
        "region": t.region_id,
        "population": t.population,
        "current": t.current,
        "page": absolute(request, reverse("publication:territory", args=[t.slug])),
    }


def source(s: SourceLocator) -> dict:
    d = s.document
    return {
        "id": s.pk,
        "document": {
            "slug": d.slug,
            "title": d.title,
            "publisher": d.publisher,
            "published_on": d.published_on,
            "url": d.url,
            "sha256": d.sha256,
        },
        "line_start": s.line_start,
        "line_end": s.line_end,
        "page": s.page,
        "quote": s.quote,
    }
