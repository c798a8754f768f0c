"""French presentation of numbers, amounts and partial dates (``346 000 €``, ``6 Md€``, ``45 %``)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils import formats
from django.utils.dates import MONTHS

from suivi.sources.precision import DatePrecision, Qualifier
from suivi.territories.folding import fold

NBSP = "\u00a0"
QUALIFIER_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.MORE_THAN: "plus de",
    Qualifier.LESS_THAN: "moins de",
    Qualifier.AT_LEAST: "au moins",
    Qualifier.AT_MOST: "au plus",
    Qualifier.ABOUT: "environ",
    Qualifier.NEARLY: "près de",
}


def number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """``346000`` → ``346 000``; ``7.5`` → ``7,5`` (French separators, no trailing zeros)."""
    if value is None:
        return "–"
    value = Decimal(str(value))
    if decimals is None:
        decimals = max(0, -value.normalize().as_tuple().exponent)
    text = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def amount(value: Decimal | None, currency: str = "EUR") -> str:
    """``6000000000`` → ``6 Md€``, ``7500000`` → ``7,5 M€``, ``346000`` → ``346 000 €``."""
    if value is None:
        return "–"
    symbol = "€" if currency == "EUR" else currency
    value = Decimal(value)
    for size, suffix in ((Decimal(10) ** 9, "Md"), (Decimal(10) ** 6, "M")):
        if abs(value) >= size:
            return f"{number((value / size).quantize(Decimal('0.01')).normalize())}{NBSP}{suffix}{symbol}"
    return f"{number(value)}{NBSP}{symbol}"


def quantity(value: Decimal | None, unit: str, qualifier: str = Qualifier.EXACT) -> str:
    """``(20, "%", "more_than")`` → ``plus de 20 %``; ``(19, "orchestres")`` → ``19 orchestres``."""
    if unit in ("€", "EUR"):
        text = amount(value)
    elif unit:
        text = f"{number(value)}{NBSP}{unit}"
    else:
        text = number(value)
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {text}" if words else text


def partial_date(date: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """``(2016-12-01, month)`` → ``décembre 2016``; quarters, years and days likewise, in French."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.QUARTER:
        quarter = (date.month - 1) // 3 + 1
        return f"{'1er' if quarter == 1 else f'{quarter}e'} trimestre {date.year}"
    month = str(MONTHS[date.month]).lower()
    if precision == DatePrecision.MONTH:
        return f"{month} {date.year}"
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {month} {date.year}"


def sort_key(text: str) -> tuple[str, str]:
    """French alphabetical order: accents and case do not count (Bélâbre before Buxeuil, Île-de-France among the I)."""
    return fold(text), text


def lower_first(text: str) -> str:
    """``"Personnes effectuant un TIG"`` → ``"personnes effectuant un TIG"``; ``"IUT de Strasbourg"`` unchanged."""
    first = text.split(" ", 1)[0]
    if not text or (len(first) > 1 and first.isupper()):
        return text
    return text[0].lower() + text[1:]


def _scaled(value: Decimal) -> tuple[Decimal, str] | None:
    """``7500000`` → ``(7.5, "million")``; below a million, None."""
    for size, word in ((Decimal(10) ** 9, "milliard"), (Decimal(10) ** 6, "million")):
        if abs(value) >= size:
            return (value / size).quantize(Decimal("0.01")).normalize(), word
    return None


def _of(noun: str) -> str:
    """French elision: ``de jeunes``, ``d’euros``."""
    return f"d’{noun}" if fold(noun[:1]) in "aeiouyh" else f"de {noun}"


def long_quantity(value: Decimal | None, unit: str, qualifier: str = Qualifier.EXACT) -> str:
    """Written as a report says it: ``6 milliards d’euros``, ``7,5 millions d’euros``, ``7 000 démolitions``.

    Amounts and counts of a million or more take the word; smaller ones their digits.
    """
    if value is None:
        return "–"
    scaled = _scaled(Decimal(value))
    noun = "euros" if unit in ("€", "EUR") else unit
    if scaled is None:
        text = quantity(value, unit)
    else:
        size, word = scaled
        word = word + ("s" if size >= 2 else "")
        text = f"{number(size)}{NBSP}{word}" + (f" {_of(noun)}" if noun and noun != "%" else "")
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {text}" if words else text


# French typography: a no-break space before the high signs and inside guillemets, so that
# "Guadeloupe :" never ends a line with its colon alone on the next; typographic apostrophes.
_BEFORE_SIGN = re.compile(r"[ \u00a0\u202f]*([:;!?»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0\u202f]+")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def french_typography(text: str) -> str:
    """``Guadeloupe : le garage « les Abeilles »`` with no-break spaces where French sets them.

    Only where a space already stands before a sign (URLs, times and ratios such as ``1:2``
    keep theirs) and after an opening guillemet; ``l'école`` gets its ``’``.
    """
    if not text:
        return text
    text = _BEFORE_SIGN.sub(lambda m: "\u00a0" + m.group(1) if m.group(0) != m.group(1) else m.group(0), text)
    text = _AFTER_GUILLEMET.sub("«\u00a0", text)
    return _APOSTROPHE.sub("\u2019", text)
