"""Write a checked programme document to the database, all or nothing.

Objects are matched on their natural keys within the programme (slugs, decision
numbers, an indicator's value by territory and date), created when new and saved only
when a field differs, so loading the same document twice writes nothing and adds no
history. Figures and funding lines are matched by their rank; ones the document no
longer lists are deleted (their history keeps them). Measures, indicators, values and
initiatives the document no longer lists are kept and reported: they may hold
contributors' work.

After the first load the database is the truth (docs/adr/0005-source-of-truth.md): a
load that would change an object last changed through the site (a page, the API, an
import, the admin) is refused with the list of differences, unless forced.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models
from django.utils.translation import gettext as _

from suivi.catalogue.interchange.checking import check_document, resolve_file, walk
from suivi.catalogue.interchange.reading import read_document
from suivi.catalogue.models import Axis, Decision, Measure, Milestone, Programme
from suivi.contributions.recording import change
from suivi.contributions.rights import Rights, require
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Convention, Funding, Initiative, InitiativeFigure, Organisation
from suivi.sources.models import PEOPLE_ORIGINS, Origin, SourceDocument, SourceLocator
from suivi.sources.precision import DatePrecision
from suivi.territories.models import Territory


@dataclass
class LoadReport:
    programme: str = ""
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)
    # Differences with what people changed through the site: "measure x: summary: 'site' → 'document'".
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or sum(self.deleted.values()))

    def summary(self) -> str:
        def fmt(counter: Counter) -> str:
            return ", ".join(f"{name} {n}" for name, n in sorted(counter.items()) if n) or "none"

        return f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; deleted: {fmt(self.deleted)}"


class DocumentConflict(Exception):
    """The document would overwrite changes made through the site; nothing was written."""

    def __init__(self, report: LoadReport):
        self.report = report
        super().__init__("\n".join(report.conflicts))


def _short(value) -> str:
    text = str(value) if value is not None else "—"
    return repr(text if len(text) <= 80 else text[:77] + "…")


def _dated(value: tuple | None, date_field: str, precision_field: str) -> dict:
    """A parsed partial date ``(date, precision)`` as the two model fields that hold it."""
    if value is None:
        return {date_field: None, precision_field: DatePrecision.DAY}
    return {date_field: value[0], precision_field: value[1]}


class _Writer:
    def __init__(self, root: dict):
        self.root = root
        self.report = LoadReport(programme=root["programme"]["slug"])
        self.territories = {t.code: t for t in Territory.objects.filter(code__in=self._territory_codes())}
        self.organisations: dict[str, Organisation] = {}
        self.funding_keys: dict[str, Funding] = {}
        self.funding_parts: list[tuple[Funding, str | None]] = []
        self.documents: dict[str, SourceDocument] = {}

    def _territory_codes(self) -> set[str]:
        codes: set[str] = set()
        for node in walk(self.root):
            for key in ("territory", "territories"):
                value = node.get(key)
                codes.update(value if isinstance(value, list) else [value] if value else [])
        return codes

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        name = model._meta.model_name
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.report.created[name] += 1
            return obj
        changed = [key for key, value in values.items() if getattr(obj, key) != value]
        if changed:
            if self.edited_on_site(obj):
                for key in changed:
                    self.report.conflicts.append(
                        f"{name} {self.key_of(obj)}: {key}: {_short(getattr(obj, key))} → {_short(values[key])}"
                    )
            for key in changed:
                setattr(obj, key, values[key])
            obj.save()
            self.report.updated[name] += 1
        else:
            self.report.unchanged[name] += 1
        return obj

    @staticmethod
    def edited_on_site(obj: models.Model) -> bool:
        """Whether ``obj``'s latest recorded change was made by people (page, API, import, admin…)."""
        origin = obj.history.order_by("-history_date", "-pk").values_list("change_set__origin", flat=True).first()
        return origin in PEOPLE_ORIGINS

    @staticmethod
    def key_of(obj: models.Model) -> str:
        return getattr(obj, "slug", None) or str(obj)

    def sync_m2m(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, name)
        before = set(manager.values_list("pk", flat=True))
        if before != {t.pk for t in targets}:
            if self.edited_on_site(obj):
                self.report.conflicts.append(
                    f"{obj._meta.model_name} {self.key_of(obj)}: {name}: "
                    f"{sorted(map(str, before))} → {sorted(str(t.pk) for t in targets)}"
                )
            manager.set(targets)
            self.report.updated[f"{obj._meta.model_name}.{name}"] += 1

    def locator(self, data: dict | None) -> SourceLocator | None:
        if data is None:
            return None
        first, last = data["lines"] or (None, None)
        locator, created = SourceLocator.objects.get_or_create(
            document=self.documents[data["document"]],
            line_start=first,
            line_end=last,
            page=data["page"],
            quote=data["quote"],
        )
        self.report.created["sourcelocator"] += created
        return locator

    def territory(self, code: str | None) -> Territory | None:
        return self.territories[code] if code else None

    def write(self) -> Programme:
        root = self.root
        p = root["programme"]
        programme = self.upsert(
            Programme,
            {"slug": p["slug"]},
            {
                "name": p["name"],
                "short_name": p["short_name"],
                "description": p["description"],
                "url": p["url"],
                "is_published": p["published"],
            },
        )
        self.programme = programme
        for data in root["documents"]:
            self.documents[data["slug"]] = self.upsert(
                SourceDocument,
                {"programme": programme, "slug": data["slug"]},
                {
                    "title": data["title"],
                    "publisher": data["publisher"],
                    **_dated(data["published_on"], "published_on", "published_precision"),
                    "url": data["url"],
                    "file_path": data["file"],
                    "sha256": data["sha256"] or self._digest(data["file"]),
                    "media_type": data["media_type"],
                    "licence": data["licence"],
                },
            )
        for data in root["organisations"]:
            self.organisations[data["slug"]] = self.upsert(
                Organisation,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "acronym": data["acronym"],
                    "kind": data["kind"],
                    "territory": self.territory(data["territory"]),
                    "url": data["url"],
                },
            )
        axes = {
            data["slug"]: self.upsert(
                Axis,
                {"programme": programme, "slug": data["slug"]},
                {
                    "position": i,
                    "name": data["name"],
                    "description": data["description"],
                    "source": self.locator(data["source"]),
                },
            )
            for i, data in enumerate(root["axes"], start=1)
        }
        decisions = {
            data["number"]: self.upsert(
                Decision,
                {"programme": programme, "number": data["number"]},
                {
                    "name": data["name"],
                    "date": data["date"][0],
                    "place": data["place"],
                    "territory": self.territory(data["territory"]),
                    "source": self.locator(data["source"]),
                },
            )
            for data in root["decisions"]
        }
        for i, data in enumerate(root["measures"], start=1):
            self.write_measure(programme, i, data, axes, decisions)
        self.link_funding_parts()
        self.report_kept(programme)
        return programme

    def _digest(self, file: str) -> str:
        return hashlib.sha256(resolve_file(file).read_bytes()).hexdigest() if file else ""

    def write_measure(self, programme, position, data, axes, decisions) -> None:
        measure = self.upsert(
            Measure,
            {"programme": programme, "slug": data["slug"]},
            {
                "axis": axes[data["axis"]],
                "position": position,
                "title": data["title"],
                "summary": data["summary"],
                "body": data["body"],
                "lead_ministry": data["lead_ministry"],
                "themes": data["themes"],
                "status": data["status"],
                "is_published": data["published"],
                "source": self.locator(data["source"]),
            },
        )
        self.sync_m2m(measure, "decisions", [decisions[n] for n in data["decisions"]])
        self.sync_m2m(measure, "partners", [self.organisations[s] for s in data["partners"]])
        self.write_milestones(measure, data["milestones"])
        for i, indicator in enumerate(data["indicators"]):
            self.write_indicator(measure, i, indicator)
        self.write_fundings({"measure": measure}, data["fundings"])
        self.write_conventions({"measure": measure}, data["conventions"])
        for initiative in data["initiatives"]:
            self.write_initiative(programme, measure, initiative)

    def write_milestones(self, measure: Measure, milestones: list[dict]) -> None:
        for i, data in enumerate(milestones):
            self.upsert(
                Milestone,
                {"measure": measure, "position": i},
                {
                    "label": data["label"],
                    **_dated(data["date"], "date", "date_precision"),
                    "state": data["state"],
                    "source": self.locator(data["source"]),
                },
            )
        self.delete_stale(measure.milestones.filter(position__gte=len(milestones)))

    def delete_stale(self, queryset) -> None:
        """Rows matched by rank that the document no longer lists; their history keeps them."""
        for stale in queryset:
            if self.edited_on_site(stale):
                self.report.conflicts.append(f"{stale._meta.model_name} {stale}: deleted by the document")
            stale.delete()
            self.report.deleted[stale._meta.model_name] += 1

    def write_indicator(self, measure, position, data) -> None:
        baseline, target = data["baseline"] or {}, data["target"] or {}
        indicator = self.upsert(
            Indicator,
            {"measure": measure, "slug": data["slug"]},
            {
                "position": position,
                "name": data["name"],
                "description": data["description"],
                "unit": data["unit"],
                "direction": data["direction"],
                "aggregation": data["aggregation"],
                "weight": data["weight"],
                "is_headline": data["headline"],
                "update_cadence_months": data["update_cadence_months"],
                "cumulative": data["cumulative"],
                "geo_levels": data["geo_levels"],
                "method": data["method"],
                "baseline_value": baseline.get("value"),
                **_dated(baseline.get("date"), "baseline_date", "baseline_precision"),
                "baseline_source": self.locator(baseline.get("source")),
                "target_value": target.get("value"),
                "target_factor": target.get("factor"),
                "target_increment": target.get("increment"),
                **_dated(target.get("deadline"), "target_deadline", "target_precision"),
                "target_sentence": target.get("sentence", ""),
                "target_source": self.locator(target.get("source")),
            },
        )
        for value in data["values"]:
            self.upsert(
                Observation,
                {"indicator": indicator, "territory": self.territory(value["territory"]), "date": value["date"][0]},
                {
                    "date_precision": value["date"][1],
                    **_dated(value["period_start"], "period_start", "period_start_precision"),
                    "value": value["value"],
                    "qualifier": value["qualifier"],
                    "status": value["status"],
                    "comment": value["comment"],
                    "source": self.locator(value["source"]),
                },
            )

    def write_fundings(self, owner: dict, fundings: list[dict]) -> None:
        for i, data in enumerate(fundings):
            funding = self.upsert(
                Funding,
                {**owner, "position": i},
                {
                    "key": data["key"] or "",
                    "label": data["label"],
                    "amount": data["amount"],
                    "currency": data["currency"],
                    "qualifier": data["qualifier"],
                    "funder": self.organisations.get(data["funder"]),
                    "territory": self.territory(data["territory"]),
                    "stage": data["stage"],
                    **_dated(data["date"], "date", "date_precision"),
                    **_dated(data["period_start"], "period_start", "period_start_precision"),
                    "source": self.locator(data["source"]),
                },
            )
            if data["key"]:
                self.funding_keys[data["key"]] = funding
            self.funding_parts.append((funding, data["part_of"]))
        self.delete_stale(Funding.objects.filter(**owner, position__gte=len(fundings)))

    def link_funding_parts(self) -> None:
        """ "Dont 100 millions dès 2017": a line included in another, wherever the other is in the document."""
        for funding, key in self.funding_parts:
            self.upsert(Funding, {"pk": funding.pk}, {"part_of": self.funding_keys[key] if key else None})

    def write_conventions(self, owner: dict, conventions: list[dict]) -> None:
        for data in conventions:
            convention = self.upsert(
                Convention,
                {"programme": self.programme, "slug": data["slug"]},
                {
                    "measure": owner.get("measure"),
                    "initiative": owner.get("initiative"),
                    "title": data["title"],
                    **_dated(data["signed_on"], "signed_on", "signed_precision"),
                    "territory": self.territory(data["territory"]),
                    "source": self.locator(data["source"]),
                },
            )
            self.sync_m2m(convention, "signatories", [self.organisations[s] for s in data["signatories"]])

    def write_initiative(self, programme, measure, data) -> None:
        initiative = self.upsert(
            Initiative,
            {"programme": programme, "slug": data["slug"]},
            {
                "title": data["title"],
                "body": data["body"],
                **_dated(data["start"], "start_date", "start_precision"),
                **_dated(data["end"], "end_date", "end_precision"),
                "status": Status.PUBLISHED if data["published"] else Status.DRAFT,
                "source": self.locator(data["source"]),
            },
        )
        self.sync_m2m(initiative, "measures", [measure])
        self.sync_m2m(initiative, "territories", [self.territories[c] for c in data["territories"]])
        self.sync_m2m(initiative, "partners", [self.organisations[s] for s in data["partners"]])
        for i, figure in enumerate(data["figures"]):
            self.upsert(
                InitiativeFigure,
                {"initiative": initiative, "position": i},
                {
                    "label": figure["label"],
                    "value": figure["value"],
                    "unit": figure["unit"],
                    "qualifier": figure["qualifier"],
                    **_dated(figure["date"], "date", "date_precision"),
                    **_dated(figure["period_start"], "period_start", "period_start_precision"),
                    "source": self.locator(figure["source"]),
                },
            )
        self.delete_stale(initiative.figures.filter(position__gte=len(data["figures"])))
        self.write_fundings({"initiative": initiative}, data["fundings"])
        self.write_conventions({"initiative": initiative}, data["conventions"])

    def report_kept(self, programme: Programme) -> None:
        listed = {m["slug"] for m in self.root["measures"]}
        for slug in programme.measures.exclude(slug__in=listed).values_list("slug", flat=True):
            self.report.kept.append(f"measure {slug}")
        listed = {i["slug"] for m in self.root["measures"] for i in m["initiatives"]}
        for slug in programme.initiatives.exclude(slug__in=listed).values_list("slug", flat=True):
            self.report.kept.append(f"initiative {slug}")
        # An indicator the document no longer lists keeps its values (history, sources): it stays,
        # and the report says so, measure by measure.
        listed_indicators = {(m["slug"], i["slug"]) for m in self.root["measures"] for i in m["indicators"]}
        for measure, slug in (
            Indicator.objects.filter(measure__programme=programme)
            .order_by("measure__position", "position", "slug")
            .values_list("measure__slug", "slug")
        ):
            if (measure, slug) not in listed_indicators:
                self.report.kept.append(f"indicator {measure}/{slug}")


def load_programme_file(path: Path, actor=None, force: bool = False) -> LoadReport:
    """Check ``path`` whole, then write it in one recorded change; all or nothing.

    ``actor`` None is the operator at the command line; a user must edit this programme's
    catalogue (a new programme: be an administrator). Raises ``ProgrammeDataError`` for a
    bad document, ``NotAllowed``, and ``DocumentConflict`` when the document would
    overwrite changes made through the site and ``force`` is not given.
    """
    root = check_document(read_document(path))
    slug = root["programme"]["slug"]
    if actor is not None:
        existing = Programme.objects.filter(slug=slug).first()
        require(Rights.of(actor).can_edit_catalogue(existing.pk if existing else None))
    reason = _("Chargement du document %s") % path.name
    if force:
        reason = _("Chargement forcé du document %s (remplace des modifications faites sur le site)") % path.name
    with change(actor, Origin.LOADER, reason, slug):
        writer = _Writer(root)
        writer.write()
        if writer.report.conflicts and not force:
            raise DocumentConflict(writer.report)
    return writer.report
