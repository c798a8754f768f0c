"""Shared by the tests that run real things: a server of its own, Debian's Chromium, axe-core,
screenshots, the local PostgreSQL cluster.

The fixtures live in ``suivi/conftest.py``; the helpers here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
MANAGE = Path(settings.BASE_DIR) / "manage.py"


class Site(str):
    """The server's base URL, with its data folder (the demo accounts' password is there)."""

    def __new__(cls, base: str, var: Path):
        site = super().__new__(cls, base)
        site.var = var
        return site

    @property
    def password(self) -> str:
        return (self.var / "demo_password").read_text().strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    """Wait until a server just started answers ``url``; fail the test if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {seconds} s")


def psql(sql: str, port: int = 5432) -> str:
    """Run ``sql`` on the local PostgreSQL cluster (or the one on ``port``) as its superuser."""
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _site_env(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return env | {"SUIVI_VAR_DIR": str(var), "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}


@pytest.fixture(scope="session")
def site_data(tmp_path_factory) -> Path:
    """A data folder with the territories, the CIEC programme and the demo accounts, built once."""
    var = tmp_path_factory.mktemp("site-data")
    commands = (["migrate", "--no-input"], ["load_territories"], ["load_programme", "ciec"], ["create_demo_accounts"])
    for command in commands:
        subprocess.run([sys.executable, MANAGE, *command, "-v", "0"], env=_site_env(var), check=True, timeout=300)
    return var


@pytest.fixture(scope="module")
def site(site_data, tmp_path_factory):
    """The base URL of a server holding the territories and the CIEC programme: each test
    module gets its own copy of the data, so what one module writes never reaches another."""
    var = tmp_path_factory.mktemp("site")
    shutil.copytree(site_data, var, dirs_exist_ok=True)
    env = _site_env(var)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        yield Site(base, var)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # What the Content-Security-Policy refused: Chromium reports it on the console.
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.errors = errors
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, not added as a <script>: the page's CSP refuses
    # inline scripts, and rightly so.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)
        }))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SUIVI_SCREENSHOTS_DIR")
    if folder:
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)


def visit(page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return response
