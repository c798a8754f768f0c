"""JSON errors with a clear message, the right status, and the parameter at fault."""

from __future__ import annotations

from django.http import JsonResponse


class ApiError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def error_response(status: int, message: str, parameter: str | None = None, **headers) -> JsonResponse:
    body = {"error": {"status": status, "message": message, "parameter": parameter}}
    return JsonResponse(body, status=status, headers=headers, json_dumps_params={"ensure_ascii": False})


def validation_message(errors: list[dict]) -> tuple[str, str | None]:
    """The first of pydantic's errors as one sentence naming the parameter."""
    first = errors[0]
    location = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "params", "filters")]
    parameter = location[-1] if location else None
    message = first.get("msg", "invalid value")
    if parameter:
        return f"Invalid value for parameter '{parameter}': {message}.", parameter
    return f"Invalid request: {message}.", None
