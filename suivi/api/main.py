"""The API object: version 1, its OpenAPI document, and JSON errors."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from suivi.api.endpoints import router
from suivi.api.errors import ApiError, error_response, validation_message


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
        "conditional GET."
    ),
    urls_namespace="api-v1",
)
api.add_router("/", router)


@api.exception_handler(ValidationError)
def bad_parameter(request, exc: ValidationError):
    message, parameter = validation_message(exc.errors)
    return error_response(400, message, parameter)


@api.exception_handler(ApiError)
def api_error(request, exc: ApiError):
    return error_response(exc.status, exc.message, exc.parameter)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return error_response(404, "Not found.")
