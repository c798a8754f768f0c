"""The CIEC progress report, as text and as a PDF made from it: the draft, its locators, the command."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from suivi.extraction.extract import extract
from suivi.extraction.items import fold
from suivi.extraction.reading import UnreadableDocument, read

# The CIEC, loaded once for the module (conftest.py): the command matches headings to its measures.
pytestmark = pytest.mark.usefixtures("ciec_for_module")

SEED = Path(__file__).resolve().parents[3] / "data" / "programmes" / "ciec" / "rapport-ciec-2017.txt"


@pytest.fixture(scope="module")
def draft():
    return extract(SEED)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    """The seed's text printed to a PDF by WeasyPrint: letter-spaced headings, page numbers at the foot."""
    from weasyprint import HTML

    text = SEED.read_text(encoding="utf-8").replace("&", "&amp;").replace("<", "&lt;")
    page = (
        '<html lang="fr"><head><style>@page { size: A4; margin: 2cm; @bottom-center { content: counter(page) } }'
        "pre { font: 9pt serif; white-space: pre-wrap }</style></head>"
        f"<body><pre>{text}</pre></body></html>"
    )
    path = tmp_path_factory.mktemp("pdf") / "rapport.pdf"
    HTML(string=page).write_pdf(path)
    return path


def test_every_measure_of_the_report_with_its_decisions(draft):
    measures = draft.of("measure")
    assert len(measures) == 20
    assert measures[1].data["decisions"] == [1, 2]
    assert measures[1].data["title"].startswith("ACCÉLÉRER LE DÉPLOIEMENT DU NOUVEAU PROGRAMME")
    assert draft.document_date == "2017-01-01"


def test_every_quote_is_found_at_its_locator(draft):
    source = read(SEED)
    assert draft.items
    for item in draft.items:
        first, last = item.lines
        assert item.quote, item
        assert item.quote in fold(source.span(first, last)), (item.kind, item.lines, item.quote)


def test_a_pdf_of_the_report_gives_the_same_items(draft, pdf):
    from_pdf = extract(pdf)
    assert len(read(pdf).lines) > 0 and max(line.page for line in read(pdf).lines) > 3

    def key(item):
        return (item.kind, json.dumps({k: v for k, v in item.data.items() if k != "funder"}, sort_keys=True))

    assert Counter(map(key, from_pdf.items)) == Counter(map(key, draft.items))
    assert all(item.page >= 1 for item in from_pdf.items)


@pytest.mark.django_db
def test_the_command_writes_the_draft_as_json_and_matches_known_measures(capsys):
    call_command("extract", str(SEED), "--programme", "ciec", "--json")
    draft = json.loads(capsys.readouterr().out)
    assert draft["counts"]["measure"] == 20
    matched = [item["data"].get("match") for item in draft["items"] if item["kind"] == "measure"]
    assert matched[0] == "mesures-judiciaires-alternatives-a-l-incarceration"
    assert all(matched)
    first = draft["items"][0]
    assert set(first) == {"kind", "data", "confidence", "page", "lines", "quote"}


@pytest.mark.django_db
def test_bad_input_is_refused_with_its_reason(tmp_path):
    with pytest.raises(CommandError, match="unknown programme 'nope'"):
        call_command("extract", str(SEED), "--programme", "nope")
    with pytest.raises(CommandError, match="fichier introuvable"):
        call_command("extract", str(tmp_path / "absent.pdf"), "--programme", "ciec")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(CommandError, match=r"scan\.pdf : PDF illisible"):
        call_command("extract", str(scan), "--programme", "ciec")
    with pytest.raises(CommandError, match="--date '2017-13': use YYYY-MM-DD"):
        call_command("extract", str(SEED), "--programme", "ciec", "--date", "2017-13")


def test_unreadable_files_are_named():
    with pytest.raises(UnreadableDocument, match="fichier introuvable"):
        read(Path("/nonexistent.txt"))
