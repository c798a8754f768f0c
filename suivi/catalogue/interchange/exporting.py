"""A programme as one JSON document, in the format ``load_programme`` reads back.

The output is canonical (fixed key order, rows in rank or slug order), so that
export → load into an empty database → export gives the same bytes.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.db.models import Prefetch

from suivi.catalogue.interchange import FORMAT
from suivi.catalogue.models import Measure, Milestone, Programme
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator
from suivi.initiatives.models import Convention, Funding, Initiative, Organisation
from suivi.sources.models import SourceDocument, SourceLocator
from suivi.sources.precision import format_partial_date


def number(value: Decimal | None) -> int | float | None:
    """Exact integers stay integers; other decimals become the shortest float that reads back the same."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def locator(loc: SourceLocator | None, cited: dict | None = None) -> dict | None:
    if loc is None:
        return None
    data: dict = {"document": loc.document.slug}
    if loc.line_start is not None:
        data["lines"] = [loc.line_start, loc.line_end]
    if loc.page is not None:
        data["page"] = loc.page
    data["quote"] = loc.quote
    if cited is not None:
        cited[loc.pk] = data
    return data


class _Exporter:
    def __init__(self, programme: Programme):
        self.programme = programme
        self.organisations: set[int] = set()
        self.documents: set[int] = set()
        self.cited: dict[int, dict] = {}

    def source(self, loc: SourceLocator | None) -> dict | None:
        if loc is not None:
            self.documents.add(loc.document_id)
        return locator(loc, self.cited)

    def org(self, organisation: Organisation | None) -> str | None:
        if organisation is None:
            return None
        self.organisations.add(organisation.pk)
        return organisation.slug

    def export(self) -> dict:
        p = self.programme
        axes = [
            {"slug": a.slug, "name": a.name, "description": a.description, "source": self.source(a.source)}
            for a in p.axes.select_related("source__document").order_by("position")
        ]
        decisions = [
            {
                "number": d.number,
                "name": d.name,
                "date": d.date.isoformat(),
                "place": d.place,
                "territory": d.territory_id,
                "source": self.source(d.source),
            }
            for d in p.decisions.select_related("source__document").order_by("number")
        ]
        measures = [self.measure(m) for m in self.measures()]
        organisations = Organisation.objects.filter(pk__in=self.organisations).order_by("slug")
        documents = SourceDocument.objects.filter(pk__in=self.documents).order_by("slug")
        return {
            "format": FORMAT,
            "programme": {
                "slug": p.slug,
                "name": p.name,
                "short_name": p.short_name,
                "description": p.description,
                "url": p.url,
                "published": p.is_published,
            },
            "documents": [self.document(d) for d in documents],
            "organisations": [
                {
                    "slug": o.slug,
                    "name": o.name,
                    "acronym": o.acronym,
                    "kind": o.kind,
                    "territory": o.territory_id,
                    "url": o.url,
                }
                for o in organisations
            ],
            "axes": axes,
            "decisions": decisions,
            "measures": measures,
        }

    def measures(self):
        sources = "source__document"
        return (
            self.programme.measures.select_related("axis", sources)
            .prefetch_related(
                "decisions",
                "partners",
                Prefetch("milestones", Milestone.objects.select_related(sources).order_by("position")),
                Prefetch(
                    "indicators",
                    Indicator.objects.select_related("baseline_source__document", "target_source__document")
                    .prefetch_related("observations__source__document")
                    .order_by("position", "slug"),
                ),
                Prefetch("fundings", Funding.objects.select_related("funder", "part_of", sources).order_by("position")),
                Prefetch("conventions", Convention.objects.filter(initiative=None).select_related(sources)),
                "conventions__signatories",
                Prefetch(
                    "initiatives",
                    Initiative.objects.select_related(sources)
                    .prefetch_related(
                        "territories",
                        "partners",
                        "figures__source__document",
                        Prefetch(
                            "fundings",
                            Funding.objects.select_related("funder", "part_of", sources).order_by("position"),
                        ),
                        Prefetch("conventions", Convention.objects.select_related(sources).order_by("slug")),
                        "conventions__signatories",
                    )
                    .order_by("slug"),
                ),
            )
            .order_by("position")
        )

    @staticmethod
    def document(d: SourceDocument) -> dict:
        return {
            "slug": d.slug,
            "title": d.title,
            "publisher": d.publisher,
            "published_on": format_partial_date(d.published_on, d.published_precision),
            "url": d.url,
            "file": d.file_path,
            "sha256": d.sha256,
            "media_type": d.media_type,
            "licence": d.licence,
        }

    def measure(self, m: Measure) -> dict:
        self.cited = {}
        data = {
            "slug": m.slug,
            "axis": m.axis.slug,
            "title": m.title,
            "decisions": sorted(d.number for d in m.decisions.all()),
            "lead_ministry": m.lead_ministry,
            "themes": m.themes,
            "partners": sorted(self.org(o) for o in m.partners.all()),
            "status": m.status,
            "published": m.is_published,
            "summary": m.summary,
            "body": m.body,
            "source": self.source(m.source),
            "milestones": [
                {
                    "label": s.label,
                    "date": format_partial_date(s.date, s.date_precision),
                    "state": s.state,
                    "source": self.source(s.source),
                }
                for s in m.milestones.all()
            ],
            "indicators": [self.indicator(i) for i in m.indicators.all()],
            "fundings": [self.funding(f) for f in m.fundings.all()],
            "conventions": [self.convention(c) for c in sorted(m.conventions.all(), key=lambda c: c.slug)],
            "initiatives": [self.initiative(i) for i in m.initiatives.all()],
        }
        data["sources"] = sorted(
            self.cited.values(), key=lambda s: (s["document"], s.get("lines", [0])[0], s.get("page") or 0, s["quote"])
        )
        return data

    def indicator(self, i: Indicator) -> dict:
        baseline = None
        if i.baseline_value is not None:
            baseline = {
                "value": number(i.baseline_value),
                "date": format_partial_date(i.baseline_date, i.baseline_precision),
                "source": self.source(i.baseline_source),
            }
        target = None
        if i.has_target:
            target = {
                "value": number(i.target_value),
                "factor": number(i.target_factor),
                "increment": number(i.target_increment),
                "deadline": format_partial_date(i.target_deadline, i.target_precision),
                "sentence": i.target_sentence,
                "source": self.source(i.target_source),
            }
        values = sorted(i.observations.all(), key=lambda o: (o.territory_id, o.date))
        return {
            "slug": i.slug,
            "name": i.name,
            "description": i.description,
            "unit": i.unit,
            "direction": i.direction,
            "aggregation": i.aggregation,
            "weight": number(i.weight),
            "headline": i.is_headline,
            "update_cadence_months": i.update_cadence_months,
            "cumulative": i.cumulative,
            "geo_levels": i.geo_levels,
            "method": i.method,
            "baseline": baseline,
            "target": target,
            "values": [
                {
                    "value": number(o.value),
                    "qualifier": o.qualifier,
                    "date": format_partial_date(o.date, o.date_precision),
                    "period_start": format_partial_date(o.period_start, o.period_start_precision),
                    "territory": o.territory_id,
                    "status": o.status,
                    "comment": o.comment,
                    "source": self.source(o.source),
                }
                for o in values
            ],
        }

    def funding(self, f: Funding) -> dict:
        return {
            "key": f.key or None,
            "part_of": f.part_of.key if f.part_of_id else None,
            "label": f.label,
            "amount": number(f.amount),
            "currency": f.currency,
            "qualifier": f.qualifier,
            "funder": self.org(f.funder),
            "territory": f.territory_id,
            "stage": f.stage,
            "date": format_partial_date(f.date, f.date_precision),
            "period_start": format_partial_date(f.period_start, f.period_start_precision),
            "source": self.source(f.source),
        }

    def convention(self, c: Convention) -> dict:
        return {
            "slug": c.slug,
            "title": c.title,
            "signed_on": format_partial_date(c.signed_on, c.signed_precision),
            "signatories": sorted(self.org(o) for o in c.signatories.all()),
            "territory": c.territory_id,
            "source": self.source(c.source),
        }

    def initiative(self, i: Initiative) -> dict:
        return {
            "slug": i.slug,
            "title": i.title,
            "body": i.body,
            "territories": sorted(t.code for t in i.territories.all()),
            "partners": sorted(self.org(o) for o in i.partners.all()),
            "start": format_partial_date(i.start_date, i.start_precision),
            "end": format_partial_date(i.end_date, i.end_precision),
            "published": i.status == Status.PUBLISHED,
            "source": self.source(i.source),
            "figures": [
                {
                    "label": f.label,
                    "value": number(f.value),
                    "unit": f.unit,
                    "qualifier": f.qualifier,
                    "date": format_partial_date(f.date, f.date_precision),
                    "period_start": format_partial_date(f.period_start, f.period_start_precision),
                    "source": self.source(f.source),
                }
                for f in i.figures.all()
            ],
            "fundings": [self.funding(f) for f in i.fundings.all()],
            "conventions": [self.convention(c) for c in i.conventions.all()],
        }


def export_programme(programme: Programme) -> dict:
    return _Exporter(programme).export()


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
