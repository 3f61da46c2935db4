"""Reads of the roll, its reviews and payrolls, scoped by the actor's paths; missing and forbidden
are the same 404. Workers (WELFARE_INTAKE), street officers (WELFARE_REVIEW) and the county
(WELFARE_DECIDE) see the households of their area; WELFARE_FIGURES alone sees counts and amounts
per unit, never a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_FIGURES, WELFARE_INTAKE, WELFARE_REVIEW
from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg, not_found
from linli.core.ids import uuid_or_none
from linli.core.paths import under_path
from linli.core.workbench import WorkCount, WorkSection
from linli.welfare.domain.classes import CLASS_ORDER, PAID_CLASSES, AssistanceClass
from linli.welfare.domain.roll import (
    PayrollKind,
    PayrollState,
    RecipientState,
    ReviewState,
    add_months,
    month_start,
)
from linli.welfare.models import Determination, Payroll, PayrollLine, Recipient, RecipientChange, Review
from linli.welfare.rules.facts import Household

ROLL_PERMISSIONS = (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)
PAGE_SIZE = 50


# ---------------------------------------------------------------- the rules, through the rules stage


def rules_parameter_int(name: str, on: date) -> int:
    """A whole-number parameter of the rules on a date (months, counts). A parameter missing for
    the date is refused with its name and the date, never guessed."""
    from linli.welfare.rules.engine import ParameterMissing
    from linli.welfare.selectors.rules import rules_parameter

    try:
        return int(rules_parameter(name, on))
    except ParameterMissing:
        raise DomainError(
            Msg(f"规则参数 {name} 在 {on:%Y-%m-%d} 没有取值，请先设置", f"The parameter {name} has no value on {on}"),
            code="parameter_missing",
        ) from None


def rules_determine_many(households: list[Household], on: date) -> list:
    """The rules stage's vectorised determination (one simulation for all households)."""
    from linli.welfare.rules.engine import ParameterMissing
    from linli.welfare.selectors.rules import rules_determine_many as determine_many

    try:
        return determine_many(households, on)
    except ParameterMissing as error:
        name = getattr(error, "name", "")
        raise DomainError(
            Msg(f"规则参数 {name} 在 {on:%Y-%m-%d} 没有取值，请先设置", f"The parameter {name} has no value on {on}"),
            code="parameter_missing",
        ) from None


# ---------------------------------------------------------------- who sees what


def sees_roll(actor: Actor) -> bool:
    return bool(actor.scope_paths) and any(actor.has_perm(p) for p in ROLL_PERMISSIONS)


def sees_district(actor: Actor, district_path: str) -> bool:
    """The district is in the actor's area or the actor's area lies within it."""
    return any(district_path.startswith(p) or p.startswith(district_path) for p in actor.scope_paths)


def sees_figures(actor: Actor) -> bool:
    return bool(actor.scope_paths) and (sees_roll(actor) or actor.has_perm(WELFARE_FIGURES))


def recipient_list(
    *, actor: Actor, state: str = "", assistance_class: str = "", under: str = "", name: str = ""
) -> QuerySet[Recipient]:
    """Households on the roll in the actor's area; stopped ones only when asked for."""
    if not sees_roll(actor):
        return Recipient.objects.none()
    rows = actor.scoped(Recipient.objects.all())
    stopped = RecipientState.STOPPED
    rows = rows.filter(state=state) if state in RecipientState.values else rows.exclude(state=stopped)
    if assistance_class in AssistanceClass.values:
        rows = rows.filter(assistance_class=assistance_class)
    if under.isdigit():
        rows = rows.filter(under_path("path", under))
    if name.strip():
        rows = rows.filter(head_name__contains=name.strip()[:20])
    return rows.order_by("path", "pk")


def recipient_get(*, actor: Actor, public_id) -> Recipient:
    """One household on the roll in the actor's area, stopped ones included."""
    key = uuid_or_none(public_id)
    row = None
    if key is not None and sees_roll(actor):
        row = actor.scoped(Recipient.objects.all()).filter(public_id=key).first()
    if row is None:
        raise not_found("在册家庭", "Household on the roll")
    return row


def recipient_changes(recipient: Recipient) -> list[RecipientChange]:
    return list(recipient.changes.order_by("-at", "-pk"))


def recipient_determinations(recipient: Recipient) -> list[Determination]:
    return list(Determination.objects.filter(household_ref=recipient.household_ref).order_by("-on", "-pk")[:20])


@dataclass
class ClassFigure:
    assistance_class: str
    label: str
    households: int = 0
    members: int = 0
    amount: Decimal = Decimal("0.00")


def roll_figures(*, actor: Actor, under: str = "") -> list[ClassFigure]:
    """Households, members and monthly amounts per class on the roll now (receiving or in gradual
    exit), in one grouped query."""
    if not sees_figures(actor):
        return []
    rows = actor.scoped(Recipient.objects.exclude(state=RecipientState.STOPPED))
    if under.isdigit():
        rows = rows.filter(under_path("path", under))
    grouped = {
        r["assistance_class"]: r
        for r in rows.values("assistance_class").annotate(n=Count("pk"), m=Sum("members"), a=Sum("monthly_amount"))
    }
    figures = []
    for cls in CLASS_ORDER:
        row = grouped.get(cls, {})
        figures.append(
            ClassFigure(
                cls,
                str(AssistanceClass(cls).label),
                row.get("n", 0),
                row.get("m") or 0,
                (row.get("a") or Decimal("0")).quantize(Decimal("0.01")),
            )
        )
    return figures


@dataclass
class MonthFigures:
    months: list[date] = field(default_factory=list)
    households: dict[str, list[int]] = field(default_factory=dict)  # class → per month
    amounts: dict[str, list[Decimal]] = field(default_factory=dict)


def payroll_months(*, actor: Actor, months: int = 12, today: date) -> MonthFigures:
    """Households and amounts paid per class and month, from the monthly payrolls of the actor's
    area (one grouped query)."""
    result = MonthFigures()
    if not sees_figures(actor):
        return result
    first = add_months(month_start(today), -(months - 1))
    result.months = [add_months(first, i) for i in range(months)]
    lines = actor.scoped(PayrollLine.objects.filter(payroll__month__gte=first, payroll__kind=PayrollKind.REGULAR))
    grouped = lines.values("payroll__month", "assistance_class").annotate(n=Count("pk"), a=Sum("amount"))
    index = {m: i for i, m in enumerate(result.months)}
    for cls in PAID_CLASSES:
        result.households[cls] = [0] * months
        result.amounts[cls] = [Decimal("0")] * months
    for row in grouped:
        i = index.get(row["payroll__month"])
        cls = row["assistance_class"]
        if i is None or cls not in result.households:
            continue
        result.households[cls][i] = row["n"]
        result.amounts[cls][i] = row["a"] or Decimal("0")
    return result


# ---------------------------------------------------------------- reviews


def review_due_list(*, actor: Actor, today: date, under: str = "", overdue_only: bool = False) -> QuerySet[Recipient]:
    """Households whose review falls due by the end of this month (or is overdue), with their open
    proposal if one was computed."""
    end = add_months(month_start(today), 1)
    limit = month_start(today) if overdue_only else end
    rows = recipient_list(actor=actor, under=under).filter(next_review_on__lt=limit)
    return rows.order_by("next_review_on", "path", "pk")


def open_reviews(*, actor: Actor, under: str = "", outcome: str = "") -> QuerySet[Review]:
    if not sees_roll(actor):
        return Review.objects.none()
    rows = actor.scoped(Review.objects.filter(state=ReviewState.PROPOSED)).select_related("recipient")
    if under.isdigit():
        rows = rows.filter(under_path("path", under))
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("path", "pk")


def review_get(*, actor: Actor, public_id) -> Review:
    key = uuid_or_none(public_id)
    row = None
    if key is not None and sees_roll(actor):
        row = actor.scoped(Review.objects.select_related("recipient")).filter(public_id=key).first()
    if row is None:
        raise not_found("复核", "Review")
    return row


def review_counts(*, actor: Actor, today: date, under: str = "") -> dict[str, int]:
    """Due this month, overdue, and open proposals by outcome, for the review page's head."""
    if not sees_roll(actor):
        return {}
    base = recipient_list(actor=actor, under=under)
    start, end = month_start(today), add_months(month_start(today), 1)
    counts = base.aggregate(
        overdue=Count("pk", filter=Q(next_review_on__lt=start)),
        due=Count("pk", filter=Q(next_review_on__gte=start, next_review_on__lt=end)),
    )
    for row in open_reviews(actor=actor, under=under).values("outcome").annotate(n=Count("pk")).order_by():
        counts[f"proposed_{row['outcome']}"] = row["n"]
    return counts


# ---------------------------------------------------------------- payrolls


def payroll_list(*, actor: Actor) -> QuerySet[Payroll]:
    """Payrolls of the districts in the actor's area (a street or community sees its district's
    payrolls, and only its own lines and totals in them)."""
    if not sees_figures(actor):
        return Payroll.objects.none()
    districts = Q(pk__in=[])
    for path in actor.scope_paths:
        districts |= under_path("district_path", path[:6]) if len(path) >= 6 else under_path("district_path", path)
    return Payroll.objects.filter(districts).order_by("-month", "district_path", "kind", "pk")


def payroll_get(*, actor: Actor, public_id) -> Payroll:
    key = uuid_or_none(public_id)
    row = None if key is None else payroll_list(actor=actor).filter(public_id=key).first()
    if row is None:
        raise not_found("发放名册", "Payroll")
    return row


def payroll_lines(*, actor: Actor, payroll: Payroll, under: str = "") -> QuerySet[PayrollLine]:
    if not sees_roll(actor):
        return PayrollLine.objects.none()
    lines = actor.scoped(payroll.lines.all())
    if under.isdigit():
        lines = lines.filter(under_path("path", under))
    return lines.select_related("recipient").order_by("path", "pk")


@dataclass
class UnitTotal:
    path: str
    households: int
    members: int
    amount: Decimal


def payroll_totals(*, actor: Actor, payroll: Payroll, length: int = 9) -> list[UnitTotal]:
    """Lines, members and amount per street (length 9) or community (12) within the actor's area."""
    if not sees_figures(actor):
        return []
    rows = (
        actor.scoped(payroll.lines.all())
        .annotate(unit=Substr("path", 1, length))
        .values("unit")
        .annotate(n=Count("pk"), m=Sum("members"), a=Sum("amount"))
        .order_by("unit")
    )
    return [UnitTotal(r["unit"], r["n"], r["m"] or 0, r["a"] or Decimal("0")) for r in rows]


def payrolls_to_approve(*, actor: Actor) -> int:
    if not actor.has_perm(WELFARE_DECIDE):
        return 0
    return payroll_list(actor=actor).filter(state=PayrollState.DRAFT).count()


def roll_today(actor: Actor, today: date) -> WorkSection | None:
    """The roll's part of the workbench: reviews overdue and due this month, proposals waiting for
    confirmation, payrolls to approve (the county). One aggregate on the roll, one on the open
    proposals, one count of draft payrolls; no rows."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not sees_roll(actor):
        return None
    counts = review_counts(actor=actor, today=today)
    proposals = sum(v for k, v in counts.items() if k.startswith("proposed_"))
    reviews = reverse("portal:welfare:roll-reviews")
    items = [
        WorkCount("welfare.reviews_overdue", _("Reviews overdue"), counts.get("overdue", 0), reviews, "warn"),
        WorkCount("welfare.reviews_due", _("Reviews due this month"), counts.get("due", 0), reviews, "info"),
        WorkCount("welfare.reviews_proposed", _("Review outcomes to confirm"), proposals, reviews, ""),
    ]
    if actor.has_perm(WELFARE_DECIDE):
        items.append(
            WorkCount(
                "welfare.payrolls_draft",
                _("Payrolls to approve"),
                payrolls_to_approve(actor=actor),
                reverse("portal:welfare:payrolls"),
                "warn",
            )
        )
    return WorkSection(
        key="welfare-roll", title=_("The assistance roll"), counts=items, more_url=reverse("portal:welfare:roll")
    )
