"""The service desk's story through its services: lookup anywhere, intake at any window,
routing by the applicant's home, the working-day clock with its pause, the workflow, ratings
and rectification, deadlines — and every refusal naming its reason and leaving nothing behind."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from linli.core.errors import DomainError
from linli.core.models import AuditEntry, InboxMessage
from linli.residents.services import applicant_lookup
from linli.service_desk.domain import CaseState, Channel, MaterialStatus
from linli.service_desk.models import (
    CaseEvent,
    CaseNumberCounter,
    ProxyConsent,
    Rectification,
    ServiceCase,
    ServiceItemVersion,
)
from linli.service_desk.selectors import (
    case_actions,
    case_get,
    case_list,
    case_queue,
    current_version,
)
from linli.service_desk.services import (
    IntakeInput,
    ProxyInput,
    TransitionInput,
    case_intake,
    case_submit,
    case_transition,
    deadlines_check,
    follow_up_record,
    rectification_close,
)
from linli.service_desk.tests.conftest import QIAN_ID, ZHANG_ID
from linli.workdays.selectors import work_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)
# SQ001 低保 is decided by the applicant's street; m1 申请书, m2 身份证/户口簿 (免提交),
# m3 核对授权书, m4 收入财产申报 (容缺 allowed), m5 证明 (按需, optional)
DIBAO_COMPLETE = {"m1": "provided", "m3": "provided", "m4": "provided"}


def window_intake(actor, applicant_ref, *, item="SQ001", checklist=None, channel=Channel.WINDOW, desk="", **extra):
    return case_intake(
        actor=actor,
        data=IntakeInput(
            item_code=item,
            channel=channel,
            applicant_ref=applicant_ref,
            desk_path=desk,
            checklist=DIBAO_COMPLETE if checklist is None else checklist,
            **extra,
        ),
    )


def step(actor, case, action, **data):
    return case_transition(actor=actor, case=case, action=action, data=TransitionInput(**data))


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_window_in_another_district_accepts_and_the_case_goes_to_the_applicants_street(
    desk, django_capture_on_commit_callbacks
):
    binhe = desk["actors"]["binhe_worker"]  # 沈河区 滨河社区
    card = applicant_lookup(actor=binhe, id_number=ZHANG_ID, purpose="受理低保申请")  # 张: 和平区
    assert card.name == "张建国" and card.id_number_masked == ZHANG_ID[:6] + "********" + ZHANG_ID[-4:]
    assert AuditEntry.objects.filter(action="resident.applicant_lookup", actor_name="binhe_worker").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        case = window_intake(
            binhe, card.public_id, checklist={**DIBAO_COMPLETE, "m4": "deferred"}, deferred_until=date(2026, 12, 1)
        )

    assert case.state == CaseState.ACCEPTED
    assert case.number == "210103-20261125-00001"  # numbered by the accepting district
    assert case.accepted_path == "210103001001"
    assert case.handling_path == "210102001"  # 张's street 浑河湾街道, not the window's
    assert case.handling_department_id is None
    assert case.owner_id == desk["users"]["binhe_worker"].pk
    assert case.due_on == work_calendar().add_working_days(date(2026, 11, 25), 30)
    assert [e.action for e in case.events.all()] == ["submit", "accept"]
    assert case.events.get(action="accept").details == {"deferred": ["m4"], "deferred_until": "2026-12-01"}
    inbox = InboxMessage.objects.get(user_id=desk["users"]["resident"].pk)
    assert case.number in inbox.text_zh and "已受理" in inbox.text_zh
    assert inbox.link == f"/cases/{case.public_id}/"


@time_machine.travel(WEDNESDAY, tick=False)
def test_missing_material_refuses_the_intake_naming_every_missing_item_and_saves_nothing(desk):
    worker = desk["actors"]["community_worker"]
    card = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理")
    with pytest.raises(DomainError) as refused:
        window_intake(worker, card.public_id, checklist={"m1": "provided"})
    assert refused.value.status == 422
    named = {f.field: f.message.zh for f in refused.value.fields}
    assert named == {
        "checklist.m3": "缺少必要材料：家庭经济状况核对授权书",
        "checklist.m4": "缺少必要材料：收入、财产申报",
    }
    assert ServiceCase.objects.count() == 0
    assert CaseNumberCounter.objects.count() == 0


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_key_material_cannot_be_promised_for_later(desk):
    worker = desk["actors"]["community_worker"]
    card = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理")
    with pytest.raises(DomainError) as refused:
        window_intake(worker, card.public_id, checklist={**DIBAO_COMPLETE, "m1": "deferred"})
    fields = {f.field for f in refused.value.fields}
    assert fields == {"checklist.m1", "deferred_until"}
    assert ServiceCase.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"item_code": "NOPE"}, "item_code"),
        ({"channel": Channel.ONLINE}, "channel"),  # a staff intake is never "online"
        ({"applicant_ref": "00000000-0000-7000-8000-000000000000"}, "applicant"),
        ({"desk_path": "210103001001"}, "desk_path"),  # not the worker's window
        ({"channel": Channel.PROXY}, "proxy"),  # proxy without consent
        ({"checklist": {**DIBAO_COMPLETE, "m9": "provided"}}, "checklist.m9"),
    ],
)
@time_machine.travel(WEDNESDAY, tick=False)
def test_bad_intakes_name_the_field_and_save_nothing(desk, data, field):
    worker = desk["actors"]["community_worker"]
    card = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理")
    values = {
        "item_code": "SQ001",
        "channel": Channel.WINDOW,
        "applicant_ref": card.public_id,
        "checklist": DIBAO_COMPLETE,
    } | data
    with pytest.raises(DomainError) as refused:
        case_intake(actor=worker, data=IntakeInput(**values))
    assert field in {f.field for f in refused.value.fields}
    assert all(f.message.zh and f.message.en for f in refused.value.fields)
    assert ServiceCase.objects.count() == 0


def test_lookup_refuses_invalid_and_unknown_numbers_and_people_without_the_permission(desk):
    worker = desk["actors"]["community_worker"]
    with pytest.raises(DomainError) as invalid:
        applicant_lookup(actor=worker, id_number="21010219480304001", purpose="受理")
    assert invalid.value.fields[0].field == "id_number"
    unknown = ZHANG_ID[:14] + ("0" if ZHANG_ID[14] != "0" else "1") + ZHANG_ID[15:]
    from linli.residents.domain import id_check_char

    unknown = unknown[:17] + id_check_char(unknown[:17])
    with pytest.raises(DomainError) as missing:
        applicant_lookup(actor=worker, id_number=unknown, purpose="受理")
    assert missing.value.code == "applicant_not_found"
    for name in ("resident", "auditor", "department_officer", "anonymous"):
        with pytest.raises(DomainError) as denied:
            applicant_lookup(actor=desk["actors"][name], id_number=ZHANG_ID, purpose="受理")
        assert denied.value.status == 403
    assert not AuditEntry.objects.filter(action="resident.applicant_lookup").exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_proxy_handling_records_time_boxed_consent(desk):
    worker = desk["actors"]["community_worker"]
    card = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="代办")
    proxy = ProxyInput(method="signed", reason="老人行动不便", valid_until=date(2026, 12, 31))
    case = window_intake(worker, card.public_id, channel=Channel.PROXY, proxy=proxy)
    consent = ProxyConsent.objects.get(case=case)
    assert (consent.agent_name, consent.method, consent.valid_until) == (
        "community_worker",
        "signed",
        date(2026, 12, 31),
    )
    assert AuditEntry.objects.filter(action="case.proxy_consent", object_id=case.number, reason="老人行动不便").exists()
    with pytest.raises(DomainError) as too_long:
        window_intake(
            worker,
            card.public_id,
            channel=Channel.PROXY,
            proxy=ProxyInput(method="signed", reason="老人行动不便", valid_until=date(2028, 1, 1)),
        )
    assert {f.field for f in too_long.value.fields} == {"proxy.valid_until"}


def test_the_whole_story_online_application_supplement_pause_decision_rating_rectification(
    desk, django_capture_on_commit_callbacks
):
    actors, users = desk["actors"], desk["users"]
    qian = actors["qian_resident"]  # lives in 沈河区 滨河社区
    # 高龄津贴 (SQ007) is decided by the district's civil-affairs bureau
    night = time_machine.travel(datetime(2026, 11, 24, 22, 30, tzinfo=SHANGHAI), tick=False)  # online, at night
    with night, django_capture_on_commit_callbacks(execute=True):
        case = case_submit(
            actor=qian,
            data=IntakeInput(item_code="SQ007", channel=Channel.ONLINE, checklist={"m2": "provided", "m4": "provided"}),
        )
    assert case.state == CaseState.SUBMITTED and case.accepted_path == "210103001001"
    assert case.handling_path == "210103" and case.handling_department.kind == "civil_affairs"
    # waiting at the home community's intake queue, and nowhere else
    assert list(case_queue(actor=actors["binhe_worker"], queue="intake")) == [case]
    assert list(case_queue(actor=actors["community_worker"], queue="intake")) == []

    with time_machine.travel(WEDNESDAY, tick=False):
        case = step(actors["binhe_worker"], case, "accept", checklist={"m3": "provided"})
        # promised 22, legal 30 working days: the legal deadline falls in 2027, whose holidays
        # are not published yet, so the case says its dates are provisional
        assert case.due_on == work_calendar().add_working_days(date(2026, 11, 25), 22) == date(2026, 12, 25)
        assert case.legal_due_on.year == 2027 and case.calendar_provisional is True
        assert case_actions(actor=actors["shenhe_civil"], case=case) == ["start_review"]
        assert case_actions(actor=actors["department_officer"], case=case) == []  # 和平区民政 does not see it
        case = step(actors["shenhe_civil"], case, "start_review")
        with django_capture_on_commit_callbacks(execute=True):
            case = step(actors["shenhe_civil"], case, "request_supplement", note="请补充银行卡复印件")
    due_before = case.due_on
    assert case.state == CaseState.AWAITING_SUPPLEMENT and case.paused_on == date(2026, 11, 25)
    assert InboxMessage.objects.filter(user_id=users["qian_resident"].pk, kind="supplement_requested").count() == 1

    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), tick=False):  # next Monday
        case = step(qian, case, "supply", note="已上传银行卡复印件")
    # Thu, Fri, Mon: three working days paused move the due date three working days on
    assert case.paused_days == 3
    assert case.due_on == work_calendar().add_working_days(due_before, 3)
    assert case.events.get(action="supply").details["clock"] == "resumed"

    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        case = step(actors["shenhe_civil"], case, "decide", decision="approved", note="符合条件")
        assert case.finished_on_time is True
        case = step(actors["binhe_worker"], case, "deliver", delivery_method="pickup")
        case = step(actors["binhe_worker"], case, "close")
        with django_capture_on_commit_callbacks(execute=True):
            case = step(qian, case, "rate", score=2, note="等待时间太长")
    assert case.state == CaseState.RATED
    rectification = Rectification.objects.get(case=case)
    assert rectification.state == "open"
    assert rectification.due_on == work_calendar().add_working_days(date(2026, 12, 2), 15)
    assert InboxMessage.objects.filter(kind="bad_rating", user_id=users["binhe_worker"].pk).exists()
    assert InboxMessage.objects.filter(kind="bad_rating", user_id=users["shenhe_civil"].pk).exists()

    with pytest.raises(DomainError) as no_follow_up:
        rectification_close(
            actor=actors["binhe_worker"], rectification=rectification, verdict="rectified", summary="已改进"
        )
    assert {f.field for f in no_follow_up.value.fields} == {"follow_up"}
    follow_up_record(
        actor=actors["binhe_worker"],
        rectification=rectification,
        method="call",
        summary="电话回访，说明原因并致歉",
        resident_satisfied=True,
    )
    closed = rectification_close(
        actor=actors["binhe_worker"], rectification=rectification, verdict="rectified", summary="优化了审核流程"
    )
    assert closed.state == "closed" and closed.closed_by == "binhe_worker"
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "submit",
        "accept",
        "start_review",
        "request_supplement",
        "supply",
        "decide",
        "deliver",
        "close",
        "rate",
    ]


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_supplement_pause_into_an_unpublished_year_makes_the_dates_provisional(desk):
    # 15 promised working days, no legal limit: accepted Wed 9 Dec 2026 → due Wed 30 Dec, in
    # 2026 (published), so not provisional
    ServiceItemVersion.objects.filter(item__code="SQ001").update(promised_days=15, legal_days=None)
    current_version.forget()
    worker, street = desk["actors"]["community_worker"], desk["actors"]["street_officer"]
    with time_machine.travel(datetime(2026, 12, 9, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
        assert (case.due_on, case.calendar_provisional) == (date(2026, 12, 30), False)
        case = step(street, case, "start_review")
    with time_machine.travel(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        case = step(street, case, "request_supplement", note="请补充收入证明")
    with time_machine.travel(datetime(2026, 12, 14, 9, 0, tzinfo=SHANGHAI), tick=False):
        case = step(desk["actors"]["resident"], case, "supply", note="已补交")
    # Fri 11 and Mon 14 Dec paused: two working days on from 30 Dec are Thu 31 Dec and — New
    # Year's Day 2027 being a statutory holiday of a year with no published schedule — Mon 4 Jan
    case.refresh_from_db()
    assert case.paused_days == 2
    assert (case.due_on, case.calendar_provisional) == (date(2027, 1, 4), True)


def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(desk):
    worker = desk["actors"]["community_worker"]
    card = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理")
    case = window_intake(worker, card.public_id)
    street = desk["actors"]["street_officer"]  # 浑河湾街道 decides 张's 低保
    with pytest.raises(DomainError) as refused:
        step(street, case, "decide", decision="approved")
    assert refused.value.status == 409 and "不能执行" in refused.value.message.zh
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and case.decided_at is None
    assert case.events.count() == 2


@time_machine.travel(WEDNESDAY, tick=False)
def test_only_the_deciding_unit_decides_and_only_the_applicant_withdraws(desk):
    worker = desk["actors"]["community_worker"]
    case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
    for name in ("other_community_worker", "binhe_street", "department_officer", "resident", "auditor"):
        with pytest.raises(DomainError) as denied:
            step(desk["actors"][name], case, "start_review")
        assert denied.value.status == 403, name
    case = step(desk["actors"]["street_officer"], case, "start_review")
    with pytest.raises(DomainError):
        step(desk["actors"]["qian_resident"], case, "withdraw", note="不办了")
    case = step(desk["actors"]["resident"], case, "withdraw", note="不办了")
    assert case.state == CaseState.WITHDRAWN


# Who sees 张's case accepted at 水源地社区 and decided by 浑河湾街道 (和平区): the matrix.
SEES_CASE = {
    "anonymous": False,
    "resident": True,  # the applicant
    "qian_resident": False,
    "grid_worker": True,  # a grid of the accepting community
    "community_worker": True,
    "other_community_worker": False,
    "street_officer": True,
    "department_officer": False,  # 和平区民政: not routed to them
    "district_admin": True,
    "other_district_admin": False,
    "city_admin": True,
    "binhe_worker": False,
    "shenhe_civil": False,
}


@pytest.mark.parametrize(("name", "sees"), sorted(SEES_CASE.items()))
@time_machine.travel(WEDNESDAY, tick=False)
def test_case_scope_matrix(desk, name, sees):
    worker = desk["actors"]["community_worker"]
    case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
    actor = desk["actors"][name]
    assert case_list(actor=actor).filter(pk=case.pk).exists() is sees
    if sees:
        assert case_get(actor=actor, key=case.number) == case
    else:
        with pytest.raises(DomainError) as hidden:
            case_get(actor=actor, key=case.number)
        assert hidden.value.status == 404


def test_deadlines_notify_once_when_due_soon_and_once_when_overdue(desk, django_capture_on_commit_callbacks):
    worker = desk["actors"]["community_worker"]
    with time_machine.travel(WEDNESDAY, tick=False):
        # 老年人优待证 (SQ009) is 即办: due the same working day
        card = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理")
        case = window_intake(worker, card.public_id, item="SQ009", checklist={"m2": "provided"})
        assert case.due_on == date(2026, 11, 25)
        with django_capture_on_commit_callbacks(execute=True):
            assert deadlines_check() == "1 due soon, 0 overdue notified"
            assert deadlines_check() == "0 due soon, 0 overdue notified"
    with time_machine.travel(WEDNESDAY + timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert deadlines_check() == "0 due soon, 1 overdue notified"
            assert deadlines_check() == "0 due soon, 0 overdue notified"
        assert list(case_queue(actor=worker, queue="overdue")) == [case]
    kinds = list(
        InboxMessage.objects.filter(user_id=desk["users"]["community_worker"].pk).values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["due_soon", "overdue"]


def test_case_numbers_count_per_district_and_day(desk):
    worker, binhe = desk["actors"]["community_worker"], desk["actors"]["binhe_worker"]
    with time_machine.travel(WEDNESDAY, tick=False):
        ref = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id
        first = window_intake(worker, ref)
        second = window_intake(worker, ref)
        other_district = window_intake(
            binhe, applicant_lookup(actor=binhe, id_number=QIAN_ID, purpose="受理").public_id
        )
    with time_machine.travel(WEDNESDAY + timedelta(days=1), tick=False):
        next_day = window_intake(worker, ref)
    assert [first.number, second.number, other_district.number, next_day.number] == [
        "210102-20261125-00001",
        "210102-20261125-00002",
        "210103-20261125-00001",
        "210102-20261126-00001",
    ]


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_timeline_is_append_only(desk):
    from django.db import DatabaseError, transaction

    worker = desk["actors"]["community_worker"]
    case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
    event = case.events.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_material_statuses_are_the_documented_ones():
    assert set(MaterialStatus.values) == {"provided", "pool_held", "deferred", "missing"}
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_grid_worker_accepts_at_home_for_their_community(desk):
    grid = desk["actors"]["grid_worker"]
    card = applicant_lookup(actor=grid, id_number=ZHANG_ID, purpose="上门办")
    case = window_intake(grid, card.public_id, channel=Channel.HOME, home_visit_at=WEDNESDAY + timedelta(days=1))
    assert case.accepted_path == "210102001002" and case.channel == Channel.HOME
    assert case.home_visit_at == WEDNESDAY + timedelta(days=1)


def test_ratings_by_worker_show_the_worst_first_and_only_to_supervisors(desk):
    from linli.service_desk.selectors import figures_by_owner

    worker, street = desk["actors"]["community_worker"], desk["actors"]["street_officer"]
    with time_machine.travel(WEDNESDAY, tick=False):
        case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
        case = step(street, case, "start_review")
        case = step(street, case, "decide", decision="approved", note="符合")
        case = step(worker, case, "deliver", delivery_method="pickup")
        step(desk["actors"]["resident"], case, "rate", score=2, note="慢")
    since, until = WEDNESDAY - timedelta(days=1), WEDNESDAY + timedelta(days=1)
    rows = figures_by_owner(actor=desk["actors"]["district_admin"], since=since, until=until)
    assert [(r["owner__username"], r["n"], r["bad"], r["mean"]) for r in rows] == [("community_worker", 1, 1, 2.0)]
    assert figures_by_owner(actor=worker, since=since, until=until) == []
    assert figures_by_owner(actor=desk["actors"]["other_district_admin"], since=since, until=until) == []


def test_an_unrated_case_gets_one_invitation_three_days_after_delivery(desk, django_capture_on_commit_callbacks):
    from linli.service_desk.services import rating_invites_send

    worker, street = desk["actors"]["community_worker"], desk["actors"]["street_officer"]
    with time_machine.travel(WEDNESDAY, tick=False):
        case = window_intake(worker, applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id)
        case = step(street, case, "start_review")
        case = step(street, case, "decide", decision="approved", note="符合")
        case = step(worker, case, "deliver", delivery_method="pickup")
    with django_capture_on_commit_callbacks(execute=True):
        assert rating_invites_send(now=WEDNESDAY + timedelta(days=2)) == "0 rating invitations sent"
        assert rating_invites_send(now=WEDNESDAY + timedelta(days=4)) == "1 rating invitations sent"
        assert rating_invites_send(now=WEDNESDAY + timedelta(days=5)) == "0 rating invitations sent"
    invite = InboxMessage.objects.get(kind="rating_invite")
    assert invite.user_id == desk["users"]["resident"].pk and invite.link.startswith("/rate/")


@time_machine.travel(WEDNESDAY, tick=False)
def test_an_intake_stays_within_its_query_budget(desk, django_assert_max_num_queries):
    """The intake is the desk's hot path (docs/benchmarks.md, desk-intake): reference data is
    memoised and the case is inserted already accepted, so its statements stay few."""
    worker = desk["actors"]["community_worker"]
    ref = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id
    window_intake(worker, ref)  # warms the per-process memos, as a running server has them
    with django_assert_max_num_queries(7):
        window_intake(worker, ref)


def test_stored_day_figures_give_the_same_answer_as_counting_live(desk):
    from linli.service_desk.selectors import desk_figures_by_child
    from linli.service_desk.services import desk_figures_refresh

    worker, street, resident = (
        desk["actors"]["community_worker"],
        desk["actors"]["street_officer"],
        desk["actors"]["resident"],
    )
    ref = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id
    for offset, score in ((0, 5), (1, 2), (2, 4)):  # decided and rated on three different days
        with time_machine.travel(WEDNESDAY + timedelta(days=offset), tick=False):
            case = step(street, window_intake(worker, ref), "start_review")
            case = step(street, case, "decide", decision="approved", note="符合")
            case = step(worker, case, "deliver", delivery_method="pickup")
            step(resident, case, "rate", score=score)
    open_case = None
    with time_machine.travel(WEDNESDAY + timedelta(days=3, hours=2), tick=False):
        open_case = window_intake(worker, ref)
        admin = desk["actors"]["city_admin"]
        args = {"actor": admin, "parent_path": "2101", "child_length": 6, "names": {}}
        period = {"since": WEDNESDAY - timedelta(days=1), "until": WEDNESDAY + timedelta(days=4)}
        live = desk_figures_by_child(**args, **period)
        assert desk_figures_refresh() == "3 unit-days of desk figures stored"
        stored = desk_figures_by_child(**args, **period)
        assert stored == live
        (row,) = stored
        assert (row.decided, row.on_time, row.rated, row.bad, row.open) == (3, 3, 3, 1, 1)
        assert row.satisfaction == round((5 + 2 + 4) / 3, 2)
        # a partial first day is counted live, whole days from the store
        partial = {"since": WEDNESDAY + timedelta(hours=1), "until": WEDNESDAY + timedelta(days=4)}
        assert desk_figures_by_child(**args, **partial)[0].decided == 2
    assert open_case.state == CaseState.ACCEPTED
