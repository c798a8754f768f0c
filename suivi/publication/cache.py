"""Public responses, cached until the published record changes.

Every anonymous GET of a public page, download, feed or API resource is kept in the shared
cache (Redis in production, files under ``var/cache/`` on the embedded default) with the
*version* of the public record it was made from. The write path bumps that version whenever
a change set is written (``data_changed``): at once, inside the transaction, and again once
it commits — so a page made from the old data while the change was being committed cannot
outlive it. A cached response is served only while its version is the current one: after a
publication completes, the next request of any page makes it again; nothing is ever served
stale after that.

A hit costs one round trip to the cache (the version and the page are read together) and
skips the rest of the middleware and the view. Only responses that are the same for everyone
are kept: no session or messages cookie on the request, no cookie set, no CSRF token used,
status 200, not streamed, not marked private. Each carries an ETag and a Last-Modified, so
browsers and proxies revalidate with a conditional GET (``Cache-Control: no-cache``) and get a
304 when nothing changed.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

VERSION_KEY = "suivi:published-version"
# Never cached: people's own pages, the back office, and report downloads (files of their own).
# (Pages with a form are not kept either: they use a CSRF token.)
EXCLUDED_PREFIXES = ("/admin/", "/espace/", "/oidc/", "/static/", "/media/", "/sante/")
EXCLUDED_PARTS = ("/rapport/",)
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "ETag", "Last-Modified", "Vary", "Link")
TIMEOUT = 24 * 3600  # a page not asked for a day leaves the cache; correctness never depends on it


def cache():
    return caches[settings.SUIVI_PAGE_CACHE_ALIAS]


def bump() -> int:
    """A new version of the public record: every cached response made before is out of date."""
    version = time.time_ns()
    cache().set(VERSION_KEY, version, None)
    return version


def bump_now_and_on_commit() -> None:
    bump()
    transaction.on_commit(bump)


def release() -> str:
    """What the code looks like: pages made by another release of it are not served.

    A digest of the names, sizes and times of the project's source files and templates,
    the same in every worker of a deployment (``SUIVI_RELEASE`` overrides it).
    """
    if settings.SUIVI_RELEASE:
        return settings.SUIVI_RELEASE
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".json") and "tests" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _cacheable(request) -> bool:
    if request.method != "GET" or not settings.SUIVI_PAGE_CACHE:
        return False
    path = request.path
    if path.startswith(EXCLUDED_PREFIXES) or any(part in path for part in EXCLUDED_PARTS):
        return False
    # Someone with a session (signed in) or a message waiting sees a page of their own.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class PublicCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.release = release()

    def __call__(self, request):
        if not _cacheable(request):
            return self.get_response(request)
        # The address can be long and hold any character: the key names it by a digest.
        address = "\n".join(
            (
                request.get_host(),
                request.get_full_path(),
                request.headers.get("Accept", "") if request.path.startswith("/api/") else "",
            )
        )
        key = f"page:{self.release}:{hashlib.sha256(address.encode()).hexdigest()}"
        store = cache()
        found = store.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            store.add(VERSION_KEY, time.time_ns(), None)
            version = store.get(VERSION_KEY)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            _, status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["Content-Length"] = str(len(content))
            response["X-Suivi-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response):
            set_response_etag(response)
            if not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date(version / 1e9)
            patch_cache_control(response, public=True, no_cache=True)
            headers = [(name, response[name]) for name in (*KEPT_HEADERS, "Cache-Control") if response.has_header(name)]
            store.set(key, (version, response.status_code, headers, response.content), TIMEOUT)
            response["X-Suivi-Cache"] = "miss"
        return response
