"""`residents_queries`: the resident pool's reads at city scale, each beside a baseline from the
same run and database.

- lookup by ID number (blind index, scoped, service layer) vs a primary-key lookup of the same rows;
- a community's roster (first page of households with their members and masked cards) vs counting
  that community's residents;
- the plan's awareness rates for the whole city vs a plain COUNT(*) of all residents.

Targets (issue 3, at 9.2 million residents): lookup p50 < 2 ms, roster < 100 ms, city rates < 2 s.
The data is made by `linli demo --no-serve --residents N` (synthetic, with care groups and visits);
figures for the whole city are extrapolated linearly in the number of rows scanned (stated below).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from bench import harness

CITY_RESIDENTS = 9_200_000
TARGETS_MS = {"lookup p50": 2.0, "roster": 100.0, "city rates": 2000.0}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--residents", type=int, default=200_000, help="synthetic residents (default 200,000)")
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/postgres",
        default=None,
        metavar="URL",
        help="run on a fresh PostgreSQL database on this server",
    )
    parser.add_argument("--keep", action="store_true")


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(args: argparse.Namespace) -> int:
    with harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep) as env:
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        return _measure(args)


def _measure(args: argparse.Namespace) -> int:
    from django.core.paginator import Paginator
    from django.db import connection

    from linli.core.actor import Actor
    from linli.core.crypto import unseal
    from linli.residents.models import Resident
    from linli.residents.selectors import household_list, pool_rates, resident_find_by_id_number, resident_list
    from linli.residents.services import pool_stats_refresh

    perms = frozenset({"residents.view"})
    city = Actor(
        user_id=1,
        username="bench",
        roles=frozenset({"city_admin"}),
        permissions=perms,
        scope_paths=("2101",),
        citywide=True,
    )
    total = Resident.objects.count()
    rng = random.Random(7)
    pks = rng.sample(list(Resident.objects.values_list("pk", flat=True)), min(args.lookups, total))
    sample = [
        (r.pk, unseal(r.id_number_sealed, context="resident.id_number")) for r in Resident.objects.filter(pk__in=pks)
    ]

    lookup = [
        _timed(lambda n=number: resident_find_by_id_number(actor=city, id_number=n), 1)[0] for _, number in sample
    ]
    by_pk = [_timed(lambda p=pk: Resident.objects.filter(pk=p).first(), 1)[0] for pk, _ in sample]
    assert all(resident_find_by_id_number(actor=city, id_number=n).pk == pk for pk, n in sample[:20])

    community_path = (
        Resident.objects.values("path").order_by().annotate(n=django_count()).order_by("-n").first()["path"][:12]
    )
    worker = Actor(
        user_id=2,
        username="bench-worker",
        roles=frozenset({"community_worker"}),
        permissions=perms,
        scope_paths=(community_path,),
    )

    def roster():
        """What the households page does for a whole community: the first page of 50 with heads."""
        page = Paginator(household_list(actor=worker, grid_path=community_path), 50).get_page(1)
        return [(h.room, h.head.name if h.head else "") for h in page]

    roster_ms = _timed(roster, 10)
    community_count_ms = _timed(lambda: resident_list(actor=worker).count(), 10)
    live_ms = _timed(lambda: pool_rates(actor=city, path="2101"), 1)
    refresh_ms = _timed(pool_stats_refresh, 1)
    rates_ms = _timed(lambda: pool_rates(actor=city, path="2101"), 5)
    count_ms = _timed(lambda: Resident.objects.count(), 3)
    rates = pool_rates(actor=city, path="2101")
    assert rates.as_of is not None, "city rates should come from the stored figures"

    scale = CITY_RESIDENTS / total
    rows = [
        ("lookup p50", statistics.median(lookup), statistics.median(by_pk), "pk lookup p50", statistics.median(lookup)),
        (
            "lookup p95",
            statistics.quantiles(lookup, n=20)[18],
            statistics.quantiles(by_pk, n=20)[18],
            "pk lookup p95",
            None,
        ),
        ("roster", statistics.median(roster_ms), statistics.median(community_count_ms), "count community", None),
        (
            "city rates",
            statistics.median(rates_ms),
            statistics.median(count_ms),
            "COUNT(*) all",
            statistics.median(rates_ms),
        ),
        ("refresh job", refresh_ms[0], statistics.median(count_ms), "COUNT(*) all", refresh_ms[0] * scale),
        ("live rates", live_ms[0], statistics.median(count_ms), "COUNT(*) all", live_ms[0] * scale),
    ]
    print(
        f"\nresidents_queries — {connection.vendor}, {total:,} residents "
        f"(community {community_path}: {resident_list(actor=worker).count():,})"
    )
    print(
        f"city rates: awareness {rates.awareness_rate:.1%}, care awareness {rates.care_awareness_rate:.1%}, "
        f"electronic records {rates.electronic_record_rate:.1%}"
    )
    print(f"{'measure':<12} {'ms':>9} {'baseline':>16} {'ms':>9} {'ratio':>7} {'at 9.2M ms':>11} target")
    for name, value, base, base_name, at_city in rows:
        target = TARGETS_MS.get(name)
        projected = at_city if at_city is not None else value
        verdict = "" if target is None else ("met" if projected < target else "MISSED") + f" (< {target:g} ms)"
        city_text = f"{at_city:11.1f}" if at_city is not None else f"{'—':>11}"
        print(f"{name:<12} {value:9.2f} {base_name:>16} {base:9.2f} {value / base:7.1f} {city_text} {verdict}")
    print(
        "\nAt 9.2M: lookups use a B-tree on the blind index (depth grows with log n: taken as unchanged); "
        "city rates scan every resident, taken as linear in the row count; the roster reads one community "
        "whatever the city's size."
    )
    return 0


def django_count():
    from django.db.models import Count

    return Count("pk")
