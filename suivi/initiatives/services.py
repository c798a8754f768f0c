"""The only writers of local initiatives: rights, checks, one transaction, history, hooks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from suivi.contributions.models import Suggestion
from suivi.contributions.recording import change
from suivi.contributions.rights import Rights, require
from suivi.contributions.services import check_version, validated
from suivi.contributions.workflow import Status
from suivi.initiatives.models import Initiative
from suivi.sources.models import Origin, SourceLocator
from suivi.sources.precision import DatePrecision

BODY_MAX_LENGTH = 20_000


@dataclass
class InitiativeInput:
    title: str
    body: str
    measures: list  # Measure objects, at least one
    territories: list  # Territory objects, at least one
    start_date: datetime.date | None = None
    start_precision: str = DatePrecision.DAY
    partners: list = field(default_factory=list)
    source: SourceLocator | None = None  # set only by a writer that cites (a report's reading)

    @classmethod
    def from_form(cls, data: dict, **extra) -> InitiativeInput:
        """From an initiative form's cleaned data (the start field gives the date and its precision)."""
        start, precision = data["start"] or (None, DatePrecision.DAY)
        return cls(
            title=data["title"],
            body=data["body"],
            measures=list(data["measures"]),
            territories=data["territories"],
            start_date=start,
            start_precision=precision,
            **extra,
        )

    def fields(self) -> dict:
        fields = {
            "title": self.title,
            "body": self.body,
            "start_date": self.start_date,
            "start_precision": self.start_precision,
        }
        if self.source is not None:  # a form's correction keeps the source the initiative has
            fields["source"] = self.source
        return fields

    def check(self, programme) -> None:
        errors = {}
        if not self.title.strip():
            errors["title"] = _("Donnez un titre.")
        if len(self.body) > BODY_MAX_LENGTH:
            errors["body"] = _("Le texte dépasse %d caractères.") % BODY_MAX_LENGTH
        if not self.measures:
            errors["measures"] = _("Choisissez au moins une mesure.")
        elif any(m.programme_id != programme.pk for m in self.measures):
            errors["measures"] = _("Une mesure choisie n’est pas de ce programme.")
        if not self.territories:
            errors["territories"] = _("Indiquez au moins un lieu.")
        if errors:
            raise ValidationError(errors)


def unique_slug(programme, title: str) -> str:
    base = slugify(title)[:100] or "initiative"
    slug, n = base, 2
    while Initiative.objects.filter(programme=programme, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_initiative(
    actor,
    programme,
    data: InitiativeInput,
    *,
    initiative: Initiative | None = None,
    expected_version: int | None = None,
    publish: bool = False,
    origin: str = Origin.PAGE,
    reason: str = "",
) -> Initiative:
    """Create or correct an initiative; raises ``NotAllowed``, ``ValidationError`` or ``Conflict``.

    The same status rules as values: a contributor's work is a draft until reviewed.
    """
    data.check(programme)
    rights = Rights.of(actor)
    require(rights.can_write(programme.pk, [m.pk for m in data.measures], data.territories))
    if initiative is not None:
        require(
            rights.can_write(
                programme.pk, list(initiative.measures.values_list("pk", flat=True)), list(initiative.territories.all())
            )
        )
    reviewer = rights.can_review(programme.pk)
    default_reason = _("Nouvelle initiative") if initiative is None else _("Correction de l’initiative")
    with change(actor, origin, reason or default_reason, programme):
        if initiative is None:
            initiative = Initiative(
                programme=programme,
                slug=unique_slug(programme, data.title),
                entered_by=actor if getattr(actor, "is_authenticated", False) else None,
                status=Status.PUBLISHED if publish and reviewer else Status.DRAFT,
            )
        else:
            initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
            check_version(
                initiative,
                expected_version,
                data.fields() | {"measures": data.measures, "territories": data.territories},
                current={
                    "measures": list(initiative.measures.all()),
                    "territories": list(initiative.territories.all()),
                },
            )
            initiative.version += 1
            if not reviewer:
                initiative.status = Status.DRAFT
        for name, value in data.fields().items():
            setattr(initiative, name, value)
        validated(initiative, exclude=["entered_by", "measures", "territories", "partners"])
        initiative.save()
        _sync(initiative, "measures", data.measures)
        _sync(initiative, "territories", data.territories)
        _sync(initiative, "partners", data.partners)
    return initiative


def _sync(initiative: Initiative, name: str, targets: list) -> None:
    manager = getattr(initiative, name)
    if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
        manager.set(targets)


def suggest_initiative(programme, data: InitiativeInput, name: str, email: str) -> Initiative:
    """A suggestion from the public form: a submitted initiative, hidden until a reviewer validates it."""
    data.check(programme)
    reason = _("Suggestion du public de %s") % name
    with change(None, Origin.SUGGESTION, reason, programme):
        initiative = Initiative(
            programme=programme,
            slug=unique_slug(programme, data.title),
            status=Status.SUBMITTED,
            **data.fields(),
        )
        validated(initiative, exclude=["entered_by", "measures", "territories", "partners"])
        initiative.save()
        _sync(initiative, "measures", data.measures)
        _sync(initiative, "territories", data.territories)
        Suggestion.objects.create(initiative=initiative, name=name, email=email)
    return initiative
