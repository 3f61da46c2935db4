"""`workbench`: the staff home page ("Today", `/staff/`) for each demo role on the demo city,
beside the messages page (`/staff/inbox/`: the same shell with one short list) as the baseline
measured in the same run, with the number of queries each page ran.

The data is the demo in `LINLI_DATA_DIR` (default `var/`): `linli demo --no-serve` builds it (the
20,000-resident city) when it is not there yet and reuses it otherwise. Requests go through
Django's test client in this process, so the time is the server's work to a complete response.
The first request (cold caches in this process) and the median of `--repeat` after it. Target
(issue 12): Today under 300 ms at the demo's size, in a bounded number of queries.
"""

from __future__ import annotations

import argparse

from bench import harness

TARGET_MS = 300.0
ROLES = (
    "demo_grid_worker",
    "demo_community_worker",
    "demo_street_officer",
    "demo_urban_officer",
    "demo_district_admin",
    "demo_city_admin",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--residents", type=int, default=20_000, help="demo residents (default 20,000)")


def main(args: argparse.Namespace) -> int:
    data_dir = harness.demo_in_process(residents=args.residents)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"\n{'role':<24} {'page':<8} {'first ms':>9} {'median ms':>10} {'queries':>8} {'× inbox':>8}")
    worst = 0.0
    for username in ROLES:
        client = harness.demo_client(data_dir, username)
        rows = {}
        for label, url in (("today", "/staff/"), ("inbox", "/staff/inbox/")):
            first, median, _ = harness.client_median_ms(client, url, args.repeat)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            rows[label] = (first, median, len(queries))
        for label, (first, median, count) in rows.items():
            ratio = median / rows["inbox"][1] if rows["inbox"][1] else float("nan")
            print(f"{username:<24} {label:<8} {first:>9.0f} {median:>10.1f} {count:>8} {ratio:>8.1f}")
        worst = max(worst, rows["today"][1])
    print(
        f"\ntarget: Today < {TARGET_MS:.0f} ms for every role (slowest median {worst:.0f} ms): "
        f"{'met' if worst < TARGET_MS else 'NOT met'}"
    )
    return 0
