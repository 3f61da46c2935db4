"""Reads of the time bank, scoped by the actor; missing and forbidden are the same 404.

A volunteer's own account is found through `volunteers.selectors.volunteer_for_user`; staff see
the accounts of volunteers registered in their area (the account's `path`), the exchanges their
community arranges (the exchange's `path`) and figures of the minutes earned where the service
was given (the entry's `path`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from linli.accounts.domain import CATALOGUE_EDIT, TIMEBANK_MANAGE, TIMEBANK_USE
from linli.areas.selectors import unit_names
from linli.core.actor import Actor
from linli.core.crypto import unseal
from linli.core.errors import not_found
from linli.core.paths import under_path
from linli.timebank.domain import EntryKind, ExchangeState, HolderKind, pool_holder
from linli.timebank.models import (
    Donation,
    Exchange,
    ExchangeStep,
    ExpiryRule,
    TimeBankAccount,
    TimeBankEntry,
    TimeBankService,
)
from linli.volunteers.domain import VolunteerStatus
from linli.volunteers.selectors import (
    VolunteerBrief,
    mask_name,
    volunteer_brief,
    volunteer_for_user,
    volunteer_list,
)

NOTE_CONTEXT = "timebank.exchange.note"
QUEUE_STATES = (ExchangeState.REQUESTED, ExchangeState.ARRANGED, ExchangeState.DELIVERED)


# ---- who is a volunteer (through the volunteers app) --------------------------------------------


def volunteer_of_user(user_id: int | None) -> VolunteerBrief | None:
    """The signed-in resident's volunteer record, or None: hours, stars and who they are."""
    return volunteer_for_user(user_id)


def volunteer_lookup(*, actor: Actor, public_id: UUID) -> VolunteerBrief:
    """A volunteer as `actor` sees them (404 outside their scope; the name masked for staff)."""
    return volunteer_brief(actor=actor, public_id=public_id)


# ---- accounts and the ledger --------------------------------------------------------------------


def may_manage(actor: Actor) -> bool:
    return actor.has_perm(TIMEBANK_MANAGE) and bool(actor.scope_paths)


def may_edit_rules(actor: Actor) -> bool:
    """The catalogue and the expiry rule are the city's."""
    return actor.citywide and (actor.has_perm(TIMEBANK_MANAGE) or actor.has_perm(CATALOGUE_EDIT))


def may_use(actor: Actor) -> bool:
    return actor.has_perm(TIMEBANK_USE) and actor.user_id is not None


def account_of(holder: UUID) -> TimeBankAccount | None:
    """One indexed lookup by holder (unique): a volunteer's balance in one query."""
    return TimeBankAccount.objects.filter(holder=holder).first()


def balance_of(holder: UUID) -> tuple[int, int]:
    """(balance, held) minutes of a holder; (0, 0) for one with no account yet."""
    row = TimeBankAccount.objects.filter(holder=holder).values_list("balance", "held").first()
    return row if row else (0, 0)


def account_list(*, actor: Actor, kind: str = "", under: str = "") -> QuerySet[TimeBankAccount]:
    if not may_manage(actor):
        return TimeBankAccount.objects.none()
    accounts = actor.scoped(TimeBankAccount.objects.all())
    if kind:
        accounts = accounts.filter(kind=kind)
    if under.isdigit():
        accounts = accounts.filter(under_path("path", under))
    return accounts.order_by("-balance", "pk")


def account_get(*, actor: Actor, holder: UUID) -> TimeBankAccount:
    account = account_list(actor=actor).filter(holder=holder).first()
    if account is None:
        raise not_found("时间银行账户", "Time-bank account")
    return account


def pool_get(*, actor: Actor, path: str) -> TimeBankAccount | None:
    """A community's pool as staff see it (None: no minutes given to it yet)."""
    if not may_manage(actor) or not path.isdigit() or not actor.sees_path(path):
        raise not_found("社区时间池", "Community pool")
    return TimeBankAccount.objects.filter(holder=pool_holder(path)).first()


def ledger(account: TimeBankAccount | None) -> QuerySet[TimeBankEntry]:
    """An account's entries, newest first (index on account, -id)."""
    if account is None:
        return TimeBankEntry.objects.none()
    return TimeBankEntry.objects.filter(account=account).order_by("-id")


def chain_problems(account: TimeBankAccount) -> list[int]:
    """Ids of entries whose balance_after does not follow from the one before (empty: sound)."""
    problems, balance = [], 0
    for pk, minutes, after in (
        TimeBankEntry.objects.filter(account=account).order_by("id").values_list("pk", "minutes", "balance_after")
    ):
        balance += minutes
        if after != balance:
            problems.append(pk)
    if balance != account.balance:
        problems.append(0)
    return problems


# ---- exchanges ----------------------------------------------------------------------------------


def exchange_list(*, actor: Actor, state: str = "", mine: bool = False, under: str = "") -> QuerySet[Exchange]:
    """Staff: the exchanges their communities arrange. `mine`: the resident's own requests."""
    exchanges = Exchange.objects.select_related("service", "account")
    if mine:
        if actor.user_id is None:
            return Exchange.objects.none()
        exchanges = exchanges.filter(requested_by=actor.user_id)
    elif not may_manage(actor):
        return Exchange.objects.none()
    else:
        exchanges = actor.scoped(exchanges)
    if state == "open":
        exchanges = exchanges.filter(state__in=QUEUE_STATES)
    elif state:
        exchanges = exchanges.filter(state=state)
    if under.isdigit():
        exchanges = exchanges.filter(under_path("path", under))
    return exchanges.order_by("-created_at", "-pk")


def exchange_get(*, actor: Actor, public_id: UUID) -> Exchange:
    exchange = Exchange.objects.select_related("service", "account").filter(public_id=public_id).first()
    if exchange is None or not (
        (may_manage(actor) and actor.sees_path(exchange.path))
        or (actor.user_id is not None and exchange.requested_by == actor.user_id)
    ):
        raise not_found("兑换", "Exchange")
    return exchange


def exchange_note(exchange: Exchange) -> str:
    return unseal(exchange.note_sealed, context=NOTE_CONTEXT) if exchange.note_sealed else ""


def exchange_steps(exchange: Exchange) -> QuerySet[ExchangeStep]:
    return ExchangeStep.objects.filter(exchange=exchange).order_by("at", "pk")


def exchange_counts(*, actor: Actor) -> dict[str, int]:
    """Open exchanges per state in the actor's scope, in one conditional aggregate."""
    if not may_manage(actor):
        return {state: 0 for state in QUEUE_STATES}
    row = actor.scoped(Exchange.objects.all()).aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in QUEUE_STATES}
    )
    return {state: row[state] or 0 for state in QUEUE_STATES}


# ---- donations, catalogue, rule -----------------------------------------------------------------


def donations_of(account: TimeBankAccount | None) -> QuerySet[Donation]:
    if account is None:
        return Donation.objects.none()
    return Donation.objects.filter(Q(giver=account) | Q(recipient=account)).order_by("-created_at")


def service_list(*, include_inactive: bool = False) -> QuerySet[TimeBankService]:
    services = TimeBankService.objects.all()
    return services if include_inactive else services.filter(is_active=True)


def service_by_code(code: str) -> TimeBankService | None:
    return TimeBankService.objects.filter(code=code, is_active=True).first() if code else None


def expiry_rule() -> ExpiryRule:
    """The city's rule; an unsaved default (never expires, unverified) when none is kept yet."""
    return ExpiryRule.objects.order_by("pk").first() or ExpiryRule()


# ---- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: date
    earned: int
    spent: int
    donated: int
    expired: int


def month_figures(*, actor: Actor, since: datetime, under: str = "") -> list[MonthFigures]:
    """Minutes earned, spent, donated and expired per month where they were booked (the entry's
    unit path) in the actor's scope: one GROUP BY over the indexed path and time."""
    if not may_manage(actor):
        return []
    entries = actor.scoped(TimeBankEntry.objects.filter(created_at__gte=since))
    if under.isdigit():
        entries = entries.filter(under_path("path", under))
    rows = (
        entries.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            earned=Sum("minutes", filter=Q(kind=EntryKind.EARNED)),
            spent=Sum("minutes", filter=Q(kind=EntryKind.SPENT)),
            donated=Sum("minutes", filter=Q(kind=EntryKind.DONATED_OUT)),
            expired=Sum("minutes", filter=Q(kind=EntryKind.EXPIRED)),
        )
        .order_by("month")
    )
    return [
        MonthFigures(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            earned=row["earned"] or 0,
            spent=-(row["spent"] or 0),
            donated=-(row["donated"] or 0),
            expired=-(row["expired"] or 0),
        )
        for row in rows
    ]


def pool_paths(*, actor: Actor) -> list[str]:
    """Paths of the community pools the actor sees that hold or held minutes."""
    return list(account_list(actor=actor, kind=HolderKind.POOL).order_by("path").values_list("path", flat=True))


def holder_names(*, actor: Actor, holders: list[UUID]) -> dict[str, str]:
    """Masked names (surname only) of the volunteers among `holders` the actor sees: one query."""
    if not holders:
        return {}
    rows = volunteer_list(actor=actor).filter(public_id__in=holders).values_list("public_id", "name")
    return {str(public_id): mask_name(name) for public_id, name in rows}


def unit_name_map(paths: list[str]) -> dict[str, str]:
    return unit_names(paths)


def provider_choices(
    *, actor: Actor, path: str, exclude: UUID | None = None, limit: int = 200
) -> list[tuple[str, str]]:
    """Active volunteers registered in the exchange's community, for the arranging worker to
    pick a provider (names as the roster shows them to the staff who manage it)."""
    volunteers = volunteer_list(actor=actor).filter(registered_path=path, status=VolunteerStatus.ACTIVE)
    if exclude is not None:
        volunteers = volunteers.exclude(public_id=exclude)
    rows = volunteers.order_by("name").values_list("public_id", "name")[:limit]
    return [(str(public_id), name) for public_id, name in rows]


def credited_hours_ids() -> set[str]:
    """Ids of the approved hours the bank has credited (the demo's catch-up)."""
    return set(TimeBankEntry.objects.filter(reference_type="hours").values_list("reference_id", flat=True))


def earned_total(holder: UUID) -> int:
    total = TimeBankEntry.objects.filter(account__holder=holder, kind=EntryKind.EARNED).aggregate(s=Sum("minutes"))
    return int(total["s"] or 0)


@dataclass(frozen=True)
class VolunteerSummary:
    """A volunteer's hours, stars and balance: what the resident page and the benchmark read."""

    holder: UUID
    total_minutes: int
    star_level: int
    balance: int
    held: int


def summary_for_user(user_id: int | None) -> VolunteerSummary | None:
    """The volunteers app's brief (its indexed reads) plus one read of the unique holder index."""
    brief = volunteer_for_user(user_id)
    if brief is None:
        return None
    holder = UUID(str(brief.public_id))
    balance, held = balance_of(holder)
    return VolunteerSummary(holder, brief.total_minutes, brief.star_level, balance, held)
