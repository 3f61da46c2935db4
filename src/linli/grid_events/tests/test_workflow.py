"""The event workflow through the services: the whole story, each refusal, the holder rule and
the timeline it leaves."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.core.errors import DomainError
from linli.grid_events.domain import AssignmentState, EventState
from linli.grid_events.models import Assignment, EventPhoto, EventStep, GridEvent, Response
from linli.grid_events.selectors import event_actions, event_get, event_timeline
from linli.grid_events.services import (
    ReportInput,
    StepInput,
    event_report,
    event_transition,
    whistle_check_in,
)
from linli.grid_events.tests.conftest import JPEG, SHUIYUANDI, department, photo


def report(actor, **overrides) -> GridEvent:
    data = dict(
        description="3号楼东侧垃圾箱满溢，垃圾散落一地",
        lat=SHUIYUANDI[0],
        lng=SHUIYUANDI[1],
        category_code="E0102",
        photos=[photo()],
    )
    data.update(overrides)
    return event_report(actor=actor, data=ReportInput(**data))


def step(actor, event, action, **data) -> GridEvent:
    return event_transition(actor=actor, event=event, action=action, data=StepInput(**data))


def holders(event: GridEvent) -> list[tuple[str, str, str]]:
    return list(EventStep.objects.filter(event=event).values_list("action", "from_holder", "to_holder"))


def test_the_whole_story_keeps_exactly_one_holder(grid, clock):
    a = grid["actors"]
    urban = department("210102", "urban_management")
    housing = department("210102", "housing")
    water = department("210102", "water")
    civil = department("210102", "civil_affairs")

    event = report(a["resident"], channel="resident_photo")
    assert event.number.startswith("GE210102-20261124-")
    assert (event.state, event.holder_path, event.holder_department_id) == ("reported", "210102001002", None)
    assert event.path == "210102001002001"  # no building chosen: the grid of the nearest building
    # registration limit: 30 working minutes from 09:00
    assert timezone.localtime(event.register_due_at).strftime("%H:%M") == "09:30"

    event = step(a["community_worker"], event, "register")
    event = step(a["community_worker"], event, "dispatch", department_id=civil.pk)  # the wrong one
    assert event.holder_department_id == civil.pk and event.holder_path == ""

    clock.shift(timedelta(minutes=20))
    event = step(a["department_officer"], event, "return", note="垃圾清运不属民政职责")
    assert (event.state, event.holder_path) == ("registered", "210102001002")
    returned = Assignment.objects.get(event=event, department=civil)
    assert (returned.state, returned.answered_on_time, returned.solved) == ("returned", True, False)

    event = step(a["community_worker"], event, "dispatch")  # the category's default: urban management
    assert event.holder_department_id == urban.pk

    event = step(a["street_officer"], event, "whistle", note="需住建、水务联合处置", departments=[housing.pk, water.pk])
    assert (event.state, event.holder_department_id) == ("dispatched", housing.pk)
    assert Assignment.objects.get(event=event, department=urban).state == "cancelled"
    whistle = event.whistles.get()
    assert whistle.unit_path == "210102001"  # the street blew it

    clock.shift(timedelta(minutes=30))
    for officer, dept in (("water_officer", water), ("housing_officer", housing)):
        response = Response.objects.get(whistle=whistle, department=dept)
        whistle_check_in(actor=a[officer], response=response, note="已到现场")
    event.refresh_from_db()
    assert event.state == "handling" and event.holder_department_id == housing.pk
    assert Response.objects.filter(whistle=whistle, checked_in_at__isnull=False).count() == 2

    event = step(a["housing_officer"], event, "report_handled", note="已清运", photos=[photo()])
    assert (event.state, event.holder_path) == ("handled", "210102001002")
    event = step(a["grid_worker"], event, "verify_fail", note="仍有散落垃圾", photos=[photo("v.jpg", JPEG)])
    assert (event.state, event.holder_department_id, event.rework_count) == ("handling", housing.pk, 1)
    event = step(a["housing_officer"], event, "report_handled", note="二次清理完毕", photos=[photo()])
    event = step(a["grid_worker"], event, "verify_pass", note="现场已整洁", photos=[photo()])
    assert event.state == "closed" and event.closed_on_time is True
    event = step(a["resident"], event, "rate", score=5, note="处理及时")
    assert (event.state, event.rating) == ("evaluated", 5)

    lead = Assignment.objects.get(event=event, department=housing)
    assert (lead.solved, lead.solved_on_time, lead.rating) == (True, True, 5)
    assist = Assignment.objects.get(event=event, department=water)
    assert (assist.role, assist.solved, assist.rating) == ("assist", True, 5)  # checked in: solved with the lead
    # every hand-over is on the timeline, and each step starts where the previous one ended
    chain = [(f, t) for action, f, t in holders(event) if t]
    assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(chain))
    assert [r.action for r in event_timeline(event)] == [
        "report", "register", "dispatch", "return", "dispatch", "whistle", "check_in", "check_in",
        "report_handled", "verify_fail", "report_handled", "verify_pass", "rate",
    ]  # fmt: skip
    assert list(EventPhoto.objects.filter(event=event).values_list("stage", flat=True)) == [
        "report", "handling", "verification", "handling", "verification",
    ]  # fmt: skip


def test_a_step_not_allowed_now_is_refused_and_changes_nothing(grid):
    a = grid["actors"]
    event = report(a["grid_worker"])
    with pytest.raises(DomainError) as refused:
        step(a["community_worker"], event, "verify_pass", photos=[photo()])
    assert refused.value.status == 409
    assert "不能" in refused.value.message.zh
    event.refresh_from_db()
    assert event.state == "reported" and EventStep.objects.filter(event=event).count() == 1
    assert not EventPhoto.objects.filter(event=event, stage="verification").exists()


def test_only_the_holder_may_act(grid):
    a = grid["actors"]
    event = step(a["community_worker"], report(a["grid_worker"]), "register")
    event = step(a["community_worker"], event, "dispatch")  # → 和平区城市管理局
    with pytest.raises(DomainError) as refused:
        step(a["housing_officer"], event, "accept")
    assert refused.value.status == 404  # not theirs and never sent to them: not even visible
    with pytest.raises(DomainError) as refused:
        step(a["other_community_worker"], event, "whistle", note="x", departments=[department("210102", "water").pk])
    assert refused.value.status == 404
    assert event_actions(actor=a["urban_officer"], event=event) == ["accept", "return"]
    assert event_actions(actor=a["community_worker"], event=event) == ["whistle"]


def test_return_needs_a_reason_and_stops_the_wrong_department_clock(grid, clock):
    a = grid["actors"]
    event = step(a["community_worker"], report(a["grid_worker"]), "register")
    event = step(a["community_worker"], event, "dispatch")
    with pytest.raises(DomainError) as refused:
        step(a["urban_officer"], event, "return")
    assert refused.value.fields[0].field == "note"
    clock.shift(timedelta(hours=5))  # past the 2 working hours to answer
    event = step(a["urban_officer"], event, "return", note="属住建")
    task = Assignment.objects.get(event=event)
    assert (task.state, task.answered_on_time) == (AssignmentState.RETURNED, False)
    assert task.return_reason == "属住建"


def test_verification_needs_a_photo(grid):
    a = grid["actors"]
    event = step(a["community_worker"], report(a["grid_worker"]), "register")
    event = step(a["community_worker"], event, "self_handle")
    event = step(a["community_worker"], event, "report_handled", note="社区组织清理")
    with pytest.raises(DomainError) as refused:
        step(a["grid_worker"], event, "verify_pass")
    assert refused.value.fields[0].field == "photos"
    event.refresh_from_db()
    assert event.state == EventState.HANDLED


def test_self_handled_event_closes_without_a_department(grid):
    a = grid["actors"]
    event = step(a["community_worker"], report(a["grid_worker"]), "register")
    event = step(a["community_worker"], event, "self_handle")
    assert event.holder_path == "210102001002" and event.state == "handling"
    event = step(a["community_worker"], event, "report_handled", note="已清理")
    event = step(a["grid_worker"], event, "verify_pass", photos=[photo()])
    assert event.state == "closed" and not Assignment.objects.filter(event=event).exists()


def test_reject_and_merge_answer_the_report(grid):
    a = grid["actors"]
    first = report(a["grid_worker"])
    second = report(a["resident"], not_duplicate=True)
    merged = step(a["community_worker"], second, "merge", duplicate_of=first.number)
    assert merged.state == "merged" and merged.duplicate_of_id == first.pk
    assert EventStep.objects.filter(event=first, action="merged_in").exists()
    with pytest.raises(DomainError) as refused:
        step(a["community_worker"], report(a["grid_worker"], not_duplicate=True), "merge", duplicate_of="GE-NOPE")
    assert refused.value.fields[0].field == "duplicate_of"
    third = report(a["grid_worker"], not_duplicate=True)
    with pytest.raises(DomainError):
        step(a["community_worker"], third, "reject")  # a reason is required
    assert step(a["community_worker"], third, "reject", note="属物业管理范围").state == "rejected"


def test_the_reporter_rates_once_and_only_the_reporter(grid):
    a = grid["actors"]
    event = step(a["community_worker"], report(a["resident"]), "register")
    event = step(a["community_worker"], event, "self_handle")
    event = step(a["community_worker"], event, "report_handled", note="ok")
    event = step(a["grid_worker"], event, "verify_pass", photos=[photo()])
    with pytest.raises(DomainError):
        step(a["grid_worker"], event, "rate", score=5)
    with pytest.raises(DomainError) as refused:
        step(a["resident"], event, "rate", score=9)
    assert refused.value.fields[0].field == "score"
    step(a["resident"], event, "rate", score=2, note="太慢")
    with pytest.raises(DomainError) as again:
        step(a["resident"], event, "rate", score=5)
    assert again.value.status == 409


def test_check_in_twice_or_by_another_department_is_refused(grid):
    a = grid["actors"]
    housing, water = department("210102", "housing"), department("210102", "water")
    event = step(a["community_worker"], report(a["grid_worker"]), "register")
    event = step(a["community_worker"], event, "whistle", note="联合", departments=[housing.pk, water.pk])
    response = Response.objects.get(whistle__event=event, department=water)
    with pytest.raises(DomainError) as refused:
        whistle_check_in(actor=a["housing_officer"], response=response)
    assert refused.value.status == 404
    whistle_check_in(actor=a["water_officer"], response=response)
    with pytest.raises(DomainError) as again:
        whistle_check_in(actor=a["water_officer"], response=response)
    assert again.value.status == 409
    event.refresh_from_db()
    assert event.state == "dispatched"  # the lead (housing) has not checked in yet


def test_scope_of_reading(grid):
    a = grid["actors"]
    event = report(a["resident"])
    seen = {
        name: bool(_visible(actor, event)) for name, actor in a.items() if name not in {"binhe_worker", "no_posting"}
    }
    assert seen == {
        "grid_worker": True,  # the grid of the building nearest to the point
        "community_worker": True,
        "other_community_worker": False,
        "street_officer": True,
        "department_officer": False,
        "district_admin": True,
        "other_district_admin": False,
        "city_admin": True,
        "auditor": True,
        "resident": True,  # the reporter
        "civil_affairs_officer": False,
        "organiser": False,
        "urban_officer": False,
        "housing_officer": False,
        "water_officer": False,
        "shenhe_urban_officer": False,
        "anonymous": False,
    }
    event = step(a["community_worker"], step(a["community_worker"], event, "register"), "dispatch")
    assert _visible(a["urban_officer"], event) and not _visible(a["housing_officer"], event)


def _visible(actor, event):
    try:
        return event_get(actor=actor, key=event.number)
    except DomainError:
        return None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_once_one_wins(grid):
    """Two browser tabs accept the same task: the row lock makes the second a 409."""
    import threading

    from django.db import connection

    a = grid["actors"]
    second = make_second_urban_officer()
    event = step(a["community_worker"], step(a["community_worker"], report(a["grid_worker"]), "register"), "dispatch")
    results = []

    def accept(actor):
        try:
            step(actor, event, "accept")
            results.append("ok")
        except DomainError as error:
            results.append(error.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(actor,)) for actor in (a["urban_officer"], second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [409, "ok"]
    assert EventStep.objects.filter(event=event, action="accept").count() == 1


def make_second_urban_officer():
    from linli.accounts.domain import Role
    from linli.accounts.selectors import actor_for_user
    from linli.testing import make_user

    return actor_for_user(
        make_user("urban_officer_2", Role.DEPARTMENT_OFFICER, department("210102", "urban_management"))
    )


def test_the_deadline_job_warns_the_holder_once_per_stage(grid, clock, django_capture_on_commit_callbacks):
    from linli.core.models import InboxMessage
    from linli.grid_events.services import grid_deadlines_check

    a = grid["actors"]
    event = report(a["grid_worker"])
    clock.shift(timedelta(hours=2))  # past the 30 working minutes to register
    with django_capture_on_commit_callbacks(execute=True):
        assert grid_deadlines_check() == "1 overdue notified"
        assert grid_deadlines_check() == "0 overdue notified"
    warned = InboxMessage.objects.filter(kind="grid.overdue").values_list("user_id", flat=True)
    assert list(warned) == [grid["users"]["community_worker"].pk]
    event = step(a["community_worker"], event, "register")
    event = step(a["community_worker"], event, "dispatch")
    clock.shift(timedelta(days=1))  # past the department's 2 working hours to accept
    with django_capture_on_commit_callbacks(execute=True):
        assert grid_deadlines_check() == "1 overdue notified"
    assert InboxMessage.objects.filter(kind="grid.overdue", user_id=grid["users"]["urban_officer"].pk).count() == 1
