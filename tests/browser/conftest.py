"""Browser fixtures: a demo city in a fresh data folder, served by granian, driven by Chromium.

Run with `uv run pytest -m browser tests/browser`. Needs Debian's Chromium at /usr/bin/chromium
(or LINLI_CHROMIUM) and a CJK font (`apt-get install chromium fonts-wqy-microhei`).
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from linli.core.server import demo_serving_threads, granian_command

ROOT = Path(__file__).resolve().parents[2]
# CI runs the browser tests in two shards side by side: each keeps its own folder (the fixture
# below empties its folder at the start of a session)
SCREENSHOTS = Path(os.environ.get("LINLI_SCREENSHOTS_DIR") or ROOT / "test-artifacts" / "screenshots")
CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class DemoSite:
    url: str
    data_dir: Path
    accounts: dict[str, str]

    def password(self, username: str) -> str:
        return self.accounts[username]


def _linli_command() -> list[str]:
    script = Path(sys.executable).with_name("linli")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from linli.config.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"granian exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url}/healthz did not answer 200 within {seconds}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Iterator[DemoSite]:
    """A demo city built for this session; or, when LINLI_BROWSER_DEMO_DIR names a data folder that
    `linli demo --no-serve --residents 300` already filled (while developing, or on a loaded
    machine), that one served as it is."""
    prepared = os.environ.get("LINLI_BROWSER_DEMO_DIR")
    data_dir = Path(prepared) if prepared else tmp_path_factory.mktemp("linli-demo")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.config.settings",
        "LINLI_DATA_DIR": str(data_dir),
        "LINLI_TASK_BACKEND": "immediate",
        "LINLI_LOG_FORMAT": "text",
        "LINLI_LOG_LEVEL": "WARNING",
    }
    env.pop("LINLI_DATABASE_URL", None)
    env.pop("LINLI_REDIS_URL", None)
    if not prepared:
        subprocess.run(
            [*_linli_command(), "demo", "--no-serve", "--residents", "300"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=900,
        )
    accounts = json.loads((data_dir / "demo-accounts.json").read_text())
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = data_dir / "granian.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            # served as `linli demo` serves it
            granian_command(host="127.0.0.1", port=port, blocking_threads=demo_serving_threads()),
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, server, log)
        yield DemoSite(url=url, data_dir=data_dir, accounts=accounts)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium fonts-wqy-microhei")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _context(browser, demo_site, viewport, locale):
    return browser.new_context(
        base_url=demo_site.url,
        viewport=viewport,
        locale=locale,
        extra_http_headers={"Accept-Language": locale},
        device_scale_factor=1,
    )


@pytest.fixture
def phone(browser, demo_site):
    """A fresh page on a 390px-wide phone, Chinese by default; console errors fail the test."""
    context = _context(browser, demo_site, PHONE, "zh-CN")
    page = context.new_page()
    errors = _collect_errors(page)
    yield page
    context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.fixture
def desktop(browser, demo_site):
    """A fresh page on a 1280px-wide screen, Chinese by default; console errors fail the test."""
    context = _context(browser, demo_site, DESKTOP, "zh-CN")
    page = context.new_page()
    errors = _collect_errors(page)
    yield page
    context.close()
    assert errors == [], f"browser errors: {errors}"


def _collect_errors(page) -> list[str]:
    """Console errors (a CSP violation, a missing file) and uncaught exceptions."""
    errors: list[str] = []

    def on_console(message) -> None:
        # A rejected log-in (400) or an unknown page (404) is the document's own status, which
        # Chromium logs as a failed resource; a missing script or stylesheet still counts.
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and message.location.get("url") == page.url:
            return
        errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def screenshot():
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
