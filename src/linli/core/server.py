"""The one way Linli is served: granian in WSGI mode (ASGI measured ~8× slower for Django)."""

from __future__ import annotations

import sys

WSGI_TARGET = "linli.config.wsgi:application"


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
