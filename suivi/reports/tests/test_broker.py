"""Background work on a real broker: the same tasks, queued in Redis with RQ (TASKS_BACKEND=rq)
and run by `manage.py rqworker`, as a production set-up with several machines would."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from suivi.browser import MANAGE, _site_env

pytestmark = pytest.mark.subprocess

REDIS_DB = 14  # a database of the local Redis of its own, emptied first


def manage(env, *args: str) -> str:
    result = subprocess.run([sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_a_report_is_queued_in_redis_and_made_by_an_rq_worker(site_data, tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(site_data, folder)
    env = _site_env(folder) | {"TASKS_BACKEND": "rq", "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}"}
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True)
    queued = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from suivi.reports import services; f = services.request('ciec', 'html'); print(f.pk, f.state)",
    )
    pk, state = queued.split()
    assert state == "queued"
    assert (
        int(
            subprocess.run(
                ["redis-cli", "-n", str(REDIS_DB), "llen", "rq:queue:default"], capture_output=True, text=True
            ).stdout
        )
        == 1
    )
    manage(env, "rqworker", "--job-class", "django_tasks_rq.Job", "--burst", "default")
    done = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        f"from suivi.reports.models import ReportFile; f = ReportFile.objects.get(pk={pk}); print(f.state, f.path)",
    )
    state, path = done.split()
    assert state == "done"
    assert "Développer les mesures judiciaires" in (folder / "media" / path).read_text(encoding="utf-8")
