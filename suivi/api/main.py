"""The API object: version 1, its OpenAPI document, and JSON errors."""

import logging

from django.core.exceptions import ValidationError as ModelValidationError
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from suivi.api import writes
from suivi.api.endpoints import router
from suivi.api.errors import ApiError, error_response, validation_message
from suivi.contributions.rights import NotAllowed
from suivi.contributions.services import Conflict


class Utf8JSONRenderer(JSONRenderer):
    """JSON with French text as it is written, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Suivi API",
    version="1",
    description=(
        "Read API of Suivi: programmes, axes, decisions, measures, indicators and their values by territory, "
        "local initiatives, organisations, funding lines, territories (INSEE COG) and sources. "
        "Lists are paginated (`page`, `page_size`) in a stable order. Territory codes are typed: `fr`, `reg:52`, "
        "`dep:36`, `com:36044`, `epci:<siren>`. Errors are JSON objects with an `error` holding `status`, "
        "`message` and `parameter`. Open for GET from any origin (CORS); `ETag` and `Last-Modified` allow "
        "conditional GET. Writes (POST, PUT) need a bearer token made in the contributor space "
        "(`Authorization: Bearer suivi_…`) and act with its owner's rights: a contributor's values and "
        "initiatives are drafts until a reviewer validates and publishes them; 409 answers a stale `version`."
    ),
    urls_namespace="api-v1",
    docs_url="/swagger/",  # /api/v1/docs is the site's own French page (suivi.api.docs)
)
api.add_router("/", router)  # reads, and the writes of ``writes`` (same router, same paths)


@api.exception_handler(ValidationError)
def bad_parameter(request, exc: ValidationError):
    message, parameter = validation_message(exc.errors)
    return error_response(400, message, parameter)


@api.exception_handler(ApiError)
def api_error(request, exc: ApiError):
    return error_response(exc.status, exc.message, exc.parameter)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error_response(401, "A valid API token is required: header 'Authorization: Bearer <token>'.")


@api.exception_handler(NotAllowed)
def not_allowed(request, exc: NotAllowed):
    return error_response(403, str(exc))


@api.exception_handler(ModelValidationError)
def invalid(request, exc: ModelValidationError):
    message, parameter = writes.validation_error_message(exc)
    return error_response(400, message, parameter)


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    body = {
        "error": {
            "status": 409,
            "message": str(exc),
            "current_version": exc.current_version,
            "fields": [vars(f) for f in exc.fields],
        }
    }
    return JsonResponse(body, status=409, json_dumps_params={"ensure_ascii": False})


@api.exception_handler(DatabaseError)
def database_unavailable(request, exc: DatabaseError):
    """The database cannot be reached (or failed): 503, to be retried, as the pages say it."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return unexpected(request, exc)
    logging.getLogger("suivi.api").error("Database unavailable on %s: %s", request.path, exc)
    from suivi.db_router import _reading

    request.database_unavailable = _reading.get()  # a replica's failure is retried on the primary
    return error_response(503, "The database is unavailable; try again shortly.", **{"Retry-After": "30"})


@api.exception_handler(Exception)
def unexpected(request, exc: Exception):
    """An API error that is not the caller's still answers JSON; the trace goes to the log."""
    logging.getLogger("suivi.api").exception("Unexpected error on %s", request.path)
    return error_response(500, "Internal server error.")


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return error_response(404, "Not found.")
