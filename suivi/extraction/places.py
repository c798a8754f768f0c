"""Places named in the text, resolved to COG codes with the territory reference and the context.

Candidates are runs of capitalised words (``Clichy-sous-Bois``, ``Pays de la Loire``,
``La Réunion``, ``Haute-Garonne``); the longest run whose folded form is the name of a current
commune, département, région or overseas collectivity is a place. A name several communes
bear is resolved by its neighbours: the homonym in the département of another place of the
same paragraph wins ("Dreux … Vernouillet" is ``com:28404``, not the Vernouillet of the
Yvelines), then the most populated. A quartier is not a territory: "les Bâtes à Dreux" gives
Dreux. Words that are names of communes but mostly something else ("France" inside "Emmaüs
France", "Ville", a capitalised word opening a sentence) need a cue before them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.db import DatabaseError

from suivi.extraction.items import Item
from suivi.territories.folding import fold
from suivi.territories.models import Level, Territory

LEVELS = (Level.COMMUNE, Level.DEPARTEMENT, Level.REGION, Level.OVERSEAS_COLLECTIVITY, Level.COUNTRY, Level.EPCI)
# An EPCI is named in prose without its legal form: "CA Châteauroux Métropole" is "Châteauroux
# Métropole", "CA Agglo du Pays de Dreux" is "le Pays de Dreux", "Bordeaux Métropole" is also
# "la Métropole de Bordeaux".
EPCI_FORM = re.compile(r"^(?:CC|CA|CU|Métropole)\s+(?:Agglo\s+)?(?:du\s+|de\s+la\s+|de\s+l’|des\s+|de\s+|d’)?", re.I)
# Where two levels share a name (Paris, Guadeloupe, Mayotte, La Réunion), which one a text means.
LEVEL_PREFERENCE = {
    Level.DEPARTEMENT: 0,
    Level.OVERSEAS_COLLECTIVITY: 1,
    Level.COMMUNE: 2,
    Level.REGION: 3,
    Level.COUNTRY: 4,
    Level.EPCI: 5,
}
CAPITALISED = re.compile(
    r"(?:(?<=[’'])(?<=[ldLD][’'])|(?<![\w’'-]))[A-ZÀ-ÖØ-Þ][\w’'-]*"
    r"(?:(?:\s+|-)(?:(?:de|du|des|la|le|les|sur|sous|en|et|lès|l’|d’|l'|d')(?:\s+|-)?)*[A-ZÀ-ÖØ-Þ][\w’'-]*)*"
)
CUE = re.compile(
    r"(?:\b(?:à|a|de|d’|d'|en|dans|sur|vers|pour|commune\s+de|ville\s+de|département\s+de|"
    r"région|région\s+de|quartiers?\s+(?:de|du|des)|(?:la|le|les))\s*|\(\s*)$",
    re.IGNORECASE,
)
# Names that are also common words or parts of organisations' names: never a place without a cue.
NEEDS_CUE = {"france", "orange", "sport", "culture", "rue", "mars", "nord", "sud", "est", "ouest", "centre"}
NOT_PLACES = {"etat", "republique", "gouvernement", "ministere", "mesure", "ciec", "ville", "villes"}
# A name after these is an institution's, not where something happens ("le Musée d’Orsay").
INSTITUTION = re.compile(
    r"\b(?:musée|château|forêt|lycée|collège|université|théâtre|institut|palais|quai)\s+(?:de\s+|d’|d')?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    level: str
    departement: str
    population: int


class NoTerritories(Exception):
    pass


def check_territories() -> None:
    """Refuse to read places in a database without the territory reference, saying what to run."""
    try:
        present = Territory.objects.filter(current=True).exists()
    except DatabaseError:  # not even migrated
        present = False
    if not present:
        raise NoTerritories(
            "this database has no territories to read places with: run `manage.py migrate` and "
            "`manage.py load_territories` first (`make data` does both)"
        )


@functools.cache
def gazetteer() -> dict[str, tuple[Candidate, ...]]:
    """Folded name → the current territories of that name (loaded once per process)."""
    names: dict[str, list[Candidate]] = {}
    rows = Territory.objects.filter(current=True, level__in=LEVELS).values_list(
        "code", "name", "name_folded", "level", "departement_id", "population"
    )
    for code, name, folded, level, departement, population in rows:
        departement = code if level == Level.DEPARTEMENT else (departement or "")
        candidate = Candidate(code, name, level, departement, population or 0)
        keys = {folded}
        if level == Level.EPCI:
            short = EPCI_FORM.sub("", name)
            keys = {fold(short)} | (
                {fold(f"Métropole de {short[: -len(' Métropole')]}")} if short.endswith(" Métropole") else set()
            )
            keys.discard("")
        for key in keys:
            names.setdefault(key, []).append(candidate)
    return {key: tuple(value) for key, value in names.items()}


def places(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[Item]:
    names = gazetteer()
    if not names:
        return []
    found: list[tuple[int, int, tuple[Candidate, ...], str]] = []
    for match in CAPITALISED.finditer(text):
        words = list(re.finditer(r"[\w’'-]+", match.group(0)))
        # The longest run of words, from each start, that names a territory.
        i = 0
        while i < len(words):
            if not re.match(r"(?:[dl][’'])?[A-ZÀ-ÖØ-Þ]", words[i].group(0)) or words[i].group(0).isupper():
                i += 1  # a run starts with a capital ("Dans le Val d’Oise": not "le Val"); none in headings
                continue
            hit = None
            for j in range(len(words), i, -1):
                start, end = match.start() + words[i].start(), match.start() + words[j - 1].end()
                key = fold(text[start:end])
                key = re.sub(r"^(l|d) ", "", key)
                if key in names and key not in NOT_PLACES:
                    hit = (start, end, names[key], key)
                    break
            if hit is None:
                i += 1
                continue
            start, end, candidates, key = hit
            before = text[max(0, start - 24) : start]
            elided = re.search(r"\b[ldLD][’']$", before)
            if elided and all(c.level == Level.COMMUNE for c in candidates):
                i += 1  # "à l’École", "l’Union": after an elided article, a commune's name is a common noun
                continue
            if (_cue_needed(text, start, key) and not CUE.search(before)) or INSTITUTION.search(before):
                i += 1
                continue
            found.append(hit)
            i = next((k for k in range(i, len(words)) if match.start() + words[k].start() >= end), len(words))
    return _resolve(text, found)


def _cue_needed(text: str, start: int, key: str) -> bool:
    sentence_start = start == 0 or re.search(r"(?:[.!?:]\s+|\n\s*|^)$", text[max(0, start - 3) : start])
    return key in NEEDS_CUE or bool(sentence_start and len(key) <= 5)


def _resolve(text: str, found) -> list[Item]:
    items = []
    for start, end, candidates, key in found:
        paragraph = _paragraph(text, start)
        if len(candidates) == 1:
            chosen, confidence = candidates[0], 0.9
        else:
            # The départements of the paragraph's other places: the one they all share, or the
            # département they name themselves ("La Réunion" is also a commune of the Lot-et-Garonne).
            neighbours = set()
            for s, _e, other, k in found:
                if paragraph[0] <= s < paragraph[1] and k != key:
                    named = {o.departement for o in other if o.level == Level.DEPARTEMENT}
                    shared = {o.departement for o in other}
                    neighbours |= named or (shared if len(shared) == 1 else set())
            # A commune named like its own département is the city (Paris), not the département.
            own = {c.departement for c in candidates if c.level == Level.DEPARTEMENT}
            cities = [c for c in candidates if c.level == Level.COMMUNE and c.departement in own]
            best_level = min(LEVEL_PREFERENCE.get(c.level, 9) for c in candidates)
            same_level = cities or [c for c in candidates if LEVEL_PREFERENCE.get(c.level, 9) == best_level]
            near = [c for c in same_level if c.departement in neighbours]
            pool = near or same_level
            chosen = max(pool, key=lambda c: c.population)
            confidence = 0.85 if near or cities else (0.8 if len(same_level) == 1 else 0.6)
        data = {"code": chosen.code, "name": chosen.name, "level": chosen.level}
        if len(candidates) > 1:
            data["homonyms"] = sorted(c.code for c in candidates if c.code != chosen.code)
        items.append(Item("place", start, end, data, confidence))
    return items


def _paragraph(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, position)
    end = text.find("\n\n", position)
    return (0 if start < 0 else start, len(text) if end < 0 else end)
