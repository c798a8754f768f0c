"""The public record, now or as it stood at a past moment, read one way for reports.

A report reads the programme's catalogue, values and initiatives through a ``Snapshot``:
``Snapshot()`` reads the live tables, ``Snapshot(as_of=moment)`` the history that
django-simple-history keeps for every editable model (each object's latest historical row
at or before the moment, deleted ones left out). Both answer the same questions with model
instances, filtered on their own columns only, so the report is built by the same code
either way. Links between objects (a measure's decisions, an initiative's places) come from
the history of the many-to-many tables, as they were saved with each version.

Reference data is read live in both cases: territories (the COG), organisations' names and
source locators (the quotes), which a programme does not rewrite.

What the public saw is decided here as in the ``public()`` QuerySets: a published programme,
published measures, published values and initiatives.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import models
from django.utils import timezone

from suivi.catalogue.models import Axis, Decision, Measure, Milestone, Programme
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator, Observation
from suivi.initiatives.models import Funding, Initiative, InitiativeFigure


class NotPublic(LookupError):
    """The programme did not exist or was not public at the moment asked for."""


class Snapshot:
    def __init__(self, as_of: datetime.datetime | None = None):
        self.as_of = as_of

    @property
    def day(self) -> datetime.date:
        """The day progress is evaluated for staleness: the snapshot's, or today."""
        return timezone.localdate(self.as_of) if self.as_of else timezone.localdate()

    def rows(self, model: type[models.Model], **filters) -> models.QuerySet:
        """``model``'s objects as they were, filtered on their own columns (no joins through history)."""
        if self.as_of is None:
            return model._default_manager.filter(**filters)
        return model.history.as_of(self.as_of).filter(**filters)

    def links(self, model: type[models.Model], field: str, ids) -> dict[int, list[int]]:
        """``{object id: [linked ids]}`` for the many-to-many ``field`` of the objects ``ids``."""
        through = model._meta.get_field(field).remote_field.through
        source = f"{model._meta.model_name}_id"
        target = f"{model._meta.get_field(field).related_model._meta.model_name}_id"
        if self.as_of is None:
            pairs = through.objects.filter(**{f"{source}__in": ids}).values_list(source, target)
        else:
            # The m2m rows saved with each object's latest version at the moment.
            versions = (
                model.history.filter(history_date__lte=self.as_of, id__in=ids)
                .latest_of_each()
                .exclude(history_type="-")
                .values_list("history_id", flat=True)
            )
            history_through = getattr(model.history.model, field).model
            pairs = history_through.objects.filter(history_id__in=list(versions)).values_list(source, target)
        linked: dict[int, list[int]] = defaultdict(list)
        for left, right in pairs:
            linked[left].append(right)
        return linked

    # The questions a report asks.

    def programme(self, slug: str) -> Programme:
        found = list(self.rows(Programme, slug=slug, is_published=True))
        if not found:
            raise NotPublic(slug)
        return found[0]

    def axes(self, programme: Programme) -> list[Axis]:
        return sorted(self.rows(Axis, programme_id=programme.pk), key=lambda a: a.position)

    def decisions(self, programme: Programme) -> dict[int, Decision]:
        return {d.pk: d for d in self.rows(Decision, programme_id=programme.pk)}

    def measures(self, programme: Programme) -> list[Measure]:
        return sorted(self.rows(Measure, programme_id=programme.pk, is_published=True), key=lambda m: m.position)

    def milestones(self, measure_ids) -> list[Milestone]:
        return sorted(self.rows(Milestone, measure_id__in=measure_ids), key=lambda m: (m.measure_id, m.position))

    def indicators(self, measure_ids) -> list[Indicator]:
        return sorted(
            self.rows(Indicator, measure_id__in=measure_ids), key=lambda i: (i.measure_id, i.position, i.slug)
        )

    def observations(self, indicator_ids, territory_ids) -> list[Observation]:
        """Published values of ``indicator_ids`` for ``territory_ids``, oldest first."""
        rows = self.rows(
            Observation, indicator_id__in=list(indicator_ids), territory_id__in=territory_ids, status=Status.PUBLISHED
        )
        return sorted(rows, key=lambda o: (o.indicator_id, o.territory_id, o.date))

    def fundings(self, measure_ids) -> list[Funding]:
        return sorted(self.rows(Funding, measure_id__in=measure_ids), key=lambda f: (f.measure_id, f.position))

    def initiatives(self, programme: Programme) -> list[Initiative]:
        rows = self.rows(Initiative, programme_id=programme.pk, status=Status.PUBLISHED)
        return sorted(rows, key=lambda i: i.title)

    def initiative_figures(self, initiative_ids) -> list[InitiativeFigure]:
        rows = self.rows(InitiativeFigure, initiative_id__in=initiative_ids)
        return sorted(rows, key=lambda f: (f.initiative_id, f.position))
