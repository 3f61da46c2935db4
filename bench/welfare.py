"""`welfare`: the yearly review of the city's assistance roll (issue 15, Performance), on PostgreSQL.

The data: a fresh PostgreSQL database, migrated; `--households` households on the roll (default
200,000, about 500,000 members: 1–5 each, 2.5 on average) with facts the rules classify as 特困,
低保 and 低保边缘, made in Python and COPYed into the real tables (`welfare_determination` and
`welfare_recipient`, the facts sealed with AES-GCM as the application stores them). Each
household's class and amount on the roll is what the rules gave on the enrolment date; its latest
facts then move (incomes up or down, as a year does), so the review finds increases, decreases,
changes of class, gradual exits and stops. New parameters: the city raises the urban and rural
standard from the review date (two `ParameterChange` rows, as the rules page writes them).

What is timed:
1. the batch: `welfare.services.roll.review_recompute` — the same function the review page's
   "compute" button calls — over the whole city: read every household on the roll from
   PostgreSQL (unseal and parse its facts), determine all of them in one vectorised OpenFisca
   simulation under the new parameters, compare with the roll, and write one review row each
   (`bulk_create`, the households' earlier open proposals superseded in one UPDATE). Reported
   by phase.
2. the baseline, in the same run and database: the same rules applied household by household
   (`rules_determine`, one OpenFisca simulation per household, as a form would) and each review
   row written by itself, on a random sample of `--sample` households (default 1,000),
   extrapolated to the whole roll (said so in the output); its writes are rolled back.
3. a check: the batch's class and amount equal the baseline's for every sampled household.

`--quick`: 10,000 households, a sample of 300.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bench import harness

CITY_HOUSEHOLDS = 200_000
QUICK_HOUSEHOLDS = 10_000
TARGET_SECONDS = 60.0
TARGET_RATIO = 20.0
ENROLLED_ON = date(2025, 12, 1)
REVIEW_ON = date(2027, 1, 1)
NEW_STANDARD = Decimal("900")  # from 820 (the shipped example value) on the review date
CITY = "2101"
DISTRICTS = ["210102", "210103", "210104", "210105", "210106", "210111", "210112", "210113", "210114"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--households", type=int, default=None, help=f"households on the roll (default {CITY_HOUSEHOLDS:,})"
    )
    parser.add_argument("--sample", type=int, default=None, help="households in the baseline (default 1,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 households, a baseline sample of 300")
    parser.add_argument("--seed", type=int, default=15, help="random seed (default 15)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the data folder")
    harness.add_postgres_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.households is None:
        args.households = QUICK_HOUSEHOLDS if args.quick else CITY_HOUSEHOLDS
    if args.sample is None:
        args.sample = 300 if args.quick else 1_000
    sys.stdout.reconfigure(line_buffering=True)
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-welfare-"))
    try:
        with contextlib.ExitStack() as stack:
            if args.keep:
                url = args.postgres.rsplit("/", 1)[0] + f"/linli_bench_welfare_{uuid.uuid4().hex[:6]}"
                _create_database(args.postgres, url)
            else:
                url = stack.enter_context(harness.postgres_database(args.postgres))
            harness.django_setup(url, data_dir)
            results = run(args)
            report(args, results)
            if args.keep:
                harness.log(f"kept database {url}")
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def _create_database(server_url: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')


# --- the generated roll ---------------------------------------------------------------------------


def _member(rng: random.Random, ref: str, age: int, wage: float, *, able: bool = True, pension: float = 0.0):
    from linli.welfare.rules.facts import TRANSFER, WAGE, Income, Member

    incomes = []
    if wage > 0:
        incomes.append(Income(WAGE, Decimal(f"{wage:.2f}")))
    if pension > 0:
        incomes.append(Income(TRANSFER, Decimal(f"{pension:.2f}")))
    birth = ENROLLED_ON.replace(year=ENROLLED_ON.year - age) - timedelta(days=rng.randrange(1, 360))
    return Member(
        ref=ref,
        birth_date=birth,
        sex=rng.choice(("male", "female")),
        disability_level=rng.choice(("", "", "", "", "", "", "", "", "1", "3")),
        serious_illness=rng.random() < 0.08,
        able_to_work=able,
        employed=wage > 0,
        incomes=tuple(incomes),
    )


def household(rng: random.Random, n: int):
    """One household of the roll: 特困 (an old person alone, no supporter), 低保 (little or no
    income) or 低保边缘 (per-capita income between the standard and 1.5 × it)."""
    from linli.welfare.rules.facts import Household

    kind = rng.random()
    area = "rural" if rng.random() < 0.2 else "urban"
    if kind < 0.10:
        member = _member(rng, f"outside-{n}-1", rng.randint(61, 92), 0, able=False, pension=rng.uniform(0, 300))
        return Household(area=area, members=(member,), deposits=Decimal(rng.randrange(0, 8_000)))
    size = rng.choices((1, 2, 3, 4, 5), weights=(18, 30, 30, 14, 8))[0]
    per_capita = rng.uniform(0, 700) if kind < 0.75 else rng.uniform(840, 1_200)
    total = per_capita * size
    members = []
    for i in range(size):
        age = rng.randint(20, 59) if i < 2 else rng.randint(2, 17)
        wage = total if i == 0 else 0.0
        members.append(_member(rng, f"outside-{n}-{i + 1}", age, wage))
    return Household(
        area=area,
        members=tuple(members),
        deposits=Decimal(rng.randrange(0, 12_000)),
        medical_costs=Decimal(rng.choice((0, 0, 0, 150, 400))),
    )


def a_year_later(rng: random.Random, facts):
    """The household's latest facts: incomes moved by −30 % … +60 % (some found work)."""
    import dataclasses

    from linli.welfare.rules.facts import Income

    factor = Decimal(f"{rng.uniform(0.7, 1.6):.3f}")
    members = []
    for member in facts.members:
        incomes = tuple(Income(x.source, (x.monthly * factor).quantize(Decimal("0.01"))) for x in member.incomes)
        members.append(dataclasses.replace(member, incomes=incomes))
    return dataclasses.replace(facts, members=tuple(members))


def load(args: argparse.Namespace) -> dict:
    """Generate, determine on the enrolment date (the roll's class and amount), COPY."""
    import gc

    from django.db import connection

    from linli.core.crypto import seal
    from linli.welfare.rules import engine
    from linli.welfare.rules.facts import facts_to_json

    gc.disable()  # millions of small objects, none of them garbage (the set-up is not timed)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    candidates = [household(rng, n) for n in range(int(args.households * 1.15) + 100)]
    enrolled = engine.determine_many(candidates, ENROLLED_ON)
    chosen = [(h, r) for h, r in zip(candidates, enrolled, strict=True) if r.assistance_class != "none"]
    chosen = chosen[: args.households]
    if len(chosen) < args.households:
        raise SystemExit(f"only {len(chosen):,} of the generated households are eligible; raise the margin")
    harness.log(f"generated and determined {len(chosen):,} households in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    determinations = io.StringIO()
    recipients = io.StringIO()
    members = 0
    classes: dict[str, int] = {}
    now = "2025-12-01 10:00:00+08"
    for i, (facts, result) in enumerate(chosen, start=1):
        district = DISTRICTS[i % len(DISTRICTS)]
        path = f"{district}{1 + i % 12:03d}{1 + i % 20:03d}{1 + i % 4:03d}{1 + i % 30:03d}"
        ref = uuid.UUID(int=rng.getrandbits(128), version=4)
        sealed = seal(facts_to_json(facts), context="welfare.facts")
        latest = seal(facts_to_json(a_year_later(rng, facts)), context="welfare.facts")
        members += len(facts.members)
        classes[result.assistance_class] = classes.get(result.assistance_class, 0) + 1
        amount = result.monthly_amount if result.assistance_class in ("tekun", "dibao") else Decimal("0")
        determinations.write(
            "\t".join(
                [
                    str(i),
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    str(ref),
                    path,
                    facts.area,
                    ENROLLED_ON.isoformat(),
                    result.assistance_class,
                    str(result.monthly_amount),
                    str(result.members),
                    sealed,
                    "",
                    result.parameters_digest,
                    result.rules_version,
                    now,
                ]
            )
            + "\n"
        )
        review = ENROLLED_ON.replace(year=ENROLLED_ON.year + 1)
        recipients.write(
            "\t".join(
                [
                    str(i),
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    str(ref),
                    path,
                    f"户主{i}",
                    facts.area,
                    result.assistance_class,
                    str(amount),
                    str(result.members),
                    "active",
                    str(i),
                    "2026-01-01",
                    review.isoformat(),
                    now,
                    latest,
                    "",
                    "",
                    "",
                ]
            )
            + "\n"
        )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            'COPY welfare_determination (id, public_id, household_ref, path, area, "on", assistance_class, '
            "monthly_amount, members, facts_sealed, trace_sealed, parameters_digest, rules_version, made_at) "
            "FROM STDIN"
        ) as copy:
            copy.write(determinations.getvalue())
        with raw.copy(
            "COPY welfare_recipient (id, public_id, household_ref, path, head_name, area, assistance_class, "
            "monthly_amount, members, state, determination_id, paid_from, next_review_on, updated_at, "
            "facts_sealed, bank_name, account_sealed, account_masked) FROM STDIN"
        ) as copy:
            copy.write(recipients.getvalue())
        cursor.execute("SELECT setval('welfare_determination_id_seq', %s)", [len(chosen)])
        cursor.execute("SELECT setval('welfare_recipient_id_seq', %s)", [len(chosen)])
        cursor.execute("ANALYZE welfare_determination")
        cursor.execute("ANALYZE welfare_recipient")
    gc.enable()
    harness.log(f"sealed and COPYed in {time.perf_counter() - started:.1f} s")
    return {"households": len(chosen), "members": members, "classes": classes}


def new_parameters() -> object:
    """The city raises the standard from the review date (as the rules page records it)."""
    from django.contrib.auth import get_user_model

    from linli.welfare.models import ParameterChange

    user = get_user_model().objects.create(username="bench_city_officer")
    for name in ("dibao.standard.urban", "dibao.standard.rural"):
        ParameterChange.objects.create(
            name=name,
            value=NEW_STANDARD,
            valid_from=REVIEW_ON,
            reason="基准测试：年度标准调整 (benchmark)",
            document="BENCH-2027-1",
            recorded_by=user,
            recorded_by_name=user.username,
        )
    return user


def run(args: argparse.Namespace) -> dict:
    from django.db import transaction

    from linli.accounts.domain import WELFARE_DECIDE
    from linli.core.actor import Actor
    from linli.welfare.models import Recipient, Review
    from linli.welfare.selectors.rules import rules_determine, rules_determine_many
    from linli.welfare.services.roll import _household_for, review_recompute

    data = load(args)
    new_parameters()
    actor = Actor.system("bench-welfare", permissions=frozenset({WELFARE_DECIDE}), root_path=CITY)
    rules_determine_many([], REVIEW_ON)  # build the rules' system once, as a running server has
    timings: dict = {}
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        run_row = profile.runcall(review_recompute, actor=actor, scope=CITY, on=REVIEW_ON, timings=timings)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    else:
        run_row = review_recompute(actor=actor, scope=CITY, on=REVIEW_ON, timings=timings)
    batch = time.perf_counter() - started
    outcomes: dict[str, int] = {}
    for outcome in Review.objects.filter(run=run_row).values_list("outcome", flat=True).iterator(chunk_size=20_000):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    harness.log(f"batch: {batch:.1f} s")

    # the baseline: the same rules household by household, each review row written by itself
    rng = random.Random(args.seed + 1)
    ids = rng.sample(range(1, data["households"] + 1), min(args.sample, data["households"]))
    rows = list(Recipient.objects.filter(pk__in=ids).order_by("pk"))
    mismatches = 0
    started = time.perf_counter()
    with transaction.atomic():
        point = transaction.savepoint()
        for row in rows:
            facts = _household_for(row.facts_sealed, row.assistance_class, row.monthly_amount)
            result = rules_determine(facts, REVIEW_ON)
            Review.objects.create(
                recipient=row,
                path=row.path,
                on=REVIEW_ON,
                current_class=row.assistance_class,
                current_amount=row.monthly_amount,
                proposed_class=result.assistance_class,
                proposed_amount=result.monthly_amount,
                outcome="unchanged",
                state="superseded",
                parameters_digest=result.parameters_digest,
            )
            batch_row = Review.objects.get(run=run_row, recipient=row)
            mismatches += (batch_row.proposed_class, batch_row.proposed_amount) != (
                result.assistance_class,
                result.monthly_amount if result.assistance_class in ("tekun", "dibao") else Decimal("0"),
            )
        baseline = time.perf_counter() - started
        transaction.savepoint_rollback(point)
    per_household = baseline / len(rows)
    return {
        **data,
        "batch": batch,
        "timings": timings,
        "run": run_row,
        "outcomes": outcomes,
        "sample": len(rows),
        "baseline_sample": baseline,
        "baseline_total": per_household * data["households"],
        "mismatches": mismatches,
    }


def report(args: argparse.Namespace, r: dict) -> None:
    from django.utils import translation

    from linli.welfare.domain.roll import Outcome

    translation.activate("en")

    ratio = r["baseline_total"] / r["batch"]
    t = r["timings"]
    print()
    print(f"welfare — the yearly review of the roll, PostgreSQL, {os.cpu_count()} cores")
    print(f"  households on the roll      {r['households']:>12,}   members {r['members']:,}")
    print("  classes on the roll         " + ", ".join(f"{k} {v:,}" for k, v in sorted(r["classes"].items())))
    print(f"  new parameters              standard {NEW_STANDARD} from {REVIEW_ON} (was 820)")
    print()
    print(f"  batch (review_recompute)    {r['batch']:>10.1f} s   target < {TARGET_SECONDS:.0f} s")
    print(f"    read + unseal + parse     {t.get('read', 0):>10.1f} s")
    print(f"    compute (one simulation)  {t.get('compute', 0):>10.1f} s")
    print(f"    compare + write (bulk)    {t.get('write', 0):>10.1f} s")
    print(f"    per household             {r['batch'] / r['households'] * 1e6:>10.0f} µs")
    print(f"  differences from the roll   {r['run'].differences:>12,}")
    print(
        "    " + ", ".join(f"{Outcome(k).label} {v:,}" for k, v in sorted(r["outcomes"].items(), key=lambda kv: -kv[1]))
    )
    print()
    print(
        f"  baseline (one by one)       {r['baseline_sample']:>10.1f} s for a sample of {r['sample']:,} "
        f"({r['baseline_sample'] / r['sample'] * 1000:.1f} ms each)"
    )
    print(f"    extrapolated to the roll  {r['baseline_total']:>10.0f} s ({r['baseline_total'] / 60:.1f} min)")
    print(f"  ratio                       {ratio:>10.1f} ×   goal ≥ {TARGET_RATIO:.0f} ×")
    same = "yes" if r["mismatches"] == 0 else f"NO ({r['mismatches']} differ)"
    print(f"  batch = baseline on sample  {same}")
    print(f"  load average at the end     {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine)")
    print()
