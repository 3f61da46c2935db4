"""The applications' pages: who sees what (role × scope), the queue page's pinned query count, the
facts form and the survey through the browser's posts (refusals named, nothing saved), the county's
approval refused before the notice ends, the notice board without IDs and the notice PDF."""

import pytest
import time_machine

from linli.core.models import AuditEntry
from linli.testing import log_in
from linli.welfare.domain.applications import ApplicationState
from linli.welfare.models import Application
from linli.welfare.tests.applications_support import (
    AFTER_NOTICE,
    MONDAY,
    ZHANG_ID,
    make_family,
    take_at_window,
    to_notice,
)

BASE = "/staff/welfare/applications/"


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(tree, people):
    return make_family()


def _page(client, who, url):
    client.logout()
    if who != "anonymous":
        log_in(client, who)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", None),  # to the log-in page
        ("resident", False),
        ("other_community_worker", False),
        ("community_worker", True),
        ("street_officer", True),
        ("civil_affairs_officer", True),
        ("district_admin", False),  # figures only, no person
    ],
)
def test_role_by_scope(clock, family, actors, client, who, sees):
    _case, app = take_at_window(actors["community_worker"], family["zhang"])
    page = _page(client, who, f"{BASE}{app.public_id}/")
    listing = _page(client, who, BASE)
    if sees is None:
        assert page.status_code == 302 and "/login" in page["Location"]
        return
    assert page.status_code == (200 if sees else 404)
    if sees:
        assert app.number in listing.content.decode()
        assert AuditEntry.objects.filter(action="welfare.facts_read").count() == 0  # nothing recorded yet
    else:
        assert listing.status_code == 404 or app.number not in listing.content.decode()


def test_the_queue_page_stays_within_its_queries(clock, family, actors, client, django_assert_max_num_queries):
    to_notice(actors, family)
    log_in(client, "civil_affairs_officer")
    client.get(BASE)  # warm the session and menus
    with django_assert_max_num_queries(14):
        page = client.get(BASE + "?queue=county")
    assert page.status_code == 200


def test_the_facts_form_refuses_a_negative_income_and_saves_a_good_household(clock, family, actors, client):
    _case, app = take_at_window(actors["community_worker"], family["zhang"])
    log_in(client, "community_worker")
    form = client.get(f"{BASE}{app.public_id}/facts/").content.decode()
    assert "张建国" in form and "李桂兰" in form and 'name="m0-income-wage"' in form
    body = {
        "rows": "4",
        "area": "urban",
        "m0-ref": str(family["zhang"].public_id),
        "m0-include": "on",
        "m0-income-wage": "-100",
        "m1-ref": str(family["li"].public_id),
        "m1-include": "on",
        "m1-serious_illness": "on",
        "m1-unable_to_work": "on",
        "m2-ref": "",
        "m2-name": "张小明",
        "m2-birth_date": "2012-05-01",
        "m2-in_school": "on",
        "m3-ref": "",
        "deposits": "1,000",
        "medical_costs": "300",
        "homes": "1",
        "vehicles": "0",
        **{f"material-{k}": "on" for k in ("letter", "identity", "authorisation", "declaration")},
    }
    refused = client.post(f"{BASE}{app.public_id}/facts/", body)
    assert refused.status_code == 422
    assert "张建国的工资性收入不能为负数" in refused.content.decode()
    again = refused.content.decode()  # what was typed is still there
    assert 'value="-100"' in again and 'value="张小明"' in again and 'value="2012-05-01"' in again
    assert 'id="material-letter" checked' in again
    app.refresh_from_db()
    assert app.facts_sealed == ""
    body["m0-income-wage"] = "1,200.50"
    saved = client.post(f"{BASE}{app.public_id}/facts/", body)
    assert saved.status_code == 302
    page = client.get(f"{BASE}{app.public_id}/").content.decode()
    assert "张小明" in page and "¥1,200.50" in page and "¥1,000.00" in page
    assert AuditEntry.objects.filter(action="welfare.facts_read", object_id=app.number).exists()


def test_the_survey_form_on_the_phone_names_what_is_missing(clock, family, actors, client):
    _case, app = take_at_window(actors["community_worker"], family["zhang"])
    from linli.welfare.services.applications import (
        application_check_record,
        application_record,
        application_request_check,
    )
    from linli.welfare.tests.applications_support import facts_input

    worker = actors["community_worker"]
    application_record(actor=worker, application=app, data=facts_input(family))
    application_request_check(actor=worker, application=app)
    application_check_record(actor=worker, application=app, result="consistent")
    log_in(client, "community_worker")
    assert client.get(f"{BASE}{app.public_id}/survey/").status_code == 200
    refused = client.post(f"{BASE}{app.public_id}/survey/", {"surveyed_on": "2026-12-07", "findings": "属实"})
    assert refused.status_code == 422 and "两名工作人员" in refused.content.decode()
    done = client.post(
        f"{BASE}{app.public_id}/survey/",
        {"surveyed_on": "2026-12-07", "second_worker": "刘社工", "conditions": ["housing_poor"], "findings": "属实"},
    )
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.STREET_REVIEW and app.surveyors[1]["name"] == "刘社工"


def test_the_county_is_refused_before_the_notice_ends_and_prints_the_notice_after(clock, family, actors, client):
    _case, app = to_notice(actors, family)
    log_in(client, "civil_affairs_officer")
    page = client.get(f"{BASE}{app.public_id}/").content.decode()
    assert 'id="notice-running"' in page and 'id="approve"' not in page
    early = client.post(f"{BASE}{app.public_id}/step/approve/", {"note": ""})
    assert early.status_code == 422 and "2026-12-13" in early.content.decode()
    assert Application.objects.get(pk=app.pk).state == ApplicationState.NOTICE
    clock.move_to(AFTER_NOTICE)
    log_in(client, "civil_affairs_officer")  # a week later: a new session
    assert 'id="approve"' in client.get(f"{BASE}{app.public_id}/").content.decode()
    assert client.post(f"{BASE}{app.public_id}/step/approve/", {"note": "符合"}).status_code == 302
    page = client.get(f"{BASE}{app.public_id}/").content.decode()
    assert 'id="trace"' in page and 'id="notice-pdf"' in page
    pdf = client.get(f"{BASE}{app.public_id}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="welfare.notice_pdf", object_id=app.number).count() == 1


def test_the_notice_board_and_its_print_view_mask_the_name_and_show_no_id(clock, family, actors, client):
    to_notice(actors, family)
    log_in(client, "community_worker")
    for url in (f"{BASE}notices/210102001002/", f"{BASE}notices/210102001002/print/"):
        html = client.get(url).content.decode()
        assert "张*国" in html and "张建国" not in html and ZHANG_ID not in html and ZHANG_ID[-4:] not in html
    assert "水源地社区" in client.get(f"{BASE}notices/").content.decode()
    pdf = client.get(f"{BASE}notices/210102001002/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    log_in(client, "other_community_worker")
    assert "张*国" not in client.get(f"{BASE}notices/210102001002/").content.decode()


def test_the_desk_case_page_links_to_the_application(clock, family, actors, client):
    case, app = take_at_window(actors["community_worker"], family["zhang"])
    log_in(client, "community_worker")
    html = client.get(f"/staff/desk/cases/{case.public_id}/").content.decode()
    assert 'id="case-handling"' in html and f"{BASE}{app.public_id}/" in html and app.number in html


def test_the_workbench_counts_are_the_queues_they_link_to(clock, family, actors, django_assert_max_num_queries):
    from linli.welfare.selectors.applications import applications_today

    to_notice(actors, family)
    _case, second = take_at_window(actors["community_worker"], family["wang"])
    worker = applications_today(actors["community_worker"], MONDAY.date())
    counts = {c.key: (c.count, c.url) for c in worker.counts}
    assert counts["welfare.recording"] == (1, f"{BASE}?queue=recording")
    assert counts["welfare.notice"][0] == 1 and "welfare.county" not in counts
    assert applications_today(actors["resident"], MONDAY.date()) is None
    assert applications_today(actors["district_admin"], MONDAY.date()) is None
    with time_machine.travel(AFTER_NOTICE, tick=False), django_assert_max_num_queries(3):
        county = applications_today(actors["civil_affairs_officer"], AFTER_NOTICE.date())
    assert {c.key: c.count for c in county.counts}["welfare.county"] == 1
    assert [row.title.split(" · ")[1] for row in county.rows] == [
        a.number for a in Application.objects.filter(state="notice")
    ]
    assert second.number not in " ".join(r.title for r in county.rows)
