"""Care services, stage modifications: writes (one transaction, checks, audit).

Each step re-reads the application under a row lock and checks its state against the transition
table; input is checked whole first, every problem named by its field. One open application per
household is a partial unique index (two applications at once: one wins, the other is told).
Photos are sealed before they are stored. Prices and the cap are copied into the plan on the day
of the assessment, so a later price change does not move a quote already made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.domain import CARE_LIST_EDIT, CARE_MANAGE, CARE_ORDER, CARE_PAY
from linli.care.domain.modifications import (
    ASSESS_WORKING_DAYS,
    CANDIDATE_MIN_AGE,
    OPEN_STATES,
    PAY_WORKING_DAYS,
    PHOTOS_PER_UPLOAD,
    SATISFACTION,
    TRANSITIONS,
    ModChannel,
    ModState,
    PhotoStage,
    QuoteLine,
    money,
    parse_quantity,
    photo_problem,
    photo_type,
    quote,
)
from linli.care.domain.photos import PhotoUpload
from linli.care.models import (
    ModificationApplication,
    ModificationItem,
    ModificationLine,
    ModificationPhoto,
    ModificationStep,
    ModificationTarget,
    Provider,
)
from linli.care.selectors.modifications import current_cap, current_items, my_refs
from linli.core.actor import Actor
from linli.core.crypto import seal_bytes, unseal_bytes
from linli.core.errors import FieldError, Msg, conflict, field_error, not_found, permission_denied, validation_failed
from linli.core.ids import uuid_or_none
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.residents.selectors import CarePerson, care_person
from linli.workdays.selectors import work_calendar

NOTE_MAX = 500


@dataclass
class LineInput:
    code: str
    quantity: object  # as typed
    note: str = ""


@dataclass
class AcceptInput:
    finished_on: date | None
    satisfaction: object
    photos: dict[int, list[PhotoUpload]] = field(default_factory=dict)  # line id → after photos
    reasons: dict[int, str] = field(default_factory=dict)  # line id → why there is no after photo
    note: str = ""


def _audit(actor: Actor, action: str, app: ModificationApplication, reason: str = "", **details) -> None:
    audit_record(
        actor=actor,
        action=f"care.mod_{action}",
        object_type="modification",
        object_id=app.public_id,
        org_path=app.path,
        reason=reason[:200],
        details={k: str(v) for k, v in details.items()},
    )


def _step(app: ModificationApplication, actor: Actor, action: str, from_state: str, now: datetime, note: str = ""):
    ModificationStep.objects.create(
        application=app,
        action=action,
        from_state=from_state,
        to_state=app.state,
        note=note.strip()[:NOTE_MAX],
        actor_id=actor.user_id,
        actor_name=actor.shown_name,
        at=now,
    )


def _number(path: str, today: date) -> str:
    prefix = f"SL{path[:6]}{today:%Y%m%d}"
    last = (
        ModificationApplication.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:04d}"


def _family(app: ModificationApplication) -> list[int | None]:
    """Who confirms the plan: the account that applied (a family member) when it was a resident."""
    return [app.applied_by_id] if app.channel == ModChannel.RESIDENT else []


# ================================================================ application


def _person_for(actor: Actor, person_ref: str) -> tuple[CarePerson | None, str]:
    """The elder and the channel: a worker records for anyone of their scope, a resident applies
    for the people they care for. None when the actor may not apply for this person."""
    if actor.has_perm(CARE_MANAGE):
        person = care_person(actor=actor, public_id=person_ref) if uuid_or_none(person_ref) else None
        return person, ModChannel.WORKER
    if actor.has_perm(CARE_ORDER):
        return my_refs(actor.user_id).get(str(uuid_or_none(person_ref) or "")), ModChannel.RESIDENT
    return None, ""


def application_apply(
    *, actor: Actor, person_ref: str, note: str = "", from_candidates: bool = False
) -> ModificationApplication:
    """An application for an elder's home: by the family on the phone, by a community worker, or
    started from the candidates list. The community assesses within ten working days."""
    if not (actor.has_perm(CARE_MANAGE) or actor.has_perm(CARE_ORDER)):
        raise permission_denied()
    person, channel = _person_for(actor, person_ref)
    if person is None:
        raise validation_failed([field_error("person", "请选择要改造住房的老人", "Choose the elder whose home it is")])
    today = timezone.localdate()
    note = (note or "").strip()
    problems: list[FieldError] = []
    if person.age_on(today) < CANDIDATE_MIN_AGE:
        problems.append(
            field_error(
                "person",
                f"适老化改造面向 {CANDIDATE_MIN_AGE} 岁以上老人",
                f"For people aged {CANDIDATE_MIN_AGE} or more",
            )
        )
    if not person.household_ref:
        problems.append(field_error("person", "这位老人没有登记住户，请先在人口库登记", "No household is registered"))
    if len(note) > NOTE_MAX:
        problems.append(field_error("note", "不能超过 500 字", "At most 500 characters"))
    if problems:
        raise validation_failed(problems)
    if from_candidates and channel == ModChannel.WORKER:
        channel = ModChannel.CANDIDATE
    now = timezone.now()
    due = work_calendar().add_working_days(today, ASSESS_WORKING_DAYS)
    for attempt in range(6):  # a number taken meanwhile: the next one
        try:
            with transaction.atomic():
                app = ModificationApplication.objects.create(
                    number=_number(person.path, today),
                    channel=channel,
                    state=ModState.APPLIED,
                    person_ref=person.public_id,
                    person_name=person.name,
                    household_ref=person.household_ref,
                    path=person.path,
                    address=person.address[:200],
                    assess_due=due,
                    applied_by_id=actor.user_id,
                    applied_by_name=actor.shown_name,
                    created_at=now,
                    updated_at=now,
                )
                _step(app, actor, "apply", "", now, note)
                _audit(actor, "apply", app, channel=channel)
                return app
        except IntegrityError:
            if _household_open(person.household_ref):
                raise conflict(
                    Msg("这户已有一份正在办理的改造申请", "This household already has an open modification")
                ) from None
            if attempt == 5:
                raise conflict(Msg("编号冲突，请重试", "Two applications took the same number; try again")) from None
    raise AssertionError("unreachable")


def _household_open(household_ref: str) -> bool:
    return ModificationApplication.objects.filter(household_ref=household_ref, state__in=OPEN_STATES).exists()


# ================================================================ steps under a lock


def _locked(actor: Actor, app: ModificationApplication, action: str, *, scoped: bool = True):
    transition = TRANSITIONS[action]
    rows = ModificationApplication.objects.select_for_update()
    found = (actor.scoped(rows) if scoped else rows).filter(pk=app.pk).first()
    if found is None:
        raise not_found("改造申请", "Home modification")
    if found.state not in transition.sources:
        state = ModState(found.state).label
        raise conflict(
            Msg(
                f"申请当前为「{state}」，不能「{transition.label.zh}」",
                f"The application is '{state}'; '{transition.label.en}' is not possible now",
            )
        )
    return found


def _photo_problems(photos: list[PhotoUpload], name: str) -> list[FieldError]:
    problems = [FieldError(name, p) for p in (photo_problem(ph.filename, ph.data) for ph in photos) if p]
    if len(photos) > PHOTOS_PER_UPLOAD:
        problems.append(
            field_error(name, f"每次最多 {PHOTOS_PER_UPLOAD} 张照片", f"At most {PHOTOS_PER_UPLOAD} photos at a time")
        )
    return problems


def _photos_save(app, actor: Actor, stage: str, photos: list[PhotoUpload], now, line=None) -> int:
    """Sealed before they are stored (the inside of a home); the key's context names the row."""
    for photo in photos:
        row = ModificationPhoto(
            application=app,
            line=line,
            stage=stage,
            content_type=photo_type(photo.data) or "application/octet-stream",
            size=len(photo.data),
            uploaded_by_name=actor.shown_name,
            uploaded_at=now,
        )
        row.sealed = seal_bytes(photo.data, context=f"care.mod_photo:{row.public_id}")
        row.save()
    return len(photos)


def _lines_checked(
    lines: list[LineInput], on: date
) -> tuple[list[FieldError], list[tuple[ModificationItem, Decimal, str]]]:
    items = {i.code: i for i in current_items(on)}
    problems: list[FieldError] = []
    checked: list[tuple[ModificationItem, Decimal, str]] = []
    seen: set[str] = set()
    for line in lines:
        item = items.get(line.code)
        name = f"qty_{line.code}"
        if item is None:
            problems.append(field_error(name, "没有这个改造项目", "No such modification item"))
            continue
        if line.code in seen:
            continue
        seen.add(line.code)
        quantity = parse_quantity(line.quantity)
        if quantity is None:
            problems.append(
                field_error(
                    name,
                    f"「{item.name}」的数量应为 0.1 到 100 之间的数",
                    f"'{item.name_en}': a quantity from 0.1 to 100",
                )
            )
            continue
        if len(line.note or "") > 200:
            problems.append(field_error(f"note_{line.code}", "备注不能超过 200 字", "A note of at most 200 characters"))
            continue
        checked.append((item, quantity, (line.note or "").strip()))
    if not lines:
        problems.append(field_error("items", "请至少选择一个改造项目", "Choose at least one item"))
    return problems, checked


def application_assess(
    *, actor: Actor, application: ModificationApplication, lines: list[LineInput], photos: list[PhotoUpload], note=""
) -> ModificationApplication:
    """The home assessment: the checklist's items with quantities and notes, photos before the works.
    The plan and quote follow (prices and cap of today). Assessing again before the family confirms
    replaces the plan."""
    if not actor.has_perm(CARE_MANAGE):
        raise permission_denied()
    today = timezone.localdate()
    problems, checked = _lines_checked(lines, today)
    problems += _photo_problems(photos, "photos")
    if len(note or "") > NOTE_MAX:
        problems.append(field_error("note", "不能超过 500 字", "At most 500 characters"))
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        app = _locked(actor, application, "assess")
        has_before = app.photos.filter(stage=PhotoStage.BEFORE).exists()
        if not photos and not has_before:
            raise validation_failed(
                [field_error("photos", "请拍摄至少一张改造前的照片", "Add at least one photo before the works")]
            )
        cap = current_cap(today)
        app.lines.all().delete()
        made = [
            ModificationLine(
                application=app,
                item=item,
                quantity=quantity,
                unit_price=item.unit_price,
                basic=item.basic,
                amount=money(quantity * item.unit_price),
                note=line_note,
            )
            for item, quantity, line_note in checked
        ]
        ModificationLine.objects.bulk_create(made)
        result = quote([QuoteLine(i.code, q, i.unit_price, i.basic) for i, q, _ in checked], cap)
        from_state = app.state
        app.state, app.cap, app.total = ModState.ASSESSED, cap, result.total
        app.subsidy, app.own_share, app.updated_at = result.subsidy, result.own_share, now
        app.save(update_fields=["state", "cap", "total", "subsidy", "own_share", "updated_at"])
        _photos_save(app, actor, PhotoStage.BEFORE, photos, now)
        _step(app, actor, "assess", from_state, now, note or "")
        _audit(actor, "assess", app, total=result.total, subsidy=result.subsidy, items=len(made))
        notify(
            user_ids=_family(app),
            kind="care.modification",
            text=Msg(
                f"{app.person_name}家的适老化改造方案已出：合计 {result.total} 元，补贴 {result.subsidy} 元，"
                f"自付 {result.own_share} 元。请确认方案。",
                f"The modification plan for {app.person_name}'s home is ready: {result.total} yuan, "
                f"subsidy {result.subsidy}, own share {result.own_share}. Please confirm it.",
            ),
            link=f"/my/care/modifications/{app.public_id}/",
        )
    return app


def _may_act_as_family(actor: Actor, app: ModificationApplication) -> bool:
    return actor.has_perm(CARE_ORDER) and (
        app.applied_by_id == actor.user_id or str(app.person_ref) in my_refs(actor.user_id)
    )


def application_confirm(
    *, actor: Actor, application: ModificationApplication, note: str = ""
) -> ModificationApplication:
    """The family confirms the plan and quote (on the phone, or the worker records their yes)."""
    family = _may_act_as_family(actor, application)
    if not (family or actor.has_perm(CARE_MANAGE)):
        raise permission_denied()
    if len(note or "") > NOTE_MAX:
        raise validation_failed([field_error("note", "不能超过 500 字", "At most 500 characters")])
    now = timezone.now()
    with transaction.atomic():
        app = _locked(actor, application, "confirm", scoped=not family)
        from_state = app.state
        app.state, app.updated_at = ModState.CONFIRMED, now
        app.save(update_fields=["state", "updated_at"])
        recorded = "" if family else "（社区代为记录家属确认）"
        _step(app, actor, "confirm", from_state, now, (note or "") + recorded)
        _audit(actor, "confirm", app, by_family=family)
    return app


def _contractor(actor: Actor, provider_ref: str, name: str) -> tuple[Provider | None, str]:
    if provider_ref:
        public_id = uuid_or_none(provider_ref)
        provider = Provider.objects.filter(public_id=public_id, active=True).first() if public_id else None
        if provider is None:
            raise validation_failed([field_error("contractor", "没有这家服务商", "No such provider")])
        return provider, provider.name
    name = (name or "").strip()
    if not 2 <= len(name) <= 100:
        raise validation_failed(
            [
                field_error(
                    "contractor", "请选择服务商或填写施工单位名称", "Choose a provider or give the contractor's name"
                )
            ]
        )
    return None, name


def application_start(
    *,
    actor: Actor,
    application: ModificationApplication,
    provider_ref: str = "",
    contractor_name: str = "",
    start: date | None,
    finish: date | None,
) -> ModificationApplication:
    """The works begin: who does them (a provider of ours or a company named) and when."""
    if not actor.has_perm(CARE_MANAGE):
        raise permission_denied()
    problems: list[FieldError] = []
    if start is None:
        problems.append(field_error("start", "请填写开工日期", "Give the start date"))
    if finish is None:
        problems.append(field_error("finish", "请填写计划完工日期", "Give the planned finish date"))
    elif start and finish < start:
        problems.append(field_error("finish", "完工日期不能早于开工日期", "The finish is before the start"))
    if problems:
        raise validation_failed(problems)
    provider, name = _contractor(actor, provider_ref, contractor_name)
    now = timezone.now()
    with transaction.atomic():
        app = _locked(actor, application, "start")
        from_state = app.state
        app.state, app.contractor, app.contractor_name = ModState.IN_WORKS, provider, name
        app.works_start, app.works_finish, app.updated_at = start, finish, now
        app.save(update_fields=["state", "contractor", "contractor_name", "works_start", "works_finish", "updated_at"])
        _step(app, actor, "start", from_state, now, name)
        _audit(actor, "start", app, contractor=name)
    return app


def application_accept(*, actor: Actor, application: ModificationApplication, data: AcceptInput):
    """Acceptance on site: an after photo for every planned item (or the reason there is none), the
    elder's satisfaction (1–5), the day the works finished. The street pays next."""
    if not actor.has_perm(CARE_MANAGE):
        raise permission_denied()
    today = timezone.localdate()
    problems: list[FieldError] = []
    for line_id, photos in data.photos.items():
        problems += _photo_problems(photos, f"after_{line_id}")
    try:
        satisfaction = int(str(data.satisfaction))
    except ValueError:
        satisfaction = 0
    if satisfaction not in SATISFACTION:
        problems.append(
            field_error("satisfaction", "请选择老人的满意度（1–5）", "Choose the elder's satisfaction (1–5)")
        )
    if data.finished_on is None or data.finished_on > today:
        problems.append(
            field_error("finished_on", "请填写实际完工日期（不晚于今天）", "Give the finish date (not after today)")
        )
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        app = _locked(actor, application, "accept")
        with_photo = set(app.photos.filter(stage=PhotoStage.AFTER).values_list("line_id", flat=True))
        lines = list(app.lines.select_related("item"))
        for line in lines:
            reason = (data.reasons.get(line.pk) or "").strip()
            if line.pk not in with_photo and not data.photos.get(line.pk) and len(reason) < 4:
                problems.append(
                    field_error(
                        f"after_{line.pk}",
                        f"「{line.item.name}」需要一张改造后的照片，或写明没有照片的原因",
                        f"'{line.item.name_en}' needs a photo after the works, or the reason there is none",
                    )
                )
        if data.finished_on and app.works_start and data.finished_on < app.works_start:
            problems.append(field_error("finished_on", "完工日期不能早于开工日期", "The finish is before the start"))
        if problems:
            raise validation_failed(problems)
        for line in lines:
            _photos_save(app, actor, PhotoStage.AFTER, data.photos.get(line.pk, []), now, line=line)
            reason = (data.reasons.get(line.pk) or "").strip()[:200]
            if reason and line.pk not in with_photo and not data.photos.get(line.pk):
                line.no_photo_reason = reason
                line.save(update_fields=["no_photo_reason"])
        from_state = app.state
        app.state, app.works_finish, app.accepted_on = ModState.ACCEPTED, data.finished_on, today
        app.satisfaction, app.updated_at = satisfaction, now
        app.pay_due = work_calendar().add_working_days(today, PAY_WORKING_DAYS)
        app.save(update_fields=["state", "works_finish", "accepted_on", "satisfaction", "pay_due", "updated_at"])
        _step(app, actor, "accept", from_state, now, data.note or "")
        _audit(actor, "accept", app, satisfaction=satisfaction)
    return app


def application_pay(
    *, actor: Actor, application: ModificationApplication, amount=None, paid_on: date | None = None, note: str = ""
) -> ModificationApplication:
    """The street approves the subsidy and records its payment (at most the plan's subsidy)."""
    if not actor.has_perm(CARE_PAY):
        raise permission_denied()
    today = timezone.localdate()
    paid_on = paid_on or today
    problems: list[FieldError] = []
    try:
        value = money(amount) if amount not in (None, "") else None
    except (InvalidOperation, ValueError):
        value = None
        problems.append(field_error("amount", "金额应为数字（元）", "The amount is a number of yuan"))
    if paid_on > today:
        problems.append(field_error("paid_on", "发放日期不能晚于今天", "The payment day cannot be in the future"))
    if len(note or "") > NOTE_MAX:
        problems.append(field_error("note", "不能超过 500 字", "At most 500 characters"))
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        app = _locked(actor, application, "pay")
        paid = app.subsidy if value is None else value
        if paid is None or paid < 0 or paid > (app.subsidy or 0):
            raise validation_failed(
                [
                    field_error(
                        "amount", f"补贴不能超过方案核定的 {app.subsidy} 元", f"At most the plan's {app.subsidy} yuan"
                    )
                ]
            )
        from_state = app.state
        app.state, app.paid_amount, app.paid_on, app.updated_at = ModState.PAID, paid, paid_on, now
        app.save(update_fields=["state", "paid_amount", "paid_on", "updated_at"])
        _step(app, actor, "pay", from_state, now, note or f"{paid}")
        _audit(actor, "pay", app, amount=paid)
    return app


def application_close(
    *, actor: Actor, application: ModificationApplication, action: str, reason: str
) -> ModificationApplication:
    """Refused (by the community, with reasons) or withdrawn (by the family or the worker for
    them, with reasons). The household may apply again afterwards."""
    if action not in ("refuse", "withdraw"):
        raise not_found("操作", "Action")
    family = action == "withdraw" and _may_act_as_family(actor, application)
    if not (family or actor.has_perm(TRANSITIONS[action].permission)):
        raise permission_denied()
    reason = (reason or "").strip()
    if not 4 <= len(reason) <= NOTE_MAX:
        raise validation_failed(
            [field_error("reason", "请写明理由（4–500 字）", "Give the reasons (4–500 characters)")]
        )
    now = timezone.now()
    with transaction.atomic():
        app = _locked(actor, application, action, scoped=not family)
        from_state = app.state
        app.state, app.reason, app.updated_at = TRANSITIONS[action].target, reason, now
        app.save(update_fields=["state", "reason", "updated_at"])
        _step(app, actor, action, from_state, now, reason)
        _audit(actor, action, app, reason)
        notify(
            user_ids=_family(app) if not family else [],
            kind="care.modification",
            text=Msg(
                f"{app.person_name}家的适老化改造申请{TRANSITIONS[action].label.zh}：{reason}",
                f"The modification for {app.person_name}'s home: {TRANSITIONS[action].label.en}: {reason}",
            ),
            link=f"/my/care/modifications/{app.public_id}/",
        )
    return app


def photo_read(*, actor: Actor, application: ModificationApplication, photo: ModificationPhoto) -> bytes:
    """A photo's bytes for someone who may see the application (the caller fetched it through a
    scoped selector); every read is audited."""
    row = ModificationPhoto.objects.get(pk=photo.pk)
    _audit(actor, "photo_read", application, photo=photo.public_id)
    return unseal_bytes(bytes(row.sealed), context=f"care.mod_photo:{row.public_id}")


# ================================================================ the city's list and targets


def _city_editor(actor: Actor) -> None:
    if not actor.has_perm(CARE_LIST_EDIT) or not any(len(p) <= 4 for p in actor.scope_paths):
        raise permission_denied()


def item_price_set(
    *, actor: Actor, code: str, unit_price, basic: bool, valid_from: date | None, retired: bool = False
) -> ModificationItem:
    """A new dated row for an item (its price, basic or optional, retired). Quotes already made keep
    their prices; the change applies to assessments from `valid_from` on, never before today."""
    _city_editor(actor)
    today = timezone.localdate()
    problems: list[FieldError] = []
    base = ModificationItem.objects.filter(code=code).order_by("-valid_from", "-pk").first()
    if base is None:
        raise not_found("改造项目", "Modification item")
    try:
        price = money(unit_price)
        if price < 0 or price > 100000:
            raise ValueError
    except (InvalidOperation, ValueError, TypeError):
        price = None
        problems.append(
            field_error("unit_price", "单价应为 0 到 100000 元之间的数", "A unit price from 0 to 100,000 yuan")
        )
    if valid_from is None or valid_from < today:
        problems.append(field_error("valid_from", "生效日期不能早于今天", "The change takes effect today or later"))
    if problems:
        raise validation_failed(problems)
    # a bad price and a missing day are among the problems raised above
    assert price is not None and valid_from is not None
    now = timezone.now()
    try:
        with transaction.atomic():
            row = ModificationItem.objects.create(
                code=code,
                group=base.group,
                group_name=base.group_name,
                group_name_en=base.group_name_en,
                name=base.name,
                name_en=base.name_en,
                unit=base.unit,
                unit_en=base.unit_en,
                unit_price=price,
                basic=bool(basic),
                retired=bool(retired),
                valid_from=valid_from,
                set_by_name=actor.shown_name,
                set_at=now,
            )
            audit_record(
                actor=actor,
                action="care.mod_item_price",
                object_type="modification_item",
                object_id=code,
                details={"price": str(price), "basic": str(basic), "from": str(valid_from), "retired": str(retired)},
            )
    except IntegrityError:
        raise conflict(Msg("这一天已有一次调整，请换一个生效日期", "There is already a change on that day")) from None
    return row


def target_set(*, actor: Actor, district_path: str, households) -> ModificationTarget:
    """The city sets a district's households to modify by the goal year."""
    _city_editor(actor)
    try:
        value = int(str(households).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= 100000:
        raise validation_failed(
            [field_error("households", "户数应为 0 到 100000 的整数", "A whole number up to 100,000")]
        )
    if len(district_path) != 6 or not actor.sees_path(district_path):
        raise not_found("区县", "District")
    with transaction.atomic():
        row, _ = ModificationTarget.objects.update_or_create(
            district_path=district_path,
            defaults={"households": value, "set_by_name": actor.shown_name, "set_at": timezone.now()},
        )
        audit_record(
            actor=actor,
            action="care.mod_target_set",
            object_type="modification_target",
            object_id=district_path,
            org_path=district_path,
            details={"households": str(value)},
        )
    return row


# ================================================================ records of earlier years


@dataclass(frozen=True)
class DoneRecord:
    """A modification finished before Linli (the street's spreadsheet of earlier years): the elder,
    the items with quantities, the day the subsidy was paid."""

    person: CarePerson
    lines: list[tuple[str, Decimal]]
    paid_on: date
    contractor_name: str


def applications_record_done(*, actor: Actor, records: list[DoneRecord]) -> int:
    """Bulk path for earlier years' finished modifications (paid), priced at the items in force on
    their payment day and capped like any plan; one timeline row each. The elders must be in the
    actor's scope. Used by the demo and an import; a few thousand rows in a few statements."""
    if not (actor.has_perm(CARE_MANAGE) and actor.has_perm(CARE_PAY)):
        raise permission_denied()
    records = [r for r in records if r.person.household_ref and actor.sees_path(r.person.path)]
    if not records:
        return 0
    now = timezone.now()
    with transaction.atomic():
        apps, planned = [], []
        prices: dict[date, tuple[dict[str, ModificationItem], Decimal]] = {}  # one read per day
        for n, record in enumerate(records):
            if record.paid_on not in prices:
                on = record.paid_on
                prices[on] = ({i.code: i for i in current_items(on)}, current_cap(on))
            items, cap = prices[record.paid_on]
            chosen = [(items[c], q) for c, q in record.lines if c in items]
            result = quote([QuoteLine(i.code, q, i.unit_price, i.basic) for i, q in chosen], cap)
            at = datetime.combine(record.paid_on, datetime.min.time(), tzinfo=now.tzinfo)
            apps.append(
                ModificationApplication(
                    number=f"SL{record.person.path[:6]}{record.paid_on:%Y%m%d}H{n:05d}",
                    channel=ModChannel.CANDIDATE,
                    state=ModState.PAID,
                    person_ref=record.person.public_id,
                    person_name=record.person.name,
                    household_ref=record.person.household_ref,
                    path=record.person.path,
                    address=record.person.address[:200],
                    cap=cap,
                    total=result.total,
                    subsidy=result.subsidy,
                    own_share=result.own_share,
                    contractor_name=record.contractor_name,
                    works_finish=record.paid_on,
                    accepted_on=record.paid_on,
                    satisfaction=5,
                    paid_on=record.paid_on,
                    paid_amount=result.subsidy,
                    applied_by_id=actor.user_id,
                    applied_by_name=actor.shown_name,
                    created_at=at,
                    updated_at=at,
                )
            )
            planned.append(chosen)
        made = ModificationApplication.objects.bulk_create(apps, batch_size=1000)
        ModificationLine.objects.bulk_create(
            [
                ModificationLine(
                    application=app,
                    item=item,
                    quantity=q,
                    unit_price=item.unit_price,
                    basic=item.basic,
                    amount=money(q * item.unit_price),
                )
                for app, chosen in zip(made, planned, strict=True)
                for item, q in chosen
            ],
            batch_size=2000,
        )
        ModificationStep.objects.bulk_create(
            [
                ModificationStep(
                    application=app,
                    action="pay",
                    from_state="",
                    to_state=ModState.PAID,
                    note="往年改造记录导入",
                    actor_id=actor.user_id,
                    actor_name=actor.shown_name,
                    at=app.created_at,
                )
                for app in made
            ],
            batch_size=2000,
        )
        audit_record(
            actor=actor,
            action="care.mod_record_done",
            object_type="modification",
            object_id="",
            details={"count": str(len(made))},
        )
    return len(made)
