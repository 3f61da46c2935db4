"""Demo and benchmark cases: a realistic spread of service cases in every state, written in bulk
with their whole back-dated timeline (the timeline is append-only, so it cannot be written now
and dated afterwards). Not an interface: only `linli demo` and `bench/` call it.

The simulation follows the workflow table: every case walks the same steps a real one would,
at plausible times, and stops where its age and luck leave it — recent ones still submitted or
in review, some waiting for a supplement, a few overdue, most decided, delivered, closed and
rated; bad ratings open rectifications, older ones followed up and closed.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.areas.selectors import city_unit, units_under
from linli.core.actor import Actor
from linli.residents.selectors import ApplicantCard
from linli.service_desk.domain import (
    CaseState,
    Channel,
    Decision,
    DeliveryMethod,
    MaterialStatus,
    RatingChannel,
    RectificationState,
    RectificationVerdict,
    case_number,
    is_bad_rating,
)
from linli.service_desk.models import (
    CaseEvent,
    CaseNumberCounter,
    CaseRating,
    FollowUp,
    Rectification,
    ServiceCase,
    ServiceItem,
)
from linli.service_desk.selectors import version_materials
from linli.service_desk.services import Route, WindowInput, case_draft, case_route, windows_seed
from linli.workdays.domain import WorkCalendar
from linli.workdays.selectors import work_calendar

SCORES = [5] * 60 + [4] * 25 + [3] * 8 + [2] * 5 + [1] * 2
CHANNELS = [Channel.WINDOW] * 55 + [Channel.ONLINE] * 25 + [Channel.PROXY] * 12 + [Channel.HOME] * 8


@dataclass
class DemoStaff:
    """Who the demo cases name: a user id where a demo account stands at that place."""

    by_path: dict[str, tuple[int, str]] = field(default_factory=dict)

    def at(self, path: str) -> tuple[int | None, str]:
        for prefix in sorted(self.by_path, key=len, reverse=True):
            if path.startswith(prefix):
                return self.by_path[prefix]
        return None, "工作人员"


@dataclass
class _Draft:
    case: ServiceCase
    events: list[CaseEvent]
    rating: CaseRating | None = None
    rectification: Rectification | None = None
    follow_up: FollowUp | None = None


def demo_cases_generate(
    *,
    applicants: list[ApplicantCard],
    count: int,
    staff: DemoStaff | None = None,
    seed: int = 20261125,
    today: date | None = None,
    days_back: int = 150,
    other_desks: list[str] | None = None,
    batch: int = 2000,
) -> int:
    """Write `count` cases for the applicants, spread over the last `days_back` days."""
    if not applicants or count <= 0:
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    staff = staff or DemoStaff()
    calendar = work_calendar()
    items = [i for i in ServiceItem.objects.select_related("current").filter(is_active=True) if i.current]
    routes: dict[tuple[int, str], Route | None] = {}
    numbers: dict[str, int] = defaultdict(int, _counters_now())
    written = 0
    while written < count:
        drafts = []
        for _ in range(min(batch, count - written)):
            applicant = rng.choice(applicants)
            item = rng.choice(items)
            key = (item.current.pk, applicant.home_path[:12])
            if key not in routes:
                try:
                    routes[key] = case_route(item.current, applicant.home_path)
                except Exception:  # a district without that department: no case there
                    routes[key] = None
            if routes[key] is None:
                continue
            drafts.append(_simulate(rng, item, applicant, routes[key], staff, calendar, today, days_back, other_desks))
        _number(drafts, numbers)
        _write(drafts)
        written += len(drafts) or batch  # an empty batch (no routable item) must still end the loop
    _store_counters(numbers)
    return written


def _counters_now() -> dict[str, int]:
    return dict(CaseNumberCounter.objects.values_list("prefix", "last"))


def _at(day: date, rng: random.Random, start: int = 9, end: int = 17) -> datetime:
    moment = time(rng.randint(start, end - 1), rng.randint(0, 59))
    return datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _later_workday(calendar: WorkCalendar, day: date, rng: random.Random, low: int, high: int) -> date:
    return calendar.add_working_days(day, rng.randint(low, high))


def _simulate(rng, item, applicant, route, staff, calendar, today, days_back, other_desks) -> _Draft:
    version = item.current
    channel = rng.choice([c for c in CHANNELS if c in version.channels] or version.channels)
    home = applicant.home_path[:12]
    desk = home
    if channel != Channel.ONLINE and other_desks and rng.random() < 0.15:
        desk = rng.choice(other_desks)  # 全市通办: accepted at another community's window
    day = today - timedelta(days=int(rng.triangular(0, days_back, 5)))
    submitted = _at(day, rng, 7, 23) if channel == Channel.ONLINE else _at(day, rng)
    owner_id, owner_name = staff.at(desk)
    decider_id, decider_name = staff.at(f"dept:{route.department_id}" if route.department_id else route.handling_path)
    materials = version_materials(version)
    checklist = {m.key: MaterialStatus.PROVIDED for m in materials if not m.pool_held and m.required}
    version.item = item
    case = case_draft(
        version, applicant, route, channel=channel, accepted_path=desk, checklist=checklist, submitted_at=submitted
    )
    if channel == Channel.HOME:  # 上门办: a visit booked a few working days on
        case.home_visit_at = _at(_later_workday(calendar, day, rng, 1, 3), rng, 9, 16)
    events: list[CaseEvent] = []

    def event(action: str, at: datetime, to: str, who: tuple[int | None, str], note: str = "", **details) -> datetime:
        if events and at <= events[-1].at:  # same-day steps: keep the timeline in order
            at = events[-1].at + timedelta(minutes=rng.randint(5, 90))
        events.append(
            CaseEvent(
                case=case,
                at=at,
                action=action,
                from_state=case.state,
                to_state=to,
                actor_user_id=who[0],
                actor_name=who[1],
                note=note,
                details=details,
            )
        )
        case.state = to
        return at

    applicant_who = (applicant.user_id, applicant.name)
    owner = (owner_id, owner_name)
    decider = (decider_id, decider_name)
    event("submit", submitted, CaseState.SUBMITTED, applicant_who if channel == Channel.ONLINE else owner)
    draft = _Draft(case, events)
    # online applications wait for the community's front desk
    accept_day = _later_workday(calendar, day, rng, 0, 1) if channel == Channel.ONLINE else day
    if accept_day > today or (channel == Channel.ONLINE and rng.random() < 0.04):
        return draft  # still waiting at the window
    accepted_at = max(submitted + timedelta(minutes=5), _at(accept_day, rng))
    if channel == Channel.ONLINE and rng.random() < 0.05:
        event("refuse", accepted_at, CaseState.REFUSED, owner, "材料不符合要求，已一次性告知")
        return draft
    case.owner_id = owner_id
    case.due_on = calendar.due_on(accept_day, version.promised_days)
    case.legal_due_on = calendar.due_on(accept_day, version.legal_days) if version.legal_days else None
    case.calendar_provisional = not calendar.knows(accept_day, case.legal_due_on or case.due_on)
    case.accepted_at = event("accept", accepted_at, CaseState.ACCEPTED, owner)
    on_time = rng.random() < 0.9
    review_day = _later_workday(calendar, accept_day, rng, 0, 1)
    if review_day > today:
        return draft
    case.assignee_id = decider_id
    event("start_review", _at(review_day, rng), CaseState.IN_REVIEW, decider)
    span = max(version.promised_days, 1)
    if rng.random() < 0.12:  # a supplement is requested and (usually) answered
        paused = _later_workday(calendar, review_day, rng, 0, max(1, span // 3))
        if paused > today:
            return draft
        event("request_supplement", _at(paused, rng), CaseState.AWAITING_SUPPLEMENT, decider, "请补充收入证明")
        case.paused_on = paused
        resumed = _later_workday(calendar, paused, rng, 1, 6)
        if resumed > today:
            return draft
        pause = calendar.working_days_between(paused, resumed)
        case.due_on = calendar.add_working_days(case.due_on, pause)
        if case.legal_due_on:
            case.legal_due_on = calendar.add_working_days(case.legal_due_on, pause)
        case.calendar_provisional = not calendar.knows(accept_day, case.legal_due_on or case.due_on)
        case.paused_days, case.paused_on = pause, None
        event("supply", _at(resumed, rng), CaseState.IN_REVIEW, owner, "已补交", clock="resumed")
    if on_time:
        decide_day = min(case.due_on, _later_workday(calendar, review_day, rng, 0, span))
    else:
        decide_day = calendar.add_working_days(case.due_on, rng.randint(1, 6))
    if decide_day > today:
        return draft  # still in review (overdue when its due date has passed)
    decision = Decision.APPROVED if rng.random() < 0.88 else Decision.DENIED
    case.decision = decision
    case.decision_note = "符合条件" if decision == Decision.APPROVED else "经核查不符合条件"
    case.finished_on_time = decide_day <= case.due_on
    case.decided_at = event("decide", _at(decide_day, rng), CaseState.DECIDED, decider, case.decision_note)
    deliver_day = _later_workday(calendar, decide_day, rng, 0, 2)
    if deliver_day > today:
        return draft
    case.delivery_method = rng.choice(DeliveryMethod.values)
    case.delivered_at = event("deliver", _at(deliver_day, rng), CaseState.DELIVERED, owner)
    close_day = _later_workday(calendar, deliver_day, rng, 0, 2)
    if close_day > today:
        return draft
    case.closed_at = event("close", _at(close_day, rng), CaseState.CLOSED, owner)
    if rng.random() > 0.75 or close_day + timedelta(days=1) > today:
        return draft
    rated_at = case.closed_at + timedelta(hours=rng.randint(1, 60))
    if rated_at.date() > today:
        return draft
    score = rng.choice(SCORES) if on_time else rng.choice([5, 4, 3, 2, 2, 1])
    comment = "" if score >= 3 else rng.choice(["等待时间太长", "工作人员态度不好", "来回跑了好几趟"])
    rated_at = event("rate", rated_at, CaseState.RATED, applicant_who, comment, score=score)
    draft.rating = CaseRating(
        case=case,
        score=score,
        channel=rng.choice(RatingChannel.values),
        comment=comment,
        rated_at=rated_at,
        handling_path=case.handling_path,
        accepted_path=case.accepted_path,
        item=item,
        owner_id=owner_id,
    )
    if is_bad_rating(score):
        due = calendar.add_working_days(rated_at.date(), settings.LINLI_RECTIFICATION_WORKING_DAYS)
        done = due < today or rng.random() < 0.5
        draft.rectification = Rectification(
            rating=draft.rating,
            case=case,
            state=RectificationState.CLOSED if done else RectificationState.OPEN,
            due_on=due,
            handling_path=case.handling_path,
            accepted_path=case.accepted_path,
            opened_at=rated_at,
            verdict=RectificationVerdict.RECTIFIED if done else "",
            summary="优化流程并向居民致歉" if done else "",
            closed_at=rated_at + timedelta(days=3) if done else None,
            closed_by=owner_name if done else "",
        )
        if done:
            draft.follow_up = FollowUp(
                rectification=draft.rectification,
                at=rated_at + timedelta(days=1),
                method="call",
                summary="电话回访，说明原因并致歉",
                resident_satisfied=True,
                by_name=owner_name,
            )
    return draft


def _number(drafts: list[_Draft], numbers: dict[str, int]) -> None:
    for draft in sorted(drafts, key=lambda d: d.case.submitted_at):
        case = draft.case
        day = timezone.localtime(case.submitted_at).date()
        prefix = f"{case.accepted_path[:6]}{day:%Y%m%d}"
        numbers[prefix] += 1
        case.number = case_number(case.accepted_path[:6], day, numbers[prefix])


@transaction.atomic
def _write(drafts: list[_Draft]) -> None:
    cases = ServiceCase.objects.bulk_create([d.case for d in drafts])
    if not cases or cases[0].pk is None:  # SQLite before 3.35 returns no ids: read them back
        by_number = dict(
            ServiceCase.objects.filter(number__in=[d.case.number for d in drafts]).values_list("number", "pk")
        )
        for draft in drafts:
            draft.case.pk = by_number[draft.case.number]
    for draft in drafts:
        for event in draft.events:
            event.case_id = draft.case.pk
    CaseEvent.objects.bulk_create([e for d in drafts for e in d.events])
    ratings = [d for d in drafts if d.rating]
    for draft in ratings:
        draft.rating.case_id = draft.case.pk
    CaseRating.objects.bulk_create([d.rating for d in ratings])
    fixes = [d for d in drafts if d.rectification]
    for draft in fixes:
        draft.rectification.case_id, draft.rectification.rating_id = draft.case.pk, draft.rating.pk
    Rectification.objects.bulk_create([d.rectification for d in fixes])
    follow_ups = [d for d in fixes if d.follow_up]
    for draft in follow_ups:
        draft.follow_up.rectification_id = draft.rectification.pk
    FollowUp.objects.bulk_create([d.follow_up for d in follow_ups])


def _store_counters(numbers: dict[str, int]) -> None:
    existing = set(CaseNumberCounter.objects.values_list("prefix", flat=True))
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(prefix=p, last=n) for p, n in numbers.items() if p not in existing]
    )
    for prefix, last in numbers.items():
        if prefix in existing:
            CaseNumberCounter.objects.filter(prefix=prefix).update(last=last)


def demo_windows_generate(*, actor: Actor) -> int:
    """Every community's window for the demo city: an address at its service centre, a made-up
    landline (Shenyang's 024 area code) and the usual office hours. Real data goes in the admin."""
    city = city_unit()
    if city is None:
        return 0
    rows = [
        WindowInput(
            org_path=path,
            name=f"{name}党群服务中心便民服务窗口",
            address=f"{name}党群服务中心一楼服务大厅",
            phone=f"024-{2000_0000 + int(hashlib.sha256(path.encode()).hexdigest()[:7], 16) % 1000_0000}",
            hours="周一至周五 8:30-12:00, 13:30-17:30",
        )
        for path, name, _kind in units_under(under=city.path, kinds=("community", "village"))
    ]
    return windows_seed(actor=actor, rows=rows)
