"""Health checks for a load balancer or a supervisor: alive, and ready to serve."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse


def alive(request):
    """The process answers (no database, no cache): the cheapest Django view there is.

    The load benchmark uses it as its baseline, "a bare Django view under the same settings"."""
    return HttpResponse("ok", content_type="text/plain")


def ready(request):
    """The database and the cache answer: 200, else 503 with what is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means "not ready"
        checks["database"] = f"indisponible : {type(exc).__name__}"
    try:
        cache.set("suivi:ready", 1, 10)
        checks["cache"] = "ok" if cache.get("suivi:ready") == 1 else "indisponible"
    except Exception as exc:
        checks["cache"] = f"indisponible : {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
