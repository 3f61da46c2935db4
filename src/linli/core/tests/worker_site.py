"""Run a real `linli worker` process against the test database, then read what it did.

On PostgreSQL the process connects to the test database itself (the test is transactional, so
its data is committed). SQLite's test database lives in this process's memory: it is copied to a
file with the online backup API for the worker, and copied back when the worker is done."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

# The worker process, with `linli.facilities.services._analyse` held (patched in the child only)
# so that the test can kill it in the middle of a run; everything else is the real worker.
HELD_WORKER = """
import os, time, django
django.setup()
from linli.facilities import services

def held(run, progress):
    progress(5, "held by the test")
    open(os.environ["LINLI_TEST_HELD_FLAG"], "w").close()
    time.sleep(600)

services._analyse = held
from django.core.management import call_command
call_command("worker")
"""
WORKER = "from linli.config.cli import main; main()"


class WorkerSite:
    def __init__(self, folder: Path):
        self.folder = folder
        self.sqlite_file = folder / "worker.sqlite3" if connection.vendor == "sqlite" else None
        if self.sqlite_file:
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)

    def env(self, **extra: str) -> dict[str, str]:
        if self.sqlite_file:
            url = f"sqlite:///{self.sqlite_file}"
        else:
            s = connection.settings_dict
            url = f"postgres://{quote(s['USER'])}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
        return env | {
            "DJANGO_SETTINGS_MODULE": "linli.config.settings",
            "LINLI_DATABASE_URL": url,
            "LINLI_DATA_DIR": str(self.folder),
            "LINLI_TASK_BACKEND": "database",
            "LINLI_LOG_LEVEL": "WARNING",
            **extra,
        }

    def start_held_worker(self) -> tuple[subprocess.Popen, Path]:
        flag = self.folder / "held"
        process = subprocess.Popen([sys.executable, "-c", HELD_WORKER], env=self.env(LINLI_TEST_HELD_FLAG=str(flag)))
        deadline = time.monotonic() + 90
        while not flag.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"the worker never reached the analysis (exit {process.returncode})")
            time.sleep(0.1)
        return process, flag

    def run_worker(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", WORKER, "worker", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=180,
        )

    def read_back(self) -> None:
        """Make what the worker processes wrote visible to this test's connection."""
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)
