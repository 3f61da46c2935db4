# ruff: noqa: F811 (the stage's fixtures are imported from children_support)
"""Children's services and selectors: guardians and plans sealed, visits and coverage, directors
(one active per community), facility logs, harm reports restricted to CARE_PROTECT holders."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.care.models import ChildCare, ChildDirector, ChildVisit, HarmAction, HarmReport
from linli.care.selectors import children as sel
from linli.care.services import children as svc
from linli.care.tests.children_support import (  # noqa: F401 (fixtures)
    HUNHEWAN,
    SHUIYUANDI,
    TODAY,
    clock,
    other_street_officer,
    world,
)
from linli.core.errors import DomainError
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def visit(days_ago: int = 0, **kw) -> svc.VisitInput:
    values = dict(
        visited_on=TODAY - dt.timedelta(days=days_ago),
        saw_child=True,
        guardian_present=True,
        school="good",
        health="good",
        safety="good",
    )
    return svc.VisitInput(**(values | kw))


def test_the_lists_join_guardian_director_and_visit_status(world, actors):
    rows = sel.children_rows(actor=actors["community_worker"], today=TODAY)
    assert [r.person.name for r in rows] == ["李小红", "王小明"]
    assert all(r.flagged and r.status == "never" for r in rows)
    assert {r.person.name: r.interval for r in rows} == {"李小红": 14, "王小明": 30}
    street = sel.children_rows(actor=actors["street_officer"], today=TODAY)
    assert sorted(r.person.name for r in street) == ["李小红", "王小明", "赵小刚"]
    assert sel.children_rows(actor=actors["resident"], today=TODAY) == []
    assert sel.children_rows(actor=actors["district_admin"], today=TODAY) == []


def test_guardian_is_sealed_masked_and_revealed_with_a_reason(world, actors):
    worker = actors["community_worker"]
    care = svc.child_guardian_set(
        actor=worker, child_ref=world.xiaoming, data=svc.GuardianInput("王建国", "grandparent", "13812345678")
    )
    assert care.guardian_phone_masked == "138****5678"
    assert "13812345678" not in care.guardian_phone_sealed
    with pytest.raises(DomainError) as error:
        svc.child_sealed_reveal(actor=worker, child_ref=world.xiaoming, what="phone", reason="")
    assert error.value.fields[0].field == "reason"
    phone = svc.child_sealed_reveal(actor=worker, child_ref=world.xiaoming, what="phone", reason="联系监护人安排探访")
    assert phone == "13812345678"
    assert AuditEntry.objects.filter(action="care.child_guardian_reveal", reason="联系监护人安排探访").count() == 1


def test_guardian_bad_input_names_each_field_and_saves_nothing(world, actors):
    with pytest.raises(DomainError) as error:
        svc.child_guardian_set(
            actor=actors["community_worker"], child_ref=world.xiaoming, data=svc.GuardianInput("", "uncle", "12")
        )
    assert [f.field for f in error.value.fields] == ["name", "relation", "phone"]
    assert ChildCare.objects.count() == 0


def test_other_community_worker_cannot_touch_the_child(world, actors):
    with pytest.raises(DomainError) as error:
        svc.child_guardian_set(
            actor=actors["other_community_worker"], child_ref=world.xiaoming, data=svc.GuardianInput("王建国", "father")
        )
    assert error.value.status == 404
    with pytest.raises(DomainError):
        svc.child_visit_record(actor=actors["other_community_worker"], child_ref=world.xiaoming, data=visit())
    assert ChildCare.objects.count() == 0 and ChildVisit.objects.count() == 0


def test_a_visit_changes_status_and_coverage(world, actors):
    worker = actors["community_worker"]
    assert sel.coverage(actor=worker, today=TODAY).visited == 0
    svc.child_visit_record(actor=worker, child_ref=world.xiaoming, data=visit(3, notes="家中整洁"))
    svc.child_visit_record(actor=worker, child_ref=world.xiaohong, data=visit(20))
    rows = {r.person.name: r for r in sel.children_rows(actor=worker, today=TODAY)}
    assert rows["王小明"].status == "on_time" and rows["王小明"].due == TODAY + dt.timedelta(days=27)
    assert rows["李小红"].status == "overdue"
    cover = sel.coverage(actor=actors["street_officer"], today=TODAY)
    assert (cover.children, cover.visited) == (3, 1)
    assert [(r.path, r.children, r.visited) for r in cover.communities] == [(SHUIYUANDI, 2, 1), (HUNHEWAN, 1, 0)]
    assert "家中整洁" not in ChildVisit.objects.get(child_ref=world.xiaoming).notes_sealed


def test_a_visit_in_the_future_or_with_bad_codes_is_refused(world, actors):
    with pytest.raises(DomainError) as error:
        svc.child_visit_record(
            actor=actors["community_worker"], child_ref=world.xiaoming, data=visit(-1, school="fine", safety="")
        )
    assert [f.field for f in error.value.fields] == ["visited_on", "school", "safety"]
    assert ChildVisit.objects.count() == 0


def test_visit_rules_change_the_interval(world, actors, city_rules_officer):
    svc.visit_rule_set(actor=city_rules_officer, kind="left_behind_child", interval_days=7)
    assert sel.visit_intervals()["left_behind_child"] == 7
    with pytest.raises(DomainError):
        svc.visit_rule_set(actor=actors["community_worker"], kind="left_behind_child", interval_days=3)
    with pytest.raises(DomainError) as error:
        svc.visit_rule_set(actor=city_rules_officer, kind="left_behind_child", interval_days=0)
    assert error.value.fields[0].field == "interval_days"
    assert sel.visit_intervals()["left_behind_child"] == 7


@pytest.fixture
def city_rules_officer(tree):
    from linli.accounts.selectors import actor_for_user
    from linli.testing import make_user

    return actor_for_user(make_user("city_children", "civil_affairs_officer", tree["210100000000"]))


def test_the_street_appoints_one_director_per_community(world, actors, people):
    street = actors["street_officer"]
    with pytest.raises(DomainError) as error:  # a community worker does not appoint
        svc.director_appoint(actor=actors["community_worker"], path=SHUIYUANDI, username="community_worker")
    assert error.value.status == 404
    with pytest.raises(DomainError) as error:  # not posted in that community
        svc.director_appoint(actor=street, path=SHUIYUANDI, username="other_community_worker")
    assert error.value.fields[0].field == "username"
    first = svc.director_appoint(actor=street, path=SHUIYUANDI, username="community_worker", starts_on=TODAY)
    rows = sel.children_rows(actor=actors["community_worker"], today=TODAY)
    assert all(r.director == first for r in rows)
    assert sel.directed_communities(people["community_worker"].pk) == [SHUIYUANDI]
    svc.director_end(actor=street, public_id=first.public_id, reason="调任其他岗位")
    assert ChildDirector.objects.filter(ends_on__isnull=True).count() == 0
    communities, _ = sel.directors_page(actor=street)
    assert [(u.path, u.director) for u in communities] == [(SHUIYUANDI, None), (HUNHEWAN, None)]


def test_facility_logs_and_figures(world, actors):
    worker = actors["community_worker"]
    svc.facility_opening_record(actor=worker, facility_ref=world.home, opened_on=TODAY, hours="4", staff="张老师")
    with pytest.raises(DomainError) as error:
        svc.facility_opening_record(actor=worker, facility_ref=world.home, opened_on=TODAY, hours="3", staff="张老师")
    assert error.value.fields[0].field == "opened_on"
    with pytest.raises(DomainError) as error:
        svc.facility_activity_record(
            actor=worker, facility_ref=world.home, data=svc.ActivityInput(TODAY, "", "dance", -1)
        )
    assert [f.field for f in error.value.fields] == ["title", "kind", "children_count"]
    svc.facility_activity_record(
        actor=worker, facility_ref=world.home, data=svc.ActivityInput(TODAY, "安全教育课", "safety", 12)
    )
    with pytest.raises(DomainError):
        svc.facility_opening_record(
            actor=actors["other_community_worker"], facility_ref=world.home, opened_on=TODAY, hours="2", staff="李"
        )
    figures = sel.facility_figures(actor=actors["street_officer"])
    assert (figures.with_home, len(figures.communities), figures.with_station, len(figures.streets)) == (1, 2, 0, 1)
    targets = {t.key: (t.done, t.base) for t in sel.children_targets(actor=actors["street_officer"], today=TODAY)}
    assert targets == {"children.coverage": (0, 3), "children.homes": (1, 2), "children.stations": (0, 1)}


def test_a_harm_report_reaches_only_care_protect_holders(world, actors, other_street_officer):
    worker = actors["community_worker"]
    report = svc.harm_report_file(actor=worker, child_ref=world.xiaoming, seen="孩子手臂有多处淤青，说是被打的。")
    assert report.receipt == "BH202612070001"
    assert "淤青" not in report.seen_sealed
    assert sel.my_receipts(actor=worker)[0]["receipt"] == report.receipt
    for name in ("community_worker", "other_community_worker", "resident", "district_admin", "anonymous"):
        assert list(sel.harm_case_list(actor=actors[name], state="")) == []
        with pytest.raises(DomainError) as error:
            svc.harm_case_open(actor=actors[name], public_id=report.public_id, reason="想看看情况")
        assert error.value.status == 404
    with pytest.raises(DomainError) as error:
        svc.harm_case_open(actor=other_street_officer, public_id=report.public_id, reason="想看看情况")
    assert error.value.status == 404
    with pytest.raises(DomainError):
        sel.receipt_get(actor=actors["other_community_worker"], receipt=report.receipt)
    assert not AuditEntry.objects.filter(action="care.harm_read").exists()
    officer = actors["street_officer"]
    assert [c.receipt for c in sel.harm_case_list(actor=officer)] == [report.receipt]
    view = svc.harm_case_open(actor=officer, public_id=report.public_id, reason="核实并处置")
    assert (view.child_name, view.seen) == ("王小明", "孩子手臂有多处淤青，说是被打的。")
    assert AuditEntry.objects.filter(action="care.harm_read", reason="核实并处置").count() == 1
    svc.harm_action_record(actor=officer, public_id=report.public_id, kind="police", note="已向派出所报案")
    svc.harm_case_close(actor=officer, public_id=report.public_id, reason="已转介并落实监护")
    with pytest.raises(DomainError) as error:
        svc.harm_action_record(actor=officer, public_id=report.public_id, kind="other", note="补充")
    assert error.value.code == "conflict"
    assert HarmAction.objects.count() == 1
    assert HarmReport.objects.get().state == "closed"
    assert actors["civil_affairs_officer"].has_perm("care.protect")
    assert len(list(sel.harm_case_list(actor=actors["civil_affairs_officer"], state=""))) == 1


def test_a_harm_report_needs_words_and_a_child_in_scope(world, actors):
    with pytest.raises(DomainError) as error:
        svc.harm_report_file(actor=actors["community_worker"], child_ref=world.xiaoming, seen="短")
    assert error.value.fields[0].field == "seen"
    with pytest.raises(DomainError) as error:
        svc.harm_report_file(
            actor=actors["community_worker"], child_ref=world.xiaogang, seen="看到孩子被长时间锁在家里"
        )
    assert error.value.status == 404
    with pytest.raises(DomainError):
        svc.harm_report_file(actor=actors["resident"], child_ref=world.xiaoming, seen="看到孩子被长时间锁在家里")
    assert HarmReport.objects.count() == 0


def test_the_workbench_counts(world, actors):
    section = sel.children_today(actors["community_worker"], TODAY)
    assert {c.key: c.count for c in section.counts} == {
        "children.overdue": 2,
        "children.due": 0,
        "children.flagged": 2,
    }
    svc.harm_report_file(actor=actors["community_worker"], child_ref=world.xiaoming, seen="看到孩子被长时间锁在家里")
    officer = {c.key: c.count for c in sel.children_today(actors["street_officer"], TODAY).counts}
    assert officer["children.harm"] == 1
    assert sel.children_today(actors["resident"], TODAY) is None
