"""Open311 GeoReport v2 conformance, written from the specification (docs/open311.md and
/work/shared/docs/open311.md): every endpoint in both formats, the required fields and their types
(codes and ids are strings), each filter, each error with the status the spec gives, and the
mapping of a request to a grid event and back."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from io import StringIO
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from linli.accounts.domain import GRID_CATEGORY_EDIT
from linli.areas.models import Building
from linli.core.actor import Actor
from linli.core.crypto import unseal
from linli.grid_events import open311
from linli.grid_events.models import EventCategory, EventStep, GridEvent, Open311Key
from linli.grid_events.selectors import categories_by_code, category_list
from linli.grid_events.services import StepInput, event_transition, open311_key_create
from linli.grid_events.tests.conftest import SHUIYUANDI, photo

BASE = "/open311/v2"
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
EMAIL, PHONE = "zhang.san@example.cn", "13812345678"
MEDIA = "https://img.example.cn/p/42.jpg"


@pytest.fixture
def key(grid):
    return open311_key_create(
        actor=Actor.system("tests", permissions=frozenset({GRID_CATEGORY_EDIT})), name="市民通小程序"
    )


def get(client, url, **params):
    return client.get(f"{BASE}/{url}", params)


def body(response):
    if response["Content-Type"] == JSON_TYPE:
        return json.loads(response.content)
    assert response["Content-Type"] == XML_TYPE
    assert response.content.startswith(XML_DECLARATION)
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own server's answer)


def post(client, key, fmt="json", **fields):
    form = {"api_key": key, "service_code": "E0102", "lat": SHUIYUANDI[0], "long": SHUIYUANDI[1]} | fields
    form = {k: v for k, v in form.items() if v is not None}
    return client.post(
        f"{BASE}/requests.{fmt}", urlencode(form, doseq=True), content_type="application/x-www-form-urlencoded"
    )


def created(client, key, **fields) -> GridEvent:
    response = post(client, key, **fields)
    assert response.status_code == 200, response.content
    return GridEvent.objects.get(number=body(response)[0]["service_request_id"])


def errors(response, status: int) -> list[str]:
    """The spec's error answer: the HTTP status, and a list of {code, description}."""
    assert response.status_code == status
    answer = body(response)
    if isinstance(answer, list):
        assert all(set(e) == {"code", "description"} and e["code"] == str(status) for e in answer)
        return [e["description"] for e in answer]
    assert answer.tag == "errors"
    assert all([c.tag for c in e] == ["code", "description"] and e.findtext("code") == str(status) for e in answer)
    return [e.findtext("description") for e in answer]


def close(grid, event, action="verify_pass", **data) -> GridEvent:
    """register → self-handle → report handled → verify (the community handles it itself)."""
    a = grid["actors"]
    for step, actor, extra in (
        ("register", "community_worker", {}),
        ("self_handle", "community_worker", {}),
        ("report_handled", "community_worker", {"note": "已清运"}),
        (action, "grid_worker", {"note": "现场已整洁", "photos": [photo()]} | data),
    ):
        event = event_transition(actor=a[actor], event=event, action=step, data=StepInput(**extra))
    return event


# ================================================================ discovery


def test_discovery_in_both_formats_has_every_required_field(client, grid):
    answer = body(get(client, "discovery.json"))
    assert set(answer) == {"changeset", "contact", "key_service", "endpoints"}
    assert answer["changeset"] == open311.CHANGESET
    assert answer["contact"] == "本市网格化服务管理中心"
    assert "linli open311-key" in answer["key_service"]
    assert answer["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2",
            "changeset": open311.CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]

    root = body(get(client, "discovery.xml"))
    assert root.tag == "discovery"
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert [c.tag for c in endpoint] == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_discovery_names_the_operators_contact_when_configured(client, grid, settings):
    settings.LINLI_OPEN311_CONTACT = "024-12345 网格中心"
    assert body(get(client, "discovery.json"))["contact"] == "024-12345 网格中心"


# ================================================================ services


def test_service_list_is_the_active_categories_with_string_codes(client, grid):
    EventCategory.objects.filter(code="E0103").update(is_active=False)
    categories_by_code.forget()
    answer = body(get(client, "services.json"))
    assert [s["service_code"] for s in answer] == [c.code for c in category_list()]
    assert "E0103" not in {s["service_code"] for s in answer}
    assert len(answer) == EventCategory.objects.filter(is_active=True).count() > 100
    assert all(list(s) == SERVICE_FIELDS for s in answer)
    assert all(isinstance(s["service_code"], str) and s["metadata"] is False for s in answer)
    e0102 = next(s for s in answer if s["service_code"] == "E0102")
    category = EventCategory.objects.get(code="E0102")
    assert e0102 == {
        "service_code": "E0102",
        "service_name": category.name,
        "description": f"{category.major_name} / {category.name}",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.major_name,
    }

    root = body(get(client, "services.xml"))
    assert root.tag == "services" and len(root) == len(answer)
    first = root[0]
    assert first.tag == "service" and [c.tag for c in first] == SERVICE_FIELDS
    assert (first.findtext("service_code"), first.findtext("metadata"), first.findtext("type")) == (
        answer[0]["service_code"],
        "false",
        "realtime",
    )


def test_service_definition_of_a_service_without_attributes(client, grid):
    assert body(get(client, "services/E0102.json")) == {"service_code": "E0102", "attributes": []}
    assert body(get(client, "services/e0102.json"))["service_code"] == "E0102"  # codes are case-insensitive
    root = body(get(client, "services/E0102.xml"))
    assert root.tag == "service_definition"
    assert [(c.tag, c.text, len(c)) for c in root] == [("service_code", "E0102", 0), ("attributes", None, 0)]


def test_unknown_service_code_is_404_in_the_requested_format(client, grid):
    assert errors(get(client, "services/Z9999.json"), 404) == [
        "service_code: 没有服务「Z9999」 / service_code 'Z9999' was not found"
    ]
    assert errors(get(client, "services/Z9999.xml"), 404) == [
        "service_code: 没有服务「Z9999」 / service_code 'Z9999' was not found"
    ]
    assert errors(get(client, "services/.json"), 400) == [
        "service_code: 请提供 service_code / service_code was not provided"
    ]


def test_unknown_formats_and_resources_are_404_not_500(client, grid):
    assert errors(get(client, "services.csv"), 404) == [
        "format: 没有「csv」格式，可用 xml 或 json / No 'csv' format: use xml or json"
    ]
    assert errors(get(client, "requests/GE1.html"), 404)[0].startswith("format:")
    assert errors(get(client, "nothing.json"), 404) == ["没有这个资源 / No such resource"]
    assert errors(get(client, "services"), 404) == ["没有这个资源 / No such resource"]  # XML: the required format


# ================================================================ POST a request


def test_post_becomes_a_reported_grid_event_on_the_open311_channel(client, grid, key):
    response = post(
        client,
        key,
        description="3号楼东侧垃圾箱满溢",
        address_string="和平区浑河湾街道水源地社区3号楼",
        email=EMAIL,
        phone=PHONE,
        first_name="三",
        last_name="张",
        device_id="dev-1",
        account_id="acct-7",
        media_url=MEDIA,
        jurisdiction_id="shenyang.gov.cn",  # one jurisdiction: accepted and ignored
        **{"attribute[WHERE]": "路边", "attribute[WHAT][]": ["纸箱", "塑料"]},
    )
    assert response.status_code == 200 and response["Content-Type"] == JSON_TYPE
    answer = body(response)
    event = GridEvent.objects.get()
    assert answer == [
        {
            "service_request_id": event.number,
            "token": str(event.open311_token),
            "service_notice": "社区将于 2026-11-24 09:30 前受理",
            "account_id": "acct-7",
        }
    ]
    assert event.number.startswith("GE210102-20261124-")
    assert (event.channel, event.state, event.category.code) == ("open311", "reported", "E0102")
    assert (event.description, event.address) == ("3号楼东侧垃圾箱满溢", "和平区浑河湾街道水源地社区3号楼")
    assert (event.lat, event.lng, event.community_path) == (SHUIYUANDI[0], SHUIYUANDI[1], "210102001002")
    assert event.reporter_name == "张三" and event.reporter_id is None
    assert EMAIL not in event.reporter_contact_sealed and PHONE not in event.reporter_contact_sealed
    assert json.loads(unseal(event.reporter_contact_sealed, context="grid.contact")) == {
        "email": EMAIL,
        "phone": PHONE,
        "first_name": "三",
        "last_name": "张",
        "device_id": "dev-1",
        "account_id": "acct-7",
        "media_url": MEDIA,
        "attributes": {"WHERE": "路边", "WHAT": ["纸箱", "塑料"]},
    }
    step = EventStep.objects.get(event=event)
    assert (step.action, step.actor_name, step.to_holder) == (
        "report",
        "system:open311:市民通小程序",
        "unit:210102001002",
    )


def test_post_in_xml_with_the_fewest_arguments(client, grid, key):
    """Only api_key, service_code and a location: the description is optional in Open311, so the
    service's name describes the problem."""
    response = post(client, key, fmt="xml")
    root = body(response)
    event = GridEvent.objects.get()
    assert root.tag == "service_requests"
    assert [(c.tag, c.text) for c in root.find("request")] == [
        ("service_request_id", event.number),
        ("token", str(event.open311_token)),
        ("service_notice", "社区将于 2026-11-24 09:30 前受理"),
    ]  # no account_id: absent when the client sent none, never an empty element
    assert event.description == EventCategory.objects.get(code="E0102").name
    assert event.reporter_name == "system:open311:市民通小程序" and event.reporter_contact_sealed == ""


def test_post_ignores_csrf_and_proposes_no_duplicates(grid, key):
    """An API call with an api_key: no CSRF token, and a second report of the same spot is filed
    (the community merges duplicates when it registers)."""
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, key).status_code == 200
    assert post(strict, key).status_code == 200
    assert GridEvent.objects.filter(channel="open311").count() == 2


def test_post_with_a_building_as_address_id(client, grid, key):
    building = Building.objects.get(path="210102001002001001")
    event = created(client, key, lat=None, long=None, address_id=str(building.public_id))
    assert (event.building_id, event.lat, event.lng) == (building.pk, building.lat, building.lng)
    answer = body(get(client, f"requests/{event.number}.json"))[0]
    assert (answer["address_id"], answer["address"]) == (str(building.public_id), building.name)
    # with lat/long as well: the point is the client's, the building places it in its grid
    other = Building.objects.get(path="210102001002002001")
    event = created(client, key, address_id=str(other.public_id))
    assert (event.building_id, event.lat, event.path) == (other.pk, SHUIYUANDI[0], "210102001002002")


@pytest.mark.parametrize(
    ("fields", "status", "described"),
    [
        ({"api_key": None}, 403, ["api_key: 缺少或无效的 api_key / Missing or invalid api_key"]),
        ({"api_key": "not-a-key"}, 403, ["api_key: 缺少或无效的 api_key / Missing or invalid api_key"]),
        ({"service_code": None}, 400, ["service_code: 请提供 service_code / service_code was not provided"]),
        ({"service_code": "Z9999"}, 404, ["service_code: 没有服务「Z9999」 / service_code 'Z9999' was not found"]),
        (
            {"lat": None, "long": None},
            400,
            ["lat: 请提供位置：lat 与 long、address_string 或 address_id / "
             "A location is required: lat & long, address_string or address_id"],
        ),
        ({"long": None}, 400, ["long: lat 与 long 须同时提供 / lat and long must both be sent"]),
        ({"lat": None}, 400, ["lat: lat 与 long 须同时提供 / lat and long must both be sent"]),
        (
            {"lat": "41,75", "long": "nan"},
            400,
            ["lat: 「41,75」不是数字 / '41,75' is not a number", "long: 「nan」不是数字 / 'nan' is not a number"],
        ),
        ({"lat": "inf"}, 400, ["lat: 「inf」不是数字 / 'inf' is not a number"]),
        ({"lat": "39.9042", "long": "116.4074"}, 400, ["lat: 位置不在本市范围内 / The location is outside the city"]),
        ({"lat": "95", "long": "123.4"}, 400, ["lat: 位置不在本市范围内 / The location is outside the city"]),
        (
            {"lat": None, "long": None, "address_string": "水源地社区3号楼"},
            400,
            ["address_string: 暂不能仅凭地址文字定位，请同时提供 lat/long 或 address_id / "
             "An address_string alone cannot be placed on the map yet: send lat/long or address_id too"],
        ),
        ({"lat": None, "long": None, "address_id": "no-such"}, 400, ["address_id: 找不到该楼院 / Unknown building"]),
        (
            {"lat": None, "long": None, "address_id": "018f0000-0000-7000-8000-000000000000"},
            400,
            ["address_id: 找不到该楼院 / Unknown building"],
        ),
        ({"description": "x" * 4001}, 400, ["description: 描述不能超过 4000 字 / At most 4,000 characters"]),
    ],
)  # fmt: skip
def test_post_refusals_follow_the_spec_and_create_nothing(client, grid, key, fields, status, described):
    response = post(client, key, **fields)
    assert errors(response, status) == described
    assert not GridEvent.objects.exists()


def test_post_refusals_in_xml(client, grid, key):
    response = post(client, key, fmt="xml", api_key="wrong")
    assert errors(response, 403) == ["api_key: 缺少或无效的 api_key / Missing or invalid api_key"]
    root = body(response)
    assert [[c.tag for c in e] for e in root] == [["code", "description"]]


def test_a_revoked_key_is_refused(client, grid, key):
    Open311Key.objects.update(is_active=False)
    assert errors(post(client, key), 403) == ["api_key: 缺少或无效的 api_key / Missing or invalid api_key"]


def test_post_must_be_a_form_of_reasonable_size(client, grid, key):
    as_json = client.post(f"{BASE}/requests.json", {"api_key": key}, content_type="application/json")
    assert errors(as_json, 400) == [
        "请以 application/x-www-form-urlencoded 表单提交 / Send the request as application/x-www-form-urlencoded"
    ]
    huge = post(client, key, description="长" * 30_000)
    assert errors(huge, 400) == ["请求体过大（上限 64 KB） / The request body is too large (64 KB at most)"]
    assert errors(client.put(f"{BASE}/requests.json"), 400) == ["不支持 PUT 请求 / PUT is not allowed here"]
    assert errors(client.post(f"{BASE}/services.json"), 400) == ["不支持 POST 请求 / POST is not allowed here"]
    assert not GridEvent.objects.exists()


def test_an_unexpected_failure_is_the_specs_general_error_not_a_500(client, grid, monkeypatch):
    def broken():
        raise RuntimeError("database gone")

    monkeypatch.setattr(open311, "category_list", broken)
    assert errors(get(client, "services.json"), 400) == [
        "服务暂时出错，已记录，请稍后再试 / General service error; it has been logged"
    ]


def test_too_many_query_parameters_is_400(client, grid):
    query = "&".join(f"p{i}=1" for i in range(1200))
    assert errors(client.get(f"{BASE}/requests.xml?{query}"), 400) == ["查询参数过多 / Too many query parameters"]


# ================================================================ GET requests


def test_a_request_lists_every_spec_field_and_never_the_reporters_contact(client, grid, key):
    event = created(client, key, description="垃圾箱满溢", email=EMAIL, phone=PHONE, media_url=MEDIA)
    for url in ("requests.json", f"requests/{event.number}.json", "requests.xml", f"requests/{event.number}.xml"):
        response = get(client, url)
        for secret in (EMAIL, PHONE, MEDIA, "张"):
            assert secret.encode() not in response.content
    answer = body(get(client, f"requests/{event.number}.json"))
    assert answer == [
        {
            "service_request_id": event.number,
            "status": "open",
            "status_notes": "已上报，等待社区立案",
            "service_name": event.category.name,
            "service_code": "E0102",
            "description": "垃圾箱满溢",
            "agency_responsible": "水源地社区",
            "service_notice": "社区将于 2026-11-24 09:30 前受理",
            "requested_datetime": "2026-11-24T09:00:00+08:00",
            "updated_datetime": "2026-11-24T09:00:00+08:00",
            "expected_datetime": None,
            "address": None,
            "address_id": None,
            "zipcode": None,
            "lat": SHUIYUANDI[0],
            "long": SHUIYUANDI[1],
            "media_url": None,
        }
    ]
    assert list(answer[0]) == REQUEST_FIELDS
    root = body(get(client, f"requests/{event.number}.xml"))
    assert root.tag == "service_requests" and [r.tag for r in root] == ["request"]
    assert [c.tag for c in root[0]] == REQUEST_FIELDS
    assert root[0].findtext("lat") == str(SHUIYUANDI[0]) and root[0].findtext("media_url") == ""
    assert body(get(client, "requests.json")) == answer


def test_unknown_request_and_token_are_404(client, grid, key):
    assert errors(get(client, "requests/GE210102-20261124-99999.json"), 404) == [
        "service_request_id: 没有服务请求「GE210102-20261124-99999」 / "
        "service_request_id 'GE210102-20261124-99999' was not found"
    ]
    missing = str(uuid.uuid4())
    assert errors(get(client, f"tokens/{missing}.xml"), 404) == [
        f"token: 没有 token「{missing}」 / token '{missing}' was not found"
    ]
    assert errors(get(client, "tokens/not-a-uuid.json"), 404) == [
        "token: 没有 token「not-a-uuid」 / token 'not-a-uuid' was not found"
    ]


def test_a_token_resolves_to_the_service_request_id(client, grid, key):
    posted = body(post(client, key))[0]
    assert body(get(client, f"tokens/{posted['token']}.json")) == [
        {"service_request_id": posted["service_request_id"], "token": posted["token"]}
    ]
    root = body(get(client, f"tokens/{posted['token']}.xml"))
    assert [(c.tag, c.text) for c in root.find("request")] == [
        ("service_request_id", posted["service_request_id"]),
        ("token", posted["token"]),
    ]


def test_a_closed_event_is_a_closed_request(client, grid, key):
    event = created(client, key)
    event = close(grid, event)
    answer = body(get(client, f"requests/{event.number}.json"))[0]
    assert (answer["status"], answer["status_notes"], answer["service_notice"]) == ("closed", "已核查结案", None)
    assert answer["updated_datetime"] == timezone.localtime(event.closed_at).isoformat(timespec="seconds")
    assert answer["expected_datetime"] == timezone.localtime(event.handle_due_at).isoformat(timespec="seconds")
    assert answer["agency_responsible"] == "水源地社区"
    assert answer["media_url"] is None  # the verification photo is never published
    assert body(get(client, "requests.json", status="closed"))[0]["service_request_id"] == event.number
    assert body(get(client, "requests.json", status="open")) == []


def test_status_notes_follow_the_workflow_and_give_the_reason(client, grid, key):
    a = grid["actors"]
    event = created(client, key)
    event = event_transition(actor=a["community_worker"], event=event, action="register")
    answer = body(get(client, f"requests/{event.number}.json"))[0]
    assert (answer["status"], answer["status_notes"]) == ("open", "已立案，等待派遣或社区自办")
    event = event_transition(actor=a["community_worker"], event=event, action="dispatch")
    answer = body(get(client, f"requests/{event.number}.json"))[0]
    assert (answer["status"], answer["agency_responsible"]) == ("open", "和平区城市管理局")
    assert answer["service_notice"] == f"要求于 {timezone.localtime(event.handle_due_at):%Y-%m-%d %H:%M} 前处置完毕"

    rejected = created(client, key)
    event_transition(
        actor=a["community_worker"], event=rejected, action="reject", data=StepInput(note="不属于公共区域")
    )
    answer = body(get(client, f"requests/{rejected.number}.json"))[0]
    assert (answer["status"], answer["status_notes"]) == ("closed", "不予立案：不属于公共区域")

    merged = created(client, key)
    event_transition(
        actor=a["community_worker"], event=merged, action="merge", data=StepInput(duplicate_of=event.number)
    )
    answer = body(get(client, f"requests/{merged.number}.json"))[0]
    assert (answer["status"], answer["status_notes"]) == ("closed", f"与 {event.number} 为同一问题，已合并")

    english = client.get(f"{BASE}/requests/{rejected.number}.json", HTTP_ACCEPT_LANGUAGE="en")
    assert body(english)[0]["status_notes"] == "Not registered: 不属于公共区域"


# ================================================================ GET requests: filters


@pytest.fixture
def three(client, grid, key, clock):
    """E0102 90 days and a minute ago, E0102 ten days ago (closed), E0103 now."""
    clock.shift(-timedelta(days=90, minutes=1))
    old = created(client, key)
    clock.shift(timedelta(days=80, minutes=1))
    closed = close(grid, created(client, key))
    clock.shift(timedelta(days=10))
    new = created(client, key, service_code="E0103")
    return old, closed, new


def numbers(response) -> list[str]:
    answer = body(response)
    if isinstance(answer, list):
        return [r["service_request_id"] for r in answer]
    return [r.findtext("service_request_id") for r in answer]


def test_default_window_is_the_last_90_days_newest_first(client, three):
    _old, closed, new = three
    assert numbers(get(client, "requests.json")) == [new.number, closed.number]
    assert numbers(get(client, "requests.xml")) == [new.number, closed.number]
    # empty optional arguments behave like absent ones
    assert numbers(get(client, "requests.json", status="", service_code="", start_date="", end_date="")) == [
        new.number,
        closed.number,
    ]


def test_service_request_ids_override_every_other_argument(client, three):
    old, _closed, new = three
    response = get(
        client, "requests.json", service_request_id=f"{old.number}, {new.number.lower()},GE0", status="closed"
    )
    assert numbers(response) == [new.number, old.number]


def test_filter_by_service_code_and_status(client, three):
    _old, closed, new = three
    assert numbers(get(client, "requests.json", service_code="E0103")) == [new.number]
    assert numbers(get(client, "requests.json", service_code="e0102,E0103")) == [new.number, closed.number]
    assert numbers(get(client, "requests.json", service_code="Z9999")) == []
    assert numbers(get(client, "requests.json", status="open")) == [new.number]
    assert numbers(get(client, "requests.json", status="closed")) == [closed.number]
    assert numbers(get(client, "requests.json", status="open,closed")) == [new.number, closed.number]


def test_filter_by_dates(client, three):
    old, closed, new = three
    day_of_old = timezone.localtime(old.reported_at).date().isoformat()
    assert numbers(get(client, "requests.json", start_date=f"{day_of_old}T00:00:00+08:00")) == [
        closed.number,
        old.number,
    ]  # start only: 90 days from it
    assert numbers(get(client, "requests.json", end_date="2026-11-20T00:00:00Z")) == [closed.number, old.number]
    assert numbers(
        get(client, "requests.json", start_date="2026-11-24T00:00:00Z", end_date="2026-11-24T02:00:00Z")
    ) == [new.number]  # 09:00 in Shanghai is 01:00Z
    assert numbers(get(client, "requests.json", start_date="2026-11-24", end_date="2026-11-25")) == [new.number]
    # "+08:00" sent without percent-encoding arrives as " 08:00"
    response = client.get(
        f"{BASE}/requests.json?start_date=2026-11-24T08:00:00+08:00&end_date=2026-11-24T10:00:00+08:00"
    )
    assert numbers(response) == [new.number]


@pytest.mark.parametrize(
    ("params", "described"),
    [
        ({"start_date": "yesterday"}, "start_date: 「yesterday」不是带时区的 W3C 日期时间"),
        ({"end_date": "2026-13-01T00:00:00Z"}, "end_date: 「2026-13-01T00:00:00Z」不是带时区的 W3C 日期时间"),
        ({"start_date": "2026-11-01T00:00:00"}, "start_date: 「2026-11-01T00:00:00」不是带时区的 W3C 日期时间"),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
            "end_date: 查询范围不能超过 90 天 / The date range may not span more than 90 days",
        ),
        (
            {"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
            "end_date: end_date 早于 start_date / end_date is before start_date",
        ),
        ({"start_date": "9999-12-31T00:00:00Z"}, "start_date: 「9999-12-31T00:00:00Z」超出可查询的日期范围"),
        ({"end_date": "0001-01-01T00:00:00Z"}, "end_date: 「0001-01-01T00:00:00Z」超出可查询的日期范围"),
        ({"status": "pending"}, "status: status 应为 open 或 closed / status must be open or closed"),
    ],
)
def test_bad_filters_are_400_naming_the_argument(client, grid, params, described):
    for fmt in ("json", "xml"):
        (description,) = errors(get(client, f"requests.{fmt}", **params), 400)
        assert description.startswith(described)


def test_at_most_the_limit_newest_first(client, grid, key, clock, monkeypatch):
    monkeypatch.setattr(open311, "LIMIT", 2)
    made = []
    for _ in range(3):
        made.append(created(client, key).number)
        clock.shift(timedelta(minutes=1))
    assert numbers(get(client, "requests.json")) == [made[2], made[1]]
    # of more ids than the limit, the first ones asked for are answered (newest first)
    assert numbers(get(client, "requests.json", service_request_id=",".join(made))) == [made[1], made[0]]


def test_the_list_costs_the_same_queries_for_any_number_of_requests(client, grid, key, django_assert_num_queries):
    a = grid["actors"]
    for _ in range(3):
        event = created(client, key)
    event_transition(actor=a["community_worker"], event=event, action="register")
    event_transition(actor=a["community_worker"], event=event, action="dispatch")
    # the city, the requests (with category, holder, building), the holding units' names
    with django_assert_num_queries(2):
        assert len(body(get(client, "requests.json"))) == 3


def test_xml_stays_well_formed_whatever_the_text(client, grid, key):
    event = created(client, key, description='<b>&amp;</b> \x01\x0b控制字符 "引号" ]]>')
    root = body(get(client, f"requests/{event.number}.xml"))
    assert root[0].findtext("description") == '<b>&amp;</b> 控制字符 "引号" ]]>'
    assert body(get(client, f"requests/{event.number}.json"))[0]["description"] == event.description


# ================================================================ the key command


def test_the_key_command_prints_a_working_key_once(client, grid):
    out = StringIO()
    call_command("open311_key", "  区城管 App ", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "「区城管 App」的 api_key（只显示这一次 / shown once, store it now）:"
    assert Open311Key.objects.get().name == "区城管 App"
    assert lines[1] not in Open311Key.objects.get().key_hash
    event = created(client, lines[1])
    assert EventStep.objects.get(event=event).actor_name == "system:open311:区城管 App"
    with pytest.raises(CommandError, match="请填写客户端名称"):
        call_command("open311_key", " ")


def test_the_key_command_revokes_a_clients_keys(client, grid):
    out = StringIO()
    call_command("open311_key", "旧客户端", stdout=out)
    key = out.getvalue().splitlines()[1]
    call_command("open311_key", "--revoke", "旧客户端", stdout=StringIO())
    answer = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "E0102", "lat": SHUIYUANDI[0], "long": SHUIYUANDI[1], "description": "x"},
    )
    assert answer.status_code == 403 and answer.json()[0]["code"] == "403"
    assert not GridEvent.objects.exists()
    with pytest.raises(CommandError, match="没有该客户端的有效密钥"):
        call_command("open311_key", "--revoke", "旧客户端")
