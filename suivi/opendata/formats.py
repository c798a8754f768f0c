"""Write a table as CSV, JSON or XLSX, and describe it with Table Schema and a Data Package."""

from __future__ import annotations

import csv
import io
import json

from django.urls import reverse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from suivi.catalogue.models import Programme
from suivi.opendata.tables import TABLES, Table, cell

LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    "title": "Licence Ouverte / Open Licence version 2.0",
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def to_csv(table: Table, programme: Programme) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for record in table.records(programme):
        writer.writerow(["" if value is None else cell(value) for value in record])
    return buffer.getvalue()


def to_json(table: Table, programme: Programme) -> str:
    names = [c.name for c in table.columns]
    rows = [dict(zip(names, map(cell, record), strict=True)) for record in table.records(programme)]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def _text_stays_text(sheet, value):
    """A text starting with "=" is written as text, never as a live formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith("="):
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"
        return text
    return value


def to_xlsx(table: Table, programme: Programme) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name)
    sheet.append([c.name for c in table.columns])
    for record in table.records(programme):
        sheet.append([_text_stays_text(sheet, cell(value)) for value in record])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}


def table_schema(table: Table) -> dict:
    """The Table Schema (frictionless) descriptor of a table's CSV."""
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": column.type, "description": column.description}
        constraints = {}
        if column.required:
            constraints["required"] = True
        if column.codes:
            constraints["enum"] = list(column.codes)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = table.primary_key
    return schema


def data_package(programme: Programme, request=None) -> dict:
    """The ``datapackage.json`` of a programme: every table's CSV with its schema inline."""

    def url(name: str, extension: str) -> str:
        path = reverse("opendata:table", args=[programme.slug, name, extension])
        return request.build_absolute_uri(path) if request is not None else f"{name}.{extension}"

    return {
        "profile": "tabular-data-package",
        "name": f"suivi-{programme.slug}",
        "title": programme.name,
        "description": programme.description,
        "licenses": [LICENCE],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name.replace("_", "-"),
                "title": table.title,
                "description": table.description,
                "path": url(table.name, "csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table),
            }
            for table in TABLES
        ],
    }
