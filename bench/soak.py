"""`soak`: the production shape (granian, 2 worker processes, PostgreSQL, no Redis) kept under a
steady mixed load for 10 minutes: reads (the signed-in user and a scoped org-unit list), desk
intakes and grid reports, each sent at a fixed rate (open loop: a slow answer does not slow the
sender, and latency counts from when the request was due). Reports the errors (any answer other
than the expected one, any socket error or time-out, and any request still waiting for a
connection when the time is up: the server fell behind), p99 per minute per kind, and the resident
memory of the granian processes each minute; the run passes with 0 errors and the memory at the
end within 10 % of minute 2.

`pg-restart`: the outage drill. A steady read load and /healthz probes against granian while
PostgreSQL is restarted once (`--restart-command`); counts the answers per second: 503 while the
database is away, never a 500, and 200 again by itself afterwards.

The default rates are a fifth of each request's measured ceiling on 2 cores (docs/benchmarks.md:
scoped list ~1,000 req/s, intake ~200/s, grid report ~200/s), so the mix as a whole uses about
three fifths of the machine and leaves room for PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import shlex
import subprocess
import time
import types
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench import harness

READS = ("/api/v1/me", "/api/v1/org-units?" + urllib.parse.urlencode({"q": "社区", "limit": 50}))
EXPECTED = {"read": {200}, "intake": {201}, "report": {201, 409}}  # 409: a duplicate proposed
TIMEOUT_S = 10.0
MEMORY_TOLERANCE = 0.10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=float, default=10, help="how long to soak (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument("--reads", type=float, default=200, help="reads per second (default 200)")
    parser.add_argument("--intakes", type=float, default=40, help="desk intakes per second (default 40)")
    parser.add_argument("--reports", type=float, default=40, help="grid reports per second (default 40)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections per kind (default 16)")
    parser.add_argument("--residents", type=int, default=2000, help="demo residents (default 2,000)")
    parser.add_argument("--applicants", type=int, default=500, help="intake applicants taken in turn (default 500)")
    harness.add_postgres_argument(parser)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")


# --- the load --------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Latencies per (kind, minute) and every answer that was not the expected one."""

    started: float
    latencies: dict[tuple[str, int], list[float]] = field(default_factory=lambda: defaultdict(list))
    answers: Counter = field(default_factory=Counter)  # (kind, status or error name)
    errors: Counter = field(default_factory=Counter)

    def record(self, kind: str, due: float, status: int | str) -> None:
        minute = int((due - self.started) // 60)
        self.latencies[(kind, minute)].append(time.perf_counter() - due)
        self.answers[(kind, status)] += 1
        if status not in EXPECTED[kind]:
            self.errors[(kind, status)] += 1


async def _exchange(reader, writer, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("closed by the server")
    length, close = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and value.strip().lower() == "close":
            close = True
    await reader.readexactly(length)
    if close:
        raise _ClosedError(int(status_line.split(b" ")[1]))
    return int(status_line.split(b" ")[1])


class _ClosedError(Exception):
    def __init__(self, status: int):
        self.status = status


async def stream(kind: str, rate: float, make, *, host, port, stop_at: float, tally: Tally, connections: int):
    """Send `make()` requests at `rate` per second until `stop_at`, over a pool of keep-alive
    connections; a request waits for a free connection (that wait counts in its latency)."""
    queue: asyncio.Queue = asyncio.Queue()

    async def connection() -> None:
        reader = writer = None
        while (item := await queue.get()) is not None:
            due, raw = item
            if time.perf_counter() > stop_at:  # due but never sent: the server fell behind
                tally.answers[(kind, "unsent")] += 1
                tally.errors[(kind, "unsent")] += 1
                continue
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                status = await asyncio.wait_for(_exchange(reader, writer, raw), TIMEOUT_S)
            except _ClosedError as closed:
                status, writer = closed.status, None
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError) as exc:
                status = type(exc).__name__
                if writer is not None:
                    writer.close()
                writer = None
            tally.record(kind, due, status)
        if writer is not None:
            writer.close()

    pool = [asyncio.create_task(connection()) for _ in range(connections)]
    interval, due = 1 / rate, time.perf_counter()
    while due < stop_at:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        queue.put_nowait((due, make()))
        due += interval
    for _ in pool:
        queue.put_nowait(None)
    await asyncio.gather(*pool)


def _request(method: str, path: str, token: str, host: str, body: bytes = b"", content_type: str = "") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\nAuthorization: Bearer {token}\r\n"
    if body:
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


# --- memory ----------------------------------------------------------------------------------------


def group_rss_mb(pgid: int) -> dict[int, float]:
    """Resident memory of each process of the server (granian's main process and its workers)."""
    sizes = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
        except OSError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes[int(stat.parent.name)] = kb / 1024
    return sizes


async def sample_memory(pgid: int, stop_at: float, samples: list[tuple[float, dict[int, float]]], started: float):
    while True:
        samples.append((time.perf_counter() - started, group_rss_mb(pgid)))
        if time.perf_counter() + 60 > stop_at + 1:
            return
        await asyncio.sleep(60)


# --- the run ---------------------------------------------------------------------------------------


def tokens(base: str, env: dict[str, str], accounts: list[str]) -> dict[str, str]:
    return {account: harness.demo_token(base, env, account, name="soak") for account in accounts}


def makers(args, host: str, desk_token: str, grid_token: str, applicants, checklist, points, reports) -> dict:
    import json

    from bench.desk_intake import CASES_PATH, ITEM
    from bench.grid_create import EVENTS_PATH, SPREAD_M

    rng = random.Random(13)
    sent = Counter()

    def read() -> bytes:
        sent["read"] += 1
        return _request("GET", READS[sent["read"] % 2], desk_token, host)

    def intake() -> bytes:
        sent["intake"] += 1
        applicant = applicants[sent["intake"] % len(applicants)]
        body = {"item_code": ITEM, "channel": "window", "applicant": applicant, "checklist": checklist}
        return _request("POST", CASES_PATH, desk_token, host, json.dumps(body).encode(), "application/json")

    def report() -> bytes:
        lat, lng = rng.choice(points)
        r, a = SPREAD_M * math.sqrt(rng.random()), rng.random() * 2 * math.pi
        lat += r * math.sin(a) / 111320
        lng += r * math.cos(a) / (111320 * math.cos(math.radians(lat)))
        text, code = rng.choice(reports)
        fields = {
            "description": text,
            "lat": f"{lat:.6f}",
            "lng": f"{lng:.6f}",
            "channel": "grid_patrol",
            "category": code,
            "not_duplicate": "false",
        }
        body = urllib.parse.urlencode(fields).encode()
        return _request("POST", EVENTS_PATH, grid_token, host, body, "application/x-www-form-urlencoded")

    return {"read": (args.reads, read), "intake": (args.intakes, intake), "report": (args.reports, report)}


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan")


def report_soak(args, tally: Tally, samples, config: harness.ServerConfig, leader: int) -> int:
    minutes = max(minute for _, minute in tally.latencies) + 1
    kinds = ["read", "intake", "report"]
    print(f"\nsoak — PostgreSQL, {config.describe()}, no Redis, {args.minutes:g} min")
    print(f"offered: {args.reads:g} reads/s, {args.intakes:g} intakes/s, {args.reports:g} grid reports/s")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}\n")
    print("| minute | " + " | ".join(f"{k}s | {k} p99 ms" for k in kinds) + " | all p99 ms |")
    print("| ---: | " + " | ".join("---: | ---:" for _ in kinds) + " | ---: |")
    for minute in range(minutes):
        cells = []
        everything = []
        for kind in kinds:
            values = tally.latencies.get((kind, minute), [])
            everything += values
            cells.append(f"{len(values):,} | {p99(values):.0f}")
        print(f"| {minute + 1} | " + " | ".join(cells) + f" | {p99(everything):.0f} |")
    answers = ", ".join(f"{kind} {status}: {n:,}" for (kind, status), n in sorted(tally.answers.items(), key=str))
    errors = sum(tally.errors.values())
    print(f"\nanswers: {answers}")
    print(f"errors: {errors}" + (f" ({dict(tally.errors)})" if errors else ""))
    print("\n| at | " + "granian main MB | workers MB |")
    print("| ---: | ---: | ---: |")
    for at, sizes in samples:
        workers = sum(mb for pid, mb in sizes.items() if pid != leader)
        print(f"| {at / 60:.1f} min | {sizes.get(leader, 0):.0f} | {workers:.0f} |")
    base = next((s for at, s in samples if at >= 110), samples[0][1])
    end = samples[-1][1]
    base_workers = sum(mb for pid, mb in base.items() if pid != leader)
    end_workers = sum(mb for pid, mb in end.items() if pid != leader)
    growth = end_workers / base_workers - 1 if base_workers else float("nan")
    memory_ok = abs(growth) <= MEMORY_TOLERANCE
    print(
        f"\nworkers' memory at the end vs minute 2: {end_workers:.0f} vs {base_workers:.0f} MB "
        f"({growth:+.1%}; limit ±{MEMORY_TOLERANCE:.0%}) — {'OK' if memory_ok else 'FAILED'}"
    )
    print(f"errors: {errors} — {'OK' if errors == 0 else 'FAILED'}")
    return 0 if errors == 0 and memory_ok else 1


def main(args: argparse.Namespace) -> int:
    from bench.desk_intake import ACCOUNT as DESK_ACCOUNT
    from bench.desk_intake import prepare as desk_prepare
    from bench.grid_create import ACCOUNT as GRID_ACCOUNT
    from bench.grid_create import prepare as grid_prepare

    config = harness.ServerConfig(args.workers, 1, None)
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        env["LINLI_TASK_BACKEND"] = "database"  # production's backend: the enqueue is an INSERT
        env["LINLI_ROUTER_DIR"] = str(Path(env["LINLI_DATA_DIR"]) / "router")
        env.pop("LINLI_REDIS_URL", None)
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        applicants, checklist = desk_prepare(args)
        args.no_router = True
        points, reports, _ = grid_prepare(args, env)
        with harness.granian_server(env, config) as server:
            found = tokens(server.base, env, [DESK_ACCOUNT, GRID_ACCOUNT])
            parts = urllib.parse.urlsplit(server.base)
            streams = makers(
                args, parts.netloc, found[DESK_ACCOUNT], found[GRID_ACCOUNT], applicants, checklist, points, reports
            )
            harness.log(f"soaking for {args.minutes:g} min")
            tally, samples = asyncio.run(_soak(args, parts.hostname, parts.port, streams, server.pgid))
            return report_soak(args, tally, samples, config, server.pgid)


async def _soak(args, host: str, port: int, streams: dict, pgid: int):
    started = time.perf_counter()
    stop_at = started + args.minutes * 60
    tally = Tally(started)
    samples: list = []
    await asyncio.gather(
        sample_memory(pgid, stop_at, samples, started),
        *(
            stream(kind, rate, make, host=host, port=port, stop_at=stop_at, tally=tally, connections=args.connections)
            for kind, (rate, make) in streams.items()
            if rate > 0
        ),
    )
    samples.append((time.perf_counter() - started, group_rss_mb(pgid)))
    return tally, samples


# --- pg-restart --------------------------------------------------------------------------------------


def add_restart_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=int, default=40, help="how long the load runs (default 40)")
    parser.add_argument("--restart-at", type=int, default=10, help="second at which PostgreSQL restarts")
    parser.add_argument(
        "--restart-command",
        default="pg_ctlcluster --skip-systemctl-redirect 15 main restart",
        help="how PostgreSQL restarts here (default: %(default)s)",
    )
    parser.add_argument("--reads", type=float, default=50, help="reads per second (default 50)")
    parser.add_argument("--residents", type=int, default=300, help="demo residents (default 300)")
    parser.add_argument(
        "--postgres", default=harness.DEFAULT_POSTGRES_URL, metavar="URL", help="PostgreSQL server (%(default)s)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data folder")


def restart_main(args: argparse.Namespace) -> int:
    from bench.desk_intake import ACCOUNT

    config = harness.ServerConfig(2, 1, None)
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        env["LINLI_TASK_BACKEND"] = "database"
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        with harness.granian_server(env, config) as server:
            token = tokens(server.base, env, [ACCOUNT])[ACCOUNT]
            parts = urllib.parse.urlsplit(server.base)
            per_second, restart = asyncio.run(_drill(args, parts.hostname, parts.port, parts.netloc, token))
    print(f"\npg-restart — {config.describe()}; `{args.restart_command}` at {args.restart_at} s: {restart}")
    print("\n| second | answers |\n| ---: | --- |")
    for second in sorted(per_second):
        print(f"| {second} | {dict(sorted(per_second[second].items(), key=str))} |")
    seen = Counter()
    for counts in per_second.values():
        seen.update(counts)
    last = per_second[max(per_second)]
    recovered = set(last) == {200}
    no_500 = not any(status == 500 for status in seen)
    print(f"\nall answers: {dict(seen)}")
    print(f"no 500: {'OK' if no_500 else 'FAILED'}; 200 again at the end: {'OK' if recovered else 'FAILED'}")
    return 0 if no_500 and recovered else 1


async def _drill(args, host: str, port: int, netloc: str, token: str):
    per_second: dict[int, Counter] = defaultdict(Counter)
    started = time.perf_counter()
    stop_at = started + args.seconds

    class Seconds(Tally):
        def record(self, kind: str, due: float, status) -> None:
            per_second[int(due - started)][status] += 1

    tally = Seconds(started)
    paths = ["/healthz", *READS]
    sent = Counter()

    def make() -> bytes:
        sent["n"] += 1
        return _request("GET", paths[sent["n"] % 3], token, netloc)

    async def restart() -> str:
        await asyncio.sleep(args.restart_at)
        began = time.perf_counter()
        done = await asyncio.to_thread(
            subprocess.run, shlex.split(args.restart_command), capture_output=True, text=True
        )
        return f"exit {done.returncode} after {time.perf_counter() - began:.1f} s"

    results = await asyncio.gather(
        restart(), stream("read", args.reads, make, host=host, port=port, stop_at=stop_at, tally=tally, connections=8)
    )
    return per_second, results[0]


soak_bench = types.SimpleNamespace(__doc__=__doc__, add_arguments=add_arguments, main=main)
restart_bench = types.SimpleNamespace(__doc__=__doc__, add_arguments=add_restart_arguments, main=restart_main)
