"""Test set-up shared by every app.

The test database (SQLite or PostgreSQL, whichever ``DATABASE_URL`` names) gets
France's territories once per session: they are reference data every other test
stands on. Outbound network access is refused: tests talk to local services only.
"""

import ipaddress
import socket

import pytest
from django.core.management import call_command


def pytest_configure(config):
    # Accounts made by factories need no costly hashing (PBKDF2 takes ~0.3 s per password here);
    # the login tests still go through Django's real authentication with this hasher.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test process keeps its cache in memory (the SQLite and PostgreSQL passes run side by
    # side, and a development server may share var/cache/); it is emptied before every test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The PostgreSQL pass runs with production-like settings (DATABASE_URL, SECRET_KEY), which
    # redirect HTTP to HTTPS; the test client speaks plain HTTP. The redirect itself is checked
    # by `check --deploy` in a process of its own (suivi/tests/test_project.py).
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_territories", verbosity=0)


@pytest.fixture(scope="module")
def ciec_for_module(django_db_setup, django_db_blocker):
    """The CIEC programme, loaded once for a whole test module.

    A module asks for it with ``pytestmark = pytest.mark.usefixtures("ciec_for_module")``. The
    load runs in a transaction that the module's test cases nest in (their own transactions
    become savepoints, rolled back after each class and test as usual); that transaction is
    rolled back after the module's last test. Only for modules of ``TestCase`` and ``db``
    tests: a ``TransactionTestCase`` would flush it.

    ``TestCase.tearDownClass`` closes the connection after each class, which on PostgreSQL
    would end that transaction (SQLite's in-memory database is never closed): closing is a
    no-op for the module's duration.
    """
    from unittest import mock

    from django.db import connection, transaction

    from suivi.catalogue.interchange.loading import load_programme_file
    from suivi.catalogue.management.commands._programmes import programme_file

    with django_db_blocker.unblock(), mock.patch.object(connection, "close"):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_programme_file(programme_file("ciec"))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise RuntimeError(f"Tests may not reach the network ({host}).")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture(autouse=True)
def _no_outbound_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
