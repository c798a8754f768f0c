"""Check a programme document as a whole before anything is written.

``check_document`` reads every field (``fields.read_object``), then checks what one
field cannot tell alone: references between objects, territory codes, and that every
quote is found at its place in its source document. It returns the typed document or
raises ``ProgrammeDataError`` listing every problem with its file, line and field.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from suivi.catalogue.interchange import FORMAT
from suivi.catalogue.interchange.fields import read_object
from suivi.catalogue.interchange.reading import Document, ProgrammeDataError, read_document
from suivi.catalogue.interchange.schema import ROOT
from suivi.territories.models import Territory


def fold_whitespace(text: str) -> str:
    return " ".join(text.split())


def resolve_file(name: str) -> Path:
    """Source files are named relative to the repository root (or absolutely)."""
    path = Path(name)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def walk(node: object) -> Iterator[dict]:
    """Every mapping in the typed document, depth first."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "_path":
                yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def _duplicates(doc: Document, items: list[dict], key: str, what: str) -> None:
    counts = Counter(item[key] for item in items if item.get(key) is not None)
    seen: set = set()
    for item in items:
        value = item.get(key)
        if counts[value] > 1 and value in seen:
            doc.error((*item["_path"], key), f"{what} {value!r} appears more than once")
        seen.add(value)


class _Checker:
    def __init__(self, doc: Document, root: dict):
        self.doc, self.root = doc, root
        self.org_slugs = {o["slug"] for o in root["organisations"]}
        self.documents = {d["slug"]: d for d in root["documents"]}
        self.texts: dict[str, list[str]] = {}

    def run(self) -> None:
        root, doc = self.root, self.doc
        if root["format"] not in (None, FORMAT):
            doc.error(("format",), f"{root['format']!r} is not supported (expected {FORMAT!r})")
        _duplicates(doc, root["axes"], "slug", "axis")
        _duplicates(doc, root["decisions"], "number", "decision")
        _duplicates(doc, root["organisations"], "slug", "organisation")
        _duplicates(doc, root["documents"], "slug", "document")
        _duplicates(doc, root["measures"], "slug", "measure")
        initiatives = [i for m in root["measures"] for i in m["initiatives"]]
        _duplicates(doc, initiatives, "slug", "initiative")
        conventions = [c for node in walk(root) for c in node.get("conventions", [])]
        _duplicates(doc, conventions, "slug", "convention")
        fundings = [f for node in walk(root) for f in node.get("fundings", [])]
        _duplicates(doc, [f for f in fundings if f["key"]], "key", "funding key")
        keys = {f["key"] for f in fundings if f["key"]}
        for funding in fundings:
            self.check_refs(funding, "part_of", keys, "funding key")
        self.check_documents()
        self.check_measures()
        self.check_territories()
        self.check_locators()

    def check_documents(self) -> None:
        for document in self.root["documents"]:
            if not document["file"]:
                continue
            path = resolve_file(document["file"])
            where = (*document["_path"], "file")
            if not path.is_file():
                self.doc.error(where, f"{path}: {'a folder, not a file' if path.is_dir() else 'file not found'}")
                continue
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            if document["sha256"] and document["sha256"] != digest:
                self.doc.error((*document["_path"], "sha256"), f"does not match {path} (its SHA-256 is {digest})")
            try:
                self.texts[document["slug"]] = content.decode("utf-8").splitlines()
            except UnicodeDecodeError as exc:
                self.doc.error(where, f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")

    def check_refs(self, node: dict, key: str, known: set, what: str) -> None:
        values = node.get(key)
        for i, value in enumerate(values if isinstance(values, list) else [values]):
            if value is not None and value not in known:
                path = (*node["_path"], key, i) if isinstance(values, list) else (*node["_path"], key)
                self.doc.error(path, f"unknown {what} {value!r}")

    def check_measures(self) -> None:
        axes = {a["slug"] for a in self.root["axes"]}
        decisions = {d["number"] for d in self.root["decisions"]}
        for measure in self.root["measures"]:
            self.check_refs(measure, "axis", axes, "axis")
            self.check_refs(measure, "decisions", decisions, "decision")
            if measure["source"] is None:
                self.doc.error((*measure["_path"], "source"), "every measure needs its source")
            _duplicates(self.doc, measure["indicators"], "slug", "indicator")
            for indicator in measure["indicators"]:
                target = indicator["target"]
                if target and all(target[k] is None for k in ("value", "factor", "increment")):
                    self.doc.error((*target["_path"], "value"), "a target needs a value, a factor or an increment")
                if target and target["increment"] is not None and indicator["baseline"] is None:
                    self.doc.error(
                        (*target["_path"], "increment"), "an increment needs the baseline it adds to (baseline.value)"
                    )
        for node in walk(self.root):
            for key in ("partners", "signatories", "funder"):
                if key in node:
                    self.check_refs(node, key, self.org_slugs, "organisation")

    def check_territories(self) -> None:
        used = []
        for node in walk(self.root):
            for key in ("territory", "territories"):
                values = node.get(key)
                if isinstance(values, list):
                    used.extend(((*node["_path"], key, i), v) for i, v in enumerate(values))
                elif values is not None:
                    used.append(((*node["_path"], key), values))
        known = set(Territory.objects.filter(code__in={v for _, v in used}).values_list("code", flat=True))
        hint = "" if known else " (are territories loaded? run `manage.py load_territories`)"
        for path, value in used:
            if value not in known:
                self.doc.error(path, f"unknown territory code {value!r}{hint}")

    def check_locators(self) -> None:
        default = self.root["documents"][0]["slug"] if self.root["documents"] else None
        for node in walk(self.root):
            locator = node.get("source")
            if not isinstance(locator, dict):
                continue
            path = locator["_path"]
            locator["document"] = locator["document"] or default
            if locator["document"] not in self.documents:
                self.doc.error((*path, "document"), f"unknown document {locator['document']!r}")
                continue
            lines = self.texts.get(locator["document"])
            if lines is None or not locator["lines"]:
                continue
            first, last = locator["lines"]
            if not 1 <= first <= last <= len(lines):
                self.doc.error((*path, "lines"), f"[{first}, {last}] is not a span of lines 1 to {len(lines)}")
                continue
            span = fold_whitespace("\n".join(lines[first - 1 : last]))
            if fold_whitespace(locator["quote"]) not in span:
                self.doc.error((*path, "quote"), f"not found in lines {first}-{last}: {span[:120]!r}…")


def check_document(doc: Document) -> dict:
    root = read_object(doc, doc.data, (), ROOT)
    if root is None or doc.errors:
        raise ProgrammeDataError(doc.errors)
    _Checker(doc, root).run()
    if doc.errors:
        raise ProgrammeDataError(doc.errors)
    return root


def check_file(path: Path) -> dict:
    return check_document(read_document(path))
