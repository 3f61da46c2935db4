"""`mediation`: a mediator's queue, a district's monthly screening summary and its four-zero board
with a year of the city's mediation in the tables (issue 17, Performance), on PostgreSQL.

The data: a fresh PostgreSQL database, migrated; 1,000 communities (10 districts × 10 streets ×
10 communities), one committee mediator per community, two full-time mediators per street and 50
experts; `--disputes` disputes (default 200,000) over the twelve months before MONTH, spread over
the communities and their mediators, in every state; per dispute, steps and sessions to make ten
rows on average (2 million for the default); each community's screening report for each month and
its four-zero status for each month. Bulk-inserted (`bulk_create`, batches of 5,000).

What is timed (best of `--rounds`, default 5):
1. the mediator's queue — the selector behind `/staff/mediation/my/` — for a street's full-time
   mediator (the busiest kind); target < 50 ms. Baseline in the same run: a plain COUNT of the
   mediator's open disputes.
2. the district's screening summary for MONTH — the selector behind the street/district summary
   page; target < 500 ms. Baseline: a plain COUNT of the district's disputes registered in MONTH.
3. the district's four-zero board for MONTH — the selector behind the board; target < 500 ms.
   Baseline: the same COUNT.

`--quick`: 20,000 disputes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import harness

CITY_DISPUTES = 200_000
QUICK_DISPUTES = 20_000
DISTRICTS = ["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114", "210115"]
STREETS_PER_DISTRICT = 10
COMMUNITIES_PER_STREET = 10
MONTH = date(2026, 11, 1)
TARGET_QUEUE = 0.05
TARGET_SUMMARY = 0.5
TARGET_BOARD = 0.5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--disputes", type=int, default=None, help=f"disputes in the year (default {CITY_DISPUTES:,})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_DISPUTES:,} disputes")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--seed", type=int, default=17, help="random seed (default 17)")
    harness.add_postgres_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.disputes is None:
        args.disputes = QUICK_DISPUTES if args.quick else CITY_DISPUTES
    sys.stdout.reconfigure(line_buffering=True)
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-mediation-"))
    try:
        with harness.postgres_database(args.postgres) as url:
            harness.django_setup(url, data_dir)
            started = time.perf_counter()
            loaded = load(args)
            harness.log(
                f"loaded {args.disputes:,} disputes, {loaded['rows']:,} rows in {time.perf_counter() - started:.0f} s"
            )
            report(args, loaded, measure(args, loaded))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def _communities() -> list[str]:
    return [
        f"{district}{street:03d}{community:03d}"
        for district in DISTRICTS
        for street in range(1, STREETS_PER_DISTRICT + 1)
        for community in range(1, COMMUNITIES_PER_STREET + 1)
    ]


def _org_tree(communities: list[str], streets: list[str]) -> None:
    """The city, its districts, streets and communities (the summaries list a unit's communities)."""
    from linli.areas.models import OrgUnit

    city = OrgUnit.objects.create(code="210100000000", path="2101", name="市", kind="city", unit_type="市", depth=1)
    districts = {
        d: OrgUnit.objects.create(
            code=f"{d}000000", path=d, name=f"区{d}", kind="district", unit_type="区", depth=2, parent=city
        )
        for d in DISTRICTS
    }
    street_units = {
        s: OrgUnit(
            code=f"{s}000",
            path=s,
            name=f"街道{s[-3:]}",
            kind="street",
            unit_type="街道",
            depth=3,
            parent=districts[s[:6]],
        )
        for s in streets
    }
    OrgUnit.objects.bulk_create(street_units.values())
    OrgUnit.objects.bulk_create(
        OrgUnit(
            code=c,
            path=c,
            name=f"社区{c[-6:]}",
            kind="community",
            unit_type="社区",
            depth=4,
            parent=street_units[c[:9]],
            lat=41.8 + int(c[-3:]) / 1000,
            lng=123.4 + int(c[6:9]) / 1000,
        )
        for c in communities
    )


def load(args: argparse.Namespace) -> dict:
    """The year's disputes, steps, sessions, screenings and four-zero statuses, bulk-inserted."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from linli.mediation.domain.disputes import DisputeState, SessionState
    from linli.mediation.models import (
        Dispute,
        DisputeKind,
        DisputeScreening,
        DisputeStep,
        FourZeroStatus,
        MediationSession,
        Mediator,
    )

    rng = random.Random(args.seed)
    now = timezone.now()
    tz = timezone.get_current_timezone()
    kinds = list(DisputeKind.objects.all())
    communities = _communities()
    streets = sorted({c[:9] for c in communities})
    _org_tree(communities, streets)
    user = get_user_model().objects.create_user(username="bench_mediator")
    mediators = Mediator.objects.bulk_create(
        [
            Mediator(path=c, kind="committee", name=f"调解员{c[-6:]}", since=date(2025, 1, 1), created_at=now)
            for c in communities
        ]
        + [
            Mediator(path=s, kind="full_time", name=f"专职{s[-3:]}{n}", since=date(2025, 1, 1), created_at=now)
            for s in streets
            for n in (1, 2)
        ]
        + [
            Mediator(path=d, kind="expert", name=f"专家{d}{n}", since=date(2025, 1, 1), created_at=now)
            for d in DISTRICTS
            for n in range(5)
        ]
    )
    by_path: dict[str, list] = {}
    for mediator in mediators:
        by_path.setdefault(mediator.path, []).append(mediator)
    busiest = by_path[streets[0]][0]
    busiest.user = user
    busiest.save(update_fields=["user"])
    states = (
        [DisputeState.CLOSED] * 50
        + [DisputeState.AGREED] * 15
        + [DisputeState.FAILED] * 8
        + [DisputeState.MEDIATING] * 12
        + [DisputeState.ACCEPTED] * 3
        + [DisputeState.CONSENT] * 4
        + [DisputeState.REFUSED] * 4
        + [DisputeState.WITHDRAWN] * 4
    )
    first_day = date(MONTH.year - 1, MONTH.month, 1)
    days = (MONTH.replace(day=28) + timedelta(days=4)).replace(day=1) - first_day
    rows = 0
    batch: list = []

    def flush(disputes: list) -> int:
        Dispute.objects.bulk_create(disputes, batch_size=5000)
        steps, sessions = [], []
        for d in disputes:
            for _ in range(6):
                steps.append(
                    DisputeStep(dispute=d, action="assign", from_state="", to_state=d.state, by_name="bench", at=now)
                )
            if d.mediator_id is not None:
                for k in range(4):
                    start = datetime(d.registered_on.year, d.registered_on.month, d.registered_on.day, 9, tzinfo=tz)
                    sessions.append(
                        MediationSession(
                            dispute=d,
                            starts_at=start + timedelta(days=3 * k + 1),
                            place="调解室",
                            state=SessionState.HELD if k < 3 else SessionState.SCHEDULED,
                            mediator_name="bench",
                        )
                    )
        DisputeStep.objects.bulk_create(steps, batch_size=5000)
        MediationSession.objects.bulk_create(sessions, batch_size=5000)
        return len(disputes) + len(steps) + len(sessions)

    for n in range(args.disputes):
        community = communities[n % len(communities)]
        state = rng.choice(states)
        registered = first_day + timedelta(days=rng.randrange(days.days))
        level_pool = rng.random()
        if state in {DisputeState.CONSENT, DisputeState.ACCEPTED, DisputeState.REFUSED}:
            mediator = None
        elif level_pool < 0.7:
            mediator = by_path[community][0]
        elif level_pool < 0.95:
            mediator = rng.choice(by_path[community[:9]])
        else:
            mediator = rng.choice(by_path[community[:6]])
        open_ = state in {DisputeState.CONSENT, DisputeState.ACCEPTED, DisputeState.MEDIATING}
        batch.append(
            Dispute(
                number=f"B{n:012d}",
                path=community,
                kind=kinds[n % len(kinds)],
                level="community",
                source="window",
                title="邻里纠纷",
                facts_sealed="—",
                state=state,
                mediator=mediator,
                registered_on=registered,
                accepted_on=registered if mediator else None,
                due_on=registered + timedelta(days=30) if mediator else None,
                ended_on=None if open_ else registered + timedelta(days=rng.randrange(1, 40)),
                escalated=rng.random() < 0.01,
                registered_by_name="bench",
                created_at=now,
                updated_at=now,
            )
        )
        if len(batch) == 20_000:
            rows += flush(batch)
            batch = []
            harness.log(f"{n + 1:,} disputes")
    if batch:
        rows += flush(batch)
    screenings, statuses = [], []
    month = first_day
    while month <= MONTH:
        for community in communities:
            screenings.append(
                DisputeScreening(
                    path=community,
                    month=month,
                    found=3,
                    in_mediation=1,
                    resolved=2,
                    escalated_risks=0,
                    filed_by_name="bench",
                    filed_at=now,
                )
            )
            statuses.append(
                FourZeroStatus(
                    path=community,
                    month=month,
                    petitions=0,
                    accidents=rng.randrange(2),
                    cases=0,
                    drills=1,
                    petitions_state="met",
                    accidents_state="met",
                    cases_state="met",
                    readiness_state="met",
                    four_zero=True,
                    computed_at=now,
                )
            )
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    DisputeScreening.objects.bulk_create(screenings, batch_size=5000)
    FourZeroStatus.objects.bulk_create(statuses, batch_size=5000)
    rows += len(screenings) + len(statuses)
    with connection.cursor() as cursor:
        for table in ("dispute", "disputestep", "mediationsession", "disputescreening", "fourzerostatus", "mediator"):
            cursor.execute(f"ANALYZE mediation_{table}")
    return {"rows": rows, "mediator": busiest, "user": user, "district": DISTRICTS[0]}


def _best(rounds: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(args: argparse.Namespace, loaded: dict) -> dict:
    from django.db import connection

    from linli.accounts.domain import MEDIATION_MEDIATE, MEDIATION_VIEW, SAFETY_FIGURES
    from linli.core.actor import Actor
    from linli.mediation.selectors.safety import four_zero_board, four_zero_counts
    from linli.mediation.selectors.screening import screening_summary
    from linli.mediation.selectors.sessions import mediator_queue

    district = loaded["district"]
    mediator_actor = Actor(
        user_id=loaded["user"].pk,
        username="bench_mediator",
        roles=frozenset({"mediator"}),
        permissions=frozenset({MEDIATION_VIEW, MEDIATION_MEDIATE}),
        scope_paths=(loaded["mediator"].path,),
    )
    officer = Actor(
        username="bench",
        roles=frozenset({"district_admin"}),
        permissions=frozenset({MEDIATION_VIEW, SAFETY_FIGURES}),
        scope_paths=(district,),
    )
    today = MONTH + timedelta(days=40)

    def queue():
        return list(mediator_queue(actor=mediator_actor, today=today))

    def count_open():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM mediation_dispute WHERE mediator_id = %s AND state IN ('mediating', 'agreed')",
                [loaded["mediator"].pk],
            )
            return cursor.fetchone()[0]

    def summary():
        return screening_summary(actor=officer, path=district, month=MONTH, today=today)

    def board():
        return four_zero_board(actor=officer, month=MONTH)

    def recompute():
        return four_zero_counts(under=district, month=MONTH)

    def count_district():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM mediation_dispute"
                " WHERE path LIKE %s AND registered_on >= %s AND registered_on < %s",
                [f"{district}%", MONTH, (MONTH + timedelta(days=32)).replace(day=1)],
            )
            return cursor.fetchone()[0]

    queue_s, rows = _best(args.rounds, queue)
    open_s, open_count = _best(args.rounds, count_open)
    summary_s, made = _best(args.rounds, summary)
    board_s, shown = _best(args.rounds, board)
    recompute_s, counted = _best(args.rounds, recompute)
    district_s, district_count = _best(args.rounds, count_district)
    return {
        "queue_s": queue_s,
        "queue_rows": len(rows),
        "open_s": open_s,
        "open": open_count,
        "summary_s": summary_s,
        "summary_lines": len(made.lines),
        "board_s": board_s,
        "board_rows": len(shown.rows),
        "recompute_s": recompute_s,
        "recomputed": len(counted),
        "district_s": district_s,
        "district": district_count,
    }


def report(args: argparse.Namespace, loaded: dict, r: dict) -> None:
    print(f"mediation: {args.disputes:,} disputes over a year, {loaded['rows']:,} rows, 1,000 communities")
    print(
        f"  a mediator's queue: {r['queue_s'] * 1000:.1f} ms for {r['queue_rows']} disputes "
        f"(target < {TARGET_QUEUE * 1000:.0f} ms) — baseline COUNT of their open disputes "
        f"({r['open']:,}): {r['open_s'] * 1000:.1f} ms"
    )
    print(
        f"  district screening summary: {r['summary_s'] * 1000:.0f} ms, {r['summary_lines']} communities "
        f"(target < {TARGET_SUMMARY * 1000:.0f} ms) — baseline COUNT of the district's disputes of the month "
        f"({r['district']:,}): {r['district_s'] * 1000:.1f} ms"
    )
    print(
        f"  district four-zero board: {r['board_s'] * 1000:.0f} ms, {r['board_rows']} communities "
        f"(target < {TARGET_BOARD * 1000:.0f} ms); recomputing the district's month from the records: "
        f"{r['recompute_s'] * 1000:.0f} ms for {r['recomputed']} communities"
    )
    ok = r["queue_s"] < TARGET_QUEUE and r["summary_s"] < TARGET_SUMMARY and r["board_s"] < TARGET_BOARD
    print("  " + ("all within target" if ok else "OVER TARGET"))
