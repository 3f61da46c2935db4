"""Social assistance: relief (no ORM) — temporary and emergency assistance (临时救助、急难救助,
先行救助), zero-employment households (零就业家庭), public-welfare posts (公益性岗位) and the
job and training needs collected from residents.

Temporary assistance has two paths. The ordinary one: the community records, the street
reviews, the district's civil-affairs officer decides. The fast one for emergencies: the street
decides and pays first up to `temporary.street_first_limit`, the community completes the
paperwork by a due date, and the district confirms. Both are one transition table below.

A household is zero-employment on a date when at least one member of working age is able to work
and without a job, and no member of working age is employed (`zero_employment`). Working age is
`employment.working_age_min` ≤ age < the maximum for the person's sex: a man aged exactly 60
(the example maximum) is past working age on his birthday."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import WELFARE_DECIDE, WELFARE_INTAKE, WELFARE_REVIEW
from linli.core.errors import Msg
from linli.welfare.rules.engine import yuan as engine_yuan

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000")
PAPERWORK_WORKING_DAYS = 10  # the fast path's materials are due this many working days after payment
FOLLOW_UP_STALE_DAYS = 30  # a zero-employment case with no follow-up for this long shows on the workbench
PLACEMENT_ENDING_DAYS = 30  # placements ending within this many days show on the workbench

# the parameters this stage reads from the rules (`selectors.rules.rules_parameter`)
LIMIT_PER_EVENT = "temporary.limit_per_event"
LIMIT_PER_YEAR = "temporary.limit_per_year"
STREET_FIRST_LIMIT = "temporary.street_first_limit"
EVENTS_PER_YEAR = "temporary.events_per_year"
WORKING_AGE_MIN = "employment.working_age_min"
WORKING_AGE_MAX_MALE = "employment.working_age_max_male"
WORKING_AGE_MAX_FEMALE = "employment.working_age_max_female"


def money(value) -> Decimal | None:
    """Yuan with two places from a form or API value; None when it is not a number ≥ 0."""
    try:
        amount = Decimal(str(value).replace(",", "").replace("¥", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal | None) -> str:
    """¥1,234.50"""
    return "—" if value is None else engine_yuan(value)


# ================================================================ temporary assistance


@dataclass(frozen=True)
class Event:
    code: str
    zh: str
    en: str


# the events temporary assistance answers, as data (a city may add its own)
EVENTS: tuple[Event, ...] = (
    Event("illness", "重大疾病", "Serious illness"),
    Event("accident", "意外事故", "Accident"),
    Event("disaster", "自然灾害", "Natural disaster"),
    Event("fire", "火灾", "Fire"),
    Event("stranded", "生活无着的临时遇困人员", "Stranded without means"),
    Event("other", "其他突发困难", "Other sudden hardship"),
)
EVENT_BY_CODE = {e.code: e for e in EVENTS}


def event_label(code: str) -> str:
    event = EVENT_BY_CODE.get(code)
    return str(Msg(event.zh, event.en)) if event else code


class Route(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary procedure")
    FAST = "fast", _("Emergency: paid first by the street")


class Form(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class TempState(models.TextChoices):
    RECORDED = "recorded", _("Waiting for the street's review")
    REVIEWED = "reviewed", _("Waiting for the district's decision")
    GRANTED = "granted", _("Assistance granted")
    REFUSED = "refused", _("Assistance refused")
    PAID_FIRST = "paid_first", _("Paid first, paperwork due")
    COMPLETED = "completed", _("Paperwork complete, waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the district")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


# states whose amount counts towards the limits (granted or already paid)
GRANTED_STATES = frozenset({TempState.GRANTED, TempState.PAID_FIRST, TempState.COMPLETED, TempState.CONFIRMED})
OPEN_TEMP_STATES = frozenset({TempState.RECORDED, TempState.REVIEWED, TempState.PAID_FIRST, TempState.COMPLETED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    label: Msg
    needs_reason: bool = False


S = TempState
TEMP_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "pass", frozenset({S.RECORDED}), S.REVIEWED, WELFARE_REVIEW, Msg("街道审核通过", "Passed by the street")
        ),
        Transition(
            "street_refuse",
            frozenset({S.RECORDED}),
            S.REFUSED,
            WELFARE_REVIEW,
            Msg("街道审核不予救助", "Refused by the street"),
            needs_reason=True,
        ),
        Transition("grant", frozenset({S.REVIEWED}), S.GRANTED, WELFARE_DECIDE, Msg("区民政批准救助", "Granted")),
        Transition(
            "refuse",
            frozenset({S.REVIEWED}),
            S.REFUSED,
            WELFARE_DECIDE,
            Msg("区民政不予救助", "Refused by the district"),
            needs_reason=True,
        ),
        Transition(
            "complete",
            frozenset({S.PAID_FIRST}),
            S.COMPLETED,
            WELFARE_INTAKE,
            Msg("社区补齐材料", "Paperwork completed"),
        ),
        Transition(
            "confirm",
            frozenset({S.COMPLETED}),
            S.CONFIRMED,
            WELFARE_DECIDE,
            Msg("区民政确认", "Confirmed by the district"),
        ),
    )
}
TEMP_STEP_LABELS = {
    "record": Msg("社区登记", "Recorded by the community"),
    "desk": Msg("服务窗口受理", "Accepted at the service desk"),
    "describe": Msg("社区填写困难情况", "Hardship recorded by the community"),
    "withdraw": Msg("申请人撤回", "Withdrawn by the applicant"),
    "fast_pay": Msg("街道先行救助", "Paid first by the street"),
}


def temp_step_label(action: str) -> Msg:
    transition = TEMP_TRANSITIONS.get(action)
    return transition.label if transition else TEMP_STEP_LABELS.get(action, Msg(action, action))


def temp_actions(state: str) -> list[str]:
    return [t.action for t in TEMP_TRANSITIONS.values() if state in t.sources]


@dataclass(frozen=True)
class Limits:
    per_event: Decimal
    per_year: Decimal
    events_per_year: int
    street_first: Decimal


def limit_problems(*, amount: Decimal, limits: Limits, granted_12m: Decimal, events_12m: int, fast: bool) -> list[Msg]:
    """Why `amount` may not be granted, naming the limit and what was already granted in the last
    twelve months (`granted_12m` over `events_12m` events, not counting this one)."""
    problems: list[Msg] = []
    if amount > limits.per_event:
        problems.append(
            Msg(
                f"金额 {yuan(amount)} 超过每次救助上限 {yuan(limits.per_event)}",
                f"{yuan(amount)} is over the limit per event of {yuan(limits.per_event)}",
            )
        )
    if fast and amount > limits.street_first:
        problems.append(
            Msg(
                f"金额 {yuan(amount)} 超过街道先行救助上限 {yuan(limits.street_first)}，请走普通程序",
                f"{yuan(amount)} is over what the street may pay first ({yuan(limits.street_first)}); "
                "use the ordinary procedure",
            )
        )
    if granted_12m + amount > limits.per_year:
        problems.append(
            Msg(
                f"近12个月已救助 {yuan(granted_12m)}，加上本次 {yuan(amount)} 超过年度上限 {yuan(limits.per_year)}",
                f"{yuan(granted_12m)} already granted in the last 12 months; with {yuan(amount)} it is over "
                f"the yearly limit of {yuan(limits.per_year)}",
            )
        )
    if events_12m + 1 > limits.events_per_year:
        problems.append(
            Msg(
                f"近12个月已救助 {events_12m} 次，已达年度次数上限 {limits.events_per_year} 次",
                f"Already helped {events_12m} times in the last 12 months: the yearly limit is "
                f"{limits.events_per_year}",
            )
        )
    return problems


def twelve_months_before(on: date) -> date:
    """The first day of the twelve months that end on `on` (29 February falls back to the 28th)."""
    try:
        return on.replace(year=on.year - 1) + (date(2000, 1, 2) - date(2000, 1, 1))
    except ValueError:
        return date(on.year - 1, 3, 1)


# ================================================================ zero-employment households


@dataclass(frozen=True)
class Person:
    birth_date: date
    gender: str  # "male" / "female"
    employment: str  # the pool's Employment value
    disability: str = ""  # "" or "1".."4"


@dataclass(frozen=True)
class WorkingAge:
    minimum: int
    max_male: int
    max_female: int

    def birth_bounds(self, on: date, gender: str) -> tuple[date, date]:
        """(born after, born on or before): a person of working age on `on` has
        born_after < birth_date ≤ born_on_or_before."""
        maximum = self.max_male if gender == "male" else self.max_female
        return _years_before(on, maximum), _years_before(on, self.minimum)


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return date(on.year - years, 2, 28)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


SEVERE_DISABILITY = frozenset({"1", "2"})  # level 1–2: not counted as able to work
EMPLOYED = "employed"
UNEMPLOYED = "unemployed"


def working_age(person: Person, on: date, ages: WorkingAge) -> bool:
    age = age_on(person.birth_date, on)
    maximum = ages.max_male if person.gender == "male" else ages.max_female
    return ages.minimum <= age < maximum


def able_and_jobless(person: Person, on: date, ages: WorkingAge) -> bool:
    """Of working age, able to work (not a student or retired, no level 1–2 disability) and
    recorded as unemployed."""
    return (
        working_age(person, on, ages) and person.employment == UNEMPLOYED and person.disability not in SEVERE_DISABILITY
    )


def zero_employment(members: Iterable[Person], on: date, ages: WorkingAge) -> bool:
    members = list(members)
    if any(working_age(p, on, ages) and p.employment == EMPLOYED for p in members):
        return False
    return any(able_and_jobless(p, on, ages) for p in members)


class CaseState(models.TextChoices):
    OPEN = "open", _("Being followed")
    CLOSED = "closed", _("Resolved")


class FollowKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    JOB_OFFER = "job_offer", _("Job offered")
    TRAINING = "training", _("Training arranged")
    PLACEMENT = "placement", _("Placed in a job")
    NOTE = "note", _("Other follow-up")


class CloseHow(models.TextChoices):
    POST = "post", _("Placed in a public-welfare post")
    JOB = "job", _("A member found a job")
    HOUSEHOLD_CHANGED = "household_changed", _("The household changed")


class PostKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security and patrol")
    CARETAKING = "caretaking", _("Caretaking")
    ELDERLY_HELP = "elderly_help", _("Help for the elderly")
    GREENING = "greening", _("Greening")
    OTHER = "other", _("Other post")


class NeedKind(models.TextChoices):
    JOB = "job", _("Looking for a job")
    TRAINING = "training", _("Wants training")


class NeedState(models.TextChoices):
    OPEN = "open", _("Need not yet met")
    MET = "met", _("Need met")
    CLOSED = "closed", _("Closed without result")


AUDIT_ACTIONS: dict[str, Msg] = {
    "welfare.temp_record": Msg("登记临时救助", "Temporary assistance recorded"),
    "welfare.temp_fast_pay": Msg("街道先行救助", "Emergency assistance paid first"),
    "welfare.temp_pass": Msg("街道审核临时救助", "Temporary assistance passed by the street"),
    "welfare.temp_street_refuse": Msg("街道不予临时救助", "Temporary assistance refused by the street"),
    "welfare.temp_grant": Msg("批准临时救助", "Temporary assistance granted"),
    "welfare.temp_refuse": Msg("不予临时救助", "Temporary assistance refused"),
    "welfare.temp_complete": Msg("补齐先行救助材料", "Emergency paperwork completed"),
    "welfare.temp_confirm": Msg("确认先行救助", "Emergency assistance confirmed"),
    "welfare.temp_facts_read": Msg("查看临时救助情况", "Temporary assistance facts read"),
    "welfare.temp_desk_open": Msg("服务窗口受理临时救助", "Temporary assistance opened from the desk"),
    "welfare.temp_describe": Msg("填写临时救助困难情况", "Temporary assistance hardship recorded"),
    "welfare.temp_withdraw": Msg("撤回临时救助申请", "Temporary assistance withdrawn"),
    "welfare.zero_find": Msg("排查零就业家庭", "Zero-employment households searched"),
    "welfare.zero_follow": Msg("零就业家庭跟踪帮扶", "Zero-employment follow-up"),
    "welfare.zero_close": Msg("零就业家庭销号", "Zero-employment case closed"),
    "welfare.post_create": Msg("新建公益性岗位", "Public-welfare post created"),
    "welfare.placement_start": Msg("公益性岗位安置", "Placed in a public-welfare post"),
    "welfare.placement_end": Msg("公益性岗位离岗", "Public-welfare placement ended"),
    "welfare.job_need_record": Msg("登记就业培训需求", "Job or training need recorded"),
    "welfare.job_need_close": Msg("办结就业培训需求", "Job or training need closed"),
}
