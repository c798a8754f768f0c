"""The fields of each object in a programme document (see docs/programme-format.md)."""

from suivi.catalogue.interchange.fields import Field, Spec
from suivi.catalogue.models import MeasureStatus, MilestoneState
from suivi.contributions.workflow import Status
from suivi.indicators.models import Aggregation, Direction
from suivi.initiatives.models import FundingStage, OrganisationKind
from suivi.sources.precision import Qualifier

QUALIFIERS = tuple(Qualifier.values)

LOCATOR: Spec = {
    "document": Field("slug"),
    "lines": Field("line_span"),
    "page": Field("int"),
    "quote": Field("text", required=True),
}
SOURCE = Field("object", spec=LOCATOR)

VALUE: Spec = {
    "value": Field("decimal", required=True),
    "qualifier": Field("choice", default=Qualifier.EXACT, choices=QUALIFIERS),
    "date": Field("date", required=True),
    "period_start": Field("date"),
    "territory": Field("str", required=True),
    "status": Field("choice", default=Status.PUBLISHED, choices=tuple(Status.values)),
    "comment": Field("text", default=""),
    "source": SOURCE,
}
BASELINE: Spec = {"value": Field("decimal", required=True), "date": Field("date"), "source": SOURCE}
TARGET: Spec = {
    "value": Field("decimal"),
    "factor": Field("decimal"),
    "increment": Field("decimal"),
    "deadline": Field("date"),
    "sentence": Field("str", required=True),
    "source": SOURCE,
}
INDICATOR: Spec = {
    "slug": Field("slug", required=True),
    "name": Field("str", required=True),
    "description": Field("text", default=""),
    "unit": Field("str", required=True, max_length=50),
    "direction": Field("choice", default=Direction.INCREASE, choices=tuple(Direction.values)),
    "aggregation": Field("choice", default=Aggregation.SUM, choices=tuple(Aggregation.values)),
    "weight": Field("decimal", default=1),
    "headline": Field("bool", default=False),
    "update_cadence_months": Field("int", default=12),
    "cumulative": Field("bool", default=False),
    "geo_levels": Field("str_list", default=list),
    "method": Field("text", default=""),
    "baseline": Field("object", spec=BASELINE),
    "target": Field("object", spec=TARGET),
    "values": Field("list", default=list, spec=VALUE),
}
FUNDING: Spec = {
    "key": Field("slug"),
    "part_of": Field("slug"),
    "label": Field("str", required=True),
    "amount": Field("decimal", required=True),
    "currency": Field("str", default="EUR", max_length=3),
    "qualifier": Field("choice", default=Qualifier.EXACT, choices=QUALIFIERS),
    "funder": Field("slug"),
    "territory": Field("str"),
    "stage": Field("choice", default=FundingStage.ANNOUNCED, choices=tuple(FundingStage.values)),
    "date": Field("date"),
    "period_start": Field("date"),
    "source": SOURCE,
}
FIGURE: Spec = {
    "label": Field("str", required=True),
    "value": Field("decimal", required=True),
    "unit": Field("str", required=True, max_length=50),
    "qualifier": Field("choice", default=Qualifier.EXACT, choices=QUALIFIERS),
    "date": Field("date"),
    "period_start": Field("date"),
    "source": SOURCE,
}
CONVENTION: Spec = {
    "slug": Field("slug", required=True),
    "title": Field("str", required=True),
    "signed_on": Field("date"),
    "signatories": Field("str_list", default=list),
    "territory": Field("str"),
    "source": SOURCE,
}
INITIATIVE: Spec = {
    "slug": Field("slug", required=True),
    "title": Field("str", required=True),
    "body": Field("text", default=""),
    "territories": Field("str_list", required=True),
    "partners": Field("str_list", default=list),
    "start": Field("date"),
    "end": Field("date"),
    "published": Field("bool", default=True),
    "source": SOURCE,
    "figures": Field("list", default=list, spec=FIGURE),
    "fundings": Field("list", default=list, spec=FUNDING),
    "conventions": Field("list", default=list, spec=CONVENTION),
}
MILESTONE: Spec = {
    "label": Field("str", required=True),
    "date": Field("date", required=True),
    "state": Field("choice", default=MilestoneState.DONE, choices=tuple(MilestoneState.values)),
    "source": SOURCE,
}
MEASURE: Spec = {
    "slug": Field("slug", required=True),
    "axis": Field("slug", required=True),
    "title": Field("str", required=True),
    "decisions": Field("int_list", default=list),
    "lead_ministry": Field("str", default="", max_length=200),
    "themes": Field("str_list", default=list),
    "partners": Field("str_list", default=list),
    "status": Field("choice", default=MeasureStatus.IN_PROGRESS, choices=tuple(MeasureStatus.values)),
    "published": Field("bool", default=True),
    "summary": Field("text", default=""),
    "body": Field("text", default=""),
    "source": SOURCE,
    "milestones": Field("list", default=list, spec=MILESTONE),
    "indicators": Field("list", default=list, spec=INDICATOR),
    "fundings": Field("list", default=list, spec=FUNDING),
    "conventions": Field("list", default=list, spec=CONVENTION),
    "initiatives": Field("list", default=list, spec=INITIATIVE),
    # Written by export_programme for readers (every locator the measure cites); ignored on load.
    "sources": Field("list", default=list, spec=LOCATOR),
}
DOCUMENT: Spec = {
    "slug": Field("slug", required=True),
    "title": Field("str", required=True),
    "publisher": Field("str", default="", max_length=200),
    "published_on": Field("date"),
    "url": Field("str", default="", max_length=200),
    "file": Field("str", default=""),
    "sha256": Field("str", default="", max_length=64),
    "media_type": Field("str", default="", max_length=100),
    "licence": Field("str", default="", max_length=200),
}
ORGANISATION: Spec = {
    "slug": Field("slug", required=True),
    "name": Field("str", required=True),
    "acronym": Field("str", default="", max_length=30),
    "kind": Field("choice", default=OrganisationKind.OTHER, choices=tuple(OrganisationKind.values)),
    "territory": Field("str"),
    "url": Field("str", default="", max_length=200),
}
AXIS: Spec = {
    "slug": Field("slug", required=True),
    "name": Field("str", required=True),
    "description": Field("text", default=""),
    "source": SOURCE,
}
DECISION: Spec = {
    "number": Field("int", required=True),
    "name": Field("str", required=True),
    "date": Field("date", required=True),
    "place": Field("str", default="", max_length=200),
    "territory": Field("str"),
    "source": SOURCE,
}
PROGRAMME: Spec = {
    "slug": Field("slug", required=True),
    "name": Field("str", required=True),
    "short_name": Field("str", default="", max_length=50),
    "description": Field("text", default=""),
    "url": Field("str", default="", max_length=200),
    "published": Field("bool", default=True),
}
ROOT: Spec = {
    "format": Field("str", required=True),
    "programme": Field("object", required=True, spec=PROGRAMME),
    "documents": Field("list", default=list, spec=DOCUMENT),
    "organisations": Field("list", default=list, spec=ORGANISATION),
    "axes": Field("list", required=True, spec=AXIS),
    "decisions": Field("list", default=list, spec=DECISION),
    "measures": Field("list", default=list, spec=MEASURE),
}
