"""The curated CIEC programme, checked the way a reviewer reading it beside the report would."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from suivi.catalogue.management.commands._programmes import programme_file
from suivi.catalogue.models import Axis, Measure, Programme
from suivi.indicators.models import Direction, Indicator
from suivi.initiatives.models import Convention, Funding, Initiative
from suivi.sources.precision import DatePrecision, Qualifier

CIEC = programme_file("ciec")

# The CIEC, loaded once for the module (conftest.py); each test rolls back its own changes.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ciec_for_module")]


@pytest.fixture
def ciec():
    return Programme.objects.get(slug="ciec")


def test_the_curated_file_passes_validation(capsys):
    call_command("validate_programme", "ciec")
    assert "is valid: 20 measures" in capsys.readouterr().out


def test_it_has_three_axes_and_measures_only_under_the_one_the_report_covers(ciec):
    assert list(ciec.axes.values_list("name", flat=True)) == [
        "Vivre dans la République",
        "La République au quotidien",
        "La République pour tous",
    ]
    counts = {axis.slug: axis.measures.count() for axis in Axis.objects.filter(programme=ciec)}
    assert counts == {"vivre-dans-la-republique": 0, "la-republique-au-quotidien": 20, "la-republique-pour-tous": 0}


def test_the_three_decisions_have_their_date_and_place(ciec):
    decisions = [(d.number, d.date, d.place, d.territory_id) for d in ciec.decisions.all()]
    assert decisions == [
        (1, datetime.date(2015, 3, 6), "Paris", "com:75056"),
        (2, datetime.date(2015, 10, 26), "Les Mureaux", "com:78440"),
        (3, datetime.date(2016, 4, 13), "Vaulx-en-Velin", "com:69256"),
    ]


def test_every_measure_has_a_sentence_case_title_a_summary_a_text_and_a_source(ciec):
    for measure in ciec.measures.all():
        starts_well = measure.title[0].isupper() or measure.title[0].isdigit()
        assert starts_well and measure.title != measure.title.upper(), measure.title
        assert measure.summary and measure.body and measure.source_id, measure.slug
        assert measure.decisions.exists(), measure.slug


@pytest.mark.parametrize(
    ("slug", "numbers"),
    [
        ("mesures-judiciaires-alternatives-a-l-incarceration", [1]),
        ("nouveau-programme-national-de-renouvellement-urbain", [1, 2]),
        ("parrainage-des-jeunes", [1, 3]),
        ("reseau-des-conservatoires", [2]),
        ("economie-sociale-et-solidaire-en-outre-mer", [3]),
    ],
)
def test_a_measure_carries_the_decisions_of_its_tag(ciec, slug, numbers):
    measure = Measure.objects.get(programme=ciec, slug=slug)
    assert sorted(measure.decisions.values_list("number", flat=True)) == numbers


def test_the_orchestras_target_reads_as_the_report_says(ciec):
    indicator = Indicator.objects.get(slug="nouveaux-orchestres")
    assert indicator.target_value == 30
    assert (indicator.target_deadline, indicator.target_precision) == (datetime.date(2018, 1, 1), DatePrecision.YEAR)
    assert indicator.target_sentence == "objectif : 30 orchestres d’ici à 2018"
    value = indicator.observations.get()
    assert (value.value, value.date, value.date_precision) == (19, datetime.date(2016, 12, 1), DatePrecision.MONTH)


def test_halving_school_dropouts_is_a_relative_target_on_a_lower_is_better_indicator(ciec):
    indicator = Indicator.objects.get(slug="decrocheurs")
    assert indicator.direction == Direction.DECREASE
    assert indicator.target_factor == Decimal("0.5") and indicator.target_value is None
    value = indicator.observations.get()
    assert (value.value, value.qualifier, value.date.year) == (100000, Qualifier.LESS_THAN, 2016)


def test_money_is_in_euros_and_qualifiers_are_kept(ciec):
    anru = Funding.objects.get(measure__slug="nouveau-programme-national-de-renouvellement-urbain", position=0)
    assert (anru.amount, anru.currency, anru.funder.slug) == (Decimal("6000000000"), "EUR", "anru")
    rate = Indicator.objects.get(slug="taux-de-scolarisation-des-moins-de-3-ans-en-rep-plus").observations.get()
    assert (rate.value, rate.qualifier) == (20, Qualifier.MORE_THAN)


def test_local_examples_are_tied_to_the_right_homonyms(ciec):
    dreux = Initiative.objects.get(slug="npnru-dreux-vernouillet")
    assert set(dreux.territories.values_list("code", flat=True)) == {"com:28134", "com:28404", "epci:200040277"}
    assert list(dreux.fundings.values_list("amount", "funder__slug")) == [
        (Decimal("346000"), "anru"),
        (Decimal("106000"), "caisse-des-depots"),
    ]
    saint_benoit = Initiative.objects.get(slug="saint-benoit-programme-de-reussite-educative")
    assert list(saint_benoit.territories.values_list("code", flat=True)) == ["com:97410"]
    assert (saint_benoit.start_date, saint_benoit.start_precision) == (datetime.date(2016, 7, 1), DatePrecision.MONTH)


def test_conventions_name_their_signatories_and_date(ciec):
    convention = Convention.objects.get(slug="convention-chateauroux-tig")
    assert convention.signed_on == datetime.date(2016, 10, 10)
    assert set(convention.signatories.values_list("slug", flat=True)) == {
        "chateauroux-metropole",
        "ville-de-chateauroux",
        "spip-indre",
    }


def test_every_fact_points_back_to_a_line_of_the_report(ciec):
    facts = [
        *Indicator.objects.filter(measure__programme=ciec).exclude(target_value=None, target_factor=None),
        *[o for i in Indicator.objects.filter(measure__programme=ciec) for o in i.observations.all()],
        *Funding.objects.all(),
        *Initiative.objects.filter(programme=ciec),
    ]
    for fact in facts:
        locator = getattr(fact, "target_source", None) or fact.source
        assert locator is not None and locator.line_start is not None, fact
        assert locator.document.file_path == "data/programmes/ciec/rapport-ciec-2017.txt"
    lines = (CIEC.parent / "rapport-ciec-2017.txt").read_text().splitlines()
    indicator = Indicator.objects.get(slug="demolitions-actees")
    locator = indicator.observations.get().source
    assert "7 000 démolitions" in " ".join(lines[locator.line_start - 1 : locator.line_end])


def test_every_indicator_has_a_unit(ciec):
    assert not Indicator.objects.filter(measure__programme=ciec, unit="").exists()
    assert Indicator.objects.filter(measure__programme=ciec).count() == 38
    # The ESS figures describe the sector, undated: they stay in the measure's text, not as values.
    assert not Indicator.objects.filter(slug__in=["emplois-ess-outre-mer", "employeurs-ess-outre-mer"]).exists()
    assert (
        "51 000 emplois et plus de 4 000 employeurs"
        in Measure.objects.get(slug="economie-sociale-et-solidaire-en-outre-mer").body
    )


def test_dated_steps_are_milestones_in_the_measure_timeline(ciec):
    garantie = Measure.objects.get(slug="generalisation-de-la-garantie-jeunes")
    step = garantie.milestones.get()
    assert (step.date, step.date_precision, step.state) == (datetime.date(2017, 1, 1), DatePrecision.DAY, "done")
    npnru = Measure.objects.get(slug="nouveau-programme-national-de-renouvellement-urbain").milestones.get()
    assert (npnru.date, npnru.date_precision, npnru.state) == (
        datetime.date(2017, 1, 1),
        DatePrecision.QUARTER,
        "planned",
    )


@pytest.mark.django_db
def test_the_funding_lines_that_are_parts_of_others_add_up_to_the_six_billions_once():
    anru = Funding.objects.filter(funder__slug="anru", territory="fr")  # the national lines
    assert sum(f.amount for f in anru) == Decimal("8100000000")  # what a naive sum said
    assert sum(f.amount for f in anru.filter(part_of=None)) == Decimal("6000000000")
    hundred = anru.get(amount=100_000_000)
    chain = [hundred.part_of, hundred.part_of.part_of, hundred.part_of.part_of.part_of]
    assert [f.amount for f in chain] == [1_000_000_000, 1_000_000_000, 6_000_000_000]
