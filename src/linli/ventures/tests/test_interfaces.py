"""Pages and endpoints: the role × scope matrix (a denied path changes nothing), the API with
idempotent creates, refusals naming the field, and pinned query counts on the lists."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.domain import Role
from linli.core.workbench import today_sections
from linli.testing import log_in, make_user
from linli.ventures.domain import ApplicationState, CallState
from linli.ventures.models import Review, VentureApplication, VentureCall, VentureProject
from linli.ventures.services import (
    application_decide,
    application_save,
    application_submit,
    call_create,
    call_transition,
    review_score,
)
from linli.ventures.tests.conftest import ORG_A, application_input, call_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_officer(tree, orgs):
    return make_user("other_officer", Role.CIVIL_AFFAIRS_OFFICER, tree["210103000000"])


def _status(client, username, url):
    client.logout()
    if username:
        log_in(client, username)
    return client.get(url).status_code


# ---- the matrix ----------------------------------------------------------------------------------


def test_call_page_matrix(client, open_call, other_officer):
    url = f"/staff/ventures/calls/{open_call.public_id}/"
    expected = {
        None: 302,  # to the log-in page
        "resident": 404,
        "community_worker": 404,
        "city_admin": 404,  # may review, but sits on no panel of it and runs nothing here
        "other_officer": 404,  # a civil-affairs officer of another district
        "civil_affairs_officer": 200,
        "street_officer": 200,  # on the panel
        "organiser": 200,  # calls are public announcements to organisations
        "other_organiser": 200,
    }
    assert {who: _status(client, who, url) for who in expected} == expected


def test_a_draft_call_is_seen_by_its_manager_only(client, cast):
    draft = call_create(actor=cast["civil_affairs_officer"], data=call_input())
    url = f"/staff/ventures/calls/{draft.public_id}/"
    assert {who: _status(client, who, url) for who in ("civil_affairs_officer", "street_officer", "organiser")} == {
        "civil_affairs_officer": 200,
        "street_officer": 404,
        "organiser": 404,
    }


def test_application_page_matrix(client, cast, reviewing, submitted, other_officer):
    url = f"/staff/ventures/applications/{submitted[0].public_id}/"
    expected = {
        "organiser": 200,
        "other_organiser": 404,  # another organisation's application
        "civil_affairs_officer": 200,
        "other_officer": 404,
        "street_officer": 200,  # panel, under review
        "district_admin": 200,
        "city_admin": 404,
        "resident": 404,
    }
    assert {who: _status(client, who, url) for who in expected} == expected


def test_another_organisation_cannot_submit_or_withdraw_by_the_page(client, cast, open_call):
    draft = application_save(actor=cast["organiser"], call=open_call, data=application_input())
    log_in(client, "other_organiser")
    assert client.post(f"/staff/ventures/applications/{draft.public_id}/submit/").status_code == 404
    answer = client.post(f"/staff/ventures/applications/{draft.public_id}/withdraw/", {"reason": "x", "confirm": "on"})
    assert answer.status_code == 404
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT and draft.withdraw_reason == ""


def test_organiser_applies_submits_and_withdraws_with_confirmation(client, cast, open_call):
    log_in(client, "organiser")
    page = client.get(f"/staff/ventures/calls/{open_call.public_id}/apply/")
    assert page.status_code == 200 and "水源地社区邻里互助会" in page.content.decode()
    form = {
        "org_id": str(ORG_A),
        "title": "银龄陪伴计划",
        "summary": "每周上门陪伴",
        "themes": ["为老服务"],
        "beneficiaries_count": "60",
        "beneficiaries_who": "独居老人",
        "outputs": "陪伴 480 人次",
        "item_0": "交通补贴",
        "amount_0": "20000",
        "item_1": "物料",
        "amount_1": "10001",
    }
    refused = client.post(f"/staff/ventures/calls/{open_call.public_id}/apply/", form)
    assert refused.status_code == 200 and "第 2 行「物料」" in refused.content.decode()
    assert VentureApplication.objects.count() == 0
    saved = client.post(f"/staff/ventures/calls/{open_call.public_id}/apply/", form | {"amount_1": "9000"})
    application = VentureApplication.objects.get()
    assert saved.status_code == 302 and application.requested == Decimal("29000")
    client.post(f"/staff/ventures/applications/{application.public_id}/submit/")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    url = f"/staff/ventures/applications/{application.public_id}/withdraw/"
    unconfirmed = client.post(url, {"reason": "人手不足"})
    assert unconfirmed.status_code == 200
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    client.post(url, {"reason": "人手不足", "confirm": "on"})
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


def test_review_page_refuses_an_out_of_range_score_naming_it(client, cast, reviewing, submitted):
    log_in(client, "street_officer")
    url = f"/staff/ventures/applications/{submitted[0].public_id}/review/"
    answer = client.post(url, {"form": "score", "score_0": "8", "score_1": "25", "score_2": "4", "no_conflict": "on"})
    assert "「项目设计」的得分须为 0 到 20 的整数" in answer.content.decode()
    assert Review.objects.count() == 0
    client.post(url, {"form": "score", "score_0": "8", "score_1": "15", "score_2": "4", "no_conflict": "on"})
    assert Review.objects.get().total == Decimal("78.00")


def test_project_page_matrix_and_spending_over_the_grant(client, cast, reviewing, submitted, other_officer):
    officer = cast["civil_affairs_officer"]
    application_decide(actor=officer, application=submitted[0], fund=True, amount="10000")
    application_decide(actor=officer, application=submitted[1], fund=False, reason="重复")
    call_transition(actor=officer, call=reviewing, action="decide")
    project = VentureProject.objects.get()
    url = f"/staff/ventures/projects/{project.public_id}/"
    expected = {
        "organiser": 200,
        "other_organiser": 404,
        "civil_affairs_officer": 200,
        "other_officer": 404,
        "street_officer": 404,
    }
    assert {who: _status(client, who, url) for who in expected} == expected
    log_in(client, "organiser")
    today = f"{timezone.localdate():%Y-%m-%d}"
    # the date box is filled with today in the form a date input reads, whatever the language
    assert f'name="spent_on" value="{today}"' in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    answer = client.post(f"{url}spending/", {"amount": "10000.01", "spent_on": today, "what": "物料"})
    assert answer.status_code == 422 and "超过资助金额" in answer.content.decode()
    project.refresh_from_db()
    assert project.spent == 0


# ---- the API -------------------------------------------------------------------------------------

CALL_BODY = {
    "kind": "venture",
    "title": "2027年浑河湾街道微创投",
    "unit": "210102001",
    "themes": ["社区治理"],
    "total_budget": "50000",
    "project_cap": "10000",
    "opens_on": "2026-12-01",
    "deadline": "2026-12-31",
    "criteria": [{"name": "需求", "weight": 50, "max_score": 10}, {"name": "设计", "weight": 50, "max_score": 10}],
    "panel": ["street_officer"],
}


def test_api_creates_a_call_once_per_key(client, orgs):
    log_in(client, "civil_affairs_officer")
    first = client.post(
        "/api/v1/ventures/calls", CALL_BODY, content_type="application/json", headers={"Idempotency-Key": "c-1"}
    )
    again = client.post(
        "/api/v1/ventures/calls", CALL_BODY, content_type="application/json", headers={"Idempotency-Key": "c-1"}
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and VentureCall.objects.count() == 1
    body = first.json()
    assert body["state"] == "draft" and body["panel"] == ["street_officer"] and len(body["criteria"]) == 2
    assert client.get(f"/api/v1/ventures/calls/{body['id']}").json()["title"] == "2027年浑河湾街道微创投"
    bad = client.post(
        "/api/v1/ventures/calls",
        CALL_BODY | {"criteria": [{"name": "x", "weight": 60, "max_score": 5}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "criteria"


def test_api_application_scores_and_decision(client, cast, open_call):
    log_in(client, "organiser")
    body = {
        "call": str(open_call.public_id),
        "organisation": str(ORG_A),
        "title": "楼道微更新",
        "summary": "改造 3 个楼道",
        "themes": ["为老服务"],
        "beneficiaries_count": 90,
        "beneficiaries_who": "3 个单元的住户",
        "outputs": "楼道扶手 3 处",
        "budget": [{"item": "扶手", "amount": "6000"}],
    }
    created = client.post(
        "/api/v1/ventures/applications", body, content_type="application/json", headers={"Idempotency-Key": "a-1"}
    )
    assert created.status_code == 201, created.content
    public_id = created.json()["id"]
    assert client.post(f"/api/v1/ventures/applications/{public_id}/submit").json()["state"] == "submitted"
    log_in(client, "other_organiser")
    assert client.get(f"/api/v1/ventures/applications/{public_id}").status_code == 404
    assert client.post("/api/v1/ventures/applications", body, content_type="application/json").status_code == 422
    call_transition(actor=cast["civil_affairs_officer"], call=open_call, action="review", note="提前")
    log_in(client, "street_officer")
    out = client.put(
        f"/api/v1/ventures/applications/{public_id}/scores",
        {"scores": {"0": 11, "1": 10, "2": 2}},
        content_type="application/json",
    )
    assert out.status_code == 422 and out.json()["error"]["fields"][0]["field"] == "score_0"
    assert "需求分析" in out.json()["error"]["fields"][0]["message"]
    ok = client.put(
        f"/api/v1/ventures/applications/{public_id}/scores",
        {"scores": {"0": 10, "1": 20, "2": 5}},
        content_type="application/json",
    )
    assert ok.json()["total"] == "100.00"
    log_in(client, "civil_affairs_officer")
    ranking = client.get(f"/api/v1/ventures/calls/{open_call.public_id}/ranking").json()
    assert [(r["rank"], r["mean"]) for r in ranking] == [(1, "100.00")]
    decided = client.put(
        f"/api/v1/ventures/applications/{public_id}/decision",
        {"fund": True, "amount": "7000"},
        content_type="application/json",
    )
    assert decided.status_code == 422 and "6000" in decided.json()["error"]["fields"][0]["message"]
    decided = client.put(
        f"/api/v1/ventures/applications/{public_id}/decision",
        {"fund": True, "amount": "6000"},
        content_type="application/json",
    )
    assert decided.json()["state"] == "funded"
    assert (
        client.post(
            f"/api/v1/ventures/calls/{open_call.public_id}/steps/decide", {}, content_type="application/json"
        ).json()["state"]
        == "decided"
    )
    project = client.get("/api/v1/ventures/projects").json()["items"][0]
    spend = {"amount": "6000.01", "spent_on": f"{timezone.localdate():%Y-%m-%d}", "what": "扶手"}
    refused = client.post(f"/api/v1/ventures/projects/{project['id']}/spending", spend, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "amount"
    assert client.get(f"/api/v1/ventures/projects/{project['id']}").json()["spent"] == "0.00"


def test_api_refuses_anonymous_and_residents(client, open_call):
    assert client.get("/api/v1/ventures/calls").status_code == 401
    log_in(client, "resident")
    assert client.get("/api/v1/ventures/calls").json()["count"] == 0
    assert client.post("/api/v1/ventures/calls", CALL_BODY, content_type="application/json").status_code == 403
    assert VentureCall.objects.count() == 1


# ---- query counts, workbench, figures ------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_and_endpoints_query_counts_are_pinned(client, cast, open_call, submitted):
    urls = (
        "/staff/ventures/",
        "/staff/ventures/projects/",
        "/staff/ventures/figures/",
        "/api/v1/ventures/calls",
        "/api/v1/ventures/applications",
        "/api/v1/ventures/projects",
    )
    organiser_urls = ("/staff/ventures/mine/", "/api/v1/ventures/applications")

    def measure():
        log_in(client, "civil_affairs_officer")
        counts = {url: _queries(client, url) for url in urls}
        log_in(client, "organiser")
        return counts | {f"organiser {url}": _queries(client, url) for url in organiser_urls}

    officer = cast["civil_affairs_officer"]

    def fund_calls(numbers):
        for n in numbers:
            call = call_create(actor=officer, data=call_input(title=f"第{n}期"))
            call_transition(actor=officer, call=call, action="open")
            application_submit(
                actor=cast["organiser"],
                application=application_save(actor=cast["organiser"], call=call, data=application_input()),
            )
            call_transition(actor=officer, call=call, action="review", note="提前")
            for application in VentureApplication.objects.filter(call=call):
                application_decide(actor=officer, application=application, fund=True, amount="1000")
            call_transition(actor=officer, call=call, action="decide")

    fund_calls([0])
    counts = measure()
    fund_calls([1, 2, 3])
    assert VentureProject.objects.count() == 4
    assert measure() == counts
    assert counts == {
        "/staff/ventures/": 7,  # with the pager's count
        "/staff/ventures/projects/": 5,
        "/staff/ventures/figures/": 5,
        "/api/v1/ventures/calls": 5,
        "/api/v1/ventures/applications": 6,
        "/api/v1/ventures/projects": 5,
        "organiser /staff/ventures/mine/": 6,
        "organiser /api/v1/ventures/applications": 6,
    }


def test_workbench_sections(cast, reviewing, submitted):
    today = timezone.localdate()
    reviewer = {s.key: s for s in today_sections(actor=cast["street_officer"], today=today)}["ventures"]
    assert {c.key: c.count for c in reviewer.counts}["ventures.to_score"] == 2
    review_score(actor=cast["street_officer"], application=submitted[0], scores={0: 1, 1: 1, 2: 1})
    reviewer = {s.key: s for s in today_sections(actor=cast["street_officer"], today=today)}["ventures"]
    assert {c.key: c.count for c in reviewer.counts}["ventures.to_score"] == 1
    manager = {s.key: s for s in today_sections(actor=cast["civil_affairs_officer"], today=today)}["ventures"]
    assert {c.key: c.count for c in manager.counts}["ventures.to_decide"] == 1
    assert "ventures" not in {s.key for s in today_sections(actor=cast["resident"], today=today)}


def test_figures_page_and_overdue_milestones(client, cast, reviewing, submitted):
    from linli.ventures.services import milestone_add

    officer = cast["civil_affairs_officer"]
    application_decide(actor=officer, application=submitted[0], fund=True, amount="10000")
    application_decide(actor=officer, application=submitted[1], fund=True, amount="8000")
    call_transition(actor=officer, call=reviewing, action="decide")
    project = VentureProject.objects.order_by("pk").first()
    milestone_add(actor=officer, project=project, title="启动", due_on=timezone.localdate() - timedelta(days=3))
    log_in(client, "civil_affairs_officer")
    page = client.get("/staff/ventures/figures/").content.decode()
    assert "和平区" in page and "18000.00" in page and 'id="ventures-figures"' in page
    manager = {s.key: s for s in today_sections(actor=officer, today=timezone.localdate())}["ventures"]
    assert {c.key: c.count for c in manager.counts}["ventures.overdue"] == 1
    assert reviewing.state == CallState.REVIEWING


def test_attachments_judged_by_content_and_read_only_by_those_who_see_the_application(client, cast, open_call):
    from linli.ventures.models import VentureFile
    from linli.ventures.services import FileUpload

    with pytest.raises(Exception) as caught:
        application_save(
            actor=cast["organiser"],
            call=open_call,
            data=application_input(),
            attachments=[FileUpload("方案.pdf", b"MZ\x90\x00 not a pdf")],
        )
    assert "方案.pdf" in str(caught.value) and VentureApplication.objects.count() == 0
    saved = application_save(
        actor=cast["organiser"],
        call=open_call,
        data=application_input(),
        attachments=[FileUpload("方案.pdf", b"%PDF-1.7\n%%EOF\n")],
    )
    attachment = VentureFile.objects.get(application=saved)
    url = f"/staff/ventures/files/{attachment.public_id}/"
    log_in(client, "organiser")
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    for who in ("other_organiser", "civil_affairs_officer"):  # a draft is its organisation's alone
        log_in(client, who)
        assert client.get(url).status_code == 404


def test_an_officer_posted_above_the_district_sees_its_calls(client, open_call, tree, orgs):
    make_user("city_officer", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"])
    assert _status(client, "city_officer", f"/staff/ventures/calls/{open_call.public_id}/") == 200
