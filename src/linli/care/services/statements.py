"""Care services, stage statements: writes (one transaction, checks, audit). Family care beds
(register, end, the week's visits scheduled ahead), the monthly statement per provider from
VERIFIED visits only (generate, add a visit, approve, record the payment), corrections after
approval as lines of a supplementary statement, and the exports' audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from linli.accounts.domain import CARE_MANAGE, CARE_PAY
from linli.care.domain.orders import VisitState
from linli.care.domain.statements import (
    ALREADY_HAS_BED,
    FROZEN_STATES,
    StatementKind,
    StatementState,
    bed_slots,
    month_start,
    unverified_refusal,
    visit_amounts,
)
from linli.care.models import (
    BedTerms,
    CareBed,
    Provider,
    ProviderArea,
    ProviderMember,
    ServiceItem,
    Statement,
    StatementLine,
    Visit,
)
from linli.care.selectors.entitlements import entitlement_check
from linli.care.selectors.statements import bed_items
from linli.core.actor import Actor
from linli.core.crypto import seal
from linli.core.errors import (
    DomainError,
    FieldError,
    Msg,
    conflict,
    field_error,
    not_found,
    permission_denied,
    validation_failed,
)
from linli.core.ids import uuid_or_none
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.residents.selectors import care_person

PLAN_CONTEXT = "care.bed.plan"
CENT = Decimal("0.01")
CLOSED_VISITS = (VisitState.CANCELLED,)


# ================================================================ family care beds


@dataclass(frozen=True)
class BedInput:
    person_ref: str
    provider_ref: str
    visits_per_week: int | None
    plan: str
    started_on: date | None


def provider_serves(provider: Provider, path: str, on: date) -> bool:
    community = path[:12]
    return ProviderArea.objects.filter(
        Q(until__isnull=True) | Q(until__gte=on), provider=provider, path=community, since__lte=on
    ).exists()


def _bed_number(on: date) -> str:
    prefix = f"CB{on:%Y%m}"
    count = CareBed.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:05d}"


def bed_register(*, actor: Actor, data: BedInput) -> CareBed:
    """A bed for an elder of the actor's area with a provider serving the community: the bed item
    must be allowed for the elder by the entitlement check (its share is fixed on the bed); the
    visits of the starting week are scheduled at once."""
    if not actor.has_perm(CARE_MANAGE):
        raise permission_denied()
    problems: list[FieldError] = []
    person = care_person(actor=actor, public_id=data.person_ref) if data.person_ref else None
    if person is None:
        problems.append(field_error("person", "请选择本辖区的老人", "Choose an elder of your area"))
    provider_ref = uuid_or_none(data.provider_ref)
    provider = Provider.objects.filter(public_id=provider_ref, active=True).first() if provider_ref else None
    if provider is None:
        problems.append(field_error("provider", "请选择服务机构", "Choose a provider"))
    if data.visits_per_week is None or not 1 <= data.visits_per_week <= 7:
        problems.append(field_error("visits_per_week", "每周上门次数应为 1–7 次", "Visits per week: 1 to 7"))
    plan = (data.plan or "").strip()
    if len(plan) < 4:
        problems.append(field_error("plan", "请写明服务计划（照护需求）", "Write the service plan (care needs)"))
    elif len(plan) > 2000:
        problems.append(field_error("plan", "服务计划不能超过 2000 字", "The plan may have at most 2,000 characters"))
    if data.started_on is None:
        problems.append(field_error("started_on", "请填写开始日期", "Give the start date"))
    if problems:
        raise validation_failed(problems)
    # each of these being missing added a problem above, so none is left None here
    assert person is not None and provider is not None
    assert data.visits_per_week is not None and data.started_on is not None
    items = bed_items(data.started_on)
    if not items:
        raise validation_failed(
            [field_error("started_on", "该日生效的服务清单没有家庭养老床位项目", "The list in force has no bed item")]
        )
    item = items[0]
    if not provider_serves(provider, person.path, data.started_on):
        raise validation_failed(
            [
                field_error(
                    "provider", "该机构不承接老人所在社区的服务", "The provider does not serve the elder's community"
                )
            ]
        )
    with transaction.atomic():
        # one open bed per elder: registrations queue on the bed item's row (few a day), so the
        # check below cannot be passed by two at once
        ServiceItem.objects.select_for_update().filter(pk=item.pk).first()
        if CareBed.objects.filter(person_ref=person.public_id, ended_on__isnull=True).exists():
            raise conflict(ALREADY_HAS_BED)
        entitlement = entitlement_check(person=person, item=item, quantity=1, on=data.started_on)
        if not entitlement.allowed:
            assert entitlement.reason is not None  # entitlement_decide gives every refusal its reason
            raise validation_failed([FieldError("person", entitlement.reason)])
        now = timezone.now()
        bed = CareBed.objects.create(
            number=_bed_number(data.started_on),
            person_ref=person.public_id,
            household_ref=person.household_ref or None,
            person_name=person.name,
            path=person.path,
            address=person.address,
            home_lat=person.lat,
            home_lng=person.lng,
            provider=provider,
            item=item,
            visits_per_week=data.visits_per_week,
            plan_sealed=seal(plan, context=PLAN_CONTEXT),
            started_on=data.started_on,
            created_by_name=actor.shown_name,
            created_at=now,
        )
        government, resident = visit_amounts(item.unit_price, entitlement.subsidy_share)
        BedTerms.objects.create(
            bed=bed,
            unit_price=item.unit_price,
            subsidy_share=entitlement.subsidy_share,
            government_per_visit=government,
            resident_per_visit=resident,
        )
        audit_record(
            actor=actor,
            action="care.bed_register",
            object_type="care.bed",
            object_id=bed.public_id,
            org_path=bed.path,
            details={"provider": str(provider.public_id), "visits_per_week": bed.visits_per_week},
        )
        _bed_week_schedule(bed, _week_start(max(data.started_on, timezone.localdate())))
        notify(
            user_ids=_dispatcher_ids(provider),
            kind="care.bed",
            text=Msg(
                f"新的家庭养老床位：{bed.number}，请安排护理员", f"New family care bed {bed.number}: assign carers"
            ),
        )
    return bed


def bed_end(*, actor: Actor, bed: CareBed, reason: str, confirmed: bool, on: date | None = None) -> CareBed:
    """End a bed with a reason (confirmed): its visits not yet done from that day are cancelled."""
    if not actor.has_perm(CARE_MANAGE):
        raise permission_denied()
    reason = (reason or "").strip()
    problems: list[FieldError] = []
    if len(reason) < 2:
        problems.append(field_error("reason", "请写明终止原因", "Give the reason for ending"))
    if len(reason) > 300:
        problems.append(field_error("reason", "原因不能超过 300 字", "At most 300 characters"))
    if not confirmed:
        problems.append(field_error("confirm", "请确认终止该床位", "Confirm that the bed ends"))
    if problems:
        raise validation_failed(problems)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = actor.scoped(CareBed.objects.select_for_update()).filter(pk=bed.pk).first()
        if locked is None:
            raise not_found("家庭养老床位", "Family care bed")
        if locked.ended_on is not None:
            raise conflict(Msg("该床位已终止", "The bed has already ended"))
        locked.ended_on = on
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason"])
        cutoff = timezone.make_aware(datetime.combine(on, datetime.min.time()))
        Visit.objects.filter(bed=locked, state=VisitState.SCHEDULED, slot_start__gte=cutoff).update(
            state=VisitState.CANCELLED
        )
        audit_record(
            actor=actor,
            action="care.bed_end",
            object_type="care.bed",
            object_id=locked.public_id,
            org_path=locked.path,
            reason=reason,
        )
    return locked


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_visits(bed: CareBed, week_start: date, taken: set) -> list[Visit]:
    """The bed's visits of one week in the default slots that are not there yet (`taken`: the
    (bed id, slot start) pairs already made), within the bed's dates."""
    terms = getattr(bed, "terms", None)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    return [
        Visit(
            bed=bed,
            provider_id=bed.provider_id,
            person_ref=bed.person_ref,
            path=bed.path,
            slot_start=start,
            slot_end=end,
            month=month_start(start.date()),
            government_pays=terms.government_per_visit if terms else Decimal("0"),
            resident_pays=terms.resident_per_visit if terms else Decimal("0"),
            created_at=now,
        )
        for start, end in bed_slots(week_start, bed.visits_per_week, bed.item.duration_minutes, tz)
        if start.date() >= bed.started_on
        and (bed.ended_on is None or start.date() < bed.ended_on)
        and (bed.pk, start) not in taken
    ]


def _taken(beds, week_start: date) -> set:
    tz = timezone.get_current_timezone()
    since = datetime.combine(week_start, datetime.min.time(), tzinfo=tz)
    rows = Visit.objects.filter(
        bed__in=beds, slot_start__gte=since, slot_start__lt=since + timedelta(days=7)
    ).values_list("bed_id", "slot_start")
    return {(bed_id, timezone.localtime(start, tz)) for bed_id, start in rows}


def _bed_week_schedule(bed: CareBed, week_start: date) -> int:
    visits = _week_visits(bed, week_start, _taken([bed.pk], week_start))
    Visit.objects.bulk_create(visits)
    return len(visits)


def bed_visits_schedule(*, week_start: date) -> str:
    """The weekly scheduling: each bed in service gets its visits of the week starting at
    `week_start`'s Monday in the default slots, never twice (the slots already there are read in
    one query and skipped). Returns a one-line summary for the job's log."""
    week_start = _week_start(week_start)
    week_end = week_start + timedelta(days=7)
    beds = list(
        CareBed.objects.filter(started_on__lt=week_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=week_start))
        .select_related("item", "terms")
    )
    taken = _taken([b.pk for b in beds], week_start)
    visits = [visit for bed in beds for visit in _week_visits(bed, week_start, taken)]
    with transaction.atomic():
        Visit.objects.bulk_create(visits, batch_size=2000)
    return f"bed visits scheduled for the week of {week_start:%Y-%m-%d}: {len(visits)}"


def bed_visits_tick() -> str:
    """`linli tick`'s job: this week's and next week's bed visits, ahead of the carers' rounds."""
    today = timezone.localdate()
    return "; ".join(bed_visits_schedule(week_start=day) for day in (today, today + timedelta(days=7)))


def _dispatcher_ids(provider: Provider) -> list[int]:
    return list(
        ProviderMember.objects.filter(provider=provider, kind="dispatcher", active=True).values_list(
            "user_id", flat=True
        )
    )


# ================================================================ statements


def _statement_number(provider: Provider, month: date, kind: str) -> str:
    base = f"JS{month:%Y%m}-{str(provider.public_id)[-6:].upper()}"
    if kind == StatementKind.REGULAR:
        return base
    count = Statement.objects.filter(provider=provider, month=month, kind=StatementKind.SUPPLEMENTARY).count()
    return f"{base}-B{count + 1}"


def _line_for(visit: Visit) -> StatementLine:
    source = visit.order if visit.order_id else visit.bed
    # the check constraint care_visit_order_or_bed: a visit has exactly one of order and bed
    assert source is not None
    item = source.item
    return StatementLine(
        visit=visit,
        visit_on=timezone.localtime(visit.slot_start).date(),
        person_name=source.person_name,
        item_code=item.code,
        item_name=item.name,
        item_name_en=item.name_en,
        community_path=visit.path[:12],
        from_bed=bool(visit.bed_id),
        government_pays=visit.government_pays,
        resident_pays=visit.resident_pays,
    )


def _totals_refresh(statement: Statement) -> None:
    totals = statement.lines.aggregate(n=Count("pk"), g=Sum("government_pays"), r=Sum("resident_pays"))
    statement.line_count = totals["n"] or 0
    statement.government_total = Decimal(totals["g"] or 0).quantize(CENT)
    statement.resident_total = Decimal(totals["r"] or 0).quantize(CENT)
    statement.save(update_fields=["line_count", "government_total", "resident_total"])


def _pay_scoped_provider(actor: Actor, provider: Provider) -> Provider:
    if not actor.has_perm(CARE_PAY):
        raise permission_denied()
    locked = actor.scoped(Provider.objects.select_for_update()).filter(pk=provider.pk).first()
    if locked is None:
        raise not_found("服务机构", "Provider")
    return locked


UNPAID_FIELDS = (
    "pk",
    "slot_start",
    "path",
    "bed_id",
    "government_pays",
    "resident_pays",
    "order__person_name",
    "order__item__code",
    "order__item__name",
    "order__item__name_en",
    "bed__person_name",
    "bed__item__code",
    "bed__item__name",
    "bed__item__name_en",
)


def _unpaid_lines(statement: Statement) -> list[StatementLine]:
    """The lines of the provider's verified visits of the month not on a statement yet, read as
    plain rows in one query (a month of a large provider is thousands of visits)."""
    rows = (
        Visit.objects.filter(provider_id=statement.provider_id, month=statement.month, state=VisitState.VERIFIED)
        .exclude(statement_lines__is_correction=False)
        .order_by("slot_start", "pk")
        .values_list(*UNPAID_FIELDS)
    )
    tz = timezone.get_current_timezone()
    lines = []
    for pk, start, path, bed_id, gov, res, *names in rows:
        person, code, name, name_en = names[4:] if bed_id else names[:4]
        lines.append(
            StatementLine(
                statement=statement,
                visit_id=pk,
                visit_on=timezone.localtime(start, tz).date(),
                person_name=person,
                item_code=code,
                item_name=name,
                item_name_en=name_en,
                community_path=path[:12],
                from_bed=bool(bed_id),
                government_pays=gov,
                resident_pays=res,
            )
        )
    return lines


def statement_generate(*, actor: Actor, provider: Provider, month: date) -> Statement:
    """The provider's statement of the month from its VERIFIED visits (of orders and beds) not
    already on a statement, one line per visit. A draft already there takes the visits verified
    since; an approved one is frozen (a correction goes on a supplementary statement)."""
    month = month_start(month)
    with transaction.atomic():
        locked = _pay_scoped_provider(actor, provider)  # serialises statements of the provider
        statement = Statement.objects.filter(provider=locked, month=month, kind=StatementKind.REGULAR).first()
        if statement is not None and statement.state in FROZEN_STATES:
            raise conflict(
                Msg(
                    f"{month:%Y年%m月}的结算单已审核，更正请使用补充结算单",
                    f"The statement of {month:%Y-%m} is approved; corrections go on a supplementary statement",
                )
            )
        if statement is None:
            statement = Statement.objects.create(
                number=_statement_number(locked, month, StatementKind.REGULAR),
                provider=locked,
                path=locked.path,
                month=month,
                generated_by_name=actor.shown_name,
                created_at=timezone.now(),
            )
        lines = _unpaid_lines(statement)
        StatementLine.objects.bulk_create(lines, batch_size=2000)
        _totals_refresh(statement)
        audit_record(
            actor=actor,
            action="care.statement_generate",
            object_type="care.statement",
            object_id=statement.public_id,
            org_path=statement.path,
            details={"month": f"{month:%Y-%m}", "lines_added": len(lines)},
        )
    return statement


def statement_visit_add(*, actor: Actor, statement: Statement, visit_ref: str) -> StatementLine:
    """Add one visit of the provider and month to a draft: refused, naming the visit, unless it is
    VERIFIED and not already paid."""
    with transaction.atomic():
        _pay_scoped_provider(actor, statement.provider)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        _draft_only(current)
        visit_id = uuid_or_none(visit_ref)
        visit = (
            (
                Visit.objects.select_related("order__item", "bed__item")
                .filter(public_id=visit_id, provider_id=current.provider_id, month=current.month)
                .first()
            )
            if visit_id
            else None
        )
        if visit is None:
            raise not_found("服务记录", "Visit")
        if visit.state != VisitState.VERIFIED:
            source = visit.order or visit.bed
            # the check constraint care_visit_order_or_bed: a visit has exactly one of order and bed
            assert source is not None
            raise DomainError(
                unverified_refusal(timezone.localtime(visit.slot_start), source.person_name, source.item.name),
                code="unverified_visit",
                status=409,
            )
        line = _line_for(visit)
        line.statement = current
        try:
            with transaction.atomic():
                line.save()
        except IntegrityError:
            raise conflict(Msg("该服务已列入结算单", "The visit is already on a statement")) from None
        _totals_refresh(current)
        audit_record(
            actor=actor,
            action="care.statement_visit_add",
            object_type="care.statement",
            object_id=current.public_id,
            org_path=current.path,
            details={"visit": str(visit.public_id)},
        )
    return line


def _draft_only(statement: Statement) -> None:
    if statement.state != StatementState.DRAFT:
        raise conflict(Msg("结算单已审核，不能修改", "The statement is approved and cannot be changed"))


def statement_approve(*, actor: Actor, statement: Statement, reason: str, confirmed: bool) -> Statement:
    """Approve a draft (confirmed, with a note): from then on it is frozen (the service and the
    database refuse changes) and waits for the payment."""
    reason = (reason or "").strip()
    problems: list[FieldError] = []
    if len(reason) < 2:
        problems.append(field_error("reason", "请填写审核意见", "Give the approval note"))
    if len(reason) > 500:
        problems.append(field_error("reason", "审核意见不能超过 500 字", "At most 500 characters"))
    if not confirmed:
        problems.append(
            field_error("confirm", "请确认审核通过，通过后不能修改", "Confirm: it cannot change afterwards")
        )
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        _pay_scoped_provider(actor, statement.provider)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        _draft_only(current)
        _totals_refresh(current)
        if current.line_count == 0:
            raise conflict(Msg("结算单没有任何明细，不能审核", "The statement has no lines to approve"))
        current.state = StatementState.APPROVED
        current.approved_at = timezone.now()
        current.approved_by_name = actor.shown_name
        current.approve_reason = reason
        current.save(update_fields=["state", "approved_at", "approved_by_name", "approve_reason"])
        audit_record(
            actor=actor,
            action="care.statement_approve",
            object_type="care.statement",
            object_id=current.public_id,
            org_path=current.path,
            reason=reason,
            details={"government_total": str(current.government_total), "lines": current.line_count},
        )
        notify(
            user_ids=_dispatcher_ids(current.provider),
            kind="care.statement",
            text=Msg(f"结算单 {current.number} 已审核通过", f"Statement {current.number} approved"),
        )
    return current


def statement_pay(*, actor: Actor, statement: Statement, paid_on: date | None, reference: str) -> Statement:
    """Record the payment of an approved statement (date and the bank's reference)."""
    reference = (reference or "").strip()
    problems: list[FieldError] = []
    if paid_on is None:
        problems.append(field_error("paid_on", "请填写付款日期", "Give the date of payment"))
    elif paid_on > timezone.localdate():
        problems.append(field_error("paid_on", "付款日期不能晚于今天", "The date of payment cannot be in the future"))
    if not 2 <= len(reference) <= 64:
        problems.append(field_error("reference", "请填写付款凭证号（2–64 字）", "Give the payment reference (2–64)"))
    if problems:
        raise validation_failed(problems)
    assert paid_on is not None  # a missing date added a problem above
    with transaction.atomic():
        _pay_scoped_provider(actor, statement.provider)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        if current.state != StatementState.APPROVED:
            raise conflict(Msg("只有已审核待付款的结算单可以登记付款", "Only an approved statement can be paid"))
        current.state = StatementState.PAID
        current.paid_on = paid_on
        current.payment_ref = reference
        current.paid_by_name = actor.shown_name
        current.save(update_fields=["state", "paid_on", "payment_ref", "paid_by_name"])
        audit_record(
            actor=actor,
            action="care.statement_pay",
            object_type="care.statement",
            object_id=current.public_id,
            org_path=current.path,
            details={"paid_on": paid_on.isoformat(), "reference": reference},
        )
    return current


def _amount(text, name: str, problems: list[FieldError]) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        problems.append(field_error(name, "请填写金额（元，可为负数）", "Give an amount in yuan (may be negative)"))
        return None
    if not value.is_finite() or abs(value) > Decimal("100000"):
        problems.append(field_error(name, "金额超出范围", "The amount is out of range"))
        return None
    return value.quantize(Decimal("0.01"))


def statement_correct(
    *, actor: Actor, statement: Statement, visit_ref: str, government: str, resident: str, reason: str
) -> StatementLine:
    """A correction after approval: a new line (negative or positive, with the reason, linked to
    the visit paid on `statement`) on the month's draft supplementary statement, made if needed."""
    problems: list[FieldError] = []
    gov = _amount(government, "government", problems)
    res = _amount(resident, "resident", problems)
    reason = (reason or "").strip()
    if len(reason) < 4:
        problems.append(field_error("reason", "请写明更正原因", "Give the reason for the correction"))
    if len(reason) > 300:
        problems.append(field_error("reason", "原因不能超过 300 字", "At most 300 characters"))
    if gov is not None and res is not None and gov == 0 and res == 0:
        problems.append(field_error("government", "更正金额不能都为 0", "A correction cannot be zero"))
    if problems:
        raise validation_failed(problems)
    # an amount that could not be read added a problem above
    assert gov is not None and res is not None
    with transaction.atomic():
        provider = _pay_scoped_provider(actor, statement.provider)
        original = Statement.objects.get(pk=statement.pk)
        if original.state not in FROZEN_STATES:
            raise conflict(Msg("草稿结算单请直接重新生成", "A draft is not corrected: regenerate it"))
        visit_id = uuid_or_none(visit_ref)
        paid = (
            original.lines.filter(visit__public_id=visit_id, is_correction=False).select_related("visit").first()
            if visit_id
            else None
        )
        if paid is None:
            raise validation_failed(
                [field_error("visit", "该服务不在这张结算单上", "The visit is not on this statement")]
            )
        supplementary = Statement.objects.filter(
            provider=provider, month=original.month, kind=StatementKind.SUPPLEMENTARY, state=StatementState.DRAFT
        ).first() or Statement.objects.create(
            number=_statement_number(provider, original.month, StatementKind.SUPPLEMENTARY),
            provider=provider,
            path=provider.path,
            month=original.month,
            kind=StatementKind.SUPPLEMENTARY,
            supplements=original if original.kind == StatementKind.REGULAR else original.supplements,
            generated_by_name=actor.shown_name,
            created_at=timezone.now(),
        )
        line = StatementLine.objects.create(
            statement=supplementary,
            visit=paid.visit,
            visit_on=paid.visit_on,
            person_name=paid.person_name,
            item_code=paid.item_code,
            item_name=paid.item_name,
            item_name_en=paid.item_name_en,
            community_path=paid.community_path,
            from_bed=paid.from_bed,
            government_pays=gov,
            resident_pays=res,
            is_correction=True,
            reason=reason,
        )
        _totals_refresh(supplementary)
        audit_record(
            actor=actor,
            action="care.statement_correct",
            object_type="care.statement",
            object_id=supplementary.public_id,
            org_path=supplementary.path,
            reason=reason,
            details={"visit": str(paid.visit.public_id), "government": str(gov), "resident": str(res)},
        )
    return line


def statement_export_record(*, actor: Actor, statement: Statement, file_format: str) -> None:
    audit_record(
        actor=actor,
        action="care.statement_export",
        object_type="care.statement",
        object_id=statement.public_id,
        org_path=statement.path,
        details={"format": file_format},
    )


def bed_plan_read_record(*, actor: Actor, bed: CareBed, reason: str) -> None:
    audit_record(
        actor=actor,
        action="care.bed_plan_read",
        object_type="care.bed",
        object_id=bed.public_id,
        org_path=bed.path,
        reason=reason,
    )
