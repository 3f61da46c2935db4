"""Writes of the time bank: one transaction each, validated and audited.

Every change of a balance goes through `_post` (or `_hold`/`_release`) on an account row locked
with `select_for_update`: the check ("is there enough?"), the new balance and the ledger entry
with its `balance_after` are written together, so two concurrent spends queue on the row and
the second sees the first's balance. The database's CHECK constraints (balance, held and
balance_after never below zero, held within the balance) are the last guard."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import posted_user_ids
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
from linli.core.notify import notify
from linli.core.services import audit_record
from linli.timebank.domain import (
    DEFAULT_SERVICES,
    MAX_MINUTES,
    NOTE_MAX,
    REASON_MAX,
    Beneficiary,
    EntryKind,
    ExchangeAction,
    ExchangeState,
    HolderKind,
    Reference,
    expiring_minutes,
    expiry_cutoff,
    minutes_text,
    pool_holder,
    transition_for,
    years_valid,
)
from linli.timebank.models import (
    Donation,
    Exchange,
    ExchangeStep,
    ExpiryRule,
    TimeBankAccount,
    TimeBankEntry,
    TimeBankService,
)
from linli.timebank.selectors import (
    NOTE_CONTEXT,
    exchange_get,
    expiry_rule,
    may_edit_rules,
    may_manage,
    may_use,
    service_by_code,
    volunteer_lookup,
    volunteer_of_user,
)
from linli.volunteers.selectors import VolunteerBrief, volunteer_by_public_id

SYSTEM = Actor.system("timebank")
STATE_ZH: dict[str, str] = {
    ExchangeState.REQUESTED: "待安排",
    ExchangeState.ARRANGED: "已安排",
    ExchangeState.DELIVERED: "已服务",
    ExchangeState.CONFIRMED: "已完成",
    ExchangeState.CANCELLED: "已取消",
}
STATE_EN: dict[str, str] = {
    ExchangeState.REQUESTED: "waiting to be arranged",
    ExchangeState.ARRANGED: "arranged",
    ExchangeState.DELIVERED: "service given",
    ExchangeState.CONFIRMED: "completed",
    ExchangeState.CANCELLED: "cancelled",
}


def _field(name: str, zh: str, en: str) -> DomainError:
    return validation_failed([field_error(name, zh, en)])


def _shortfall(field: str, wanted: int, account: TimeBankAccount | None) -> DomainError:
    """ "Not enough": the error names the balance, what is held and what is available."""
    balance, held = (account.balance, account.held) if account else (0, 0)
    zh = f"时间余额不足：需要 {minutes_text(wanted)}，可用 {minutes_text(balance - held)}（余额 {minutes_text(balance)}"
    en = (
        f"Not enough time in the bank: {minutes_text(wanted, 'en')} needed, "
        f"{minutes_text(balance - held, 'en')} available (balance {minutes_text(balance, 'en')}"
    )
    if held:
        zh += f"，其中 {minutes_text(held)} 已为申请中的兑换预留"
        en += f", of which {minutes_text(held, 'en')} is held for requested exchanges"
    error = validation_failed([FieldError(field, Msg(zh + "）", en + ")"))])
    error.code = "insufficient_balance"
    error.details = {"balance": balance, "held": held, "available": balance - held, "needed": wanted}
    return error


def _reason(reason: str, *, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise _field("reason", "请填写事由", "Give a reason")
    if len(reason) > REASON_MAX:
        raise _field("reason", "事由最多 500 字", "A reason is at most 500 characters")
    return reason


def _minutes(value: int | None, field: str = "minutes") -> int:
    if value is None or not isinstance(value, int) or isinstance(value, bool):
        raise _field(field, "请填写分钟数（整数）", "Give the minutes as a whole number")
    if value <= 0:
        raise _field(field, "分钟数应大于 0", "The minutes must be more than 0")
    if value > MAX_MINUTES:
        raise _field(field, "一次最多 100000 分钟", "At most 100,000 minutes at a time")
    return value


# ================================================================ the ledger


def account_ensure(*, holder: UUID, kind: str, path: str) -> TimeBankAccount:
    """The holder's account, created empty on first use (a concurrent creation is absorbed)."""
    account, _created = TimeBankAccount.objects.get_or_create(holder=holder, defaults={"kind": kind, "path": path})
    return account


def _locked(account_id: int) -> TimeBankAccount:
    return TimeBankAccount.objects.select_for_update().get(pk=account_id)


def _post(
    account: TimeBankAccount,
    *,
    kind: str,
    minutes: int,
    reference: tuple[str, str],
    actor: Actor,
    path: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> TimeBankEntry:
    """Append one entry to a LOCKED account and move its balance in the same transaction."""
    new_balance = account.balance + minutes
    if minutes < 0 and new_balance < account.held:
        raise _shortfall("minutes", -minutes, account)
    account.balance = new_balance
    account.save(update_fields=["balance", "updated_at"])
    return TimeBankEntry.objects.create(
        account=account,
        kind=kind,
        minutes=minutes,
        balance_after=new_balance,
        reference_type=reference[0],
        reference_id=reference[1],
        path=path or account.path,
        actor_user_id=actor.user_id,
        actor_name=actor.shown_name,
        reason=reason[:REASON_MAX],
        created_at=at or timezone.now(),
    )


# ---- earned from approved hours (the `hours_approved` receiver) ---------------------------------


def hours_credit(
    *,
    hours_id: UUID,
    volunteer_id: UUID,
    minutes: int,
    served_path: str,
    registered_path: str = "",
    approved_at: datetime | None = None,
) -> TimeBankEntry | None:
    """Credit approved service hours once per hours id (a repeat is a no-op returning None).
    Runs inside the approving transaction (a savepoint: its failure is the approval's).
    A negative `minutes` (hours corrected downwards) takes back what is still available; what
    was already spent cannot be taken back and is named in the entry's reason."""
    reference = (Reference.HOURS, str(hours_id))
    if (
        minutes == 0
        or TimeBankEntry.objects.filter(reference_type=Reference.HOURS, reference_id=str(hours_id)).exists()
    ):
        return None
    try:
        with transaction.atomic():
            account = TimeBankAccount.objects.select_for_update().filter(holder=volunteer_id).first()
            if account is None:  # the first credit: the account belongs where the volunteer registered
                if not registered_path:
                    volunteer = volunteer_by_public_id(volunteer_id)
                    registered_path = volunteer.registered_path if volunteer is not None else served_path
                account = _locked(
                    account_ensure(holder=volunteer_id, kind=HolderKind.VOLUNTEER, path=registered_path).pk
                )
            if minutes > 0:
                return _post(
                    account,
                    kind=EntryKind.EARNED,
                    minutes=minutes,
                    reference=reference,
                    actor=SYSTEM,
                    path=served_path,
                    at=approved_at,
                )
            taken = min(-minutes, account.available)
            reason = "服务时长更正"
            if taken < -minutes:
                reason += f"：{-minutes - taken} 分钟已使用，无法扣回"
            return _post(
                account,
                kind=EntryKind.CORRECTION,
                minutes=-taken,
                reference=reference,
                actor=SYSTEM,
                path=served_path,
                reason=reason,
                at=approved_at,
            )
    except IntegrityError:
        if TimeBankEntry.objects.filter(reference_type=Reference.HOURS, reference_id=str(hours_id)).exists():
            return None  # credited meanwhile by a concurrent delivery of the same approval
        raise


def on_hours_approved(sender=None, **kwargs) -> None:
    """The `volunteers.signals.hours_approved` receiver (connected in `TimeBankConfig.ready`)."""
    hours_credit(
        hours_id=kwargs["hours_id"],
        volunteer_id=kwargs["volunteer_id"],
        minutes=int(kwargs["minutes"]),
        served_path=kwargs.get("served_path") or "",
        registered_path=kwargs.get("registered_path") or "",
        approved_at=kwargs.get("approved_at"),
    )


# ---- corrections by staff -----------------------------------------------------------------------


def correction_record(*, actor: Actor, holder: UUID, minutes: int, reason: str) -> TimeBankEntry:
    """A community worker corrects a balance in their area: a new entry, never an edit. Taking
    back more than is available is refused (the balance is never negative)."""
    if not may_manage(actor):
        raise permission_denied()
    if not isinstance(minutes, int) or minutes == 0 or abs(minutes) > MAX_MINUTES:
        raise _field(
            "minutes", "更正的分钟数不能为 0，最多 100000", "A correction is not 0 and at most 100,000 minutes"
        )
    reason = _reason(reason)
    with transaction.atomic():
        account = TimeBankAccount.objects.select_for_update().filter(holder=holder).first()
        if account is None or not actor.sees_path(account.path):
            raise not_found("时间银行账户", "Time-bank account")
        if minutes < 0 and -minutes > account.available:
            raise _shortfall("minutes", -minutes, account)
        entry = _post(
            account,
            kind=EntryKind.CORRECTION,
            minutes=minutes,
            reference=(Reference.CORRECTION, str(uuid.uuid4())),
            actor=actor,
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="timebank.correction",
            object_type="timebank_account",
            object_id=account.holder,
            org_path=account.path,
            reason=reason,
            details={"minutes": minutes, "balance_after": entry.balance_after},
        )
    return entry


# ================================================================ exchanges


@dataclass
class ExchangeInput:
    service: str
    units: int = 1
    beneficiary: str = Beneficiary.SELF
    note: str = ""
    holder: UUID | None = None  # staff asking for a volunteer of their area (no phone): 代办


def _own_account(actor: Actor) -> tuple[VolunteerBrief, TimeBankAccount]:
    if not may_use(actor):
        raise permission_denied()
    volunteer = volunteer_of_user(actor.user_id)
    if volunteer is None:
        raise DomainError(
            Msg("您还不是志愿者：请先在“志愿服务”登记成为志愿者", "You are not a volunteer yet: register first"),
            code="not_a_volunteer",
            status=403,
        )
    account = account_ensure(
        holder=UUID(str(volunteer.public_id)), kind=HolderKind.VOLUNTEER, path=volunteer.registered_path
    )
    return volunteer, account


def exchange_request(*, actor: Actor, data: ExchangeInput) -> Exchange:
    """A volunteer asks to spend stored hours on a service: the minutes are held now (refused
    when more than available, the balance named), spent at delivery, released if cancelled.
    With `data.holder`, a community worker asks on behalf of a volunteer registered in their
    area who has no phone (代办), or spends their community pool's minutes for a neighbour in
    need; the step names who asked."""
    if data.holder is not None:
        if not may_manage(actor):
            raise permission_denied()
        proxied = TimeBankAccount.objects.filter(holder=data.holder).first()
        if proxied is None or not actor.sees_path(proxied.path):
            raise _field("holder", "您的辖区内没有这个志愿者的时间银行账户", "No such time-bank account in your area")
        account = proxied
    else:
        _volunteer, account = _own_account(actor)
    service = service_by_code(data.service)
    problems = []
    if service is None:
        problems.append(FieldError("service", Msg("请选择服务项目", "Choose a service")))
    if not isinstance(data.units, int) or isinstance(data.units, bool) or not 1 <= data.units <= 20:
        problems.append(FieldError("units", Msg("数量应为 1 至 20", "The number of units is 1–20")))
    if data.beneficiary not in Beneficiary.values or (data.beneficiary == Beneficiary.NEIGHBOUR) != (
        account.kind == HolderKind.POOL
    ):
        problems.append(
            FieldError(
                "beneficiary",
                Msg(
                    "请选择为谁兑换（社区时间池只用于有需要的邻居）",
                    "Choose whom it is for (a community pool pays only for a neighbour in need)",
                ),
            )
        )
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        problems.append(FieldError("note", Msg("备注最多 500 字", "A note is at most 500 characters")))
    if problems:
        raise validation_failed(problems)
    assert service is not None
    minutes = service.minutes_per_unit * data.units
    now = timezone.now()
    with transaction.atomic():
        account = _locked(account.pk)
        if minutes > account.available:
            raise _shortfall("units", minutes, account)
        account.held += minutes
        account.save(update_fields=["held", "updated_at"])
        exchange = Exchange.objects.create(
            account=account,
            path=account.path,
            service=service,
            units=data.units,
            minutes=minutes,
            beneficiary=data.beneficiary,
            note_sealed=seal(note, context=NOTE_CONTEXT),
            state=ExchangeState.REQUESTED,
            requested_by=actor.user_id if data.holder is None else None,
            created_at=now,
            updated_at=now,
        )
        _step(exchange, "request", actor, "代办" if data.holder else "", now)
        audit_record(
            actor=actor,
            action="timebank.exchange_request",
            object_type="timebank_exchange",
            object_id=exchange.public_id,
            org_path=exchange.path,
            details={"service": service.code, "minutes": minutes, "on_behalf": data.holder is not None},
        )
        notify(
            user_ids=posted_user_ids(roles={Role.COMMUNITY_WORKER}, scope_path=exchange.path),
            kind="timebank.exchange",
            text=Msg(
                f"时间银行兑换申请：{service.name_zh} × {data.units}，待安排",
                f"Time-bank exchange requested: {service.name_en} × {data.units}, to arrange",
            ),
            link=f"/staff/time-bank/exchanges/{exchange.public_id}/",
        )
    return exchange


def _step(exchange: Exchange, action: str, actor: Actor, reason: str, at: datetime) -> None:
    ExchangeStep.objects.create(
        exchange=exchange,
        action=action,
        state=exchange.state,
        actor_user_id=actor.user_id,
        actor_name=actor.shown_name,
        reason=reason[:REASON_MAX],
        at=at,
    )


@dataclass
class StepInput:
    action: str
    reason: str = ""
    provider: UUID | None = None
    scheduled_for: datetime | None = None


def exchange_act(*, actor: Actor, public_id: UUID, data: StepInput) -> Exchange:
    """One step of an exchange: arrange (a provider volunteer and a time), mark delivered (the
    held minutes are spent), confirm (the provider earns the minutes), or cancel (the held
    minutes are released; the requester may cancel until it is delivered)."""
    exchange = exchange_get(actor=actor, public_id=public_id)  # 404 outside scope
    staff = may_manage(actor) and actor.sees_path(exchange.path)
    provider = None
    if data.action == ExchangeAction.ARRANGE and staff:
        if data.provider is None:
            raise _field("provider", "请填写提供服务的志愿者编号", "Give the providing volunteer's id")
        try:
            provider = volunteer_lookup(actor=actor, public_id=data.provider)
        except DomainError:
            raise _field("provider", "找不到该志愿者（或不在您的辖区）", "No such volunteer in your area") from None
        if UUID(str(provider.public_id)) == exchange.account.holder:
            raise _field("provider", "提供服务的不能是兑换人本人", "The provider cannot be the one who spends")
    if data.scheduled_for is not None and timezone.is_naive(data.scheduled_for):
        data.scheduled_for = timezone.make_aware(data.scheduled_for)
    now = timezone.now()
    with transaction.atomic():
        exchange = Exchange.objects.select_for_update().select_related("service").get(pk=exchange.pk)
        transition = transition_for(data.action, exchange.state)
        if transition is None:
            raise conflict(
                Msg(
                    f"该兑换当前为“{exchange.get_state_display()}”，不能执行此操作",
                    "This step is not open for the exchange in its current state",
                )
            )
        if transition.staff and not staff:
            raise not_found("兑换", "Exchange")
        reason = _reason(data.reason, required=transition.needs_reason)
        account = _locked(exchange.account_id)
        reference = (Reference.EXCHANGE, str(exchange.public_id))
        if data.action == ExchangeAction.ARRANGE:
            assert provider is not None
            exchange.provider = UUID(str(provider.public_id))
            exchange.provider_name = provider.display_name[:60]
            exchange.scheduled_for = data.scheduled_for
        elif data.action == ExchangeAction.DELIVER:
            account.held -= exchange.minutes
            account.save(update_fields=["held", "updated_at"])
            _post(account, kind=EntryKind.SPENT, minutes=-exchange.minutes, reference=reference, actor=actor)
        elif data.action == ExchangeAction.CONFIRM and exchange.provider:
            provider_account = account_ensure(holder=exchange.provider, kind=HolderKind.VOLUNTEER, path=exchange.path)
            _post(
                _locked(provider_account.pk),
                kind=EntryKind.EARNED,
                minutes=exchange.minutes,
                reference=reference,
                actor=actor,
                path=exchange.path,
                reason=f"{exchange.service.name_zh} × {exchange.units}",
            )
        elif data.action == ExchangeAction.CANCEL:
            account.held -= exchange.minutes
            account.save(update_fields=["held", "updated_at"])
        exchange.state = transition.target
        exchange.updated_at = now
        exchange.save(update_fields=["state", "provider", "provider_name", "scheduled_for", "updated_at"])
        _step(exchange, data.action, actor, reason, now)
        audit_record(
            actor=actor,
            action=f"timebank.exchange_{data.action}",
            object_type="timebank_exchange",
            object_id=exchange.public_id,
            org_path=exchange.path,
            reason=reason,
        )
        if exchange.requested_by and exchange.requested_by != actor.user_id:
            notify(
                user_ids=[exchange.requested_by],
                kind="timebank.exchange",
                text=Msg(
                    f"您的时间银行兑换（{exchange.service.name_zh}）：{STATE_ZH[exchange.state]}",
                    f"Your time-bank exchange ({exchange.service.name_en}): {STATE_EN[exchange.state]}",
                ),
                link="/my/time-bank/",
            )
    return exchange


# ================================================================ donations


@dataclass
class DonationInput:
    minutes: int | None
    reason: str
    to_pool: bool = False
    recipient: UUID | None = None
    confirmed: bool = False


def donation_make(*, actor: Actor, data: DonationInput) -> Donation:
    """A volunteer gives minutes to another volunteer (by the public id a community worker gave
    them) or to their community's pool. Irreversible: needs the confirmation and a reason."""
    volunteer, giver = _own_account(actor)
    minutes = _minutes(data.minutes)
    reason = _reason(data.reason)
    if not data.confirmed:
        raise _field("confirmed", "捐赠后不能撤回，请确认", "A donation cannot be undone: confirm it")
    if data.to_pool:
        recipient = account_ensure(
            holder=pool_holder(volunteer.registered_path), kind=HolderKind.POOL, path=volunteer.registered_path
        )
    else:
        if data.recipient is None:
            raise _field(
                "recipient", "请填写受赠志愿者编号，或选择捐给社区时间池", "Give the volunteer's id or choose the pool"
            )
        if data.recipient == UUID(str(volunteer.public_id)):
            raise _field("recipient", "不能捐给自己", "You cannot donate to yourself")
        other = volunteers_exists(data.recipient)
        if other is None:
            raise _field("recipient", "没有这个志愿者编号", "No volunteer has this id")
        recipient = account_ensure(holder=other.public_id, kind=HolderKind.VOLUNTEER, path=other.registered_path)
    now = timezone.now()
    with transaction.atomic():
        # lock both rows in one order (by id) so two opposite donations cannot deadlock
        locked = {
            a.pk: a
            for a in TimeBankAccount.objects.select_for_update().filter(pk__in=[giver.pk, recipient.pk]).order_by("pk")
        }
        giver, recipient = locked[giver.pk], locked[recipient.pk]
        if minutes > giver.available:
            raise _shortfall("minutes", minutes, giver)
        donation = Donation.objects.create(
            giver=giver,
            recipient=recipient,
            minutes=minutes,
            reason=reason,
            actor_user_id=actor.user_id,
            created_at=now,
        )
        reference = (Reference.DONATION, str(donation.public_id))
        _post(
            giver, kind=EntryKind.DONATED_OUT, minutes=-minutes, reference=reference, actor=actor, reason=reason, at=now
        )
        _post(
            recipient,
            kind=EntryKind.DONATED_IN,
            minutes=minutes,
            reference=reference,
            actor=actor,
            reason=reason,
            at=now,
        )
        audit_record(
            actor=actor,
            action="timebank.donation",
            object_type="timebank_donation",
            object_id=donation.public_id,
            org_path=giver.path,
            reason=reason,
            details={"minutes": minutes, "to": recipient.kind},
        )
    return donation


def volunteers_exists(public_id: UUID):
    """A donation's recipient, whoever registered them (the giver only knows the id)."""
    return volunteer_by_public_id(public_id)


# ================================================================ the city's rules


@dataclass
class ServiceEdit:
    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    minutes_per_unit: int | None
    is_active: bool = True


def services_ensure() -> int:
    """Put the shipped services in the catalogue (existing codes are left as the city edited them)."""
    known = set(TimeBankService.objects.values_list("code", flat=True))
    new = [
        TimeBankService(
            code=d.code,
            name_zh=d.name_zh,
            name_en=d.name_en,
            unit_zh=d.unit_zh,
            unit_en=d.unit_en,
            minutes_per_unit=d.minutes_per_unit,
            shipped=True,
            sort=(i + 1) * 10,
        )
        for i, d in enumerate(DEFAULT_SERVICES)
        if d.code not in known
    ]
    TimeBankService.objects.bulk_create(new)
    return len(new)


def service_save(*, actor: Actor, data: ServiceEdit) -> TimeBankService:
    if not may_edit_rules(actor):
        raise permission_denied()
    problems = []
    code = (data.code or "").strip().lower()
    if not code or not code.replace("_", "").isalnum() or len(code) > 40:
        problems.append(
            FieldError("code", Msg("编码只能用字母、数字和下划线", "A code has letters, digits and _ only"))
        )
    for name, limit in (("name_zh", 60), ("name_en", 80), ("unit_zh", 10), ("unit_en", 20)):
        value = (getattr(data, name) or "").strip()
        if not value or len(value) > limit:
            problems.append(FieldError(name, Msg(f"必填，最多 {limit} 字", f"Required, at most {limit} characters")))
    price = data.minutes_per_unit
    if not isinstance(price, int) or not 1 <= price <= 24 * 60:
        problems.append(FieldError("minutes_per_unit", Msg("每单位分钟数应为 1 至 1440", "Minutes per unit: 1–1,440")))
    if problems or price is None:
        raise validation_failed(problems)
    with transaction.atomic():
        service, created = TimeBankService.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": data.name_zh.strip(),
                "name_en": data.name_en.strip(),
                "unit_zh": data.unit_zh.strip(),
                "unit_en": data.unit_en.strip(),
                "minutes_per_unit": price,
                "is_active": data.is_active,
            },
        )
        audit_record(
            actor=actor,
            action="timebank.service_save",
            object_type="timebank_service",
            object_id=code,
            details={"minutes_per_unit": data.minutes_per_unit, "active": data.is_active, "created": created},
        )
    return service


def expiry_rule_set(*, actor: Actor, years: int | None, verified: bool, source: str) -> ExpiryRule:
    if not may_edit_rules(actor):
        raise permission_denied()
    if not years_valid(years):
        raise _field("years", "年限应为 1 至 50，或留空表示不过期", "Years: 1–50, or empty for never")
    source = (source or "").strip()
    if verified and not source:
        raise _field("source", "标为已核实时请写明依据（文件名称或文号）", "Name the source when marking it verified")
    with transaction.atomic():
        rule = ExpiryRule.objects.select_for_update().order_by("pk").first() or ExpiryRule()
        rule.years, rule.verified, rule.source = years, verified, source[:300]
        rule.updated_by, rule.updated_at = actor.shown_name, timezone.now()
        rule.save()
        audit_record(
            actor=actor,
            action="timebank.expiry_rule",
            object_type="timebank_expiry_rule",
            object_id=rule.pk,
            details={"years": years, "verified": verified},
        )
    return rule


def expiry_run(now: datetime | None = None) -> str:
    """Periodic job (`linli tick`): under the city's rule, unspent credits older than the rule's
    years expire, first in first out (domain.expiring_minutes). Idempotent: a second run the same
    day, or any later run, expires only what has newly passed the cutoff."""
    rule = expiry_rule()
    if rule.years is None:
        return "time-bank expiry: no rule (hours do not expire)"
    now = now or timezone.now()
    cutoff = expiry_cutoff(now, rule.years)
    credits_q = Q(kind__in=(EntryKind.EARNED, EntryKind.DONATED_IN)) | Q(kind=EntryKind.CORRECTION, minutes__gt=0)
    old_credits = dict(
        TimeBankEntry.objects.filter(credits_q, created_at__lt=cutoff)
        .values("account")
        .annotate(total=Sum("minutes"))
        .values_list("account", "total")
    )
    expired = accounts = 0
    for account_id, credited in old_credits.items():
        with transaction.atomic():
            account = _locked(account_id)
            debits = -(
                TimeBankEntry.objects.filter(account=account, minutes__lt=0).aggregate(t=Sum("minutes"))["t"] or 0
            )
            due = expiring_minutes(credits_before_cutoff=credited, debits_total=debits, available=account.available)
            if due <= 0:
                continue
            reference = (Reference.EXPIRY, f"{cutoff:%Y-%m-%d}")
            if TimeBankEntry.objects.filter(
                account=account, reference_type=reference[0], reference_id=reference[1]
            ).exists():
                continue
            _post(
                account,
                kind=EntryKind.EXPIRED,
                minutes=-due,
                reference=reference,
                actor=SYSTEM,
                reason=f"存入后 {rule.years} 年未使用",
                at=now,
            )
            expired += due
            accounts += 1
    return f"time-bank expiry: {expired} minutes expired in {accounts} accounts"
