"""`care-visits`: carers' check-ins per second through the check-in service, with a month of a
city's home care in the tables (issue 16, Performance: ≥ 200 check-ins/s on two cores), on
PostgreSQL.

The data: a fresh PostgreSQL database, migrated; `--orders` orders (default 300,000) of one month
with `--visits-per-order` visits each (default 5: 1.5 million visits), bulk-inserted; then
`--checkins` scheduled visits whose slot is now, spread over 50 carers.

What is timed: `--processes` worker processes (default 2, one per core) each check in their share
of the visits through `visit_check_in` (position at the home, the provider's radius, the slot's
window, the order's step and the audit line: one transaction each). Baseline in the same run: the
same processes doing a bare single-row UPDATE of the same visits (`SET late = late`).

`--quick`: 30,000 orders (150,000 visits).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bench import harness

CITY_ORDERS = 300_000
QUICK_ORDERS = 30_000
CARERS = 50
MONTH = date(2026, 11, 1)
TARGET = 200.0
HOME = (41.80, 123.43)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=None, help=f"orders in the month (default {CITY_ORDERS:,})")
    parser.add_argument("--visits-per-order", type=int, default=5, help="visits per order (default 5)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ORDERS:,} orders")
    parser.add_argument("--checkins", type=int, default=4000, help="check-ins timed (default 4,000)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    harness.add_postgres_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.orders is None:
        args.orders = QUICK_ORDERS if args.quick else CITY_ORDERS
    sys.stdout.reconfigure(line_buffering=True)
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-visits-"))
    try:
        with harness.postgres_database(args.postgres) as url:
            harness.django_setup(url, data_dir)
            started = time.perf_counter()
            work = load(args)
            harness.log(f"loaded {args.orders:,} orders in {time.perf_counter() - started:.0f} s")
            baseline = run(args, work, "baseline")
            service = run(args, work, "service")
            report(args, service, baseline)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def load(args: argparse.Namespace) -> list[tuple[int, int]]:
    """The month's orders and visits, bulk-inserted, and the visits to check in now: (user id,
    visit id) pairs."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from linli.care.domain.orders import MemberKind, OrderState, VisitState
    from linli.care.models import Order, Provider, ProviderMember, ServiceItem, ServiceList, Visit

    now = timezone.now()
    listing = ServiceList.objects.create(version=999, title="bench", effective_from=date(2026, 1, 1), published_at=now)
    item = ServiceItem.objects.create(
        service_list=listing, code="B01", name="助洁", category="daily_care", unit_price=Decimal("50.00")
    )
    provider = Provider.objects.create(name="机构", kind="company", path="210102001", checkin_radius_m=300)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"carer{n}", display_name=f"护理员{n}") for n in range(CARERS)]
    )
    members = ProviderMember.objects.bulk_create(
        [
            ProviderMember(provider=provider, user=u, kind=MemberKind.CARER, name=u.display_name, since=MONTH)
            for u in users
        ]
    )

    def order(n: int, start) -> Order:
        return Order(
            number=f"B{n:09d}",
            state=OrderState.ACCEPTED,
            person_ref=uuid.uuid4(),
            person_name="老人",
            path="210102001002001001",
            address="—",
            home_lat=HOME[0],
            home_lng=HOME[1],
            item=item,
            provider=provider,
            carer=members[n % CARERS],
            quantity=1,
            month=MONTH,
            slot_start=start,
            slot_end=start + timedelta(hours=2),
            subsidy_share=80,
            unit_price=Decimal("50.00"),
            government_pays=Decimal("40.00"),
            resident_pays=Decimal("10.00"),
            ordered_by_name="bench",
            created_at=now,
            updated_at=now,
        )

    def visits_of(orders: list[Order], per: int, state: str) -> list[Visit]:
        return [
            Visit(
                order=o,
                provider=provider,
                carer=o.carer,
                person_ref=o.person_ref,
                path=o.path,
                state=state,
                slot_start=o.slot_start + timedelta(days=k),
                slot_end=o.slot_end + timedelta(days=k),
                month=MONTH,
                government_pays=Decimal("8.00"),
                resident_pays=Decimal("2.00"),
                created_at=now,
            )
            for o in orders
            for k in range(per)
        ]

    past = now - timedelta(days=40)
    for first in range(0, args.orders, 20_000):
        batch = [order(n, past) for n in range(first, min(first + 20_000, args.orders))]
        Order.objects.bulk_create(batch, batch_size=5000)
        Visit.objects.bulk_create(visits_of(batch, args.visits_per_order, VisitState.VERIFIED), batch_size=5000)
        harness.log(f"{first + len(batch):,} orders")
    timed = []
    for run in ("baseline", "service"):
        batch = [
            order(args.orders + n + (args.checkins if run == "service" else 0), now - timedelta(minutes=5))
            for n in range(args.checkins)
        ]
        Order.objects.bulk_create(batch, batch_size=5000)
        made = Visit.objects.bulk_create(visits_of(batch, 1, VisitState.SCHEDULED), batch_size=5000)
        timed.append([(v.carer.user_id, v.pk) for v in made])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE care_order")
        cursor.execute("ANALYZE care_visit")
    return timed


def _worker(kind: str, pairs: list[tuple[int, int]], started, done) -> None:
    from django.db import connection

    from linli.accounts.domain import CARE_VISIT
    from linli.care.services.orders import CheckIn, visit_check_in
    from linli.core.actor import Actor

    connection.close()  # a connection of its own, not the parent's
    here = CheckIn(lat=HOME[0] + 0.0002, lng=HOME[1], accuracy=15)
    started.wait()
    made = 0
    try:
        if kind == "baseline":
            with connection.cursor() as cursor:
                for _user_id, visit_id in pairs:
                    cursor.execute("UPDATE care_visit SET late = late WHERE id = %s", [visit_id])
                    made += 1
        else:
            for user_id, visit_id in pairs:
                actor = Actor(user_id=user_id, username=f"carer{user_id}", permissions=frozenset({CARE_VISIT}))
                visit_check_in(actor=actor, visit_id=visit_id, data=here)
                made += 1
    finally:
        connection.close()
        done.put(made)


def run(args: argparse.Namespace, timed: list, kind: str) -> float:
    """Check-ins per second over the worker processes (forked after loading)."""
    from django.db import connections

    pairs = timed[0] if kind == "baseline" else timed[1]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    started, done = context.Event(), context.Queue()
    shares = [pairs[i :: args.processes] for i in range(args.processes)]
    workers = [context.Process(target=_worker, args=(kind, share, started, done)) for share in shares]
    for worker in workers:
        worker.start()
    time.sleep(1)
    begin = time.perf_counter()
    started.set()
    count = sum(done.get() for _ in workers)
    seconds = time.perf_counter() - begin
    for worker in workers:
        worker.join()
    return count / seconds


def report(args: argparse.Namespace, service: float, baseline: float) -> None:
    visits = args.orders * args.visits_per_order
    print(f"care-visits: {args.orders:,} orders, {visits:,} visits of one month, {args.processes} processes")
    print(
        f"  check-ins through the service: {service:,.0f}/s (target ≥ {TARGET:.0f}/s) — baseline bare UPDATE: "
        f"{baseline:,.0f}/s (ratio {service / baseline:.2f})"
    )
    print("  " + ("within target" if service >= TARGET else "UNDER TARGET"))
