"""A progress report as lines: a plain text, or a PDF's text layer, page by page.

Every later step points back here: an extracted item's locator is a page and a span of
these lines, and its quote is these lines' own text between two positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class UnreadableDocument(Exception):
    """The file cannot be read as a text or a PDF with a text layer; the message says why, in French."""


@dataclass(frozen=True)
class Line:
    page: int  # 1-based; a plain text without form feeds is one page
    number: int  # 1-based, counted through the whole document (as the source pages cite lines)
    text: str


@dataclass
class Source:
    name: str
    lines: list[Line]

    def span(self, first: int, last: int) -> str:
        """The text of lines ``first`` to ``last`` (1-based, inclusive), joined by newlines."""
        return "\n".join(line.text for line in self.lines[first - 1 : last])


def read(path: Path) -> Source:
    path = Path(path)
    if not path.is_file():
        raise UnreadableDocument(f"{path} : fichier introuvable")
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        return Source(path.name, _pdf_lines(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="strict") if _latin(data) else None
        if text is None:
            raise UnreadableDocument(f"{path} : ni un PDF ni un texte UTF-8 ou Latin-1") from None
    return Source(path.name, _text_lines(text))


def _latin(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _text_lines(text: str) -> list[Line]:
    lines, number = [], 0
    for page, content in enumerate(text.replace("\r\n", "\n").split("\f"), start=1):
        for raw in content.split("\n"):
            number += 1
            lines.append(Line(page, number, raw))
    return lines


def _pdf_lines(path: Path) -> list[Line]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise UnreadableDocument(f"{path} : PDF illisible ({error})") from None
    if not any(page.strip() for page in pages):
        raise UnreadableDocument(f"{path} : ce PDF n’a pas de couche texte (un scan ?) ; la lecture a besoin du texte")
    return _text_lines("\f".join(_unindent(page) for page in pages))


def _unindent(page: str) -> str:
    """pypdf's layout mode pads lines to their position on the page; keep the words, not the margin."""
    lines = [line.rstrip() for line in page.split("\n")]
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[margin:] for line in lines)
