"""Care services, stage children: writes (one transaction, checks, audit).

Every sensitive text (the guardian's phone, the care plan, a visit's notes, what a harm report
says, a case's actions and closing reason) is sealed at rest; each reading of it is audited with
a reason. A harm report opens a restricted case and notifies the street's CARE_PROTECT holders at
once; the reporter gets a receipt number and nothing else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from linli.accounts.domain import CARE_CHILDREN, CARE_PROTECT, ROLE_PERMISSIONS, Role
from linli.accounts.selectors import posted_user_ids, user_by_username
from linli.care.domain.children import (
    CHILD_KINDS,
    COMMUNITY_LEN,
    INTERVAL_MAX,
    INTERVAL_MIN,
    STREET_LEN,
    ActivityKind,
    DirectorRole,
    GuardianRelation,
    HarmActionKind,
    HarmState,
    Wellbeing,
    receipt_number,
)
from linli.care.models import (
    ChildCare,
    ChildDirector,
    ChildFacilityActivity,
    ChildFacilityOpening,
    ChildVisit,
    ChildVisitRule,
    HarmAction,
    HarmReport,
)
from linli.care.selectors.children import (
    child_for_report,
    child_on_lists,
    children_facility_get,
    harm_case_get,
    may_appoint,
    may_edit_rules,
    may_protect,
    may_see_children,
)
from linli.core.actor import Actor
from linli.core.crypto import mask_phone, seal, unseal
from linli.core.errors import Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.residents.selectors import care_person

PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
TEXT_MAX, REASON_MIN = 2000, 4
BACKFILL_DAYS = 366  # a visit is recorded late at most a year after it
PHONE_CONTEXT, PLAN_CONTEXT = "care.child.guardian_phone", "care.child.plan"
VISIT_CONTEXT, HARM_CONTEXT = "care.child.visit_notes", "care.child.harm"


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details):
    audit_record(
        actor=actor,
        action=f"care.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason,
        details=details,
    )


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise validation_failed(
            [field_error(field, "请写明理由（至少4个字）", "give the reason (at least 4 characters)")]
        )
    return reason[:500]


def _children_worker(actor: Actor) -> None:
    if not may_see_children(actor):
        raise not_found("儿童", "Child")


# ---- guardian and plan -------------------------------------------------------------------------


@dataclass
class GuardianInput:
    name: str
    relation: str
    phone: str = ""
    guardian_ref: str = ""


def _guardian_check(actor: Actor, data: GuardianInput) -> tuple[dict, list]:
    errors = []
    name = (data.name or "").strip()
    if not name or len(name) > 50:
        errors.append(
            field_error(
                "name",
                "监护人姓名必填，最多50字",
                "the guardian's name is required, at most 50 characters",
            )
        )
    if data.relation not in GuardianRelation.values:
        errors.append(
            field_error(
                "relation",
                "请选择与儿童的关系",
                "choose the relation to the child",
            )
        )
    phone = re.sub(r"\s", "", data.phone or "")
    if phone and not PHONE.match(phone):
        errors.append(
            field_error(
                "phone",
                "电话号码格式不对（手机11位或区号-号码）",
                "not a phone number (11-digit mobile or area code and number)",
            )
        )
    guardian = None
    if data.guardian_ref:
        guardian = care_person(actor=actor, public_id=data.guardian_ref)
        if guardian is None:
            errors.append(
                field_error(
                    "guardian_ref",
                    "所选居民不在您的辖区",
                    "the chosen resident is not in your area",
                )
            )
    values = {
        "guardian_name": name,
        "guardian_relation": data.relation,
        "guardian_ref": guardian.public_id if guardian else None,
    }
    if phone:
        values |= {
            "guardian_phone_sealed": seal(phone, context=PHONE_CONTEXT),
            "guardian_phone_masked": mask_phone(phone),
        }
    return values, errors


def child_guardian_set(*, actor: Actor, child_ref, data: GuardianInput) -> ChildCare:
    """Record (or replace) a child's guardian; the phone is sealed and kept masked for lists."""
    _children_worker(actor)
    child = child_on_lists(actor, child_ref)
    values, errors = _guardian_check(actor, data)
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        care = _care_row(actor, child)
        for key, value in values.items():
            setattr(care, key, value)
        care.save()
        _audit(actor, "child_guardian", "care_child", child.public_id, child.path)
    return care


def _care_row(actor: Actor, child) -> ChildCare:
    """The child's care row, locked (made on first use)."""
    now = timezone.now()
    care, _ = ChildCare.objects.select_for_update().get_or_create(
        child_ref=child.public_id, defaults={"path": child.path, "updated_at": now, "updated_by_name": actor.shown_name}
    )
    care.path, care.updated_at, care.updated_by_name = child.path, now, actor.shown_name
    return care


def child_plan_set(*, actor: Actor, child_ref, plan: str) -> ChildCare:
    """The child's care plan (sealed)."""
    _children_worker(actor)
    child = child_on_lists(actor, child_ref)
    plan = (plan or "").strip()
    if not plan or len(plan) > TEXT_MAX:
        raise validation_failed(
            [
                field_error(
                    "plan",
                    "关爱计划必填，最多2000字",
                    "the care plan is required, at most 2,000 characters",
                )
            ]
        )
    with transaction.atomic():
        care = _care_row(actor, child)
        care.plan_sealed = seal(plan, context=PLAN_CONTEXT)
        care.save()
        _audit(actor, "child_plan", "care_child", child.public_id, child.path)
    return care


def child_sealed_reveal(*, actor: Actor, child_ref, what: str, reason: str) -> str:
    """Read the guardian's phone or the care plan in clear, with a reason (audited)."""
    _children_worker(actor)
    child = child_on_lists(actor, child_ref)
    reason = _reason(reason)
    care = ChildCare.objects.filter(child_ref=child.public_id).first()
    sealed, context, action = {
        "phone": ("guardian_phone_sealed", PHONE_CONTEXT, "child_guardian_reveal"),
        "plan": ("plan_sealed", PLAN_CONTEXT, "child_plan_reveal"),
    }.get(what, ("", "", ""))
    if not sealed or care is None or not getattr(care, sealed):
        raise not_found("记录", "Record")
    _audit(actor, action, "care_child", child.public_id, child.path, reason)
    return unseal(getattr(care, sealed), context=context)


# ---- visits ------------------------------------------------------------------------------------


@dataclass
class VisitInput:
    visited_on: date | None
    saw_child: bool
    guardian_present: bool
    school: str
    health: str
    safety: str
    needs: str = ""
    follow_up: str = ""
    notes: str = ""


def _visit_check(data: VisitInput, today: date) -> list:
    errors = []
    if data.visited_on is None:
        errors.append(
            field_error(
                "visited_on",
                "请填写探访日期",
                "give the day of the visit",
            )
        )
    elif data.visited_on > today:
        errors.append(
            field_error(
                "visited_on",
                "探访日期不能晚于今天",
                "the visit cannot be in the future",
            )
        )
    elif (today - data.visited_on).days > BACKFILL_DAYS:
        errors.append(
            field_error("visited_on", "只能补记一年内的探访", "only visits of the last twelve months can be recorded")
        )
    for name in ("school", "health", "safety"):
        if getattr(data, name) not in Wellbeing.values:
            errors.append(field_error(name, "请选择情况", "choose how it stands"))
    for name, limit in (("needs", 300), ("follow_up", 300), ("notes", TEXT_MAX)):
        if len(getattr(data, name) or "") > limit:
            errors.append(field_error(name, f"最多{limit}字", f"at most {limit} characters"))
    return errors


def child_visit_record(*, actor: Actor, child_ref, data: VisitInput) -> ChildVisit:
    """A visit to a child on the lists, by a children's worker of the child's area."""
    _children_worker(actor)
    child = child_on_lists(actor, child_ref)
    errors = _visit_check(data, timezone.localdate())
    if errors:
        raise validation_failed(errors)
    assert data.visited_on is not None  # _visit_check names a missing day, raised above
    with transaction.atomic():
        visit = ChildVisit.objects.create(
            child_ref=child.public_id,
            path=child.path,
            visited_on=data.visited_on,
            saw_child=bool(data.saw_child),
            guardian_present=bool(data.guardian_present),
            school=data.school,
            health=data.health,
            safety=data.safety,
            needs=(data.needs or "").strip(),
            follow_up=(data.follow_up or "").strip(),
            notes_sealed=seal(data.notes.strip(), context=VISIT_CONTEXT) if (data.notes or "").strip() else "",
            visitor_id=actor.user_id,
            visitor_name=actor.shown_name,
            created_at=timezone.now(),
        )
        _audit(actor, "child_visit", "care_child", child.public_id, child.path, visit=str(visit.public_id))
    return visit


def visit_rule_set(*, actor: Actor, kind: str, interval_days) -> ChildVisitRule:
    if not may_edit_rules(actor):
        raise permission_denied()
    if kind not in CHILD_KINDS:
        raise validation_failed(
            [
                field_error(
                    "kind",
                    "不是儿童关爱的人群",
                    "not one of the children's groups",
                )
            ]
        )
    try:
        days = int(interval_days)
    except (TypeError, ValueError):
        days = 0
    if not INTERVAL_MIN <= days <= INTERVAL_MAX:
        raise validation_failed(
            [
                field_error(
                    "interval_days",
                    "周期应为1至366天",
                    "the interval is 1 to 366 days",
                )
            ]
        )
    with transaction.atomic():
        rule, _ = ChildVisitRule.objects.update_or_create(
            kind=kind, defaults={"interval_days": days, "updated_at": timezone.now()}
        )
        _audit(actor, "child_visit_rule", "care_child_rule", kind, "", days=days)
    return rule


# ---- directors ---------------------------------------------------------------------------------

ROLE_FOR = {
    DirectorRole.DIRECTOR: (Role.COMMUNITY_WORKER, COMMUNITY_LEN),
    DirectorRole.SUPERVISOR: (Role.STREET_OFFICER, STREET_LEN),
}


def director_appoint(
    *, actor: Actor, path: str, username: str, role: str = DirectorRole.DIRECTOR, starts_on=None
) -> ChildDirector:
    """Appoint a community's children's director (a community worker posted there) or a street's
    supervisor (a street officer posted there). One active per unit: the previous one ends the
    day before."""
    if role not in ROLE_FOR:
        raise validation_failed(
            [
                field_error(
                    "role",
                    "请选择儿童主任或儿童督导员",
                    "choose director or supervisor",
                )
            ]
        )
    staff_role, length = ROLE_FOR[DirectorRole(role)]
    if len(path or "") != length or not may_appoint(actor, path):
        raise not_found("社区", "Community")
    user = user_by_username((username or "").strip())
    if user is None or user.pk not in posted_user_ids(roles={staff_role}, scope_path=path):
        raise validation_failed(
            [
                field_error(
                    "username",
                    "须为在该单位任职的工作人员账号",
                    "must be a staff account posted at that unit",
                )
            ]
        )
    starts_on = starts_on or timezone.localdate()
    with transaction.atomic():
        previous = ChildDirector.objects.select_for_update().filter(path=path, role=role, ends_on__isnull=True).first()
        if previous is not None:
            if previous.user_id == user.pk:
                raise conflict(Msg("此人已是在任的儿童主任", "This person is already appointed"))
            ChildDirector.objects.filter(pk=previous.pk).update(ends_on=max(previous.starts_on, starts_on))
        try:
            with transaction.atomic():
                director = ChildDirector.objects.create(
                    role=role,
                    path=path,
                    user=user,
                    name=user.display_name or user.username,
                    starts_on=starts_on,
                    appointed_by_name=actor.shown_name,
                    created_at=timezone.now(),
                )
        except IntegrityError as exc:  # another appointment landed at the same moment
            raise conflict(Msg("该单位刚刚任命了他人，请刷新", "Someone was just appointed here; reload")) from exc
        _audit(actor, "child_director_appoint", "care_child_director", director.public_id, path, role=role)
    return director


def director_end(*, actor: Actor, public_id, ends_on=None, reason: str = "") -> ChildDirector:
    reason = _reason(reason)
    with transaction.atomic():
        director = ChildDirector.objects.select_for_update().filter(public_id=public_id, ends_on__isnull=True).first()
        if director is None or not may_appoint(actor, director.path):
            raise not_found("儿童主任", "Children's director")
        director.ends_on = max(director.starts_on, ends_on or timezone.localdate())
        director.save(update_fields=["ends_on"])
        _audit(actor, "child_director_end", "care_child_director", director.public_id, director.path, reason)
    return director


# ---- children's homes and protection stations -------------------------------------------------


def _facility_for_log(actor: Actor, facility_ref):
    if not may_see_children(actor):
        raise not_found("设施", "Facility")
    return children_facility_get(actor=actor, public_id=facility_ref)


def facility_opening_record(
    *, actor: Actor, facility_ref, opened_on: date | None, hours, staff: str
) -> ChildFacilityOpening:
    facility = _facility_for_log(actor, facility_ref)
    errors = []
    if opened_on is None or opened_on > timezone.localdate():
        errors.append(
            field_error(
                "opened_on",
                "请填写今天或以前的日期",
                "give today or a past day",
            )
        )
    try:
        hours_value = Decimal(str(hours).strip())
    except (InvalidOperation, ValueError):
        hours_value = Decimal(0)
    if not Decimal(0) < hours_value <= Decimal(24):
        errors.append(
            field_error(
                "hours",
                "开放时长应在0至24小时之间",
                "hours open are more than 0 and at most 24",
            )
        )
    staff = (staff or "").strip()
    if not staff or len(staff) > 100:
        errors.append(
            field_error(
                "staff",
                "值班人员必填，最多100字",
                "the staff on duty are required, at most 100 characters",
            )
        )
    if errors:
        raise validation_failed(errors)
    assert opened_on is not None  # a missing day is one of the errors raised above
    try:
        with transaction.atomic():
            row = ChildFacilityOpening.objects.create(
                facility_ref=facility.public_id,
                path=facility.path,
                opened_on=opened_on,
                hours=hours_value.quantize(Decimal("0.1")),
                staff=staff,
                recorded_by_name=actor.shown_name,
                created_at=timezone.now(),
            )
            _audit(actor, "child_facility_opening", "facility", facility.public_id, facility.path)
    except IntegrityError as exc:
        raise validation_failed(
            [
                field_error(
                    "opened_on",
                    "这一天已登记过开放",
                    "this day is already recorded",
                )
            ]
        ) from exc
    return row


@dataclass
class ActivityInput:
    held_on: date | None
    title: str
    kind: str
    children_count: int | str | None
    photo: object = None


def facility_activity_record(*, actor: Actor, facility_ref, data: ActivityInput) -> ChildFacilityActivity:
    facility = _facility_for_log(actor, facility_ref)
    errors = []
    if data.held_on is None or data.held_on > timezone.localdate():
        errors.append(
            field_error(
                "held_on",
                "请填写今天或以前的日期",
                "give today or a past day",
            )
        )
    title = (data.title or "").strip()
    if not title or len(title) > 100:
        errors.append(
            field_error(
                "title",
                "活动名称必填，最多100字",
                "the title is required, at most 100 characters",
            )
        )
    if data.kind not in ActivityKind.values:
        errors.append(
            field_error(
                "kind",
                "请选择活动类型",
                "choose the kind of activity",
            )
        )
    try:
        count = int(data.children_count) if data.children_count is not None else -1
    except (TypeError, ValueError):
        count = -1
    if not 0 <= count <= 1000:
        errors.append(
            field_error(
                "children_count",
                "参加儿童人数应为0至1000",
                "children taking part: 0 to 1,000",
            )
        )
    if errors:
        raise validation_failed(errors)
    assert data.held_on is not None  # a missing day is one of the errors raised above
    with transaction.atomic():
        row = ChildFacilityActivity.objects.create(
            facility_ref=facility.public_id,
            path=facility.path,
            held_on=data.held_on,
            title=title,
            kind=data.kind,
            children_count=count,
            recorded_by_name=actor.shown_name,
            created_at=timezone.now(),
            **({"photo": data.photo} if data.photo else {}),
        )
        _audit(actor, "child_facility_activity", "facility", facility.public_id, facility.path)
    return row


# ---- harm reports ------------------------------------------------------------------------------

PROTECT_ROLES = {role for role, perms in ROLE_PERMISSIONS.items() if CARE_PROTECT in perms}


def harm_report_file(*, actor: Actor, child_ref, seen: str) -> HarmReport:
    """File a report of suspected harm (强制报告): a restricted case for the street's CARE_PROTECT
    holders, told at once. The reporter keeps the receipt."""
    if not actor.has_perm(CARE_CHILDREN) or actor.user_id is None:
        raise not_found("儿童", "Child")
    child = child_for_report(actor=actor, child_ref=child_ref)
    seen = (seen or "").strip()
    if len(seen) < 10 or len(seen) > TEXT_MAX:
        raise validation_failed(
            [
                field_error(
                    "seen",
                    "请写明看到或听到的情况（10至2000字）",
                    "say what was seen or heard (10 to 2,000 characters)",
                )
            ]
        )
    now = timezone.now()
    with transaction.atomic():
        day = timezone.localdate(now)
        seq = HarmReport.objects.filter(receipt__startswith=receipt_number(day, 0)[:10]).count() + 1
        report = _harm_create(actor, child, seen, now, day, seq)
        _audit(actor, "harm_report", "care_harm_report", report.public_id, child.path, receipt=report.receipt)
        street = child.path[:STREET_LEN]
        link = reverse("portal:care:children-harm-case", args=[report.public_id])
        notify(
            user_ids=posted_user_ids(roles=PROTECT_ROLES, scope_path=street)
            + posted_user_ids(roles=PROTECT_ROLES, scope_path=street[:6]),
            kind="care.harm_report",
            text=Msg(
                f"儿童保护：收到一份疑似侵害报告（{report.receipt}），请立即处理。",
                f"Child protection: a report of suspected harm ({report.receipt}) needs action now.",
            ),
            link=link,
        )
    return report


def _harm_create(actor, child, seen, now, day, seq) -> HarmReport:
    """A new report under the next free receipt number of the day (two at once: the second retries)."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                return HarmReport.objects.create(
                    receipt=receipt_number(day, seq + attempt),
                    child_ref=child.public_id,
                    path=child.path,
                    seen_sealed=seal(seen, context=HARM_CONTEXT),
                    reporter_id=actor.user_id,
                    reporter_name=actor.shown_name,
                    filed_at=now,
                )
        except IntegrityError:
            continue
    raise conflict(Msg("请稍后再提交", "Try again in a moment"))


@dataclass
class HarmCaseView:
    case: HarmReport
    child_name: str
    seen: str
    actions: list[tuple[HarmAction, str]]
    close_reason: str


def harm_case_open(*, actor: Actor, public_id, reason: str) -> HarmCaseView:
    """Read a restricted case in clear, with a reason (audited each time)."""
    case = harm_case_get(actor=actor, public_id=public_id)
    reason = _reason(reason)
    _audit(actor, "harm_read", "care_harm_report", case.public_id, case.path, reason)
    child = care_person(actor=actor, public_id=case.child_ref)
    actions = [(a, unseal(a.note_sealed, context=HARM_CONTEXT)) for a in case.actions.all()]
    return HarmCaseView(
        case=case,
        child_name=child.name if child else "—",
        seen=unseal(case.seen_sealed, context=HARM_CONTEXT),
        actions=actions,
        close_reason=unseal(case.close_reason_sealed, context=HARM_CONTEXT) if case.close_reason_sealed else "",
    )


def harm_action_record(*, actor: Actor, public_id, kind: str, note: str) -> HarmAction:
    if not may_protect(actor):
        raise not_found("个案", "Case")
    errors = []
    if kind not in HarmActionKind.values:
        errors.append(
            field_error(
                "kind",
                "请选择处置措施",
                "choose the action",
            )
        )
    note = (note or "").strip()
    if not note or len(note) > TEXT_MAX:
        errors.append(
            field_error(
                "note",
                "请写明处置情况（最多2000字）",
                "describe the action (at most 2,000 characters)",
            )
        )
    if errors:
        raise validation_failed(errors)
    with transaction.atomic():
        case = harm_case_get(actor=actor, public_id=public_id, lock=True)
        if case.state != HarmState.OPEN:
            raise conflict(Msg("个案已结案", "The case is closed"))
        action = HarmAction.objects.create(
            report=case,
            kind=kind,
            note_sealed=seal(note, context=HARM_CONTEXT),
            by_name=actor.shown_name,
            at=timezone.now(),
        )
        _audit(actor, "harm_action", "care_harm_report", case.public_id, case.path, kind=kind)
    return action


def harm_case_close(*, actor: Actor, public_id, reason: str) -> HarmReport:
    reason = _reason(reason)
    with transaction.atomic():
        case = harm_case_get(actor=actor, public_id=public_id, lock=True)
        if case.state != HarmState.OPEN:
            raise conflict(Msg("个案已结案", "The case is already closed"))
        case.state, case.closed_at, case.closed_by_name = HarmState.CLOSED, timezone.now(), actor.shown_name
        case.close_reason_sealed = seal(reason, context=HARM_CONTEXT)
        case.save(update_fields=["state", "closed_at", "closed_by_name", "close_reason_sealed"])
        _audit(actor, "harm_close", "care_harm_report", case.public_id, case.path, "case closed")
    return case
