"""PDF layout noise removed from the running text, and every span traced back to its lines."""

from suivi.extraction.flat import flatten, letter_spaced
from suivi.extraction.reading import Line, Source


def source(*pages: str) -> Source:
    lines, number = [], 0
    for page, text in enumerate(pages, start=1):
        for raw in text.split("\n"):
            number += 1
            lines.append(Line(page, number, raw))
    return Source("t.txt", lines)


def test_letter_spaced_headings_become_words():
    flat = flatten(source("V IVRE  DANS  LA  RÉPUBL IQUE\n\n L A  R É P U B L I Q U E  A U  Q U O T I D I E N"))
    assert flat.text == "VIVRE DANS LA RÉPUBLIQUE\n\nLA RÉPUBLIQUE AU QUOTIDIEN"
    assert not letter_spaced("DÉVELOPPER LES MESURES JUDICIAIRES  ")


def test_words_hyphenated_across_lines_are_joined_but_compounds_keep_their_hyphen():
    flat = flatten(source("pour ac-\ncompagner les jeunes d’Outre-\nmer et les études de pré-\nconventionnement."))
    assert flat.text == "pour accompagner les jeunes d’Outre-mer et les études de pré-conventionnement."


def test_page_numbers_and_running_headers_go_and_headings_stand_apart():
    pages = [f"RAPPORT D’ÉTAPE\nTexte de la page {n}\nsuite.\n{n}" for n in range(1, 4)]
    flat = flatten(source(*pages))
    assert "RAPPORT" not in flat.text
    assert flat.text.count("Texte de la page") == 3
    assert "\n3" not in flat.text
    heading = flatten(source("GÉNÉRALISATION DE LA\nGARANTIE JEUNES\nMesure CIEC #1"))
    assert heading.text == "GÉNÉRALISATION DE LA GARANTIE JEUNES\n\nMesure CIEC #1"


def test_a_span_gives_back_its_lines_page_and_printed_characters():
    flat = flatten(source("Titre\n", "à leur réinser-\ntion sociale."))
    start = flat.text.index("réinsertion")
    end = start + len("réinsertion sociale")
    assert flat.lines(start, end) == (3, 4)
    assert flat.page(start) == 2
    assert flat.quote(start, end) == "réinser-\ntion sociale"
