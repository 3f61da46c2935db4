"""`compliance-page`: time to the response of the facility standards page (`/staff/facilities/compliance/`)
at city scope on the demo, beside the same page for one district and the staff home page, measured
in this process with Django's test client logged in as `demo_city_admin` (the whole city).

The data is the demo in `LINLI_DATA_DIR` (default `var/`): `linli demo --no-serve` builds it (the
20,000-resident city) when it is not there yet and reuses it otherwise. The test client's
response is complete when it returns, so the time is the first byte plus the transfer of a page
held in memory. The first request (a fresh process: cold caches) and the median of `--repeat`
requests after it. Target (issue 12): < 500 ms at city scope.
"""

from __future__ import annotations

import argparse

from bench import harness

TARGET_MS = 500.0
DISTRICT = "210102"  # 和平区, the demo accounts' district


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (default 5)")
    parser.add_argument("--residents", type=int, default=20_000, help="demo residents (default 20,000)")


def main(args: argparse.Namespace) -> int:
    data_dir = harness.demo_in_process(residents=args.residents)
    client = harness.demo_client(data_dir, "demo_city_admin")
    pages = {
        "compliance, city scope": "/staff/facilities/compliance/",
        "compliance, one district (baseline)": f"/staff/facilities/compliance/?under={DISTRICT}",
        "staff home (baseline)": "/staff/",
    }
    figures = {label: harness.client_median_ms(client, url, args.repeat) for label, url in pages.items()}
    print(f"\n{'page':<40} {'first ms':>10} {'median ms':>10} {'bytes':>10}")
    for label, (first, ms, size) in figures.items():
        print(f"{label:<40} {first:>10.0f} {ms:>10.0f} {size:>10,}")
    city_ms = figures["compliance, city scope"][1]
    print(f"\ntarget: city scope < {TARGET_MS:.0f} ms: {'met' if city_ms < TARGET_MS else 'NOT met'}")
    return 0
