"""`desk-queries`: the service desk's reads at N cases (default 3,000,000), each beside a baseline
from the same run and database, in the service layer (selectors), as the pages and the API call them.

- a unit's queue (`case_queue(queue="unit")`, first 50 rows with their item) for a street officer
  and for a district department officer, vs a primary-key fetch of one case;
- the overdue list (`case_queue(queue="overdue")`, first 50) for a district admin, idem;
- both pages as the API serves them (`Page`: the 50 rows and the queue's total in one query);
- on-time rate, open/overdue cases and satisfaction per district since 1 January
  (`desk_figures_by_child` for the city, reading the stored day figures that `linli tick` keeps,
  today counted live) vs a `COUNT(*)` of all cases. Linli's connections run with JIT off.

Targets (issue): queue pages < 100 ms, the city's figures per district < 1 s.

The data: `linli demo --no-serve` (the real division tree, demo accounts, the catalogue), then
`--generated` cases (default 100,000) simulated by `demo_cases_generate` over the last 365 days
with their whole timelines, then SQL copies of those cases (`INSERT … SELECT`, new id, number
and public id, same dates and places) with their ratings until N cases: the same spread, N/100,000
times as many. Copies have no timeline events (no query here reads them). VACUUM ANALYZE after,
then `desk_figures_refresh(full=True)` (timed and logged) as the first tick would run it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from bench import harness

TARGETS_MS = {"queue": 100.0, "figures": 1000.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cases", type=int, default=3_000_000, help="service cases in all (default 3,000,000)")
    parser.add_argument(
        "--generated",
        type=int,
        default=100_000,
        help="cases simulated by demo_cases_generate (~500/s); the rest are SQL copies of them (default 100,000)",
    )
    parser.add_argument("--residents", type=int, default=20_000, help="demo residents (default 20,000)")
    parser.add_argument("--applicants", type=int, default=20_000, help="applicants of the cases (default 20,000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per queue query (default 20)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of each query")
    harness.add_postgres_argument(parser)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")


def main(args: argparse.Namespace) -> int:
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        load(args)
        return measure(args)


# --- data --------------------------------------------------------------------------------------


def staff_accounts() -> dict[str, object]:
    from django.contrib.auth import get_user_model

    names = ("community_worker", "street_officer", "department_officer", "district_admin", "city_admin")
    return {name: get_user_model().objects.get(username=f"demo_{name}") for name in names}


def load(args: argparse.Namespace) -> None:
    from django.db import connection

    from linli.accounts.models import Posting
    from linli.residents.selectors import applicant_sample
    from linli.service_desk.demo import DemoStaff, demo_cases_generate
    from linli.service_desk.models import ServiceCase

    users = staff_accounts()
    posting = {name: Posting.objects.filter(user=user).first() for name, user in users.items()}
    staff = DemoStaff(
        by_path={
            posting["community_worker"].scope_path: (users["community_worker"].pk, users["community_worker"].username),
            posting["street_officer"].scope_path: (users["street_officer"].pk, users["street_officer"].username),
            f"dept:{posting['department_officer'].department_id}": (
                users["department_officer"].pk,
                users["department_officer"].username,
            ),
        }
    )
    applicants = applicant_sample(n=args.applicants, seed=1)
    existing = ServiceCase.objects.count()
    to_generate = max(0, min(args.generated, args.cases - existing))
    harness.log(f"{existing:,} demo cases; generating {to_generate:,} for {len(applicants):,} applicants")
    started = time.perf_counter()
    done = 0
    while done < to_generate:  # in slices, to log progress
        step = min(50_000, to_generate - done)
        demo_cases_generate(
            applicants=applicants, count=step, staff=staff, seed=1 + done, days_back=365, batch=5000
        )  # fmt: skip
        done += step
        rate = done / (time.perf_counter() - started)
        harness.log(f"generated {done:,}/{to_generate:,} ({rate:,.0f} cases/s)")
    copy_cases(args.cases)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("service_desk_servicecase", "service_desk_caserating", "service_desk_caseevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    harness.log(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")
    # what `linli tick` keeps up to date: each unit's figures per past day
    from linli.service_desk.services import desk_figures_refresh

    started = time.perf_counter()
    result = desk_figures_refresh(full=True)
    harness.log(f"desk_figures_refresh(full=True): {result} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    desk_figures_refresh()
    harness.log(f"desk_figures_refresh() (the minutely tick): {time.perf_counter() - started:.2f} s")


def _columns(table: str, leave_out: set[str]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [f'"{name}"' for (name,) in cursor.fetchall() if name not in leave_out]


def copy_cases(target: int) -> None:
    """Copy k of the simulated cases gets id + k × (largest id), number `<number>/k`, a new
    public id; their ratings are copied with them. A last, partial copy takes the lowest ids."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM service_desk_servicecase")
        base_count, span = cursor.fetchone()
    if target <= base_count:
        return
    case_columns = _columns("service_desk_servicecase", {"id", "number", "public_id"})
    rating_columns = _columns("service_desk_caserating", {"id", "case_id"})
    started = time.perf_counter()
    total, k = base_count, 0
    while total < target:
        k += 1
        cutoff = span
        if target - total < base_count:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM service_desk_servicecase WHERE id <= %s ORDER BY id OFFSET %s LIMIT 1",
                    [span, target - total - 1],
                )
                (cutoff,) = cursor.fetchone()
        # the column names come from information_schema, quoted; values are parameters
        copy_case = (
            f"INSERT INTO service_desk_servicecase (id, number, public_id, {', '.join(case_columns)}) "  # noqa: S608
            f"SELECT id + %s, number || '/' || %s, gen_random_uuid(), {', '.join(case_columns)} "
            "FROM service_desk_servicecase WHERE id <= %s"
        )
        copy_rating = (
            f"INSERT INTO service_desk_caserating (case_id, {', '.join(rating_columns)}) "  # noqa: S608
            f"SELECT case_id + %s, {', '.join(rating_columns)} FROM service_desk_caserating WHERE case_id <= %s"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(copy_case, [k * span, str(k), cutoff])
            total += cursor.rowcount
            cursor.execute(copy_rating, [k * span, cutoff])
        rate = (total - base_count) / (time.perf_counter() - started)
        harness.log(f"copy {k}: {total:,}/{target:,} cases ({rate:,.0f} rows/s)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('service_desk_servicecase', 'id'), "
            "(SELECT max(id) FROM service_desk_servicecase))"
        )


# --- measure -----------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.utils import timezone

    from linli.accounts.selectors import actor_for_user
    from linli.areas.models import OrgUnit
    from linli.core.apitools import Page
    from linli.service_desk.models import CaseRating, ServiceCase
    from linli.service_desk.selectors import case_queue, desk_figures_by_child

    actors = {name: actor_for_user(user) for name, user in staff_accounts().items()}
    city_path = OrgUnit.objects.get(kind="city").path
    now = timezone.now()
    since = timezone.make_aware(timezone.datetime(timezone.localdate().year, 1, 1))
    total = ServiceCase.objects.count()
    with connection.cursor() as cursor:  # existing ids, from pages spread over the table
        cursor.execute("SELECT id FROM service_desk_servicecase TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 2000")
        pks = [pk for (pk,) in cursor.fetchall()] or list(ServiceCase.objects.values_list("id", flat=True)[:500])
    random.Random(7).shuffle(pks)
    pk_iter = iter(pks * 10)

    def queue(actor, name):
        return lambda: list(case_queue(actor=actor, queue=name).select_related("item")[:50])

    def api_page(actor, name):
        return lambda: Page().paginate_queryset(
            case_queue(actor=actor, queue=name).select_related("item"), Page.Input(limit=50, offset=0)
        )

    def figures():
        return desk_figures_by_child(
            actor=actors["city_admin"], parent_path=city_path, child_length=6, since=since, until=now, names={}
        )

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def pk_fetch():
        return ServiceCase.objects.select_related("item", "item_version").filter(pk=next(pk_iter)).first()

    street, dept, district = actors["street_officer"], actors["department_officer"], actors["district_admin"]
    checks = {
        "unit queue, street officer": queue(street, "unit"),
        "unit queue, department officer": queue(dept, "unit"),
        "overdue list, district admin": queue(district, "overdue"),
    }
    for name, fn in checks.items():
        rows = fn()
        if not rows:
            raise SystemExit(f"{name} returned no rows: choose more --cases")
        if len(rows) < 50:
            harness.log(f"{name} returned only {len(rows)} rows: the figure is for a short page")
    queue_totals = {
        "unit queue, street officer": api_page(street, "unit")()["count"],
        "unit queue, department officer": api_page(dept, "unit")()["count"],
        "overdue list, district admin": api_page(district, "overdue")()["count"],
    }
    seen = {
        "street officer": case_queue(actor=street, queue="all").count(),
        "department officer": case_queue(actor=dept, queue="all").count(),
        "district admin": case_queue(actor=district, queue="all").count(),
    }
    table = figures()

    base_pk = statistics.median(harness.timed_ms(pk_fetch, args.repeat))
    base_one = statistics.median(harness.timed_ms(select_one, args.repeat))
    base_count = statistics.median(harness.timed_ms(lambda: ServiceCase.objects.count(), 3))
    rows = []
    for name, fn in checks.items():
        rows.append((name, statistics.median(harness.timed_ms(fn, args.repeat)), "pk fetch", base_pk, "queue"))
    for name, (actor, queue_name) in {
        "unit queue, street officer, API page + total": (street, "unit"),
        "overdue list, district admin, API page + total": (district, "overdue"),
    }.items():
        fn = api_page(actor, queue_name)
        rows.append((name, statistics.median(harness.timed_ms(fn, args.repeat)), "pk fetch", base_pk, "queue"))
    figure_times = harness.timed_ms(figures, 5)
    name = "figures per district, city, since 1 Jan"
    rows.append((name, statistics.median(figure_times), "COUNT(*)", base_count, "figures"))

    version = connection.pg_version if connection.vendor == "postgresql" else ""
    print(
        f"\ndesk_queries — {connection.vendor} {version}, {total:,} cases, "
        f"{CaseRating.objects.count():,} ratings, load {os.getloadavg()[0]:.2f}"
    )
    print(
        "cases seen: "
        + ", ".join(f"{who} {n:,}" for who, n in seen.items())
        + "; queue totals: "
        + ", ".join(f"{who.split(',')[0]} ({who.split(', ')[1]}) {n:,}" for who, n in queue_totals.items())
    )
    decided = sum(f.decided for f in table)
    print(
        f"figures: {len(table)} units, {decided:,} cases decided since {since:%Y-%m-%d}, "
        + "; ".join(
            f"{f.path} on time {f.on_time_rate:.1%} satisfaction {f.satisfaction}" for f in table[:3] if f.on_time_rate
        )
    )
    print(f"SELECT 1 round trip: {base_one:.2f} ms (median of {args.repeat})")
    print(f"\n{'measure':<62} {'ms':>9} {'baseline':>9} {'ms':>9} {'ratio':>7}  target")
    for name, value, base_name, base, kind in rows:
        target = TARGETS_MS[kind]
        verdict = ("met" if value < target else "MISSED") + f" (< {target:g} ms)"
        print(f"{name:<62} {value:9.2f} {base_name:>9} {base:9.2f} {value / base:7.1f}  {verdict}")
    print(
        f"\nmedians of {args.repeat} calls (figures: 5) after one warm-up call, in this process; "
        "pk fetch: one case with its item and version by primary key; figures read the stored day "
        "figures (refreshed above, as `linli tick` keeps them) and count today live."
    )
    if args.explain:
        for name, fn in checks.items():
            harness.explain(name, fn)
        harness.explain("API page + total, street officer", api_page(street, "unit"))
        harness.explain("API page + total, district admin", api_page(district, "overdue"))
        harness.explain("figures per district", figures)
    return 0
