"""`demo_events_generate` on the small test tree: every state and every kind of story, rows as
the services would have written them (holders, states, the rates' flags), numbers a live report
continues, rates within [0, 1], and nothing written twice."""

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from linli.accounts.selectors import actor_for_user
from linli.areas.models import Department, OrgUnit
from linli.areas.services import demo_positions_generate
from linli.core.memo import forget_all
from linli.grid_events.demo import demo_events_generate
from linli.grid_events.domain import ENDED_STATES, OPEN_STATES, AssignmentState, EventState, distance_m
from linli.grid_events.models import Assignment, EventStep, GridEvent, Response, Supervision, Whistle
from linli.grid_events.selectors import department_rates, unit_rates
from linli.grid_events.services import ReportInput, event_report
from linli.service_desk.models import CaseNumberCounter
from linli.testing import SYSTEM

COUNT = 400
SHOWCASE = "210102001002"


@pytest.fixture
def demo(people, clock, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.LINLI_ROUTER_DIR = tmp_path / "router"
    demo_positions_generate(actor=SYSTEM)
    forget_all()
    civil = Department.objects.get(path="210102", kind="civil_affairs")
    staff = {
        "210102001002001": (people["grid_worker"].pk, "grid_worker"),
        SHOWCASE: (people["community_worker"].pk, "community_worker"),
        "210102001": (people["street_officer"].pk, "street_officer"),
        "210102": (people["district_admin"].pk, "district_admin"),
        f"dept:{civil.pk}": (people["department_officer"].pk, "department_officer"),
        f"resident:{SHOWCASE}": (people["resident"].pk, "resident"),
    }
    written = demo_events_generate(count=COUNT, staff=staff, focus_path=SHOWCASE, seed=7)
    return {"written": written, "staff": staff, "people": people}


def test_every_state_and_every_kind_of_story(demo):
    now = timezone.now()
    assert demo["written"] == GridEvent.objects.count() == COUNT
    states = Counter(GridEvent.objects.values_list("state", flat=True))
    assert set(states) == set(EventState.values) and all(states.values())
    assert states[EventState.CLOSED] + states[EventState.EVALUATED] > 0.7 * COUNT
    open_events = GridEvent.objects.filter(state__in=OPEN_STATES)
    assert open_events.filter(stage_due_at__lt=now).exists()  # overdue
    assert open_events.filter(stage_due_at__gt=now).exists()  # not yet
    assert not open_events.filter(stage_due_at=None).exists()
    assert not GridEvent.objects.filter(state__in=ENDED_STATES).exclude(stage_due_at=None).exists()
    assert not EventStep.objects.filter(at__gt=now).exists()  # nothing happened in the future
    assert GridEvent.objects.filter(reported_at__lt=now - timedelta(days=300)).exists()  # a year of them

    # the stories: returned and dispatched again, rework, whistles with check-ins, supervision
    assert Assignment.objects.filter(state=AssignmentState.RETURNED).exclude(return_reason="").exists()
    assert GridEvent.objects.filter(rework_count__gt=0, state__in=ENDED_STATES).exists()
    assert Whistle.objects.exists()
    checked = Response.objects.filter(checked_in_at__isnull=False)
    assert checked.count() > 0.8 * Response.objects.count()
    assert EventStep.objects.filter(action="check_in", details__late=True).exists()
    assert Response.objects.filter(checked_in_at=None, whistle__event__state__in=OPEN_STATES).exists()
    assert set(Supervision.objects.values_list("level", flat=True)) == {1, 2, 3}
    assert Supervision.objects.filter(answered_at__isnull=False).exists()
    assert Supervision.objects.filter(answered_at=None, event__state__in=OPEN_STATES).exists()
    for event in GridEvent.objects.filter(supervision_level__gt=0):
        assert event.supervision_level == max(Supervision.objects.filter(event=event).values_list("level", flat=True))
    ratings = Counter(GridEvent.objects.exclude(rating=None).values_list("rating", flat=True))
    assert ratings[5] + ratings[4] > 0.7 * sum(ratings.values()) and ratings[1] + ratings[2] > 0
    assert GridEvent.objects.filter(urgency="urgent").count() < 0.1 * COUNT

    # the demo accounts act where they stand
    people = demo["people"]
    showcase = GridEvent.objects.filter(community_path=SHOWCASE)
    assert showcase.count() > 0.05 * COUNT
    assert EventStep.objects.filter(actor=people["community_worker"], action="register").exists()
    assert GridEvent.objects.filter(reporter=people["resident"], channel="resident_photo").exists()
    assert EventStep.objects.filter(actor=people["grid_worker"], action="verify_pass").exists()


def test_merged_events_point_at_an_earlier_event_nearby(demo):
    merged = GridEvent.objects.filter(state=EventState.MERGED).select_related("duplicate_of")
    assert merged.exists()
    for event in merged:
        original = event.duplicate_of
        assert original.state != EventState.MERGED and original.reported_at < event.reported_at
        assert original.community_path == event.community_path
        assert distance_m(event.lat, event.lng, original.lat, original.lng) < 100
        step = EventStep.objects.get(event=event, action="merge")
        assert step.details == {"original": original.number}
        assert EventStep.objects.filter(
            event=original, action="merged_in", details={"duplicate": event.number}
        ).exists()
    assert not GridEvent.objects.exclude(state=EventState.MERGED).exclude(duplicate_of=None).exists()


def test_every_timeline_is_a_valid_chain_of_holders_and_states(demo):
    steps = {}
    for step in EventStep.objects.order_by("event_id", "at", "pk"):
        steps.setdefault(step.event_id, []).append(step)
    for event in GridEvent.objects.all():
        timeline = steps[event.pk]
        first = timeline[0]
        assert (first.action, first.from_state, first.to_state) == ("report", "", EventState.REPORTED)
        assert (first.from_holder, first.to_holder, first.at) == ("", f"unit:{event.community_path}", event.reported_at)
        for previous, step in itertools.pairwise(timeline):
            assert step.from_state == previous.to_state, (event.number, step.action)
        assert timeline[-1].to_state == event.state
        handovers = [s for s in timeline if s.to_holder]
        for previous, step in itertools.pairwise(handovers):
            assert step.from_holder == previous.to_holder, (event.number, step.action)
        holder = f"dept:{event.holder_department_id}" if event.holder_department_id else f"unit:{event.holder_path}"
        assert handovers[-1].to_holder == holder
        assert bool(event.holder_department_id) != bool(event.holder_path)


def test_task_flags_are_those_the_services_would_have_set(demo):
    events = GridEvent.objects.in_bulk()
    for task in Assignment.objects.all():
        event = events[task.event_id]
        assert task.assigned_at >= event.reported_at
        if task.answered_at is None:
            assert task.answered_on_time is None
        else:
            assert task.answered_on_time == (task.answered_at <= task.accept_due_at)
        if task.state == AssignmentState.RETURNED:
            assert task.answered_at is not None and task.return_reason
        if task.solved:
            assert task.state == AssignmentState.HANDLED
            assert event.state in {EventState.CLOSED, EventState.EVALUATED}
            if task.role == "lead":
                assert task.solved_on_time == (task.handled_at <= task.due_at)
            else:  # an assisting department that checked in solved it with the lead
                assert task.answered_at is not None and task.handled_at == event.handled_at
            assert task.rating == event.rating
        else:
            assert task.solved_on_time is None and task.rating is None
        if task.state == AssignmentState.HANDLED and event.state in {EventState.CLOSED, EventState.EVALUATED}:
            assert task.solved
        if event.state in {EventState.CLOSED, EventState.EVALUATED}:
            assert task.state != AssignmentState.PENDING  # a no-show is withdrawn at closure
    for event in events.values():
        lead = (
            Assignment.objects.filter(event=event, role="lead")
            .exclude(state__in=[AssignmentState.RETURNED, AssignmentState.CANCELLED])
            .order_by("-assigned_at", "-pk")
            .first()
        )
        if event.holder_department_id:
            assert lead.department_id == event.holder_department_id
            expected = {EventState.DISPATCHED: "pending", EventState.HANDLING: "accepted"}[event.state]
            assert lead.state == expected, event.number
        if event.state in {EventState.CLOSED, EventState.EVALUATED}:
            assert event.closed_on_time == (event.handle_due_at is None or event.handled_at <= event.handle_due_at)
        if event.state in {EventState.REJECTED, EventState.MERGED}:
            assert event.registered_at is not None  # answered, without a category from the public
            assert (event.category_id is None) == (event.channel not in {"grid_patrol", "staff"})
        # The public Open311 list shows residents' reports, not patrols' or staff's (decision 0014).
        assert event.is_public == (event.channel in {"resident_photo", "open311", "hotline"}), event.number


def test_rates_over_the_demo_are_figures_between_0_and_1(demo):
    now = timezone.now()
    since, until = now - timedelta(days=366), now + timedelta(days=1)
    for rows in (
        department_rates(since=since, until=until),
        unit_rates(since=since, until=until, parent_path="2101", child_length=6),
        unit_rates(since=since, until=until, parent_path="210102", child_length=9),
    ):
        assert rows
        figures = [x for r in rows for x in (r.response_rate, r.solution_rate, r.on_time_rate, r.satisfaction_rate)]
        assert all(x is None or 0 <= x <= 1 for x in figures)
        assert any(x is not None and x < 1 for x in figures)


def test_numbers_go_on_live_and_a_second_run_writes_nothing(demo, settings):
    numbers = list(GridEvent.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    today = timezone.localdate()
    prefix = f"GE210102{today:%Y%m%d}"
    counter = CaseNumberCounter.objects.filter(prefix=prefix).values_list("last", flat=True).first() or 0
    assert counter == GridEvent.objects.filter(number__startswith=f"GE210102-{today:%Y%m%d}-").count()

    # a live report where the map opens (the community's centre): the next number, no duplicate
    community = OrgUnit.objects.get(path=SHOWCASE)
    actor = actor_for_user(demo["people"]["grid_worker"])
    live = event_report(
        actor=actor,
        data=ReportInput(description="井盖缺失", lat=community.lat, lng=community.lng, category_code="C0103"),
    )
    assert live.number == f"GE210102-{today:%Y%m%d}-{counter + 1:05d}"

    counts = [m.objects.count() for m in (GridEvent, EventStep, Assignment, Whistle, Response, Supervision)]
    assert demo_events_generate(count=COUNT, staff=demo["staff"], seed=8) == 0
    assert [m.objects.count() for m in (GridEvent, EventStep, Assignment, Whistle, Response, Supervision)] == counts


def test_nothing_without_positions_or_with_a_count_of_nothing(people, clock):
    assert demo_events_generate(count=100, staff={}) == 0  # no community has a position
    assert not GridEvent.objects.exists()
    demo_positions_generate(actor=SYSTEM)
    assert demo_events_generate(count=0, staff={}) == 0
    assert not GridEvent.objects.filter(Q(state="reported") | ~Q(state="reported")).exists()
