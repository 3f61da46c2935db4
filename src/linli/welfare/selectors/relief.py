"""Reads of relief, scoped by the actor's paths; missing and forbidden are the same 404.

Temporary assistance is read by who takes its steps (WELFARE_INTAKE, WELFARE_REVIEW,
WELFARE_DECIDE) in their area; zero-employment cases, posts, placements and job needs by
WELFARE_EMPLOYMENT holders in their area. The figures page (WELFARE_FIGURES: also district and
city administrators) gives counts per unit and no person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.domain import (
    WELFARE_DECIDE,
    WELFARE_EMPLOYMENT,
    WELFARE_FIGURES,
    WELFARE_INTAKE,
    WELFARE_REVIEW,
)
from linli.areas.selectors import child_path_length, unit_names
from linli.core.actor import Actor
from linli.core.errors import FieldError, Msg, not_found, validation_failed
from linli.core.ids import uuid_or_none
from linli.core.paths import under_path
from linli.core.workbench import FIRST_ROWS, WorkCount, WorkRow, WorkSection
from linli.residents.selectors import WelfarePerson, welfare_household_people, welfare_person_for_user
from linli.welfare.domain.relief import (
    EVENTS_PER_YEAR,
    FOLLOW_UP_STALE_DAYS,
    GRANTED_STATES,
    LIMIT_PER_EVENT,
    LIMIT_PER_YEAR,
    PLACEMENT_ENDING_DAYS,
    STREET_FIRST_LIMIT,
    WORKING_AGE_MAX_FEMALE,
    WORKING_AGE_MAX_MALE,
    WORKING_AGE_MIN,
    CaseState,
    Limits,
    NeedState,
    TempState,
    WorkingAge,
    twelve_months_before,
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
from linli.welfare.rules.engine import ParameterMissing, parameter_value
from linli.welfare.selectors.rules import rule_changes

TEMP_PERMISSIONS = (WELFARE_INTAKE, WELFARE_REVIEW, WELFARE_DECIDE)


def relief_parameter(name: str, on: date, changes=None) -> Decimal:
    """A dated parameter from the rules, the city's edits included. A parameter with no value
    for the date is refused with a message naming it and the date."""
    try:
        return Decimal(parameter_value(name, on, rule_changes() if changes is None else changes))
    except ParameterMissing:
        raise validation_failed(
            [
                FieldError(
                    "parameter",
                    Msg(
                        f"参数 {name} 在 {on} 没有取值，请先由市民政设置",
                        f"The parameter {name} has no value on {on}",
                    ),
                )
            ]
        ) from None


def relief_limits(on: date) -> Limits:
    """The limits of temporary assistance on a date (one query for the city's changes)."""
    changes = rule_changes()
    return Limits(
        per_event=relief_parameter(LIMIT_PER_EVENT, on, changes),
        per_year=relief_parameter(LIMIT_PER_YEAR, on, changes),
        events_per_year=int(relief_parameter(EVENTS_PER_YEAR, on, changes)),
        street_first=relief_parameter(STREET_FIRST_LIMIT, on, changes),
    )


def working_age_rule(on: date) -> WorkingAge:
    changes = rule_changes()
    return WorkingAge(
        minimum=int(relief_parameter(WORKING_AGE_MIN, on, changes)),
        max_male=int(relief_parameter(WORKING_AGE_MAX_MALE, on, changes)),
        max_female=int(relief_parameter(WORKING_AGE_MAX_FEMALE, on, changes)),
    )


# ================================================================ temporary assistance


def can_see_temporary(actor: Actor) -> bool:
    return any(actor.has_perm(p) for p in TEMP_PERMISSIONS) and bool(actor.scope_paths)


def temporary_list(*, actor: Actor, state: str = "", q: str = "") -> QuerySet[TemporaryAssistance]:
    if not can_see_temporary(actor):
        return TemporaryAssistance.objects.none()
    rows = actor.scoped(TemporaryAssistance.objects.defer("facts_sealed"))
    if state == "open":
        rows = rows.exclude(state__in=[TempState.GRANTED, TempState.REFUSED, TempState.CONFIRMED])
    elif state in TempState.values:
        rows = rows.filter(state=state)
    if q:
        rows = rows.filter(Q(person_name__contains=q) | Q(number__contains=q))
    return rows.order_by("-created_at", "-pk")


def temporary_get(*, actor: Actor, public_id) -> TemporaryAssistance:
    uid = uuid_or_none(public_id)
    found = temporary_list(actor=actor).defer(None).filter(public_id=uid).first() if uid else None
    if found is None:
        raise not_found("临时救助", "Temporary assistance")
    return found


def temporary_counts(*, actor: Actor, today: date) -> dict[str, int]:
    """Records per state in the actor's area and the fast-path paperwork overdue: one query."""
    if not can_see_temporary(actor):
        return {state: 0 for state in TempState.values} | {"overdue": 0}
    row = actor.scoped(TemporaryAssistance.objects.all()).aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in TempState.values},
        overdue=Count("pk", filter=Q(state=TempState.PAID_FIRST, paperwork_due__lt=today)),
    )
    return {key: value or 0 for key, value in row.items()}


def temporary_steps(assistance: TemporaryAssistance) -> list[TemporaryStep]:
    return list(assistance.steps.order_by("at", "pk"))


@dataclass(frozen=True)
class Granted:
    amount: Decimal
    events: int


def temporary_granted(*, person_ref, household_ref, on: date, exclude_pk: int | None = None) -> Granted:
    """What was granted to the person's household (or the person, when not in a household) in
    the twelve months ending on `on`: the total and the number of events. Unscoped on purpose:
    a limit counts help given anywhere in the city."""
    if household_ref:
        rows = TemporaryAssistance.objects.filter(household_ref=household_ref)
    elif person_ref:
        rows = TemporaryAssistance.objects.filter(person_ref=person_ref)
    else:
        return Granted(Decimal("0.00"), 0)
    rows = rows.filter(state__in=GRANTED_STATES, granted_on__gte=twelve_months_before(on), granted_on__lte=on)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    total = rows.aggregate(total=Sum("amount_granted"), n=Count("pk"))
    return Granted((total["total"] or Decimal("0")).quantize(Decimal("0.01")), total["n"] or 0)


# ================================================================ zero-employment households


def can_follow(actor: Actor) -> bool:
    return actor.has_perm(WELFARE_EMPLOYMENT) and bool(actor.scope_paths)


def zero_case_list(*, actor: Actor, state: str = "open", stale_before: date | None = None):
    if not can_follow(actor):
        return ZeroEmploymentCase.objects.none()
    rows = actor.scoped(ZeroEmploymentCase.objects.all())
    if state in CaseState.values:
        rows = rows.filter(state=state)
    if stale_before is not None:
        rows = rows.filter(
            Q(last_follow_up_on__lt=stale_before) | Q(last_follow_up_on__isnull=True, found_on__lt=stale_before)
        )
    return rows.order_by("state", "-found_on", "-pk")


def zero_case_get(*, actor: Actor, public_id) -> ZeroEmploymentCase:
    uid = uuid_or_none(public_id)
    found = zero_case_list(actor=actor, state="").filter(public_id=uid).first() if uid else None
    if found is None:
        raise not_found("零就业家庭", "Zero-employment household")
    return found


def zero_case_steps(case: ZeroEmploymentCase) -> list[ZeroEmploymentStep]:
    return list(case.steps.order_by("on", "at", "pk"))


def post_list(*, actor: Actor, current_on: date | None = None) -> QuerySet[WelfarePost]:
    if not can_follow(actor):
        return WelfarePost.objects.none()
    rows = actor.scoped(WelfarePost.objects.all())
    if current_on is not None:
        rows = rows.filter(ends_on__gte=current_on)
    return rows.order_by("-starts_on", "-pk")


def post_get(*, actor: Actor, public_id) -> WelfarePost:
    uid = uuid_or_none(public_id)
    found = post_list(actor=actor).filter(public_id=uid).first() if uid else None
    if found is None:
        raise not_found("公益性岗位", "Public-welfare post")
    return found


def open_posts(*, actor: Actor, on: date) -> list[WelfarePost]:
    """Posts in the actor's area with a free place on `on` (for placing someone)."""
    return list(post_list(actor=actor, current_on=on).filter(filled__lt=F("capacity"), starts_on__lte=on))


def post_placements(post: WelfarePost) -> list[PostPlacement]:
    return list(post.placements.order_by("ended_on", "-from_on", "-pk"))


def placement_get(*, actor: Actor, public_id) -> PostPlacement:
    uid = uuid_or_none(public_id)
    found = None
    if can_follow(actor) and uid:
        found = actor.scoped(PostPlacement.objects.select_related("post")).filter(public_id=uid).first()
    if found is None:
        raise not_found("安置", "Placement")
    return found


def job_need_list(*, actor: Actor, state: str = "open") -> QuerySet[JobNeed]:
    if not can_follow(actor):
        return JobNeed.objects.none()
    rows = actor.scoped(JobNeed.objects.all())
    if state in NeedState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-pk")


def job_need_get(*, actor: Actor, public_id) -> JobNeed:
    uid = uuid_or_none(public_id)
    found = job_need_list(actor=actor, state="").filter(public_id=uid).first() if uid else None
    if found is None:
        raise not_found("需求", "Need")
    return found


def my_job_needs(person_ref) -> list[JobNeed]:
    return list(JobNeed.objects.filter(person_ref=person_ref).order_by("-created_at", "-pk")[:20])


# ================================================================ figures


@dataclass(frozen=True)
class UnitFigures:
    path: str
    name: str
    found: int
    followed: int
    resolved: int
    open_now: int


@dataclass(frozen=True)
class ZeroFigures:
    under: str
    under_name: str
    total: UnitFigures
    units: list[UnitFigures]
    placements_open: int


def can_see_figures(actor: Actor) -> bool:
    return actor.has_perm(WELFARE_FIGURES) and bool(actor.scope_paths)


def figures_root(actor: Actor, under: str) -> str:
    """The unit the figures are for: `under` when the actor sees it, else the actor's own area
    (the first of its paths)."""
    if under.isdigit() and actor.sees_path(under):
        return under
    return actor.scope_paths[0] if actor.scope_paths else ""


def zero_figures(*, actor: Actor, under: str = "") -> ZeroFigures:
    """Zero-employment households per child unit of `under` (city → district → street →
    community): found, followed (at least one follow-up), resolved, open now — the figure the
    city keeps at zero. Counts only, live from the cases: two grouped queries."""
    if not can_see_figures(actor):
        raise not_found("页面", "Page")
    root = figures_root(actor, under)
    length = child_path_length(root) if len(root) < 12 else 12
    cases = ZeroEmploymentCase.objects.filter(under_path("path", root))
    grouped = (
        cases.annotate(unit=Substr("path", 1, length))
        .values("unit")
        .annotate(
            found=Count("pk"),
            followed=Count("pk", filter=Q(last_follow_up_on__isnull=False)),
            resolved=Count("pk", filter=Q(state=CaseState.CLOSED)),
            open_now=Count("pk", filter=Q(state=CaseState.OPEN)),
        )
        .order_by("unit")
    )
    rows = list(grouped)
    names = unit_names({r["unit"] for r in rows} | {root})
    units = [
        UnitFigures(r["unit"], names.get(r["unit"], r["unit"]), r["found"], r["followed"], r["resolved"], r["open_now"])
        for r in rows
    ]
    total = UnitFigures(
        root,
        names.get(root, root),
        sum(u.found for u in units),
        sum(u.followed for u in units),
        sum(u.resolved for u in units),
        sum(u.open_now for u in units),
    )
    placements = PostPlacement.objects.filter(under_path("path", root), ended_on__isnull=True).count()
    return ZeroFigures(root, names.get(root, root), total, units, placements)


# ================================================================ the workbench


def relief_today(actor: Actor, today: date) -> WorkSection | None:
    """Fast-path paperwork due, zero-employment households with no follow-up for 30 days, open
    placements ending within 30 days: one aggregate per table and one query for the first rows."""
    temp = can_see_temporary(actor)
    follow = can_follow(actor)
    if not temp and not follow:
        return None
    counts: list[WorkCount] = []
    rows: list[WorkRow] = []
    if temp:
        paperwork = actor.scoped(TemporaryAssistance.objects.filter(state=TempState.PAID_FIRST))
        n = paperwork.aggregate(n=Count("pk"), overdue=Count("pk", filter=Q(paperwork_due__lt=today)))
        url = reverse("portal:welfare:relief") + "?state=paid_first"
        counts.append(
            WorkCount("relief.paperwork", _("Emergency paperwork due"), n["n"], url, "danger" if n["overdue"] else "")
        )
        for item in paperwork.order_by("paperwork_due", "pk")[:FIRST_ROWS]:
            rows.append(
                WorkRow(
                    title=f"{item.number} · {item.person_name}",
                    detail=_("Paid first; materials due"),
                    url=reverse("portal:welfare:relief-item", args=[item.public_id]),
                    due=item.paperwork_due,
                    tone="danger" if item.paperwork_due and item.paperwork_due < today else "warn",
                )
            )
    if follow:
        stale = zero_case_list(actor=actor, stale_before=today - timedelta(days=FOLLOW_UP_STALE_DAYS)).count()
        counts.append(
            WorkCount(
                "relief.zero_stale",
                _("Zero-employment households without a follow-up for 30 days"),
                stale,
                reverse("portal:welfare:zero") + "?stale=1",
                "warn" if stale else "",
            )
        )
        ending = (
            actor.scoped(PostPlacement.objects.filter(ended_on__isnull=True))
            .filter(to_on__lte=today + timedelta(days=PLACEMENT_ENDING_DAYS))
            .count()
        )
        counts.append(
            WorkCount(
                "relief.placements_ending",
                _("Placements ending within 30 days"),
                ending,
                reverse("portal:welfare:posts"),
            )
        )
    if not any(c.count for c in counts):
        return None
    return WorkSection(key="relief", title=_("Temporary assistance and employment"), counts=counts, rows=rows)


def household_people(*, actor: Actor, household_ref) -> list[WelfarePerson]:
    """The household's members as the pool has them now (a case page, the placement form)."""
    return welfare_household_people(actor=actor, household_ref=household_ref)


def demo_has_relief(street_path: str) -> bool:
    """Whether the demo already made relief rows in the showcase street (idempotence)."""
    return TemporaryAssistance.objects.filter(path__startswith=street_path).exists()


def temporary_for_desk_case(case_number: str) -> tuple[str, str] | None:
    """(public id, number) of the record a desk case opened, for the desk's link."""
    row = TemporaryAssistance.objects.filter(desk_case_number=case_number).values_list("public_id", "number").first()
    return (str(row[0]), row[1]) if row else None


def my_job_needs_for_user(user_id: int | None) -> list[JobNeed]:
    """A resident's own job and training needs (their account's resident in the pool)."""
    person = welfare_person_for_user(user_id)
    return my_job_needs(person.public_id) if person is not None else []
