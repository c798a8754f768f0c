"""Organisations and partners: names with their acronym, and spaCy's ORG entities the rules keep."""

import pytest

from suivi.extraction.extract import extract
from suivi.extraction.nlp import organisations
from suivi.extraction.tests.test_seed import SEED

pytestmark = pytest.mark.django_db


def test_a_name_with_its_acronym_is_an_organisation_but_a_programme_is_not():
    text = (
        "Les financements de l’Agence nationale pour la rénovation urbaine (Anru) ont été augmentés. "
        "Le Nouveau Programme National de Renouvellement Urbain (NPNRU) permet d’investir."
    )
    found = [(item.data["name"], item.data["acronym"]) for item in organisations(text, [], [])]
    assert found == [("Agence nationale pour la rénovation urbaine", "Anru")]


def test_the_report_names_its_partners():
    draft = extract(SEED)
    named = {item.data["acronym"]: item.data["name"] for item in draft.of("organisation") if item.data["acronym"]}
    assert named["Apec"] == "Association pour l’emploi des cadres"
    assert named["Épide"] == "Établissement pour l’insertion dans l’emploi"
    assert named["AFE"] == "Agence France entrepreneur"
    assert "NPNRU" not in named and "QPV" not in named
    # spaCy's own organisations are kept only when they are not places.
    places = {(item.start, item.end) for item in draft.of("place")}
    assert all((item.start, item.end) not in places for item in draft.of("organisation"))
    assert {label for _line, label, _text in draft.entities} >= {"LOC", "ORG"}
