"""`grid-rates`: the three rates of every department and of every district over one year at N grid
events (default 1,000,000), on PostgreSQL, each beside a baseline from the same run and database.

- `department_rates(since=1 January, until=1 January next year)` for the whole city: one grouped
  query over the departments' tasks (`Assignment`) of the year, vs a `COUNT(*)` of the same
  task rows;
- `unit_rates(parent_path=<city>, child_length=6, …)` for the city's districts: one grouped query
  over the events reported in the year, vs a `COUNT(*)` of the same event rows.

Both as the supervision page and `GET /api/v1/grid/rates/…` call them (in the service layer, in
this process). Median of `--repeat` calls after one warm-up call. Target (issue): < 1 s each.

The data: `linli demo --no-serve` (the real division tree, every district's departments, positions,
the demo accounts and 2,000 simulated events with their timelines), then N events bulk-loaded in
SQL (`INSERT … SELECT` over `generate_series`, in slices of `--slice`): reported uniformly from
1 January to now in a random positioned community, with a description and address drawn from the
demo's events (rows as wide as real ones); 3 % rejected, 3 % merged, half of the last five days'
still open, the rest closed (half of them rated, mostly 4–5). Each registered event gets a lead
task at a department of its district — the kind drawn with the demo's category weights, mostly
urban management — and 11 % a second one (assisting, or returned as not ours), with the flags as
the services set them (answered on time, solved, solved on time, rating). No timeline rows: the
rates do not read them. VACUUM ANALYZE after loading (what autovacuum does after a bulk insert).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench import harness

TARGET_MS = 1000.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", type=int, default=1_000_000, help="grid events in all (default 1,000,000)")
    parser.add_argument("--slice", type=int, default=200_000, help="events per INSERT statement (default 200,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per measure (default 5)")
    parser.add_argument("--residents", type=int, default=500, help="demo residents (default 500)")
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

# The department kinds a year's tasks go to, weighted as the demo's categories route them.
KIND_WEIGHTS = {
    "urban_management": 72,
    "police": 12,
    "housing": 6,
    "water": 4,
    "transport": 2,
    "ecology": 2,
    "civil_affairs": 1,
    "market_regulation": 1,
}

# Columns the SQL fills; every other column keeps its database default or NULL. Values are
# expressions over `s` (per-event random draws r1…r8, the report time `t`) and `c` (the community).
EVENTS_SQL = """
WITH s AS (
    SELECT g,
           %(start)s::timestamptz + (%(span)s::float8 * random()) * interval '1 second' AS t,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4,
           random() AS r5, random() AS r6, random() AS r7, random() AS r8
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
), e AS (
    SELECT s.*, c.path, c.lat, c.lng, c.rural,
           CASE WHEN s.r2 < 0.03 THEN 'rejected' WHEN s.r2 < 0.06 THEN 'merged'
                WHEN s.t > now() - interval '5 days' AND s.r3 < 0.5 THEN
                    (ARRAY['reported','registered','dispatched','handling','handled'])[1 + floor(s.r4 * 5)::int]
                WHEN s.r3 < 0.5 THEN 'evaluated' ELSE 'closed' END AS state
    FROM s JOIN bench_communities c ON c.n = 1 + floor(s.r1 * %(communities)s)::int
), t AS (SELECT array_agg(description) AS descriptions, array_agg(address) AS addresses FROM bench_texts)
INSERT INTO grid_events_gridevent (
    public_id, number, description, urgency, channel, state, lat, lng, address, community_path, path,
    holder_path, holder_department_id, reported_at, register_due_at, registered_at, stage_due_at, handle_due_at,
    handled_at, closed_at, closed_on_time, rework_count, supervision_level, rating, rating_comment, updated_at,
    reporter_name, reporter_contact_sealed
)
SELECT gen_random_uuid(), 'GB' || lpad(g::text, 10, '0'),
       t.descriptions[1 + floor(r8 * array_length(t.descriptions, 1))::int], 'normal', 'grid_patrol', state,
       lat + (r5 - 0.5) * 0.01, lng + (r6 - 0.5) * 0.01,
       t.addresses[1 + floor(r6 * array_length(t.addresses, 1))::int], path, path || '001',
       path, NULL, t, t + interval '30 minutes',
       CASE WHEN state <> 'reported' THEN t + (r5 * 45) * interval '1 minute' END,
       CASE WHEN state IN ('reported','registered','dispatched','handling','handled')
            THEN now() + interval '1 hour' END,
       CASE WHEN state IN ('closed','evaluated','handling','handled') THEN t + interval '1 day' END,
       CASE WHEN state IN ('closed','evaluated','handled') THEN t + (r7 * 40) * interval '1 hour' END,
       CASE WHEN state IN ('closed','evaluated') THEN t + (r7 * 40 + 1) * interval '1 hour' END,
       CASE WHEN state IN ('closed','evaluated') THEN r7 * 40 <= 24 END,
       0, 0,
       CASE WHEN state = 'evaluated' THEN (ARRAY[5,5,5,5,5,4,4,4,3,2,1])[1 + floor(r8 * 11)::int] END,
       '', now(), '网格员', ''
FROM e CROSS JOIN t
"""

# One lead task per registered event (not rejected, merged or still reported) at a department of
# its district; the flags as the services set them.
TASKS_SQL = """
INSERT INTO grid_events_assignment (
    event_id, department_id, role, state, assigned_at, accept_due_at, answered_at, answered_on_time,
    return_reason, due_at, handled_at, solved, solved_on_time, rating
)
SELECT e.id, d.ids[1 + floor(random() * array_length(d.ids, 1))::int], %(role)s::text,
       x.state, x.at, x.at + interval '2 hours', x.answered, x.answered <= x.at + interval '2 hours',
       CASE WHEN x.state = 'returned' THEN '不属本单位职责' ELSE '' END,
       x.at + interval '1 day',
       CASE WHEN x.state = 'handled' THEN e.handled_at END,
       x.state = 'handled' AND e.state IN ('closed','evaluated'),
       CASE WHEN x.state = 'handled' AND e.state IN ('closed','evaluated')
            THEN e.handled_at <= x.at + interval '1 day' END,
       CASE WHEN x.state = 'handled' AND e.state IN ('closed','evaluated') THEN e.rating END
FROM grid_events_gridevent e
JOIN bench_departments d ON d.district = substr(e.community_path, 1, 6)
CROSS JOIN LATERAL (
    SELECT e.registered_at + (random() * 30) * interval '1 minute' AS at,
           CASE WHEN e.state = 'dispatched' THEN NULL
                ELSE e.registered_at + (random() * 150) * interval '1 minute' END AS answered,
           CASE %(role)s::text
                WHEN 'lead' THEN CASE e.state WHEN 'dispatched' THEN 'pending' WHEN 'handling' THEN 'accepted'
                                              WHEN 'registered' THEN 'returned' ELSE 'handled' END
                ELSE CASE WHEN random() < 0.5 THEN 'returned' ELSE 'accepted' END END AS state
) x
WHERE e.id BETWEEN %(first)s AND %(last)s
  AND e.state NOT IN ('reported', 'rejected', 'merged')
  AND (%(role)s::text = 'lead' OR random() < %(share)s::float8)
"""


def load(args: argparse.Namespace) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from linli.grid_events.models import GridEvent

    existing = GridEvent.objects.count()
    to_load = max(0, args.events - existing)
    now = timezone.now()
    start = timezone.make_aware(timezone.datetime(timezone.localdate().year, 1, 1))
    span = (now - start).total_seconds()
    harness.log(f"{existing:,} demo events; loading {to_load:,} reported between {start:%Y-%m-%d} and now")
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            "CREATE TEMP TABLE bench_communities AS "
            "SELECT row_number() OVER (ORDER BY path) AS n, path, lat, lng, urban_rural = 'rural' AS rural "
            "FROM areas_orgunit WHERE kind IN ('community', 'village') AND lat IS NOT NULL"
        )
        cursor.execute("SELECT count(*) FROM bench_communities")
        (communities,) = cursor.fetchone()
        kinds = [k for k, w in KIND_WEIGHTS.items() for _ in range(w)]
        cursor.execute(
            "CREATE TEMP TABLE bench_departments AS "
            "SELECT o.path AS district, array_agg(d.id ORDER BY k.i) AS ids "
            "FROM areas_orgunit o JOIN areas_department d ON d.org_unit_id = o.id "
            "JOIN unnest(%s::text[]) WITH ORDINALITY AS k(kind, i) ON k.kind = d.kind "
            "WHERE o.kind = 'district' GROUP BY o.path",
            [kinds],
        )
        cursor.execute(  # the demo's texts, so that rows are as wide as real ones
            "CREATE TEMP TABLE bench_texts AS SELECT description, address FROM grid_events_gridevent"
        )
        cursor.execute("SELECT max(id) FROM grid_events_gridevent")
        (base_id,) = cursor.fetchone()
    harness.log(f"{communities:,} positioned communities; task kinds weighted {KIND_WEIGHTS}")
    started = time.perf_counter()
    done = 0
    while done < to_load:
        size = min(args.slice, to_load - done)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                EVENTS_SQL,
                {
                    "start": start,
                    "span": span,
                    "first": done + 1,
                    "last": done + size,
                    "communities": communities,
                },
            )
            cursor.execute("SELECT max(id) FROM grid_events_gridevent")
            (last_id,) = cursor.fetchone()
            first_id = last_id - size + 1
            bounds = {"first": first_id, "last": last_id, "share": 0.0}
            cursor.execute(TASKS_SQL, {**bounds, "role": "lead"})
            cursor.execute(TASKS_SQL, {**bounds, "role": "assist", "share": 0.11})  # whistles and returns
        done += size
        rate = done / (time.perf_counter() - started)
        harness.log(f"loaded {done:,}/{to_load:,} events with their tasks ({rate:,.0f} events/s)")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("grid_events_gridevent", "grid_events_assignment"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    harness.log(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s (first id loaded: {(base_id or 0) + 1})")


# --- measure -----------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.utils import timezone

    from linli.areas.models import OrgUnit
    from linli.grid_events.models import Assignment, GridEvent
    from linli.grid_events.selectors import department_rates, unit_rates

    city = OrgUnit.objects.get(kind="city").path
    year = timezone.localdate().year
    since = timezone.make_aware(timezone.datetime(year, 1, 1))
    until = timezone.make_aware(timezone.datetime(year + 1, 1, 1))
    events = GridEvent.objects.count()
    tasks = Assignment.objects.count()

    def departments():
        return department_rates(since=since, until=until)

    def districts():
        return unit_rates(since=since, until=until, parent_path=city, child_length=6)

    def count_tasks():
        return Assignment.objects.filter(assigned_at__gte=since, assigned_at__lt=until).count()

    def count_events():
        return GridEvent.objects.filter(reported_at__gte=since, reported_at__lt=until).count()

    rows_d, rows_u = departments(), districts()
    in_year = (count_tasks(), count_events())
    checks = {
        "departments with a figure": len(rows_d),
        "districts with a figure": len(rows_u),
    }
    if not rows_d or not rows_u:
        raise SystemExit(f"no rates computed: {checks}")
    figures = [
        x for r in rows_d + rows_u for x in (r.response_rate, r.solution_rate, r.on_time_rate, r.satisfaction_rate)
    ]
    if any(x is not None and not 0 <= x <= 1 for x in figures):
        raise SystemExit("a rate outside [0, 1]")
    measures = [
        (
            "department_rates, whole city, the year",
            harness.timed_ms(departments, args.repeat),
            "COUNT(*) tasks",
            count_tasks,
        ),
        (
            "unit_rates, the city's districts, the year",
            harness.timed_ms(districts, args.repeat),
            "COUNT(*) events",
            count_events,
        ),
    ]
    version = connection.pg_version if connection.vendor == "postgresql" else ""
    print(
        f"\ngrid_rates — {connection.vendor} {version}, {events:,} events ({in_year[1]:,} reported in {year}), "
        f"{tasks:,} tasks ({in_year[0]:,} assigned in {year}), load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{len(rows_d)} departments ranked, e.g. "
        + "; ".join(f"{r.name} {r.total:,} tasks, response {r.response_rate:.1%}" for r in rows_d[:2])
        + f"; {len(rows_u)} districts, e.g. "
        + "; ".join(f"{r.name} {r.total:,} events, solved {r.solution_rate:.1%}" for r in rows_u[:2])
    )
    print(f"\n{'measure':<46} {'ms':>9} {'baseline':>16} {'ms':>9} {'ratio':>7}  target")
    for name, times, base_name, base_fn in measures:
        value = statistics.median(times)
        base = statistics.median(harness.timed_ms(base_fn, args.repeat))
        verdict = ("met" if value < TARGET_MS else "MISSED") + f" (< {TARGET_MS:g} ms)"
        print(f"{name:<46} {value:9.1f} {base_name:>16} {base:9.1f} {value / base:7.1f}  {verdict}")
    print(
        f"\nmedians of {args.repeat} calls after one warm-up call, in this process (JIT off, as Linli's "
        "connections run); baselines count the same rows the rates read."
    )
    if args.explain:
        harness.explain("department_rates", departments)
        harness.explain("unit_rates", districts)
        harness.explain("COUNT(*) tasks", count_tasks)
    return 0
