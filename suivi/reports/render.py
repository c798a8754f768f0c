"""A report as one self-contained HTML file, and as a tagged PDF made from it by WeasyPrint.

The HTML carries everything it needs: its style sheet, the Marianne fonts shipped with
django-dsfr (as data URIs) and the DSFR's Marianne block, read from the DSFR's own style
sheet so that it stays the State's. The PDF is made from the same HTML with the print
rules of the style sheet (running headers, page numbers, a table of contents whose page
numbers WeasyPrint fills in), tagged for screen readers (PDF/UA-1), with the document's
language and title set.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

import dsfr
from django.template.loader import render_to_string

from suivi.reports.build import Report

HERE = Path(__file__).parent
DSFR_DIST = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist"
FONTS = {(400, "Regular"), (500, "Medium"), (700, "Bold")}


@functools.cache
def style_sheet() -> str:
    faces = []
    for weight, name in sorted(FONTS):
        data = base64.b64encode((DSFR_DIST / "fonts" / f"Marianne-{name}.woff2").read_bytes()).decode()
        faces.append(
            "@font-face{font-family:Marianne;font-style:normal;"
            f"font-weight:{weight};src:url(data:font/woff2;base64,{data}) format('woff2')}}"
        )
    own = (HERE / "report.css").read_text(encoding="utf-8")
    return "\n".join([*faces, marianne_block(), own])


def marianne_block() -> str:
    """The DSFR's ``.fr-logo`` rules (the Marianne and the motto, drawn by its own SVGs), at their base size."""
    css = (DSFR_DIST / "dsfr.min.css").read_text(encoding="utf-8")
    rules = []
    for selector in (r"\.fr-logo", r"\.fr-logo:before", r"\.fr-logo:after"):
        match = re.search(selector + r"\{[^}]*\}", css)
        if match is None:
            raise RuntimeError(f"django-dsfr's style sheet has no {selector} rule any more")
        rules.append(match.group(0))
    block = "\n".join(rules).replace("var(--text-black-white-grey)", "#161616").replace("forced-color-adjust:none;", "")
    # WeasyPrint cannot compute calc() in a background position: the same offset, worked out
    # for the block's base size (a 2.21rem box, a 3.75rem sprite, shifted down by 1.875rem).
    return block.replace("calc(100% + 1.875rem)", ".3333333333rem")


def html(report: Report) -> str:
    return render_to_string("reports/report.html", {"report": report, "style": style_sheet()})


def pdf(report: Report, text: str | None = None) -> bytes:
    """The PDF of ``report`` (or of its already rendered ``text``)."""
    from weasyprint import HTML  # imported here: loading pango takes a while, pages never need it

    document = HTML(string=text if text is not None else html(report), base_url=str(HERE))
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)
