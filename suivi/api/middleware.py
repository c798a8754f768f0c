"""Headers and errors of the machine-readable parts of the site (API, open data, feeds)."""

from __future__ import annotations

from django.utils.http import http_date

from suivi.api.errors import error_response
from suivi.publication.freshness import last_change

MACHINE_PREFIXES = ("/api/", "/donnees/", "/flux/")


class MachineReadableMiddleware:
    """Last-Modified on successful GETs; JSON bodies for API errors Django answers itself (404, 405)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(MACHINE_PREFIXES):
            return response
        if request.path.startswith("/api/") and response.status_code in (404, 405) and not _is_json(response):
            if response.status_code == 405:
                message = f"Method {request.method} is not allowed here; use {response.get('Allow', 'GET')}."
                return error_response(405, message, Allow=response.get("Allow", "GET"))
            return error_response(404, f"No API resource at {request.path}.")
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Last-Modified")
        ):
            changed = last_change()
            if changed is not None:
                response["Last-Modified"] = http_date(changed.timestamp())
        return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
