"""Writes of the restricted support cases (one transaction, checks first, audit).

The person's name, the support plan, every entry's note and the closing reason are sealed at rest.
A case is opened by a holder of its kind's permission for a community of their area, or filed as a
domestic-violence lead by any staff worker of the community, who gets the case number as a
receipt and nothing more; the holders are told at once. Every reading is audited with a reason,
and so is every export (names only in the unmasked one, for holders, with a reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import ROLE_PERMISSIONS, SUPPORT_FAMILY, Role
from linli.accounts.selectors import actor_for_user, posted_user_ids, user_by_username
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.crypto import seal, unseal
from linli.core.errors import Msg, conflict, field_error, not_found, validation_failed
from linli.core.notify import notify
from linli.core.sheets import Sheet, workbook
from linli.mediation.domain.support import (
    COMMUNITY_LEN,
    DISTRICT_LEN,
    NAME_MAX,
    REASON_MIN,
    SEEN_MIN,
    STREET_LEN,
    TEXT_MAX,
    EntryKind,
    SupportKind,
    SupportState,
    case_number,
    entry_day_problem,
)
from linli.mediation.models import SupportCase, SupportEntry
from linli.mediation.selectors.support import (
    NAME_CONTEXT,
    beat_officer_ids,
    held_case_list,
    held_kinds,
    holds,
    is_staff,
    may_read_any,
    support_case_get,
    support_case_list,
    support_rows,
)
from linli.mediation.services.common import audit
from linli.residents.selectors import care_person

PLAN_CONTEXT = "mediation.support.plan"
NOTE_CONTEXT = "mediation.support.note"
CLOSE_CONTEXT = "mediation.support.close"
OBJECT = "mediation_support_case"
# the judicial office's roles told of a lead (the police officer of the beat is found by the beat)
FAMILY_ROLES = {r for r, p in ROLE_PERMISSIONS.items() if SUPPORT_FAMILY in p and r != Role.POLICE_OFFICER}


def _reason(reason: str, field_name: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise validation_failed(
            [field_error(field_name, "请写明理由（至少4个字）", "give the reason (at least 4 characters)")]
        )
    return reason[:500]


def _text(value: str, field_name: str, zh: str, en: str, *, required: bool, minimum: int = 1) -> str:
    value = (value or "").strip()
    if (required and len(value) < minimum) or len(value) > TEXT_MAX:
        raise validation_failed([field_error(field_name, zh, en)])
    return value


# ---- opening a case --------------------------------------------------------------------------


@dataclass
class SupportCaseInput:
    kind: str
    path: str = ""  # the community; taken from the person when they are chosen from the pool
    person_ref: str = ""  # a resident's public id, or
    name: str = ""  # the name only (someone not in the pool)
    plan: str = ""
    until: date | None = None
    assigned: str = ""  # username of a staff account of the area
    opened_on: date | None = None  # when support began, if before today (within the past year)


@dataclass
class _Person:
    ref: str
    name: str
    path: str


def _person(actor: Actor, person_ref: str, name: str, path: str) -> _Person:
    """The person from the pool (their community decides the case's), or a name only."""
    if person_ref:
        person = care_person(actor=actor, public_id=person_ref)
        if person is None:
            raise validation_failed(
                [field_error("person_ref", "未找到该居民（须在您的辖区内）", "no such resident in your area")]
            )
        return _Person(person.public_id, person.name, person.path[:COMMUNITY_LEN])
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise validation_failed(
            [field_error("name", "请填写姓名（最多50字）", "give the name (at most 50 characters)")]
        )
    return _Person("", name, (path or "").strip())


def _community(path: str, field_name: str = "path") -> str:
    unit = org_unit_by_path(path) if len(path) == COMMUNITY_LEN and path.isdigit() else None
    if unit is None or unit.kind not in ("community", "village"):
        raise validation_failed([field_error(field_name, "请选择社区", "choose the community")])
    return path


def _assignee(path: str, username: str):
    """A staff account posted in the case's community, above it or in one of its grids."""
    user = user_by_username((username or "").strip())
    assignee = actor_for_user(user) if user is not None else None
    if (
        assignee is None
        or not is_staff(assignee)
        or not any(path.startswith(p) or p.startswith(path) for p in assignee.scope_paths)
    ):
        raise validation_failed(
            [field_error("assigned", "须为本辖区工作人员的账号", "must be the account of a staff member of the area")]
        )
    return user


def _create(
    actor: Actor, *, kind: str, person: _Person, plan: str, until, assigned, filed: bool, opened_on=None
) -> SupportCase:
    """A new case under the next free number of the day (two at once: the second retries)."""
    now = timezone.now()
    day = timezone.localdate(now)
    serial = SupportCase.objects.filter(number__startswith=case_number(day, 0)[:10]).count() + 1
    for attempt in range(5):
        try:
            with transaction.atomic():
                return SupportCase.objects.create(
                    number=case_number(day, serial + attempt),
                    kind=kind,
                    path=person.path,
                    person_ref=person.ref or None,
                    person_name_sealed=seal(person.name, context=NAME_CONTEXT),
                    plan_sealed=seal(plan, context=PLAN_CONTEXT) if plan else "",
                    assigned=assigned,
                    assigned_name=(assigned.display_name or assigned.username) if assigned else "",
                    opened_on=opened_on or day,
                    until=until,
                    opened_by_name=actor.shown_name,
                    filed_by_id=actor.user_id if filed else None,
                    created_at=now,
                )
        except IntegrityError:
            continue
    raise conflict(Msg("请稍后再提交", "Try again in a moment"))


def _tell_assigned(case: SupportCase) -> None:
    if case.assigned_id is None:
        return
    notify(
        user_ids=[case.assigned_id],
        kind="mediation.support_assigned",
        text=Msg(
            f"您被指定为帮扶个案 {case.number} 的工作人员，请查阅。",
            f"You are the worker assigned to support case {case.number}.",
        ),
        link=reverse("portal:mediation:support-case", args=[case.public_id]),
    )


def support_case_open(*, actor: Actor, data: SupportCaseInput) -> SupportCase:
    """Open a restricted case (holders of the kind's permission, for a community of their area)."""
    if data.kind not in SupportKind.values or data.kind not in held_kinds(actor):
        raise validation_failed([field_error("kind", "请选择您负责的帮扶类别", "choose a kind you hold")])
    person = _person(actor, data.person_ref, data.name, data.path)
    path = _community(person.path)
    if not holds(actor, data.kind, path):
        raise validation_failed([field_error("path", "该社区不在您的辖区内", "that community is not in your area")])
    plan = _text(data.plan, "plan", "帮扶计划最多2000字", "the plan has at most 2,000 characters", required=False)
    today = timezone.localdate()
    if data.until is not None and data.until < today:
        raise validation_failed([field_error("until", "截止日期不能早于今天", "the end cannot be before today")])
    if data.opened_on is not None and entry_day_problem(data.opened_on, today):
        raise validation_failed(
            [
                field_error(
                    "opened_on", "开始日期须在过去一年内", "support began within the past year, not in the future"
                )
            ]
        )
    assigned = _assignee(path, data.assigned) if (data.assigned or "").strip() else None
    with transaction.atomic():
        case = _create(
            actor, kind=data.kind, person=person, plan=plan, until=data.until, assigned=assigned, filed=False
        )
        # no kind in the details: the audit page would tell an auditor who in the community is under corrections
        audit(actor, "support_open", OBJECT, case.public_id, path, number=case.number)
        _tell_assigned(case)
    return case


# ---- a lead filed by a community or grid worker ----------------------------------------------


def may_file_lead(actor: Actor, path: str = "") -> bool:
    """Any staff account of the community (posted there, in one of its grids or above) files."""
    if actor.user_id is None or not is_staff(actor):
        return False
    return not path or any(path.startswith(p) or p.startswith(path) for p in actor.scope_paths)


def support_lead_file(
    *, actor: Actor, path: str = "", person_ref: str = "", name: str = "", what_was_seen: str
) -> SupportCase:
    """File a domestic-violence lead (家庭暴力线索): a restricted case for the SUPPORT_FAMILY holders
    (the beat's police officer, the street's and district's judicial officers), told at once.
    The filer keeps the number as a receipt and reads nothing of the case."""
    if not may_file_lead(actor):
        raise not_found("页面", "Page")
    person = _person(actor, person_ref, name, path)
    path = _community(person.path)
    if not may_file_lead(actor, path):
        raise validation_failed([field_error("path", "该社区不在您的辖区内", "that community is not in your area")])
    seen = _text(
        what_was_seen,
        "what_was_seen",
        "请写明看到或听到的情况（10至2000字）",
        "say what was seen or heard (10 to 2,000 characters)",
        required=True,
        minimum=SEEN_MIN,
    )
    with transaction.atomic():
        case = _create(
            actor, kind=SupportKind.DOMESTIC_VIOLENCE, person=person, plan="", until=None, assigned=None, filed=True
        )
        SupportEntry.objects.create(
            case=case,
            kind=EntryKind.REPORT,
            on=case.opened_on,
            note_sealed=seal(seen, context=NOTE_CONTEXT),
            by_name=actor.shown_name,
            created_at=case.created_at,
        )
        audit(actor, "support_lead", OBJECT, case.public_id, path, number=case.number)
        notify(
            user_ids=beat_officer_ids(path, case.opened_on)
            + posted_user_ids(roles=FAMILY_ROLES, scope_path=path[:STREET_LEN])
            + posted_user_ids(roles=FAMILY_ROLES, scope_path=path[:DISTRICT_LEN]),
            kind="mediation.support_lead",
            text=Msg(
                f"家庭暴力线索：收到一条线索（{case.number}），请立即跟进。",
                f"Domestic violence: a lead ({case.number}) needs following up now.",
            ),
            link=reverse("portal:mediation:support-case", args=[case.public_id]),
        )
    return case


# ---- reading ---------------------------------------------------------------------------------


@dataclass
class SupportCaseView:
    case: SupportCase
    person_name: str
    plan: str
    entries: list[tuple[SupportEntry, str]] = field(default_factory=list)
    close_reason: str = ""
    held: bool = False  # the reader holds the kind here (assign, close); else they are the assigned worker


def support_case_read(*, actor: Actor, public_id, reason: str) -> SupportCaseView:
    """Read a case in clear, with a reason (audited each time)."""
    case = support_case_get(actor=actor, public_id=public_id)
    reason = _reason(reason)
    audit(actor, "support_read", OBJECT, case.public_id, case.path, reason)
    entries = [(e, unseal(e.note_sealed, context=NOTE_CONTEXT)) for e in case.entries.order_by("on", "pk")]
    return SupportCaseView(
        case=case,
        person_name=unseal(case.person_name_sealed, context=NAME_CONTEXT),
        plan=unseal(case.plan_sealed, context=PLAN_CONTEXT) if case.plan_sealed else "",
        entries=entries,
        close_reason=unseal(case.close_reason_sealed, context=CLOSE_CONTEXT) if case.close_reason_sealed else "",
        held=holds(actor, case.kind, case.path),
    )


# ---- entries, assignment, closing -----------------------------------------------------------


def support_entry_add(*, actor: Actor, public_id, kind: str, on: date | None, note: str) -> SupportEntry:
    """A visit, talk, report, plan or note (holders and the assigned worker). A `plan` entry also
    replaces the case's plan. Append-only."""
    errors = []
    if kind not in EntryKind.values:
        errors.append(field_error("kind", "请选择记录类别", "choose the kind of entry"))
    problem = entry_day_problem(on, timezone.localdate())
    if problem:
        zh, en = {
            "missing": ("请填写日期", "give the day"),
            "future": ("日期不能晚于今天", "the day cannot be in the future"),
            "too_old": ("只能补记一年内的情况", "only the past year can be recorded"),
        }[problem]
        errors.append(field_error("on", zh, en))
    note = (note or "").strip()
    if not note or len(note) > TEXT_MAX:
        errors.append(field_error("note", "请写明情况（最多2000字）", "write the note (at most 2,000 characters)"))
    if errors:
        raise validation_failed(errors)
    assert on is not None  # checked above
    with transaction.atomic():
        case = support_case_get(actor=actor, public_id=public_id, lock=True)
        if case.state != SupportState.OPEN:
            raise conflict(Msg("个案已结束", "The case is closed"))
        entry = SupportEntry.objects.create(
            case=case,
            kind=kind,
            on=on,
            note_sealed=seal(note, context=NOTE_CONTEXT),
            by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        if kind == EntryKind.PLAN:
            case.plan_sealed = seal(note, context=PLAN_CONTEXT)
            case.save(update_fields=["plan_sealed"])
        audit(actor, "support_entry", OBJECT, case.public_id, case.path, kind=kind)
    return entry


def _held_case(actor: Actor, public_id) -> SupportCase:
    """The case, locked, for what only holders do (the assigned worker gets the same 404)."""
    case = support_case_get(actor=actor, public_id=public_id, lock=True)
    if not holds(actor, case.kind, case.path):
        raise not_found("个案", "Case")
    return case


def support_assign(*, actor: Actor, public_id, username: str) -> SupportCase:
    """Assign the one staff worker who reads the case besides the holders (told at once)."""
    with transaction.atomic():
        case = _held_case(actor, public_id)
        if case.state != SupportState.OPEN:
            raise conflict(Msg("个案已结束", "The case is closed"))
        user = _assignee(case.path, username)
        if user.pk == case.assigned_id:
            raise conflict(Msg("此人已是该个案的工作人员", "This worker is already assigned"))
        case.assigned, case.assigned_name = user, user.display_name or user.username
        case.save(update_fields=["assigned", "assigned_name"])
        audit(actor, "support_assign", OBJECT, case.public_id, case.path, assigned=user.username)
        _tell_assigned(case)
    return case


def support_case_close(*, actor: Actor, public_id, reason: str, confirmed: bool) -> SupportCase:
    """Close a case with the reason (sealed), confirmed: closing cannot be undone."""
    reason = _reason(reason)
    if not confirmed:
        raise validation_failed([field_error("confirmed", "请确认结束个案", "confirm closing the case")])
    with transaction.atomic():
        case = _held_case(actor, public_id)
        if case.state != SupportState.OPEN:
            raise conflict(Msg("个案已结束", "The case is already closed"))
        case.state, case.closed_on = SupportState.CLOSED, timezone.localdate()
        case.close_reason_sealed = seal(reason, context=CLOSE_CONTEXT)
        case.save(update_fields=["state", "closed_on", "close_reason_sealed"])
        audit(actor, "support_close", OBJECT, case.public_id, case.path, "case closed")
    return case


# ---- export ----------------------------------------------------------------------------------

MASKED_HEADERS = [
    "个案编号 Case number",
    "类别 Kind",
    "社区 Community",
    "状态 State",
    "立案日期 Opened",
    "帮扶截止 Until",
    "结案日期 Closed",
    "帮扶工作人员 Assigned worker",
]
EXPORT_MAX = 5000


def support_export(*, actor: Actor, kind: str = "", state: str = "", unmasked: bool = False, reason: str = "") -> bytes:
    """The cases the actor may read as XLSX, without names; or, for holders with a reason, the
    cases they hold with the person's name and plan. Both are audited."""
    if not may_read_any(actor):
        raise not_found("页面", "Page")
    if unmasked:
        reason = _reason(reason)
        if not held_kinds(actor):
            raise not_found("页面", "Page")
        # the assigned worker's cases stay masked: only what the actor holds comes out in clear
        cases = list(held_case_list(actor=actor, kind=kind, state=state)[:EXPORT_MAX])
    else:
        cases = list(support_case_list(actor=actor, kind=kind, state=state)[:EXPORT_MAX])
    rows = support_rows(cases)
    lines = [
        [r.number, r.kind_label, r.community, r.state_label, r.opened_on, r.until, r.closed_on, r.assigned_name]
        for r in rows
    ]
    headers = list(MASKED_HEADERS)
    if unmasked:
        headers += ["姓名 Name", "帮扶计划 Plan"]
        for line, case in zip(lines, cases, strict=True):
            line += [
                unseal(case.person_name_sealed, context=NAME_CONTEXT),
                unseal(case.plan_sealed, context=PLAN_CONTEXT) if case.plan_sealed else "",
            ]
    for line in lines:
        for index in (4, 5, 6):
            line[index] = f"{line[index]:%Y-%m-%d}" if line[index] else ""
    scope = actor.scope_paths[0] if actor.scope_paths else ""
    audit(actor, "support_export", OBJECT, "", scope, reason, masked=not unmasked, rows=len(lines))
    return workbook([Sheet(str(_("Support cases")), headers, lines, {0: 18, 2: 16, 8: 10, 9: 40})])
