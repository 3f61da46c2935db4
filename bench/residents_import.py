"""`residents-import`: N synthetic residents through the real import path (`residents_import`:
parsing, validation, AES-GCM sealing, blind indexes, households, moves) against a raw PostgreSQL
COPY of the same CSV into a plain table with the same columns, measured in the same run.

Target (issue 3): the import at >= 1/4 of the raw COPY rate on PostgreSQL; 9.2 million residents
well under an hour on 2 cores. `--sqlite` runs the import into a fresh SQLite file instead (no
COPY baseline there).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import harness

TARGET_RATIO = 0.25
CITY_RESIDENTS = 9_200_000
COMMUNITIES, GRIDS, BUILDINGS = 10, 10, 20  # 2,000 buildings in one street of 和平区
TREE = "\n".join(
    [
        "code,name,level,unit_type,parent_code,district_code,district_name",
        "210100000000,沈阳市,city,prefecture_city,210000000000,,",
        "210102000000,和平区,district,district,210100000000,210102,和平区",
        "210102001000,浑河湾街道,street,street,210102000000,210102,和平区",
        *[
            f"210102001{c:03d},第{c}社区,community,community,210102001000,210102,和平区"
            for c in range(1, COMMUNITIES + 1)
        ],
    ]
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic residents (default 100,000)")
    parser.add_argument("--batch-rows", type=int, default=5000, help="rows per transaction (default 5,000)")
    harness.add_postgres_argument(parser)
    parser.add_argument("--sqlite", action="store_true", help="import into a fresh SQLite file (no COPY baseline)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir (CSV, error file)")


def write_csv(path: Path, rows: int) -> None:
    """`rows` residents in households of 1–4 (mean 2.4) with valid, distinct ID numbers."""
    from linli.residents.domain import id_number_make
    from linli.residents.imports import COLUMNS

    sizes = (1, 2, 2, 3, 3, 4, 2, 2, 3, 2)  # mean 2.4
    buildings = [
        f"210102001{c:03d}{g:03d}{b:03d}"
        for c in range(1, COMMUNITIES + 1)
        for g in range(1, GRIDS + 1)
        for b in range(1, BUILDINGS + 1)
    ]
    start = date(1935, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.zh for c in COLUMNS])
        i = household = 0
        while i < rows:
            building = buildings[household % len(buildings)]
            room = f"{household // len(buildings) // 99 + 1}-{household // len(buildings) % 99 + 1:02d}"
            for member in range(min(sizes[household % len(sizes)], rows - i)):
                male = i % 2 == 0
                # day and sequence are a bijection of i (500 a day), so ID numbers never repeat
                birth = start + timedelta(days=(i // 500) * 7 % 30000)
                id_number = id_number_make("210102", birth, (i % 500) * 2, "male" if male else "female")
                relation = "本人" if member == 0 else ("配偶" if member == 1 else "子女")
                writer.writerow(
                    [
                        building,
                        "",
                        room,
                        "户籍" if household % 10 else "流动",
                        SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)],
                        "男" if male else "女",
                        birth.isoformat(),
                        "汉族",
                        id_number,
                        f"139{i:08d}",
                        relation,
                        "是" if i % 12 == 0 else "否",
                        "高中",
                        "在业",
                        "",
                        "",
                        "行动不便" if i % 10 == 0 else "",
                    ]
                )
                i += 1
            household += 1


def prepare_tree() -> None:
    from linli.areas.models import Building, Grid, OrgUnit
    from linli.areas.services import divisions_import
    from linli.core.actor import Actor

    divisions_import(actor=Actor.system("bench", root_path="21"), text=TREE + "\n", source="bench")
    grids = []
    for community in OrgUnit.objects.filter(kind="community"):
        grids += [
            Grid(
                code=f"{community.path}{g:03d}", path=f"{community.path}{g:03d}", name=f"第{g}网格", community=community
            )
            for g in range(1, GRIDS + 1)
        ]
    Grid.objects.bulk_create(grids)
    Building.objects.bulk_create(
        [
            Building(code=f"{grid.path}{b:03d}", path=f"{grid.path}{b:03d}", name=f"{b}号楼", grid=grid, floors=18)
            for grid in Grid.objects.all()
            for b in range(1, BUILDINGS + 1)
        ]
    )


def run_import(csv_path: Path, batch_rows: int) -> tuple[float, object]:
    from linli.accounts.domain import RESIDENTS_IMPORT, RESIDENTS_VIEW
    from linli.core.actor import Actor
    from linli.residents.imports import residents_import

    actor = Actor.system("bench", permissions=frozenset({RESIDENTS_IMPORT, RESIDENTS_VIEW}), root_path="21")
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 5:
            last[0] = time.perf_counter()
            harness.log(f"import: {done:,}/{total:,}")

    started = time.perf_counter()
    result = residents_import(
        actor=actor, path=csv_path, error_path=csv_path.with_suffix(".errors.csv"), batch_rows=batch_rows,
        progress=progress,
    )  # fmt: skip
    return time.perf_counter() - started, result


def run_copy(csv_path: Path) -> tuple[float, float]:
    """Two baselines into a plain table of text columns with no index, each in one transaction:
    the raw rate (the CSV's bytes streamed with COPY … FROM STDIN (FORMAT csv)), and the same rows
    read with the csv module and sent with psycopg's `copy.write_row` (Python per row, no work)."""
    from django.db import connection, transaction

    from linli.residents.imports import COLUMNS

    columns = ", ".join(f"{c.key} text" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_copy ({columns})")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        csv_path.open("rb") as handle,
        cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
    ):
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
    raw = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_copy")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        csv_path.open(encoding="utf-8", newline="") as handle,
        cursor.copy("COPY bench_copy FROM STDIN") as copy,
    ):
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            copy.write_row(row)
    python_rows = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_copy")
        (count,) = cursor.fetchone()
    harness.log(f"COPY: {count:,} rows in bench_copy")
    return raw, python_rows


def run_copy_stored() -> float:
    """The third baseline: the rows the import stored (sealed, indexed, masked) read back with
    COPY TO and written with COPY FROM into a table like `residents_resident`, same indexes: the
    database's own floor for writing these residents, without any Python work per row."""
    from django.db import connection, transaction

    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_resident (LIKE residents_resident INCLUDING ALL)")
        with cursor.copy("COPY residents_resident TO STDOUT") as copy:
            for data in copy:
                buffer.write(data)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy("COPY bench_resident FROM STDIN") as copy:
        view = buffer.getbuffer()
        for offset in range(0, len(view), 1 << 20):
            copy.write(view[offset : offset + (1 << 20)])
    return time.perf_counter() - started


def main(args: argparse.Namespace) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-import-"))
    try:
        with harness.postgres_database(args.postgres) if not args.sqlite else _nothing() as database_url:
            os.environ["LINLI_DATA_DIR"] = str(data_dir)
            os.environ["LINLI_LOG_LEVEL"] = "WARNING"
            os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
            if database_url:
                os.environ["LINLI_DATABASE_URL"] = database_url
            else:
                os.environ.pop("LINLI_DATABASE_URL", None)
            return _measure(args, data_dir)
    finally:
        if args.keep:
            harness.log(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


class _nothing:  # noqa: N801 (a context manager used like a function)
    def __enter__(self):
        return ""

    def __exit__(self, *exc):
        return False


def _measure(args: argparse.Namespace, data_dir: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from linli.residents.models import Household, ResidenceChange, Resident

    call_command("migrate", verbosity=0)
    prepare_tree()
    csv_path = data_dir / "residents.csv"
    started = time.perf_counter()
    write_csv(csv_path, args.rows)
    harness.log(
        f"wrote {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s"
    )

    import_seconds, result = run_import(csv_path, args.batch_rows)
    counts = (Resident.objects.count(), Household.objects.count(), ResidenceChange.objects.count())
    if result.created != args.rows or counts[0] != args.rows:
        print(f"import did not create every row: {result} {counts}", file=sys.stderr)
        return 1
    copy_seconds = run_copy(csv_path) if connection.vendor == "postgresql" else None
    stored_seconds = run_copy_stored() if connection.vendor == "postgresql" else None

    import_rate = args.rows / import_seconds
    print()
    version = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
    print(f"Python {platform.python_version()}, {connection.vendor} {version}, {os.cpu_count()} CPUs")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"rows: {args.rows:,}; batch: {args.batch_rows:,} rows; households: {counts[1]:,}; moves: {counts[2]:,}")
    print(f"{'':<28}{'seconds':>10}{'rows/s':>12}")
    print(f"{'import (residents_import)':<28}{import_seconds:>10.1f}{import_rate:>12,.0f}")
    if copy_seconds is not None:
        raw_rate, python_rate = args.rows / copy_seconds[0], args.rows / copy_seconds[1]
        ratio = import_rate / raw_rate
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"{'raw COPY (same CSV bytes)':<28}{copy_seconds[0]:>10.1f}{raw_rate:>12,.0f}")
        print(f"{'COPY, csv + write_row':<28}{copy_seconds[1]:>10.1f}{python_rate:>12,.0f}")
        print(f"ratio import / raw COPY: {ratio:.3f} (target >= {TARGET_RATIO}: {verdict})")
        print(f"ratio import / csv + write_row COPY: {import_rate / python_rate:.3f}")
        stored_rate = args.rows / stored_seconds
        print(
            f"{'COPY of the stored rows':<28}{stored_seconds:>10.1f}{stored_rate:>12,.0f}  (same table, same indexes)"
        )
        print(f"ratio import / COPY of the stored rows: {import_rate / stored_rate:.3f}")
    print(f"9.2 million residents at this rate: {CITY_RESIDENTS / import_rate / 60:.0f} min")
    return 0
