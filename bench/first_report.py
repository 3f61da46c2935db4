"""`first-report`: how long the first report after a server start waits for the category router,
beside a warm report in the same run.

A fresh granian worker (one process, one thread) serves the demo; as soon as /healthz answers,
and again on a second fresh server after `--idle` seconds, a grid worker posts a report with no
category (so the router is asked), then a second one (the baseline: everything loaded). Before
the router was loaded at worker start, the first report carried the whole model load (~6 s on
the reference machine); now the worker loads it in the background as it starts, so a report
that arrives after the load pays nothing and one that arrives during it waits only for the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from pathlib import Path

from bench import harness
from bench.grid_create import ACCOUNT, EVENTS_PATH, post_form


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--residents", type=int, default=300, help="demo residents (default 300)")
    parser.add_argument("--idle", type=float, default=15.0, help="seconds a second server idles first (default 15)")
    parser.add_argument("--data-dir", default="", help="an existing `linli demo --no-serve` data dir to reuse")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")


@contextlib.contextmanager
def _environment(args) -> dict[str, str]:
    if not args.data_dir:
        with harness.demo_environment(residents=args.residents, postgres_url=None, keep=args.keep) as env:
            yield env
        return
    env = {
        **os.environ,
        "LINLI_DATA_DIR": str(Path(args.data_dir).resolve()),
        "LINLI_LOG_LEVEL": "WARNING",
        "LINLI_TASK_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(harness.REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
    }
    env.pop("LINLI_DATABASE_URL", None)
    yield env


def _report_ms(base: str, token: str, lat: float, lng: float, text: str) -> float:
    fields = {"description": text, "lat": f"{lat:.6f}", "lng": f"{lng:.6f}", "not_duplicate": "true"}
    started = time.perf_counter()
    status, body = post_form(base + EVENTS_PATH, fields, token)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 201 or not body.get("suggested_category"):
        raise SystemExit(f"the report was not created with a suggestion: {status} {body}")
    return elapsed


def _one_server(env: dict[str, str], idle: float, point: tuple[float, float]) -> tuple[float, float]:
    config = harness.ServerConfig(workers=1, blocking_threads=1)
    with harness.granian_server(env, config) as server:
        token = harness.demo_token(server.base, env, ACCOUNT, name="b")
        time.sleep(idle)
        first = _report_ms(server.base, token, *point, "小区门口的井盖丢了，晚上很危险")
        second = _report_ms(server.base, token, point[0] + 0.001, point[1], "路灯不亮了，请尽快修理")
    return first, second


def main(args: argparse.Namespace) -> int:
    with _environment(args) as env:
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        from linli.areas.models import OrgUnit

        point = OrgUnit.objects.filter(kind="community", lat__isnull=False).values_list("lat", "lng").first()
        rows = []
        for idle in (0.0, args.idle):
            first, second = _one_server(env, idle, (point[0] + 0.004, point[1] - 0.004))
            rows.append((idle, first, second))
    print("first report after a server start (granian, 1 worker, 1 thread), a report without a category")
    print(f"{'idle before it':>16} {'first report':>14} {'second (warm)':>14}")
    for idle, first, second in rows:
        print(f"{idle:>14.0f} s {first:>11.0f} ms {second:>11.0f} ms")
    return 0
