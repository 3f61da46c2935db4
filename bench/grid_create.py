"""`grid-create`: grid event reports through the real API on PostgreSQL against a bare JsonResponse,
same server, same run.

Each request is `POST /api/v1/grid/events` (form fields, as the phone's report form sends them)
by the demo grid worker (bearer token): a description, a point, `channel=grid_patrol` and
`not_duplicate=false`, so the duplicate check runs on every report. The points are drawn by the
wrk script around the city's positioned communities (uniform within 1,500 m of a random one), so
most reports are new; a report within the duplicate radius and window of a related open event
answers 409 `duplicates_proposed`, counted apart. Each 201 is the whole service path: the
nearest community and grid, the duplicate query, the number (the district's counter row, locked
until the commit), the due time on the work calendar, the event, its first timeline step, the
audit record and the community's notification.

Variants, interleaved round by round with the bare view:
- **with category**: the report names its category (`category=<code>`): the router is skipped;
- **routed** (no category): the router suggests one — a model trained here with
  `routing.train` on `routing.synthetic_reports` over the shipped categories and saved where the
  server looks (`LINLI_ROUTER_DIR`); skipped with the reason when `grid_events/routing.py` is
  missing.

Target (issue): >= 200 events/s on 2 cores with the category. Judged on medians of several
rounds; the bare view's figures show what the machine gave. After the rounds the benchmark checks
that the events in the database match the 201 answers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import harness
from bench.api import display_width, load_average, pad
from bench.desk_intake import _child_cpu, cpu_since, drain, postgres_cpu

ACCOUNT = "demo_grid_worker"
EVENTS_PATH = "/api/v1/grid/events"
TARGET_EVENTS_PER_S = 200.0
SPREAD_M = 1500
BARE = "bare JsonResponse (baseline)"
WITH_CATEGORY = f"POST {EVENTS_PATH} (with category)"
ROUTED = f"POST {EVENTS_PATH} (no category: router)"

# wrk script: one report per request at a random point near a random community; counts the
# requests sent, the 201s, the 409s and any other answer.
LUA = """-- written by bench/grid_create.py for one run
local points = {POINTS}
local reports = {REPORTS}
local with_category = {WITH_CATEGORY}
local path = "{PATH}"
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
}
sent, created, duplicates, other = 0, 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tonumber(os.getenv("BENCH_SEED") or "1") * 1000 + (id or 0))
end

function request()
  sent = sent + 1
  local i = math.random(#points / 2)
  local lat, lng = points[2 * i - 1], points[2 * i]
  local r = {SPREAD} * math.sqrt(math.random())
  local a = 2 * math.pi * math.random()
  lat = lat + r * math.sin(a) / 111320
  lng = lng + r * math.cos(a) / (111320 * math.cos(math.rad(lat)))
  local k = math.random(#reports / 2)
  local body = "description=" .. reports[2 * k - 1] .. string.format("&lat=%.6f&lng=%.6f", lat, lng)
    .. "&channel=grid_patrol&not_duplicate=false"
  if with_category then body = body .. "&category=" .. reports[2 * k] end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then duplicates = duplicates + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local s, c, d, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    s, c, d, o = s + t:get("sent"), c + t:get("created"), d + t:get("duplicates"), o + t:get("other")
  end
  io.write(string.format("bench-grid sent=%d created=%d duplicates=%d other=%d\\n", s, c, d, o))
end
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    harness.add_load_arguments(parser, residents=1000)
    parser.add_argument("--no-router", action="store_true", help="skip the variant without a category")
    parser.add_argument(
        "--per-category", type=int, default=30, help="synthetic reports per category to train the router (default 30)"
    )
    harness.add_postgres_argument(parser)


# --- data --------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace, env: dict[str, str]) -> tuple[list[tuple[float, float]], list, str]:
    """The points the script draws around, the report texts with their categories, and the router
    model (trained and saved where the server will look), or why there is none."""
    from linli.areas.models import OrgUnit
    from linli.grid_events.models import EventCategory

    points = list(
        OrgUnit.objects.filter(kind__in=["community", "village"], lat__isnull=False).values_list("lat", "lng")
    )
    if not points:
        raise SystemExit("no community has a position: the demo's positions are missing")
    categories = [(c.code, c.name, c.major_name) for c in EventCategory.objects.filter(is_active=True)]
    try:
        from linli.grid_events import routing
    except ImportError:
        routing = None
    if routing is None:
        reports = [(f"{name}，请处理", code) for code, name, _ in categories]
        return points, reports, "linli.grid_events.routing is not there yet: the variant without a category is skipped"
    reports = routing.synthetic_reports(categories, per_category=5, seed=2)
    if args.no_router:
        return points, reports, "--no-router"
    started = time.perf_counter()
    training = routing.synthetic_reports(categories, per_category=args.per_category, seed=1)
    model = routing.train([t for t, _ in training], [c for _, c in training], source="bench: synthetic reports")
    saved = routing.save(model, Path(env["LINLI_ROUTER_DIR"]))
    harness.log(
        f"router trained on {len(training):,} synthetic reports ({len(categories)} categories) in "
        f"{time.perf_counter() - started:.0f} s: {saved.name}, {saved.stat().st_size / 1e6:.1f} MB"
    )
    return points, reports, ""


def counts() -> int:
    from django.db import connection

    from linli.grid_events.models import GridEvent

    connection.close()  # a fresh snapshot, no stale connection between the rounds
    return GridEvent.objects.count()


def write_script(points, reports, *, with_category: bool) -> Path:
    def quoted(text: str) -> str:
        return '"' + urllib.parse.quote_plus(text) + '"'

    flat_points = ",".join(f"{lat:.6f},{lng:.6f}" for lat, lng in points)
    flat_reports = ",\n".join(f"  {quoted(text)}, {quoted(code)}" for text, code in reports)
    text = (
        LUA.replace("{POINTS}", "{" + flat_points + "}")
        .replace("{REPORTS}", "{\n" + flat_reports + "\n}")
        .replace("{WITH_CATEGORY}", "true" if with_category else "false")
        .replace("{PATH}", EVENTS_PATH)
        .replace("{SPREAD}", str(SPREAD_M))
    )
    with tempfile.NamedTemporaryFile("w", prefix="bench-grid-", suffix=".lua", delete=False) as handle:
        handle.write(text)
    return Path(handle.name)


# --- load --------------------------------------------------------------------------------------


def post_form(url: str, fields: dict[str, str], token: str) -> tuple[int, dict]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 (loopback)
    request.add_header("Accept", "application/json")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def check_create(base: str, token: str, point: tuple[float, float], report: tuple[str, str], routed: bool) -> None:
    """Fail before measuring if the endpoint does not create what the benchmark claims."""
    fields = {
        "description": report[0],
        "lat": f"{point[0] + 0.0031:.6f}",
        "lng": f"{point[1] - 0.0027:.6f}",
        "channel": "grid_patrol",
        "not_duplicate": "false",
    }
    if not routed:
        fields["category"] = report[1]
    status, event = post_form(base + EVENTS_PATH, fields, token)
    if status != 201:
        raise SystemExit(f"{EVENTS_PATH} answered {status}: {event}")
    actions = [s["action"] for s in event.get("timeline", event.get("steps", []))]
    problems = []
    if event["state"] != "reported" or not re.fullmatch(r"GE\d{6}-\d{8}-\d{5}", event["number"]):
        problems.append("state or number")
    if not routed and event["category"] != report[1]:
        problems.append(f"category {event['category']} instead of {report[1]}")
    if routed and not event["suggested_category"]:
        problems.append("no suggestion from the router")
    if problems:
        raise SystemExit(f"the report was not created as expected ({', '.join(problems)}): {event}")
    harness.log(
        f"checked{' (routed)' if routed else ''}: event {event['number']} reported, category "
        f"{event['category']}, suggested {event['suggested_category']} ({event['suggestion_confidence']}), "
        f"timeline {actions}"
    )


def run_grid_wrk(args, url: str, script: Path, token: str, duration: int, seed: int):
    command = [
        "wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s", "--latency",
        "-s", str(script), url,
    ]  # fmt: skip
    if args.pin_loadgen is not None:
        command = ["taskset", "-c", str(args.pin_loadgen), *command]
    before = _child_cpu()
    result = subprocess.run(
        command,
        env={**os.environ, "BENCH_TOKEN": token, "BENCH_SEED": str(seed)},
        capture_output=True,
        text=True,
        check=True,
    )
    parsed = harness.parse_wrk(result.stdout)
    parsed.loadgen_cpu_s = (_child_cpu() - before) / duration
    match = re.search(r"bench-grid sent=(\d+) created=(\d+) duplicates=(\d+) other=(\d+)", result.stdout)
    if not match:
        raise SystemExit(f"the wrk script did not report its tally:\n{result.stdout}\n{result.stderr}")
    tally = dict(zip(("sent", "created", "duplicates", "other"), (int(x) for x in match.groups()), strict=True))
    return parsed, tally


def measure(args, server, token: str, scripts: dict[str, Path]) -> tuple[dict, dict]:
    from django.db import connection

    database = connection.settings_dict["NAME"]
    names = [BARE, *scripts]
    summaries = {name: harness.Summary(name) for name in names}
    totals = {name: {"sent": 0, "created": 0, "duplicates": 0, "other": 0} for name in scripts}
    created_per_s = {name: [] for name in scripts}
    pg_cpu_ms: dict[str, list[float]] = {name: [] for name in names}
    seed = [0]

    def run(name: str, duration: int, counted: bool) -> harness.RoundResult:
        cpu_before, pg_before = server.cpu_seconds(), postgres_cpu(database)
        if name == BARE:
            result = harness.run_wrk(
                server.base + "/bench/bare",
                token="",
                connections=args.connections,
                duration=duration,
                threads=args.wrk_threads,
                cpu=args.pin_loadgen,
            )
            served = result.requests
        else:
            seed[0] += 1
            result, tally = run_grid_wrk(args, server.base + EVENTS_PATH, scripts[name], token, duration, seed[0])
            for key, value in tally.items():
                totals[name][key] += value
            if tally["other"]:
                result.errors = max(result.errors, tally["other"])
            else:
                result.errors = 0  # wrk counts the 409s as non-2xx; they are answers, tallied apart
            if counted:
                created_per_s[name].append(tally["created"] / duration)
            drain(server)
            served = tally["sent"]
        result.server_cpu_ms_per_request = (server.cpu_seconds() - cpu_before) * 1000 / max(1, served)
        if counted:
            pg_cpu_ms[name].append(cpu_since(pg_before, postgres_cpu(database)) * 1000 / max(1, served))
        return result

    for name in names:
        harness.log(f"warm-up {args.warmup} s: {name}")
        run(name, args.warmup, counted=False)
    for round_no in range(1, args.rounds + 1):
        for name in names:
            result = run(name, args.duration, counted=True)
            summaries[name].rounds.append(result)
            harness.log(
                f"round {round_no}/{args.rounds} {name}: {result.requests_per_second:,.0f} req/s, "
                f"p99 {result.p99_ms:.1f} ms, server {result.server_cpu_ms_per_request:.2f} CPU-ms/req, "
                f"PostgreSQL {pg_cpu_ms[name][-1]:.2f} CPU-ms/req, errors {result.errors}, "
                f"load generator {result.loadgen_cpu_s:.2f} CPU"
            )
    figures = {
        "pg_cpu_ms": {name: statistics.median(v) for name, v in pg_cpu_ms.items()},
        "created_per_s": {name: statistics.median(v) for name, v in created_per_s.items()},
        "totals": totals,
    }
    return summaries, figures


# --- report ------------------------------------------------------------------------------------


def report(args, config: harness.ServerConfig, summaries: dict, figures: dict, skipped: str) -> None:
    baseline = summaries[BARE]
    cores = os.cpu_count() or 1
    print()
    print(f"grid-create benchmark — PostgreSQL, {config.describe()}, task backend: database")
    print(
        f"{args.connections} connections, wrk -t{args.wrk_threads}"
        + (f" pinned to CPU {args.pin_loadgen}" if args.pin_loadgen is not None else " (unpinned, same machine)")
        + f", median of {args.rounds} × {args.duration} s rounds after {args.warmup} s warm-up; "
        f"points within {SPREAD_M} m of a random positioned community, {args.residents:,} residents"
    )
    print(f"machine: {platform.machine()}, {cores} CPUs, Python {platform.python_version()}, load {load_average()}")
    print()
    width = max(display_width(n) for n in summaries) + 1
    header = (
        f"{pad('endpoint', width)} {'req/s':>7} {'new/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'vs bare':>8} "
        f"{'CPU ms/req':>10} {'PG CPU ms':>9} {'409s':>6} {'errors':>6}  target"
    )
    print(header)
    print("-" * (display_width(header) + 30))
    for name, summary in summaries.items():
        ratio = summary.rps / baseline.rps if baseline.rps else float("nan")
        created = figures["created_per_s"].get(name)
        duplicates = figures["totals"][name]["duplicates"] if name in figures["totals"] else 0
        if name == WITH_CATEGORY:
            met = created >= TARGET_EVENTS_PER_S
            verdict = f"≥{TARGET_EVENTS_PER_S:,.0f} events/s: {'met' if met else 'MISSED'}"
        else:
            verdict = "—"
        print(
            f"{pad(name, width)} {summary.rps:>7,.0f} {created if created is not None else 0:>6,.0f} "
            f"{summary.p50:>7.1f} {summary.p99:>7.1f} {ratio:>7.3f}x {summary.server_cpu_ms:>10.2f} "
            f"{figures['pg_cpu_ms'][name]:>9.2f} {duplicates:>6} {summary.errors:>6}  {verdict}"
        )
    if skipped:
        print(f"{pad(ROUTED, width)} skipped: {skipped}")
    print()
    print(
        "req/s: answered requests (201 and 409); new/s: events created (201) per second; 409s: reports "
        "answered with proposed duplicates, over all measured rounds. CPU ms/req: granian's processes; "
        "PG CPU ms: the PostgreSQL backends of the bench database, per request sent."
    )
    category = summaries[WITH_CATEGORY]
    pg = figures["pg_cpu_ms"][WITH_CATEGORY]
    print(
        f"{cores} cores could at best serve {cores} × 1000 / (CPU ms + PG CPU ms) = "
        f"{cores * 1000 / (category.server_cpu_ms + pg):,.0f} reports/s with the category."
    )
    share = max(s.loadgen_cpu_share for s in summaries.values())
    print(f"The load generator used up to {share:.2f} of a CPU; req/s and p99 are medians over the rounds.")


def verify(figures: dict, before: int, after: int, checks: int) -> int:
    """Every event in the database is a 201 answer, or a request still in flight when wrk stopped."""
    totals = figures["totals"]
    created = sum(t["created"] for t in totals.values()) + checks
    unanswered = sum(t["sent"] - t["created"] - t["duplicates"] - t["other"] for t in totals.values())
    other = sum(t["other"] for t in totals.values())
    added = after - before
    cut_off = added - created
    print(
        f"events in the database: +{added:,} = {created:,} answered 201 (incl. {checks} check) + {cut_off:,} in "
        f"flight when wrk stopped ({unanswered:,} sent and unanswered); 409 answers: "
        f"{sum(t['duplicates'] for t in totals.values()):,}; other answers: {other:,}"
    )
    problems = []
    if other:
        problems.append(f"{other} answers were neither 201 nor 409")
    if not 0 <= cut_off <= unanswered:
        problems.append("the events in the database do not match the 201 answers")
    for problem in problems:
        print(f"FAILED: {problem}: the figures above are not valid", file=sys.stderr)
    return 1 if problems else 0


def main(args: argparse.Namespace) -> int:
    if not harness.wrk_available():
        raise SystemExit("grid-create needs wrk (apt-get install -y wrk): POST bodies come from a wrk script")
    config = harness.ServerConfig(args.workers, args.blocking_threads, args.backpressure)
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        env["LINLI_TASK_BACKEND"] = "database"  # production's backend: the enqueue is an INSERT
        env["LINLI_ROUTER_DIR"] = str(Path(env["LINLI_DATA_DIR"]) / "router")
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        points, reports, skipped = prepare(args, env)
        scripts = {WITH_CATEGORY: write_script(points, reports, with_category=True)}
        if not skipped:
            scripts[ROUTED] = write_script(points, reports, with_category=False)
        try:
            with harness.granian_server(env, config) as server:
                token = harness.demo_token(server.base, env, ACCOUNT)
                before = counts()
                for i, name in enumerate(scripts, start=1):
                    check_create(
                        server.base, token, points[len(points) * i // 3], reports[7 * i], routed=name == ROUTED
                    )
                summaries, figures = measure(args, server, token, scripts)
            after = counts()
        finally:
            for script in scripts.values():
                script.unlink(missing_ok=True)
        report(args, config, summaries, figures, skipped)
        return verify(figures, before, after, checks=len(scripts))
