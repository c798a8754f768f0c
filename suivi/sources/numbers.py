"""Numbers and dates as people type them, in French or English forms."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from suivi.sources.precision import DatePrecision, parse_partial_date

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_FRENCH = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^[+-]?\d+(?:,\d+)?$")
_ENGLISH = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")


def parse_number(text: str) -> Decimal:
    """``12,5``, ``12.5``, ``1 675`` (any space), ``45 %``, ``1,675.5`` → Decimal; ``ValueError`` otherwise.

    A lone comma is a French decimal comma: ``1,675`` is 1.675 (write ``1 675`` for the
    thousands); a comma is a thousands separator only beside a decimal point (``1,675.5``).
    """
    raw = _SPACES.sub("", str(text)).removesuffix("%")
    if not raw:
        raise ValueError("empty")
    if _ENGLISH.match(raw) and ("." in raw or raw.count(",") > 1):
        number = raw.replace(",", "")
    elif _FRENCH.match(raw):
        number = raw.replace(".", "").replace(",", ".")
    elif _ENGLISH.match(raw):
        number = raw.replace(",", "")
    else:
        raise ValueError(f"{text!r} is not a number")
    try:
        return Decimal(number)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_QUARTER = re.compile(r"^T([1-4])\s*(\d{4})$", re.IGNORECASE)


def parse_date_input(text: str) -> tuple[datetime.date, str]:
    """``31/12/2016``, ``12/2016``, ``T4 2016``, ``2016``, ``2016-12``, ``2016-Q4`` → (first day, precision)."""
    text = str(text).strip()
    try:
        if match := _DMY.match(text):
            day, month, year = map(int, match.groups())
            return datetime.date(year, month, day), DatePrecision.DAY
        if match := _MY.match(text):
            month, year = map(int, match.groups())
            return datetime.date(year, month, 1), DatePrecision.MONTH
        if match := _QUARTER.match(text):
            quarter, year = map(int, match.groups())
            return datetime.date(year, 3 * quarter - 2, 1), DatePrecision.QUARTER
        return parse_partial_date(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use 31/12/2016, 12/2016, T4 2016, 2016, or 2016-12-31)") from None
