"""Error pages: DSFR pages for people, JSON for the API; and the guard against malformed requests."""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from suivi.api.errors import error_response

logger = logging.getLogger(__name__)

PAGES = {
    400: (_("Requête incorrecte"), _("L’adresse demandée contient des caractères qui ne sont pas acceptés.")),
    403: (_("Accès refusé"), _("Vous n’avez pas le droit d’accéder à cette page.")),
    404: (
        _("Page non trouvée"),
        _("La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."),
    ),
    500: (
        _("Erreur inattendue"),
        _(
            "Désolé, le service rencontre un problème ; "
            "nous y travaillons pour le résoudre le plus rapidement possible."
        ),
    ),
}
API_MESSAGES = {400: "Malformed request.", 403: "Forbidden.", 404: "Not found.", 500: "Internal server error."}


def _answer(request, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(status, API_MESSAGES[status])
    title, message = PAGES[status]
    context = {"title": title, "message": message, "status": status}
    try:
        return render(request, "ui/error.html", context, status=status)
    except Exception:  # the page itself failed (the database is down…): a plain answer, never a trace
        logger.exception("The %s page could not be rendered", status)
        return HttpResponse(f"{status} — {title}. {message}", status=status, content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    return _answer(request, 400)


def permission_denied(request, exception=None):
    return _answer(request, 403)


def page_not_found(request, exception=None):
    return _answer(request, 404)


def server_error(request):
    return _answer(request, 500)


class DatabaseUnavailableMiddleware:
    """The database cannot be reached: a DSFR "service momentanément indisponible" page (503, with
    Retry-After), never a trace. The page is rendered without the request's context processors,
    which read the database. Django drops a broken connection when the request ends (its
    request_finished hook), so the next request connects again: the site recovers by itself.
    (Pages in the public cache are still served meanwhile: the cache sits before this.)"""

    RETRY_AFTER = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db.utils import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        from suivi.db_router import _reading

        request.database_unavailable = _reading.get()  # a replica's failure is retried on the primary
        if request.path.startswith("/api/"):
            response = error_response(503, "The database is unavailable; try again shortly.")
        else:
            response = HttpResponse(render_to_string("ui/unavailable.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response


class RejectMalformedMiddleware:
    """A NUL byte in the path or the query string is refused with a 400 before any view runs.

    PostgreSQL cannot hold a NUL in text, so such a value would reach a query and fail there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path and request.path.startswith("/api/"):
            return page_not_found(request)  # no API resource has a NUL in its name
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            response = bad_request(request)
            return response if response.status_code == 400 else HttpResponseBadRequest()
        return self.get_response(request)
