"""Throughput and latency of the public side under load, against a bare Django view and nginx.

Suivi runs under gunicorn with the production settings (PostgreSQL, Redis, gunicorn.conf.py),
in a process of its own; wrk (Debian's package) loads it from another process, on loopback,
each run bounded in time. For each page the script prints requests per second, p50/p95/p99
latency, and the throughput as a ratio to (a) the bare view ``/sante/`` under the same server
settings and (b) nginx serving a static copy of the same page from disk. Then 200 concurrent
clients for 60 s over all the pages: the goal is zero errors. Exit code 1 if a goal is missed
(cached pages ≥ 0.5× the bare view, p95 < 100 ms, no error).

    make serve-prod   # once: loads PostgreSQL (then stop it with Ctrl-C)
    .venv/bin/python bench/load.py              # 10 s per page, WEB_CONCURRENCY=2
    LOAD_SECONDS=5 STRESS_SECONDS=20 .venv/bin/python bench/load.py

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/suivi), REDIS_URL
(default redis://127.0.0.1:6379/0), WEB_CONCURRENCY (2), LOAD_CONNECTIONS (20).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
STRESS_SECONDS = int(os.environ.get("STRESS_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "20"))
PAGES = [
    ("bare Django view", "/sante/"),
    ("home", "/"),
    ("measure", "/programmes/ciec/mesures/reseau-des-conservatoires/"),
    ("département (Indre)", "/territoires/dep-36/"),
    ("values API", "/api/v1/observations?programme=barometre&territory=dep:36"),
]
# Prints the figures wrk measured as one JSON line (wrk's --latency has no 95th percentile).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""
# The stress run: every page in turn, from every connection.
STRESS_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def wrk(url: str, seconds: int, connections: int, script: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name, url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    figures = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["errors"] += int(non_2xx.group(1)) if non_2xx else 0
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def start_gunicorn(port: int, **extra: str) -> subprocess.Popen:
    env = (
        os.environ
        | extra
        | {
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/suivi"),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "SECRET_KEY": "load-benchmark-only",
            "SECURE_COOKIES": "false",
            "PORT": str(port),
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        }
    )
    return subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_nginx(base: str, folder: Path) -> tuple[subprocess.Popen, int]:
    """nginx serving a copy of each page, fetched once from Suivi, as files."""
    folder.chmod(0o755)  # nginx's workers run as www-data; a temporary folder is private
    for _, path in PAGES:
        target = folder / "site" / (path.strip("/").replace("?", "_") or "index") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(urllib.request.urlopen(base + path).read())
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(
        f"""worker_processes 2; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type text/html; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp; fastcgi_temp_path {folder}/tmp;
  uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
  server {{ listen 127.0.0.1:{port}; root {folder}/site;
    location / {{ try_files /$uri$is_args$args/index.html $uri/index.html =404; }} }} }}
"""
    )
    (folder / "tmp").mkdir()
    process = subprocess.Popen(["nginx", "-c", str(config)], stderr=subprocess.DEVNULL)
    return process, port


def uncached(bare: float) -> None:
    """The same pages with the public cache switched off: what the cache buys."""
    port = free_port()
    server = start_gunicorn(port, SUIVI_PAGE_CACHE="false")
    try:
        wait_for(f"http://127.0.0.1:{port}/sante/")
        print(f"\nWith the public cache off (SUIVI_PAGE_CACHE=false), {SECONDS} s per page:")
        print(f"{'page':22} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'× bare':>7}")
        for name, path in PAGES[1:]:
            figures = wrk(f"http://127.0.0.1:{port}{path}", SECONDS, CONNECTIONS, WRK_SCRIPT)
            print(
                f"{name:22} {figures['rps']:8.0f} {figures['p50']:7.1f} {figures['p95']:7.1f} "
                f"{figures['rps'] / bare:7.3f}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def static_path(path: str) -> str:
    return "/" + (path.strip("/").replace("?", "_") or "index") + "/"


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    missed = 0
    try:
        wait_for(base + "/sante/")
        for _, path in PAGES:  # warm the cache
            urllib.request.urlopen(base + path).read()
        with tempfile.TemporaryDirectory() as folder:
            nginx, nginx_port = start_nginx(base, Path(folder))
            try:
                wait_for(f"http://127.0.0.1:{nginx_port}/index/")
                print(
                    f"wrk, {CONNECTIONS} connections, {SECONDS} s per page, gunicorn with "
                    f"{os.environ.get('WEB_CONCURRENCY', '2')} sync workers, PostgreSQL + Redis\n"
                )
                header = (
                    f"{'page':22} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'× bare':>7} "
                    f"{'nginx req/s':>11} {'× nginx':>8}"
                )
                print(header)
                bare = None
                for name, path in PAGES:
                    figures = wrk(base + path, SECONDS, CONNECTIONS, WRK_SCRIPT)
                    static = wrk(f"http://127.0.0.1:{nginx_port}{static_path(path)}", SECONDS, CONNECTIONS, WRK_SCRIPT)
                    bare = bare or figures["rps"]
                    ratio = figures["rps"] / bare
                    if path != "/sante/":
                        missed += ratio < 0.5 or figures["p95"] > 100 or figures["errors"] > 0
                    print(
                        f"{name:22} {figures['rps']:8.0f} {figures['p50']:7.1f} {figures['p95']:7.1f} "
                        f"{figures['p99']:7.1f} {ratio:7.2f} {static['rps']:11.0f} "
                        f"{figures['rps'] / static['rps']:8.3f}"
                        + (f"  {figures['errors']} errors" if figures["errors"] else "")
                    )
            finally:
                nginx.send_signal(signal.SIGQUIT)
                nginx.wait(timeout=10)
        uncached(bare)
        paths = ", ".join(json.dumps(path) for _, path in PAGES[1:])
        stress = wrk(base + "/", STRESS_SECONDS, 200, WRK_SCRIPT + STRESS_SCRIPT % paths)
        missed += stress["errors"] > 0
        print(
            f"\n200 clients, {STRESS_SECONDS} s, every page in turn: {stress['requests']} requests, "
            f"{stress['rps']:.0f} req/s, p95 {stress['p95']:.1f} ms, p99 {stress['p99']:.1f} ms, "
            f"{stress['errors']} errors"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
