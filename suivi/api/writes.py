"""The write API: contributors' scripts create and correct values and initiatives with a bearer token.

Every operation calls the same services as the contributor space, with the token's
user as the writer: the same rights, checks, workflow and history. Errors are JSON:
400 (bad value, with the field), 401 (no or bad token), 403 (out of scope), 404,
409 (someone changed the record since the version given).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.responses import Status as Reply
from ninja.security import HttpBearer
from pydantic import field_validator

from suivi.api.endpoints import router
from suivi.api.errors import ApiError
from suivi.api.schemas import Error
from suivi.catalogue.models import Programme
from suivi.contributions.auth import user_for_token
from suivi.contributions.services import move
from suivi.contributions.workflow import Status
from suivi.indicators.models import Indicator, Observation
from suivi.indicators.services import ValueInput, save_value
from suivi.initiatives.models import Initiative
from suivi.initiatives.services import InitiativeInput, save_initiative
from suivi.sources.models import Origin, SourceDocument
from suivi.sources.numbers import parse_date_input
from suivi.sources.precision import DatePrecision, Qualifier, format_partial_date
from suivi.sources.services import SourceSpec
from suivi.territories.models import Territory


class TokenAuth(HttpBearer):
    """``Authorization: Bearer suivi_…``: a token made in the contributor space."""

    def authenticate(self, request, token):
        return user_for_token(token)


# Writes share the read router, so that GET and POST of one address are one path in Ninja.
AUTH = {"auth": TokenAuth(), "tags": ["writes"]}


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False  # a nested body (a dict) is a WriteIn that checks its own fields, and names them


class WriteIn(Schema):
    """A write's body: no text in it may hold the NUL character, which no database stores
    (PostgreSQL answered a programme slug holding one with a server error)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        if _holds_nul(value):
            raise ValueError("text must not contain the NUL character (\\u0000)")
        return value


class SourceIn(WriteIn):
    document: str | None = Field(None, max_length=100, description="Slug of a source document of the programme.")
    url: str | None = Field(None, max_length=500, description="Address of a public document.")
    title: str | None = Field(None, max_length=300)
    page: int | None = Field(None, ge=1, le=100_000)
    quote: str | None = Field(None, max_length=2000)


class ValueIn(WriteIn):
    indicator: str = Field(
        ..., max_length=300, description="programme/measure/indicator, e.g. ciec/garantie-jeunes/jeunes-accompagnes."
    )
    territory: str = Field(..., max_length=20, description="Typed code: fr, reg:24, dep:36, com:36044.")
    date: str = Field(..., max_length=20, description="Date of the fact: 2016, 2016-12, 2016-Q4 or 2016-12-31.")
    value: Decimal = Field(..., max_digits=20, decimal_places=4)
    qualifier: Literal[tuple(Qualifier.values)] = Qualifier.EXACT  # type: ignore[valid-type]
    comment: str = Field("", max_length=2000)
    source: SourceIn | None = None
    publish: bool = Field(False, description="Publish at once (reviewers and editors only; others get a draft).")


class ValueUpdate(ValueIn):
    version: int = Field(..., ge=1, description="The version you read; a newer one answers 409.")


class WrittenValueOut(Schema):
    id: int
    version: int
    status: str
    indicator: str
    territory: str
    date: str
    value: float
    qualifier: str
    source: int | None


class InitiativeIn(WriteIn):
    programme: str = Field(..., max_length=50)
    title: str = Field(..., min_length=1, max_length=300)
    body: str = Field(..., max_length=20_000, description="Markdown subset: emphasis, lists, links.")
    measures: list[str] = Field(..., min_length=1, max_length=50, description="Measure slugs.")
    territories: list[str] = Field(..., min_length=1, max_length=50, description="Typed territory codes.")
    start: str | None = Field(None, max_length=20, description="2016, 2016-09 or 2016-09-01.")
    publish: bool = False


class InitiativeUpdate(InitiativeIn):
    version: int = Field(..., ge=1)


class WrittenInitiativeOut(Schema):
    id: int
    programme: str
    slug: str
    version: int
    status: str
    title: str
    measures: list[str]
    territories: list[str]


class MoveIn(WriteIn):
    status: Literal[tuple(Status.values)]  # type: ignore[valid-type]
    comment: str = Field("", max_length=2000)


class FieldConflictOut(Schema):
    field: str
    label: str
    theirs: str
    yours: str


class ConflictDetail(Schema):
    status: int
    message: str
    current_version: int
    fields: list[FieldConflictOut]


class ConflictOut(Schema):
    error: ConflictDetail


WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: ConflictOut}


def _date(text: str, parameter: str) -> tuple[datetime.date, str]:
    try:
        return parse_date_input(text)
    except ValueError as exc:
        raise ApiError(400, str(exc), parameter) from None


def _territory(code: str, parameter: str = "territory") -> Territory:
    found = Territory.objects.filter(code=code).first()
    if found is None:
        raise ApiError(400, f"No territory {code!r} (codes look like fr, reg:52, dep:36, com:36044).", parameter)
    return found


def _indicator(key: str) -> Indicator:
    parts = key.split("/")
    found = None
    if len(parts) == 3:
        found = (
            Indicator.objects.select_related("measure__programme")
            .filter(measure__programme__slug=parts[0], measure__slug=parts[1], slug=parts[2])
            .first()
        )
    if found is None:
        raise ApiError(400, f"No indicator {key!r} (write programme/measure/indicator).", "indicator")
    return found


def _source(programme: Programme, source: SourceIn | None) -> SourceSpec | None:
    if source is None:
        return None
    document = None
    if source.document:
        document = SourceDocument.objects.filter(programme=programme, slug=source.document).first()
        if document is None:
            raise ApiError(400, f"No source document {source.document!r} in this programme.", "source.document")
    return SourceSpec(
        document=document, url=source.url or "", title=source.title or "", page=source.page, quote=source.quote or ""
    )


def _value_input(payload: ValueIn) -> ValueInput:
    indicator = _indicator(payload.indicator)
    date, precision = _date(payload.date, "date")
    return ValueInput(
        indicator=indicator,
        territory=_territory(payload.territory),
        date=date,
        date_precision=precision,
        value=payload.value,
        qualifier=payload.qualifier,
        comment=payload.comment,
        cite=_source(indicator.measure.programme, payload.source),
    )


def written_value(o: Observation) -> dict:
    i = o.indicator
    return {
        "id": o.pk,
        "version": o.version,
        "status": o.status,
        "indicator": f"{i.measure.programme.slug}/{i.measure.slug}/{i.slug}",
        "territory": o.territory_id,
        "date": format_partial_date(o.date, o.date_precision),
        "value": o.value,
        "qualifier": o.qualifier,
        "source": o.source_id,
    }


def written_initiative(i: Initiative) -> dict:
    return {
        "id": i.pk,
        "programme": i.programme.slug,
        "slug": i.slug,
        "version": i.version,
        "status": i.status,
        "title": i.title,
        "measures": sorted(i.measures.values_list("slug", flat=True)),
        "territories": sorted(i.territories.values_list("code", flat=True)),
    }


def _writable_value(pk: int) -> Observation:
    if not 1 <= pk <= 2**62:
        raise ApiError(404, "No value with this id.")
    return get_object_or_404(Observation.objects.select_related("indicator__measure__programme", "territory"), pk=pk)


@router.post("/observations", response={201: WrittenValueOut, **WRITE_ERRORS}, summary="Report a value", **AUTH)
def create_value(request, payload: ValueIn):
    saved = save_value(request.auth, _value_input(payload), publish=payload.publish, origin=Origin.API)
    return Reply(201, written_value(saved))


@router.put(
    "/observations/{value_id}", response={200: WrittenValueOut, **WRITE_ERRORS}, summary="Correct a value", **AUTH
)
def update_value(request, value_id: int, payload: ValueUpdate):
    observation = _writable_value(value_id)
    data = _value_input(payload)
    if data.cite is None:
        data.source = observation.source
    saved = save_value(request.auth, data, observation=observation, expected_version=payload.version, origin=Origin.API)
    return Reply(200, written_value(saved))


@router.post(
    "/observations/{value_id}/status", response={200: WrittenValueOut, **WRITE_ERRORS}, summary="Move a value", **AUTH
)
def move_value(request, value_id: int, payload: MoveIn):
    observation = _writable_value(value_id)
    move(request.auth, observation, payload.status, payload.comment, origin=Origin.API)
    return Reply(200, written_value(observation))


def _initiative_input(payload: InitiativeIn) -> tuple[Programme, InitiativeInput]:
    programme = Programme.objects.filter(slug=payload.programme).first()
    if programme is None:
        raise ApiError(400, f"No programme {payload.programme!r}.", "programme")
    measures = list(programme.measures.filter(slug__in=payload.measures))
    unknown = sorted(set(payload.measures) - {m.slug for m in measures})
    if unknown:
        raise ApiError(400, f"No measure {unknown[0]!r} in programme {programme.slug!r}.", "measures")
    territories = [_territory(code, "territories") for code in payload.territories]
    start, precision = _date(payload.start, "start") if payload.start else (None, DatePrecision.DAY)
    return programme, InitiativeInput(
        title=payload.title,
        body=payload.body,
        measures=measures,
        territories=territories,
        start_date=start,
        start_precision=precision,
    )


@router.post(
    "/initiatives", response={201: WrittenInitiativeOut, **WRITE_ERRORS}, summary="Propose an initiative", **AUTH
)
def create_initiative(request, payload: InitiativeIn):
    programme, data = _initiative_input(payload)
    saved = save_initiative(request.auth, programme, data, publish=payload.publish, origin=Origin.API)
    return Reply(201, written_initiative(saved))


@router.put(
    "/initiatives/{programme}/{slug}",
    response={200: WrittenInitiativeOut, **WRITE_ERRORS},
    summary="Correct one",
    **AUTH,
)
def update_initiative(request, programme: str, slug: str, payload: InitiativeUpdate):
    initiative = get_object_or_404(Initiative.objects.select_related("programme"), programme__slug=programme, slug=slug)
    if payload.programme != programme:
        raise ApiError(400, "The body's programme differs from the address's.", "programme")
    instance, data = _initiative_input(payload)
    data.partners = list(initiative.partners.all())
    saved = save_initiative(
        request.auth, instance, data, initiative=initiative, expected_version=payload.version, origin=Origin.API
    )
    return Reply(200, written_initiative(saved))


def validation_error_message(exc: ValidationError) -> tuple[str, str | None]:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return " ".join(e for error in errors for e in error.messages), None if field == "__all__" else field
    return " ".join(exc.messages), None
