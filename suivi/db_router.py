"""Reads on PostgreSQL streaming replicas, writes on the primary (``DATABASE_REPLICA_URLS``).

A request that only reads and comes from no one signed in (the public) reads a replica; every
write goes to the primary, and so do the reads of a request that writes (POST…), of anyone with
a session (contributors and the team see their own changes at once, replication lag or not),
and of anyone who wrote in the last seconds (a cookie, for the public's suggestion form). A
replica that cannot be reached is set aside for a while and the request reads the primary;
one that fails in the middle of a request makes that request start again on the primary.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.utils.connection import ConnectionDoesNotExist

PRIMARY = "default"
WROTE_COOKIE = "suivi_ecriture"  # "this browser wrote a moment ago": read the primary
WROTE_SECONDS = 10
DOWN_SECONDS = 30
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

logger = logging.getLogger(__name__)
_reading: ContextVar[str] = ContextVar("suivi_reading", default=PRIMARY)
_down_until: dict[str, float] = {}


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def reads_primary(request) -> bool:
    return (
        request.method not in SAFE_METHODS
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or WROTE_COOKIE in request.COOKIES
    )


def choose(request) -> str:
    """The database this request reads."""
    if reads_primary(request):
        return PRIMARY
    now = time.monotonic()
    healthy = [alias for alias in replicas() if _down_until.get(alias, 0) <= now]
    return random.choice(healthy) if healthy else PRIMARY


def set_aside(alias: str, error: Exception) -> None:
    logger.warning("Replica %s set aside for %d s: %s", alias, DOWN_SECONDS, error)
    _down_until[alias] = time.monotonic() + DOWN_SECONDS
    with contextlib.suppress(DatabaseError, ConnectionDoesNotExist):
        connections[alias].close()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reading.get()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas():
            return self.get_response(request)
        alias = choose(request)
        if alias != PRIMARY:
            try:
                connections[alias].ensure_connection()
            except (OperationalError, InterfaceError) as error:
                set_aside(alias, error)
                alias = PRIMARY
        response = self._read_from(alias, request)
        if alias != PRIMARY and getattr(request, "database_unavailable", None) == alias:
            # The replica failed during the request: the same (read-only) request, on the primary.
            set_aside(alias, RuntimeError("failed during a request"))
            request.database_unavailable = None
            response = self._read_from(PRIMARY, request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(WROTE_COOKIE, "1", max_age=WROTE_SECONDS, httponly=True, samesite="Lax")
        return response

    def _read_from(self, alias: str, request):
        token = _reading.set(alias)
        try:
            return self.get_response(request)
        finally:
            _reading.reset(token)
