"""Cells as people write them → values: numbers with their qualifier, dates, territories.

Each reader caches what it has already resolved: a file repeats the same dates and places
on every line, so a million rows cost a few thousand lookups.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from suivi.imports.mapping import Mapping
from suivi.sources.numbers import parse_number
from suivi.sources.precision import DatePrecision, Qualifier
from suivi.territories.folding import fold
from suivi.territories.lookup import resolve
from suivi.territories.models import Level, Territory, make_code

MAX_VALUE = Decimal("1e16")
EARLIEST = datetime.date(1900, 1, 1)
QUALIFIER_WORDS = [
    ("plus de", Qualifier.MORE_THAN),
    ("moins de", Qualifier.LESS_THAN),
    ("au moins", Qualifier.AT_LEAST),
    ("au plus", Qualifier.AT_MOST),
    ("environ", Qualifier.ABOUT),
    ("près de", Qualifier.NEARLY),
    ("pres de", Qualifier.NEARLY),
    (">=", Qualifier.AT_LEAST),
    ("≥", Qualifier.AT_LEAST),
    ("<=", Qualifier.AT_MOST),
    ("≤", Qualifier.AT_MOST),
    (">", Qualifier.MORE_THAN),
    ("<", Qualifier.LESS_THAN),
    ("~", Qualifier.ABOUT),
    ("≈", Qualifier.ABOUT),
]
QUALIFIER_NAMES = {q.value: q.value for q in Qualifier} | {fold(str(q.label)): q.value for q in Qualifier}


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in French."""


def parse_value(text: str) -> tuple[Decimal, str]:
    """``12,5`` → (12.5, exact); ``plus de 40`` → (40, more_than); ``1 675`` with a no-break space; ``45 %``."""
    raw = text.strip()
    qualifier = Qualifier.EXACT
    lowered = raw.lower() if raw and not raw[0].isdigit() else ""
    for words, kind in QUALIFIER_WORDS if lowered else ():
        if lowered.startswith(words):
            qualifier = kind
            raw = raw[len(words) :].strip()
            break
    if not raw:
        raise CellError("valeur manquante")
    try:
        number = parse_number(raw)
    except ValueError:
        raise CellError(f"« {text} » n’est pas un nombre (formes acceptées : 12,5 ; 12.5 ; 1 675 ; 45 %)") from None
    if abs(number) >= MAX_VALUE:
        raise CellError(f"« {text} » est trop grand (au plus 16 chiffres avant la virgule)")
    if number.as_tuple().exponent < -4 and number != number.quantize(Decimal("0.0001")):
        number = number.quantize(Decimal("0.0001"))
    return number, qualifier


def parse_qualifier(text: str) -> str:
    key = fold(text.strip()) if text.strip() else "exact"
    if key in QUALIFIER_NAMES:
        return QUALIFIER_NAMES[key]
    raise CellError(f"qualificatif « {text} » inconnu (exact, plus de, moins de, au moins, au plus, environ, près de)")


FRENCH_MONTHS = {
    fold(name): number
    for number, names in enumerate(
        [
            ("janvier", "janv"),
            ("fevrier", "févr", "fevr"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("aout", "août"),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("decembre", "déc", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_YM = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_QUARTER = re.compile(r"^(?:T|Q)([1-4])[\s-]*(\d{4})$|^(\d{4})[\s-]*(?:T|Q)([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_NAME = re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$")

PRECISION_ORDER = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.QUARTER, DatePrecision.YEAR]


def _read_date(text: str) -> tuple[datetime.date, str]:
    text = text.strip()
    if m := _ISO_DAY.match(text):
        return datetime.date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY
    if m := _DMY.match(text):
        return datetime.date(int(m[3]), int(m[2]), int(m[1])), DatePrecision.DAY
    if m := _MY.match(text):
        return datetime.date(int(m[2]), int(m[1]), 1), DatePrecision.MONTH
    if m := _YM.match(text):
        return datetime.date(int(m[1]), int(m[2]), 1), DatePrecision.MONTH
    if m := _QUARTER.match(text):
        quarter, year = (m[1], m[2]) if m[1] else (m[4], m[3])
        return datetime.date(int(year), 3 * int(quarter) - 2, 1), DatePrecision.QUARTER
    if m := _YEAR.match(text):
        return datetime.date(int(m[1]), 1, 1), DatePrecision.YEAR
    if (m := _MONTH_NAME.match(text)) and fold(m[1]) in FRENCH_MONTHS:
        return datetime.date(int(m[2]), FRENCH_MONTHS[fold(m[1])], 1), DatePrecision.MONTH
    raise ValueError(text)


def _period_start(day: datetime.date, precision: str) -> datetime.date:
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if precision == DatePrecision.YEAR:
        return datetime.date(day.year, 1, 1)
    return day


def _is_period_end(day: datetime.date, precision: str) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    if precision == DatePrecision.MONTH:
        return day.day == last
    if precision == DatePrecision.QUARTER:
        return day.month % 3 == 0 and day.day == last
    if precision == DatePrecision.YEAR:
        return day.month == 12 and day.day == 31
    return True


class DateReader:
    """Dates as days, months, quarters or years; the mapping may say the file's precision and
    that a day stands for the period it ends (the Baromètre dates March 2018 ``2018-03-31``)."""

    def __init__(self, mapping: Mapping, today: datetime.date | None = None):
        self.precision = mapping.date_precision
        self.end = mapping.date_convention == "end"
        today = today or datetime.date.today()
        self.latest = today.replace(year=today.year + 5)
        self._cache: dict[str, tuple[datetime.date, str]] = {}

    def __call__(self, text: str) -> tuple[datetime.date, str]:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._parse(text)
        return found

    def _parse(self, text: str) -> tuple[datetime.date, str]:
        if not text.strip():
            raise CellError("date manquante")
        try:
            day, precision = _read_date(text)
        except ValueError:
            raise CellError(
                f"« {text} » n’est pas une date (formes acceptées : 31/12/2016, 2016-12-31, 12/2016, "
                "décembre 2016, T4 2016, 2016)"
            ) from None
        if self.precision and precision != self.precision:
            if PRECISION_ORDER.index(precision) > PRECISION_ORDER.index(self.precision):
                raise CellError(f"« {text} » est moins précis que le fichier ne l’annonce ({self.precision})")
            if self.end and not _is_period_end(day, self.precision):
                raise CellError(f"« {text} » n’est pas le dernier jour d’une période ({self.precision})")
            day, precision = _period_start(day, self.precision), self.precision
        if not EARLIEST <= day <= self.latest:
            raise CellError(f"« {text} » est hors des dates admises ({EARLIEST.year} à {self.latest.year})")
        return day, precision


@dataclass(slots=True)
class Place:
    """What rights and staging need of a territory, without loading the model."""

    pk: str
    level: str
    region_id: str | None
    departement_id: str | None
    parent_id: str | None
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.pk})" if self.name else self.pk


_TYPED = re.compile(r"^(fr|(?:reg|ctom|dep|epci|com|comd|coma|arm)[:-][0-9A-Za-z]{1,9})$", re.IGNORECASE)
_ZONE = re.compile(r"^([NRDCE])([0-9][0-9AB]{0,8})?$")
ZONE_LEVELS = {"R": Level.REGION, "D": Level.DEPARTEMENT, "C": Level.COMMUNE, "E": Level.EPCI}
_BARE = re.compile(r"^(?:\d{1,9}|2[AB]\d{0,3})$", re.IGNORECASE)


class TerritoryReader:
    """Territory codes in every common form → the typed key.

    ``dep:36`` / ``com-36044`` / ``fr`` (typed); bare INSEE codes (``36``, ``2A``, ``971``,
    ``36044``) read at the mapping's level or the row's; zone codes ``N``, ``R24``, ``D36``,
    ``C36044``, ``E200071082``; an EPCI's SIREN (9 digits); else a name, accents and case
    folded, homonyms refused with the candidates listed.
    """

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        self.places: dict[str, Place] = {
            row[0]: Place(*row)
            for row in Territory.objects.values_list(
                "code", "level", "region_id", "departement_id", "parent_id", "name"
            )
        }
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, text: str, level: str = "") -> Place:
        key = (text, level)
        code = self._cache.get(key)
        if code is None:
            code = self._cache[key] = self._resolve(text.strip(), level)
        return self.places[code]

    def _known(self, code: str, text: str) -> str:
        if code not in self.places:
            raise CellError(f"aucun territoire n’a le code « {text} » dans le COG chargé")
        return code

    def _resolve(self, text: str, level: str) -> str:
        if not text:
            raise CellError("territoire manquant")
        if text in self.mapping.territory_values:
            return self._known(self.mapping.territory_values[text], text)
        if level == Level.COUNTRY:
            return Level.COUNTRY.value
        if _TYPED.match(text):
            lowered = text.lower()
            code = lowered if lowered == "fr" else Territory.code_from_slug(lowered) if ":" not in lowered else lowered
            prefix, _, rest = code.partition(":")
            return self._known(f"{prefix}:{rest.upper()}" if rest else code, text)
        if zone := _ZONE.match(text):
            letter, number = zone.groups()
            if letter == "N" and not number:
                return Level.COUNTRY.value
            if number:
                return self._known(make_code(ZONE_LEVELS[letter], number), text)
        if _BARE.match(text):
            return self._bare(text.upper(), level or self.mapping.territory_level, text)
        try:
            return resolve(text).code
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None

    def _bare(self, code: str, level: str, text: str) -> str:
        if len(code) == 9:
            return self._known(make_code(Level.EPCI, code), text)
        if len(code) == 5:
            return self._known(make_code(Level.COMMUNE, code), text)
        if level == Level.COMMUNE and len(code) == 4:
            return self._known(make_code(Level.COMMUNE, "0" + code), text)  # a spreadsheet dropped the 0
        if level:
            if level in (Level.REGION, Level.DEPARTEMENT) and len(code) == 1:
                code = "0" + code
            return self._known(make_code(level, code), text)
        raise CellError(
            f"« {text} » peut être le code d’une région ou d’un département : donnez le niveau "
            "(dep:36, reg:24, D36, R24, ou « territory: level » dans la correspondance)"
        )
