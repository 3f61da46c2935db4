"""Bench-only Django settings: the production settings plus a URLconf with a bare baseline view.

``BENCH_CONN_MAX_AGE`` (set by ``--conn-max-age``) is an experiment knob, off by default: it
overrides ``CONN_MAX_AGE`` of the default database to show what persistent connections would buy.
The benchmark prints when it is in force, so a figure is never mistaken for the production setup.
"""

import os

from linli.config.settings import *  # noqa: F403
from linli.config.settings import DATABASES

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_CONN_MAX_AGE"):
    value = os.environ["BENCH_CONN_MAX_AGE"]
    DATABASES["default"]["CONN_MAX_AGE"] = None if value == "none" else int(value)
