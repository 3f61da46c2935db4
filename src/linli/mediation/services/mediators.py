"""Writes of the mediator pool and the dispute kinds (MEDIATION_MANAGE in the unit's scope): a
mediator added (with the account they sign in with: an existing staff account gets a MEDIATOR
posting at the unit, or a new account is made and its temporary password shown once), edited,
ended (their open disputes handed to a successor who may take them, their posting ended), a
training recorded (append-only), the phone read with a reason; the dispute kinds kept as data
(added, edited, deactivated, never deleted) by a district or city holder."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from linli.accounts.domain import MEDIATION_MANAGE, RESIDENT_ROLES, Role
from linli.accounts.selectors import active_postings, actor_for_user, user_by_username
from linli.accounts.services import posting_add, posting_end, user_create
from linli.areas.selectors import org_unit_by_path, units_under
from linli.core.actor import Actor
from linli.core.crypto import mask_phone, seal, unseal
from linli.core.errors import FieldError, Msg, field_error, not_found, validation_failed
from linli.core.notify import notify
from linli.mediation.domain.disputes import DisputeLevel, DisputeState
from linli.mediation.domain.mediators import (
    DISTRICT_LEN,
    KIND_CODE_MAX,
    PHONE_CONTEXT,
    TRAINING_HOURS_MAX,
    kind_level_problem,
)
from linli.mediation.models import Dispute, DisputeKind, Mediator, MediatorTraining
from linli.mediation.selectors.mediators import mediator_may_take
from linli.mediation.services.common import audit, step_add

HELD_STATES = (DisputeState.ACCEPTED, DisputeState.MEDIATING)  # a mediator's open disputes
PHONE_PATTERN = re.compile(r"^[0-9+\- ]{5,20}$")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,23}$")


@dataclass
class MediatorInput:
    """What the add and edit forms carry. `username`: the account they sign in with (optional);
    `new_account`: make that account (else it must exist)."""

    kind: str = ""
    name: str = ""
    path: str = ""
    phone: str = ""
    qualifications: str = ""
    specialty: str = ""
    kinds: list[str] = field(default_factory=list)
    since: date | None = None
    username: str = ""
    new_account: bool = False


@dataclass(frozen=True)
class MediatorAdded:
    mediator: Mediator
    password: str  # the new account's temporary password, shown once ("" when none was made)


# ---------------------------------------------------------------- checks


def _may_manage(actor: Actor, path: str) -> bool:
    return actor.has_perm(MEDIATION_MANAGE) and actor.sees_path(path)


def _managed(actor: Actor, mediator: Mediator, *, lock: bool = False) -> Mediator:
    """The mediator's row (locked if asked), if the actor keeps that unit's pool; else 404."""
    rows = Mediator.objects.select_for_update() if lock else Mediator.objects.all()
    found = rows.filter(pk=mediator.pk).first()
    if found is None or not _may_manage(actor, found.path):
        raise not_found("调解员", "Mediator")
    return found


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise validation_failed([field_error("reason", "请填写原因", "Give the reason")])
    return reason[:200]


def _kinds_problem(codes: list[str]) -> FieldError | None:
    if not codes:
        return None
    known = set(DisputeKind.objects.filter(active=True, code__in=codes).values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if unknown:
        return field_error(
            "kinds", f"没有这些纠纷类型：{'、'.join(unknown)}", f"No such dispute kinds: {', '.join(unknown)}"
        )
    return None


def _details_problems(data: MediatorInput) -> list[FieldError]:
    problems = []
    if not data.name.strip():
        problems.append(field_error("name", "请填写调解员姓名", "Give the mediator's name"))
    if data.phone.strip() and not PHONE_PATTERN.match(data.phone.strip()):
        problems.append(field_error("phone", "电话号码格式不对", "The phone number is not valid"))
    if (problem := _kinds_problem(list(data.kinds))) is not None:
        problems.append(problem)
    return problems


def _unit_problems(actor: Actor, data: MediatorInput, known: set[str] | None = None) -> list[FieldError]:
    """The unit exists (in `known` when given: a bulk load reads the tree once) and lies in the
    actor's area; the mediator's kind may serve its level."""
    if known is not None:
        exists = data.path in known
    else:
        exists = data.path.isdigit() and org_unit_by_path(data.path) is not None
    if not exists or not actor.sees_path(data.path):
        return [field_error("path", "请选择您辖区内的单位", "Choose a unit of your area")]
    problem = kind_level_problem(data.kind, data.path)
    return [FieldError("kind", problem)] if problem else []


# ---------------------------------------------------------------- the account


def _account_for(actor: Actor, data: MediatorInput):
    """The account the mediator signs in with and its new password: None without a username; an
    existing staff account (not a resident's); or a new one when asked."""
    username = data.username.strip()
    if not username:
        return None, ""
    user = user_by_username(username)
    if data.new_account:
        if user is not None:
            raise validation_failed([field_error("username", "用户名已被使用", "Username is taken")])
        password = secrets.token_urlsafe(9)
        user = user_create(username=username, password=password, display_name=data.name.strip())
        user.password_change_required = True  # the manager has seen it: replaced at the first log-in
        user.save(update_fields=["password_change_required"])
        return user, password
    if user is None:
        raise validation_failed([field_error("username", f"账号「{username}」不存在", "No such account")])
    roles = actor_for_user(user).roles
    if roles & RESIDENT_ROLES:
        raise validation_failed(
            [
                field_error(
                    "username", "这是居民账号，请用工作人员账号", "That is a resident's account; use a staff account"
                )
            ]
        )
    if Mediator.objects.filter(user=user, until__isnull=True).exists():
        raise validation_failed(
            [field_error("username", "该账号已是调解员库中的调解员", "That account is already a mediator of the pool")]
        )
    return user, ""


def _posting_ensure(actor: Actor, user, path: str) -> None:
    """A MEDIATOR posting at the unit, unless the account holds one there already (the demo's
    mediator account, a mediator re-added)."""
    if active_postings(user.pk).filter(role=Role.MEDIATOR, scope_path=path).exists():
        return
    unit = org_unit_by_path(path)
    posting_add(actor=actor, user=user, role=Role.MEDIATOR, place=unit)


# ---------------------------------------------------------------- the pool


@transaction.atomic
def mediator_add(*, actor: Actor, data: MediatorInput) -> MediatorAdded:
    if not actor.has_perm(MEDIATION_MANAGE):
        raise not_found("调解员库", "Mediator pool")
    problems = _unit_problems(actor, data) + _details_problems(data)
    if problems:
        raise validation_failed(problems)
    user, password = _account_for(actor, data)
    phone = data.phone.strip()
    mediator = Mediator.objects.create(
        path=data.path,
        kind=data.kind,
        name=data.name.strip()[:50],
        user=user,
        phone_sealed=seal(phone, context=PHONE_CONTEXT),
        phone_masked=mask_phone(phone) if phone else "",
        qualifications=data.qualifications.strip()[:200],
        specialty=data.specialty.strip()[:100],
        kinds=sorted(set(data.kinds)),
        since=data.since or timezone.localdate(),
        created_at=timezone.now(),
    )
    if user is not None:
        _posting_ensure(actor, user, data.path)
    audit(actor, "mediator_add", "mediator", mediator.public_id, mediator.path, kind=mediator.kind)
    return MediatorAdded(mediator, password)


@transaction.atomic
def mediator_add_many(*, actor: Actor, rows: list[MediatorInput]) -> int:
    """Load many mediators without accounts at once (a city's first pool from its roster, the
    demo): every row checked as `mediator_add` checks it, all or nothing, one audit line."""
    if not actor.has_perm(MEDIATION_MANAGE):
        raise not_found("调解员库", "Mediator pool")
    now, today = timezone.now(), timezone.localdate()
    levels = ("city", "district", "street", "community", "village")
    known = {p for root in actor.scope_paths for p, _, _ in units_under(under=root, kinds=levels)}
    mediators = []
    for number, data in enumerate(rows, start=1):
        problems = _unit_problems(actor, data, known) + _details_problems(data)
        if data.username.strip():
            problems.append(field_error("username", "批量登记不建账号", "Bulk loading makes no accounts"))
        if problems:
            first = problems[0]
            raise validation_failed(
                [field_error(first.field, f"第 {number} 行：{first.message.zh}", f"Row {number}: {first.message.en}")]
            )
        phone = data.phone.strip()
        mediators.append(
            Mediator(
                path=data.path,
                kind=data.kind,
                name=data.name.strip()[:50],
                phone_sealed=seal(phone, context=PHONE_CONTEXT),
                phone_masked=mask_phone(phone) if phone else "",
                qualifications=data.qualifications.strip()[:200],
                specialty=data.specialty.strip()[:100],
                kinds=sorted(set(data.kinds)),
                since=data.since or today,
                created_at=now,
            )
        )
    Mediator.objects.bulk_create(mediators, batch_size=500)
    root = min(actor.scope_paths, key=len) if actor.scope_paths else ""
    audit(actor, "mediator_import", "mediator", "", root, count=len(mediators))
    return len(mediators)


@transaction.atomic
def mediator_edit(*, actor: Actor, mediator: Mediator, data: MediatorInput) -> Mediator:
    """Name, phone (kept when left empty), qualifications, specialty and kinds; the unit and the
    kind stay (a mediator who moves is ended and added at the new unit)."""
    mediator = _managed(actor, mediator, lock=True)
    if mediator.until is not None:
        raise validation_failed([field_error("mediator", "该调解员已离任", "This mediator has left the pool")])
    problems = _details_problems(data)
    if problems:
        raise validation_failed(problems)
    mediator.name = data.name.strip()[:50]
    mediator.qualifications = data.qualifications.strip()[:200]
    mediator.specialty = data.specialty.strip()[:100]
    mediator.kinds = sorted(set(data.kinds))
    fields = ["name", "qualifications", "specialty", "kinds"]
    if data.phone.strip():
        mediator.phone_sealed = seal(data.phone.strip(), context=PHONE_CONTEXT)
        mediator.phone_masked = mask_phone(data.phone.strip())
        fields += ["phone_sealed", "phone_masked"]
    mediator.save(update_fields=fields)
    audit(actor, "mediator_edit", "mediator", mediator.public_id, mediator.path, fields=fields)
    return mediator


def _disputes_hand_over(actor: Actor, mediator: Mediator, successor_id) -> int:
    held = list(
        Dispute.objects.select_for_update()
        .filter(mediator=mediator, state__in=HELD_STATES)
        .select_related("kind")
        .order_by("pk")
    )
    if not held:
        return 0
    if successor_id in (None, ""):
        raise validation_failed(
            [
                field_error(
                    "successor",
                    f"{mediator.name}还有 {len(held)} 件调解中的纠纷：请选择接手的调解员",
                    f"{mediator.name} still holds {len(held)} open disputes: choose the mediator who takes them over",
                )
            ]
        )
    successor = (
        Mediator.objects.filter(public_id=successor_id, until__isnull=True).first() if _uuid(successor_id) else None
    )
    if successor is None or successor.pk == mediator.pk:
        raise validation_failed(
            [field_error("successor", "请选择另一位在任的调解员", "Choose another active mediator")]
        )
    refused = [d.number for d in held if not mediator_may_take(successor, d)]
    if refused:
        raise validation_failed(
            [
                field_error(
                    "successor",
                    f"{successor.name}不能接手其中 {len(refused)} 件（辖区、纠纷类型或回避不符）",
                    f"{successor.name} may not take {len(refused)} of them (area, dispute kind or recusal)",
                )
            ]
        )
    for dispute in held:
        dispute.mediator = successor
        dispute.updated_at = timezone.now()
        dispute.save(update_fields=["mediator", "updated_at"])
        step_add(dispute, actor, "handover", dispute.state, note=f"{mediator.name} → {successor.name}")
    notify(
        user_ids=[successor.user_id],
        kind="mediation.dispute",
        text=Msg(
            f"您接手了{mediator.name}的 {len(held)} 件纠纷", f"You took over {len(held)} disputes from {mediator.name}"
        ),
        link="/staff/mediation/",
    )
    return len(held)


def _uuid(value) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{32,36}", str(value)))


def _lock_with_successor(mediator: Mediator, successor_id) -> None:
    """Lock the leaving mediator and the successor together, in id order: two mediators ending
    at once, each naming the other, must not both hand their disputes to someone who left (and
    must not deadlock)."""
    ids = [mediator.pk]
    if successor_id and _uuid(successor_id):
        ids += list(Mediator.objects.filter(public_id=successor_id).values_list("pk", flat=True))
    list(Mediator.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def mediator_end(*, actor: Actor, mediator: Mediator, reason: str, successor_id=None) -> int:
    """The mediator leaves the pool (with the reason): their open disputes (accepted, in
    mediation) go to `successor_id` (a mediator's public id) who may take every one of them;
    without one, ending is refused while such disputes exist, naming how many. Their MEDIATOR
    posting at the unit ends. Returns how many disputes moved."""
    _lock_with_successor(mediator, successor_id)
    mediator = _managed(actor, mediator, lock=True)
    if mediator.until is not None:
        raise validation_failed([field_error("mediator", "该调解员已离任", "This mediator has left the pool")])
    reason = _reason_required(reason)
    moved = _disputes_hand_over(actor, mediator, successor_id)
    mediator.until, mediator.end_reason = timezone.localdate(), reason
    mediator.save(update_fields=["until", "end_reason"])
    if mediator.user is not None:
        unit = org_unit_by_path(mediator.path)
        if unit is not None:
            posting_end(actor=actor, user=mediator.user, role=Role.MEDIATOR, place=unit)
    audit(actor, "mediator_end", "mediator", mediator.public_id, mediator.path, reason=reason, moved=moved)
    return moved


@transaction.atomic
def training_record(*, actor: Actor, mediator: Mediator, on: date | None, hours, topic: str) -> MediatorTraining:
    """A training the mediator took (append-only: a wrong line is corrected by a new one)."""
    mediator = _managed(actor, mediator)
    problems = []
    if on is None or on > timezone.localdate():
        problems.append(
            field_error("on", "请填写培训日期（不晚于今天）", "Give the training's date (today or earlier)")
        )
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not Decimal(0) < amount <= TRAINING_HOURS_MAX:
        problems.append(
            field_error(
                "hours",
                f"学时应大于 0、不超过 {TRAINING_HOURS_MAX}",
                f"Hours: more than 0, {TRAINING_HOURS_MAX} at most",
            )
        )
    if not (topic or "").strip():
        problems.append(field_error("topic", "请填写培训内容", "Give the training's topic"))
    if problems or on is None:
        raise validation_failed(problems)
    training = MediatorTraining.objects.create(
        mediator=mediator,
        on=on,
        hours=amount,
        topic=topic.strip()[:100],
        recorded_by_name=actor.shown_name,
        created_at=timezone.now(),
    )
    audit(actor, "mediator_training", "mediator", mediator.public_id, mediator.path, hours=str(amount))
    return training


@transaction.atomic
def mediator_phone_reveal(*, actor: Actor, mediator: Mediator, reason: str) -> str:
    """The mediator's phone in full, for a pool keeper who gives the reason (audited)."""
    mediator = _managed(actor, mediator)
    reason = _reason_required(reason)
    audit(actor, "mediator_reveal", "mediator", mediator.public_id, mediator.path, reason=reason)
    return unseal(mediator.phone_sealed, context=PHONE_CONTEXT)


# ---------------------------------------------------------------- dispute kinds


def kinds_may_keep(actor: Actor) -> bool:
    """The kinds are the city's code table: kept by MEDIATION_MANAGE holders posted at a district
    or the city (a street's judicial office uses them)."""
    return actor.has_perm(MEDIATION_MANAGE) and any(len(p) <= DISTRICT_LEN for p in actor.scope_paths)


def _kind_keeper(actor: Actor) -> None:
    if not kinds_may_keep(actor):
        raise not_found("纠纷类型", "Dispute kind")


def _kind_problems(name_zh: str, name_en: str, level: str) -> list[FieldError]:
    problems = []
    if not name_zh.strip():
        problems.append(field_error("name_zh", "请填写中文名称", "Give the Chinese name"))
    if not name_en.strip():
        problems.append(field_error("name_en", "请填写英文名称", "Give the English name"))
    if level not in DisputeLevel.values:
        problems.append(field_error("level", "请选择默认调解层级", "Choose the default level"))
    return problems


@transaction.atomic
def kind_add(*, actor: Actor, code: str, name_zh: str, name_en: str, level: str) -> DisputeKind:
    _kind_keeper(actor)
    code = (code or "").strip().lower()
    problems = _kind_problems(name_zh, name_en, level)
    if not CODE_PATTERN.match(code) or len(code) > KIND_CODE_MAX:
        problems.append(
            field_error(
                "code",
                "代码由小写字母、数字和下划线组成，以字母开头，2–24 位",
                "A code is 2–24 lower-case letters, digits or underscores, starting with a letter",
            )
        )
    elif DisputeKind.objects.filter(code=code).exists():
        problems.append(field_error("code", "该代码已存在（停用的类型可重新启用）", "That code exists (reactivate it)"))
    if problems:
        raise validation_failed(problems)
    last = DisputeKind.objects.order_by("-order").values_list("order", flat=True).first() or 0
    kind = DisputeKind.objects.create(
        code=code, name_zh=name_zh.strip()[:40], name_en=name_en.strip()[:80], level=level, order=last + 1
    )
    audit(actor, "kind_add", "dispute_kind", kind.code, _city_or_district(actor))
    return kind


@transaction.atomic
def kind_edit(*, actor: Actor, kind: DisputeKind, name_zh: str, name_en: str, level: str) -> DisputeKind:
    """The names and the default level; the code stays (disputes and mediators refer to it)."""
    _kind_keeper(actor)
    problems = _kind_problems(name_zh, name_en, level)
    if problems:
        raise validation_failed(problems)
    kind = DisputeKind.objects.select_for_update().get(pk=kind.pk)
    kind.name_zh, kind.name_en, kind.level = name_zh.strip()[:40], name_en.strip()[:80], level
    kind.save(update_fields=["name_zh", "name_en", "level"])
    audit(actor, "kind_edit", "dispute_kind", kind.code, _city_or_district(actor))
    return kind


@transaction.atomic
def kind_active_set(*, actor: Actor, kind: DisputeKind, active: bool, reason: str = "") -> DisputeKind:
    """Deactivate (with the reason; new disputes can no longer choose it, the old keep it) or
    reactivate a kind. Never deleted."""
    _kind_keeper(actor)
    reason = _reason_required(reason) if not active else (reason or "").strip()[:200]
    kind = DisputeKind.objects.select_for_update().get(pk=kind.pk)
    if kind.active != active:
        kind.active = active
        kind.save(update_fields=["active"])
        action = "kind_activate" if active else "kind_deactivate"
        audit(actor, action, "dispute_kind", kind.code, _city_or_district(actor), reason=reason)
    return kind


def _city_or_district(actor: Actor) -> str:
    paths = sorted((p for p in actor.scope_paths if len(p) <= DISTRICT_LEN), key=len)
    return paths[0] if paths else ""
