"""`care-statements`: a provider's monthly statement and a district's provider figures with a
month of the city's home care in the tables (issue 16, Performance), on PostgreSQL.

The data: a fresh PostgreSQL database, migrated; `--orders` orders (default 300,000) of one month
spread over 300 providers based in the city's ten districts, each with `--visits-per-order`
visits (default 5: 1.5 million visits), 85 % verified, the rest done, missed or scheduled, a
third rated; bulk-inserted (`bulk_create`, batches of 5,000).

What is timed (best of `--rounds`, default 5):
1. `statement_generate` — what the statements page's "generate" button calls — for one provider
   and the month (about 5,000 verified visits → lines, totals, audit), rolled back after each
   round so every round makes the whole statement; target < 1 s. Baseline in the same run: a
   plain COUNT of the same provider's verified visits of the month.
2. `area_provider_figures` — the provider figures page's selector — for a district's officer over
   six months; target < 500 ms. Baseline: a plain COUNT of the district's visits of the month.

`--quick`: 30,000 orders (150,000 visits).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench import harness

CITY_ORDERS = 300_000
QUICK_ORDERS = 30_000
PROVIDERS = 300
DISTRICTS = ["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114", "210115"]
MONTH = date(2026, 11, 1)
TARGET_STATEMENT = 1.0
TARGET_FIGURES = 0.5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=None, help=f"orders in the month (default {CITY_ORDERS:,})")
    parser.add_argument("--visits-per-order", type=int, default=5, help="visits per order (default 5)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ORDERS:,} orders")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--seed", type=int, default=16, help="random seed (default 16)")
    harness.add_postgres_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.orders is None:
        args.orders = QUICK_ORDERS if args.quick else CITY_ORDERS
    sys.stdout.reconfigure(line_buffering=True)
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-care-"))
    try:
        with harness.postgres_database(args.postgres) as url:
            harness.django_setup(url, data_dir)
            started = time.perf_counter()
            provider = load(args)
            harness.log(f"loaded {args.orders:,} orders in {time.perf_counter() - started:.0f} s")
            report(args, measure(args, provider))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def load(args: argparse.Namespace):
    """The month's orders and visits, bulk-inserted; returns the provider the statement is for."""
    from django.db import connection
    from django.utils import timezone

    from linli.care.domain.orders import OrderState, VisitState
    from linli.care.models import Order, Provider, ServiceItem, ServiceList, Visit

    rng = random.Random(args.seed)
    now = timezone.now()
    listing = ServiceList.objects.create(version=999, title="bench", effective_from=date(2026, 1, 1), published_at=now)
    items = [
        ServiceItem.objects.create(
            service_list=listing, code=f"B{n:02d}", name=f"项目{n}", category="daily_care", unit_price=Decimal("50.00")
        )
        for n in range(8)
    ]
    providers = Provider.objects.bulk_create(
        [
            Provider(name=f"机构{n:03d}", kind="company", path=f"{DISTRICTS[n % len(DISTRICTS)]}{n % 9 + 1:03d}")
            for n in range(PROVIDERS)
        ]
    )
    tz = timezone.get_current_timezone()
    states = [VisitState.VERIFIED] * 85 + [VisitState.DONE] * 7 + [VisitState.MISSED] * 4 + [VisitState.SCHEDULED] * 4
    batch_orders: list[Order] = []

    def flush(orders: list[Order]) -> None:
        Order.objects.bulk_create(orders, batch_size=5000)
        visits = []
        for order in orders:
            for k in range(args.visits_per_order):
                start = datetime(2026, 11, 1 + (order.pk + k * 6) % 30, 8 + k % 9, 0, tzinfo=tz)
                state = rng.choice(states)
                visits.append(
                    Visit(
                        order=order,
                        provider_id=order.provider_id,
                        person_ref=order.person_ref,
                        path=order.path,
                        state=state,
                        slot_start=start,
                        slot_end=start + timedelta(hours=1),
                        month=MONTH,
                        checked_in_at=start + timedelta(minutes=rng.randrange(-10, 30))
                        if state != VisitState.SCHEDULED and state != VisitState.MISSED
                        else None,
                        rating=rng.randrange(1, 6) if rng.random() < 0.33 and state == VisitState.VERIFIED else None,
                        government_pays=Decimal("8.00"),
                        resident_pays=Decimal("2.00"),
                        created_at=now,
                    )
                )
        Visit.objects.bulk_create(visits, batch_size=5000)

    for n in range(args.orders):
        provider = providers[n % PROVIDERS]
        batch_orders.append(
            Order(
                number=f"B{n:09d}",
                state=OrderState.COMPLETED,
                person_ref=uuid.uuid4(),
                person_name="老人",
                path=f"{provider.path}{n % 20 + 1:03d}",
                address="—",
                item=items[n % len(items)],
                provider=provider,
                quantity=args.visits_per_order,
                month=MONTH,
                subsidy_share=80,
                unit_price=Decimal("50.00"),
                government_pays=Decimal("40.00"),
                resident_pays=Decimal("10.00"),
                ordered_by_name="bench",
                created_at=now,
                updated_at=now,
            )
        )
        if len(batch_orders) == 20_000:
            flush(batch_orders)
            batch_orders = []
            harness.log(f"{n + 1:,} orders")
    if batch_orders:
        flush(batch_orders)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE care_order")
        cursor.execute("ANALYZE care_visit")
    return providers[0]


def _best(rounds: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


class _RollbackError(Exception):
    pass


def measure(args: argparse.Namespace, provider) -> dict:
    from django.db import connection, transaction

    from linli.accounts.domain import CARE_FIGURES, CARE_PAY, CARE_VIEW
    from linli.care.selectors.statements import area_provider_figures, figures_months
    from linli.care.services.statements import statement_generate
    from linli.core.actor import Actor

    district = provider.path[:6]
    actor = Actor(
        username="bench",
        permissions=frozenset({CARE_PAY, CARE_VIEW, CARE_FIGURES}),
        scope_paths=(district,),
    )
    lines = {}

    def statement():
        with contextlib.suppress(_RollbackError), transaction.atomic():
            made = statement_generate(actor=actor, provider=provider, month=MONTH)
            lines["n"] = made.line_count
            raise _RollbackError

    def count_verified():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM care_visit WHERE provider_id = %s AND month = %s AND state = 'verified'",
                [provider.pk, MONTH],
            )
            return cursor.fetchone()[0]

    months = figures_months(date(2026, 11, 30))

    def figures():
        return area_provider_figures(actor=actor, months=months)

    def count_district():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM care_visit WHERE path LIKE %s AND month = %s", [f"{district}%", MONTH])
            return cursor.fetchone()[0]

    statement_s, _ = _best(args.rounds, statement)
    count_s, verified = _best(args.rounds, count_verified)
    figures_s, rows = _best(args.rounds, figures)
    district_s, district_visits = _best(args.rounds, count_district)
    return {
        "statement_s": statement_s,
        "statement_lines": lines["n"],
        "verified": verified,
        "count_s": count_s,
        "figures_s": figures_s,
        "figure_rows": len(rows),
        "district_s": district_s,
        "district_visits": district_visits,
    }


def report(args: argparse.Namespace, r: dict) -> None:
    visits = args.orders * args.visits_per_order
    print(f"care-statements: {args.orders:,} orders, {visits:,} visits of one month, {PROVIDERS} providers")
    print(
        f"  statement of one provider: {r['statement_s'] * 1000:.0f} ms for {r['statement_lines']:,} lines "
        f"(target < {TARGET_STATEMENT * 1000:.0f} ms) — baseline COUNT of its verified visits "
        f"({r['verified']:,}): {r['count_s'] * 1000:.1f} ms"
    )
    print(
        f"  district provider figures (6 months): {r['figures_s'] * 1000:.0f} ms, {r['figure_rows']} rows "
        f"(target < {TARGET_FIGURES * 1000:.0f} ms) — baseline COUNT of the district's visits "
        f"({r['district_visits']:,}): {r['district_s'] * 1000:.1f} ms"
    )
    ok = r["statement_s"] < TARGET_STATEMENT and r["figures_s"] < TARGET_FIGURES
    print("  " + ("both within target" if ok else "OVER TARGET"))
