"""`consultation-votes`: a city-wide online vote (issue 18, Performance: 100,000 eligible voters,
20,000 votes in the last hour — ≥ 300 votes/s on two cores with exactly one vote counted per
voter under concurrent retries, and the tally in < 200 ms), on PostgreSQL.

The data: a fresh PostgreSQL database, migrated; two consultations in their vote (one for the
baseline, one for the service), each with a frozen roll of `--roll` voters (default 100,000),
bulk-loaded as setup; `--votes` of those voters (default 20,000) are pool residents with an
account.

What is timed: `--processes` worker processes (default 4) cast the votes through `vote_cast` (the
voter from the account, the KEY SHARE hold on the consultation, the roll entry, the option, the
one-to-one insert in a savepoint). Every vote is sent twice at the same moment: the processes go
in pairs over the same list in the same order, so each vote's retry races its first sending and
the one-to-one key refuses one of them (409 `already_voted`). Baseline in the same run: the same
processes doing plain single-row `Vote.objects.create` of the same votes (no checks, no retry).
Then the tally (`live_tally`: one GROUP BY on the indexed (consultation, option)) — median of
`--tally-rounds` — beside `COUNT(*)` of the votes.

`--quick`: a roll of 20,000 and 4,000 votes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from bench import harness

ROLL, VOTES = 100_000, 20_000
QUICK_ROLL, QUICK_VOTES = 20_000, 4_000
TARGET_VOTES, TARGET_TALLY_MS = 300.0, 200.0
PATH = "210102001002001001"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--roll", type=int, default=None, help=f"voters on the roll (default {ROLL:,})")
    parser.add_argument("--votes", type=int, default=None, help=f"votes cast (default {VOTES:,})")
    parser.add_argument("--quick", action="store_true", help=f"a roll of {QUICK_ROLL:,}, {QUICK_VOTES:,} votes")
    parser.add_argument("--processes", type=int, default=4, help="worker processes, an even number (default 4)")
    parser.add_argument("--tally-rounds", type=int, default=21, help="tally timings (default 21)")
    harness.add_postgres_argument(parser)


def main(args: argparse.Namespace) -> int:
    args.roll = args.roll or (QUICK_ROLL if args.quick else ROLL)
    args.votes = args.votes or (QUICK_VOTES if args.quick else VOTES)
    args.processes = max(2, args.processes - args.processes % 2)
    sys.stdout.reconfigure(line_buffering=True)
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-votes-"))
    try:
        with harness.postgres_database(args.postgres) as url:
            harness.django_setup(url, data_dir)
            started = time.perf_counter()
            work = load(args)
            harness.log(f"loaded two rolls of {args.roll:,} in {time.perf_counter() - started:.0f} s")
            baseline = run(args, work, "baseline")
            service = run(args, work, "service")
            check(args, work)
            tally_ms, count_ms = tally_times(args, work)
            report(args, service, baseline, tally_ms, count_ms)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def load(args: argparse.Namespace) -> dict:
    """The voters' accounts and pool records, two consultations in their vote and their rolls."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from linli.consultation.models import Consultation, ConsultationOption, RollEntry
    from linli.residents.models import Resident

    now = timezone.now()
    user_model = get_user_model()
    unusable = "!"  # no password: the voters never log in, the bench acts as them
    users = user_model.objects.bulk_create(
        [user_model(username=f"voter{n}", display_name=f"投票人{n}", password=unusable) for n in range(args.votes)],
        batch_size=5000,
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(name=f"居民{n}", gender="male", birth_date=date(1970, 1, 1), path=PATH, user=u)
            for n, u in enumerate(users)
        ],
        batch_size=5000,
    )
    work = {"voters": [(u.pk, r.public_id) for u, r in zip(users, residents, strict=True)]}
    for kind in ("baseline", "service"):
        c = Consultation.objects.create(
            number=f"XSBENCH{kind}",
            path=PATH[:12],
            title="全市停车收费方案",
            question="是否同意",
            form="online",
            scope_kind="community",
            scope_path=PATH[:12],
            state="voting",
            voting_until=now + timedelta(days=1),
            vote_unit="adult",
            roll_size=args.roll,
            roll_frozen_at=now,
            created_at=now,
            updated_at=now,
        )
        options = [
            ConsultationOption.objects.create(consultation=c, key=k, label=k, position=i) for i, k in enumerate("ABC")
        ]
        refs = [ref for _, ref in work["voters"]] + [uuid.uuid4() for _ in range(args.roll - args.votes)]
        entries = RollEntry.objects.bulk_create(
            [RollEntry(consultation=c, voter_ref=ref, path=PATH, name_shown="某*") for ref in refs], batch_size=5000
        )
        work[kind] = {
            "consultation": c,
            "entries": [e.pk for e in entries[: args.votes]],
            "options": {o.key: o.pk for o in options},
        }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultation_rollentry")
        cursor.execute("ANALYZE residents_resident")
    return work


def _choice(n: int) -> str:
    return "AABCC"[n % 5]


def _worker(kind: str, work: dict, share: list[int], started, done) -> None:
    from django.db import connection
    from django.utils import timezone

    from linli.accounts.domain import CONSULT_TAKE_PART
    from linli.consultation.models import Vote
    from linli.consultation.services.voting import vote_cast
    from linli.core.actor import Actor
    from linli.core.errors import DomainError

    connection.close()  # a connection of its own, not the parent's
    target = work[kind]
    consultation = target["consultation"]
    started.wait()
    ok = refused = 0
    try:
        for n in share:
            if kind == "baseline":
                Vote.objects.create(
                    consultation_id=consultation.pk,
                    roll_entry_id=target["entries"][n],
                    option_id=target["options"][_choice(n)],
                    channel="online",
                    cast_at=timezone.now(),
                )
                ok += 1
                continue
            user_id = work["voters"][n][0]
            actor = Actor(user_id=user_id, username=f"voter{n}", permissions=frozenset({CONSULT_TAKE_PART}))
            try:
                vote_cast(actor=actor, consultation=consultation, option_key=_choice(n))
                ok += 1
            except DomainError as error:
                if error.code != "already_voted":
                    raise
                refused += 1
    finally:
        connection.close()
        done.put((ok, refused))


def run(args: argparse.Namespace, work: dict, kind: str) -> dict:
    """Votes per second over the worker processes (forked after loading). The service's workers go
    in pairs over the same share, so every vote is sent twice at once; the baseline's send once."""
    from django.db import connections

    connections.close_all()
    pairs = args.processes // 2
    if kind == "service":
        shares = [list(range(args.votes))[p::pairs] for p in range(pairs) for _twice in range(2)]
    else:
        shares = [list(range(args.votes))[p :: args.processes] for p in range(args.processes)]
    context = multiprocessing.get_context("fork")
    started, done = context.Event(), context.Queue()
    workers = [context.Process(target=_worker, args=(kind, work, share, started, done)) for share in shares]
    for worker in workers:
        worker.start()
    time.sleep(1)
    begin = time.perf_counter()
    started.set()
    outcomes = [done.get() for _ in workers]
    seconds = time.perf_counter() - begin
    for worker in workers:
        worker.join()
    ok, refused = sum(o[0] for o in outcomes), sum(o[1] for o in outcomes)
    harness.log(f"{kind}: {ok:,} votes, {refused:,} retries refused in {seconds:.1f} s")
    return {"ok": ok, "refused": refused, "seconds": seconds, "rate": ok / seconds}


def check(args: argparse.Namespace, work: dict) -> None:
    """Exactly one vote per voter: `--votes` rows, none for a roll entry twice."""
    from django.db.models import Count

    from linli.consultation.models import Vote

    votes = Vote.objects.filter(consultation=work["service"]["consultation"])
    total = votes.count()
    twice = votes.values("roll_entry_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    assert total == args.votes, f"{total} votes, expected {args.votes}"
    assert twice == 0, f"{twice} voters counted twice"


def tally_times(args: argparse.Namespace, work: dict) -> tuple[float, float]:
    from linli.consultation.models import Vote
    from linli.consultation.selectors.voting import live_tally

    consultation = work["service"]["consultation"]

    def median_ms(fn) -> float:
        times = []
        for _ in range(args.tally_rounds):
            begin = time.perf_counter()
            fn()
            times.append((time.perf_counter() - begin) * 1000)
        return statistics.median(times)

    result = live_tally(consultation)
    assert result.cast == args.votes, result
    return median_ms(lambda: live_tally(consultation)), median_ms(
        lambda: Vote.objects.filter(consultation=consultation).count()
    )


def report(args: argparse.Namespace, service: dict, baseline: dict, tally_ms: float, count_ms: float) -> None:
    print(
        f"consultation-votes: a roll of {args.roll:,}, {args.votes:,} votes each sent twice at once, "
        f"{args.processes} processes"
    )
    print(
        f"  votes through vote_cast: {service['rate']:,.0f}/s (target ≥ {TARGET_VOTES:.0f}/s; "
        f"{service['refused']:,} retries refused) — baseline plain INSERT: {baseline['rate']:,.0f}/s "
        f"(ratio {service['rate'] / baseline['rate']:.2f})"
    )
    print(f"  exactly {args.votes:,} votes, no voter twice")
    print(
        f"  tally (GROUP BY option): median {tally_ms:.1f} ms (target < {TARGET_TALLY_MS:.0f} ms) — "
        f"baseline COUNT(*): {count_ms:.1f} ms"
    )
    ok = service["rate"] >= TARGET_VOTES and tally_ms < TARGET_TALLY_MS
    print("  " + ("within target" if ok else "UNDER TARGET"))
