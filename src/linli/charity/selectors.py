"""Reads of charity and micro-funds, scoped by the actor; missing and forbidden are the same 404.

Staff (CHARITY_MANAGE) see needs and funds of their area by the community's path, and the offers
that are based in their area or reach into it from a street or the city. A donor sees their own
offers (a resident by account, an organisation's account by its organisations). The public sees
open needs and every active fund's ledger, without personal data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.accounts.domain import CHARITY_MANAGE
from linli.areas.selectors import unit_names
from linli.charity.domain import (
    OPEN_NEED_STATES,
    EntryKind,
    Kind,
    MatchState,
    NeedFacts,
    NeedState,
    OfferFacts,
    OfferState,
    Proposal,
    RequestState,
    proposals,
)
from linli.charity.models import CharityNeed, CharityOffer, FundEntry, Match, MicroFund, NeedStep, PaymentRequest
from linli.core.actor import Actor
from linli.core.errors import not_found
from linli.core.paths import under_path
from linli.partners import selectors as partners

CANDIDATE_LIMIT = 500  # offers read for one need's proposals


def org_ids_for(actor: Actor) -> frozenset[UUID]:
    """The organisations an organiser's account speaks for (kept by `partners`)."""
    return partners.org_ids_for(actor)


def org_brief(public_id: UUID | None) -> partners.OrgBrief | None:
    """Name, kind and place of an organisation (no personal data), or None."""
    return partners.social_org_brief(public_id) if public_id is not None else None


def org_choices(actor: Actor) -> list[tuple[str, str]]:
    """(public id, name) of the organisations the actor may give for."""
    return [(str(o.public_id), o.name) for o in partners.social_org_choices(actor) if o.public_id in org_ids_for(actor)]


def manages(actor: Actor) -> bool:
    return actor.has_perm(CHARITY_MANAGE) and bool(actor.scope_paths)


# ---------------------------------------------------------------- needs


def need_list(*, actor: Actor, state: str = "", kind: str = "", under: str = "", q: str = "") -> QuerySet[CharityNeed]:
    if not manages(actor):
        return CharityNeed.objects.none()
    needs = actor.scoped(CharityNeed.objects.all(), "community_path")
    if state == "active":
        needs = needs.filter(state__in=OPEN_NEED_STATES | {NeedState.DELIVERED})
    elif state:
        needs = needs.filter(state=state)
    if kind:
        needs = needs.filter(kind=kind)
    if under.isdigit():
        needs = needs.filter(under_path("community_path", under))
    if q:
        needs = needs.filter(Q(title__contains=q) | Q(description__contains=q) | Q(beneficiary__contains=q))
    return needs.order_by("-created_at", "-pk")


def need_get(*, actor: Actor, public_id) -> CharityNeed:
    need = need_list(actor=actor).filter(public_id=public_id).first()
    if need is None:
        raise not_found("需求", "Need")
    return need


def need_counts(*, actor: Actor) -> dict[str, int]:
    """Needs per state in the actor's area, and how many open ones are past their date: one query."""
    if not manages(actor):
        return {state: 0 for state in NeedState.values} | {"overdue": 0}
    today = timezone.localdate()
    row = actor.scoped(CharityNeed.objects.all(), "community_path").aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in NeedState.values},
        overdue=Count("pk", filter=Q(state=NeedState.OPEN, needed_by__lt=today)),
    )
    return {key: value or 0 for key, value in row.items()}


def need_steps(need: CharityNeed) -> list[NeedStep]:
    return list(need.steps.order_by("at", "pk"))


def need_matches(need: CharityNeed) -> list[Match]:
    return list(need.matches.select_related("offer").order_by("confirmed_at", "pk"))


def public_needs(*, kind: str = "", under: str = "") -> QuerySet[CharityNeed]:
    """Open needs of the city for the public page and API: no note, no donor, nothing personal
    beyond the beneficiary's public description."""
    needs = CharityNeed.objects.filter(state=NeedState.OPEN).defer("note_sealed")
    if kind in Kind.values:
        needs = needs.filter(kind=kind)
    if under.isdigit():
        needs = needs.filter(under_path("community_path", under))
    return needs.order_by("needed_by", "-created_at", "-pk")


def public_need_get(public_id) -> CharityNeed:
    need = public_needs().filter(public_id=public_id).first()
    if need is None:
        raise not_found("需求", "Need")
    return need


# ---------------------------------------------------------------- offers


def _reach_q(actor: Actor) -> Q:
    """Offers based in the actor's area, or at a street, district or the city above it."""
    above: set[str] = set()
    for path in actor.scope_paths:
        above |= {path[:length] for length in (4, 6, 9) if len(path) > length}
    return actor.scope_q("path") | Q(path__in=sorted(above))


def offer_list(*, actor: Actor, state: str = "", kind: str = "", q: str = "") -> QuerySet[CharityOffer]:
    if not manages(actor):
        return CharityOffer.objects.none()
    offers = CharityOffer.objects.filter(_reach_q(actor))
    if state == "available":
        offers = offers.filter(state=OfferState.OPEN, allocated__lt=F("quantity"))
    elif state:
        offers = offers.filter(state=state)
    if kind:
        offers = offers.filter(kind=kind)
    if q:
        offers = offers.filter(Q(title__contains=q) | Q(description__contains=q) | Q(donor_name__contains=q))
    return offers.order_by("-created_at", "-pk")


def _donor_q(actor: Actor) -> Q:
    query = Q(pk__in=[])
    if actor.user_id:
        query |= Q(donor_user_id=actor.user_id)
    orgs = org_ids_for(actor)
    if orgs:
        query |= Q(org_id__in=sorted(orgs, key=str))
    return query


def offer_get(*, actor: Actor, public_id) -> CharityOffer:
    """An offer as staff of its area or as its donor see it."""
    query = _donor_q(actor)
    if manages(actor):
        query |= _reach_q(actor)
    offer = CharityOffer.objects.filter(query, public_id=public_id).first()
    if offer is None:
        raise not_found("捐赠意向", "Offer")
    return offer


def my_offers(*, actor: Actor) -> list[CharityOffer]:
    """A donor's own offers with the outcome of each (matches and what became of them)."""
    if not actor.user_id:
        return []
    offers = CharityOffer.objects.filter(_donor_q(actor)).prefetch_related("matches__need")
    return list(offers.order_by("-created_at", "-pk")[:100])


@dataclass(frozen=True)
class ProposalRow:
    proposal: Proposal
    offer: CharityOffer


def need_proposals(*, need: CharityNeed, limit: int = 10) -> list[ProposalRow]:
    """Offers that may serve the need, best first (`domain.proposals`)."""
    if need.state not in OPEN_NEED_STATES or need.remaining <= 0:
        return []
    kinds = Kind.values if need.kind == Kind.OTHER else [need.kind, Kind.OTHER]
    today = timezone.localdate()
    candidates = list(
        CharityOffer.objects.filter(
            under_path("path", need.community_path[:4]),
            state=OfferState.OPEN,
            kind__in=kinds,
            allocated__lt=F("quantity"),
        )
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .order_by("-created_at")[:CANDIDATE_LIMIT]
    )
    by_id = {offer.pk: offer for offer in candidates}
    facts = [
        OfferFacts(o.pk, o.kind, o.category, o.path, o.reach, o.remaining, o.available_until, o.for_need_id == need.pk)
        for o in candidates
    ]
    ranked = proposals(NeedFacts(need.kind, need.category, need.community_path, need.remaining), facts, today)
    return [ProposalRow(p, by_id[p.key]) for p in ranked[:limit]]  # type: ignore[index]


def match_list(*, actor: Actor, state: str = "") -> QuerySet[Match]:
    if not manages(actor):
        return Match.objects.none()
    matches = Match.objects.filter(actor.scope_q("need__community_path")).select_related("need", "offer")
    if state:
        matches = matches.filter(state=state)
    return matches.order_by("confirmed_at", "pk")


def match_get(*, actor: Actor, public_id) -> Match:
    match = match_list(actor=actor).filter(public_id=public_id).first()
    if match is None:
        raise not_found("对接", "Match")
    return match


# ---------------------------------------------------------------- funds


def public_funds() -> QuerySet[MicroFund]:
    return MicroFund.objects.filter(is_active=True).order_by("community_path", "name")


def public_fund_get(public_id) -> MicroFund:
    fund = public_funds().filter(public_id=public_id).first()
    if fund is None:
        raise not_found("微基金", "Micro-fund")
    return fund


def fund_list(*, actor: Actor) -> QuerySet[MicroFund]:
    if not manages(actor):
        return MicroFund.objects.none()
    return actor.scoped(MicroFund.objects.all(), "community_path").order_by("community_path", "name")


def fund_get(*, actor: Actor, public_id) -> MicroFund:
    fund = fund_list(actor=actor).filter(public_id=public_id).first()
    if fund is None:
        raise not_found("微基金", "Micro-fund")
    return fund


def fund_entries(fund: MicroFund) -> list[FundEntry]:
    return list(fund.entries.select_related("corrects").order_by("recorded_at", "pk"))


@dataclass(frozen=True)
class FundTotals:
    income: Decimal
    spending: Decimal
    balance: Decimal
    donations: int
    payments: int


def fund_totals(fund: MicroFund) -> FundTotals:
    """Income counts donations and positive corrections; spending payments and negative ones."""
    zero = Decimal("0.00")
    row = fund.entries.aggregate(
        income=Sum("amount", filter=Q(amount__gt=0)),
        spending=Sum("amount", filter=Q(amount__lt=0)),
        donations=Count("pk", filter=Q(kind=EntryKind.DONATION)),
        payments=Count("pk", filter=Q(kind=EntryKind.PAYMENT)),
    )
    return FundTotals(
        row["income"] or zero, -(row["spending"] or zero), fund.balance, row["donations"], row["payments"]
    )


def requests_waiting(*, actor: Actor, fund: MicroFund | None = None) -> QuerySet[PaymentRequest]:
    if not manages(actor):
        return PaymentRequest.objects.none()
    requests = PaymentRequest.objects.filter(actor.scope_q("fund__community_path"), state=RequestState.WAITING)
    if fund is not None:
        requests = requests.filter(fund=fund)
    return requests.select_related("fund").order_by("requested_at", "pk")


def request_get(*, actor: Actor, public_id) -> PaymentRequest:
    request = requests_waiting(actor=actor).filter(public_id=public_id).first()
    if request is None:
        raise not_found("待决支出", "Payment request")
    return request


def community_names(paths) -> dict[str, str]:
    return unit_names(paths)


def demo_has_rows(community_path: str) -> bool:
    """Whether the demo already made this community's needs or fund (the demo runs once)."""
    return (
        CharityNeed.objects.filter(community_path=community_path).exists()
        or MicroFund.objects.filter(community_path=community_path).exists()
    )


# ---------------------------------------------------------------- workbench and figures


def workbench_counts(*, actor: Actor) -> dict[str, int]:
    """Needs unmatched past their date, matches to deliver, large payments waiting: one query each."""
    if not manages(actor):
        return {"overdue": 0, "to_deliver": 0, "waiting": 0}
    today = timezone.localdate()
    needs = actor.scoped(CharityNeed.objects.all(), "community_path")
    return {
        "overdue": needs.filter(state=NeedState.OPEN, needed_by__lt=today).count(),
        "to_deliver": match_list(actor=actor, state=MatchState.CONFIRMED).count(),
        "waiting": requests_waiting(actor=actor).count(),
    }


def needs_overdue(*, actor: Actor, limit: int) -> list[CharityNeed]:
    if not manages(actor):
        return []
    today = timezone.localdate()
    needs = actor.scoped(CharityNeed.objects.all(), "community_path")
    return list(needs.filter(state=NeedState.OPEN, needed_by__lt=today).order_by("needed_by", "pk")[:limit])


@dataclass(frozen=True)
class Figures:
    months: list[str]
    needs_posted: list[int]
    needs_met: list[int]
    raised: list[Decimal]
    spent: list[Decimal]
    areas: list[tuple[str, int, int, Decimal, Decimal]]  # name, posted, met, raised, spent


MET_STATES = (NeedState.DELIVERED, NeedState.ACKNOWLEDGED)


def figures(*, actor: Actor, months: int = 12) -> Figures:
    """Needs posted and met, money raised and spent, per month (the last `months`) and per area
    one level below the actor's (communities for a street, streets for a district)."""
    zero = Decimal("0.00")
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    first = dt.date(index // 12, index % 12 + 1, 1)
    keys = []
    cursor = first
    while cursor <= today:
        keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    if not manages(actor):
        return Figures(keys, [0] * len(keys), [0] * len(keys), [zero] * len(keys), [zero] * len(keys), [])
    needs = actor.scoped(CharityNeed.objects.all(), "community_path")
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    posted = dict(
        needs.filter(created_at__gte=start)
        .annotate(m=TruncMonth("created_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    met = dict(
        needs.filter(state__in=MET_STATES, state_changed_at__gte=start)
        .annotate(m=TruncMonth("state_changed_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    entries = FundEntry.objects.filter(actor.scope_q("fund__community_path"), on__gte=first)
    money = (
        entries.annotate(m=TruncMonth("on"))
        .values("m")
        .annotate(income=Sum("amount", filter=Q(amount__gt=0)), outgo=Sum("amount", filter=Q(amount__lt=0)))
    )

    def month_key(value) -> str:
        return value.strftime("%Y-%m") if value else ""

    posted_by = {month_key(k): v for k, v in posted.items()}
    met_by = {month_key(k): v for k, v in met.items()}
    raised_by = {month_key(r["m"]): r["income"] or zero for r in money}
    spent_by = {month_key(r["m"]): -(r["outgo"] or zero) for r in money}

    # per area: one level below the actor's first scope path
    root = min(actor.scope_paths, key=len)
    length = {4: 6, 6: 9, 9: 12}.get(len(root), 12)
    per: dict[str, list] = defaultdict(lambda: [0, 0, zero, zero])
    for path, state in needs.values_list("community_path", "state"):
        row = per[path[:length]]
        row[0] += 1
        row[1] += state in MET_STATES
    for path, amount in FundEntry.objects.filter(actor.scope_q("fund__community_path")).values_list(
        "fund__community_path", "amount"
    ):
        row = per[path[:length]]
        if amount > 0:
            row[2] += amount
        else:
            row[3] -= amount
    names = unit_names(per)
    areas = sorted(((names.get(p, p), *v) for p, v in per.items()), key=lambda r: r[0])
    return Figures(
        keys,
        [posted_by.get(k, 0) for k in keys],
        [met_by.get(k, 0) for k in keys],
        [raised_by.get(k, zero) for k in keys],
        [spent_by.get(k, zero) for k in keys],
        areas,
    )
