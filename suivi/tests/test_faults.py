"""Faults, for real: a server whose PostgreSQL database stops accepting connections answers a
DSFR 503 (pages) or a JSON 503 (API), still serves what it has in its cache, and recovers by
itself when the database is back. A real server process, a real database of its own (whose
connections are refused, then allowed again, with `ALTER DATABASE … ALLOW_CONNECTIONS`)."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest

from suivi.browser import MANAGE, free_port, psql, wait_for

pytestmark = pytest.mark.subprocess


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


@pytest.fixture
def server(tmp_path):
    name = f"suivi_fault_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "SECRET_KEY": "fault-test",
        "SECURE_COOKIES": "false",
        "SUIVI_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run([sys.executable, str(MANAGE), "migrate", "-v", "0"], env=env, check=True, timeout=300)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(MANAGE), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/sante/")
        yield base, name
    finally:
        process.terminate()
        process.wait(timeout=10)
        psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


def test_the_database_going_away_gives_a_503_and_the_site_comes_back_with_it(server):
    base, name = server
    assert get(base + "/plan-du-site/")[0] == 200  # now in the cache
    assert get(base + "/sante/pret/")[0] == 200

    psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    status, headers, body = get(base + "/recherche/?q=paris")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Service momentanément indisponible" in body
    assert "Traceback" not in body and "psycopg" not in body
    status, _, body = get(base + "/api/v1/programmes")
    assert status == 503 and '"status": 503' in body
    ready = get(base + "/sante/pret/")
    assert ready[0] == 503 and "indisponible" in ready[2]
    assert get(base + "/plan-du-site/")[0] == 200  # served from the cache meanwhile
    assert get(base + "/sante/")[0] == 200  # the process itself is alive

    psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    assert get(base + "/recherche/?q=paris")[0] == 200
    assert get(base + "/api/v1/programmes")[0] == 200
    assert get(base + "/sante/pret/")[0] == 200
