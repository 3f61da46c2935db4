"""`desk-intake`: case intake through the real API on PostgreSQL against a bare JsonResponse, same
server, same run.

Each request is `POST /api/v1/desk/cases` by a community worker (bearer token) for SQ009
老年人优待证办理 at the window, for one of N applicants in turn: validation, routing, the case
number (a locked counter row), the due date from the work calendar, two timeline events, the
audit record, and the applicant's notification enqueued after the commit with the database task
backend (as in production). Every applicant is given a resident account, so every case enqueues
one. After the rounds the benchmark checks that the cases in the database match the 201 answers.

Target (issue): >= 200 cases/s at 32 connections on 2 cores. Judged on medians of several
rounds; the bare view's figures show what the machine gave.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import harness
from bench.api import display_width, load_average, pad

ACCOUNT = "demo_community_worker"  # posted at the demo's showcase community (10 % of the residents)
ITEM = "SQ009"  # 老年人优待证办理: the ID card (held by the pool) and one material
CASES_PATH = "/api/v1/desk/cases"
TARGET_CASES_PER_S = 200.0
BARE = "bare JsonResponse (baseline)"
INTAKE = f"POST {CASES_PATH} ({ITEM}, window)"

# wrk script: one intake per request, applicants in turn; counts what was sent and answered.
LUA = """-- written by bench/desk_intake.py for one run
local bodies = {BODIES}
local path = "{PATH}"
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
}
sent, created, other = 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function request()
  sent = sent + 1
  return wrk.format("POST", path, headers, bodies[((offset or 0) + sent) % #bodies + 1])
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local s, c, o = 0, 0, 0
  for _, t in ipairs(threads) do
    s, c, o = s + t:get("sent"), c + t:get("created"), o + t:get("other")
  end
  io.write(string.format("bench-intake sent=%d created=%d other=%d\\n", s, c, o))
end
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    harness.add_load_arguments(parser, residents=5000)
    parser.add_argument("--applicants", type=int, default=2000, help="applicants taken in turn (default 2,000)")
    harness.add_postgres_argument(parser)


# --- data --------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """Applicants (each given a resident account, so each case notifies someone) and the
    checklist SQ009 needs: every required material the pool does not hold, provided."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from linli.residents.models import Resident
    from linli.residents.selectors import applicant_sample
    from linli.service_desk.selectors import item_get, version_materials

    materials = version_materials(item_get(code=ITEM).current)
    checklist = {m.key: "provided" for m in materials if m.required and not m.pool_held}
    harness.log(
        f"{ITEM} materials: "
        + ", ".join(f"{m.key} {m.name}{' (pool)' if m.pool_held else ''}{'' if m.required else ' (optional)'}"
        for m in materials)
        + f"; checklist sent: {checklist}"
    )  # fmt: skip
    applicants = applicant_sample(n=args.applicants, seed=1)
    if len(applicants) < args.applicants:
        raise SystemExit(f"only {len(applicants)} applicants in the pool; raise --residents")
    user_model = get_user_model()
    unlinked = [a.public_id for a in applicants if a.user_id is None]
    with transaction.atomic():
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"bench_applicant_{i}", password=make_password(None), display_name="居民")
                for i in range(len(unlinked))
            ]
        )
        for public_id, user in zip(unlinked, users, strict=True):
            Resident.objects.filter(public_id=public_id).update(user=user)
    harness.log(f"{len(applicants):,} applicants from applicant_sample(seed=1); {len(unlinked):,} given accounts")
    return [a.public_id for a in applicants], checklist


def counts() -> tuple[int, int]:
    """Cases and enqueued task rows (the notifications) in the bench database."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from linli.service_desk.models import ServiceCase

    connection.close()  # a fresh snapshot, no stale connection between the rounds
    return ServiceCase.objects.count(), DBTaskResult.objects.count()


def write_script(applicants: list[str], checklist: dict[str, str]) -> Path:
    bodies = [
        json.dumps({"item_code": ITEM, "channel": "window", "applicant": a, "checklist": checklist}) for a in applicants
    ]
    text = LUA.replace("{PATH}", CASES_PATH).replace(
        "{BODIES}", "{\n" + ",\n".join(f"  [==[{b}]==]" for b in bodies) + "\n}"
    )
    with tempfile.NamedTemporaryFile("w", prefix="bench-intake-", suffix=".lua", delete=False) as handle:
        handle.write(text)
    return Path(handle.name)


# --- load --------------------------------------------------------------------------------------


def postgres_cpu(database: str) -> dict[int, int]:
    """CPU ticks used so far by each PostgreSQL backend serving `database` (its process title
    names the database), by process id."""
    ticks = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if f" {database} ".encode() not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks[int(proc.name)] = int(fields[11]) + int(fields[12])
    return ticks


def cpu_since(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds between two `postgres_cpu` readings (a backend that exited in between is lost)."""
    return sum(t - before.get(pid, 0) for pid, t in after.items()) / os.sysconf("SC_CLK_TCK")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_intake_wrk(
    args: argparse.Namespace, url: str, script: Path, token: str, duration: int
) -> tuple[harness.RoundResult, dict[str, int]]:
    """wrk with the intake script; besides wrk's figures, the script's own tally: requests
    sent, 201 answers, other answers."""
    command = [
        "wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s", "--latency",
        "-s", str(script), url,
    ]  # fmt: skip
    if args.pin_loadgen is not None:
        command = ["taskset", "-c", str(args.pin_loadgen), *command]
    before = _child_cpu()
    result = subprocess.run(
        command, env={**os.environ, "BENCH_TOKEN": token}, capture_output=True, text=True, check=True
    )
    parsed = harness.parse_wrk(result.stdout)
    parsed.loadgen_cpu_s = (_child_cpu() - before) / duration
    match = re.search(r"bench-intake sent=(\d+) created=(\d+) other=(\d+)", result.stdout)
    if not match:
        raise SystemExit(f"the wrk script did not report its tally:\n{result.stdout}\n{result.stderr}")
    tally = {"sent": int(match[1]), "created": int(match[2]), "other": int(match[3])}
    return parsed, tally


def drain(server: harness.Server, limit: float = 15.0) -> None:
    """Wait until the server has finished the requests still in flight when wrk stopped."""
    deadline = time.monotonic() + limit
    last = server.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = server.cpu_seconds()
        if now == last:
            return
        last = now


def check_intake(base: str, token: str, applicant: str, checklist: dict[str, str]) -> None:
    """Fail before measuring if the endpoint does not create what the benchmark claims."""
    body = {"item_code": ITEM, "channel": "window", "applicant": applicant, "checklist": checklist}
    status, case = harness.http_json("POST", base + CASES_PATH, body=body, token=token)
    if status != 201:
        raise SystemExit(f"{CASES_PATH} answered {status}: {case}")
    actions = [e["action"] for e in case["timeline"]]
    if (
        case["item_code"] != ITEM
        or case["state"] != "accepted"
        or not case["due_on"]
        or actions != ["submit", "accept"]
    ):
        raise SystemExit(f"the intake did not accept the case as expected: {case}")
    harness.log(
        f"checked: case {case['number']} accepted, due {case['due_on']}, handled at {case['handling_path']}, "
        f"timeline {actions}"
    )


def measure(args, server: harness.Server, token: str, script: Path) -> tuple[list[harness.Summary], dict[str, int]]:
    from django.db import connection

    database = connection.settings_dict["NAME"]
    summaries = {BARE: harness.Summary(BARE), INTAKE: harness.Summary(INTAKE)}
    totals = {"sent": 0, "created": 0, "other": 0}
    pg_cpu_ms: dict[str, list[float]] = {BARE: [], INTAKE: []}

    def run(name: str, duration: int) -> harness.RoundResult:
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
            result, tally = run_intake_wrk(args, server.base + CASES_PATH, script, token, duration)
            for key, value in tally.items():
                totals[key] += value
            if tally["other"]:
                result.errors = max(result.errors, tally["other"])
            drain(server)
            served = tally["sent"]  # those cut off by wrk's stop were served too: their CPU counts
        result.server_cpu_ms_per_request = (server.cpu_seconds() - cpu_before) * 1000 / max(1, served)
        pg_cpu_ms[name].append(cpu_since(pg_before, postgres_cpu(database)) * 1000 / max(1, served))
        return result

    for name in summaries:
        harness.log(f"warm-up {args.warmup} s: {name}")
        run(name, args.warmup)
    for samples in pg_cpu_ms.values():
        samples.clear()  # the warm-up does not count
    for round_no in range(1, args.rounds + 1):
        for name, summary in summaries.items():
            result = run(name, args.duration)
            summary.rounds.append(result)
            harness.log(
                f"round {round_no}/{args.rounds} {name}: {result.requests_per_second:,.0f} req/s, "
                f"p99 {result.p99_ms:.1f} ms, server {result.server_cpu_ms_per_request:.2f} CPU-ms/req, "
                f"PostgreSQL {pg_cpu_ms[name][-1]:.2f} CPU-ms/req, errors {result.errors}, "
                f"load generator {result.loadgen_cpu_s:.2f} CPU"
            )
    totals["pg_cpu_ms_bare"] = statistics.median(pg_cpu_ms[BARE])
    totals["pg_cpu_ms_intake"] = statistics.median(pg_cpu_ms[INTAKE])
    return list(summaries.values()), totals


# --- report ------------------------------------------------------------------------------------


def report(args, config: harness.ServerConfig, summaries: list[harness.Summary], totals: dict) -> int:
    baseline, intake = summaries
    cores = os.cpu_count() or 1
    print()
    print(f"desk-intake benchmark — PostgreSQL, {config.describe()}, task backend: database")
    print(
        f"{args.connections} connections, wrk -t{args.wrk_threads}"
        + (f" pinned to CPU {args.pin_loadgen}" if args.pin_loadgen is not None else " (unpinned, same machine)")
        + f", median of {args.rounds} × {args.duration} s rounds after {args.warmup} s warm-up; "
        f"{args.applicants:,} applicants in turn, {args.residents:,} residents"
    )
    print(f"machine: {platform.machine()}, {cores} CPUs, Python {platform.python_version()}, load {load_average()}")
    print()
    names = [BARE, INTAKE]
    width = max(display_width(n) for n in names) + 1
    header = (
        f"{pad('endpoint', width)} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs bare':>8} "
        f"{'CPU ms/req':>10} {'PG CPU ms':>9} {'errors':>6}  target"
    )
    print(header)
    print("-" * (display_width(header) + 30))
    for summary, pg_ms in ((baseline, totals["pg_cpu_ms_bare"]), (intake, totals["pg_cpu_ms_intake"])):
        ratio = summary.rps / baseline.rps if baseline.rps else float("nan")
        if summary is intake:
            met = summary.rps >= TARGET_CASES_PER_S
            verdict = f"≥{TARGET_CASES_PER_S:,.0f} cases/s: {'met' if met else 'MISSED'}"
        else:
            verdict = "—"
        print(
            f"{pad(summary.name, width)} {summary.rps:>8,.0f} {summary.p50:>7.1f} {summary.p99:>7.1f} "
            f"{ratio:>7.3f}x {summary.server_cpu_ms:>10.2f} {pg_ms:>9.2f} {summary.errors:>6}  {verdict}"
        )
    print()
    print(
        "req/s of the intake = cases/s (every answer was a 201, checked below). CPU ms/req: granian's "
        "processes; PG CPU ms: the PostgreSQL backends of the bench database, per answered request."
    )
    print(
        f"{cores} cores could at best serve {cores} × 1000 / (CPU ms + PG CPU ms) = "
        f"{cores * 1000 / (intake.server_cpu_ms + totals['pg_cpu_ms_intake']):,.0f} cases/s."
    )
    share = max(s.loadgen_cpu_share for s in summaries)
    print(f"The load generator used up to {share:.2f} of a CPU; req/s and p99 are medians over the rounds.")
    return 0


def verify(totals: dict, before: tuple[int, int], after: tuple[int, int], runs: int) -> int:
    """Every case in the database is a 201 answer, or a request still in flight when wrk stopped
    (sent, its answer never read: the server finished it all the same)."""
    cases, tasks = after[0] - before[0], after[1] - before[1]
    created = totals["created"] + 1  # + the check request
    unanswered = totals["sent"] - totals["created"] - totals["other"]
    cut_off = cases - created
    print(
        f"cases in the database: +{cases:,} = {created:,} answered 201 (incl. 1 check) + {cut_off:,} in flight "
        f"when wrk stopped ({unanswered:,} sent and unanswered over {runs} wrk runs); "
        f"other answers: {totals['other']:,}; notifications enqueued: +{tasks:,}"
    )
    problems = []
    if totals["other"]:
        problems.append(f"{totals['other']} answers were not 201")
    if not 0 <= cut_off <= unanswered:
        problems.append("the cases in the database do not match the 201 answers")
    if tasks != cases:
        problems.append(f"{tasks} notifications enqueued for {cases} cases")
    for problem in problems:
        print(f"FAILED: {problem}: the figures above are not valid", file=sys.stderr)
    return 1 if problems else 0


def main(args: argparse.Namespace) -> int:
    if not harness.wrk_available():
        raise SystemExit("desk-intake needs wrk (apt-get install -y wrk): POST bodies come from a wrk script")
    config = harness.ServerConfig(args.workers, args.blocking_threads, args.backpressure)
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        env["LINLI_TASK_BACKEND"] = "database"  # production's backend: the enqueue is an INSERT
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        applicants, checklist = prepare(args)
        script = write_script(applicants, checklist)
        try:
            with harness.granian_server(env, config) as server:
                token = harness.demo_token(server.base, env, ACCOUNT)
                before = counts()
                check_intake(server.base, token, applicants[-1], checklist)
                summaries, totals = measure(args, server, token, script)
            after = counts()
        finally:
            script.unlink(missing_ok=True)
        code = report(args, config, summaries, totals)
        return code or verify(totals, before, after, runs=1 + args.rounds)
