"""Rows of a CSV or XLSX file, read one at a time, with the position reached for progress.

CSV: UTF-8 (with or without BOM), else Latin-1 (cp1252) — decided by a first streaming
pass over the bytes, never by loading the file; the delimiter is sniffed among
``, ; TAB |`` from the first 64 KiB. XLSX: openpyxl in read-only mode, first sheet unless
the mapping names one. Each row comes with its line number in the file (the header is
line 1) so that every error can name it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import glob
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class ReadError(ValueError):
    """A file that cannot be read as a table; the message names the file (and line)."""


def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``, checked over the whole file in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        first = handle.read(3)
        bom = first == codecs.BOM_UTF8
        handle.seek(0)
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig" if bom else "utf-8"


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read through it (progress of a text reader)."""

    def __init__(self, handle):
        self.handle = handle
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.handle.readinto(buffer)
        self.position += n or 0
        return n


@dataclass
class Table:
    path: Path
    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line, cells)
    size: int
    _counter: _Counting | None = None
    _rows_done: int = 0
    _rows_total: int = 0

    @property
    def position(self) -> int:
        """Bytes read so far (an estimate for XLSX)."""
        if self._counter is not None:
            return self._counter.position
        return int(self.size * self._rows_done / self._rows_total) if self._rows_total else 0


def open_table(path: str | Path, *, encoding: str = "", delimiter: str = "", sheet: str = "", name: str = "") -> Table:
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise ReadError(f"{name}: no such file")
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _open_xlsx(path, name, sheet)
    return _open_csv(path, name, encoding, delimiter)


def _open_csv(path: Path, name: str, encoding: str, delimiter: str) -> Table:
    if not encoding:
        encoding = detect_encoding(path)
    elif encoding.lower() in ("latin-1", "iso-8859-1"):
        encoding = "cp1252"
    with path.open("rb") as handle:
        sample_bytes = handle.read(SNIFF_BYTES)
    if b"\x00" in sample_bytes:
        raise ReadError(f"{name}: binary file (NUL bytes), not a CSV text; XLSX files must end in .xlsx")
    sample = sample_bytes.decode(encoding, errors="replace")
    if not sample.strip():
        raise ReadError(f"{name}: the file is empty")
    if not delimiter:
        try:
            delimiter = csv.Sniffer().sniff(sample.split("\n", 20)[0] + "\n", delimiters=DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    counter = _Counting(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(counter, CHUNK), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ReadError(f"{name}: line 1: {error}") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise ReadError(f"{name}: line {reader.line_num}: {error}") from None
                yield reader.line_num, cells
        finally:
            text.close()

    return Table(path, name, [h.strip() for h in header], rows(), path.stat().st_size, counter)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _open_xlsx(path: Path, name: str, sheet: str) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise ReadError(f"{name}: not a readable XLSX workbook ({error})") from None
    if sheet and sheet not in book.sheetnames:
        raise ReadError(f"{name}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    worksheet = book[sheet] if sheet else book.worksheets[0]
    iterator = worksheet.iter_rows(values_only=True)
    try:
        header = [_cell(v).strip() for v in next(iterator)]
    except StopIteration:
        raise ReadError(f"{name}: the sheet {worksheet.title!r} is empty") from None
    table = Table(path, name, header, iter(()), path.stat().st_size)
    table._rows_total = max((worksheet.max_row or 1) - 1, 1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(iterator, start=2):
                table._rows_done = line - 1
                yield line, [_cell(v) for v in values]
        finally:
            book.close()

    table.rows = rows()
    return table


def paths_of(patterns: list[str]) -> list[Path]:
    """The files named on a command line (shell patterns accepted); ``FileNotFoundError`` naming the missing one."""
    paths = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        if not matches:
            raise FileNotFoundError(f"{pattern}: no file matches")
        for match in matches:
            if not Path(match).is_file():
                raise FileNotFoundError(f"{match}: no such file")
            paths.append(Path(match))
    return paths
