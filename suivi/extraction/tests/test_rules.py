"""The rules on the forms the issue lists, one example each (no database)."""

import datetime

import pytest

from suivi.extraction import rules
from suivi.extraction.flat import flatten
from suivi.extraction.reading import Line, Source


def flat(text: str):
    return flatten(Source("t.txt", [Line(1, i, t) for i, t in enumerate(text.split("\n"), start=1)]))


def one(items, kind):
    found = [item for item in items if item.kind == kind]
    assert len(found) == 1, found
    return found[0].data


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "counted"),
    [
        ("ont déjà été actées 7 000 démolitions.", "7000", "exact", "démolitions"),
        ("soit 38 105 contrats starters signés.", "38105", "exact", "contrats starters signés"),
        ("1\u00a0675 jeunes diplômés", "1675", "exact", "jeunes diplômés"),
        ("Cette aide représente 45 % du SMIC.", "45", "exact", ""),
        ("avec l’accueil de plus de 800 personnes par an", "800", "more_than", "personnes"),
        ("Près de 25 000 jeunes ont été parrainés.", "25000", "nearly", "jeunes"),
        ("environ 70 demandeurs d’emploi", "70", "about", "demandeurs d’emploi"),
        ("deux villes et l’agglomération", "2", "exact", "villes"),
        ("vingt-cinq mille jeunes accueillis", "25000", "exact", "jeunes accueillis"),
        ("un taux de réussite de 12,5 % en 2016", "12.5", "exact", ""),
    ],
)
def test_quantities_in_french_forms(text, value, qualifier, counted):
    data = one(rules.quantities(flat(text).text), "quantity")
    assert (data["value"], data["qualifier"], data["counted"]) == (value, qualifier, counted)


def test_a_range_is_one_quantity_with_its_bounds():
    data = one(rules.quantities("des enfants de 7 à 12 ans"), "quantity")
    assert (data["value"], data["upper"], data["counted"]) == ("7", "12", "ans")


@pytest.mark.parametrize(
    ("text", "amount", "funder"),
    [
        ("les portant ainsi à 6 milliards d’euros.", "6000000000", ""),
        ("financé à hauteur de 7,5 millions d’euros.", "7500000", ""),
        ("financées à hauteur de 346 000 euros par l’Anru, 106 000", "346000", "Anru"),
        ("une dotation d’un milliard d’euros supplémentaires.", "1000000000", ""),
    ],
)
def test_money_is_an_amount_in_euros_with_its_funder(text, amount, funder):
    data = next(item.data for item in rules.quantities(text) if item.kind == "money")
    assert (data["amount"], data["currency"], data["funder"]) == (amount, "EUR", funder)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Le 10 octobre dernier, la convention a été signée.", "2016-10-10", "day"),
        ("Fin 2016, plus de 40 protocoles", "2016-12", "month"),
        ("sera doublé à la rentrée 2017.", "2017-09", "month"),
        ("seront signées au premier trimestre 2017.", "2017-Q1", "quarter"),
        ("créée le 13 avril 2016", "2016-04-13", "day"),
        ("Depuis l’été 2016, ils mettent en œuvre", "2016-Q3", "quarter"),
        ("généralisée depuis le 1er janvier 2017", "2017-01-01", "day"),
        ("engagée en septembre 2016", "2016-09", "month"),
        ("depuis 1984.", "1984", "year"),
        ("La loi sera promulguée au mois de janvier.", "2017-01", "month"),
    ],
)
def test_dates_to_the_precision_the_text_gives(text, value, precision):
    data = one(rules.dates(text, datetime.date(2017, 1, 15)), "date")
    assert (data["value"], data["precision"]) == (value, precision)


def test_periods_and_a_year_shared_by_two_days():
    periods = rules.dates("des investissements pour la période 2014-2024 et l’année scolaire 2016-2017")
    assert [(d.data["value"], d.data["end"]) for d in periods] == [("2014", "2024"), ("2016", "2017")]
    days = rules.dates("du 21 mars au 7 avril 2016, de partager", datetime.date(2017, 1, 1))
    assert [d.data["value"] for d in days] == ["2016-03-21", "2016-04-07"]


def test_a_relative_date_needs_the_documents_date():
    assert rules.dates("Le 10 octobre dernier") == []
    assert rules.document_date("signé le 13 avril 2016, puis le 1er janvier 2017.") == datetime.date(2017, 1, 1)


def targets_of(text: str, when=datetime.date(2017, 1, 15)):
    quantities = rules.quantities(text)
    return rules.targets(text, quantities, rules.dates(text, when)), quantities


def test_a_target_with_its_deadline_and_the_figure_before_it_stays_a_result():
    text = "Fin 2016, ce sont 19 nouveaux orchestres qui ont été créés avec un objectif de 30 orchestres d’ici à 2018."
    found, quantities = targets_of(text)
    assert [(t.data["value"], t.data["mode"], t.data["deadline"]) for t in found] == [("30", "level", "2018")]
    assert [q.data["value"] for q in quantities if not q.data.get("used")] == ["19"]


def test_factors_and_increments_stay_what_they_are():
    found, _ = targets_of("Un plan qui a pour objectif de diviser par 2 le nombre de décrocheurs.")
    assert [(t.data["mode"], t.data["value"], t.data["counted"]) for t in found] == [("factor", "0.5", "décrocheurs")]
    found, _ = targets_of("Le nombre de territoires pilotes sera doublé à la rentrée 2017.")
    assert [(t.data["mode"], t.data["value"], t.data["deadline"]) for t in found] == [("factor", "2", "2017-09")]
    found, _ = targets_of("Ouverture de deux nouveaux centres Épide en 2017.")
    assert [(t.data["mode"], t.data["value"], t.data["deadline"]) for t in found] == [("increment", "2", "2017")]
    found, _ = targets_of("2 délégués du Gouvernement supplémentaires sont en cours de recrutement.")
    assert [(t.data["mode"], t.data["value"]) for t in found] == [("increment", "2")]


def test_a_heading_with_its_decision_tags_across_lines_is_a_measure():
    text = flat("MOBILISER DES FINANCEMENTS POUR LE PATRIMOINE\nSCOLAIRE DES QUARTIERS Mesure CIEC #3\n\nTexte.").text
    assert one(rules.measures(text), "measure") == {
        "title": "MOBILISER DES FINANCEMENTS POUR LE PATRIMOINE SCOLAIRE DES QUARTIERS",
        "decisions": [3],
        "tag": "CIEC",
    }
    text = flat("ACCÉLÉRER LE DÉPLOIEMENT\n\nMesure CIEC #1/\nMesure CIEC #2\n\nLe NPNRU permet…").text
    assert one(rules.measures(text), "measure")["decisions"] == [1, 2]
