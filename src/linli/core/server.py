"""The one way Linli is served: granian in WSGI mode (ASGI measured ~8× slower for Django)."""

from __future__ import annotations

import logging
import os
import sys
import threading

WSGI_TARGET = "linli.config.wsgi:application"

logger = logging.getLogger(__name__)


def granian_command(
    *, host: str, port: int, workers: int = 1, blocking_threads: int = 1, extra: tuple = ()
) -> list[str]:
    """The argv that serves the project; the demo, the benchmark and the browser tests share it."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(blocking_threads),
        "--no-ws",
        *extra,
        WSGI_TARGET,
    ]


def demo_serving_threads() -> int:
    """Threads per worker for the demo and the browser tests: two per core, at least two, so one
    slow request (a city-wide map layer) never holds up a page's scripts."""
    return max(2, (os.cpu_count() or 2) * 2)


def warm_in_background(*loaders) -> threading.Thread:
    """Run slow first-use loads (a model, a dictionary) on a daemon thread as a worker starts, so
    it answers at once and no request pays for them; a failure is logged, never raised."""

    def run() -> None:
        for load in loaders:
            try:
                load()
            except Exception:
                logger.warning("warm-up %s failed", getattr(load, "__name__", load), exc_info=True)

    thread = threading.Thread(target=run, name="linli-warm-up", daemon=True)
    thread.start()
    return thread
