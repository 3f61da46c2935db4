"""`volunteers`: the volunteers and the time bank at city scale (issue 14), on PostgreSQL, each
figure beside a baseline measured in the same run and database.

The data: `linli demo --no-serve` (the real division tree, the demo accounts and the apps' own
demo data), then `--volunteers` volunteers (default 1,650,000: the plan's target for 2025) and
`--hours` service-hour records (default 20,000,000) COPYed into the apps' real tables, with their
activities, shifts, sign-ups and the time bank's accounts and ledger (one `earned` entry per
approved record, with the running balance, and some spending), generated in Python streams.
Before the COPY the loaded tables lose their keys, indexes and foreign keys (kept as
`pg_get_constraintdef`/`pg_get_indexdef`); each table is truncated and written with
`COPY … FREEZE` in one transaction (the demo's rows first, read back with COPY TO); afterwards
everything is rebuilt, the foreign keys validated, and the tables ANALYZEd. `--quick`:
50,000 volunteers and 600,000 records.

What is timed:
1. a volunteer's hours, stars and balance as the resident's pages read them
   (`volunteers.selectors.volunteer_for_user` + `timebank.selectors.balance_of`), in this
   process, once per volunteer for `--lookups` random volunteers with an account (p50, p95)
   and for the heaviest volunteers; baseline: `Volunteer.objects.get(pk=…)` of the same rows.
2. a district's monthly figures (the figures selector), for every district, for the last full
   month; the refresh of the stored figures; baseline: `COUNT(*)` of the district's records of
   that month.
3. check-ins through the real endpoint on granian (`--workers` processes), by the scanner of a
   community worker, wrk with a script that takes each (activity, volunteer) pair once;
   baseline: `GET /api/v1/me` with the same token, and `/healthz`, interleaved round by round.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import io
import itertools
import json
import math
import os
import random
import re
import statistics
import sys
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench import harness

CITY_VOLUNTEERS = 1_650_000
CITY_HOURS = 20_000_000
QUICK_VOLUNTEERS = 50_000
QUICK_HOURS = 600_000
TARGET_BRIEF_MS = 20.0
TARGET_FIGURES_MS = 500.0
TARGET_CHECKINS = 300.0

TZ = ZoneInfo("Asia/Shanghai")  # no daylight saving since 1991: every local time is +08
REG_FROM = date(2016, 1, 1)
HOURS_FROM = date(2021, 1, 1)
DAY = 86_400

# The city's registered volunteers over time (plan, section 十二): 936,000 around 2020, 1.6
# million by 2023, 1.65 million by 2025 — as shares of the target, at these dates.
GROWTH = ((date(2016, 1, 1), 0.0), (date(2020, 1, 1), 0.567), (date(2023, 12, 31), 0.97), (None, 1.0))

# Service slots of a day (local start, minutes): no two slots overlap, even with an early
# check-in and a late check-out (15 minutes each), so no volunteer's records overlap.
SLOTS = ((8 * 60, 120), (10 * 60 + 30, 120), (13 * 60 + 30, 120), (16 * 60, 120), (18 * 60 + 30, 120))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = [
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "桂英", "玉兰", "建华", "淑珍", "海燕", "志强", "文", "丹", "鑫", "宇", "桂芝",
]  # fmt: skip
TITLES = [
    "助老上门探访", "社区环境清洁", "垃圾分类督导", "文明交通劝导", "爱心助餐送餐", "青少年课业辅导",
    "义诊健康咨询", "法律咨询进社区", "平安巡逻", "便民理发", "家电义务维修", "反诈宣传", "关爱残疾人陪伴",
    "冬季清雪", "图书角整理", "邻里节活动服务", "疫苗接种引导", "防汛应急值守",
]  # fmt: skip
REPORTED = ["帮邻居老人买菜", "陪独居老人聊天", "帮邻居修水管", "接送邻居孩子放学", "清扫楼道积雪", "代取快递药品"]
SKILLS = ['["elder_care"]', '["patrol"]', '["environment", "patrol"]', '["tutoring"]', '["medical"]', "[]", "[]"]
AVAILABILITY = ["周末", "工作日晚上", "工作日白天", "", "节假日"]


# --- command line ------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--volunteers", type=int, default=None, help=f"volunteers (default {CITY_VOLUNTEERS:,}; --quick 50,000)"
    )
    parser.add_argument(
        "--hours", type=int, default=None, help=f"service-hour records (default {CITY_HOURS:,}; --quick 600,000)"
    )
    parser.add_argument("--quick", action="store_true", help="50,000 volunteers, 600,000 records, short rounds")
    parser.add_argument("--lookups", type=int, default=300, help="volunteers timed for the brief (default 300)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per figures measure (default 5)")
    parser.add_argument("--checkin-pairs", type=int, default=30_000, help="(activity, volunteer) pairs for check-ins")
    parser.add_argument("--no-http", action="store_true", help="skip the check-ins through granian")
    parser.add_argument(
        "--refresh-months", type=int, default=12, help="months of stored figures refreshed and read (default 12)"
    )
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of the reads")
    parser.add_argument("--seed", type=int, default=14, help="random seed of the generated data (default 14)")
    parser.add_argument(
        "--cache", metavar="DIR", help="keep the generated rows here and reuse them (same sizes, seed and day)"
    )
    parser.add_argument("--generate-only", action="store_true", help="only generate the rows into --cache")
    parser.add_argument(
        "--demo-template", metavar="DIR", help="prepare the demo city once in DIR and copy it for each run"
    )
    harness.add_load_arguments(parser, residents=300)
    harness.add_postgres_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.volunteers is None:
        args.volunteers = QUICK_VOLUNTEERS if args.quick else CITY_VOLUNTEERS
    if args.hours is None:
        args.hours = QUICK_HOURS if args.quick else CITY_HOURS
    if args.quick:
        args.rounds, args.duration, args.warmup = min(args.rounds, 2), min(args.duration, 5), min(args.warmup, 2)
        args.checkin_pairs = min(args.checkin_pairs, 8_000)
    sys.stdout.reconfigure(line_buffering=True)  # each part shows as soon as it is measured
    if args.generate_only and not args.cache:
        raise SystemExit("--generate-only needs --cache DIR")
    if not args.no_http and not harness.wrk_available():
        raise SystemExit("the check-ins need wrk (apt-get install -y wrk), or run with --no-http")
    if args.demo_template:
        environment = template_environment(args.demo_template, args.postgres, args.residents)
    else:
        environment = harness.demo_environment(residents=args.residents, postgres_url=args.postgres, keep=args.keep)
    with environment as env:
        env["LINLI_TASK_BACKEND"] = "database"  # production's backend
        os.environ.update({k: v for k, v in env.items() if k.startswith("LINLI_")})
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.config.settings"
        import django

        django.setup()
        started = time.perf_counter()
        world = load(args)
        if args.generate_only:
            harness.log(f"generated into {args.cache}; run again with the same options to measure")
            return 0
        report(args, world, {"load": True})  # each part printed as soon as it is measured
        report(args, world, {"brief": measure_brief(args, world)})
        if not args.no_http:
            report(args, world, {"checkins": measure_checkins(args, env, world)})
        report(args, world, {"figures": measure_figures(args, world)})
        harness.log(f"done in {(time.perf_counter() - started) / 60:.1f} min, load average {os.getloadavg()}")
    return 0


@contextlib.contextmanager
def template_environment(folder: str, postgres_url: str, residents: int) -> Iterator[dict[str, str]]:
    """`--demo-template DIR`: the demo city prepared once (`linli demo --no-serve` into DIR/data
    and the database named in DIR/database, made the first time), copied for each run: the data
    folder with its keys, the database with CREATE DATABASE … TEMPLATE, then `migrate` (the code
    may have moved on). Saves the demo's minutes on every run; the copy is dropped afterwards."""
    import shutil
    import subprocess
    import tempfile
    import uuid
    from pathlib import Path
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    root = Path(folder)
    server = postgres_url.replace("postgres://", "postgresql://", 1)
    parts = urlsplit(postgres_url)
    base_env = {
        **os.environ,
        "LINLI_LOG_LEVEL": "WARNING",
        "LINLI_TASK_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "linli.config.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(harness.REPO_ROOT), os.environ.get("PYTHONPATH", "")])),
    }
    if not (root / "database").exists():
        template = f"linli_bench_template_{uuid.uuid4().hex[:8]}"
        (root / "data" / "static").mkdir(parents=True, exist_ok=True)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{template}"')
        url = urlunsplit((parts.scheme, parts.netloc, f"/{template}", "", ""))
        harness.log(f"preparing the demo template {template} in {root} (linli demo --no-serve --residents {residents})")
        subprocess.run(
            [*harness.linli_command(), "demo", "--no-serve", "--residents", str(residents)],
            env={**base_env, "LINLI_DATA_DIR": str(root / "data"), "LINLI_DATABASE_URL": url},
            check=True, stdout=subprocess.DEVNULL, cwd=harness.REPO_ROOT,
        )  # fmt: skip
        (root / "database").write_text(template)
    template = (root / "database").read_text().strip()
    name = f"linli_bench_{uuid.uuid4().hex[:10]}"
    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    shutil.copytree(root / "data", data_dir, dirs_exist_ok=True)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    harness.log(f"created PostgreSQL database {name} from the demo template {template}")
    try:
        env = {**base_env, "LINLI_DATA_DIR": str(data_dir), "LINLI_DATABASE_URL": url}
        subprocess.run([*harness.linli_command(), "migrate", "--no-input"], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=harness.REPO_ROOT)  # fmt: skip
        yield {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
        harness.log(f"dropped PostgreSQL database {name}")


# --- loading: COPY with the indexes and keys dropped and rebuilt -------------------------------------


@dataclass
class Stripped:
    """What was dropped from the loaded tables, as the statements that put it back."""

    keys: list[str] = field(default_factory=list)  # primary keys, unique and exclusion constraints
    indexes: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def strip(cursor, tables: list[str]) -> Stripped:
    """Drop the foreign keys on or to `tables`, their primary keys, unique constraints and other
    indexes; return the statements (pg_get_constraintdef / pg_get_indexdef) that rebuild them."""
    stripped = Stripped()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE (contype IN ('p', 'u', 'x') AND conrelid = ANY(%s::regclass[])) "
        "   OR (contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[])))",
        [tables, tables, tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
        "WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
        "  AND c.contype IN ('p', 'u', 'x'))",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, definition, kind in sorted(constraints, key=lambda c: c[3] != "f"):  # foreign keys first
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        statement = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        (stripped.foreign if kind == "f" else stripped.keys).append(statement)
    for name, definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
        stripped.indexes.append(definition)
    return stripped


def restore(cursor, stripped: Stripped) -> list[tuple[str, float]]:
    """Rebuild what `strip` dropped (keys, then indexes, then foreign keys, validated); the seconds
    each statement took."""
    took = []
    for statement in [*stripped.keys, *stripped.indexes, *stripped.foreign]:
        started = time.perf_counter()
        cursor.execute(statement)
        took.append((statement, time.perf_counter() - started))
    return took


class Sink:
    """A table's generated rows (tab-separated COPY text lines) written to a file, in chunks."""

    def __init__(self, path):
        self.path, self.rows = path, 0
        self.file = open(path, "w", encoding="utf-8", buffering=1 << 20)  # noqa: SIM115 (closed by close())
        self.buffer: list[str] = []

    def add(self, line: str) -> None:
        self.buffer.append(line)
        self.rows += 1
        if len(self.buffer) >= 4000:
            self.file.write("".join(self.buffer))
            self.buffer = []

    def close(self) -> None:
        self.file.write("".join(self.buffer))
        self.buffer = []
        self.file.close()


class Lines(list):
    """Rows kept in memory (today's activities, generated at every run)."""

    @property
    def rows(self) -> int:
        return len(self)

    add = list.append


def copy_table(url: str, table: str, columns: list[str], path, extra: list[str]) -> tuple[int, float]:
    """TRUNCATE `table` and COPY … FREEZE into it in one transaction, on its own connection:
    its existing rows (the demo's, read back with COPY TO) first, then the generated file, then
    `extra` lines. Returns (bytes, seconds)."""
    import psycopg

    started = time.perf_counter()
    names = ", ".join(columns)
    sent = 0
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        saved = io.BytesIO()
        with cursor.copy(f"COPY (SELECT {names} FROM {table} ORDER BY id) TO STDOUT") as copy:  # noqa: S608
            for data in copy:
                saved.write(data)
        cursor.execute(f"TRUNCATE {table}")
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FREEZE)") as copy:
            copy.write(saved.getvalue())
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    sent += len(chunk)
                    copy.write(chunk)
            if extra:
                copy.write("".join(extra).encode())
        conn.commit()
    return sent, time.perf_counter() - started


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# --- the generated city ----------------------------------------------------------------------------


class Clock:
    """Local seconds since REG_FROM's midnight → timestamp text (+08) and date text, fast."""

    def __init__(self, until: date):
        days = (until - REG_FROM).days + 3
        self.days = [(REG_FROM + timedelta(days=d)).isoformat() for d in range(days)]
        self.base_unix = int(datetime(REG_FROM.year, REG_FROM.month, REG_FROM.day, tzinfo=TZ).timestamp())

    def ts(self, s: int) -> str:
        d, r = divmod(s, DAY)
        return f"{self.days[d]} {r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}+08"

    def day(self, s: int) -> str:
        return self.days[s // DAY]

    def secs(self, moment: datetime) -> int:
        return int(moment.timestamp()) - self.base_unix

    def uuid(self, s: int, tag: int, seq: int) -> str:
        """A version-7 UUID text: the moment's Unix milliseconds first (index order as uuid7
        gives), then the table's tag and the row's sequence (unique per table)."""
        ms = (self.base_unix + s) * 1000 + seq % 1000
        variant = 0x8000 | (seq >> 48) & 0x3FFF
        return f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-7{tag:03x}-{variant:04x}-{seq & 0xFFFFFFFFFFFF:012x}"


@dataclass
class World:
    """What the measures need to know about the loaded city."""

    volunteers: int = 0
    hours: int = 0
    vol_base: int = 0  # volunteer i has id vol_base + i
    account_base: int = 0
    communities: list = field(default_factory=list)  # (path, lat, lng)
    community_of: array = field(default_factory=lambda: array("l"))
    reg_secs: array = field(default_factory=lambda: array("q"))
    balances: array = field(default_factory=lambda: array("q"))
    earned: array = field(default_factory=lambda: array("q"))
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    clock: Clock | None = None
    now_s: int = 0
    staff_ids: list = field(default_factory=list)
    sealed: dict = field(default_factory=dict)
    max_ids: dict = field(default_factory=dict)
    checkin_pairs: int = 0
    active: bytearray = field(default_factory=bytearray)
    next_ids: dict = field(default_factory=dict)
    generated: dict = field(default_factory=dict)
    pairs: dict = field(default_factory=dict)  # variant → [(activity public id, qr secret, volunteer public id)]


TABLES = {
    "volunteers_volunteer": [
        "id", "public_id", "user_id", "name", "id_number_sealed", "id_number_index", "id_number_masked",
        "phone_sealed", "phone_masked", "birth_date", "gender", "guardian_name", "guardian_phone_sealed",
        "guardian_phone_masked", "guardian_consent_on", "skills", "availability", "registered_path", "status",
        "registered_at", "recorded_by_id",
    ],
    "volunteers_activity": [
        "id", "public_id", "title", "description", "organiser_path", "organisation_id", "place", "lat", "lng",
        "radius_m", "starts_at", "ends_at", "recurring", "recurrence", "signup_mode", "required_skills", "status",
        "qr_secret", "created_by_id", "created_at",
    ],
    "volunteers_shift": ["id", "public_id", "activity_id", "starts_at", "ends_at", "needed"],
    "volunteers_signup": [
        "id", "public_id", "shift_id", "volunteer_id", "state", "created_at", "decided_at", "decided_by_id",
        "rating", "rated_by_id",
    ],
    "volunteers_servicehours": [
        "id", "public_id", "volunteer_id", "activity_id", "shift_id", "kind", "minutes", "served_path",
        "registered_path", "served_on", "checked_in_at", "checked_out_at", "description", "beneficiary", "reason",
        "corrects_id", "state", "approved_by_id", "approved_at", "recorded_by_id", "created_at",
    ],
    "timebank_timebankaccount": ["id", "holder", "kind", "path", "balance", "held", "updated_at"],
    "timebank_timebankentry": [
        "id", "account_id", "kind", "minutes", "balance_after", "reference_type", "reference_id", "path",
        "actor_user_id", "actor_name", "reason", "created_at",
    ],
}  # fmt: skip


def check_columns(cursor) -> None:
    """Fail early, naming the column, when a table has a NOT NULL column the generator does not
    fill (the apps' models changed)."""
    missing = []
    for table, columns in TABLES.items():
        cursor.execute(
            "SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        present = cursor.fetchall()
        if not present:
            missing.append(f"{table}: no such table")
        names = {name for name, _, _ in present}
        missing += [f"{table}.{c}: not in the table" for c in columns if c not in names]
        missing += [
            f"{table}.{name}: NOT NULL, not generated"
            for name, nullable, default in present
            if name not in columns and nullable == "NO" and default is None
        ]
    if missing:
        raise SystemExit("the generator does not match the models:\n  " + "\n  ".join(missing))


def growth_secs(i: int, n: int, clock: Clock, now_s: int) -> int:
    """Registration moment of the i-th of n volunteers, following GROWTH."""
    f = (i + 0.5) / n
    points = [(clock.secs(datetime(d.year, d.month, d.day, tzinfo=TZ)) if d else now_s, share) for d, share in GROWTH]
    for (s0, f0), (s1, f1) in itertools.pairwise(points):
        if f <= f1:
            return int(s0 + (s1 - s0) * (f - f0) / (f1 - f0))
    return now_s


def load(args: argparse.Namespace) -> World:
    """Generate the city (or reuse the files of an earlier run with `--cache`), then COPY it in
    with the keys and indexes dropped, rebuild them and ANALYZE."""
    import hashlib
    import pickle
    import shutil
    import tempfile
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    from django.db import connection
    from django.utils import timezone

    from linli.areas.models import OrgUnit

    now = timezone.now()
    clock = Clock(timezone.localdate(now))
    units = list(
        OrgUnit.objects.filter(kind__in=["community", "village"]).order_by("path").values_list("path", "lat", "lng")
    )
    with connection.cursor() as cursor:
        check_columns(cursor)
        for table in TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608
            if cursor.fetchone()[0] >= BASE_ID:
                raise SystemExit(f"{table} already holds ids from {BASE_ID:,}: the generated rows start there")
    staff_users()
    paths = [path for path, _, _ in units]
    key = hashlib.sha256(repr((args.volunteers, args.hours, args.seed, clock.days[-3], paths, TABLES)).encode())
    key = key.hexdigest()[:16]
    if args.cache:
        folder = Path(args.cache) / f"v{args.volunteers}-h{args.hours}-{key}"
    else:
        folder = Path(tempfile.mkdtemp(prefix="linli-bench-volunteers-"))
    try:
        if (folder / "world.pickle").exists():
            world = pickle.loads((folder / "world.pickle").read_bytes())  # noqa: S301 (our own file)
            world.timings = {"generated_s": 0.0, "reused": str(folder)}
            harness.log(f"reusing the generated city in {folder}")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            world = World(volunteers=args.volunteers, hours=args.hours, clock=clock, communities=units)
            world.staff_ids = STAFF_IDS
            world.max_ids = dict.fromkeys(TABLES, BASE_ID)
            world.vol_base = world.account_base = BASE_ID + 1
            world.now_s = clock.secs(now)
            generate(world, folder, random.Random(args.seed))
            (folder / "world.pickle").write_bytes(pickle.dumps(world))
        if args.generate_only:
            return world
        world.clock, world.now_s, world.checkin_pairs = clock, clock.secs(now), args.checkin_pairs
        extra = {table: Lines() for table in TABLES}
        write_now(world, extra, dict(world.next_ids), random.Random(args.seed + 2))

        tables = list(TABLES)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            stripped = strip(cursor, tables)
        harness.log(
            f"dropped {len(stripped.keys)} keys, {len(stripped.indexes)} indexes, {len(stripped.foreign)} foreign keys"
        )
        url = database_url()
        with ThreadPoolExecutor(max_workers=len(tables)) as pool:
            jobs = {t: pool.submit(copy_table, url, t, TABLES[t], folder / f"{t}.tsv", extra[t]) for t in tables}
            copied = {t: job.result() for t, job in jobs.items()}
        world.timings["copy_s"] = time.perf_counter() - started
        world.timings["copy_bytes"] = sum(b for b, _ in copied.values())
        for table in tables:
            world.counts[table] = world.generated[table] + len(extra[table])
        harness.log(
            f"COPY … FREEZE of {sum(world.counts[t] for t in tables):,} rows "
            f"({world.timings['copy_bytes'] / 1e9:.1f} GB, 7 tables side by side) in {world.timings['copy_s']:.0f} s: "
            + ", ".join(f"{t.split('_', 1)[1]} {world.counts[t]:,} in {s:.0f} s" for t, (_, s) in copied.items())
        )
    finally:
        if not args.cache:
            shutil.rmtree(folder, ignore_errors=True)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        took = restore(cursor, stripped)
    world.timings["restore_s"] = time.perf_counter() - started
    world.timings["restore"] = took
    slowest = sorted(took, key=lambda t: -t[1])[:5]
    parts = {
        "keys": sum(t for st, t in took if st in stripped.keys),
        "indexes": sum(t for st, t in took if st in stripped.indexes),
        "foreign keys": sum(t for st, t in took if st in stripped.foreign),
    }
    world.timings["restore_parts"] = parts
    harness.log(
        f"keys, indexes and foreign keys rebuilt in {world.timings['restore_s']:.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in parts.items())
        + "); slowest: "
        + "; ".join(f"{s:.0f} s {statement[:90]}" for statement, s in slowest)
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    world.timings["analyze_s"] = time.perf_counter() - started
    harness.log(f"ANALYZE in {world.timings['analyze_s']:.0f} s")
    return world


BASE_ID = 10_000_000  # generated rows' ids start above it in every table (the demo's rows keep theirs)
STAFF_IDS = [9_000_001, 9_000_002, 9_000_003]  # the staff the generated rows name (approved by, recorded by, …)


def staff_users() -> None:
    """The staff accounts the generated rows name, with fixed ids (so that generated files stay
    valid whatever the demo's own accounts are)."""
    from linli.accounts.models import User

    User.objects.bulk_create(
        [User(id=pk, username=f"bench_staff_{pk}", password="!", display_name="社区工作者") for pk in STAFF_IDS],  # noqa: S106
        ignore_conflicts=True,
    )


def generate(world: World, folder, rng: random.Random) -> None:
    """Write every table's generated rows to `folder/<table>.tsv` (COPY text format)."""
    from linli.core.crypto import seal

    started = time.perf_counter()
    world.sealed = {
        "id": [seal(f"21010219{70 + i % 30}0101{i:03d}X", context="volunteer.id_number") for i in range(256)],
        "phone": [seal(f"139{i:08d}", context="volunteer.phone") for i in range(256)],
    }
    harness.log(
        f"{len(world.communities):,} communities; generating {world.volunteers:,} volunteers and "
        f"{world.hours:,} hour records into {folder}"
    )
    sinks = {t: Sink(folder / f"{t}.tsv") for t in TABLES}
    try:
        write_volunteers(world, sinks["volunteers_volunteer"], rng)
        write_hours(world, sinks, rng)
        write_accounts(world, sinks["timebank_timebankaccount"])
    finally:
        for sink in sinks.values():
            sink.close()
    world.generated = {t: sink.rows for t, sink in sinks.items()}
    world.timings["generated_s"] = time.perf_counter() - started
    harness.log(
        f"generated {sum(world.generated.values()):,} rows in {world.timings['generated_s']:.0f} s: "
        + ", ".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in world.generated.items())
    )


def write_volunteers(world: World, stream: Sink, rng: random.Random) -> None:
    clock = world.clock
    n = world.volunteers
    r = rng.random
    communities = world.communities
    weights = [0.3 + rng.lognormvariate(0, 0.6) for _ in communities]
    world.community_of = array("l", rng.choices(range(len(communities)), weights=weights, k=n))
    world.reg_secs = array("q", (growth_secs(i, n, clock, world.now_s) for i in range(n)))
    sealed_ids, sealed_phones = world.sealed["id"], world.sealed["phone"]

    def guardian(name: str, i: int, reg: int) -> str:
        return f"{name[0]}建国\t{sealed_phones[(i + 7) & 255]}\t138****{(i * 7) % 10000:04d}\t{clock.day(reg)}\t"

    world.active = active = bytearray(n)
    today = date.fromisoformat(clock.day(world.now_s))
    for i in range(n):
        vid = world.vol_base + i
        reg = world.reg_secs[i]
        path = communities[world.community_of[i]][0]
        age_days = int((14 + 66 * r() ** 1.3) * 365.25)
        birth = today - timedelta(days=age_days)
        minor = age_days < 18 * 365.25
        male = r() < 0.42
        name = SURNAMES[int(r() * len(SURNAMES))] + GIVEN[int(r() * len(GIVEN))]
        status = "active" if r() < 0.96 else ("left" if r() < 0.75 else "suspended")
        active[i] = status == "active"
        index = (vid * 0x9E3779B97F4A7C15F39CC0605CEDC835) & ((1 << 128) - 1)
        stream.add(
            f"{vid}\t{clock.uuid(reg, 0x001, vid)}\t\\N\t{name}\t{sealed_ids[i & 255]}\t{index:032x}\t"
            f"{path[:6]}********{i % 10000:04d}\t{sealed_phones[i & 255]}\t139****{i % 10000:04d}\t"
            f"{birth.isoformat()}\t{'male' if male else 'female'}\t"
            + (guardian(name, i, reg) if minor else "\t\t\t\\N\t")
            + f"{SKILLS[i % len(SKILLS)]}\t{AVAILABILITY[i % len(AVAILABILITY)]}\t{path}\t{status}\t"
            + f"{clock.ts(reg)}\t\\N\n"
        )  # fmt: skip


def month_starts(clock: Clock, now_s: int) -> list[int]:
    starts = []
    d = HOURS_FROM
    while True:
        s = clock.secs(datetime(d.year, d.month, 1, tzinfo=TZ))
        if s >= now_s:
            break
        starts.append(s)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return starts


def write_hours(world: World, streams: dict[str, Sink], rng: random.Random) -> None:
    """The service records month by month in time order, with the activities, shifts and
    sign-ups they come from and the time bank's ledger entries they credit."""
    clock, r = world.clock, rng.random
    n_vol = world.volunteers
    communities = world.communities
    members: list[list[int]] = [[] for _ in communities]
    for i, c in enumerate(world.community_of):
        members[c].append(i)
    member_regs = [[world.reg_secs[i] for i in m] for m in members]
    reg_secs = world.reg_secs
    world.balances = array("q", bytes(8 * n_vol))
    world.earned = array("q", bytes(8 * n_vol))
    starts = month_starts(clock, world.now_s)
    weights = [1 + 1.5 * k / max(1, len(starts) - 1) for k in range(len(starts))]
    ends = [*starts[1:], world.now_s]
    weights[-1] *= (ends[-1] - starts[-1]) / (30 * DAY)  # the current month so far
    total_w = sum(weights)
    ids = {t: 1 + world.max_ids[t] for t in streams}
    activity_s, shift_s, signup_s = (
        streams["volunteers_activity"],
        streams["volunteers_shift"],
        streams["volunteers_signup"],
    )
    hours_s, entry_s = streams["volunteers_servicehours"], streams["timebank_timebankentry"]
    staff = world.staff_ids
    done = 0
    started = time.perf_counter()
    for month, (m_start, m_end) in enumerate(zip(starts, ends, strict=True)):
        target = round(world.hours * weights[month] / total_w) if month < len(starts) - 1 else world.hours - done
        days = max(1, (m_end - m_start) // DAY)
        busy: set[int] = set()
        items: list[list] = []
        n_checkin = int(target * 0.76)
        made = 0
        n_global_end = bisect.bisect_right(reg_secs, m_end)
        if n_global_end == 0:
            continue
        while made < n_checkin:
            day = int(r() * days)
            first_slot = int(r() * len(SLOTS))
            n_shifts = min(len(SLOTS) - first_slot, 1 + int(r() * r() * 3))
            a_start = m_start + day * DAY + SLOTS[first_slot][0] * 60
            if a_start >= world.now_s - DAY:  # the last day's activities are the check-in bench's
                continue
            c = world.community_of[int(r() * n_global_end)]
            path, lat, lng = communities[c]
            regs, mem = member_regs[c], members[c]
            n_e = bisect.bisect_right(regs, a_start)
            if n_e == 0:
                continue
            aid = ids["volunteers_activity"]
            ids["volunteers_activity"] += 1
            last_end = a_start
            title = TITLES[int(r() * len(TITLES))]
            for slot in range(first_slot, first_slot + n_shifts):
                s_start = m_start + day * DAY + SLOTS[slot][0] * 60
                s_end = s_start + (60 + 30 * int(r() * 3)) * 60
                last_end = s_end
                sid = ids["volunteers_shift"]
                ids["volunteers_shift"] += 1
                k = min(n_e, 2 + int(r() * r() * 24))
                taken = 0
                for _ in range(k + 3):
                    if taken >= k:
                        break
                    # 15 % from elsewhere in the city; else the community's own, the longest registered serving most
                    v = int(bisect.bisect_right(reg_secs, s_start) * r()) if r() < 0.15 else mem[int(n_e * r() ** 3)]
                    key = (v * 4000 + (s_start - m_start) // DAY) * 8 + slot
                    if key in busy:
                        continue
                    busy.add(key)
                    taken += 1
                    items.append([s_start, 0, v, aid, sid, s_end, path, None])
                shift_s.add(
                    f"{sid}\t{clock.uuid(s_start, 0x003, sid)}\t{aid}\t{clock.ts(s_start)}\t{clock.ts(s_end)}\t"
                    f"{taken + int(r() * 4) + 1}\n"
                )
                made += taken
            created = a_start - int((1 + r() * 14) * DAY)
            position = f"{lat + (r() - 0.5) * 0.004:.6f}\t{lng + (r() - 0.5) * 0.004:.6f}" if lat else "\\N\t\\N"
            activity_s.add(
                f"{aid}\t{clock.uuid(created, 0x002, aid)}\t{title}\t\t{path}\t\\N\t社区活动室\t{position}\t300\t"
                f"{clock.ts(a_start)}\t{clock.ts(last_end)}\t{'t' if r() < 0.2 else 'f'}\t\t"
                f"{'open' if r() < 0.8 else 'confirm'}\t[]\tfinished\t{aid:032x}\t{staff[aid % len(staff)] or '\\N'}\t"
                f"{clock.ts(created)}\n"
            )
        for _ in range(target - made):  # reported neighbourly help (2/3) and proxy entries by staff (1/3)
            day = int(r() * days)
            slot = int(r() * len(SLOTS))
            s_start = m_start + day * DAY + SLOTS[slot][0] * 60
            if s_start >= world.now_s - DAY:
                continue
            v = int(bisect.bisect_right(reg_secs, s_start) * r() ** 2.5)
            key = (v * 4000 + (s_start - m_start) // DAY) * 8 + slot
            if key in busy:
                continue
            busy.add(key)
            minutes = 30 + 15 * int(r() * 7)
            items.append([s_start, 1 if r() < 0.67 else 2, v, minutes, None, None, None, None])
        items.sort(key=lambda item: item[0])
        for item in items:
            s_start, kind, v = item[0], item[1], item[2]
            hid = ids["volunteers_servicehours"]
            ids["volunteers_servicehours"] += 1
            huuid = clock.uuid(s_start, 0x005, hid)
            rpath = communities[world.community_of[v]][0]
            vid = world.vol_base + v
            if kind == 0:
                _, _, _, aid, sid, s_end, spath, _ = item
                check_in = s_start - int(r() * 900)
                check_out = s_end + int((r() - 0.35) * 1800)
                minutes = (min(check_out, s_end) - s_start) // 60
                approved_at = check_out
                state = "approved"
                sgid = ids["volunteers_signup"]
                ids["volunteers_signup"] += 1
                signed = s_start - int((0.2 + r() * 6) * DAY)
                rating = str(4 + (r() < 0.6)) if r() < 0.3 else "\\N"
                signup_s.add(
                    f"{sgid}\t{clock.uuid(signed, 0x004, sgid)}\t{sid}\t{vid}\tconfirmed\t{clock.ts(signed)}\t"
                    "\\N\t\\N\t"
                    f"{rating}\t{staff[0] if rating != '\\N' else '\\N'}\n"
                )
                hours_s.add(
                    f"{hid}\t{huuid}\t{vid}\t{aid}\t{sid}\tcheck_in\t{minutes}\t{spath}\t{rpath}\t{clock.day(s_start)}\t"
                    f"{clock.ts(check_in)}\t{clock.ts(check_out)}\t志愿服务签到\t\t\t\\N\tapproved\t\\N\t"
                    f"{clock.ts(check_out)}\t{staff[-1] or '\\N'}\t{clock.ts(check_in)}\n"
                )
                if r() < 0.002 and minutes > 30:  # a correction the next day: 30 minutes taken back
                    item[7] = hid
            else:
                minutes = item[3]
                end = s_start + minutes * 60
                reported = min(end + int(r() * 2 * DAY), world.now_s - 60)
                recent = world.now_s - reported < 20 * DAY
                if kind == 1:
                    state = "pending" if recent and r() < 0.5 else ("approved" if r() < 0.9 else "rejected")
                else:
                    state = "approved"
                approved_at = reported + int(r() * 3 * DAY) if state != "pending" else None
                if approved_at is not None and approved_at > world.now_s:
                    approved_at, state = None, "pending"
                approver = staff[hid % len(staff)] or "\\N"
                hours_s.add(
                    f"{hid}\t{huuid}\t{vid}\t\\N\t\\N\t{'reported' if kind == 1 else 'proxy'}\t{minutes}\t{rpath}\t"
                    f"{rpath}\t{clock.day(s_start)}\t{clock.ts(s_start)}\t{clock.ts(end)}\t"
                    f"{REPORTED[hid % len(REPORTED)]}\t{'邻居' if kind == 1 else ''}\t\t\\N\t{state}\t"
                    + (f"{approver}\t{clock.ts(approved_at)}\t" if approved_at is not None else "\\N\t\\N\t")
                    + f"{approver if kind == 2 else '\\N'}\t{clock.ts(reported if kind == 1 else s_start)}\n"
                )  # fmt: skip
                spath = rpath
            if state == "approved" and minutes > 0:
                _credit(world, entry_s, ids, v, minutes, huuid, spath, approved_at, r)
            if item[7] is not None:
                cid = ids["volunteers_servicehours"]
                ids["volunteers_servicehours"] += 1
                at = min(approved_at + DAY, world.now_s - 60)
                cuuid = clock.uuid(at, 0x005, cid)
                hours_s.add(
                    f"{cid}\t{cuuid}\t{vid}\t{item[3]}\t{item[4]}\tcorrection\t-30\t{spath}\t{rpath}\t"
                    f"{clock.day(s_start)}\t\\N\t\\N\t签退时间更正\t\t签退晚于实际离开时间，按实际更正\t{hid}\tapproved\t"
                    f"{staff[0] or '\\N'}\t{clock.ts(at)}\t{staff[0] or '\\N'}\t{clock.ts(at)}\n"
                )
                _credit(world, entry_s, ids, v, -30, cuuid, spath, at, r)
        done += len(items)
        elapsed = time.perf_counter() - started
        if month % 6 == 5 or month == len(starts) - 1:
            harness.log(
                f"{clock.day(m_start)[:7]}: {done:,} records so far ({done / elapsed:,.0f}/s), "
                f"{ids['volunteers_activity'] - 1:,} activities, ledger {entry_s.rows:,}"
            )
    world.next_ids = ids


NOW_COMMUNITY = "210102001002"  # the demo community worker's community: the scanner's activities
PER_SHIFT = 100


def write_now(world: World, streams: dict[str, Lines], ids: dict, rng: random.Random) -> None:
    """Today's activities for the check-in measure, organised in the demo community worker's
    community: `--checkin-pairs` volunteers signed up (confirmed) for shifts running now
    (started 20 minutes ago, ending in 4 hours), 100 a shift; and as many volunteers checked in
    two hours ago at other shifts, still open (their next scan is the check-out, which credits
    the time bank). Each volunteer once, active, from anywhere in the city."""
    clock, r = world.clock, rng.random
    path, lat, lng = next(c for c in world.communities if c[0] == NOW_COMMUNITY)
    sample = rng.sample(range(world.volunteers), min(world.volunteers, 4 * world.checkin_pairs + 1000))
    active = [v for v in sample if world.active[v]]
    if len(active) < 3 * PER_SHIFT * math.ceil(world.checkin_pairs / PER_SHIFT):
        raise SystemExit(f"too few volunteers for {world.checkin_pairs:,} check-in pairs: lower --checkin-pairs")
    staff = world.staff_ids[0]
    pairs: dict[str, list] = {"check-in": [], "check-in-key": [], "check-out": []}
    now = world.now_s
    position = f"{lat:.6f}\t{lng:.6f}" if lat else "\\N\t\\N"
    chosen = iter(active)
    variants = (("check-in", now - 20 * 60), ("check-in-key", now - 20 * 60), ("check-out", now - 130 * 60))
    for variant, s_start in variants:
        s_end = now + 4 * 3600
        for _ in range(math.ceil(world.checkin_pairs / PER_SHIFT)):
            aid, sid = ids["volunteers_activity"], ids["volunteers_shift"]
            ids["volunteers_activity"] += 1
            ids["volunteers_shift"] += 1
            created = s_start - 3 * DAY
            apublic = clock.uuid(created, 0x002, aid)
            secret = f"{aid:032x}"
            streams["volunteers_activity"].add(
                f"{aid}\t{apublic}\t{TITLES[aid % len(TITLES)]}\t\t{path}\t\\N\t社区活动室\t{position}\t300\t"
                f"{clock.ts(s_start)}\t{clock.ts(s_end)}\tf\t\topen\t[]\tpublished\t{secret}\t{staff}\t"
                f"{clock.ts(created)}\n"
            )
            streams["volunteers_shift"].add(
                f"{sid}\t{clock.uuid(s_start, 0x003, sid)}\t{aid}\t{clock.ts(s_start)}\t{clock.ts(s_end)}\t"
                f"{PER_SHIFT + 20}\n"
            )
            for _ in range(PER_SHIFT):
                v = next(chosen)
                vid = world.vol_base + v
                vpublic = clock.uuid(world.reg_secs[v], 0x001, vid)
                sgid = ids["volunteers_signup"]
                ids["volunteers_signup"] += 1
                signed = created + int(r() * DAY)
                streams["volunteers_signup"].add(
                    f"{sgid}\t{clock.uuid(signed, 0x004, sgid)}\t{sid}\t{vid}\tconfirmed\t{clock.ts(signed)}\t"
                    "\\N\t\\N\t\\N\t\\N\n"
                )
                if variant == "check-out":
                    hid = ids["volunteers_servicehours"]
                    ids["volunteers_servicehours"] += 1
                    at = s_start + int(r() * 600)
                    rpath = world.communities[world.community_of[v]][0]
                    streams["volunteers_servicehours"].add(
                        f"{hid}\t{clock.uuid(at, 0x005, hid)}\t{vid}\t{aid}\t{sid}\tcheck_in\t0\t{path}\t{rpath}\t"
                        f"{clock.day(at)}\t{clock.ts(at)}\t\\N\t志愿服务签到\t\t\t\\N\topen\t\\N\t\\N\t{staff}\t"
                        f"{clock.ts(at)}\n"
                    )
                pairs[variant].append((apublic, secret, vpublic))
    world.pairs = pairs


def _credit(world: World, entry_s: Sink, ids: dict, v: int, minutes: int, huuid: str, path: str, at: int, r) -> None:
    """The ledger entry the time bank writes when a record becomes countable (`hours_credit`),
    and now and then a spending a little later (an exchange delivered)."""
    clock = world.clock
    balances = world.balances
    account = world.account_base + v
    if minutes > 0:
        balances[v] += minutes
        world.earned[v] += minutes
        kind, reason = "earned", ""
    else:
        minutes = -min(-minutes, balances[v])
        if minutes == 0:
            return
        balances[v] += minutes
        kind, reason = "correction", "服务时长更正 (hours corrected)"
    eid = ids["timebank_timebankentry"]
    ids["timebank_timebankentry"] += 1
    entry_s.add(
        f"{eid}\t{account}\t{kind}\t{minutes}\t{balances[v]}\thours\t{huuid}\t{path}\t\\N\t系统\t{reason}\t{clock.ts(at)}\n"
    )
    if balances[v] >= 240 and r() < 0.03 and at + 2 * DAY < world.now_s:
        spend = min(balances[v], 60 * (1 + int(r() * 3)))
        balances[v] -= spend
        eid = ids["timebank_timebankentry"]
        ids["timebank_timebankentry"] += 1
        entry_s.add(
            f"{eid}\t{account}\tspent\t{-spend}\t{balances[v]}\texchange\t{clock.uuid(at, 0x006, eid)}\t"
            f"{path}\t{world.staff_ids[0]}\t社区工作者\t\t{clock.ts(at + 2 * DAY)}\n"
        )


def write_accounts(world: World, stream: Sink) -> None:
    """One time-bank account per volunteer who earned minutes (`account_ensure` makes it at the
    first credit), holding the ledger's final balance."""
    clock = world.clock
    for v in range(world.volunteers):
        if world.earned[v] == 0:
            continue
        vid = world.vol_base + v
        path = world.communities[world.community_of[v]][0]
        stream.add(
            f"{world.account_base + v}\t{clock.uuid(world.reg_secs[v], 0x001, vid)}\tvolunteer\t{path}\t"
            f"{world.balances[v]}\t0\t{clock.ts(world.now_s)}\n"
        )


# --- measure 1: a volunteer's hours, stars and balance ----------------------------------------------


def _link_users(world: World, sample: list[int]) -> dict[int, int]:
    """A resident account for each sampled volunteer (volunteer index → user id), as the ones
    who registered from their phone have; the rest of the generated volunteers have none."""
    from django.db import connection

    from linli.accounts.models import User

    users = User.objects.bulk_create(
        [User(username=f"bench_volunteer_{v}", password="!", display_name="志愿者") for v in sample]  # noqa: S106 (unusable)
    )
    linked = {v: u.pk for v, u in zip(sample, users, strict=True)}
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE volunteers_volunteer SET user_id = %s WHERE id = %s",
            [(uid, world.vol_base + v) for v, uid in linked.items()],
        )
        cursor.execute("ANALYZE volunteers_volunteer")
    return linked


def measure_brief(args: argparse.Namespace, world: World) -> dict:
    """`volunteer_for_user` (the volunteer row by user, the approved minutes summed, the unit's
    name) + `balance_of` (the account by holder), as the resident's volunteer and time-bank pages
    call them, against `Volunteer.objects.get(pk=…)` of the same volunteer; each volunteer once
    (the brief first, so the baseline finds the volunteer's row cached), then a second, warm pass."""
    import heapq
    from uuid import UUID

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linli.timebank.selectors import balance_of
    from linli.volunteers.models import Volunteer
    from linli.volunteers.selectors import volunteer_for_user

    rng = random.Random(args.seed + 1)
    n = world.volunteers
    anyone = rng.sample(range(n), min(n, args.lookups))
    with_hours = [v for v in rng.sample(range(n), min(n, args.lookups * 10)) if world.earned[v] > 0][: args.lookups]
    heaviest = heapq.nlargest(50, range(n), key=world.earned.__getitem__)
    groups = {
        "random volunteers": anyone,
        "random volunteers with hours": with_hours,
        "the 50 with the most hours": heaviest,
    }
    users = _link_users(world, sorted({v for group in groups.values() for v in group}))

    def brief(v: int):
        found = volunteer_for_user(users[v])
        return found, balance_of(UUID(found.public_id))

    def by_pk(v: int):
        return Volunteer.objects.get(pk=world.vol_base + v)

    with CaptureQueriesContext(connection) as captured:
        found, balance = brief(heaviest[0])
    checks = []
    for v in heaviest[:3] + with_hours[:3]:
        found, (balance, _held) = brief(v)
        if found.total_minutes < world.earned[v] - 60 * 24 or balance != world.balances[v]:
            raise SystemExit(f"volunteer {v}: brief {found}, balance {balance}; generated {world.earned[v]}, "
                             f"{world.balances[v]}")  # fmt: skip
        checks.append((found.total_minutes, found.star_level, balance))
    results = {"queries": len(captured.captured_queries), "checks": checks, "groups": {}}
    for name, group in groups.items():
        cold_brief, cold_pk, warm_brief, warm_pk = [], [], [], []
        for v in group:
            cold_brief.append(_timed(brief, v))
            cold_pk.append(_timed(by_pk, v))
        for v in group:
            warm_pk.append(_timed(by_pk, v))
            warm_brief.append(_timed(brief, v))
        minutes = [world.earned[v] for v in group]
        results["groups"][name] = {
            "n": len(group),
            "median_hours": statistics.median(minutes) / 60,
            "max_hours": max(minutes) / 60,
            "brief": _percentiles(cold_brief),
            "pk": _percentiles(cold_pk),
            "brief_warm": _percentiles(warm_brief),
            "pk_warm": _percentiles(warm_pk),
        }
    if args.explain:
        from linli.volunteers.selectors import approved_minutes

        harness.explain("approved_minutes (heaviest volunteer)", lambda: approved_minutes(world.vol_base + heaviest[0]))
        harness.explain("approved_minutes (random volunteer)", lambda: approved_minutes(world.vol_base + with_hours[0]))
    return results


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "max": ordered[-1],
    }


# --- measures (filled in below) --------------------------------------------------------------------


# --- measure 2: a district's monthly figures -------------------------------------------------------


def measure_figures(args: argparse.Namespace, world: World) -> dict:
    """`figures_report` (the figures page: the stored `VolunteerFigure` rows of the actor's area,
    registered now, residents per area) for each district's admin, after `figures_refresh` (the
    nightly `linli volunteer-figures`, timed); baseline: `COUNT(*)` of the district's approved
    records of the last full month, what one month's stored minutes stand for."""
    import dataclasses

    from django.db.models import Count

    from linli.accounts.models import User
    from linli.accounts.selectors import actor_for_user
    from linli.areas.models import OrgUnit
    from linli.volunteers import selectors, services
    from linli.volunteers.models import ServiceHours, VolunteerFigure

    results: dict = {}
    started = time.perf_counter()
    rows = services.figures_refresh(months=args.refresh_months)
    results["refresh_s"] = time.perf_counter() - started
    results["refresh_rows"] = rows
    results["stored_rows"] = VolunteerFigure.objects.count()
    harness.log(f"figures_refresh(months={args.refresh_months}): {rows:,} rows in {results['refresh_s']:.1f} s")
    admin = actor_for_user(User.objects.get(username="demo_district_admin"))
    districts = list(OrgUnit.objects.filter(kind="district").order_by("path").values_list("path", "name"))
    today = date.fromisoformat(world.clock.day(world.now_s))
    month_end = date(today.year, today.month, 1)
    month_start = date(month_end.year - (month_end.month == 1), (month_end.month - 2) % 12 + 1, 1)
    per_district = []
    for path, name in districts:
        actor = dataclasses.replace(admin, scope_paths=(path,))

        def report_call(actor=actor):
            return selectors.figures_report(actor=actor)

        def count_call(path=path):
            return ServiceHours.objects.filter(
                served_path__startswith=path, state="approved", served_on__gte=month_start, served_on__lt=month_end
            ).count()

        figures = report_call()
        if not figures.areas or not figures.months:
            raise SystemExit(f"no figures for {name}: {figures}")
        times = harness.timed_ms(report_call, args.repeat)
        base = harness.timed_ms(count_call, args.repeat)
        per_district.append(
            {
                "path": path,
                "name": name,
                "ms": statistics.median(times),
                "baseline_ms": statistics.median(base),
                "records": count_call(),
                "served_hours": sum(figures.served_by_month) / 60,
                "areas": len(figures.areas),
                "months": len(figures.months),
                "computed_at": figures.computed_at,
            }
        )
    results["districts"] = per_district
    results["month"] = month_start
    stats = ServiceHours.objects.aggregate(n=Count("pk"))
    results["records"] = stats["n"]
    if args.explain:
        harness.explain(
            "figures_report, first district", lambda: selectors.figures_report(actor=dataclasses.replace(
                admin, scope_paths=(districts[0][0],)))
        )  # fmt: skip
    return results


# --- measure 3: check-ins through the API on granian -------------------------------------------------

SCANNER = "demo_community_worker"  # posted at NOW_COMMUNITY with VOLUNTEER_MANAGE: the organiser's scanner
CHECKINS_PATH = "/api/v1/volunteers/checkins"
ME = "GET /api/v1/me (baseline)"
HEALTHZ = "GET /healthz"
CHECK_IN = f"POST {CHECKINS_PATH} (check-in)"
CHECK_IN_KEY = f"POST {CHECKINS_PATH} (check-in, Idempotency-Key)"
CHECK_OUT = f"POST {CHECKINS_PATH} (check-out: credits the time bank)"
VARIANTS = {CHECK_IN: "check-in", CHECK_IN_KEY: "check-in-key", CHECK_OUT: "check-out"}

# wrk script: each request takes the next (QR token, volunteer) body, from BENCH_OFFSET on, with
# its own Idempotency-Key when BENCH_KEY is set (as a scanner retrying on a phone network would
# send); tallies the 200s and the rest.
LUA = """-- written by bench/volunteers.py for one run
local bodies = {BODIES}
local path = "{PATH}"
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local run = os.getenv("BENCH_RUN") or "0"
local with_key = os.getenv("BENCH_KEY") == "1"
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
}
sent, ok, other = 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  thread:set("stride", 0)
  table.insert(threads, thread)
end

function init(args)
  stride = #threads > 0 and #threads or 1
end

function request()
  local n = offset + (id or 0) + sent * (stride or 1)
  sent = sent + 1
  local body = bodies[(n % #bodies) + 1]
  if with_key then headers["Idempotency-Key"] = "bench-" .. run .. "-" .. n end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local s, o, x = 0, 0, 0
  for _, t in ipairs(threads) do
    s, o, x = s + t:get("sent"), o + t:get("ok"), x + t:get("other")
  end
  io.write(string.format("bench-checkins sent=%d ok=%d other=%d\\n", s, o, x))
end
"""


def write_script(bodies: list[str]) -> str:
    import tempfile

    text = LUA.replace("{BODIES}", "{\n" + ",\n".join(json.dumps(b) for b in bodies) + "\n}").replace(
        "{PATH}", CHECKINS_PATH
    )
    with tempfile.NamedTemporaryFile("w", prefix="bench-checkins-", suffix=".lua", delete=False) as handle:
        handle.write(text)
    return handle.name


def pair_bodies(pairs: list[tuple[str, str, str]]) -> list[str]:
    """The scanner's request bodies: the activity's QR token (signed now, as the organiser's
    screen shows it) and the volunteer's public id."""
    from linli.volunteers.models import Activity
    from linli.volunteers.services import qr_token

    tokens: dict[str, str] = {}
    bodies = []
    for activity, secret, volunteer in pairs:
        if activity not in tokens:
            tokens[activity] = qr_token(Activity(public_id=activity, qr_secret=secret))
        bodies.append(json.dumps({"token": tokens[activity], "volunteer_id": volunteer}))
    return bodies


def open_rows() -> tuple[int, int]:
    """(open check-in rows, ledger entries) now, on a fresh connection."""
    from django.db import connection

    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM volunteers_servicehours WHERE state = 'open'")
        (open_count,) = cursor.fetchone()
        cursor.execute("SELECT max(id) FROM timebank_timebankentry")
        (last_entry,) = cursor.fetchone()
    return open_count, last_entry


def measure_checkins(args: argparse.Namespace, env: dict[str, str], world: World) -> dict:
    """Check-ins and check-outs by the scanner through granian, interleaved round by round with
    `GET /api/v1/me` and `/healthz`; the server's and PostgreSQL's CPU per request."""
    import subprocess

    from django.db import connection

    from bench.desk_intake import _child_cpu, cpu_since, drain, postgres_cpu

    config = harness.ServerConfig(args.workers, args.blocking_threads, args.backpressure)
    scripts = {name: write_script(pair_bodies(world.pairs[variant])) for name, variant in VARIANTS.items()}
    offsets = dict.fromkeys(scripts, 0)
    database = connection.settings_dict["NAME"]
    names = [ME, HEALTHZ, *scripts]
    summaries = {name: harness.Summary(name) for name in names}
    tallies = {name: {"sent": 0, "ok": 0, "other": 0} for name in scripts}
    pg_ms: dict[str, list[float]] = {name: [] for name in names}
    runs = [0]
    try:
        with harness.granian_server(env, config) as server:
            token = harness.demo_token(server.base, env, SCANNER)
            before = open_rows()

            def run(name: str, duration: int, counted: bool) -> harness.RoundResult:
                cpu_before, pg_before = server.cpu_seconds(), postgres_cpu(database)
                if name in (ME, HEALTHZ):
                    url = server.base + ("/api/v1/me" if name == ME else "/healthz")
                    result = harness.run_wrk(
                        url, token=token, connections=args.connections, duration=duration,
                        threads=args.wrk_threads, cpu=args.pin_loadgen,
                    )  # fmt: skip
                    served = result.requests
                else:
                    runs[0] += 1
                    command = [
                        "wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s",
                        "--latency", "-s", scripts[name], server.base + CHECKINS_PATH,
                    ]  # fmt: skip
                    if args.pin_loadgen is not None:
                        command = ["taskset", "-c", str(args.pin_loadgen), *command]
                    started_cpu = _child_cpu()
                    output = subprocess.run(
                        command,
                        env={**os.environ, "BENCH_TOKEN": token, "BENCH_OFFSET": str(offsets[name]),
                             "BENCH_RUN": str(runs[0]), "BENCH_KEY": "1" if name == CHECK_IN_KEY else "0"},
                        capture_output=True, text=True, check=True,
                    ).stdout  # fmt: skip
                    result = harness.parse_wrk(output)
                    result.loadgen_cpu_s = (_child_cpu() - started_cpu) / duration
                    counts = re.search(r"sent=(\d+) ok=(\d+) other=(\d+)", output)
                    if counts is None:
                        raise SystemExit(f"the wrk script gave no tally:\n{output}")
                    tally = dict(zip(("sent", "ok", "other"), map(int, counts.groups()), strict=True))
                    offsets[name] += tally["sent"]
                    for k, v in tally.items():
                        tallies[name][k] += v
                    result.errors = tally["other"]
                    drain(server)
                    served = tally["sent"]
                result.server_cpu_ms_per_request = (server.cpu_seconds() - cpu_before) * 1000 / max(1, served)
                if counted:
                    pg_ms[name].append(cpu_since(pg_before, postgres_cpu(database)) * 1000 / max(1, served))
                return result

            for name in names:
                harness.log(f"warm-up {args.warmup} s: {name}")
                run(name, args.warmup, counted=False)
            for round_no in range(1, args.rounds + 1):
                for name in names:
                    result = run(name, args.duration, counted=True)
                    summaries[name].rounds.append(result)
                    harness.log(
                        f"round {round_no}/{args.rounds} {name}: {result.requests_per_second:,.0f} req/s, "
                        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, server "
                        f"{result.server_cpu_ms_per_request:.2f} CPU-ms/req, PostgreSQL {pg_ms[name][-1]:.2f}, "
                        f"errors {result.errors}"
                    )
            after = open_rows()
    finally:
        for script in scripts.values():
            os.unlink(script)
    pairs = {name: len(world.pairs[variant]) for name, variant in VARIANTS.items()}
    return {
        "config": config.describe(),
        "summaries": summaries,
        "pg_cpu_ms": {name: statistics.median(v) for name, v in pg_ms.items()},
        "tallies": tallies,
        "pairs": pairs,
        "open_before": before[0],
        "open_after": after[0],
        "entries_added": (after[1] or 0) - (before[1] or 0),
    }


# --- report ----------------------------------------------------------------------------------------


def table_sizes() -> list[tuple[str, int, float, float]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint, pg_relation_size(oid) / 1e9, pg_indexes_size(oid) / 1e9 "
            "FROM pg_class WHERE relname = ANY(%s) ORDER BY pg_relation_size(oid) DESC",
            [list(TABLES)],
        )
        return cursor.fetchall()


def report(args: argparse.Namespace, world: World, results: dict) -> None:
    import platform

    from django.db import connection

    from bench.api import load_average

    t = world.timings
    if not results.get("load"):
        _report_parts(args, results)
        return
    print()
    print(
        f"volunteers — PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}, "
        f"{world.counts['volunteers_volunteer']:,} volunteers, "
        f"{world.counts['volunteers_servicehours']:,} hour records; {os.cpu_count()} CPUs "
        f"({platform.machine()}); load average {load_average()} after loading"
    )
    generated = f"reused from {t['reused']}" if t.get("reused") else f"generated in Python in {t['generated_s']:.0f} s"
    load_s = t["copy_s"] + t["restore_s"] + t["analyze_s"]
    parts = t["restore_parts"]
    print(
        f"\nload: rows {generated}; COPY … FREEZE {t['copy_bytes'] / 1e9:.1f} GB into 7 tables side by side "
        f"{t['copy_s']:.0f} s; keys, indexes and foreign keys rebuilt {t['restore_s']:.0f} s (keys "
        f"{parts['keys']:.0f} s, indexes {parts['indexes']:.0f} s, foreign keys validated "
        f"{parts['foreign keys']:.0f} s); "
        f"ANALYZE {t['analyze_s']:.0f} s — {load_s / 60:.1f} min from the first COPY to ready"
    )
    print(f"\n{'table':<28} {'rows':>12} {'heap GB':>8} {'index GB':>9}")
    for name, rows, heap, indexes in table_sizes():
        print(f"{name:<28} {rows:>12,} {heap:>8.2f} {indexes:>9.2f}")


def _report_parts(args: argparse.Namespace, results: dict) -> None:
    from bench.api import display_width, load_average, pad

    if brief := results.get("brief"):
        print(
            "\n1. a volunteer's hours, stars and balance: volunteer_for_user + balance_of "
            f"({brief['queries']} queries), each volunteer once (the brief first), baseline "
            "Volunteer.objects.get(pk=…) of the same volunteer"
        )
        print(
            f"{'volunteers':<30} {'n':>4} {'hours':>7} {'p50 ms':>7} {'p95 ms':>7} {'pk p50':>7} {'pk p95':>7} "
            f"{'ratio':>6} {'warm p50':>9} {'warm pk':>8}  target p50 < {TARGET_BRIEF_MS:g} ms"
        )
        for name, g in brief["groups"].items():
            ratio = g["brief"]["p50"] / g["pk"]["p50"]
            verdict = "met" if g["brief"]["p50"] < TARGET_BRIEF_MS else "MISSED"
            print(
                f"{name:<30} {g['n']:>4} {g['median_hours']:>7.0f} {g['brief']['p50']:>7.2f} {g['brief']['p95']:>7.2f} "
                f"{g['pk']['p50']:>7.2f} {g['pk']['p95']:>7.2f} {ratio:>6.1f} {g['brief_warm']['p50']:>9.2f} "
                f"{g['pk_warm']['p50']:>8.2f}  {verdict}"
            )
        print("hours: the group's median approved hours (the heaviest: up to " + (
            f"{brief['groups']['the 50 with the most hours']['max_hours']:,.0f} h); checked: "
            + "; ".join(f"{m / 60:,.0f} h, {stars}★, balance {b / 60:,.1f} h" for m, stars, b in brief["checks"][:3])
        ))  # fmt: skip

    if figures := results.get("figures"):
        districts = figures["districts"]
        worst = max(districts, key=lambda d: d["ms"])
        computed = districts[0]["computed_at"]
        print(
            f"\n2. a district's monthly figures: figures_report for each district's admin, median of {args.repeat} "
            f"calls; stored figures (VolunteerFigure, {figures['stored_rows']:,} rows) refreshed by "
            f"figures_refresh(months={args.refresh_months}) in {figures['refresh_s']:.1f} s, "
            f"computed at {computed:%Y-%m-%d %H:%M} UTC "
            "(the nightly `linli volunteer-figures`: up to a day old); baseline COUNT(*) of the district's approved "
            f"records of {figures['month']:%Y-%m}"
        )
        width = max(display_width(d["name"]) for d in districts) + 1
        print(f"{pad('district', width)} {'records':>9} {'hours 12 mo':>11} {'ms':>7} {'COUNT ms':>9} {'ratio':>6}")
        for d in districts:
            print(
                f"{pad(d['name'], width)} {d['records']:>9,} {d['served_hours']:>11,.0f} {d['ms']:>7.1f} "
                f"{d['baseline_ms']:>9.1f} {d['ms'] / d['baseline_ms']:>6.2f}"
            )
        verdict = "met" if worst["ms"] < TARGET_FIGURES_MS else "MISSED"
        print(f"slowest: {worst['name']} {worst['ms']:.1f} ms — target < {TARGET_FIGURES_MS:g} ms: {verdict}")

    if checkins := results.get("checkins"):
        summaries = checkins["summaries"]
        base = summaries[ME]
        print(
            f"\n3. check-ins through {checkins['config']}, the scanner of {SCANNER} (bearer token), "
            f"wrk -t{args.wrk_threads} -c{args.connections}, median of {args.rounds} × {args.duration} s rounds "
            f"after {args.warmup} s warm-up, interleaved; each request a new (activity, volunteer) pair; "
            f"load average {load_average()}"
        )
        width = max(len(n) for n in summaries) + 1
        print(
            f"{'endpoint':<{width}} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'vs me':>6} {'CPU ms':>7} "
            f"{'PG ms':>6} {'errors':>6}  target"
        )
        for name, summary in summaries.items():
            verdict = "—"
            if name == CHECK_IN:
                verdict = f"≥ {TARGET_CHECKINS:g}/s: " + ("met" if summary.rps >= TARGET_CHECKINS else "MISSED")
            print(
                f"{name:<{width}} {summary.rps:>7,.0f} {summary.p50:>7.1f} {summary.p99:>7.1f} "
                f"{summary.rps / base.rps:>6.2f} {summary.server_cpu_ms:>7.2f} {checkins['pg_cpu_ms'][name]:>6.2f} "
                f"{summary.errors:>6}  {verdict}"
            )
        cores = os.cpu_count() or 1
        for name in (CHECK_IN, CHECK_OUT):
            cost = summaries[name].server_cpu_ms + checkins["pg_cpu_ms"][name]
            most = cores * 1000 / cost
            print(f"{name}: {cores} cores could serve at most {cores} × 1000 / {cost:.1f} CPU ms = {most:,.0f}/s")
        tallies = checkins["tallies"]
        print(
            "answers: "
            + "; ".join(f"{n.split('(')[1][:-1]} {t['ok']:,} ok of {t['sent']:,} sent ({checkins['pairs'][n]:,} pairs)"
                        for n, t in tallies.items())
            + f"; open check-ins {checkins['open_before']:,} → {checkins['open_after']:,}, "
            f"ledger entries +{checkins['entries_added']:,}"
        )  # fmt: skip
