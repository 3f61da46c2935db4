"""Writes of relief: one transaction each, checked whole before anything is written (every problem
named by its field), audited, with a timeline row per step.

Temporary assistance: the community records (ordinary path) or the street pays first in an
emergency (fast path, `temporary_fast_pay`); each later step is `temporary_act` under a row lock
of the record. The limits per event and per year (amount and count, the household's total over
the last twelve months) are checked under a lock of the household's earlier grants, so two
officers granting at once cannot pass the yearly limit together.

Zero-employment households: found from the pool (`zero_find`), followed (`zero_follow`), closed
only with how and why (`zero_close`, or by a placement in a public-welfare post). Posts,
placements (capacity held by a locked counter) and job needs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_EMPLOYMENT, WELFARE_INTAKE, WELFARE_REVIEW
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.crypto import mask_id_number, seal, unseal
from linli.core.errors import FieldError, Msg, conflict, not_found, permission_denied, validation_failed
from linli.core.ids import uuid_or_none
from linli.core.masking import PERSONAL_NUMBER
from linli.core.services import audit_record
from linli.residents.selectors import (
    WelfarePerson,
    households_without_work,
    welfare_person,
    welfare_person_by_ref,
    welfare_person_for_user,
)
from linli.service_desk.handlers import HandledCase
from linli.service_desk.services import handled_case_decide
from linli.welfare.domain.relief import (
    EVENT_BY_CODE,
    PAPERWORK_WORKING_DAYS,
    TEMP_TRANSITIONS,
    CaseState,
    CloseHow,
    FollowKind,
    Form,
    NeedKind,
    NeedState,
    PostKind,
    Route,
    TempState,
    limit_problems,
    money,
    yuan,
)
from linli.welfare.models import (
    JobNeed,
    PostPlacement,
    TemporaryAssistance,
    TemporaryStep,
    WelfarePost,
    ZeroEmploymentCase,
    ZeroEmploymentStep,
)
from linli.welfare.selectors.relief import relief_limits, temporary_granted, working_age_rule
from linli.workdays.selectors import work_calendar

FACTS_CONTEXT = "welfare.temporary_facts"
DESK_HANDLER_KEY = "welfare_temporary"
COMMUNITY_KINDS = ("community", "village")
TEXT_MAX = 2000


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"welfare.{action}",
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        reason=reason[:200],
        details={k: str(v) for k, v in details.items()},
    )


def _community(actor: Actor, path: str) -> str | None:
    unit = org_unit_by_path(path) if path.isdigit() else None
    if unit is None or unit.kind not in COMMUNITY_KINDS or not actor.sees_path(unit.path):
        return None
    return unit.path


def _no_personal_numbers(problems: list[FieldError], name: str, text: str) -> None:
    if PERSONAL_NUMBER.search(text or ""):
        problems.append(
            FieldError(name, Msg("此处不要写身份证号或电话号码", "Do not write an ID or phone number here"))
        )


# ================================================================ temporary assistance


@dataclass
class TempInput:
    event: str
    event_on: date | None
    amount_asked: object  # yuan, as typed
    facts: str
    person: str = ""  # a resident's public id, or empty for someone not registered here
    outsider_name: str = ""
    outsider_id_number: str = ""  # kept masked only
    community: str = ""  # where an outsider's record belongs (a community path)
    form: str = Form.CASH


@dataclass(frozen=True)
class _Checked:
    person: WelfarePerson | None
    name: str
    id_masked: str
    path: str
    amount_asked: Decimal


def _check_input(actor: Actor, data: TempInput, today: date) -> tuple[list[FieldError], _Checked | None]:
    problems: list[FieldError] = []
    if data.event not in EVENT_BY_CODE:
        problems.append(FieldError("event", Msg("请选择困难事由", "Choose what happened")))
    if data.event_on is None:
        problems.append(FieldError("event_on", Msg("请填写发生日期", "Give the date of the event")))
    elif data.event_on > today:
        problems.append(FieldError("event_on", Msg("发生日期不能晚于今天", "The date cannot be in the future")))
    asked = money(data.amount_asked)
    if asked is None or asked <= 0:
        problems.append(
            FieldError("amount_asked", Msg("申请金额应为大于 0 的金额（元）", "The amount asked is a sum above 0 yuan"))
        )
    facts = (data.facts or "").strip()
    if len(facts) < 4:
        problems.append(FieldError("facts", Msg("请写明困难情况", "Describe the hardship")))
    elif len(facts) > TEXT_MAX:
        problems.append(FieldError("facts", Msg("不能超过 2000 字", "At most 2,000 characters")))
    if data.form not in Form.values:
        problems.append(FieldError("form", Msg("请选择救助方式", "Choose cash or in kind")))
    person = None
    if data.person:
        person = welfare_person(actor=actor, public_id=data.person)
        if person is None:
            problems.append(FieldError("person", Msg("找不到此居民，或不在您的辖区", "No such resident in your area")))
        name, id_masked, path = (person.name, person.id_number_masked, person.path) if person else ("", "", "")
    else:
        name = data.outsider_name.strip()
        if not name or len(name) > 50:
            problems.append(FieldError("outsider_name", Msg("请填写姓名（最多 50 字）", "Give the person's name")))
        number = data.outsider_id_number.strip().upper()
        if number and not PERSONAL_NUMBER.fullmatch(number):
            problems.append(
                FieldError("outsider_id_number", Msg("身份证号格式不对", "That is not an ID number (18 digits)"))
            )
        id_masked = mask_id_number(number) if number else ""
        community = _community(actor, data.community)
        if community is None:
            problems.append(FieldError("community", Msg("请选择您辖区内的社区", "Choose a community of your area")))
        path = community or ""
    if problems:
        return problems, None
    assert asked is not None
    return [], _Checked(person, name, id_masked, path, asked)


def _number(path: str, today: date) -> str:
    prefix = f"LS{path[:6]}{today:%Y%m%d}"
    last = (
        TemporaryAssistance.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _temp_step(item: TemporaryAssistance, actor: Actor, action: str, from_state: str, *, now, amount=None, note=""):
    TemporaryStep.objects.create(
        assistance=item,
        action=action,
        from_state=from_state,
        to_state=item.state,
        amount=amount,
        note=note.strip()[:500],
        actor_id=actor.user_id,
        actor_name=actor.shown_name,
        at=now,
    )


def _create(actor: Actor, checked: _Checked, data: TempInput, *, route: str, state: str, now, **extra):
    today = timezone.localdate()
    person = checked.person
    for attempt in range(6):  # a number taken by a transaction committing meanwhile: the next one
        try:
            with transaction.atomic():
                return TemporaryAssistance.objects.create(
                    number=_number(checked.path, today),
                    route=route,
                    state=state,
                    person_ref=uuid_or_none(person.public_id) if person else None,
                    person_name=checked.name,
                    person_id_masked=checked.id_masked,
                    household_ref=uuid_or_none(person.household_ref) if person and person.household_ref else None,
                    path=checked.path,
                    event=data.event,
                    event_on=data.event_on,  # type: ignore[misc]
                    facts_sealed=seal(data.facts.strip(), context=FACTS_CONTEXT),
                    form=data.form,
                    amount_asked=checked.amount_asked,
                    created_by_id=actor.user_id,
                    created_by_name=actor.shown_name,
                    created_at=now,
                    updated_at=now,
                    **extra,
                )
        except IntegrityError:
            if attempt == 5:
                raise conflict(Msg("编号冲突，请重试", "Two records took the same number; try again")) from None
    raise AssertionError("unreachable")


def temporary_record(*, actor: Actor, data: TempInput) -> TemporaryAssistance:
    """The community records a request on the ordinary path: the street reviews it next."""
    if not actor.has_perm(WELFARE_INTAKE):
        raise permission_denied()
    now = timezone.now()
    problems, checked = _check_input(actor, data, timezone.localdate())
    if problems:
        raise validation_failed(problems)
    assert checked is not None
    with transaction.atomic():
        item = _create(actor, checked, data, route=Route.ORDINARY, state=TempState.RECORDED, now=now)
        _temp_step(item, actor, "record", "", now=now, amount=item.amount_asked)
        _audit(actor, "temp_record", "temporary_assistance", item.public_id, item.path, event=item.event)
    return item


def _hold_household(household_ref, person_ref) -> None:
    """Serialise the grants of one household (or person) for the rest of the transaction, so two
    officers granting at once cannot pass the limits together — also when nothing was granted
    yet. PostgreSQL: a transaction-level advisory lock on the household; SQLite has one writer."""
    key = household_ref or person_ref
    if key is None or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(str(key).replace("-", "")[:15], 16)])


def _limits_check(item_household, item_person, amount: Decimal, *, fast: bool, exclude_pk=None) -> None:
    today = timezone.localdate()
    limits = relief_limits(today)
    _hold_household(item_household, item_person)
    granted = temporary_granted(person_ref=item_person, household_ref=item_household, on=today, exclude_pk=exclude_pk)
    problems = limit_problems(
        amount=amount, limits=limits, granted_12m=granted.amount, events_12m=granted.events, fast=fast
    )
    if problems:
        raise validation_failed([FieldError("amount", p) for p in problems])


def temporary_fast_pay(*, actor: Actor, data: TempInput, amount, note: str = "") -> TemporaryAssistance:
    """先行救助: the street decides and pays at once, up to what the street may pay first and within
    the limits; the community completes the paperwork by a due date (working days), then the
    district confirms."""
    if not actor.has_perm(WELFARE_REVIEW):
        raise permission_denied()
    now = timezone.now()
    today = timezone.localdate()
    problems, checked = _check_input(actor, data, today)
    granted = money(amount)
    if granted is None or granted <= 0:
        problems.append(FieldError("amount", Msg("请填写先行救助金额（元）", "Give the amount paid first (yuan)")))
    if problems:
        raise validation_failed(problems)
    assert checked is not None and granted is not None
    person = checked.person
    household = uuid_or_none(person.household_ref) if person and person.household_ref else None
    person_ref = uuid_or_none(person.public_id) if person else None
    due = work_calendar().add_working_days(today, PAPERWORK_WORKING_DAYS)
    with transaction.atomic():
        _limits_check(household, person_ref, granted, fast=True)
        item = _create(
            actor,
            checked,
            data,
            route=Route.FAST,
            state=TempState.PAID_FIRST,
            now=now,
            amount_granted=granted,
            granted_on=today,
            paperwork_due=due,
        )
        _temp_step(item, actor, "fast_pay", "", now=now, amount=granted, note=note)
        _audit(actor, "temp_fast_pay", "temporary_assistance", item.public_id, item.path, amount=granted, due=due)
    return item


def temporary_act(
    *, actor: Actor, assistance: TemporaryAssistance, action: str, note: str = "", amount=None
) -> TemporaryAssistance:
    """A later step: the street passes or refuses (with reasons), the district grants (an amount
    within the limits) or refuses (with reasons), the community completes the fast path's
    paperwork, the district confirms it. The state is re-read under a row lock."""
    transition = TEMP_TRANSITIONS.get(action)
    if transition is None:
        raise not_found("操作", "Action")
    if not actor.has_perm(transition.permission):
        raise permission_denied()
    note = (note or "").strip()
    problems: list[FieldError] = []
    if transition.needs_reason and len(note) < 4:
        problems.append(FieldError("note", Msg("请写明不予救助的理由", "Give the reasons for the refusal")))
    if action == "complete" and len(note) < 2:
        problems.append(FieldError("note", Msg("请写明补齐了哪些材料", "Say which materials were completed")))
    if len(note) > 500:
        problems.append(FieldError("note", Msg("不能超过 500 字", "At most 500 characters")))
    _no_personal_numbers(problems, "note", note)
    granted = None
    if action == "grant":
        granted = money(amount)
        if granted is None or granted <= 0:
            problems.append(FieldError("amount", Msg("请填写批准金额（元）", "Give the amount granted (yuan)")))
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        if action == "grant":  # the household's grants first, then this record: one order, no deadlock
            _hold_household(assistance.household_ref, assistance.person_ref)
        item = actor.scoped(TemporaryAssistance.objects.select_for_update()).filter(pk=assistance.pk).first()
        if item is None:
            raise not_found("临时救助", "Temporary assistance")
        if item.state not in transition.sources:
            raise conflict(
                Msg(
                    f"当前状态为「{TempState(item.state).label}」，不能「{transition.label.zh}」",
                    f"The record is '{TempState(item.state).label}'; '{transition.label.en}' is not allowed now",
                )
            )
        from_state = item.state
        fields = ["state", "updated_at"]
        if action == "pass" and (item.amount_asked <= 0 or not item.facts_sealed):
            raise conflict(
                Msg(
                    "社区还没有填写困难情况和申请金额，不能审核",
                    "The community has not recorded the hardship and the amount asked yet",
                )
            )
        if granted is not None:
            _limits_check(item.household_ref, item.person_ref, granted, fast=False, exclude_pk=item.pk)
            item.amount_granted = granted
            item.granted_on = timezone.localdate()
            fields += ["amount_granted", "granted_on"]
        if transition.needs_reason:
            item.refusal_reason = note
            fields.append("refusal_reason")
        item.state = transition.target
        item.updated_at = now
        item.save(update_fields=fields)
        _temp_step(item, actor, action, from_state, now=now, amount=granted, note=note)
        _audit(actor, f"temp_{action}", "temporary_assistance", item.public_id, item.path, note, to=item.state)
        if item.desk_case_ref and item.state in (TempState.GRANTED, TempState.REFUSED):
            # the desk case of an application taken at the window is decided with this step
            handled_case_decide(
                handler_key=DESK_HANDLER_KEY,
                case_public_id=item.desk_case_ref,
                decision="approved" if item.state == TempState.GRANTED else "denied",
                note=note or f"批准临时救助 {yuan(item.amount_granted)}",
                actor=actor,
            )
    return item


def desk_temporary_open(actor: Actor, case: HandledCase) -> TemporaryAssistance:
    """The desk accepted a temporary-assistance item: open a record on the ordinary path, in the
    desk's transaction, for the applicant's home community. The community then records the event,
    the hardship and the amount asked (`temporary_describe`) before the street reviews it."""
    person = welfare_person_by_ref(case.applicant_ref) if case.applicant_ref else None
    if TemporaryAssistance.objects.filter(desk_case_number=case.number).exists():
        raise conflict(Msg("此办件已有临时救助记录", "This desk case already has a record"))
    now = timezone.now()
    if person is not None:
        checked = _Checked(person, person.name, person.id_number_masked, person.path, Decimal("0.00"))
    else:  # someone not in the pool (an emergency away from home): the accepting community's record
        path = (case.home_path or case.accepted_path)[:12]
        checked = _Checked(None, case.applicant_name, case.applicant_id_masked, path, Decimal("0.00"))
    data = TempInput(event="other", event_on=timezone.localdate(), amount_asked="0", facts="")
    item = _create(
        actor,
        checked,
        data,
        route=Route.ORDINARY,
        state=TempState.RECORDED,
        now=now,
        desk_case_number=case.number,
        desk_case_ref=case.public_id,
    )
    TemporaryAssistance.objects.filter(pk=item.pk).update(facts_sealed="")
    item.facts_sealed = ""
    _temp_step(item, actor, "desk", "", now=now, note=case.number)
    _audit(actor, "temp_desk_open", "temporary_assistance", item.public_id, item.path, desk=case.number)
    return item


def desk_temporary_withdrawn(actor: Actor, case: HandledCase, note: str) -> None:
    """The applicant withdrew the desk case: the open record is withdrawn with it."""
    item = TemporaryAssistance.objects.select_for_update().filter(desk_case_number=case.number).first()
    if item is None or item.state not in (TempState.RECORDED, TempState.REVIEWED):
        return
    from_state = item.state
    item.state = TempState.WITHDRAWN
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "updated_at"])
    _temp_step(item, actor, "withdraw", from_state, now=item.updated_at, note=note or "在服务窗口撤回")
    _audit(actor, "temp_withdraw", "temporary_assistance", item.public_id, item.path, note or "在服务窗口撤回")


def temporary_describe(*, actor: Actor, assistance: TemporaryAssistance, data: TempInput) -> TemporaryAssistance:
    """The community records the event, the hardship and the amount asked of a record opened at
    the desk (or corrects them before the street's review)."""
    if not actor.has_perm(WELFARE_INTAKE):
        raise permission_denied()
    problems, _ = _check_input(actor, dataclasses.replace(data, person=""), timezone.localdate())
    problems = [p for p in problems if p.field not in ("outsider_name", "community", "outsider_id_number")]
    if problems:
        raise validation_failed(problems)
    asked = money(data.amount_asked)
    assert asked is not None
    now = timezone.now()
    with transaction.atomic():
        item = actor.scoped(TemporaryAssistance.objects.select_for_update()).filter(pk=assistance.pk).first()
        if item is None:
            raise not_found("临时救助", "Temporary assistance")
        if item.state != TempState.RECORDED:
            raise conflict(Msg("街道审核后不能再修改", "It cannot be changed after the street's review"))
        item.event = data.event
        item.event_on = data.event_on
        item.amount_asked = asked
        item.form = data.form
        item.facts_sealed = seal(data.facts.strip(), context=FACTS_CONTEXT)
        item.updated_at = now
        item.save(update_fields=["event", "event_on", "amount_asked", "form", "facts_sealed", "updated_at"])
        _temp_step(item, actor, "describe", TempState.RECORDED, now=now, amount=asked)
        _audit(actor, "temp_describe", "temporary_assistance", item.public_id, item.path, event=item.event)
    return item


def temporary_facts(*, actor: Actor, assistance: TemporaryAssistance) -> str:
    """The sealed facts, for who takes the record's steps in its area; each reading audited."""
    if not actor.sees_path(assistance.path) or not any(
        actor.has_perm(p) for p in (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
    ):
        return ""
    if not assistance.facts_sealed:
        return ""
    _audit(actor, "temp_facts_read", "temporary_assistance", assistance.public_id, assistance.path)
    return unseal(assistance.facts_sealed, context=FACTS_CONTEXT)


# ================================================================ zero-employment households


def _employment(actor: Actor) -> None:
    if not actor.has_perm(WELFARE_EMPLOYMENT) or not actor.scope_paths:
        raise permission_denied()


def zero_find(*, actor: Actor, under: str = "", on: date | None = None) -> list[ZeroEmploymentCase]:
    """Search the pool of the actor's area (or `under`) for zero-employment households on `on`
    (today) and open a case for each one not already followed. Returns the new cases."""
    _employment(actor)
    on = on or timezone.localdate()
    if under and not actor.sees_path(under):
        raise not_found("区域", "Area")
    ages = working_age_rule(on)
    found = households_without_work(
        actor=actor,
        working_age_births={g: ages.birth_bounds(on, g) for g in ("male", "female")},
        under=under,
    )
    now = timezone.now()
    created: list[ZeroEmploymentCase] = []
    with transaction.atomic():
        followed = set(
            ZeroEmploymentCase.objects.filter(
                state=CaseState.OPEN, household_ref__in=[h.household_ref for h in found]
            ).values_list("household_ref", flat=True)
        )
        for household in found:
            ref = uuid_or_none(household.household_ref)
            if ref is None or ref in followed:
                continue
            case = ZeroEmploymentCase.objects.create(
                household_ref=ref,
                path=household.path,
                head_name=household.head_name or "—",
                found_on=on,
                created_by_name=actor.shown_name,
                created_at=now,
            )
            ZeroEmploymentStep.objects.create(case=case, kind="found", on=on, actor_name=actor.shown_name, at=now)
            created.append(case)
        _audit(
            actor, "zero_find", "zero_employment", "", under or actor.scope_paths[0], found=len(found), new=len(created)
        )
    return created


def _locked_case(actor: Actor, case: ZeroEmploymentCase) -> ZeroEmploymentCase:
    locked = actor.scoped(ZeroEmploymentCase.objects.select_for_update()).filter(pk=case.pk).first()
    if locked is None:
        raise not_found("零就业家庭", "Zero-employment household")
    if locked.state != CaseState.OPEN:
        raise conflict(Msg("此户已销号", "This household's case is already closed"))
    return locked


def _follow_problems(kind: str, on: date | None, note: str, kinds) -> list[FieldError]:
    problems: list[FieldError] = []
    if kind not in kinds:
        problems.append(FieldError("kind", Msg("请选择帮扶方式", "Choose what was done")))
    if on is None:
        problems.append(FieldError("on", Msg("请填写日期", "Give the date")))
    elif on > timezone.localdate():
        problems.append(FieldError("on", Msg("日期不能晚于今天", "The date cannot be in the future")))
    if len(note) > 500:
        problems.append(FieldError("note", Msg("不能超过 500 字", "At most 500 characters")))
    _no_personal_numbers(problems, "note", note)
    return problems


def zero_follow(
    *, actor: Actor, case: ZeroEmploymentCase, kind: str, on: date | None, note: str = ""
) -> ZeroEmploymentCase:
    """A follow-up step: a visit, a job offered, training arranged, a placement, or another."""
    _employment(actor)
    note = (note or "").strip()
    problems = _follow_problems(kind, on, note, FollowKind.values)
    if kind == FollowKind.NOTE and len(note) < 2:
        problems.append(FieldError("note", Msg("请写明做了什么", "Say what was done")))
    if on is not None and on < case.found_on:
        problems.append(FieldError("on", Msg("日期不能早于发现日期", "The date cannot be before the case was found")))
    if problems:
        raise validation_failed(problems)
    assert on is not None
    with transaction.atomic():
        locked = _locked_case(actor, case)
        ZeroEmploymentStep.objects.create(
            case=locked, kind=kind, on=on, note=note, actor_name=actor.shown_name, at=timezone.now()
        )
        if locked.last_follow_up_on is None or on > locked.last_follow_up_on:
            locked.last_follow_up_on = on
            locked.save(update_fields=["last_follow_up_on"])
        _audit(actor, "zero_follow", "zero_employment", locked.public_id, locked.path, kind=kind)
    return locked


def zero_close(
    *, actor: Actor, case: ZeroEmploymentCase, how: str, reason: str, on: date | None = None
) -> ZeroEmploymentCase:
    """Close a case (销号) with how (a post, a job found, the household changed) and why."""
    _employment(actor)
    reason = (reason or "").strip()
    on = on or timezone.localdate()
    problems: list[FieldError] = []
    if how not in CloseHow.values:
        problems.append(FieldError("how", Msg("请选择销号方式", "Choose how the household was resolved")))
    if len(reason) < 4:
        problems.append(
            FieldError("reason", Msg("请写明销号理由（如谁在何处就业）", "Give the reason (who works where)"))
        )
    elif len(reason) > 500:
        problems.append(FieldError("reason", Msg("不能超过 500 字", "At most 500 characters")))
    _no_personal_numbers(problems, "reason", reason)
    if on > timezone.localdate() or on < case.found_on:
        problems.append(FieldError("on", Msg("销号日期不对", "The date is outside the case")))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = _locked_case(actor, case)
        _close(actor, locked, how, reason, on)
    return locked


def _close(actor: Actor, case: ZeroEmploymentCase, how: str, reason: str, on: date) -> None:
    case.state = CaseState.CLOSED
    case.closed_on = on
    case.closed_how = how
    case.close_reason = reason[:500]
    case.save(update_fields=["state", "closed_on", "closed_how", "close_reason"])
    ZeroEmploymentStep.objects.create(
        case=case, kind="closed", on=on, note=reason[:500], actor_name=actor.shown_name, at=timezone.now()
    )
    _audit(actor, "zero_close", "zero_employment", case.public_id, case.path, reason, how=how)


# ================================================================ public-welfare posts


@dataclass
class PostInput:
    title: str
    employer: str
    kind: str
    capacity: object
    monthly_pay: object
    starts_on: date | None
    ends_on: date | None
    community: str = ""


def post_create(*, actor: Actor, data: PostInput) -> WelfarePost:
    _employment(actor)
    problems: list[FieldError] = []
    title, employer = data.title.strip(), data.employer.strip()
    if not title or len(title) > 60:
        problems.append(FieldError("title", Msg("请填写岗位名称（最多 60 字）", "Give the post's name")))
    if not employer or len(employer) > 80:
        problems.append(FieldError("employer", Msg("请填写用工单位（最多 80 字）", "Give the employing unit")))
    if data.kind not in PostKind.values:
        problems.append(FieldError("kind", Msg("请选择岗位类别", "Choose the kind of post")))
    try:
        capacity = int(str(data.capacity))
    except ValueError:
        capacity = 0
    if not 1 <= capacity <= 500:
        problems.append(FieldError("capacity", Msg("名额应为 1 至 500 的整数", "Places: a whole number 1–500")))
    pay = money(data.monthly_pay)
    if pay is None or pay <= 0:
        problems.append(FieldError("monthly_pay", Msg("请填写月工资（元）", "Give the monthly pay (yuan)")))
    if data.starts_on is None or data.ends_on is None:
        problems.append(FieldError("ends_on", Msg("请填写起止日期", "Give the period")))
    elif data.ends_on < data.starts_on:
        problems.append(FieldError("ends_on", Msg("结束日期不能早于开始日期", "The end is before the start")))
    path = data.community or (actor.scope_paths[0] if len(actor.scope_paths) == 1 else "")
    community = _community(actor, path)
    if community is None:
        problems.append(FieldError("community", Msg("请选择您辖区内的社区", "Choose a community of your area")))
    if problems:
        raise validation_failed(problems)
    assert pay is not None and community is not None
    assert data.starts_on is not None and data.ends_on is not None
    with transaction.atomic():
        post = WelfarePost.objects.create(
            title=title,
            employer=employer,
            path=community,
            kind=data.kind,
            capacity=capacity,
            monthly_pay=pay,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            created_by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        _audit(actor, "post_create", "welfare_post", post.public_id, post.path, capacity=capacity, pay=yuan(pay))
    return post


def placement_start(
    *,
    actor: Actor,
    post: WelfarePost,
    person: str,
    from_on: date | None,
    to_on: date | None,
    case: ZeroEmploymentCase | None = None,
) -> PostPlacement:
    """Place a resident of the actor's area in a post with a free place. With a zero-employment
    case, the person must be of that household, and the case closes as "placed in a post"."""
    _employment(actor)
    problems: list[FieldError] = []
    found = welfare_person(actor=actor, public_id=person) if person else None
    if found is None:
        problems.append(FieldError("person", Msg("请选择辖区内的居民", "Choose a resident of your area")))
    elif case is not None and found.household_ref != str(case.household_ref):
        problems.append(FieldError("person", Msg("此人不是该户成员", "This person is not of the household")))
    if from_on is None or to_on is None:
        problems.append(FieldError("to_on", Msg("请填写安置起止日期", "Give the placement's period")))
    elif to_on < from_on:
        problems.append(FieldError("to_on", Msg("结束日期不能早于开始日期", "The end is before the start")))
    elif from_on < post.starts_on or to_on > post.ends_on:
        problems.append(
            FieldError(
                "to_on",
                Msg(
                    f"安置期应在岗位期限 {post.starts_on} 至 {post.ends_on} 之内",
                    f"The placement must lie within the post's period {post.starts_on} – {post.ends_on}",
                ),
            )
        )
    if problems:
        raise validation_failed(problems)
    assert found is not None and from_on is not None and to_on is not None
    now = timezone.now()
    with transaction.atomic():
        locked = actor.scoped(WelfarePost.objects.select_for_update()).filter(pk=post.pk).first()
        if locked is None:
            raise not_found("公益性岗位", "Public-welfare post")
        if locked.filled >= locked.capacity:
            raise conflict(
                Msg(
                    f"岗位「{locked.title}」已满（{locked.capacity} 人）",
                    f"'{locked.title}' is full ({locked.capacity})",
                )
            )
        locked_case = _locked_case(actor, case) if case is not None else None
        try:
            with transaction.atomic():
                placement = PostPlacement.objects.create(
                    post=locked,
                    case=locked_case,
                    person_ref=found.public_id,
                    person_name=found.name,
                    household_ref=uuid_or_none(found.household_ref) if found.household_ref else None,
                    path=found.path,
                    from_on=from_on,
                    to_on=to_on,
                    created_by_name=actor.shown_name,
                    created_at=now,
                )
        except IntegrityError:
            raise conflict(Msg(f"{found.name} 已在公益性岗位上", f"{found.name} already holds a post")) from None
        WelfarePost.objects.filter(pk=locked.pk).update(filled=F("filled") + 1)
        _audit(actor, "placement_start", "post_placement", placement.public_id, placement.path, post=locked.public_id)
        if locked_case is not None:
            placed_on = max(locked_case.found_on, min(from_on, timezone.localdate()))
            ZeroEmploymentStep.objects.create(
                case=locked_case,
                kind=FollowKind.PLACEMENT,
                on=placed_on,
                note=f"{found.name} → {locked.title}",
                actor_name=actor.shown_name,
                at=now,
            )
            locked_case.last_follow_up_on = max(locked_case.last_follow_up_on or placed_on, placed_on)
            locked_case.save(update_fields=["last_follow_up_on"])
            _close(
                actor,
                locked_case,
                CloseHow.POST,
                f"{found.name} 安置到公益性岗位「{locked.title}」（{locked.employer}）",
                placed_on,
            )
    return placement


def placement_end(*, actor: Actor, placement: PostPlacement, on: date | None, reason: str) -> PostPlacement:
    """End a placement on a date with a reason; the place is free again."""
    _employment(actor)
    reason = (reason or "").strip()
    problems: list[FieldError] = []
    if len(reason) < 2 or len(reason) > 300:
        problems.append(FieldError("reason", Msg("请写明离岗原因", "Give the reason for leaving")))
    if on is None or on < placement.from_on:
        problems.append(FieldError("on", Msg("离岗日期不能早于上岗日期", "The date is before the placement began")))
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = actor.scoped(PostPlacement.objects.select_for_update()).filter(pk=placement.pk).first()
        if locked is None:
            raise not_found("安置", "Placement")
        if locked.ended_on is not None:
            raise conflict(Msg("此安置已结束", "This placement has already ended"))
        locked.ended_on = on
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason"])
        WelfarePost.objects.filter(pk=locked.post_id).update(filled=F("filled") - 1)
        _audit(actor, "placement_end", "post_placement", locked.public_id, locked.path, reason)
    return locked


# ================================================================ job and training needs


def _need_problems(kind: str, wish: str) -> list[FieldError]:
    problems: list[FieldError] = []
    if kind not in NeedKind.values:
        problems.append(FieldError("kind", Msg("请选择找工作或参加培训", "Choose a job or training")))
    if len(wish) < 2 or len(wish) > 300:
        problems.append(
            FieldError("wish", Msg("请写明想找什么工作或培训（最多 300 字）", "Say what you are looking for"))
        )
    _no_personal_numbers(problems, "wish", wish)
    return problems


def _need_create(actor: Actor, person: WelfarePerson, kind: str, wish: str, *, by_resident: bool) -> JobNeed:
    with transaction.atomic():
        need = JobNeed.objects.create(
            kind=kind,
            person_ref=person.public_id,
            person_name=person.name,
            path=person.path,
            wish=wish,
            by_resident=by_resident,
            created_by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        _audit(actor, "job_need_record", "job_need", need.public_id, need.path, kind=kind)
    return need


def job_need_record(*, actor: Actor, person: str, kind: str, wish: str) -> JobNeed:
    """Staff record a resident's wish for a job or training."""
    _employment(actor)
    wish = (wish or "").strip()
    problems = _need_problems(kind, wish)
    found = welfare_person(actor=actor, public_id=person) if person else None
    if found is None:
        problems.append(FieldError("person", Msg("请选择辖区内的居民", "Choose a resident of your area")))
    if problems:
        raise validation_failed(problems)
    assert found is not None
    return _need_create(actor, found, kind, wish, by_resident=False)


def job_need_mine(*, actor: Actor, kind: str, wish: str) -> JobNeed:
    """A logged-in resident says they want a job or training (我想找工作/参加培训)."""
    person = welfare_person_for_user(actor.user_id)
    if person is None:
        raise conflict(
            Msg(
                "您的账号还没有关联居民信息，请到社区登记",
                "Your account is not linked to a resident record yet; ask your community",
            )
        )
    wish = (wish or "").strip()
    problems = _need_problems(kind, wish)
    if problems:
        raise validation_failed(problems)
    if JobNeed.objects.filter(person_ref=person.public_id, kind=kind, state=NeedState.OPEN).exists():
        raise conflict(
            Msg("您已登记过同类需求，社区会联系您", "You already asked for this; the community will call you")
        )
    return _need_create(actor, person, kind, wish, by_resident=True)


def job_need_close(*, actor: Actor, need: JobNeed, state: str, outcome: str) -> JobNeed:
    _employment(actor)
    outcome = (outcome or "").strip()
    problems: list[FieldError] = []
    if state not in (NeedState.MET, NeedState.CLOSED):
        problems.append(FieldError("state", Msg("请选择结果", "Choose the outcome")))
    if len(outcome) < 2 or len(outcome) > 300:
        problems.append(FieldError("outcome", Msg("请写明结果", "Describe the outcome")))
    _no_personal_numbers(problems, "outcome", outcome)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        locked = actor.scoped(JobNeed.objects.select_for_update()).filter(pk=need.pk).first()
        if locked is None:
            raise not_found("需求", "Need")
        if locked.state != NeedState.OPEN:
            raise conflict(Msg("此需求已办结", "This need is already closed"))
        locked.state = state
        locked.outcome = outcome
        locked.save(update_fields=["state", "outcome"])
        _audit(actor, "job_need_close", "job_need", locked.public_id, locked.path, outcome, to=state)
    return locked
