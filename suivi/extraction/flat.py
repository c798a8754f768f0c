"""The document as one running text, PDF layout noise removed, every character traced to its line.

What is removed or mended, and why:

- letter-spaced headings (``V IVRE  DANS  LA  RÉPUBL IQUE``, ``L A  R É P U B L I Q U E``):
  words are the runs between two or more spaces, and the lone spaces inside them go;
- words hyphenated across lines (``ac-`` / ``compagner``) are joined, except after the
  prefixes that keep their hyphen (``Outre-`` / ``mer``, ``pré-`` / ``conventionnement``);
- page numbers, dashes alone on a line, and running headers (a short line repeated on three
  pages or more) are dropped;
- headings in capitals stand as paragraphs of their own; other lines of a paragraph are
  joined with a space, and a blank line ends a paragraph (``\\n\\n`` in the text).

``quote(start, end)`` gives back the document's own characters for a span of the running
text, and ``lines(start, end)`` the lines it covers: an item's locator and verbatim quote.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from suivi.extraction.reading import Source

KEEP_HYPHEN = {
    "anti", "après", "arrière", "auto", "avant", "contre", "demi", "ex", "extra", "grand", "inter",
    "intra", "mi", "multi", "néo", "non", "outre", "post", "pré", "quasi", "semi", "sous", "sur",
    "trans", "ultra", "vice", "porte", "centre", "bas", "haut", "saint", "sainte", "île",
}  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")
_FURNITURE = re.compile(r"^\s*(?:[-–—•]|\d{1,3}|page \d+(?: sur \d+)?)\s*$", re.IGNORECASE)


def is_capitals(text: str) -> bool:
    letters = _LETTER.findall(text)
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def letter_spaced(text: str) -> bool:
    """``V IVRE  DANS  LA`` or ``L A  R É P U B L I Q U E``: capitals, words apart by 2+ spaces, letters by 1."""
    stripped = text.strip()
    if not is_capitals(stripped) or "  " not in stripped:
        return False
    chunks = re.split(r"\s{2,}", stripped)
    return any(" " in chunk for chunk in chunks)


@dataclass
class FlatText:
    source: Source
    text: str
    origins: list[tuple[int, int]]  # per character: (line index, column) in the source

    def lines(self, start: int, end: int) -> tuple[int, int]:
        """The first and last line numbers (1-based) of the span ``[start, end)``."""
        first, last = self.origins[start][0], self.origins[max(start, end - 1)][0]
        return self.source.lines[first].number, self.source.lines[last].number

    def page(self, start: int) -> int:
        return self.source.lines[self.origins[start][0]].page

    def quote(self, start: int, end: int) -> str:
        """The source's own characters from ``start`` to ``end``, line breaks and hyphens as printed."""
        (l1, c1), (l2, c2) = self.origins[start], self.origins[max(start, end - 1)]
        lines = self.source.lines
        if l1 == l2:
            return lines[l1].text[c1 : c2 + 1]
        parts = [lines[l1].text[c1:], *(lines[i].text for i in range(l1 + 1, l2)), lines[l2].text[: c2 + 1]]
        return "\n".join(parts)


def flatten(source: Source) -> FlatText:
    lines = source.lines
    furniture = _furniture(source)
    joins = _page_joins(source, furniture)
    out: list[str] = []
    origins: list[tuple[int, int]] = []

    def put(text: str, at: tuple[int, int]) -> None:
        out.append(text)
        origins.append(at)

    def paragraph_break(at: tuple[int, int]) -> None:
        while out and out[-1] == " ":
            out.pop()
            origins.pop()
        if out and out[-1] != "\n":
            put("\n", at)
            put("\n", at)

    joined_hyphen = False
    open_heading = False  # the previous line was a heading in capitals, with no blank line since
    for index, line in enumerate(lines):
        raw = line.text
        if index in joins:
            continue  # a page break inside a sentence
        if index in furniture or not raw.strip():
            paragraph_break((index, 0))
            joined_hyphen = open_heading = False
            continue
        chars = _normalised(raw)
        heading = is_capitals(raw)
        if heading and open_heading:
            # A heading over two lines is one heading.
            while out and out[-1] == "\n":
                out.pop()
                origins.pop()
            put(" ", (index, 0))
        elif heading:
            paragraph_break((index, 0))
        elif out and out[-1] not in ("\n",) and not joined_hyphen:
            # A compound cut at its hyphen ("Outre-" / "mer") is joined without a space.
            compound = out[-1] == "-" and len(out) > 1 and _LETTER.match(out[-2]) and raw.strip()[:1].islower()
            if out[-1] != " " and not compound:
                put(" ", (index, 0))
        # A word hyphenated at the line's end, followed by its end in lower case on the next line.
        joined_hyphen = False
        following = _next_text(lines, index, furniture)
        if (
            not heading
            and len(chars) >= 2
            and chars[-1][0] == "-"
            and _LETTER.match(chars[-2][0])
            and following[:1].islower()
            and _last_word(chars[:-1]).lower() not in KEEP_HYPHEN
        ):
            chars = chars[:-1]
            joined_hyphen = True
        for char, column in chars:
            put(char, (index, column))
        if heading:
            paragraph_break((index, len(raw)))
        open_heading = heading
    while out and out[-1] in (" ", "\n"):
        out.pop()
        origins.pop()
    return FlatText(source, "".join(out), origins)


def _normalised(raw: str) -> list[tuple[str, int]]:
    """The line's characters with their columns: spaces folded, letter-spacing undone, ends trimmed."""
    start = len(raw) - len(raw.lstrip())
    end = len(raw.rstrip())
    result: list[tuple[str, int]] = []
    if letter_spaced(raw):
        i = start
        while i < end:
            if raw[i].isspace():
                j = i
                while j < end and raw[j].isspace():
                    j += 1
                if j - i >= 2:
                    result.append((" ", i))
                i = j
                continue
            result.append((raw[i], i))
            i += 1
        return result
    for i in range(start, end):
        char = raw[i]
        if char.isspace():
            if result and result[-1][0] == " ":
                continue
            char = " "
        result.append((char, i))
    return result


def _last_word(chars: list[tuple[str, int]]) -> str:
    word = []
    for char, _ in reversed(chars):
        if not (_LETTER.match(char) or char == "’" or char == "'"):
            break
        word.append(char)
    text = "".join(reversed(word))
    return re.split(r"[’']", text)[-1]


def _next_text(lines, index: int, furniture: set[int]) -> str:
    """The next line with text, past page furniture and the blank lines of a page break."""
    for following in range(index + 1, min(index + 12, len(lines))):
        text = lines[following].text.strip()
        if following in furniture or not text:
            if lines[following].page != lines[index].page or following in furniture:
                continue
            return ""
        return text
    return ""


def _furniture(source: Source) -> set[int]:
    """Lines that are page furniture: page numbers, lone dashes, and running heads or feet (one of
    the first or last two lines of a page, the same on three pages or more)."""
    lines = source.lines
    found = {i for i, line in enumerate(lines) if line.text.strip() and _FURNITURE.match(line.text)}
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.text.strip() and i not in found:
            by_page.setdefault(line.page, []).append(i)
    if len(by_page) < 3:
        return found
    edges = {i for indexes in by_page.values() for i in indexes[:2] + indexes[-2:]}
    pages_of: dict[str, set[int]] = {}
    for i in edges:
        key = re.sub(r"\s+", " ", lines[i].text.strip())
        if len(key) <= 80:
            pages_of.setdefault(key, set()).add(lines[i].page)
    repeated = {key for key, pages in pages_of.items() if len(pages) >= 3}
    return found | {i for i in edges if re.sub(r"\s+", " ", lines[i].text.strip()) in repeated}


def _page_joins(source: Source, furniture: set[int]) -> set[int]:
    """Blank lines at a page break inside a sentence or a heading: not a paragraph end.

    Inside a sentence: no final stop before, and lower case or a digit after; inside a heading:
    capitals on both sides."""
    lines = source.lines
    joins: set[int] = set()
    text_lines = [i for i, line in enumerate(lines) if line.text.strip() and i not in furniture]
    for before, after in itertools.pairwise(text_lines):
        if lines[before].page == lines[after].page:
            continue
        end, start = lines[before].text.rstrip(), lines[after].text.strip()
        continues = start[:1].islower() or start[:1].isdigit() or end.endswith("-")
        if end and end[-1] not in ".!?:»" and (continues or (is_capitals(end) and is_capitals(start))):
            joins.update(range(before + 1, after))
    return joins
