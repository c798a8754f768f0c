import datetime
from decimal import Decimal

import pytest

from suivi.ui.formatting import amount, french_typography, number, partial_date, quantity

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [(346000, f"346{NB}000"), (Decimal("7.5"), "7,5"), (Decimal("0.5000"), "0,5"), (45, "45"), (None, "–")],
)
def test_numbers_use_french_separators(value, text):
    assert number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(6000000000), f"6{NB}Md€"),
        (Decimal(7500000), f"7,5{NB}M€"),
        (Decimal(100000000), f"100{NB}M€"),
        (Decimal(346000), f"346{NB}000{NB}€"),
    ],
)
def test_amounts_in_euros_read_as_in_the_report(value, text):
    assert amount(value) == text


def test_quantities_keep_their_qualifier_and_unit():
    assert quantity(Decimal(20), "%", "more_than") == f"plus de 20{NB}%"
    assert quantity(Decimal(100000), "enfants par an", "nearly") == f"près de 100{NB}000{NB}enfants par an"
    assert quantity(Decimal(45), "%") == f"45{NB}%"


@pytest.mark.parametrize(
    ("date", "precision", "text"),
    [
        (datetime.date(2016, 12, 1), "month", "décembre 2016"),
        (datetime.date(2017, 1, 1), "quarter", "1er trimestre 2017"),
        (datetime.date(2016, 7, 1), "quarter", "3e trimestre 2016"),
        (datetime.date(2018, 1, 1), "year", "2018"),
        (datetime.date(2017, 1, 1), "day", "1er janvier 2017"),
        (datetime.date(2016, 10, 10), "day", "10 octobre 2016"),
    ],
)
def test_partial_dates_read_in_french(date, precision, text):
    assert partial_date(date, precision) == text


def test_a_label_inside_a_sentence_keeps_its_acronyms_and_names():
    from suivi.ui.formatting import lower_first

    assert lower_first("Personnes effectuant un TIG accueillies chaque année") == (
        "personnes effectuant un TIG accueillies chaque année"
    )
    assert lower_first("IUT de Strasbourg") == "IUT de Strasbourg"
    assert lower_first("Part financée par l’agglomération du Pays de Dreux") == (
        "part financée par l’agglomération du Pays de Dreux"
    )
    assert lower_first("") == ""


def test_high_signs_and_guillemets_get_a_no_break_space_and_apostrophes_curl():
    assert (
        french_typography("Guadeloupe : le garage « les Abeilles » ; l'école ?")
        == "Guadeloupe\u00a0: le garage «\u00a0les Abeilles\u00a0»\u00a0; l’école\u00a0?"
    )


@pytest.mark.parametrize("text", ["https://www.example.fr/a:b", "ratio 1:2", "10h30", "déjà\u00a0: fait"])
def test_signs_with_no_space_before_them_are_left_alone(text):
    assert french_typography(text) == text
