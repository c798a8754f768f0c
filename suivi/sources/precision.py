"""How precisely a fact is dated, and how exactly a quantity is stated.

Shared by every app that records a figure: the text says "fin 2016", "rentrée
2016" or "plus de 20 %", and we keep what it says, not more.
"""

import datetime
import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("jour")
    MONTH = "month", _("mois")
    QUARTER = "quarter", _("trimestre")
    YEAR = "year", _("année")


class Qualifier(models.TextChoices):
    """How the stated number relates to the true one."""

    EXACT = "exact", _("exactement")
    MORE_THAN = "more_than", _("plus de")
    LESS_THAN = "less_than", _("moins de")
    AT_LEAST = "at_least", _("au moins")
    AT_MOST = "at_most", _("au plus")
    ABOUT = "about", _("environ")
    NEARLY = "nearly", _("près de")


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])))?$")


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """``"2016"``, ``"2016-09"``, ``"2017-Q1"``, ``"2016-10-10"`` → (first day, precision).

    Raises ``ValueError`` with the accepted forms when ``text`` is none of them.
    """
    match = _PARTIAL_DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a date (use 2016, 2016-09, 2017-Q1 or 2016-10-10)")
    year, month, day, quarter = match.groups()
    if quarter:
        return datetime.date(int(year), 3 * int(quarter) - 2, 1), DatePrecision.QUARTER
    if day:
        return datetime.date(int(year), int(month), int(day)), DatePrecision.DAY
    if month:
        return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
    return datetime.date(int(year), 1, 1), DatePrecision.YEAR


def format_partial_date(date: datetime.date | None, precision: str) -> str | None:
    """The inverse of ``parse_partial_date``."""
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.QUARTER:
        return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()
