"""The small rules the write path stands on: numbers and dates as typed, places, scopes, safe text."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from suivi.contributions.rights import covers
from suivi.sources.numbers import parse_date_input, parse_number
from suivi.territories.lookup import resolve
from suivi.territories.models import Territory
from suivi.ui.markdown import render


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1 675", "1675"),
        ("1\u00a0675", "1675"),
        ("1\u202f675", "1675"),
        ("45 %", "45"),
        ("1,675.5", "1675.5"),
        ("1.675,5", "1675.5"),
        ("-3", "-3"),
    ],
)
def test_it_reads_french_and_english_numbers(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["12,5,0", "", "douze", "1..2", "%"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("31/12/2016", datetime.date(2016, 12, 31), "day"),
        ("12/2016", datetime.date(2016, 12, 1), "month"),
        ("T4 2016", datetime.date(2016, 10, 1), "quarter"),
        ("2016", datetime.date(2016, 1, 1), "year"),
        ("2016-Q4", datetime.date(2016, 10, 1), "quarter"),
        ("2016-12-31", datetime.date(2016, 12, 31), "day"),
    ],
)
def test_it_reads_dates_as_people_type_them(text, date, precision):
    assert parse_date_input(text) == (date, precision)


@pytest.mark.parametrize("text", ["31/02/2016", "décembre", "13/2016", "T5 2016"])
def test_it_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_date_input(text)


@pytest.mark.django_db
def test_a_place_is_found_by_code_or_name_and_homonyms_are_refused_with_candidates():
    assert resolve("dep:36").code == "dep:36"
    assert resolve("com-36044").code == "com:36044"
    assert resolve("chateauroux").code == "com:36044"
    with pytest.raises(ValidationError, match=r"Vernouillet \(28\) \(com:28404\).*Vernouillet \(78\)"):
        resolve("Vernouillet")
    with pytest.raises(ValidationError, match="Aucun territoire"):
        resolve("Nulle-part-sur-Mer")
    with pytest.raises(ValidationError, match="code"):
        resolve("dep:999")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "territory", "inside"),
    [
        ("dep:36", "dep:36", True),
        ("dep:36", "com:36044", True),
        ("dep:36", "com:13055", False),
        ("dep:36", "reg:24", False),
        ("reg:24", "com:36044", True),
        ("fr", "com:13055", True),
        ("com:13055", "arm:13201", True),
        ("com:13055", "com:13001", False),
    ],
)
def test_a_scope_covers_its_territory_and_what_lies_below(scope, territory, inside):
    assert covers(Territory.objects.get(code=scope), Territory.objects.get(code=territory)) is inside


@pytest.mark.django_db
def test_an_epci_covers_its_member_communes():
    epci = Territory.objects.filter(level="epci", members__code="com:36044").get()
    assert covers(epci, Territory.objects.get(code="com:36044"))
    assert not covers(epci, Territory.objects.get(code="com:13055"))


def test_user_text_keeps_emphasis_lists_and_links_and_loses_everything_else():
    html = render(
        "Une **chorale** ouverte\n\n- le lundi\n- le jeudi\n\n[le site](https://example.org) "
        "[piège](javascript:alert(1)) <script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    assert "<strong>chorale</strong>" in html
    assert "<li>le lundi</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">le site</a>' in html
    assert "javascript" not in html and "<script" not in html and "onerror" not in html and "<img" not in html
