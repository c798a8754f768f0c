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
