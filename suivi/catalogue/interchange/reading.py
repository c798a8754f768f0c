"""Parse a programme document and keep, for every value, the line it was written on.

Errors then say ``programme.yaml:212: measures[3].indicators[0].unit: required``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

Path_ = tuple[str | int, ...]


class ProgrammeDataError(Exception):
    """The document cannot be loaded; ``errors`` lists every problem found, each with file, line and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = "\n".join(errors[:50])
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} error(s):\n{shown}{more}")


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


@dataclass
class Document:
    """The parsed data, where each value was written, and the problems found so far."""

    data: object
    filename: str
    lines: dict[Path_, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def line_of(self, path: Path_) -> int:
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def error(self, path: Path_, message: str) -> None:
        self.errors.append(f"{self.filename}:{self.line_of(path)}: {format_path(path)}: {message}")


def _to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int], filename: str) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in result:
                raise ProgrammeDataError([f"{filename}:{key_node.start_mark.line + 1}: {key}: duplicate key"])
            result[key] = _to_python(value_node, (*path, key), lines, filename)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines, filename) for i, item in enumerate(node.value)]
    return yaml.SafeLoader.construct_object(_CONSTRUCTOR, node, deep=True)


_CONSTRUCTOR = yaml.SafeLoader("")

# A programme document is data written by people: it needs no aliases, and aliases are how a
# small file expands into gigabytes ("billion laughs") or into an endless loop.
MAX_BYTES = 20 * 1024 * 1024


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted in a programme document", event.start_mark
            )
        return super().compose_node(parent, index)


def read_document(path: Path) -> Document:
    """Parse a YAML or JSON programme file; raise ``ProgrammeDataError`` if it is not well-formed."""
    filename = str(path)
    if path.is_dir():
        raise ProgrammeDataError([f"{filename}: a folder, not a file"])
    if path.exists() and path.stat().st_size > MAX_BYTES:
        raise ProgrammeDataError([f"{filename}: larger than {MAX_BYTES // 1024 // 1024} MB"])
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgrammeDataError([f"{filename}: file not found"]) from None
    except UnicodeDecodeError as exc:
        raise ProgrammeDataError([f"{filename}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ProgrammeDataError([f"{filename}:{line}: not valid YAML or JSON: {exc.problem}"]) from None
    if node is None:
        raise ProgrammeDataError([f"{filename}:1: the document is empty"])
    lines: dict[Path_, int] = {}
    return Document(_to_python(node, (), lines, filename), filename, lines)
