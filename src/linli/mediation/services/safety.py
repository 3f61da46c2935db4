"""Writes of stage safety: police beats (一社区一警), police cases, safety incidents, emergency
drills, and the stored four-zero statuses (四零社区) computed from them.

Each record is a count, a date, a kind and a short note: no person is named on a police case or
an incident (the forms say so). A record that changes a month's figures recomputes that
community's stored status at once; the open month is also recomputed by the board when stale
and by `linli four_zero` / the periodic tick."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from linli.accounts.domain import SAFETY_POLICE, SAFETY_RECORD
from linli.core.actor import Actor
from linli.core.errors import Msg, conflict, field_error, not_found, validation_failed
from linli.mediation.domain.four_zero import four_zero_definition, four_zero_evaluate, month_start
from linli.mediation.domain.safety import (
    BACKFILL_DAYS,
    COMMUNITY_LEN,
    REASON_MIN,
    STALE_MINUTES,
    IncidentKind,
    PoliceCaseKind,
    Severity,
)
from linli.mediation.models import EmergencyDrill, FourZeroStatus, PoliceBeat, PoliceCase, SafetyIncident
from linli.mediation.selectors import safety as sel
from linli.mediation.services.common import audit

NOTE_MAX, DESCRIPTION_MAX, SCENARIO_MAX, DRILL_NOTE_MAX = 200, 300, 100, 300
PARTICIPANTS_MAX = 100_000


def _community(actor: Actor, path: str, known: set[str] | None = None) -> str:
    """The community of the record, in the actor's area; else it does not exist for them.
    `known`: the communities already looked up (a batch reads them in one query)."""
    path = (path or "").strip()
    exists = path in known if known is not None else sel.community_unit(path) is not None
    if not sel.sees_community(actor, path) or not exists:
        raise not_found("社区", "Community")
    return path


def _day_check(day: dt.date | None, field: str, today: dt.date) -> list:
    if day is None:
        return [field_error(field, "请填写日期", "give the date")]
    if day > today:
        return [field_error(field, "日期不能晚于今天", "the date cannot be in the future")]
    if day < today - dt.timedelta(days=BACKFILL_DAYS):
        return [field_error(field, "只能补登一年内的记录", "records can be entered up to a year late")]
    return []


def _text(value: str, field: str, limit: int, required: bool, zh: str, en: str) -> tuple[str, list]:
    value = " ".join((value or "").split())
    if (required and not value) or len(value) > limit:
        return value, [
            field_error(
                field,
                f"{zh}{'必填，' if required else ''}最多{limit}字",
                f"{en}: at most {limit} characters{', required' if required else ''}",
            )
        ]
    return value, []


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise validation_failed(
            [field_error("reason", "请写明理由（至少4个字）", "give the reason (at least 4 characters)")]
        )
    return reason[:300]


def _grid_event(number: str, community_path: str) -> tuple[str, list]:
    number = (number or "").strip()
    if number and sel.grid_event_in(number=number, community_path=community_path) is None:
        return number, [
            field_error(
                "grid_event_number", "该社区没有这个编号的网格事件", "no grid event with this number in the community"
            )
        ]
    return number, []


# ---- police beats ------------------------------------------------------------------------------


def beat_set(*, actor: Actor, community_path: str, user_id: int, since: dt.date | None) -> PoliceBeat:
    """Link a police officer of the district's police department to a community from a day on.
    One active officer per community: end the current one first (the constraint holds it too)."""
    if not sel.may_manage_beats(actor):
        raise not_found("社区", "Community")
    path = _community(actor, community_path)
    today = timezone.localdate()
    errors = []
    officers = dict(sel.police_officers_for(path))
    if user_id not in officers:
        errors.append(
            field_error(
                "user_id",
                "请选择本区公安分局的社区民警账号",
                "choose a police officer's account posted at the district's police department",
            )
        )
    if since is None:
        errors.append(field_error("since", "请填写开始日期", "give the first day"))
    elif since < today - dt.timedelta(days=BACKFILL_DAYS) or since > today + dt.timedelta(days=90):
        errors.append(
            field_error(
                "since",
                "开始日期须在一年前到三个月后之间",
                "the first day must lie between a year ago and three months ahead",
            )
        )
    if errors:
        raise validation_failed(errors)
    assert since is not None
    try:
        with transaction.atomic():
            if PoliceBeat.objects.select_for_update().filter(path=path, until__isnull=True).exists():
                raise _one_officer()
            beat = PoliceBeat.objects.create(
                user_id=user_id,
                officer_name=officers[user_id],
                path=path,
                since=since,
                set_by_name=actor.shown_name,
                created_at=timezone.now(),
            )
            audit(actor, "beat_set", "police_beat", beat.pk, path, officer=officers[user_id], since=since.isoformat())
    except IntegrityError as error:  # another manager linked an officer at the same moment
        raise _one_officer() from error
    return beat


def _one_officer():
    return conflict(
        Msg(
            "该社区已有在岗的社区民警，请先结束现任民警的责任区",
            "the community already has an active police officer: end their beat first",
        )
    )


def beats_set_many(*, actor: Actor, links: list[tuple[str, int]], since: dt.date) -> int:
    """Link officers to many communities at once (the demo, a district's first roll-out): each
    link checked as in `beat_set`; communities that already have an active officer are left
    as they are. One audit record per district. Returns the beats made."""
    if not sel.may_manage_beats(actor):
        raise not_found("社区", "Community")
    officers = sel.officers_by_district({path[:6] for path, _ in links})
    taken = sel.communities_with_officer([path for path, _ in links])
    now, rows, problems = timezone.now(), [], []
    for path, user_id in links:
        names = dict(officers.get(path[:6], []))
        if path in taken:
            continue
        if user_id not in names or not sel.sees_community(actor, path):
            problems.append(
                field_error(
                    "user_id", f"{path}：不是本区公安分局的社区民警", f"{path}: not a police officer of the district"
                )
            )
            continue
        taken.add(path)
        rows.append(
            PoliceBeat(
                user_id=user_id,
                officer_name=names[user_id],
                path=path,
                since=since,
                set_by_name=actor.shown_name,
                created_at=now,
            )
        )
    if problems:
        raise validation_failed(problems[:20])
    with transaction.atomic():
        PoliceBeat.objects.bulk_create(rows, batch_size=500)
        for district in sorted({row.path[:6] for row in rows}):
            count = sum(1 for row in rows if row.path.startswith(district))
            audit(actor, "beat_set", "police_beat", "batch", district, communities=count, since=since.isoformat())
    return len(rows)


def beat_end(*, actor: Actor, beat_id: int, until: dt.date | None, reason: str) -> PoliceBeat:
    """End an officer's beat on a day (not before it started), with the reason."""
    beat = sel.beat_get(actor=actor, pk=beat_id)
    reason = _reason(reason)
    today = timezone.localdate()
    if until is None or until < beat.since or until > today + dt.timedelta(days=90):
        raise validation_failed(
            [field_error("until", "结束日期须不早于开始日期", "the last day cannot precede the first day")]
        )
    with transaction.atomic():
        beat = PoliceBeat.objects.select_for_update().get(pk=beat.pk)
        if beat.until is not None:
            raise conflict(Msg("该责任区已经结束", "this beat has already ended"))
        beat.until = until
        beat.save(update_fields=["until"])
        audit(actor, "beat_end", "police_beat", beat.pk, beat.path, reason=reason, until=until.isoformat())
    return beat


# ---- records -----------------------------------------------------------------------------------


@dataclass
class PoliceCaseInput:
    community_path: str
    kind: str
    occurred_on: dt.date | None
    note: str = ""
    grid_event_number: str = ""


def police_case_record(*, actor: Actor, data: PoliceCaseInput, recompute: bool = True) -> PoliceCase:
    """A case the community police officer marks for the four-zero figure: a kind, a day, a
    short note and optionally the grid event's number; never a person."""
    if not actor.has_perm(SAFETY_POLICE):
        raise not_found("社区", "Community")
    path = _community(actor, data.community_path)
    errors = _day_check(data.occurred_on, "occurred_on", timezone.localdate())
    if data.kind not in PoliceCaseKind.values:
        errors.append(field_error("kind", "请选择案件类别", "choose the kind of case"))
    note, problems = _text(data.note, "note", NOTE_MAX, False, "说明", "note")
    number, more = _grid_event(data.grid_event_number, path)
    if errors := errors + problems + more:
        raise validation_failed(errors)
    assert data.occurred_on is not None
    with transaction.atomic():
        case = PoliceCase.objects.create(
            path=path,
            kind=data.kind,
            occurred_on=data.occurred_on,
            note=note,
            grid_event_number=number,
            recorded_by_id=actor.user_id,
            recorded_by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        audit(
            actor, "police_case", "police_case", case.public_id, path, kind=data.kind, day=data.occurred_on.isoformat()
        )
        if recompute:
            four_zero_follow(path, data.occurred_on)
    return case


@dataclass
class IncidentInput:
    community_path: str
    kind: str
    severity: str
    occurred_on: dt.date | None
    description: str
    grid_event_number: str = ""


def incident_record(*, actor: Actor, data: IncidentInput, recompute: bool = True) -> SafetyIncident:
    """A safety incident (accident) in a community; it counts against zero accidents."""
    if not actor.has_perm(SAFETY_RECORD):
        raise not_found("社区", "Community")
    path = _community(actor, data.community_path)
    errors = _day_check(data.occurred_on, "occurred_on", timezone.localdate())
    if data.kind not in IncidentKind.values:
        errors.append(field_error("kind", "请选择事故类别", "choose the kind of accident"))
    if data.severity not in Severity.values:
        errors.append(field_error("severity", "请选择严重程度", "choose the severity"))
    description, problems = _text(data.description, "description", DESCRIPTION_MAX, True, "经过", "description")
    number, more = _grid_event(data.grid_event_number, path)
    if errors := errors + problems + more:
        raise validation_failed(errors)
    assert data.occurred_on is not None
    with transaction.atomic():
        incident = SafetyIncident.objects.create(
            path=path,
            kind=data.kind,
            severity=data.severity,
            occurred_on=data.occurred_on,
            description=description,
            grid_event_number=number,
            recorded_by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        audit(actor, "incident_record", "safety_incident", incident.public_id, path, kind=data.kind)
        if recompute:
            four_zero_follow(path, data.occurred_on)
    return incident


@dataclass
class DrillInput:
    community_path: str
    held_on: dt.date | None
    scenario: str
    participants: int | None
    facility_ref: str = ""
    note: str = ""


def _drill_checked(actor: Actor, data: DrillInput, today: dt.date, known: set[str] | None = None) -> dict:
    """The drill's row values, or the refusal: the one rule for one drill and for many."""
    path = _community(actor, data.community_path, known)
    errors = _day_check(data.held_on, "held_on", today)
    scenario, problems = _text(data.scenario, "scenario", SCENARIO_MAX, True, "演练科目", "scenario")
    note, more = _text(data.note, "note", DRILL_NOTE_MAX, False, "说明", "note")
    errors += problems + more
    if data.participants is None or data.participants <= 0 or data.participants > PARTICIPANTS_MAX:
        errors.append(field_error("participants", "参加人数须大于0", "the number of participants must be above 0"))
    facility_ref = str(data.facility_ref or "").strip()
    if facility_ref and not sel.drill_place_ok(path, facility_ref):
        errors.append(
            field_error("facility_ref", "所选设施不在该社区所在街道", "the facility is not in the community's street")
        )
    if errors:
        raise validation_failed(errors)
    return {
        "path": path,
        "held_on": data.held_on,
        "scenario": scenario,
        "participants": data.participants,
        "facility_ref": facility_ref or None,
        "note": note,
        "recorded_by_name": actor.shown_name,
    }


def drill_record(*, actor: Actor, data: DrillInput, recompute: bool = True) -> EmergencyDrill:
    """An emergency drill held in a community, at a facility of the registry or elsewhere (the
    note says where)."""
    if not actor.has_perm(SAFETY_RECORD):
        raise not_found("社区", "Community")
    values = _drill_checked(actor, data, timezone.localdate())
    with transaction.atomic():
        drill = EmergencyDrill.objects.create(**values, created_at=timezone.now())
        audit(actor, "drill_record", "emergency_drill", drill.public_id, drill.path, participants=drill.participants)
        if recompute:
            four_zero_follow(drill.path, drill.held_on, through_year=True)
    return drill


def drills_record_many(*, actor: Actor, drills: list[DrillInput]) -> int:
    """Many drills at once (an import, the demo): each checked as one, all or none stored, one
    audit record for the batch; the statuses are left to `four_zero_compute`."""
    if not actor.has_perm(SAFETY_RECORD):
        raise not_found("社区", "Community")
    today, now = timezone.localdate(), timezone.now()
    known = sel.communities_existing([data.community_path for data in drills])
    rows = [EmergencyDrill(**_drill_checked(actor, data, today, known), created_at=now) for data in drills]
    with transaction.atomic():
        EmergencyDrill.objects.bulk_create(rows, batch_size=500)
        paths = sorted({row.path for row in rows})
        if paths:
            audit(
                actor,
                "drill_record",
                "emergency_drill",
                "batch",
                paths[0][:6],
                drills=len(rows),
                communities=len(paths),
            )
    return len(rows)


# ---- withdrawing a record entered by mistake ------------------------------------------------------


def _withdraw(actor: Actor, rows, public_id, reason: str, action: str, day_field: str, what: Msg) -> None:
    """Remove a record entered by mistake (a wrong community, a duplicate), with the reason in
    the audit log and the four-zero statuses it touched recomputed."""
    row = rows.filter(public_id=public_id).first()
    if row is None:
        raise not_found(what.zh, what.en)
    reason = _reason(reason)
    with transaction.atomic():
        locked = type(row).objects.select_for_update().filter(pk=row.pk).first()
        if locked is None:  # withdrawn a moment ago by someone else
            raise not_found(what.zh, what.en)
        day = getattr(locked, day_field)
        audit(
            actor, action, type(row).__name__.lower(), locked.public_id, locked.path, reason=reason, day=day.isoformat()
        )
        locked.delete()
        four_zero_follow(locked.path, day, through_year=day_field == "held_on")


def police_case_withdraw(*, actor: Actor, public_id, reason: str) -> None:
    if not actor.has_perm(SAFETY_POLICE):
        raise not_found("案件", "Police case")
    cases = sel.police_case_list(actor=actor)
    _withdraw(actor, cases, public_id, reason, "police_case_withdraw", "occurred_on", Msg("案件", "Police case"))


def incident_withdraw(*, actor: Actor, public_id, reason: str) -> None:
    if not actor.has_perm(SAFETY_RECORD):
        raise not_found("安全事故", "Safety incident")
    incidents = sel.incident_list(actor=actor)
    _withdraw(
        actor, incidents, public_id, reason, "incident_withdraw", "occurred_on", Msg("安全事故", "Safety incident")
    )


def drill_withdraw(*, actor: Actor, public_id, reason: str) -> None:
    if not actor.has_perm(SAFETY_RECORD):
        raise not_found("应急演练", "Emergency drill")
    drills = sel.drill_list(actor=actor)
    _withdraw(actor, drills, public_id, reason, "drill_withdraw", "held_on", Msg("应急演练", "Emergency drill"))


# ---- the four-zero statuses --------------------------------------------------------------------

STATUS_FIELDS = [
    "petitions",
    "accidents",
    "cases",
    "drills",
    "shelter_m2_per_resident",
    "petitions_state",
    "accidents_state",
    "cases_state",
    "readiness_state",
    "four_zero",
    "computed_at",
]


def four_zero_compute(*, under: str, month: dt.date, now: dt.datetime | None = None) -> int:
    """Compute and store the month's status of every community under `under` (a path of the
    tree): one upsert, so running it again changes only `computed_at`. Returns the rows stored."""
    month = month_start(month)
    now = now or timezone.now()
    definition = four_zero_definition()
    rows = []
    for path, counts in sel.four_zero_counts(under=under, month=month).items():
        marks = four_zero_evaluate(counts, definition)
        values = {
            "petitions": counts.petitions,
            "accidents": counts.accidents,
            "cases": counts.cases or 0,
            "drills": counts.drills,
            "shelter_m2_per_resident": marks.shelter_m2_per_resident,
            "petitions_state": marks.petitions,
            "accidents_state": marks.accidents,
            "cases_state": marks.cases,
            "readiness_state": marks.readiness,
            "four_zero": marks.four_zero,
            "computed_at": now,
        }
        rows.append((path, month, values))
    _statuses_upsert(rows)
    return len(rows)


def _statuses_upsert(rows: list[tuple[str, dt.date, dict]]) -> None:  # rows of one month
    """INSERT … ON CONFLICT (path, month) DO UPDATE, as one executemany: a city's month is
    thousands of rows, and building them through the ORM's bulk_create cost seconds of Python
    (both SQLite and PostgreSQL speak this statement)."""
    if not rows:
        return
    meta = FourZeroStatus._meta
    fields = [f for f in (meta.get_field(name) for name in STATUS_FIELDS) if isinstance(f, Field)]
    columns = ["path", "month", *(str(f.column) for f in fields)]
    quote = connection.ops.quote_name
    # identifiers come from the model's own meta, every value is a parameter
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('path')}, {quote('month')}) DO UPDATE SET "
        + ", ".join(f"{quote(str(f.column))} = excluded.{quote(str(f.column))}" for f in fields)
    )
    adapted: dict = {}  # the month and the computing time are the same on every row: adapt once

    def prepared(field: Field, value):
        if value is None or isinstance(value, int | str):  # a bool is an int: nothing to adapt
            return value
        key = (field.name, value)
        if key not in adapted:
            adapted[key] = field.get_db_prep_save(value, connection)
        return adapted[key]

    day = connection.ops.adapt_datefield_value(rows[0][1])
    params = [(path, day, *(prepared(f, values[f.name]) for f in fields)) for path, _, values in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)


def four_zero_follow(path: str, day: dt.date, *, through_year: bool = False) -> None:
    """A record (an incident, a case, a drill, an escalated dispute) changed the figures of its
    month (a drill: of every later month of its year too): recompute the community's stored
    statuses of those months up to the open one."""
    open_month = month_start(timezone.localdate())
    month = month_start(day)
    last = min(open_month, dt.date(day.year, 12, 1)) if through_year else month
    while month <= last:
        four_zero_compute(under=path, month=month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def four_zero_refresh(*, actor: Actor, month: dt.date) -> bool:
    """The board's freshness rule: the open month's statuses of the actor's area are recomputed
    when missing or older than STALE_MINUTES; closed months are kept as stored. True if it ran."""
    if month != month_start(timezone.localdate()) or not sel.may_see_board(actor) or sel.is_mediator_only(actor):
        return False
    if sel.four_zero_fresh(actor=actor, month=month):
        return False
    roots = (
        sorted({path for path, _ in sel.communities_of(actor)})
        if sel.is_police_only(actor)
        else [p[:COMMUNITY_LEN] for p in actor.scope_paths if p.isdigit()]
    )
    for root in roots:
        four_zero_compute(under=root, month=month)
    return bool(roots)


def four_zero_recompute(*, actor: Actor, under: str, month: dt.date) -> int:
    """Recompute a month for every community under a path (the command), audited once."""
    if not under.isdigit():
        raise validation_failed([field_error("under", "请给出区划路径", "give an area path")])
    with transaction.atomic():
        stored = four_zero_compute(under=under, month=month)
        audit(
            actor,
            "four_zero_compute",
            "four_zero",
            f"{under}:{month:%Y-%m}",
            under,
            month=f"{month:%Y-%m}",
            rows=stored,
        )
    return stored


def four_zero_tick() -> str:
    """The periodic job: the open month of every district whose statuses are missing or older
    than STALE_MINUTES (a board view refreshes only its viewer's area, so each district is
    judged by its own oldest row)."""
    month = month_start(timezone.localdate())
    stale = sel.districts_stale(month=month, before=timezone.now() - dt.timedelta(minutes=STALE_MINUTES))
    if not stale:
        return "fresh"
    stored = sum(four_zero_compute(under=path, month=month) for path in stale)
    return f"{stored} statuses"
