"""Field-by-field reading of a programme document into typed Python values.

Each kind of object (measure, indicator, value…) is a ``Spec``: its fields, their
kind, whether they are required, and their default. ``read_object`` checks a mapping
against a spec, reports every problem on the document (unknown field, missing field,
wrong type) and returns the typed values.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from suivi.catalogue.interchange.reading import Document, Path_
from suivi.sources.precision import parse_partial_date

MISSING = object()
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Field:
    kind: str  # str, text, slug, int, decimal, date, choice, list, object, str_list, int_list, bool, line_span
    required: bool = False
    default: object = None
    choices: tuple[str, ...] = ()
    spec: Spec | None = None  # for list and object
    max_length: int | None = None  # for str, when the column is shorter than a line


Spec = dict[str, Field]


# A title or a name fits on a line; a text is a few pages at most (the report's longest is 2,000).
LINE_LIMIT = 300
TEXT_LIMIT = 20_000


def _read_scalar(doc: Document, path: Path_, field: Field, raw: object) -> object:
    kind = field.kind
    if kind in ("str", "text", "slug", "choice"):
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            return doc.error(path, f"expected text, got {type(raw).__name__}")
        value = raw.strip() if kind != "text" else raw.strip("\n")
        limit = TEXT_LIMIT if kind == "text" else field.max_length or LINE_LIMIT
        if len(value) > limit:
            return doc.error(path, f"{len(value):,} characters; at most {limit:,}")
        if "\x00" in value:
            return doc.error(path, "contains a NUL character")
        if field.required and not value:
            return doc.error(path, "required, must not be empty")
        if kind == "slug" and not _SLUG.match(value):
            return doc.error(path, f"{value!r} is not a slug (lower-case letters, digits and hyphens)")
        if kind == "choice" and value not in field.choices:
            return doc.error(path, f"{value!r} is not one of: {', '.join(field.choices)}")
        return value
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            return doc.error(path, f"expected a whole number, got {raw!r}")
        return raw
    if kind == "bool":
        if not isinstance(raw, bool):
            return doc.error(path, f"expected true or false, got {raw!r}")
        return raw
    if kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            return doc.error(path, f"expected a number, got {raw!r}")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return doc.error(path, f"{raw!r} is not a number (write 6000000000, not 6 milliards)")
        return value if value.is_finite() else doc.error(path, f"{raw!r} is not a finite number")
    if kind == "date":
        text = raw.isoformat() if isinstance(raw, datetime.date) else raw
        try:
            return parse_partial_date(text)
        except (ValueError, TypeError) as exc:
            return doc.error(path, str(exc))
    if kind in ("str_list", "int_list", "line_span"):
        if not isinstance(raw, list):
            return doc.error(path, f"expected a list, got {raw!r}")
        item_kind = "str" if kind == "str_list" else "int"
        items = [_read_scalar(doc, (*path, i), Field(item_kind, required=True), item) for i, item in enumerate(raw)]
        if kind == "line_span" and len(raw) != 2:
            return doc.error(path, "expected [first line, last line]")
        return items if all(item is not None for item in items) else None
    raise AssertionError(kind)


def read_object(doc: Document, obj: object, path: Path_, spec: Spec) -> dict | None:
    """The typed values of ``obj`` following ``spec``, with its ``_path`` for later errors.

    None (with errors on ``doc``) if it is not a mapping.
    """
    if not isinstance(obj, dict):
        doc.error(path, f"expected a mapping of fields, got {type(obj).__name__}")
        return None
    for key in obj:
        if key not in spec:
            doc.error((*path, key), f"unknown field (expected one of: {', '.join(spec)})")
    result: dict = {"_path": path}
    for name, field in spec.items():
        raw = obj.get(name, MISSING)
        if raw is MISSING or raw is None:
            if field.required:
                doc.error((*path, name), "required")
            result[name] = field.default() if callable(field.default) else field.default
            continue
        if field.kind == "object":
            result[name] = read_object(doc, raw, (*path, name), field.spec)
        elif field.kind == "list":
            result[name] = read_list(doc, raw, (*path, name), field.spec)
        else:
            result[name] = _read_scalar(doc, (*path, name), field, raw)
    return result


def read_list(doc: Document, raw: object, path: Path_, spec: Spec) -> list[dict]:
    if not isinstance(raw, list):
        doc.error(path, f"expected a list, got {type(raw).__name__}")
        return []
    items = [read_object(doc, item, (*path, i), spec) for i, item in enumerate(raw)]
    return [item for item in items if item is not None]
