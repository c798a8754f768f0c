"""The public site as static files (``manage.py export_site DIR``), for any web server or a CDN.

Pages are rendered by the site itself (Django's test client, in process, as an anonymous
visitor) and followed link by link from the home page, the programmes, the mandatory pages
and every territory that has content (values or initiatives, and the territories above them).
Each page is written as ``path/index.html``; downloads, feeds and the API's JSON under their
own names. Links to what the static site cannot serve — a territory page with nothing on it,
a filtered list, the contributor space, a report made on demand — are turned into plain text,
so every remaining link works. The search page searches a prebuilt index in the browser.

Re-exporting writes only the files whose bytes changed, and removes those no longer part of
the site (a manifest, ``.suivi-export.json``, remembers what was written); every file is
written whole through a temporary file, so a full disk leaves no truncated file behind.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from suivi.catalogue.models import Programme
from suivi.indicators.models import Observation
from suivi.initiatives.models import Initiative
from suivi.search.models import SearchEntry
from suivi.territories.models import Territory

MANIFEST = ".suivi-export.json"
HREF = re.compile(r'href="([^"]*)"')
LINK = re.compile(r"<a\b([^>]*?)\shref=\"([^\"]*)\"([^>]*)>(.*?)</a>", re.DOTALL)
NOT_FOLLOWED = ("/espace/", "/admin/", "/oidc/", "/static/", "/media/", "/sante/", "/suggerer-une-initiative/")
API_RESOURCES = ("axes", "decisions", "measures", "indicators", "initiatives", "fundings", "observations")
SEARCH_SCRIPT = "suivi/recherche-statique.js"


@dataclass
class Export:
    folder: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    files: dict[str, str] = field(default_factory=dict)  # relative path → sha256
    previous: dict[str, str] = field(default_factory=dict)

    def put(self, relative: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.files[relative] = digest
        target = self.folder / relative
        if self.previous.get(relative) == digest and target.is_file():
            self.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.written += 1


def file_for(path: str) -> str:
    """``/programmes/ciec/`` → ``programmes/ciec/index.html``; ``/donnees/x.csv`` → ``donnees/x.csv``."""
    relative = path.lstrip("/")
    return relative + "index.html" if (not relative or relative.endswith("/")) else relative


def territories_with_content() -> set[str]:
    """Slugs of the territory pages worth a file: values or initiatives there, and everything above."""
    # order_by(): a model's default ordering would join the DISTINCT (one row per value, not per place).
    codes = set(Observation.objects.public().order_by().values_list("territory_id", flat=True).distinct())
    codes |= set(Initiative.objects.public().order_by().values_list("territories", flat=True).distinct())
    codes.discard(None)
    places = {t.code: t for t in Territory.objects.filter(code__in=codes).select_related("parent")}
    wanted = set()
    for territory in places.values():
        wanted.add(territory.slug)
        wanted.update(t.slug for t in territory.ancestors())
    return wanted


def site(folder: Path, progress=None) -> Export:
    progress = progress or (lambda done, queued: None)
    folder.mkdir(parents=True, exist_ok=True)
    export = Export(folder)
    manifest = folder / MANIFEST
    if manifest.is_file():
        export.previous = json.loads(manifest.read_text(encoding="utf-8"))
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
    territories = {f"/territoires/{slug}/" for slug in territories_with_content()}
    programmes = list(Programme.objects.public().order_by("slug"))
    seeds = ["/", "/plan-du-site/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/carte/"]
    seeds += ["/recherche/", "/donnees/", "/methode/", "/api/v1/docs"]
    seeds += [reverse("publication:programme", args=[p.slug]) for p in programmes] + sorted(territories)
    pages = _crawl(client, seeds, territories, progress)
    exported = set(pages)
    for path, (content_type, body) in pages.items():
        if content_type.startswith("text/html"):
            body = _static_links(body.decode("utf-8"), exported, path).encode("utf-8")
        export.put(file_for(path), body)
    _api(client, export, programmes)
    export.put("recherche/index.json", _search_index(exported))
    _static_files(export)
    for stale in set(export.previous) - set(export.files):
        (folder / stale).unlink(missing_ok=True)
        export.removed += 1
    manifest.write_text(json.dumps(export.files, sort_keys=True, indent=0), encoding="utf-8")
    return export


def _crawl(client, seeds, territories, progress) -> dict[str, tuple[str, bytes]]:
    pages: dict[str, tuple[str, bytes]] = {}
    queue, seen = deque(seeds), set(seeds)
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.streaming:
            continue
        content_type = response.get("Content-Type", "")
        pages[path] = (content_type, response.content)
        progress(len(pages), len(queue))
        if not content_type.startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode("utf-8")):
            target = html.unescape(href).split("#", 1)[0]
            if _followed(target, territories) and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages


def _followed(target: str, territories: set[str]) -> bool:
    if not target.startswith("/") or target.startswith("//") or "?" in target:
        return False
    if target.startswith(NOT_FOLLOWED) or "/rapport/" in target:
        return False
    return not target.startswith("/territoires/") or target in territories


def _static_links(page: str, exported: set[str], here: str) -> str:
    """Links to pages that are not in the export become text; the search page searches in the browser."""

    def keep(match: re.Match) -> str:
        before, href, after, inner = match.groups()
        target = html.unescape(href).split("#", 1)[0]
        if not target or not target.startswith("/") or target.startswith("/static/") or target in exported:
            return match.group(0)
        if "suivi-map__link" in before + after:
            return f"<g>{inner}</g>"  # inside a map's SVG, where a <span> would end the drawing
        return f"<span{before}{after}>{inner}</span>"

    page = LINK.sub(keep, page)
    if here == "/recherche/":
        script = f'<script type="module" src="/{settings.STATIC_URL.strip("/")}/{SEARCH_SCRIPT}"></script>'
        page = page.replace("</body>", script + "</body>")
    return page


def _api(client, export: Export, programmes) -> None:
    """The API's JSON for published data: every list of every programme, whole, one file each."""
    listing = client.get("/api/v1/programmes?page_size=500").json()
    export.put("api/v1/programmes.json", _json(listing["results"]))
    for programme in programmes:
        for resource in API_RESOURCES:
            results, page = [], 1
            while True:
                answer = client.get(f"/api/v1/{resource}?programme={programme.slug}&page_size=500&page={page}").json()
                results.extend(answer["results"])
                if not answer.get("next"):
                    break
                page += 1
            export.put(f"api/v1/{programme.slug}/{resource}.json", _json(results))


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _search_index(exported: set[str]) -> bytes:
    """What the static search page searches: the entries whose page is in the export."""
    entries = [
        {"t": e.title, "u": e.url, "k": e.get_kind_display(), "d": e.detail, "f": e.folded}
        for e in SearchEntry.objects.order_by("-boost", "title")
        if e.url.split("#", 1)[0] in exported
    ]
    return _json(entries)


def _static_files(export: Export) -> None:
    """The style sheets, scripts, fonts and icons the pages use, as collectstatic would gather them."""
    done: set[str] = set()
    for finder in finders.get_finders():
        for relative, storage in finder.list(["*.map", "*.md", "*.scss", "*.ts"]):
            prefix = getattr(storage, "prefix", None)  # ("dsfr-chart", folder) in STATICFILES_DIRS
            name = f"{prefix}/{relative}" if prefix else relative
            if name in done:  # the first finder wins, as in collectstatic
                continue
            done.add(name)
            with storage.open(relative) as handle:
                export.put(f"static/{name}", handle.read())
