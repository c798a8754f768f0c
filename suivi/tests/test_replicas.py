"""Reads on a PostgreSQL streaming replica: which requests go there, and a real replica made
with pg_basebackup on a loopback port — public pages read it, a write on the primary shows
there, and when it stops the site reads the primary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.test import RequestFactory

from suivi import db_router
from suivi.browser import MANAGE, free_port, psql, wait_for

REPLICA_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-replica.sh"


@pytest.fixture
def one_replica():
    with mock.patch.object(db_router, "replicas", return_value=["replica_0"]):
        db_router._down_until.clear()
        yield
        db_router._down_until.clear()


def test_anonymous_reads_go_to_a_replica(one_replica):
    assert db_router.choose(RequestFactory().get("/programmes/ciec/")) == "replica_0"


@pytest.mark.parametrize(
    ("method", "cookies"),
    [("post", {}), ("get", {"sessionid": "x"}), ("get", {db_router.WROTE_COOKIE: "1"})],
    ids=["a write", "someone signed in", "someone who just wrote"],
)
def test_writes_and_the_reads_of_writers_stay_on_the_primary(one_replica, method, cookies):
    request = getattr(RequestFactory(), method)("/espace/")
    request.COOKIES.update(cookies)
    assert db_router.choose(request) == "default"


def test_a_replica_set_aside_is_not_read_until_its_time_is_up(one_replica):
    db_router.set_aside("replica_0", RuntimeError("down"))
    assert db_router.choose(RequestFactory().get("/")) == "default"
    db_router._down_until["replica_0"] = time.monotonic() - 1
    assert db_router.choose(RequestFactory().get("/")) == "replica_0"


def test_the_router_writes_and_migrates_on_the_primary_only():
    router = db_router.ReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"  # outside a request (commands, workers)
    assert router.allow_migrate("replica_0", "catalogue") is False


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.subprocess
def test_a_real_streaming_replica_serves_public_reads_and_the_primary_takes_over(tmp_path):
    name = f"suivi_replica_{uuid.uuid4().hex[:8]}"
    folder = Path(f"/tmp/{name}")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "SECRET_KEY": "replica-test",
        "SECURE_COOKIES": "false",
        "SUIVI_VAR_DIR": str(tmp_path),
        "SUIVI_PAGE_CACHE": "false",  # every request reads the database
    }
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    server = None
    try:
        subprocess.run([sys.executable, str(MANAGE), "migrate", "-v", "0"], env=env, check=True, timeout=300)
        subprocess.run([str(REPLICA_SCRIPT), "start", str(folder), str(port)], check=True, capture_output=True)
        assert psql("SELECT pg_is_in_recovery()", port) == "t"
        replica = f"postgres://postgres@127.0.0.1:{port}/{name}?application_name={name}"
        web = free_port()
        server = subprocess.Popen(
            [sys.executable, str(MANAGE), "runserver", f"127.0.0.1:{web}", "--noreload"],
            env=env | {"DATABASE_REPLICA_URLS": replica},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{web}"
        wait_for(base + "/sante/")

        assert get(base + "/recherche/?q=chateauroux") == 200
        sessions = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}' AND application_name = '{name}'"
        assert int(psql(sessions, port)) >= 1  # the public page was read on the replica

        # A write on the primary is visible through the replica.
        assert get(base + "/programmes/ciec/") == 404
        write = (
            "from suivi.factories import ProgrammeFactory; ProgrammeFactory(slug='ciec', name='Écrit sur le primaire')"
        )
        subprocess.run(
            [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", write], env=env, check=True, timeout=300
        )
        deadline = time.monotonic() + 10
        while get(base + "/programmes/ciec/") != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert get(base + "/programmes/ciec/") == 200

        # The replica stops: the site reads the primary.
        subprocess.run([str(REPLICA_SCRIPT), "stop", str(folder)], check=True, capture_output=True)
        assert get(base + "/programmes/ciec/") == 200
        assert get(base + "/recherche/?q=primaire") == 200
        assert get(base + "/api/v1/programmes") == 200
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        subprocess.run([str(REPLICA_SCRIPT), "stop", str(folder)], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)
