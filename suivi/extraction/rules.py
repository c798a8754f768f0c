"""Rules that read figures, money, dates, targets and measure headings in French prose.

Each rule works on the running text (``suivi.extraction.flat``) and returns items with
their span there; ``extract`` turns spans into locators and quotes. The forms covered are
listed by rule; the tests hold one example of each.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from decimal import Decimal

from text_to_num import text2num

from suivi.extraction.items import Item

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}  # fmt: skip
MONTH = (
    r"(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)"
)
ORDINAL_QUARTER = {"premier": 1, "1er": 1, "deuxième": 2, "second": 2, "2e": 2, "troisième": 3, "3e": 3,
                   "quatrième": 4, "dernier": 4, "4e": 4}  # fmt: skip
APOSTROPHE = "[’']"
SPACE = "[  \u202f]"

# Numbers written in words: from "deux" up ("un", "une" are articles far more often than counts).
_UNITS = "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
_TENS = "vingt|vingts|trente|quarante|cinquante|soixante|quatre-vingts?|cent|cents|mille"
_WORD = rf"(?:{_UNITS}|{_TENS})"
NUMBER_WORDS = rf"(?<![\w-])(?:{_WORD}(?:[- ](?:et[- ])?(?:{_WORD}|un|une))*)(?![\w-])"

DIGITS = rf"(?<![\w#/.,°-])(?:\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(?:,\d+)?(?![\w])(?!,\d)"
SCALE = r"(?:\s+(?P<scale>millions?|milliards?|mille))?"
QUALIFIERS = {
    "plus de": "more_than", "plus d’": "more_than", "plus d'": "more_than", "au-delà de": "more_than",
    "près de": "nearly", "près d’": "nearly", "près d'": "nearly", "presque": "nearly", "quasiment": "nearly",
    "environ": "about", "quelque": "about", "autour de": "about", "de l’ordre de": "about",
    "au moins": "at_least", "pas moins de": "at_least", "au minimum": "at_least",
    "moins de": "less_than", "moins d’": "less_than", "jusqu’à": "at_most", "au plus": "at_most",
    "au maximum": "at_most",
}  # fmt: skip
QUALIFIER = "(?P<qualifier>" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True)) + r")\s*"

# What follows a number and ends the phrase naming what is counted.
STOP_WORDS = {
    "a", "à", "au", "aux", "avec", "ce", "ces", "cette", "comme", "contre", "dans", "dont", "du", "en", "entre",
    "est", "et", "été", "font", "il", "ils", "la", "le", "les", "leur", "lors", "mais", "ne", "on", "ont", "ou",
    "où", "par", "pour", "qui", "que", "qu", "sera", "seront", "soit", "sont", "sur", "se", "s", "y", "un",
    "une", "avaient", "avait", "ayant", "était", "étaient", "depuis", "dès", "d’ici", "fin", "chaque", "sans",
    "vers", "chez", "après", "avant", "selon", "ainsi", "déjà", "désormais", "encore", "aussi", "tous",
}  # fmt: skip
LINKS = {"de", "d", "des", "du"}


def number_value(text: str, scale: str | None = None) -> Decimal:
    """``7 000`` → 7000, ``7,5`` + ``millions`` → 7500000, ``vingt-cinq mille`` → 25000."""
    raw = re.sub(rf"{SPACE}", "", text).replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        value = Decimal(raw)
    else:
        value = Decimal(text2num(re.sub(r"\s+", " ", text.strip()), "fr"))
    if scale:
        value *= {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9, "mille": 1000}[scale]
    return value


def plain(value: Decimal) -> str:
    """A Decimal as the JSON draft writes it: ``7000``, ``7.5``."""
    text = format(value.normalize(), "f")
    return text


def _counted(text: str, start: int) -> tuple[str, int]:
    """The words after ``start`` naming what is counted ("conventions nationales", "protocoles de préfiguration")."""
    words, end, links = [], start, 0
    for match in re.finditer(r"\s*([\w’'-]+|[^\w\s])", text[start:]):
        word = match.group(1)
        lowered = word.lower()
        if not re.match(r"\w", word) or word[0].isdigit():
            break
        elided = re.match(rf"^(d|l|qu|s|n){APOSTROPHE}", lowered)
        if lowered in LINKS or (elided and elided.group(1) == "d"):
            if not words or links >= 1 or len(words) >= 3:
                break
            links += 1
            if elided and len(lowered) > 2:  # "d’euros", "d’emplois": the link and its noun in one word
                words.append(word)
                end = start + match.end()
                continue
            words.append(word)
            continue
        if lowered in STOP_WORDS or (elided and not words):
            break
        if len(lowered) > 4 and lowered.endswith(("ant", "ent")) and words:
            break  # a verb or participle: "orchestres concernant", "missions portent"
        words.append(word)
        end = start + match.end()
        if len(words) >= 4:
            break
    while words and (words[-1].lower() in LINKS):
        words.pop()
    phrase = " ".join(words)
    return phrase, end if phrase else start


def is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text))


NOT_NOUNS = {"dans", "sous", "sans", "vers", "puis", "plus", "alors", "depuis", "après", "avant", "mais", "leurs",
             "tous", "toutes", "nous", "vous", "ainsi", "moins", "très", "selon", "parmi", "lors"}  # fmt: skip


def counts_something(text: str, start: int) -> bool:
    """``2000 jeunes``: a number shaped like a year, followed by a plural noun, is a count."""
    match = re.match(r"\d{4}\s+([a-zà-ÿ]{4,})\b", text[start : start + 40])
    return bool(match and match.group(1).endswith(("s", "x")) and match.group(1) not in NOT_NOUNS)


def in_heading(text: str, position: int) -> bool:
    """Whether ``position`` lies in a line of capitals (a heading: its figures are not data)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return _capitals(text[start : end if end >= 0 else len(text)])


FRACTIONS = re.compile(
    rf"(?:(?P<qualifier>près\s+d{APOSTROPHE}|presque\s+|environ\s+)?(?:un|une|le|la)\s+)(?P<fraction>quart|tiers|moitié)\b"
    r"(?!\s+(?:d’heure|de\s+siècle|temps))",
    re.IGNORECASE,
)
FRACTION_VALUES = {"quart": Decimal("0.25"), "tiers": Decimal("0.333"), "moitié": Decimal("0.5")}


def fractions(text: str) -> list[Item]:
    """``près d’un quart``, ``presque la moitié``, ``le quart``: shares in words."""
    items = []
    for match in FRACTIONS.finditer(text):
        words = (match.group("qualifier") or "").lower().replace("'", "’").strip()
        qualifier = {"près d’": "nearly", "presque": "nearly", "environ": "about"}.get(words, "exact")
        value = FRACTION_VALUES[match.group("fraction").lower()]
        items.append(
            Item(
                "quantity",
                match.start(),
                match.end(),
                {"value": plain(value), "qualifier": qualifier, "unit": "part", "counted": ""},
                0.7,
            )
        )
    return items


def quantities(text: str) -> list[Item]:
    """Numbers that count or measure: ``9 conventions``, ``plus de 800 personnes``, ``45 %``,
    ``7,5 millions d’euros`` (money: its own kind), ``deux fois``, ``vingt-cinq mille jeunes``,
    ranges ``de 16 à 25 ans``. Years, days of dates, tags (``#1``) and ordinals are not quantities."""
    items: list[Item] = []
    taken: list[tuple[int, int]] = []
    number = rf"(?P<number>{DIGITS}|{NUMBER_WORDS}|(?<![\w])(?:un|une)(?=\s+(?:million|milliard)))"
    pattern = re.compile(
        rf"(?:{QUALIFIER})?{number}{SCALE}"
        rf"(?:\s*(?:à|-|–)\s*(?P<upper>{DIGITS}|{NUMBER_WORDS}))?"
        rf"(?P<unit>\s*%|\s*€|\s*M€|\s*euros?\b|\s+d{APOSTROPHE}euros\b)?",
        re.IGNORECASE,
    )
    position = 0
    while match := pattern.search(text, position):
        position = match.end()
        raw = match.group("number")
        if match.group("qualifier") and not match.group("number"):
            continue
        start, end = match.start("number"), match.end()
        before, after = text[max(0, start - 12) : start], text[end : end + 14]
        if is_year(raw) and not match.group("scale") and not match.group("unit") and not counts_something(text, start):
            position = match.end("number")  # "en 2015 à 3 455 jeunes": the year is no range's start
            continue
        if in_heading(text, start) or re.search(r"(?:bac\s*|\+\s*)$", before, re.IGNORECASE):
            continue  # a figure in a heading in capitals, or a degree level ("bac +3")
        if re.match(r"\s*»", text[match.end("number") :]) and not match.group("unit"):
            continue  # part of a name: « coup de pouce 31 »
        if match.group("upper") and re.search(
            r"\bpass[ée]\w*\s+(?:[\w\s]{0,20}?\s)?de\s*$", text[max(0, start - 40) : start]
        ):
            # "passé en cinq ans de 12 à 44": two values, the earlier and the later.
            for group in ("number", "upper"):
                value = number_value(match.group(group))
                counted, _ = _counted(text, match.end())
                items.append(
                    Item(
                        "quantity",
                        match.start(group),
                        match.end(group),
                        {"value": plain(value), "qualifier": "exact", "unit": counted, "counted": counted},
                        0.8,
                    )
                )
            continue
        if re.match(rf"\s*(?:1er|{MONTH})\b", after, re.IGNORECASE) or re.match(rf"^\s*{MONTH}", after, re.I):
            continue  # "10 octobre": a date
        if re.match(r"^(1er|\d{1,2})$", raw) and re.match(rf"\s+{MONTH}\b", text[match.end("number") :], re.I):
            continue
        if re.search(r"(n°|article|loi|#)\s*$", before, re.IGNORECASE):
            continue
        if raw.lower() in ("un", "une") and not match.group("scale"):
            continue
        # A word number must count something: "deux" alone (an article's place) is not kept.
        unit = (match.group("unit") or "").strip()
        try:
            value = number_value(raw, (match.group("scale") or "").lower() or None)
        except (ValueError, KeyError, ArithmeticError):
            continue
        counted, counted_end = ("", end)
        if not unit:
            counted, counted_end = _counted(text, end)
        if re.fullmatch(NUMBER_WORDS, raw, re.IGNORECASE) and not (counted or unit or match.group("scale")):
            continue
        is_money = (
            unit in ("€", "M€", "euro", "euros")
            or "euros" in unit
            or counted.lower().startswith(("d’euros", "d'euros", "euros"))
        )
        if unit == "M€":
            value *= 10**6
        qualifier = QUALIFIERS.get((match.group("qualifier") or "").lower().strip(), "exact")
        item_start = match.start() if match.group("qualifier") else start
        item_end = counted_end if counted else end
        data = {"value": plain(value), "qualifier": qualifier}
        if match.group("upper"):
            with contextlib.suppress(ValueError, ArithmeticError):
                data["upper"] = plain(number_value(match.group("upper")))
        if is_money:
            amount = data.pop("value")
            money = {"amount": amount, **data, "currency": "EUR", "funder": funder(text, item_end)}
            items.append(Item("money", item_start, item_end, money, 0.9))
        else:
            data["unit"] = "%" if unit == "%" else (counted or "")
            data["counted"] = counted
            confidence = 0.9 if (counted or unit) else 0.5
            items.append(Item("quantity", item_start, item_end, data, confidence))
        taken.append((item_start, item_end))
    for match in re.finditer(r"(?<![\w.,])(\d{1,2})\s?h\b(?!\d)", text):
        items.append(
            Item(
                "quantity",
                match.start(),
                match.end(),
                {"value": match.group(1), "qualifier": "exact", "unit": "heures", "counted": "heures"},
                0.7,
            )
        )
    items += fractions(text)
    return sorted(items, key=lambda item: item.start)


def funder(text: str, end: int) -> str:
    """``… 346 000 euros par l’Anru`` → ``Anru``: the payer named right after an amount, if any."""
    match = re.match(
        rf"\s*(?:apportés?\s+|versés?\s+|financés?\s+)?(?:par|de)\s+(?:l{APOSTROPHE}|la\s+|le\s+|les\s+)?"
        rf"(?P<name>[A-ZÉÈ][\w’'-]*(?:\s+(?:des|du|de|d’|pour|la|l’)?\s*[A-ZÉÈ\w][\w’'-]*){{0,5}}?)(?=[,.;)]|\s+(?:et|soit|le|la|pour|sur)\b)",
        text[end : end + 120],
    )
    return match.group("name").strip() if match else ""


# ── Dates ─────────────────────────────────────────────────────────────────────────────────

SEASONS = {"printemps": 2, "été": 3, "automne": 4, "hiver": 1}


def _partial(year: int, month: int | None = None, day: int | None = None, quarter: int | None = None) -> str:
    if quarter:
        return f"{year:04d}-Q{quarter}"
    if day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def _month_before(month: int, day: int, document: datetime.date | None, past: bool) -> int | None:
    """The year of "le 10 octobre dernier" (past) or "au mois de janvier" (next) for a document of this date."""
    if document is None:
        return None
    if past:
        return document.year if (month, day) <= (document.month, document.day) else document.year - 1
    return document.year if (month, day) >= (document.month, 1) else document.year + 1


DATE_PATTERNS: list[tuple[str, str]] = [
    # kind, regex (named groups: day, month, year, year2, quarter, season, relative)
    ("period", r"(?:année scolaire|rentrées?)\s+(?P<year>(?:19|20)\d\d)\s*[-–/]\s*(?P<year2>(?:19|20)\d\d)"),
    ("period", r"(?<![\d-])(?P<year>(?:19|20)\d\d)\s*[-–]\s*(?P<year2>(?:19|20)\d\d)(?![\d-])"),
    ("period", r"\b(?:de|entre)\s+(?P<year>(?:19|20)\d\d)\s+(?:à|et)\s+(?P<year2>(?:19|20)\d\d)\b"),
    ("months", rf"\bentre\s+(?P<month>{MONTH})\s+et\s+(?P<month2>{MONTH})\s+(?P<year>(?:19|20)\d\d)\b"),
    ("this", r"\b(?:dès\s+|depuis\s+)?cette\s+rentrée\b"),
    ("day", rf"\b(?P<day>1er|[0-3]?\d)\s+(?P<month>{MONTH})\s+(?P<year>(?:19|20)\d\d)\b"),
    ("day", rf"\b(?P<day>1er|[0-3]?\d)\s+(?P<month>{MONTH})(?P<relative>\s+dernier)?(?!\s+(?:19|20)\d\d)\b"),
    ("quarter", r"\b(?P<quarter>premier|1er|deuxième|second|2e|troisième|3e|quatrième|dernier|4e)\s+trimestre"
                r"(?:\s+de)?\s+(?P<year>(?:19|20)\d\d)\b"),
    ("season", r"\b(?:l’|l'|au\s+|à\s+l’)?(?P<season>printemps|été|automne|hiver)\s+(?:de\s+)?"
               r"(?P<year>(?:19|20)\d\d)\b"),
    ("school", r"\brentrée(?:\s+scolaire)?(?:\s+de)?\s+(?P<year>(?:19|20)\d\d)\b"),
    ("end", r"\bfin\s+(?:de\s+l’année\s+|d’année\s+)?(?P<year>(?:19|20)\d\d)\b"),
    ("start", r"\bdébut\s+(?P<year>(?:19|20)\d\d)\b"),
    ("month", rf"\b(?P<month>{MONTH})\s+(?P<year>(?:19|20)\d\d)\b"),
    ("month", rf"\b(?:au\s+mois\s+de|en|fin|début)\s+(?P<month>{MONTH})(?P<relative>\s+dernier)?\b"
              r"(?!\s+(?:19|20)\d\d)"),
    ("year", r"(?<![\w#°/.,-])(?P<year>(?:19|20)\d\d)(?![\w/-]|\s*[-–]\s*(?:19|20)\d\d)(?!,\d)(?!\s+\d{3}\b)"),
]  # fmt: skip


SHARED_YEAR = rf"\s+(?:et|au)\s+(?:le\s+)?(?:1er|[0-3]?\d)\s+{MONTH}\s+((?:19|20)\d\d)"


def dates(text: str, document: datetime.date | None = None) -> list[Item]:
    """Dates as the text gives them, to the precision it gives: ``13 avril 2016`` (day), ``le 10
    octobre dernier`` (day, its year from the document's date), ``septembre 2016`` (month), ``au
    premier trimestre 2017`` (quarter), ``fin 2016`` (December), ``rentrée 2017`` (September),
    ``l’été 2016`` (quarter 3), ``en 2016`` (year), ``2014-2024`` and ``année scolaire 2016-2017``
    (periods)."""
    items: list[Item] = []
    taken: list[tuple[int, int]] = []
    for kind, regex in DATE_PATTERNS:
        for match in re.finditer(regex, text, re.IGNORECASE):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if kind == "year" and (
                re.match(rf"\s*{SPACE}?\d{{3}}\b", text[end : end + 5]) or counts_something(text, start)
            ):
                continue
            groups = match.groupdict()
            data = _date_data(kind, groups, document)
            if data is None:
                continue
            if kind == "day" and not groups.get("year") and not groups.get("relative"):
                # "les 21 mars et 7 avril 2016": the year stated once serves both.
                shared = re.match(
                    rf"\s+(?:et|au)\s+(?:le\s+)?(?:1er|[0-3]?\d)\s+{MONTH}\s+((?:19|20)\d\d)", text[end:], re.I
                )
                if shared:
                    data = _date_data(kind, {**groups, "year": shared.group(1)}, document)
            data["form"] = kind
            items.append(Item("date", start, end, data, 0.9 if kind != "year" else 0.8))
            taken.append((start, end))
    return sorted(items, key=lambda item: item.start)


def _date_data(kind: str, g: dict, document: datetime.date | None) -> dict | None:
    year = int(g["year"]) if g.get("year") else None
    month = MONTHS.get((g.get("month") or "").lower())
    if kind == "period":
        return {"value": _partial(year), "end": _partial(int(g["year2"])), "precision": "year"}
    if kind == "months":
        return {
            "value": _partial(year, month),
            "end": _partial(year, MONTHS[g["month2"].lower()]),
            "precision": "month",
        }
    if kind == "this":
        # "dès cette rentrée": the school year of the document's date.
        if document is None:
            return None
        return {"value": _partial(document.year if document.month >= 9 else document.year - 1, 9), "precision": "month"}
    if kind == "day":
        day = 1 if g["day"] == "1er" else int(g["day"])
        if year is None:
            year = _month_before(month, day, document, past=bool(g.get("relative")))
            if year is None:
                return None
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None
        return {"value": _partial(year, month, day), "precision": "day"}
    if kind == "quarter":
        return {"value": _partial(year, quarter=ORDINAL_QUARTER[g["quarter"].lower()]), "precision": "quarter"}
    if kind == "season":
        return {"value": _partial(year, quarter=SEASONS[g["season"].lower()]), "precision": "quarter"}
    if kind == "school":
        return {"value": _partial(year, 9), "precision": "month"}
    if kind == "end":
        return {"value": _partial(year, 12), "precision": "month"}
    if kind == "start":
        return {"value": _partial(year, 1), "precision": "month"}
    if kind == "month":
        if year is None:
            year = _month_before(month, 1, document, past=bool(g.get("relative")))
            if year is None:
                return None
        return {"value": _partial(year, month), "precision": "month"}
    return {"value": _partial(year), "precision": "year"}


def document_date(text: str) -> datetime.date | None:
    """The document's date, when it does not say it: the latest day or month it states in full."""
    latest = None
    for item in dates(text):
        if item.data["form"] in ("day", "month") and "-" in item.data["value"]:
            value = item.data["value"]
            parts = [int(p) for p in value.split("-")]
            day = datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
            latest = max(latest, day) if latest else day
    return latest


# ── Targets ───────────────────────────────────────────────────────────────────────────────

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+(?=\s|$)|$)", re.MULTILINE)
FACTOR = re.compile(r"\b(?P<verb>diviser|multiplier)\s+par\s+(?P<n>\d+|deux|trois|quatre|dix)\b"
                    r"|\b(?P<double>doublée?s?|doubler|triplée?s?|tripler)\b", re.IGNORECASE)  # fmt: skip
# A cue before the figures it sets as a target, or after them.
CUE_BEFORE = re.compile(r"\bobjectifs?\s+(?:de|d’|d'|:)|\bprévue?s?\s+la\s+signature\s+de\b|\b[Oo]uverture\b",
                        re.IGNORECASE)  # fmt: skip
CUE_AFTER = re.compile(r"\bsupplémentaires\b|\bsont\s+prévus\b|\bsont\s+prévues\b|\ben cours de recrutement\b",
                       re.IGNORECASE)  # fmt: skip
FUTURE = re.compile(r"\b(?:sera|seront|se\s+verront|verront|permettra|permettront|devra|devront)\b",
                    re.IGNORECASE)  # fmt: skip
DURATIONS = {"an", "ans", "année", "années", "mois", "jours", "semaines", "heures"}
PAST = re.compile(r"\b(?:ont\s+été|a\s+été|avaient\s+été|ont\s+déjà)\b", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if m.group(0).strip()]


def targets(text: str, quantities_found: list[Item], dates_found: list[Item]) -> list[Item]:
    """Targets with their deadline: ``objectif de 30 orchestres … d’ici à 2018``, ``diviser par 2``,
    ``sera doublé à la rentrée 2017`` (factors), ``deux nouveaux centres … en 2017`` and ``2 délégués …
    supplémentaires`` (increments, kept as such), ``prévue la signature de 200 contrats`` (a level).

    Returns the targets; the quantities they use are marked ``used`` in their data."""
    found: list[Item] = []
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        inside = [q for q in quantities_found if s_start <= q.start < s_end and q.kind == "quantity"]
        for match in FACTOR.finditer(sentence):
            deadline = _deadline(text, s_start + match.start(), s_end, dates_found)
            if match.group("verb"):
                n = match.group("n")
                factor = Decimal(n) if n.isdigit() else number_value(n)
                factor = 1 / factor if match.group("verb").lower() == "diviser" else factor
            else:
                factor = Decimal(2 if match.group("double").lower().startswith("doubl") else 3)
            counted = _factor_object(sentence, match.end())
            found.append(Item("target", s_start + match.start(), s_start + match.end(),
                              {"mode": "factor", "value": plain(Decimal(factor).quantize(Decimal("0.0001"))),
                               "counted": counted, "deadline": deadline}, 0.8))  # fmt: skip
            for q in inside:
                if q.start >= s_start + match.start() and q.end <= s_start + match.end() + 2:
                    q.data["used"] = True
        chosen: list[Item] = []
        before = CUE_BEFORE.search(sentence)
        after = None if before else CUE_AFTER.search(sentence)
        if before:
            chosen = [q for q in inside if q.start >= s_start + before.start()]
            if before.group(0).lower().startswith("ouverture"):
                chosen = chosen[:1]
        elif after:
            chosen = [q for q in inside if q.end <= s_start + after.end()][-1:]
        elif FUTURE.search(sentence) and not PAST.search(sentence) and inside:
            # The head count of a plan, not its duration ("pour trois années, 120 enfants …").
            counts = [q for q in inside if q.data.get("counted", "").split(" ")[0] not in DURATIONS]
            chosen = counts[:1]
        cue = before or after
        for q in chosen:
            if q.data.get("used"):
                continue
            # The deadline comes after the cue (or the figure): a date opening the sentence is its context.
            deadline = _deadline(text, min(q.start, s_start + cue.start()) if cue else q.start, s_end, dates_found)
            q.data["used"] = True
            increment = bool(re.search(r"\b(?:nouveaux|nouvelles|supplémentaires)\b", text[q.start : s_end][:80]))
            found.append(Item("target", q.start, q.end, {
                "mode": "increment" if increment else "level", "value": q.data["value"],
                "qualifier": q.data.get("qualifier", "exact"), "counted": q.data.get("counted", ""),
                "deadline": deadline}, 0.7))  # fmt: skip
    return found


def _deadline(text: str, start: int, end: int, dates_found: list[Item]) -> str | None:
    """The latest date the sentence gives (``d’ici à 2018``, ``à la rentrée 2017``, ``en 2017``)."""
    inside = [d for d in dates_found if start <= d.start < end]
    if not inside:
        return None
    return max((d.data.get("end") or d.data["value"]) for d in inside)


def _factor_object(sentence: str, end: int) -> str:
    match = re.match(r"\s+(?:le|la|les)\s+(?:nombre|taux|part)\s+(?:de|d’|des)\s*([\w’'-]+)", sentence[end:])
    if match:
        return match.group(1)
    match = re.search(r"(?:[Ll]e|[Ll]a)\s+(?:nombre|taux|part)\s+(?:de|d’|des)\s*([\w’'-]+(?:\s+[\w’'-]+)?)\s+\w+\s*$",
                      sentence[: end - len(sentence[:end].split()[-1]) - 1])  # fmt: skip
    return match.group(1) if match else ""


# ── Measures ──────────────────────────────────────────────────────────────────────────────

TAG = re.compile(r"Mesures?\s+(?P<name>[A-Z][A-Za-z]*)\s*#\s*(?P<number>\d+)\s*/?")


def measures(text: str) -> list[Item]:
    """A heading in capitals followed by its decision tags (``Mesure CIEC #1/ Mesure CIEC #2``, on one or
    more lines): a measure, with the numbers of the decisions that took it."""
    items: list[Item] = []
    paragraphs = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\n]+", text)]
    for index, (start, _end, paragraph) in enumerate(paragraphs):
        tags = list(TAG.finditer(paragraph))
        if not tags:
            continue
        head = paragraph[: tags[0].start()].strip()
        title_start = start
        if head and _capitals(head):
            title = head
            # A heading over two paragraphs (a line of capitals, then "… Mesure CIEC #3").
            if index and _capitals(paragraphs[index - 1][2]) and not TAG.search(paragraphs[index - 1][2]):
                title = paragraphs[index - 1][2].strip() + " " + head
                title_start = paragraphs[index - 1][0]
        elif not head and index and _capitals(paragraphs[index - 1][2]):
            title, title_start = paragraphs[index - 1][2].strip(), paragraphs[index - 1][0]
        else:
            continue
        decisions = sorted({int(t.group("number")) for t in tags})
        items.append(Item("measure", title_start, start + tags[-1].end(),
                          {"title": title, "decisions": decisions, "tag": tags[0].group("name")}, 0.9))  # fmt: skip
    return items


def _capitals(text: str) -> bool:
    letters = re.findall(r"[^\W\d_]", text)
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.9
