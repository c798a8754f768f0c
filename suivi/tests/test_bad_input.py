"""Bad input never gives a server error: a clear 4xx, or a file:line message, on both engines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from suivi.catalogue.interchange import FORMAT
from suivi.catalogue.interchange.loading import load_programme_file
from suivi.catalogue.interchange.reading import ProgrammeDataError
from suivi.factories import InitiativeFactory, MeasureFactory

pytestmark = pytest.mark.django_db

NUL_ADDRESSES = [
    "/api/v1/programmes/%00",
    "/territoires/%00/",
    "/flux/territoires/%00.atom",
    "/carte/?programme=%00",
    "/recherche/?q=ecole&territoire=%00",
    "/api/v1/observations?territory=%00",
    "/programmes/%00/",
    "/donnees/%00/observations.csv",
]


@pytest.mark.parametrize("url", NUL_ADDRESSES)
def test_a_nul_byte_anywhere_in_the_address_answers_400(url):
    response = Client(raise_request_exception=False).get(url)
    if url.startswith("/api/"):
        expected = 404 if "%00" in url.split("?")[0] else 400
        assert response.status_code == expected
        assert response.json()["error"]["status"] == expected
    else:
        assert response.status_code == 400
        assert "Requête incorrecte" in response.content.decode()


def test_a_decision_that_looks_like_a_digit_but_is_not_is_ignored():
    MeasureFactory(axis__programme__slug="ciec")
    response = Client(raise_request_exception=False).get("/recherche/?q=ecole&decision=%C2%B2")
    assert response.status_code == 200


def test_the_404_page_is_a_french_dsfr_page():
    response = Client().get("/nulle-part/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page non trouvée" in html and "fr-header" in html and '<html lang="fr"' in html


def test_an_unexpected_api_error_answers_json(monkeypatch):
    from suivi.api import endpoints

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(endpoints, "published_programmes", broken)
    response = Client(raise_request_exception=False).get("/api/v1/programmes")
    assert response.status_code == 500
    assert response.json() == {"error": {"status": 500, "message": "Internal server error.", "parameter": None}}


def write(tmp_path: Path, text: str, name: str = "programme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_yaml_alias_bomb_is_refused_at_its_line(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ProgrammeDataError, match=r"programme\.yaml:2: not valid YAML or JSON: aliases"):
        load_programme_file(path)


def test_a_recursive_alias_is_refused(tmp_path):
    path = write(tmp_path, "programme: &p\n  self: *p\n")
    with pytest.raises(ProgrammeDataError, match=r"programme\.yaml:2: .*aliases"):
        load_programme_file(path)


def test_a_folder_or_a_latin1_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(ProgrammeDataError, match="a folder, not a file"):
        load_programme_file(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("programme: {name: 'Égalité'}\n".encode("latin-1"))
    with pytest.raises(ProgrammeDataError, match="not UTF-8"):
        load_programme_file(latin)


def minimal_document(**measure) -> dict:
    return {
        "format": FORMAT,
        "programme": {"slug": "p", "name": "Programme"},
        "documents": [{"slug": "d", "title": "Note", "url": "https://example.org/note"}],
        "axes": [{"slug": "a", "name": "Axe"}],
        "measures": [
            {"slug": "m", "axis": "a", "title": "Mesure", "source": {"document": "d", "quote": "Mesure"}} | measure
        ],
    }


def test_a_source_document_that_is_a_folder_or_not_utf8_is_named(tmp_path, settings):
    folder = tmp_path / "folder"
    folder.mkdir()
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Égalité".encode("latin-1"))
    for file, message in ((folder, "a folder, not a file"), (latin, "not UTF-8")):
        document = minimal_document()
        document["documents"][0]["file"] = str(file)
        path = write(tmp_path, yaml.safe_dump(document, allow_unicode=True))
        with pytest.raises(ProgrammeDataError, match=rf"programme\.yaml:\d+: documents\[0\]\.file: .*{message}"):
            load_programme_file(path)


def test_an_oversized_text_is_refused_and_nothing_is_written(tmp_path):
    path = write(tmp_path, yaml.safe_dump(minimal_document(body="x" * 20_001), allow_unicode=True))
    with pytest.raises(ProgrammeDataError, match=r"measures\[0\]\.body: 20,001 characters; at most 20,000"):
        load_programme_file(path)
    path = write(tmp_path, yaml.safe_dump(minimal_document(lead_ministry="M" * 201), allow_unicode=True))
    with pytest.raises(CommandError, match=r"measures\[0\]\.lead_ministry: 201 characters; at most 200"):
        call_command("load_programme", str(path))
    from suivi.catalogue.models import Programme

    assert not Programme.objects.filter(slug="p").exists()


def test_a_text_starting_with_equals_stays_text_in_xlsx():
    initiative = InitiativeFactory(title='=HYPERLINK("http://evil.example","cliquez")', programme__slug="ciec")
    response = Client().get("/donnees/ciec/initiatives.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == initiative.title]
    assert cells and all(c.data_type == "s" for c in cells)
