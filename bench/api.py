"""`api`: /api/v1/me and a 50-row scoped org-unit list against a bare JsonResponse, same server, same run.

Target (issue): the scoped org-unit list at >= 1,000 req/s with p99 < 50 ms at 32 connections on
2 cores. Judged on medians of several rounds; the bare view's figures show what the machine gave.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from bench import harness

ACCOUNT = "demo_district_admin"  # 和平区: a real prefix scope, 115 units named …社区 inside it
LIST_PATH = f"/api/v1/org-units?q={quote('社区')}&limit=50"
TARGET_RPS = 1000.0
TARGET_P99_MS = 50.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    authenticated: bool
    target: bool = False


ENDPOINTS = (
    Endpoint("bare JsonResponse (baseline)", "/bench/bare", authenticated=False),
    Endpoint("GET /api/v1/me", "/api/v1/me", authenticated=True),
    Endpoint("GET /api/v1/org-units?q=社区&limit=50", LIST_PATH, authenticated=True, target=True),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    harness.add_load_arguments(parser, residents=1000)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=harness.DEFAULT_POSTGRES_URL,
        default=None,
        metavar="URL",
        help="run on PostgreSQL: a fresh database on this server, dropped afterwards (default: %(const)s)",
    )
    parser.add_argument(
        "--python-loadgen", action="store_true", help="use the Python load generator even if wrk exists"
    )
    parser.add_argument(
        "--conn-max-age",
        default=None,
        metavar="SECONDS|none",
        help="experiment: override the database's CONN_MAX_AGE in the bench server (default: as configured)",
    )


def check_endpoints(base: str, token: str) -> None:
    """Fail before measuring if an endpoint does not answer what the benchmark claims it measures."""
    status, me = harness.http_json("GET", base + "/api/v1/me", token=token)
    if status != 200 or me.get("username") != ACCOUNT:
        raise SystemExit(f"/api/v1/me answered {status}: {me}")
    scope = tuple(me["scope_paths"])
    status, body = harness.http_json("GET", base + LIST_PATH, token=token)
    if status != 200 or len(body.get("items", [])) != 50:
        raise SystemExit(f"the org-unit list answered {status} with {len(body.get('items', []))} items, not 50")
    outside = [u["path"] for u in body["items"] if not u["path"].startswith(scope)]
    if outside:
        raise SystemExit(f"the org-unit list returned units outside the scope {scope}: {outside[:3]}")
    status, _ = harness.http_json("GET", base + LIST_PATH)
    if status != 401:
        raise SystemExit(f"the org-unit list answered {status} without a token, not 401")
    harness.log(f"checked: /me is {ACCOUNT}, the list has 50 units inside {scope} (of {body['count']})")


def measure(args: argparse.Namespace, server: harness.Server, token: str) -> list[harness.Summary]:
    use_wrk = harness.wrk_available() and not args.python_loadgen
    if not use_wrk:
        harness.log("wrk not found: using the Python load generator (install wrk: apt-get install -y wrk)")

    def run(endpoint: Endpoint, duration: int) -> harness.RoundResult:
        url = server.base + endpoint.path
        header_token = token if endpoint.authenticated else ""
        cpu_before = server.cpu_seconds()
        result = load(url, header_token, duration)
        result.server_cpu_ms_per_request = (server.cpu_seconds() - cpu_before) * 1000 / max(1, result.requests)
        return result

    def load(url: str, header_token: str, duration: int) -> harness.RoundResult:
        if use_wrk:
            return harness.run_wrk(
                url,
                token=header_token,
                connections=args.connections,
                duration=duration,
                threads=args.wrk_threads,
                cpu=args.pin_loadgen,
            )
        return harness.run_python_load(
            url, token=header_token, connections=args.connections, duration=duration, cpu=args.pin_loadgen
        )

    summaries = {e.name: harness.Summary(e.name) for e in ENDPOINTS}
    for endpoint in ENDPOINTS:
        harness.log(f"warm-up {args.warmup} s: {endpoint.name}")
        run(endpoint, args.warmup)
    # Interleave the endpoints round by round, so a noisy neighbour hits the baseline as well.
    for round_no in range(1, args.rounds + 1):
        for endpoint in ENDPOINTS:
            result = run(endpoint, args.duration)
            summaries[endpoint.name].rounds.append(result)
            harness.log(
                f"round {round_no}/{args.rounds} {endpoint.name}: {result.requests_per_second:,.0f} req/s, "
                f"p99 {result.p99_ms:.1f} ms, server {result.server_cpu_ms_per_request:.2f} CPU-ms/req, "
                f"errors {result.errors}, load generator {result.loadgen_cpu_s:.2f} CPU"
            )
    return list(summaries.values())


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def report(args: argparse.Namespace, config: harness.ServerConfig, summaries: list[harness.Summary]) -> int:
    baseline = summaries[0]
    cores = os.cpu_count() or 1
    database = "PostgreSQL" if args.postgres else "SQLite"
    loadgen = f"wrk -t{args.wrk_threads}" if harness.wrk_available() and not args.python_loadgen else "python"
    print()
    print(f"api benchmark — {database}, {config.describe()}")
    if args.conn_max_age is not None:
        print(f"EXPERIMENT: CONN_MAX_AGE overridden to {args.conn_max_age} (not the configured value)")
    print(
        f"{args.connections} connections, {loadgen}"
        + (f" pinned to CPU {args.pin_loadgen}" if args.pin_loadgen is not None else " (unpinned, same machine)")
        + f", median of {args.rounds} × {args.duration} s rounds after {args.warmup} s warm-up"
    )
    print(f"machine: {platform.machine()}, {cores} CPUs, Python {platform.python_version()}, load {load_average()}")
    print()
    width = max(display_width(s.name) for s in summaries) + 1
    header = (
        f"{pad('endpoint', width)} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs bare':>8} "
        f"{'CPU ms/req':>10} {'errors':>6}  target"
    )
    print(header)
    print("-" * (display_width(header) + 36))
    exit_code = 0
    for summary, endpoint in zip(summaries, ENDPOINTS, strict=True):
        ratio = summary.rps / baseline.rps if baseline.rps else float("nan")
        if endpoint.target:
            met = summary.rps >= TARGET_RPS and summary.p99 < TARGET_P99_MS
            verdict = f"≥{TARGET_RPS:,.0f} req/s and p99 < {TARGET_P99_MS:.0f} ms: {'met' if met else 'MISSED'}"
        else:
            verdict = "—"
        if summary.errors:
            exit_code = 1
        print(
            f"{pad(summary.name, width)} {summary.rps:>8,.0f} {summary.p50:>7.1f} {summary.p99:>7.1f} "
            f"{ratio:>7.3f}x {summary.server_cpu_ms:>10.2f} {summary.errors:>6}  {verdict}"
        )
    print()
    print(
        "CPU ms/req: server CPU time (all granian processes) per answered request; "
        f"{cores} cores could at best serve {cores} × 1000 / that per second."
    )
    share = max(s.loadgen_cpu_share for s in summaries)
    print(f"The load generator used up to {share:.2f} of a CPU; req/s and p99 are medians over the rounds.")
    if exit_code:
        print("some requests failed (non-2xx or socket errors): the figures above are not valid", file=sys.stderr)
    return exit_code


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(args: argparse.Namespace) -> int:
    config = harness.ServerConfig(args.workers, args.blocking_threads, args.backpressure)
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        if args.conn_max_age is not None:
            env["BENCH_CONN_MAX_AGE"] = args.conn_max_age
        summaries = run_server(args, config, env)
    return report(args, config, summaries)


def run_server(args: argparse.Namespace, config: harness.ServerConfig, env: dict[str, str]) -> list[harness.Summary]:
    with harness.granian_server(env, config) as server:
        base = server.base
        token = harness.demo_token(base, env, ACCOUNT)
        check_endpoints(base, token)
        return measure(args, server, token)
