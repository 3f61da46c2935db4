"""Care services, stage statements: reads, scoped by the actor's paths, failing closed (one 404
for missing and forbidden). Family care beds and their month against plan, the providers'
figures per month, the statements with their lines and totals; a provider's dispatcher reads
its own provider's figures and statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Case, Count, F, Q, QuerySet, Sum, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.domain import CARE_FIGURES, CARE_MANAGE, CARE_PAY, CARE_PROVIDE, CARE_VIEW
from linli.areas.selectors import unit_names
from linli.care.domain.orders import MemberKind, VisitState
from linli.care.domain.statements import (
    ALREADY_HAS_BED,
    BAD_RATING_MAX,
    ON_TIME_GRACE,
    BedMonth,
    StatementState,
    month_start,
    next_month,
    rate,
)
from linli.care.domain.targets import Target
from linli.care.models import (
    CareBed,
    Order,
    Provider,
    ProviderArea,
    ProviderMember,
    ServiceItem,
    Statement,
    StatementLine,
    Visit,
)
from linli.care.selectors.entitlements import entitlement_check, items_in_force
from linli.core.actor import Actor
from linli.core.errors import Msg, not_found
from linli.core.workbench import WorkCount, WorkRow, WorkSection

DELIVERED = (VisitState.DONE, VisitState.VERIFIED)


# ================================================================ who may read what


def can_manage_beds(actor: Actor) -> bool:
    return actor.has_perm(CARE_MANAGE) and bool(actor.scope_paths)


def can_see_figures(actor: Actor) -> bool:
    return (actor.has_perm(CARE_VIEW) or actor.has_perm(CARE_FIGURES)) and bool(actor.scope_paths)


def dispatcher_provider(actor: Actor) -> Provider | None:
    """The provider a dispatcher's account speaks for (None for anyone else)."""
    if actor.user_id is None or not actor.has_perm(CARE_PROVIDE):
        return None
    member = (
        ProviderMember.objects.filter(user_id=actor.user_id, kind=MemberKind.DISPATCHER, active=True)
        .select_related("provider")
        .first()
    )
    return member.provider if member else None


# ================================================================ family care beds


def bed_list(*, actor: Actor, active_only: bool = True) -> QuerySet[CareBed]:
    if not (actor.has_perm(CARE_MANAGE) or actor.has_perm(CARE_VIEW)):
        return CareBed.objects.none()
    beds = actor.scoped(CareBed.objects.select_related("provider", "item"))
    return beds.filter(ended_on__isnull=True) if active_only else beds


def bed_get(*, actor: Actor, public_id) -> CareBed:
    try:
        bed = bed_list(actor=actor, active_only=False).filter(public_id=public_id).first()
    except (ValueError, TypeError):
        bed = None
    if bed is None:
        raise not_found("家庭养老床位", "Family care bed")
    return bed


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(month, datetime.min.time(), tzinfo=tz),
        datetime.combine(next_month(month), datetime.min.time(), tzinfo=tz),
    )


def bed_months(beds: list[CareBed], month: date, now: datetime | None = None) -> dict[int, BedMonth]:
    """Each bed's month in one query: planned = visits due so far (not cancelled), delivered =
    done or verified, and the subsidy that follows the verified ones."""
    now = now or timezone.now()
    rows = (
        Visit.objects.filter(bed__in=[b.pk for b in beds], month=month, slot_start__lt=now)
        .exclude(state=VisitState.CANCELLED)
        .values("bed_id")
        .annotate(
            planned=Count("pk"),
            delivered=Count("pk", filter=Q(state__in=DELIVERED)),
            verified=Count("pk", filter=Q(state=VisitState.VERIFIED)),
            subsidy=Sum("government_pays", filter=Q(state=VisitState.VERIFIED)),
        )
    )
    found = {
        r["bed_id"]: BedMonth(r["planned"], r["delivered"], r["verified"], r["subsidy"] or Decimal("0")) for r in rows
    }
    return {b.pk: found.get(b.pk, BedMonth(0, 0, 0, Decimal("0"))) for b in beds}


def beds_below_plan(*, actor: Actor, month: date, now: datetime | None = None) -> QuerySet[CareBed]:
    """Beds in service whose delivered visits this month are fewer than those due so far."""
    now = now or timezone.now()
    return (
        bed_list(actor=actor)
        .annotate(
            planned=Count(
                "visits",
                filter=Q(visits__month=month, visits__slot_start__lt=now) & ~Q(visits__state=VisitState.CANCELLED),
            ),
            delivered=Count(
                "visits", filter=Q(visits__month=month, visits__slot_start__lt=now, visits__state__in=DELIVERED)
            ),
        )
        .filter(delivered__lt=F("planned"))
    )


def providers_serving(*, actor: Actor, on: date) -> list[Provider]:
    """Active providers serving a community of the actor's area on the day (the bed form's list)."""
    areas = actor.scoped(ProviderArea.objects.filter(Q(until__isnull=True) | Q(until__gte=on), since__lte=on))
    return list(Provider.objects.filter(active=True, pk__in=areas.values("provider_id")).order_by("name"))


# ================================================================ provider figures


@dataclass(frozen=True)
class ProviderMonth:
    provider_id: int
    provider_name: str
    month: date
    orders: int
    due: int
    on_time: int
    delivered: int
    missed: int
    rated: int
    rating_avg: float | None
    bad_ratings: int
    unanswered: int  # bad ratings (差评) the community has not answered yet

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.due)

    @property
    def completion_rate(self) -> float | None:
        return rate(self.delivered, self.due)


def figures_months(today: date, count: int = 6) -> list[date]:
    months = [month_start(today)]
    for _i in range(count - 1):
        months.insert(0, month_start(months[0] - timedelta(days=1)))
    return months


def provider_figures(
    *, visits: QuerySet[Visit], orders: QuerySet[Order], months: list[date], now: datetime | None = None
) -> list[ProviderMonth]:
    """Per provider per month, two grouped queries: visits due (slot ended, not cancelled),
    checked in on time (by the slot's start + 15 minutes), delivered (done or verified), missed,
    ratings, 差评 and those not answered yet (the complaints the community still owes an answer);
    orders placed in the month."""
    now = now or timezone.now()
    due = Q(slot_end__lte=now) & ~Q(state=VisitState.CANCELLED)
    rows = (
        visits.filter(month__in=months)
        .values("provider_id", "provider__name", "month")
        .annotate(
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=due & Q(checked_in_at__lte=F("slot_start") + ON_TIME_GRACE)),
            delivered=Count("pk", filter=due & Q(state__in=DELIVERED)),
            missed=Count("pk", filter=Q(state=VisitState.MISSED)),
            rated=Count("rating"),
            rating_avg=Avg("rating"),
            bad=Count("pk", filter=Q(rating__lte=BAD_RATING_MAX)),
            unanswered=Count("pk", filter=Q(rating__lte=BAD_RATING_MAX, answer__isnull=True)),
        )
        .order_by("provider__name", "month")
    )
    order_counts = {
        (r["provider_id"], r["month"]): r["n"]
        for r in orders.filter(month__in=months, provider__isnull=False)
        .values("provider_id", "month")
        .annotate(n=Count("pk"))
    }
    return [
        ProviderMonth(
            provider_id=r["provider_id"],
            provider_name=r["provider__name"],
            month=r["month"],
            orders=order_counts.get((r["provider_id"], r["month"]), 0),
            due=r["due"],
            on_time=r["on_time"],
            delivered=r["delivered"],
            missed=r["missed"],
            rated=r["rated"],
            rating_avg=round(float(r["rating_avg"]), 2) if r["rating_avg"] is not None else None,
            bad_ratings=r["bad"],
            unanswered=r["unanswered"],
        )
        for r in rows
    ]


def area_provider_figures(*, actor: Actor, months: list[date], now: datetime | None = None) -> list[ProviderMonth]:
    """The figures of the visits and orders in the actor's area (a district's for its officers)."""
    if not can_see_figures(actor):
        return []
    return provider_figures(
        visits=actor.scoped(Visit.objects.all()), orders=actor.scoped(Order.objects.all()), months=months, now=now
    )


def own_provider_figures(*, provider: Provider, months: list[date], now: datetime | None = None) -> list[ProviderMonth]:
    return provider_figures(
        visits=Visit.objects.filter(provider=provider),
        orders=Order.objects.filter(provider=provider),
        months=months,
        now=now,
    )


# ================================================================ statements


def statement_list(*, actor: Actor, state: str = "") -> QuerySet[Statement]:
    if not (actor.has_perm(CARE_PAY) or actor.has_perm(CARE_VIEW)):
        return Statement.objects.none()
    rows = actor.scoped(Statement.objects.select_related("provider"))
    return rows.filter(state=state) if state else rows


def statement_get(*, actor: Actor, public_id) -> Statement:
    try:
        statement = statement_list(actor=actor).filter(public_id=public_id).first()
    except (ValueError, TypeError):
        statement = None
    if statement is None:
        raise not_found("结算单", "Statement")
    return statement


def provider_statement_list(*, provider: Provider | None) -> QuerySet[Statement]:
    if provider is None:
        return Statement.objects.none()
    return Statement.objects.filter(provider=provider).select_related("provider")


def provider_statement_get(*, provider: Provider | None, public_id) -> Statement:
    try:
        statement = provider_statement_list(provider=provider).filter(public_id=public_id).first()
    except (ValueError, TypeError):
        statement = None
    if statement is None:
        raise not_found("结算单", "Statement")
    return statement


def payable_providers(*, actor: Actor) -> list[Provider]:
    if not actor.has_perm(CARE_PAY):
        return []
    return list(actor.scoped(Provider.objects.filter(active=True)).order_by("name"))


def statement_lines(statement: Statement) -> list[StatementLine]:
    lines: list[StatementLine] = list(statement.lines.annotate(visit_ref=F("visit__public_id")))
    names = unit_names({line.community_path for line in lines})
    for line in lines:
        # a display-only attribute the model does not declare (the API and the exports read it),
        # so set by name for mypy
        setattr(line, "community_name", names.get(line.community_path, ""))  # noqa: B010
    return lines


@dataclass(frozen=True)
class TotalRow:
    label: str
    visits: int
    government: Decimal
    resident: Decimal


def statement_totals(lines: list[StatementLine], *, english: bool = False) -> tuple[list[TotalRow], list[TotalRow]]:
    """Totals by item and by community, from the lines already read (no query)."""

    def total(key) -> list[TotalRow]:
        sums: dict[str, list] = {}
        for line in lines:
            row = sums.setdefault(key(line), [0, Decimal("0"), Decimal("0")])
            row[0] += 1
            row[1] += line.government_pays
            row[2] += line.resident_pays
        return [TotalRow(label, n, g, r) for label, (n, g, r) in sorted(sums.items())]

    by_item = total(lambda line: line.item_name_en if english and line.item_name_en else line.item_name)
    by_community = total(lambda line: getattr(line, "community_name", "") or line.community_path)
    return by_item, by_community


def statement_pending_visits(statement: Statement, limit: int = 50) -> list[Visit]:
    """The provider's visits of the month not on a statement and not cancelled: the verified ones
    a regeneration adds, the others waiting for verification (which the statement refuses)."""
    if statement.state != StatementState.DRAFT:
        return []
    return list(
        Visit.objects.filter(provider_id=statement.provider_id, month=statement.month)
        .exclude(state=VisitState.CANCELLED)
        .exclude(statement_lines__is_correction=False)
        .select_related("order__item", "bed__item")
        # the ones a payer can act on first: verified (to add), then done (to be verified)
        .order_by(
            Case(When(state=VisitState.VERIFIED, then=0), When(state=VisitState.DONE, then=1), default=2),
            "slot_start",
            "pk",
        )[:limit]
    )


def statement_supplementary(statement: Statement) -> list[Statement]:
    return list(statement.supplementary.all().order_by("pk"))


# ================================================================ overview and workbench


def statements_targets(*, actor: Actor, today: date) -> list[Target]:
    """Family care beds in service in the actor's area: a count with no plan number (the plan asks
    to keep adding them), so there is no goal to score it against: goal 0, never "met"."""
    if not can_see_figures(actor):
        return []
    count = bed_list(actor=actor).filter(started_on__lte=today).count() if actor.has_perm(CARE_VIEW) else 0
    return [
        Target(
            key="care.beds",
            label=_("Family care beds in service"),
            done=count,
            base=None,
            goal=0.0,  # no plan number: progress stays unscored, the label says "keep increasing"
            goal_label=_("Keep increasing"),
            url=reverse("portal:care:statements-beds") if actor.has_perm(CARE_VIEW) else "",
        )
    ]


def statements_today(actor: Actor, today: date) -> WorkSection | None:
    """Statements to approve (CARE_PAY) and beds below plan this month (community)."""
    counts: list[WorkCount] = []
    rows: list[WorkRow] = []
    if actor.has_perm(CARE_PAY) and actor.scope_paths:
        drafts = statement_list(actor=actor, state=StatementState.DRAFT)
        url = reverse("portal:care:statements-list") + "?state=draft"
        n = drafts.count()
        counts.append(WorkCount("care.statements_to_approve", _("Provider statements to approve"), n, url))
        for s in drafts.order_by("month", "pk")[:3]:
            rows.append(
                WorkRow(
                    title=f"{s.number} {s.provider.name}",
                    detail=f"{s.month:%Y-%m} · {s.line_count}",
                    url=reverse("portal:care:statements-detail", args=[s.public_id]),
                )
            )
    if can_manage_beds(actor):
        below = beds_below_plan(actor=actor, month=month_start(today)).count()
        url = reverse("portal:care:statements-beds") + "?below=1"
        counts.append(
            WorkCount("care.beds_below_plan", _("Family care beds below plan"), below, url, "warn" if below else "")
        )
    if not counts:
        return None
    return WorkSection("care_statements", _("Family care beds and provider statements"), counts, rows)


def bed_items(on: date) -> list[ServiceItem]:
    """The items of the list in force that are served in family care beds."""
    return [item for item in items_in_force(on) if item.for_beds]


def bed_eligibility(people, on: date) -> dict[str, Msg | None]:
    """For the bed form's picker: per elder (public id), None when the bed item of the list in
    force allows them, else the reason it does not (the registration would be refused with it)."""
    item = next(iter(bed_items(on)), None)
    if item is None:
        return {}
    people = list(people)
    with_bed = {
        str(ref)
        for ref in CareBed.objects.filter(
            person_ref__in=[p.public_id for p in people], ended_on__isnull=True
        ).values_list("person_ref", flat=True)
    }
    answers: dict[str, Msg | None] = {}
    for person in people:
        if str(person.public_id) in with_bed:
            answers[str(person.public_id)] = ALREADY_HAS_BED
            continue
        decision = entitlement_check(person=person, item=item, quantity=1, on=on)
        answers[str(person.public_id)] = None if decision.allowed else decision.reason
    return answers
