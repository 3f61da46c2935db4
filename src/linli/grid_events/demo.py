"""Demo and benchmark grid events: a realistic year of events across the city's positioned
communities, written in bulk with their whole back-dated timeline (the timeline is append-only,
so it cannot be written now and dated afterwards). Not an interface: only `linli demo`, the
tests and `bench/` call it.

Every event walks the workflow the services implement — the same handlers, replayed in memory
by `_Story` (report, register, dispatch, accept or return, whistle and check-ins, handling,
verification with rework, closing, rating, supervision notices) — at plausible times: each step
comes a random share of its stage's limit after the previous one, or, for a slow unit, 1.3–4
times the limit, and a late stage may draw a supervision notice. Due times come from
`selectors.deadline_after` (working minutes through the work calendar; clock minutes for
urgent events), exactly as the services compute them: ~25,000 calls for 2,000 events take well
under a second, so no approximation is needed.

What each event ends as is drawn from fixed shares (so a small run still has every state):
most closed or rated, some rejected or merged into an earlier nearby event, and a few percent
still open in each open state, about half of them overdue. An open event's report time is
fitted so that its last step lies in the past and its stage is (or is not) overdue now; ended
events are spread over the year. Overdue open events count as already warned by the deadline
job (`overdue_notified_for`), so the first tick does not flood the demo accounts' inboxes.

Events reported within the duplicate window (`LINLI_DUPLICATE_WINDOW_HOURS`) keep clear of
their community's centre by more than the duplicate radius: a map opens on the centre, and a
live report placed there must not be proposed a demo event as its duplicate.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.areas.models import Building, Department, Grid, OrgUnit
from linli.core.actor import Actor
from linli.core.services import audit_record
from linli.grid_events.domain import (
    DEFAULT_LIMITS,
    ENDED_STATES,
    PUBLIC_CHANNELS,
    AssignmentRole,
    AssignmentState,
    Channel,
    EventState,
    Urgency,
    event_number,
)
from linli.grid_events.models import (
    Assignment,
    EventCategory,
    EventStep,
    GridEvent,
    Response,
    Supervision,
    Whistle,
)
from linli.grid_events.selectors import categories_by_code, category_route_department, deadline_after
from linli.grid_events.services import _limit as stage_limit  # the services' own rule, not a copy
from linli.grid_events.services import tasks_close
from linli.service_desk.models import CaseNumberCounter
from linli.workdays.selectors import work_calendar

S = EventState
Who = tuple[int | None, str]

# ---------------------------------------------------------------- what a year looks like

# (code, weight): the common problems of a northern city's streets; seasonal ones below.
CATEGORY_WEIGHTS = {
    "E0102": 12,  # 暴露垃圾
    "E0505": 10,  # 机动车乱停放 (police)
    "E0504": 8,  # 店外经营 (占道经营)
    "E0110": 7,  # 道路破损
    "E0201": 7,  # 非法小广告
    "E0501": 6,  # 无照经营游商
    "E0507": 6,  # 乱堆物堆料
    "E0506": 5,  # 非机动车乱停放
    "C0118": 5,  # 路灯
    "E0103": 4,  # 积存垃圾渣土
    "E0104": 3,  # 道路不洁
    "E0108": 3,  # 废弃家具设备
    "E0301": 3,  # 施工扰民 (housing)
    "E0404": 3,  # 下水道堵塞或破损 (water)
    "C0103": 2,  # 雨水井盖
    "C0102": 2,  # 污水井盖
    "C0305": 2,  # 垃圾箱
    "C0402": 2,  # 行道树
    "E0302": 2,  # 工地扬尘 (housing)
    "E0508": 2,  # 商业噪音
    "E0116": 2,  # 油烟污染 (ecology)
    "E0406": 1,  # 道路积水 (summer ×5)
    "E0407": 0,  # 道路积雪结冰 (winter only)
    "E0405": 0,  # 热力管道破裂 (heating season only)
    "E0510": 1,  # 露天烧烤 (summer ×4)
    "E0502": 1,  # 流浪乞讨 (civil affairs)
    "E0511": 1,  # 沿街晾挂
    "E0402": 1,  # 自来水管破裂 (water)
    "C0114": 1,  # 不明井盖
    "C0126": 1,  # 健身设施
    "C0203": 1,  # 公交站亭 (transport)
    "C0211": 1,  # 交通护栏 (transport)
    "C0214": 1,  # 交通信号灯 (police)
}
WINTER = {11, 12, 1, 2, 3}  # Shenyang's heating season, snow from November to March
SEASONAL = {
    "E0407": lambda month: 14 if month in {12, 1, 2} else 6 if month in WINTER else 0,
    "E0405": lambda month: 2 if month in WINTER else 0,
    "E0406": lambda month: 5 if month in {6, 7, 8} else 1 if month in {5, 9} else 0,
    "E0510": lambda month: 4 if month in {6, 7, 8} else 1 if month in {5, 9} else 0,
    "E0504": lambda month: 8 if month not in {12, 1, 2} else 3,
}
URGENT_SHARE_BY_MAJOR = {"E04": 0.35, "C01": 0.12}  # bursts and open manholes; else 1.5 %
URGENT_SHARE = 0.015
# District weights per community: the five central districts report most.
CENTRAL = {"210102", "210103", "210104", "210105", "210106"}
NEAR = {"210111", "210112", "210113", "210114"}
FOCUS_SHARE = 0.08  # the demo accounts' own community, so their boards are full

# What each event ends as, as shares of the count (the rest is closed without a rating).
OPEN_SHARES = {S.REPORTED: 0.012, S.REGISTERED: 0.012, S.DISPATCHED: 0.018, S.HANDLING: 0.028, S.HANDLED: 0.012}
ENDED_SHARES = {S.REJECTED: 0.04, S.MERGED: 0.03, S.EVALUATED: 0.30}
OVERDUE_SHARE = 0.45  # of the open events
# Channels: rated events came from the public (the 好差评 is theirs); the others mostly patrols.
RATED_CHANNELS = {Channel.RESIDENT_PHOTO: 60, Channel.HOTLINE: 25, Channel.OPEN311: 15}
OTHER_CHANNELS = {Channel.GRID_PATROL: 75, Channel.RESIDENT_PHOTO: 12, Channel.HOTLINE: 8, Channel.OPEN311: 3}
OTHER_CHANNELS[Channel.STAFF] = 2

WRONG_DISPATCH = 0.06  # dispatched to the wrong department, returned, dispatched again
SELF_HANDLE = 0.22  # the community handles small street problems itself (of those it may)
WHISTLE_FIRST = 0.06  # the community or street summons departments at once
WHISTLE_OPEN = 0.35  # of the events left dispatched: the whistle board shows summons waiting
WHISTLE_LATER = 0.03  # the street summons more departments while one is handling
REWORK = 0.07  # verification fails, handled again
SUPERVISE_LATE = 0.35  # a late stage draws a supervision notice
NO_SHOW = 0.08  # an assisting department never checks in
SELF_HANDLED_MAJORS = {"E01", "E02", "E05", "C03", "C04"}
ASSIST_KINDS = {
    "E04": ["housing", "water", "urban_management", "police"],
    "C01": ["housing", "water", "urban_management", "transport"],
    "C02": ["transport", "police", "urban_management"],
    "E03": ["housing", "urban_management", "ecology"],
}
ASSIST_DEFAULT = ["urban_management", "police", "market_regulation", "housing", "ecology"]
WRONG_KINDS = ["civil_affairs"] * 3 + ["housing", "water", "transport", "market_regulation", "urban_management"]
SCORES_ON_TIME = [5] * 62 + [4] * 24 + [3] * 8 + [2] * 4 + [1] * 2
SCORES_LATE = [5] * 25 + [4] * 25 + [3] * 20 + [2] * 18 + [1] * 12
GOOD_COMMENTS = ["", "", "", "处理及时，点赞", "很快就处理好了，谢谢", "网格员很负责", "满意"]
BAD_COMMENTS = ["拖了好几天才处理", "处理得不彻底，过两天又出现了", "没人联系我说明情况", "反复反映才解决"]
REJECT_NOTES = ["属物业管理范围，已告知居民联系物业", "现场核实无此问题", "不属于网格事件受理范围，已引导至12345"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# ---------------------------------------------------------------- the city as the demo sees it


@dataclass
class _Place:
    community: str  # path
    name: str
    lat: float
    lng: float
    rural: bool
    buildings: list[tuple[int, int, str, str, float, float]]  # (building id, grid id, grid path, address, lat, lng)
    grids: list[tuple[int, str]]


@dataclass
class _City:
    places: list[_Place]
    weights: list[float]
    departments: dict[str, dict[str, Department]]  # district path → kind → department
    routes: dict[tuple[int, str], Department | None] = field(default_factory=dict)

    def route(self, category: EventCategory, district: str) -> Department | None:
        key = (category.pk, district)
        if key not in self.routes:
            self.routes[key] = category_route_department(category, district)
        return self.routes[key]


def _city(focus_path: str) -> _City | None:
    communities = OrgUnit.objects.filter(kind__in=["community", "village"], is_active=True, lat__isnull=False).order_by(
        "path"
    )
    buildings = defaultdict(list)
    for pk, path, grid_id, grid_path, address, lat, lng in (
        Building.objects.filter(lat__isnull=False)
        .order_by("path")
        .values_list("pk", "path", "grid_id", "grid__path", "address", "lat", "lng")
    ):
        buildings[path[:12]].append((pk, grid_id, grid_path, address, lat, lng))
    grids = defaultdict(list)
    for pk, path in Grid.objects.order_by("path").values_list("pk", "path"):
        grids[path[:12]].append((pk, path))
    places, weights = [], []
    for unit in communities:
        district = unit.path[:6]
        weight = 3.0 if district in CENTRAL else 2.0 if district in NEAR else 1.0
        if unit.urban_rural == "rural" or unit.kind == "village":
            weight *= 0.3
        places.append(
            _Place(
                unit.path,
                unit.name,
                unit.lat,
                unit.lng,
                unit.urban_rural == "rural" or unit.kind == "village",
                buildings[unit.path],
                grids[unit.path],
            )
        )
        weights.append(weight)
    if not places:
        return None
    focus = [i for i, p in enumerate(places) if p.community == focus_path]
    if focus:  # the focus community gets FOCUS_SHARE of all events on top of its own weight
        total = sum(weights)
        weights[focus[0]] += total * FOCUS_SHARE / (1 - FOCUS_SHARE)
    departments: dict[str, dict[str, Department]] = defaultdict(dict)
    for department in Department.objects.all():
        departments[department.path][department.kind] = department
    return _City(places, weights, departments)


# ---------------------------------------------------------------- one event, replayed


class _Stop(Exception):  # noqa: N818 (control flow, not an error)
    """The event has reached the open state it is to be left in."""


@dataclass
class _Draft:
    event: GridEvent
    steps: list[EventStep] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    whistles: list[tuple[Whistle, list[Response]]] = field(default_factory=list)
    supervisions: list[Supervision] = field(default_factory=list)
    place: _Place | None = None
    original: _Draft | None = None  # merged: the event it was merged into
    merge_details: list[tuple[dict, str, _Draft]] = field(default_factory=list)  # filled with numbers later

    @property
    def last_at(self) -> datetime:
        return self.steps[-1].at

    def state_at(self, at: datetime) -> str:
        state = S.REPORTED
        for step in self.steps:
            if step.at <= at:
                state = step.to_state
        return state


@dataclass
class _Staff:
    """Who acts in the demo: a demo account where one stands at that place (exact keys: a grid,
    community, street or district path, "dept:<id>", "resident:<community path>"), else a
    generic name."""

    by_key: dict[str, Who]

    def at(self, key: str, fallback: str) -> Who:
        return self.by_key.get(key, (None, fallback))


class _Story:
    """The services' handlers replayed on one in-memory event, with the same rules for holders,
    tasks, due times and the rates' flags (see services: _on_register … _on_rate)."""

    def __init__(self, draft: _Draft, rng: random.Random, city: _City, staff: _Staff, stop_in: str | None):
        self.d, self.e, self.rng, self.city, self.staff = draft, draft.event, rng, city, staff
        self.rural = draft.place.rural
        self.stop_in = stop_in  # an open state the event is to be left in, or None: play to the end

    # ---- helpers
    @property
    def urgent(self) -> bool:
        return self.e.urgency == Urgency.URGENT

    def holder(self) -> str:
        return f"dept:{self.e.holder_department_id}" if self.e.holder_department_id else f"unit:{self.e.holder_path}"

    def due(self, start: datetime, minutes: int, urgent: bool | None = None) -> datetime:
        return deadline_after(start, minutes, urgent=self.urgent if urgent is None else urgent)

    def limit(self, name: str) -> int:
        return stage_limit(self.e.category, name, self.urgent)

    def verify_minutes(self) -> int:
        minutes = self.e.category.verify_minutes if self.e.category else DEFAULT_LIMITS.verify
        return max(minutes, DEFAULT_LIMITS.verify_rural) if self.rural else minutes

    def later(
        self, minutes: int, late: bool, urgent: bool | None = None, after: datetime | None = None, due=None
    ) -> datetime:
        """When the next step comes: on time, a share of the time left until the stage's due
        time (people work to the deadline they see); late, 0.3–3 times the stage's limit past it."""
        urgent = self.urgent if urgent is None else urgent
        after, due = after or self.d.last_at, due or self.e.stage_due_at
        if due is None:
            return self.due(after, max(1, round(minutes * self.rng.uniform(0.05, 0.85))), urgent)
        if late:
            return self.due(max(due, after), max(1, round(minutes * self.rng.uniform(0.3, 3.0))), urgent)
        left = (due - after).total_seconds() / 60 if urgent else work_calendar().working_minutes_between(after, due)
        return self.due(after, max(1, round(left * self.rng.uniform(0.05, 0.9))), urgent)

    def step(self, action, at, from_state, from_holder, to_holder, who: Who, note="", details=None) -> None:
        if self.d.steps and at <= self.d.last_at:  # keep the timeline strictly in order
            at = self.d.last_at + timedelta(minutes=1)
        self.d.steps.append(
            EventStep(
                action=action,
                from_state=from_state,
                to_state=self.e.state,
                from_holder=from_holder,
                to_holder=to_holder,
                actor_id=who[0],
                actor_name=who[1],
                note=note,
                details={} if details is None else details,
                at=at,
            )
        )

    def transition(self, action: str, target: str, at: datetime, who: Who, handler, note: str = "") -> None:
        if self.stop_in == self.e.state and target != self.e.state:
            raise _Stop
        if self.d.steps and at <= self.d.last_at:
            at = self.d.last_at + timedelta(minutes=1)
        from_state, from_holder = self.e.state, self.holder()
        details = handler(at)
        details = {} if details is None else details  # the same dict: a merge's is filled in later
        self.e.state = target
        self.step(action, at, from_state, from_holder, self.holder(), who, note, details)

    def lead_task(self) -> Assignment | None:
        live = [
            t
            for t in self.d.assignments
            if t.role == AssignmentRole.LEAD and t.state not in {AssignmentState.RETURNED, AssignmentState.CANCELLED}
        ]
        return live[-1] if live else None

    @staticmethod
    def answer(task: Assignment, at: datetime, state: str) -> None:
        if task.answered_at is None:
            task.answered_at = at
            task.answered_on_time = at <= task.accept_due_at
        task.state = state

    def assign(self, department: Department, role: str, at: datetime) -> Assignment:
        task = Assignment(
            department=department,
            role=role,
            assigned_at=at,
            accept_due_at=self.due(at, self.limit("accept_minutes")),
            due_at=self.due(at, self.limit("handle_minutes")),
        )
        self.d.assignments.append(task)
        if role == AssignmentRole.LEAD:
            self.e.holder_department, self.e.holder_path = department, ""
            self.e.handle_due_at = task.due_at
            self.e.stage_due_at = task.accept_due_at
        return task

    def department_who(self, department: Department) -> Who:
        return self.staff.at(f"dept:{department.pk}", f"{department.name}工作人员")

    # ---- the steps (services: _on_<action>)
    def report(self, at: datetime, who: Who) -> None:
        e = self.e
        e.reported_at = at
        e.register_due_at = e.stage_due_at = self.due(at, self.limit("register_minutes"))
        self.step("report", at, "", "", f"unit:{e.community_path}", who)

    def register(self, at: datetime, who: Who, category: EventCategory) -> None:
        def handler(at):
            self.e.category = category
            self.e.registered_at = at
            self.e.stage_due_at = self.due(at, self.limit("dispatch_minutes"))
            return {"category": category.code}

        self.transition("register", S.REGISTERED, at, who, handler)

    def reject(self, at: datetime, who: Who, note: str) -> None:
        def handler(at):
            self.e.registered_at, self.e.stage_due_at = at, None

        self.transition("reject", S.REJECTED, at, who, handler, note)

    def merge(self, at: datetime, who: Who, original: _Draft) -> None:
        """The original's own "merged_in" step is added by `_duplicate` once this is placed."""
        details: dict = {}

        def handler(at):
            self.d.original = original
            self.e.registered_at = self.e.registered_at or at
            self.e.stage_due_at = None
            return details

        self.transition("merge", S.MERGED, at, who, handler)
        self.d.merge_details = [(details, "original", original)]

    def self_handle(self, at: datetime, who: Who) -> None:
        def handler(at):
            self.e.handle_due_at = self.e.stage_due_at = self.due(at, self.limit("handle_minutes"))

        self.transition("self_handle", S.HANDLING, at, who, handler)

    def dispatch(self, at: datetime, who: Who, department: Department) -> None:
        def handler(at):
            self.assign(department, AssignmentRole.LEAD, at)
            return {"department": department.pk}

        self.transition("dispatch", S.DISPATCHED, at, who, handler)

    def accept(self, at: datetime) -> None:
        task = self.lead_task()

        def handler(at):
            self.answer(task, at, AssignmentState.ACCEPTED)
            self.e.stage_due_at = task.due_at
            return {"department": task.department_id}

        self.transition("accept", S.HANDLING, at, self.department_who(task.department), handler)

    def give_back(self, at: datetime, note: str) -> None:  # the "return" step
        task = self.lead_task()

        def handler(at):
            self.answer(task, at, AssignmentState.RETURNED)
            task.return_reason = note
            for other in self.d.assignments:
                if other.state in {AssignmentState.PENDING, AssignmentState.ACCEPTED}:
                    other.state = AssignmentState.CANCELLED
            self.e.holder_department, self.e.holder_path = None, self.e.community_path
            self.e.handle_due_at = None
            self.e.stage_due_at = self.due(at, self.limit("dispatch_minutes"))
            return {"department": task.department_id}

        self.transition("return", S.REGISTERED, at, self.department_who(task.department), handler, note)

    def whistle(self, at: datetime, who: Who, unit_path: str, departments: list[Department], note: str) -> Whistle:
        made: list[Whistle] = []

        def handler(at):
            wanted = {d.pk for d in departments}
            live = {
                t.department_id: t
                for t in self.d.assignments
                if t.state in {AssignmentState.PENDING, AssignmentState.ACCEPTED}
            }
            for department_id, task in live.items():
                if department_id not in wanted:
                    task.state = AssignmentState.CANCELLED
            minutes = DEFAULT_LIMITS.check_in_urgent if self.urgent else DEFAULT_LIMITS.check_in
            whistle = Whistle(
                blown_by_id=who[0],
                blown_by_name=who[1],
                unit_path=unit_path,
                reason=note,
                created_at=at,
                check_in_due_at=self.due(at, minutes),
            )
            responses = []
            for index, department in enumerate(departments):
                role = AssignmentRole.LEAD if index == 0 else AssignmentRole.ASSIST
                task = live.get(department.pk)
                if task is None:
                    self.assign(department, role, at)
                elif task.role != role:
                    task.role = role
                responses.append(Response(department=department, is_lead=index == 0))
            lead = departments[0]
            self.e.holder_department, self.e.holder_path = lead, ""
            self.e.stage_due_at = whistle.check_in_due_at
            for task in self.d.assignments:  # services._reopen_lead
                if task.department_id == lead.pk and task.state not in {
                    AssignmentState.RETURNED,
                    AssignmentState.CANCELLED,
                }:
                    task.state, task.role = AssignmentState.PENDING, AssignmentRole.LEAD
            self.d.whistles.append((whistle, responses))
            made.append(whistle)
            return {"whistle": str(whistle.public_id), "departments": [d.pk for d in departments]}

        self.transition("whistle", S.DISPATCHED, at, who, handler, note)
        return made[0]

    def check_in(self, at: datetime, whistle: Whistle, response: Response) -> None:
        e = self.e
        moves = response.is_lead and e.state == S.DISPATCHED and e.holder_department_id == response.department.pk
        if moves and self.stop_in == e.state:
            raise _Stop
        if at <= self.d.last_at:
            at = self.d.last_at + timedelta(minutes=1)
        who = self.department_who(response.department)
        response.checked_in_at, response.checked_in_by_id, response.checked_in_by_name = at, who[0], who[1]
        response.note = self.rng.choice(["已到现场", "已安排人员", "收到，马上处理", ""])
        task = next(
            (
                t
                for t in self.d.assignments
                if t.department_id == response.department.pk and t.state == AssignmentState.PENDING
            ),
            None,
        )
        if task is not None:
            self.answer(task, at, AssignmentState.ACCEPTED)
        from_state = e.state
        if moves:
            e.state = S.HANDLING
            e.stage_due_at = task.due_at if task else e.handle_due_at
        late = at > whistle.check_in_due_at
        self.step(
            "check_in", at, from_state, "", "", who, response.note, {"department": response.department.pk, "late": late}
        )

    def report_handled(self, at: datetime, who: Who, note: str) -> None:
        def handler(at):
            details = {}
            if self.e.holder_department_id:
                task = self.lead_task()
                task.state, task.handled_at = AssignmentState.HANDLED, at
                details["department"] = task.department_id
            self.e.handled_at = at
            self.e.holder_department, self.e.holder_path = None, self.e.community_path
            self.e.stage_due_at = self.due(at, self.verify_minutes(), urgent=False)
            return details

        self.transition("report_handled", S.HANDLED, at, who, handler, note)

    def verify_fail(self, at: datetime, who: Who, note: str) -> None:
        def handler(at):
            self.e.rework_count += 1
            due = self.due(at, self.limit("handle_minutes"))
            task = self.lead_task()
            if task is not None and task.state == AssignmentState.HANDLED:
                task.state, task.handled_at, task.due_at = AssignmentState.ACCEPTED, None, due
                self.e.holder_department, self.e.holder_path = task.department, ""
            self.e.handled_at = None
            self.e.handle_due_at = self.e.stage_due_at = due
            return {"rework": self.e.rework_count}

        self.transition("verify_fail", S.HANDLING, at, who, handler, note)

    def verify_pass(self, at: datetime, who: Who, note: str) -> None:
        def handler(at):
            e = self.e
            e.closed_at = at
            e.closed_on_time = e.handle_due_at is None or e.handled_at <= e.handle_due_at
            e.stage_due_at = None
            tasks_close(self.d.assignments)

        self.transition("verify_pass", S.CLOSED, at, who, handler, note)

    def rate(self, at: datetime, who: Who, score: int, comment: str) -> None:
        def handler(at):
            self.e.rating, self.e.rating_comment = score, comment
            for task in self.d.assignments:
                if task.solved:
                    task.rating = score
            return {"score": score}

        self.transition("rate", S.EVALUATED, at, who, handler, comment)

    def supervise(self, at: datetime, level: int, answer_by: datetime | None) -> None:
        """A supervision notice to whoever holds the event now (services.supervision_issue),
        answered by `answer_by` if given."""
        e = self.e
        street, district = e.community_path[:9], e.community_path[:6]
        if level == 1:
            who, issuer = self.staff.at(street, "街道网格化服务管理中心"), street
        else:
            who, issuer = self.staff.at(district, "区网格化服务管理中心"), district
        if at <= self.d.last_at:
            at = self.d.last_at + timedelta(minutes=1)
        note = {
            1: "请抓紧处理，按时反馈",
            2: "已超期，请于一个工作日内办结并说明原因",
            3: "挂牌督办：限期办结，主要负责人说明情况",
        }[level]
        supervision = Supervision(
            level=level,
            issued_by_id=who[0],
            issued_by_name=who[1],
            issuer_path=issuer,
            target_path=e.holder_path,
            target_department=e.holder_department,
            note=note,
            created_at=at,
            due_at=self.due(at, DEFAULT_LIMITS.handle if level == 1 else 8 * 60, urgent=False),
        )
        e.supervision_level = max(e.supervision_level, level)
        self.d.supervisions.append(supervision)
        self.step("supervise", at, e.state, "", "", who, note, {"level": level})
        if answer_by is not None and answer_by > at:
            answered = at + (answer_by - at) * self.rng.uniform(0.1, 0.8)
            answer = self.rng.choice(["已督促责任人，正在处理", "已安排人员今日处置完毕", "原因已说明，加快办理"])
            holder_who = (
                self.department_who(e.holder_department)
                if e.holder_department_id
                else self.staff.at(e.holder_path, "社区工作人员")
            )
            supervision.answered_at, supervision.answer = answered, answer
            self.step("supervision_answer", answered, e.state, "", "", holder_who, answer)


# ---------------------------------------------------------------- the story of one event


@dataclass
class _Plan:
    """What is decided before the event is placed in time."""

    seed: int
    place: _Place
    category: EventCategory
    channel: str
    urgency: str
    fate: str  # the state it ends in
    overdue: bool = False  # open ones: is the stage overdue now
    building: tuple | None = None
    original: _Draft | None = None  # merged ones
    month: int = 1  # the season its category was drawn for


def _play(plan: _Plan, reported_at: datetime, city: _City, staff: _Staff, reports: dict, now: datetime) -> _Draft:
    rng = random.Random(plan.seed)
    place = plan.place
    building = plan.building
    public = plan.channel != Channel.GRID_PATROL and plan.channel != Channel.STAFF
    grid_path = building[2] if building else (place.grids[0][1] if place.grids else place.community)
    event = GridEvent(
        category=None if public else plan.category,
        description=rng.choice(reports[plan.category.code]),
        urgency=plan.urgency,
        channel=plan.channel,
        lat=place.lat,
        lng=place.lng,
        address=(building[3] if building else f"{place.name}附近")[:200],
        building_id=building[0] if building else None,
        grid_id=building[1] if building else (place.grids[0][0] if place.grids else None),
        community_path=place.community,
        path=grid_path,
        holder_path=place.community,
        open311_token=uuid.UUID(int=rng.getrandbits(128), version=4) if plan.channel == Channel.OPEN311 else None,
        is_public=plan.channel in PUBLIC_CHANNELS,
    )
    draft = _Draft(event, place=place)
    story = _Story(draft, rng, city, staff, plan.fate if plan.fate not in ENDED_STATES else None)
    community = staff.at(place.community, "社区工作人员")
    grid_worker = staff.at(grid_path, "网格员")
    reporter = _reporter(rng, plan.channel, place, grid_worker, community, staff)
    event.reporter_id, event.reporter_name = reporter[0], reporter[1][:60]
    diligence = 0.88 + 0.11 * random.Random(f"pace:{place.community}").random()  # a community's own pace
    try:
        story.report(reported_at, reporter)
        _walk(story, plan, rng, community, grid_worker, diligence)
    except _Stop:
        _trim(draft)
    return draft


def _trim(draft: _Draft) -> None:
    """A notice drawn by the step that was not taken goes with it (open events get theirs from
    `_supervise_open`, fitted to now)."""
    while draft.steps[-1].action in {"supervise", "supervision_answer"}:
        draft.steps.pop()
    draft.supervisions = [s for s in draft.supervisions if s.created_at <= draft.last_at]
    draft.event.supervision_level = max((s.level for s in draft.supervisions), default=0)


def _reporter(rng, channel, place, grid_worker, community, staff) -> Who:
    if channel == Channel.GRID_PATROL:
        return (
            grid_worker if grid_worker[0] else (None, f"网格员{rng.choice(SURNAMES)}{rng.choice('丽伟芳敏静军强磊')}")
        )
    if channel == Channel.STAFF:
        return community
    if channel == Channel.HOTLINE:
        return None, "12345热线转办"
    if channel == Channel.OPEN311:
        return None, "市民（城市服务App）"
    resident = staff.by_key.get(f"resident:{place.community}")
    if resident and rng.random() < 0.3:
        return resident
    return None, f"居民{rng.choice(SURNAMES)}{rng.choice(['先生', '女士'])}"


def _department_pace(department: Department) -> float:
    """Each department's own reliability (0.80–0.99), stable per department: the rankings differ."""
    return 0.80 + 0.19 * random.Random(f"pace:{department.code}").random()


def _walk(story: _Story, plan: _Plan, rng, community: Who, grid_worker: Who, diligence: float) -> None:
    e = story.e
    category = plan.category
    district = e.community_path[:6]

    def late_stage(minutes: int, reliable: float, urgent: bool | None = None) -> datetime:
        """The next step's time; a step hours late may draw a supervision notice in between,
        of a higher level on the longer (handling) stages."""
        late = rng.random() > reliable
        at = story.later(minutes, late, urgent)
        due = e.stage_due_at
        if late and rng.random() < SUPERVISE_LATE and due and at - due > timedelta(hours=2):
            level = rng.choices([1, 2, 3], weights=[60, 30, 10])[0] if minutes >= 240 else rng.choice([1] * 9 + [2])
            issued = due + (at - due) * rng.uniform(0.05, 0.5)
            story.supervise(issued, level, at if rng.random() < 0.85 else None)
        return at

    # registration (立案) or not
    at = late_stage(story.limit("register_minutes"), diligence)
    if plan.fate == S.REJECTED:
        story.reject(at, community, rng.choice(REJECT_NOTES))
        return
    if plan.fate == S.MERGED:
        story.merge(at, community, plan.original)
        return
    story.register(at, community, category)

    right = story.city.route(category, district)
    major = category.code[:3]
    route = "dispatch"
    if right is None or (
        major in SELF_HANDLED_MAJORS and category.department_kind == "urban_management" and rng.random() < SELF_HANDLE
    ):
        route = "self"
    elif rng.random() < (WHISTLE_OPEN if plan.fate == S.DISPATCHED else WHISTLE_FIRST):
        route = "whistle"
    if plan.fate == S.DISPATCHED and route == "self" and right is not None:
        route = "dispatch"
    if route == "self" and right is None and plan.fate == S.DISPATCHED:
        plan.fate = S.HANDLING  # nobody to dispatch to in this district: it stays with the community
        story.stop_in = S.HANDLING

    if route == "self":
        at = late_stage(story.limit("dispatch_minutes"), diligence)
        story.self_handle(at, community)
        at = late_stage(story.limit("handle_minutes"), diligence)
        story.report_handled(at, community, rng.choice(["社区组织人员已清理", "已协调物业处理完毕", "社区已处置"]))
    else:
        pace = _department_pace(right)
        if route == "whistle":
            at = late_stage(story.limit("dispatch_minutes"), diligence)
            _whistle(story, rng, at, right, community, reason="问题涉及多个部门，需联合处置")
        else:
            if rng.random() < WRONG_DISPATCH:
                wrong = _wrong_department(story, rng, district, right)
                if wrong is not None:
                    at = late_stage(story.limit("dispatch_minutes"), diligence)
                    story.dispatch(at, community, wrong)
                    at = late_stage(story.limit("accept_minutes"), _department_pace(wrong))
                    story.give_back(at, f"不属本单位职责，请改派{right.name}")
            at = late_stage(story.limit("dispatch_minutes"), diligence)
            story.dispatch(at, community, right)
            at = late_stage(story.limit("accept_minutes"), pace)
            story.accept(at)
            if rng.random() < WHISTLE_LATER:
                street = story.staff.at(e.community_path[:9], "街道工作人员")
                at = story.due(story.d.last_at, rng.randint(30, 240), urgent=False)
                _whistle(story, rng, at, right, street, reason="处置需多部门配合，街道吹哨", street=True)
        at = late_stage(story.limit("handle_minutes"), pace)
        story.report_handled(at, story.department_who(right), rng.choice(["已处置完毕", "已安排人员修复", "已清理"]))
    # verification on site by the grid worker, sometimes failed (返工)
    at = late_stage(story.verify_minutes(), diligence, urgent=False)
    if rng.random() < REWORK:
        story.verify_fail(at, grid_worker, rng.choice(["现场仍未处理干净", "只做了临时处理", "问题依旧存在"]))
        handler = story.department_who(right) if e.holder_department_id else community
        pace = _department_pace(right) if e.holder_department_id else diligence
        at = late_stage(story.limit("handle_minutes"), pace)
        story.report_handled(at, handler, "已按要求重新处置")
        at = late_stage(story.verify_minutes(), diligence, urgent=False)
    story.verify_pass(at, grid_worker, rng.choice(["现场已处理完毕", "核查通过", "已恢复正常"]))
    if plan.fate != S.EVALUATED:
        return
    on_time = e.closed_on_time and e.rework_count == 0
    score = rng.choice(SCORES_ON_TIME if on_time else SCORES_LATE)
    comment = rng.choice(GOOD_COMMENTS if score >= 3 else BAD_COMMENTS)
    rated = timezone.localtime(e.closed_at + timedelta(hours=rng.uniform(1, 72)))
    if not 7 <= rated.hour < 22:  # people rate in the daytime
        rated = rated.replace(hour=rng.randint(8, 21)) + timedelta(days=1 if rated.hour >= 22 else 0)
    story.rate(rated, (e.reporter_id, e.reporter_name), score, comment)


def _wrong_department(story: _Story, rng, district: str, right: Department) -> Department | None:
    choices = [story.city.departments[district].get(kind) for kind in WRONG_KINDS]
    choices = [d for d in choices if d is not None and d.pk != right.pk]
    return rng.choice(choices) if choices else None


def _whistle(story: _Story, rng, at, lead: Department, who: Who, *, reason: str, street: bool = False) -> None:
    """Blow the whistle: the lead and 1–2 assisting departments of the district; each checks in
    within the limit, some late, a few assisting ones never."""
    e = story.e
    district = e.community_path[:6]
    kinds = ASSIST_KINDS.get(story.e.category.code[:3], ASSIST_DEFAULT)
    extra = [story.city.departments[district].get(k) for k in kinds]
    extra = [d for d in dict.fromkeys(extra) if d is not None and d.pk != lead.pk]
    departments = [lead, *rng.sample(extra, k=min(len(extra), rng.randint(1, 2)))]
    unit_path = e.community_path[:9] if street else e.community_path
    whistle = story.whistle(at, who, unit_path, departments, reason)
    responses = story.d.whistles[-1][1]
    minutes = DEFAULT_LIMITS.check_in_urgent if story.urgent else DEFAULT_LIMITS.check_in
    arrivals = []
    for response in responses:
        if not response.is_lead and rng.random() < NO_SHOW:
            continue
        late = rng.random() < 0.15
        arrivals.append((story.later(minutes, late, after=whistle.created_at, due=whistle.check_in_due_at), response))
    for arrival, response in sorted(arrivals, key=lambda pair: (pair[0], not pair[1].is_lead)):
        story.check_in(arrival, whistle, response)


# ---------------------------------------------------------------- the year


def demo_events_generate(
    *,
    count: int = 2000,
    days_back: int = 365,
    seed: int = 20261125,
    staff: Mapping[str, Who] | None = None,
    focus_path: str = "",
    now: datetime | None = None,
    batch: int = 2000,
) -> int:
    """Write `count` grid events spread over the last `days_back` days with their timelines,
    tasks, whistles, check-ins and supervision notices. Does nothing when any event exists.

    `staff` names who acts where (exact keys): a grid, community, street or district path, or
    "dept:<id>", → (user id, display name) of a demo account; "resident:<community path>" → the
    demo resident, who reports some of that community's photo reports. `focus_path`: a
    community given FOCUS_SHARE of the events (the demo accounts' own)."""
    if count <= 0 or GridEvent.objects.exists():
        return 0
    city = _city(focus_path)
    categories = _categories()
    if city is None or not categories:
        return 0
    now = now or timezone.now()
    rng = random.Random(seed)
    people = _Staff(dict(staff or {}))
    reports = _descriptions(categories, seed)
    today = timezone.localdate(now)
    plans = _plans(rng, count, city, categories, today.month)
    days_by_month = defaultdict(list)
    for n in range(2, max(days_back, 3)):
        day = today - timedelta(days=n)
        days_by_month[day.month].append(day)
    drafts = []
    originals = []
    for plan in plans:
        if plan.fate == S.MERGED:
            continue
        draft = _placed(plan, city, people, reports, now, days_by_month, rng)
        drafts.append(draft)
        if draft.event.state not in {S.REJECTED, S.MERGED} and draft.event.reported_at < now - timedelta(days=3):
            originals.append(draft)
    for plan in plans:  # duplicates of earlier events nearby, merged into them
        if plan.fate != S.MERGED or not originals:
            continue
        plan.original = rng.choice(originals)
        drafts.append(_duplicate(plan, city, people, reports, now))
    _positions(drafts, rng, now)
    _numbers(drafts)
    with transaction.atomic():
        for start in range(0, len(drafts), batch):
            _write(drafts[start : start + batch])
        merged = [d.event for d in drafts if d.original is not None]
        for event, draft in zip(merged, [d for d in drafts if d.original is not None], strict=True):
            event.duplicate_of_id = draft.original.event.pk
        GridEvent.objects.bulk_update(merged, ["duplicate_of"])
        audit_record(actor=Actor.system("demo"), action="demo.grid_events", details={"events": len(drafts)})
    return len(drafts)


def _categories() -> dict[str, EventCategory]:
    known = categories_by_code()
    return {code: known[code] for code in CATEGORY_WEIGHTS if code in known and known[code].is_active}


def _descriptions(categories: dict[str, EventCategory], seed: int) -> dict[str, list[str]]:
    """A pool of plausible reports per category, from the router's synthetic report templates."""
    from linli.grid_events.routing import synthetic_reports

    rows = synthetic_reports([(c.code, c.name, c.major_name) for c in categories.values()], per_category=12, seed=seed)
    pool: dict[str, list[str]] = defaultdict(list)
    for text, code in rows:
        pool[code].append(text)
    return pool


def _plans(
    rng: random.Random, count: int, city: _City, categories: dict[str, EventCategory], month_now: int
) -> list[_Plan]:
    fates: list[tuple[str, bool]] = []
    for state, share in OPEN_SHARES.items():
        n = max(2, round(count * share))
        overdue = max(1, round(n * OVERDUE_SHARE))
        fates += [(state, True)] * overdue + [(state, False)] * (n - overdue)
    for state, share in ENDED_SHARES.items():
        fates += [(state, False)] * max(1, round(count * share))
    fates += [(S.CLOSED, False)] * max(0, count - len(fates))
    fates = fates[:count] if len(fates) > count else fates
    rng.shuffle(fates)
    plans = []
    for fate, overdue in fates:
        place = rng.choices(city.places, weights=city.weights)[0]
        # the season: ended events are placed on a day of this month, open ones are recent
        month = rng.randint(1, 12) if fate in ENDED_STATES else month_now
        weights = {code: SEASONAL[code](month) if code in SEASONAL else w for code, w in CATEGORY_WEIGHTS.items()}
        weights = {code: w for code, w in weights.items() if w and code in categories}
        category = categories[_weighted(rng, weights)]
        urgent = rng.random() < URGENT_SHARE_BY_MAJOR.get(category.code[:3], URGENT_SHARE)
        channel = _weighted(rng, RATED_CHANNELS if fate == S.EVALUATED else OTHER_CHANNELS)
        building = rng.choice(place.buildings) if place.buildings else None
        plans.append(
            _Plan(
                seed=rng.getrandbits(64),
                place=place,
                category=category,
                channel=channel,
                urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                fate=fate,
                overdue=overdue,
                building=building,
                month=month,
            )
        )
    return plans


def _local(day: date, hour: float) -> datetime:
    minutes = int(hour * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone())


def _report_hour(rng: random.Random, channel: str) -> float:
    if channel == Channel.GRID_PATROL or channel == Channel.STAFF:
        return rng.uniform(8, 17.5)
    if channel == Channel.HOTLINE:
        return rng.uniform(0, 23.99) if rng.random() < 0.2 else rng.uniform(7, 22)
    return rng.uniform(6.5, 22.5)


def _placed(plan: _Plan, city, staff, reports, now: datetime, days_by_month: dict, rng: random.Random) -> _Draft:
    """Play the plan at a report time that fits its fate: ended events anywhere in the year (in
    the month drawn for their category when it is in the past year), open ones recently, so
    that their last step is past and their stage is overdue now or not, as planned."""
    hour = _report_hour(rng, plan.channel)
    if plan.fate in ENDED_STATES:
        in_month = days_by_month.get(plan.month) or [day for days in days_by_month.values() for day in days]
        start = _local(rng.choice(in_month), hour)
    elif plan.overdue:
        start = now - timedelta(days=rng.triangular(0.3, 40, 2))
    else:
        start = now - timedelta(hours=rng.uniform(0.5, 24))
    reported = start
    draft = _play(plan, reported, city, staff, reports, now)
    for _ in range(10):
        due, last = draft.event.stage_due_at, draft.last_at
        if last > now:
            reported -= (last - now) + timedelta(minutes=rng.randint(30, 24 * 60))
        elif plan.fate in ENDED_STATES or (plan.overdue and (due is None or due < now)):
            break
        elif plan.overdue:
            reported -= (due - now) + timedelta(hours=rng.uniform(1, 72))
        elif due is None or now < due:
            break
        else:  # move later, so that now falls inside the stage: after its last step, before its due time
            reported += (now - due) + (due - last) * rng.uniform(0.2, 0.8)
        draft = _play(plan, reported, city, staff, reports, now)
    while draft.last_at > now:  # never a step in the future, whatever the fit gave
        reported -= (draft.last_at - now) + timedelta(hours=1)
        draft = _play(plan, reported, city, staff, reports, now)
    if plan.overdue and plan.fate not in ENDED_STATES:
        _supervise_open(draft, plan, city, staff, now)
    return draft


def _supervise_open(draft: _Draft, plan: _Plan, city, staff, now: datetime) -> None:
    """Open and overdue: most draw a notice, of a level that grows with the delay; some answered.
    The deadline job has warned the holder already."""
    event = draft.event
    if event.stage_due_at is None or event.stage_due_at >= now:
        return
    event.overdue_notified_for = event.stage_due_at
    rng = random.Random(plan.seed + 1)
    if rng.random() > 0.7:
        return
    late = now - event.stage_due_at
    level = 1 if late < timedelta(days=1) else 2 if late < timedelta(days=5) else rng.choice([2, 3])
    issued = max(event.stage_due_at, draft.last_at) + (now - max(event.stage_due_at, draft.last_at)) * rng.uniform(
        0.1, 0.6
    )
    if issued >= now - timedelta(minutes=2):
        return
    story = _Story(draft, rng, city, staff, None)
    story.supervise(issued, level, now if rng.random() < 0.4 else None)


def _duplicate(plan: _Plan, city, staff, reports, now: datetime) -> _Draft:
    """Reported again by someone else within two days near the original, merged into it."""
    original = plan.original
    rng = random.Random(plan.seed)
    plan.place = next(p for p in city.places if p.community == original.event.community_path)
    plan.category = original.event.category or plan.category
    plan.building = None
    if original.event.building_id:
        plan.building = next((b for b in plan.place.buildings if b[0] == original.event.building_id), None)
    plan.channel = rng.choice([Channel.RESIDENT_PHOTO, Channel.HOTLINE, Channel.GRID_PATROL])
    plan.urgency = original.event.urgency
    reported = original.event.reported_at + timedelta(hours=rng.uniform(0.5, 48))
    draft = _play(plan, reported, city, staff, reports, now)
    while draft.last_at > now:
        reported -= (draft.last_at - now) + timedelta(hours=1)
        draft = _play(plan, reported, city, staff, reports, now)
    merged = draft.steps[-1]
    state = original.state_at(merged.at)
    merged_in = EventStep(
        action="merged_in",
        from_state=state,
        to_state=state,
        from_holder="",
        to_holder="",
        actor_id=merged.actor_id,
        actor_name=merged.actor_name,
        note="",
        details={},
        at=merged.at,
    )
    original.steps.append(merged_in)
    original.steps.sort(key=lambda s: s.at)
    original.merge_details.append((merged_in.details, "duplicate", draft))
    return draft


# ---------------------------------------------------------------- places, numbers, rows


def _positions(drafts: list[_Draft], rng: random.Random, now: datetime) -> None:
    """Within ~30 m of a building of the community (the original's position for a duplicate);
    recent events keep out of the duplicate radius around the community's centre."""
    window = now - timedelta(hours=settings.LINLI_DUPLICATE_WINDOW_HOURS)
    clear = settings.LINLI_DUPLICATE_RADIUS_M + 25
    for draft in sorted(drafts, key=lambda d: d.original is not None):  # originals first
        event, place = draft.event, draft.place
        if draft.original is not None:
            base, spread = (draft.original.event.lat, draft.original.event.lng), 40.0
        elif event.building_id:
            building = next(b for b in place.buildings if b[0] == event.building_id)
            base, spread = (building[4], building[5]), 30.0
        else:
            base, spread = (place.lat, place.lng), 300.0
        lat, lng = _jitter(rng, base, spread)
        if event.reported_at >= window:
            lat, lng = _keep_clear((place.lat, place.lng), (lat, lng), clear, rng)
        event.lat, event.lng = round(lat, 6), round(lng, 6)


def _jitter(rng: random.Random, base: tuple[float, float], metres: float) -> tuple[float, float]:
    distance = metres * math.sqrt(rng.random()) / 111_320
    angle = rng.uniform(0, 2 * math.pi)
    return base[0] + distance * math.sin(angle), base[1] + distance * math.cos(angle) / math.cos(math.radians(base[0]))


def _keep_clear(centre, point, metres: float, rng: random.Random) -> tuple[float, float]:
    scale = math.cos(math.radians(centre[0]))
    dy, dx = (point[0] - centre[0]) * 111_320, (point[1] - centre[1]) * 111_320 * scale
    distance = math.hypot(dx, dy)
    if distance >= metres:
        return point
    if distance < 1:
        angle = rng.uniform(0, 2 * math.pi)
        dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
    factor = (metres + rng.uniform(0, 60)) / distance
    return centre[0] + dy * factor / 111_320, centre[1] + dx * factor / (111_320 * scale)


def _numbers(drafts: list[_Draft]) -> None:
    """GE<district>-<day>-<sequence> in report order per district and local day, after the
    counters' current values; the counters are moved on when written, so a live report the same
    day draws the next number."""
    counters = dict(CaseNumberCounter.objects.filter(prefix__startswith="GE").values_list("prefix", "last"))
    drafts.sort(key=lambda d: d.event.reported_at)
    for draft in drafts:
        event = draft.event
        day = timezone.localdate(event.reported_at)
        prefix = f"GE{event.community_path[:6]}{day:%Y%m%d}"
        counters[prefix] = counters.get(prefix, 0) + 1
        event.number = event_number(event.community_path[:6], day, counters[prefix])
    for draft in drafts:
        for details, key, other in draft.merge_details:
            details[key] = other.event.number
    _counters_store(counters)


def _counters_store(counters: dict[str, int]) -> None:
    existing = set(CaseNumberCounter.objects.filter(prefix__in=list(counters)).values_list("prefix", flat=True))
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(prefix=p, last=n) for p, n in counters.items() if p not in existing]
    )
    for prefix in existing:
        CaseNumberCounter.objects.filter(prefix=prefix, last__lt=counters[prefix]).update(last=counters[prefix])


def _write(drafts: list[_Draft]) -> None:
    events = GridEvent.objects.bulk_create([d.event for d in drafts])
    if events and events[0].pk is None:  # SQLite before 3.35 returns no ids: read them back
        by_number = dict(GridEvent.objects.filter(number__in=[e.number for e in events]).values_list("number", "pk"))
        for event in events:
            event.pk = by_number[event.number]
    tasks, steps, supervisions, whistles = [], [], [], []
    for draft in drafts:
        for row in (*draft.assignments, *draft.steps, *draft.supervisions, *(w for w, _ in draft.whistles)):
            row.event_id = draft.event.pk
        tasks += draft.assignments
        steps += sorted(draft.steps, key=lambda s: s.at)
        supervisions += draft.supervisions
        whistles += draft.whistles
    Assignment.objects.bulk_create(tasks)
    EventStep.objects.bulk_create(steps)
    Supervision.objects.bulk_create(supervisions)
    made = Whistle.objects.bulk_create([w for w, _ in whistles])
    if made and made[0].pk is None:
        by_id = dict(Whistle.objects.filter(public_id__in=[w.public_id for w in made]).values_list("public_id", "pk"))
        for whistle in made:
            whistle.pk = by_id[whistle.public_id]
    responses = []
    for whistle, rows in whistles:
        for response in rows:
            response.whistle_id = whistle.pk
            responses.append(response)
    Response.objects.bulk_create(responses)
