"""What the public Open311 answers may show (decision 0014): only the events meant for the public
(residents' reports unless hidden, staff's own once published), with ID and phone numbers masked in
both formats; every bad argument a 400 naming it; CORS for the public reads only."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.grid_events.domain import Channel
from linli.grid_events.models import EventStep, GridEvent
from linli.grid_events.services import ReportInput, event_publication_set, event_report
from linli.grid_events.tests.conftest import SHUIYUANDI
from linli.grid_events.tests.test_open311 import body, errors, get, key, post  # noqa: F401 (a fixture)

ID_NUMBER, MOBILE, LANDLINE = "110101199003070015", "13812345678", "024-87654321"
PERSONAL = f"3号楼垃圾满溢，联系王先生{MOBILE}，身份证{ID_NUMBER}"
MASKED = "3号楼垃圾满溢，联系王先生138****5678，身份证110101********0015"


def report(grid, channel: str, actor: str = "grid_worker", **extra) -> GridEvent:
    data = ReportInput(
        description=extra.pop("description", "垃圾箱满溢"),
        lat=SHUIYUANDI[0],
        lng=SHUIYUANDI[1],
        category_code="E0102",
        channel=channel,
        not_duplicate=True,
        **extra,
    )
    return event_report(actor=grid["actors"][actor], data=data)


def listed(client, fmt: str = "json") -> list[str]:
    answer = body(get(client, f"requests.{fmt}"))
    if fmt == "json":
        return [r["service_request_id"] for r in answer]
    return [r.findtext("service_request_id") for r in answer]


# ================================================================ what is public


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_residents_reports_are_public_and_staff_events_are_not(client, grid, fmt):
    resident = report(grid, Channel.RESIDENT_PHOTO, actor="resident")
    hotline = report(grid, Channel.HOTLINE, actor="community_worker")
    patrol = report(grid, Channel.GRID_PATROL)
    staff = report(grid, Channel.STAFF, actor="community_worker")
    assert [resident.is_public, hotline.is_public, patrol.is_public, staff.is_public] == [True, True, False, False]
    assert sorted(listed(client, fmt)) == sorted([resident.number, hotline.number])
    for hidden in (patrol, staff):
        (description,) = errors(get(client, f"requests/{hidden.number}.{fmt}"), 404)
        assert description.startswith("service_request_id: 没有服务请求")
        # Not even by asking for its id: the filter that overrides all others keeps it out too.
        assert listed_ids(client, fmt, hidden.number) == []


def listed_ids(client, fmt, number) -> list:
    answer = body(get(client, f"requests.{fmt}", service_request_id=number))
    return list(answer)


def test_a_request_filed_through_open311_is_public_at_once(client, grid, key):  # noqa: F811
    response = post(client, key)
    number = json.loads(response.content)[0]["service_request_id"]
    assert GridEvent.objects.get(number=number).is_public
    assert listed(client) == [number]


def test_staff_publish_an_event_and_hide_it_again_with_a_reason(client, grid):
    patrol = report(grid, Channel.GRID_PATROL)
    worker = grid["actors"]["community_worker"]
    event_publication_set(actor=worker, event=patrol, public=True)
    assert listed(client) == [patrol.number]
    event_publication_set(actor=worker, event=patrol, public=False, reason="涉及未成年人")
    assert listed(client) == []
    assert errors(get(client, f"requests/{patrol.number}.json"), 404)
    patrol.refresh_from_db()
    assert (patrol.is_public, patrol.public_reason) == (False, "涉及未成年人")
    steps = list(EventStep.objects.filter(event=patrol, action__in=["publish", "unpublish"]).order_by("pk"))
    assert [(s.action, s.note, s.actor_name) for s in steps] == [
        ("publish", "", "community_worker"),
        ("unpublish", "涉及未成年人", "community_worker"),
    ]
    audits = AuditEntry.objects.filter(object_id=patrol.number, action__in=["grid.publish", "grid.unpublish"])
    assert sorted((a.action, a.reason) for a in audits) == [("grid.publish", ""), ("grid.unpublish", "涉及未成年人")]


def test_hiding_needs_a_reason_and_the_right_to_register_events_of_the_place(grid):
    resident = report(grid, Channel.RESIDENT_PHOTO, actor="resident")
    with pytest.raises(DomainError) as refused:
        event_publication_set(actor=grid["actors"]["community_worker"], event=resident, public=False, reason="  ")
    assert [f.field for f in refused.value.fields] == ["reason"]
    for name in ("grid_worker", "other_community_worker", "urban_officer", "resident"):
        with pytest.raises(DomainError) as denied:
            event_publication_set(actor=grid["actors"][name], event=resident, public=False, reason="x")
        assert denied.value.status == 403, name
    with pytest.raises(DomainError) as twice:
        event_publication_set(actor=grid["actors"]["street_officer"], event=resident, public=True)
    assert twice.value.status == 409
    resident.refresh_from_db()
    assert resident.is_public


# ================================================================ masking


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_id_and_phone_numbers_are_masked_in_public_texts_but_kept_for_staff(client, grid, fmt):
    event = report(
        grid, Channel.RESIDENT_PHOTO, actor="resident", description=PERSONAL, address=f"水源地社区3号楼 电话{LANDLINE}"
    )
    for url in ("requests", f"requests/{event.number}"):
        response = get(client, f"{url}.{fmt}")
        assert ID_NUMBER.encode() not in response.content and MOBILE.encode() not in response.content
        assert b"87654321" not in response.content
        answer = body(response)
        if fmt == "json":
            description, address = answer[0]["description"], answer[0]["address"]
        else:
            description, address = answer[0].findtext("description"), answer[0].findtext("address")
        assert description == MASKED
        assert address == "水源地社区3号楼 电话024*****4321"
    event.refresh_from_db()
    assert event.description == PERSONAL  # the stored text is the reporter's own


def test_a_rejection_reason_is_masked_in_the_status_notes(client, grid):
    from linli.grid_events.services import StepInput, event_transition

    event = report(grid, Channel.RESIDENT_PHOTO, actor="resident")
    event_transition(
        actor=grid["actors"]["community_worker"],
        event=event,
        action="reject",
        data=StepInput(note=f"非本社区事项，请拨打{MOBILE}"),
    )
    (answer,) = body(get(client, f"requests/{event.number}.json"))
    assert answer["status_notes"].endswith("请拨打138****5678")


def test_the_staff_page_shows_whether_the_event_is_public_and_the_full_text(client, grid):
    event = report(grid, Channel.GRID_PATROL, description=PERSONAL)
    client.force_login(grid["users"]["community_worker"])
    page = client.get(f"/staff/grid/events/{event.number}/").content.decode()
    state = page.split('id="public-state"', 1)[1].split("</div>", 1)[0]
    assert "不公开" in state or "Not public" in state
    assert ID_NUMBER in page  # staff read what was written
    assert 'name="public" value="1"' in page


def test_hiding_on_the_staff_page_needs_the_confirmation_and_a_reason(client, grid):
    event = report(grid, Channel.RESIDENT_PHOTO, actor="resident")
    client.force_login(grid["users"]["community_worker"])
    url = f"/staff/grid/events/{event.number}/public/"
    unconfirmed = client.post(url, {"public": "0", "reason": "涉及隐私"})
    assert unconfirmed.status_code == 400
    no_reason = client.post(url, {"public": "0", "reason": "", "confirm": "on"})
    assert no_reason.status_code == 400
    event.refresh_from_db()
    assert event.is_public
    done = client.post(url, {"public": "0", "reason": "涉及隐私", "confirm": "on"})
    assert done.status_code == 302
    event.refresh_from_db()
    assert (event.is_public, event.public_reason) == (False, "涉及隐私")
    page = client.get(f"/staff/grid/events/{event.number}/").content.decode()
    assert "涉及隐私" in page and 'name="public" value="1"' in page


def test_a_grid_worker_gets_no_publication_form_and_cannot_post_one(client, grid):
    event = report(grid, Channel.GRID_PATROL)
    client.force_login(grid["users"]["grid_worker"])
    page = client.get(f"/staff/grid/events/{event.number}/").content.decode()
    assert 'name="public"' not in page
    response = client.post(f"/staff/grid/events/{event.number}/public/", {"public": "1", "confirm": "on"})
    assert response.status_code in {403, 404}
    event.refresh_from_db()
    assert not event.is_public


# ================================================================ errors name the argument


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("params", "argument"),
    [
        ({"start_date": "0001-01-01T00:00:00Z"}, "start_date"),
        ({"start_date": "0001-01-01T00:00:00+08:00"}, "start_date"),
        ({"start_date": "0001-01-01"}, "start_date"),  # a bare date, from local midnight: before year 1 in UTC
        ({"end_date": "0001-01-01"}, "end_date"),
        ({"end_date": "9999-12-31T23:59:59-12:00"}, "end_date"),
        ({"start_date": "1969-12-31T23:59:59Z"}, "start_date"),
        ({"start_date": "2026-11-01T00:00:00Z", "end_date": "0001-01-01T00:00:00Z"}, "end_date"),
    ],
)
def test_dates_no_request_can_carry_are_400_naming_the_argument(client, grid, fmt, params, argument):
    (description,) = errors(get(client, f"requests.{fmt}", **params), 400)
    assert description.startswith(f"{argument}: 「")
    assert "超出可查询的日期范围" in description and "outside the dates that can be searched" in description
    assert "General service error" not in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("url", "params", "argument"),
    [
        ("requests", {"service_code": "E01\x0002"}, "service_code"),
        ("requests", {"service_request_id": "GE\x00"}, "service_request_id"),
        ("requests", {"status": "open\x01"}, "status"),
        ("requests", {"jurisdiction_id": "\x00"}, "jurisdiction_id"),
        ("requests/GE%00.", {}, "request_id"),
        ("services/E01%00.", {}, "service_code"),
        ("tokens/%00.", {}, "token"),
    ],
)
def test_control_characters_in_any_argument_are_400_naming_it(client, grid, fmt, url, params, argument):
    path = f"{url}{fmt}" if url.endswith(".") else f"{url}.{fmt}"
    (description,) = errors(get(client, path, **params), 400)
    assert description == f"{argument}: 含有不允许的控制字符 / contains control characters that are not allowed"


def test_a_posted_text_may_not_carry_nul(client, grid, key):  # noqa: F811
    (description,) = errors(post(client, key, description="垃圾\x00满溢"), 400)
    assert description.startswith("description: 含有不允许的控制字符")
    assert not GridEvent.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_account_id_is_left_out_when_none_was_sent_and_echoed_when_sent(client, grid, key, fmt):  # noqa: F811
    without = post(client, key, fmt=fmt)
    with_id = post(client, key, fmt=fmt, account_id="acct-7")
    if fmt == "json":
        assert "account_id" not in json.loads(without.content)[0]
        assert json.loads(with_id.content)[0]["account_id"] == "acct-7"
    else:
        root = ElementTree.fromstring(without.content)  # noqa: S314 (our own server's answer)
        assert root.find("request/account_id") is None
        assert ElementTree.fromstring(with_id.content).findtext("request/account_id") == "acct-7"  # noqa: S314


def test_options_names_the_methods(client, grid):
    response = client.options("/open311/v2/requests.json")
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert client.options("/open311/v2/services.xml")["Allow"] == "GET, HEAD, OPTIONS"


# ================================================================ CORS


ORIGIN = "https://map.example.cn"


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.CORS_ALLOW_ALL_ORIGINS = False
    return settings


def test_public_reads_answer_the_allowed_origin_without_credentials(client, grid, cors):
    response = client.get("/open311/v2/requests.json", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()
    other = client.get("/open311/v2/requests.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other


def test_the_preflight_of_a_read_is_answered_and_of_a_post_is_not(client, grid, cors):
    read = client.options(
        "/open311/v2/services.json", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert read.status_code == 200
    assert read["Access-Control-Allow-Origin"] == ORIGIN
    assert read["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    filing = client.options(
        "/open311/v2/requests.json", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in filing


def test_no_cors_for_a_post_the_staff_pages_or_the_api(client, grid, cors, key):  # noqa: F811
    filed = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "E0102", "lat": SHUIYUANDI[0], "long": SHUIYUANDI[1]},
        headers={"Origin": ORIGIN},
    )
    assert filed.status_code == 200 and "Access-Control-Allow-Origin" not in filed
    for path in ("/staff/grid/", "/api/v1/grid/events", "/healthz"):
        response = client.get(path, headers={"Origin": ORIGIN})
        assert "Access-Control-Allow-Origin" not in response, path
        preflight = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
        assert "Access-Control-Allow-Origin" not in preflight, path


def test_by_default_no_site_may_read_and_a_star_lets_any(client, grid, settings):
    assert settings.CORS_ALLOWED_ORIGINS == [] and not settings.CORS_ALLOW_ALL_ORIGINS
    assert "Access-Control-Allow-Origin" not in client.get("/open311/v2/services.json", headers={"Origin": ORIGIN})
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = client.get("/open311/v2/services.json", headers={"Origin": ORIGIN})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
