"""Loading, checking and exporting programme documents."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from suivi.catalogue.interchange.exporting import dumps, export_programme
from suivi.catalogue.interchange.loading import load_programme_file
from suivi.catalogue.interchange.reading import ProgrammeDataError
from suivi.catalogue.management.commands._programmes import programme_file
from suivi.catalogue.models import Measure, Programme
from suivi.indicators.models import Observation

pytestmark = pytest.mark.django_db

CIEC = programme_file("ciec")


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = CIEC.read_text()
    assert text.count(old) == 1, old
    path = tmp_path / "programme.yaml"
    path.write_text(text.replace(old, new))
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def test_it_names_file_line_and_field_of_a_quote_not_found_at_its_place(tmp_path):
    path = edited(
        tmp_path, 'quote: "Ils ont été moins de 100 000 en 2016."', 'quote: "Ils ont été moins de 90 000 en 2016."'
    )
    with pytest.raises(ProgrammeDataError) as error:
        load_programme_file(path)
    line = line_of(path, "moins de 90 000")
    assert error.value.errors == [
        f"{path}:{line}: measures[10].indicators[0].values[0].source.quote: not found in lines 284-284: "
        "'de décrocheurs. Ils ont été moins de 100 000 en 2016.'…"
    ]


def test_it_rejects_an_unknown_territory_code_and_changes_nothing(tmp_path):
    path = edited(tmp_path, 'territories: ["com:97410"]', 'territories: ["com:97499"]')
    with pytest.raises(
        ProgrammeDataError, match=r"initiatives\[0\]\.territories\[0\]: unknown territory code 'com:97499'"
    ):
        load_programme_file(path)
    assert not Programme.objects.exists()
    assert not Observation.objects.exists()


def test_it_rejects_an_indicator_without_a_unit(tmp_path):
    path = edited(tmp_path, "        unit: orchestres\n", "")
    with pytest.raises(ProgrammeDataError, match=r"measures\[6\]\.indicators\[0\]\.unit: required"):
        load_programme_file(path)


def test_it_rejects_a_measure_without_a_source(tmp_path):
    path = edited(
        tmp_path,
        '    source: {lines: [480, 497], quote: "CRÉATION D’UNE AGENCE DE DÉVELOPPEMENT ÉCONOMIQUE DES TERRITOIRES"}\n',
        "",
    )
    with pytest.raises(ProgrammeDataError, match=r"measures\[18\]\.source: every measure needs its source"):
        load_programme_file(path)


def test_it_rejects_amounts_written_in_words_and_unknown_fields(tmp_path):
    path = edited(tmp_path, "amount: 7500000,", 'amount: "7,5 millions", amont: 1,')
    with pytest.raises(ProgrammeDataError) as error:
        load_programme_file(path)
    messages = "\n".join(error.value.errors)
    assert "fundings[0].amount: '7,5 millions' is not a number" in messages
    assert "fundings[0].amont: unknown field" in messages


def test_it_reports_malformed_yaml_with_its_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: suivi-programme/1\nprogramme: {slug: x\n")
    with pytest.raises(ProgrammeDataError, match=r"broken\.yaml:3: not valid YAML or JSON"):
        load_programme_file(path)


def test_a_failure_half_way_through_writing_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    load_programme_file(CIEC)
    before = list(Measure.objects.order_by("pk").values())
    path = edited(tmp_path, "title: Renforcement de la scolarisation précoce", "title: Scolarisation précoce")

    def crash(self, *args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("suivi.catalogue.interchange.loading._Writer.write_initiative", crash)
    with pytest.raises(RuntimeError):
        load_programme_file(path)
    assert list(Measure.objects.order_by("pk").values()) == before


def test_loading_twice_changes_nothing_and_adds_no_history():
    load_programme_file(CIEC)
    history = Measure.history.count() + Observation.history.count()
    report = load_programme_file(CIEC)
    assert not report.changed
    assert Measure.history.count() + Observation.history.count() == history


def test_an_edit_is_written_with_its_history(tmp_path):
    load_programme_file(CIEC)
    measure = Measure.objects.get(slug="scolarisation-precoce")
    versions = measure.history.count()
    path = edited(tmp_path, "title: Renforcement de la scolarisation précoce", "title: Scolarisation précoce renforcée")
    report = load_programme_file(path)
    assert report.updated["measure"] == 1
    assert measure.history.count() == versions + 1
    latest, previous = measure.history.all()[:2]
    assert (latest.title, previous.title) == (
        "Scolarisation précoce renforcée",
        "Renforcement de la scolarisation précoce",
    )
    assert latest.history_type == "~"


def test_an_indicator_the_document_no_longer_lists_is_kept_with_its_values_and_said(tmp_path):
    load_programme_file(CIEC)
    block = CIEC.read_text().split("    indicators:\n      - slug: conventions-nationales-tig\n", 1)[1]
    block = "    indicators:\n      - slug: conventions-nationales-tig\n" + block[: block.index("    initiatives:")]
    path = edited(tmp_path, block, "")
    stdout = StringIO()
    call_command("load_programme", str(path), stdout=stdout)
    said = (
        "Kept, not in the file: indicator mesures-judiciaires-alternatives-a-l-incarceration/conventions-nationales-tig"
    )
    assert said in stdout.getvalue()
    assert Observation.objects.filter(indicator__slug="conventions-nationales-tig").count() == 1
    # Listed again, nothing is said.
    stdout = StringIO()
    call_command("load_programme", str(CIEC), stdout=stdout)
    assert "Kept, not in the file" not in stdout.getvalue()


class Rollback(Exception):
    pass


def test_export_then_load_into_an_empty_database_then_export_is_identical(tmp_path):
    try:
        with transaction.atomic():
            load_programme_file(CIEC)
            first = dumps(export_programme(Programme.objects.get(slug="ciec")))
            raise Rollback
    except Rollback:
        pass
    assert not Programme.objects.exists()
    path = tmp_path / "ciec.json"
    path.write_text(first)
    load_programme_file(path)
    second = dumps(export_programme(Programme.objects.get(slug="ciec")))
    assert second == first


def test_the_export_has_the_documented_shape():
    load_programme_file(CIEC)
    document = json.loads(dumps(export_programme(Programme.objects.get(slug="ciec"))))
    assert document["decisions"][1] == {
        "number": 2,
        "name": "CIEC #2",
        "date": "2015-10-26",
        "place": "Les Mureaux",
        "territory": "com:78440",
        "source": None,
    }
    conservatoires = next(m for m in document["measures"] if m["slug"] == "reseau-des-conservatoires")
    assert conservatoires["decisions"] == [2]
    orchestras = conservatoires["indicators"][0]
    assert orchestras["target"]["value"] == 30 and orchestras["target"]["deadline"] == "2018"
    assert orchestras["values"][0] | {"source": None} == {
        "value": 19,
        "qualifier": "exact",
        "date": "2016-12",
        "period_start": None,
        "territory": "fr",
        "status": "published",
        "comment": "",
        "source": None,
    }
    demos = conservatoires["initiatives"][0]
    assert demos["territories"] == ["com:33063", "dep:33", "epci:243300316"]
    assert {"label": "Groupes d’enfants", "value": 8, "unit": "groupes"}.items() <= demos["figures"][1].items()
    assert all("lines" in source and source["quote"] for source in conservatoires["sources"])


def test_the_commands_write_and_read_the_json_document(tmp_path):
    call_command("load_programme", "ciec", verbosity=0)
    output = tmp_path / "ciec.json"
    call_command("export_programme", "ciec", "--format", "json", "-o", str(output), stderr=StringIO())
    stdout = StringIO()
    call_command("load_programme", str(output), stdout=stdout)
    assert "created: none; updated: none; deleted: none" in stdout.getvalue()


def test_the_commands_explain_an_unknown_programme():
    with pytest.raises(CommandError, match=r"No programme named 'nope' \(known: barometre, ciec\)"):
        call_command("load_programme", "nope")
    with pytest.raises(CommandError, match=r"No programme 'ciec' in the database"):
        call_command("export_programme", "ciec")
