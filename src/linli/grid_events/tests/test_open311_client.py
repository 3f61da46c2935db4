"""An Open311 client flow against the running server: a small GeoReport v2 client (urllib, as a
third-party app would write it) discovers the endpoint, lists the services, posts a request with
its api_key, resolves the token to the request id and follows the request until the community
has closed it. Run in both formats: XML (the one the spec requires) and JSON."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from xml.etree import ElementTree

import pytest

from linli.accounts.domain import GRID_CATEGORY_EDIT
from linli.core.actor import Actor
from linli.grid_events.models import GridEvent
from linli.grid_events.services import StepInput, event_transition, open311_key_create
from linli.grid_events.tests.conftest import SHUIYUANDI, photo
from linli.testing import empty_append_only_tables


@pytest.fixture
def append_only_emptied(db):
    """A live-server test commits: empty the append-only tables before the flush (SQLite)."""
    yield
    empty_append_only_tables()


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[dict]):
        super().__init__(f"{status}: {errors}")
        self.status, self.errors = status, errors


@dataclass
class GeoReportClient:
    """Speaks GeoReport v2 the way the specification describes it, and nothing else."""

    discovery_url: str
    fmt: str = "xml"
    api_key: str = ""
    endpoint: str = ""

    def _parse(self, raw: bytes, content_type: str):
        if self.fmt == "json":
            assert content_type == "application/json; charset=utf-8"
            return json.loads(raw)
        assert content_type == "text/xml; charset=utf-8"
        return self._from_xml(ElementTree.fromstring(raw))  # noqa: S314 (the test server's answer)

    def _from_xml(self, element):
        """The Spark convention backwards: a list root becomes a list of dicts."""
        if element.tag in {"services", "service_requests", "errors"}:
            return [{child.tag: (child.text or None) for child in item} for item in element]
        return element

    def _call(self, url: str, data: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method="POST" if body else "GET")  # noqa: S310 (http only)
        if body:
            request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test server)
                return self._parse(response.read(), response.headers["Content-Type"])
        except urllib.error.HTTPError as error:
            raise Open311Error(error.code, self._parse(error.read(), error.headers["Content-Type"])) from None

    def discover(self) -> None:
        document = self._call(self.discovery_url)
        if self.fmt == "json":
            endpoints = document["endpoints"]
        else:
            endpoints = [
                {"specification": e.findtext("specification"), "url": e.findtext("url"), "type": e.findtext("type"),
                 "formats": [f.text for f in e.findall("formats/format")]}
                for e in document.findall("endpoints/endpoint")
            ]  # fmt: skip
        mime = "application/json" if self.fmt == "json" else "text/xml"
        chosen = next(
            e
            for e in endpoints
            if e["specification"] == "http://wiki.open311.org/GeoReport_v2" and mime in e["formats"]
        )
        self.endpoint = chosen["url"]

    def services(self) -> list[dict]:
        return self._call(f"{self.endpoint}/services.{self.fmt}")

    def post_request(self, **fields) -> dict:
        (answer,) = self._call(f"{self.endpoint}/requests.{self.fmt}", {"api_key": self.api_key, **fields})
        return answer

    def request_id_from_token(self, token: str) -> str:
        (answer,) = self._call(f"{self.endpoint}/tokens/{token}.{self.fmt}")
        assert answer["token"] == token
        return answer["service_request_id"]

    def get_request(self, request_id: str) -> dict:
        (answer,) = self._call(f"{self.endpoint}/requests/{urllib.parse.quote(request_id)}.{self.fmt}")
        return answer

    def requests(self, **filters) -> list[dict]:
        return self._call(f"{self.endpoint}/requests.{self.fmt}?{urllib.parse.urlencode(filters)}")


@pytest.mark.django_db(transaction=True)  # the server thread must see the rows
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_open311_client_follows_its_request_until_closed(
    live_server, grid, shipped_categories, append_only_emptied, fmt
):
    key = open311_key_create(
        actor=Actor.system("tests", permissions=frozenset({GRID_CATEGORY_EDIT})), name="测试客户端"
    )
    client = GeoReportClient(f"{live_server.url}/open311/v2/discovery.{fmt}", fmt=fmt, api_key=key)

    client.discover()
    assert client.endpoint == f"{live_server.url}/open311/v2"
    services = client.services()
    overflowing_bins = next(s for s in services if s["service_code"] == "E0102")
    assert (overflowing_bins["type"], str(overflowing_bins["metadata"]).lower()) == ("realtime", "false")

    with pytest.raises(Open311Error) as refused:
        GeoReportClient(client.discovery_url, fmt=fmt, api_key="wrong", endpoint=client.endpoint).post_request(
            service_code="E0102", lat=SHUIYUANDI[0], long=SHUIYUANDI[1]
        )
    assert refused.value.status == 403
    assert [str(e["code"]) for e in refused.value.errors] == ["403"]

    posted = client.post_request(
        service_code=overflowing_bins["service_code"],
        lat=SHUIYUANDI[0],
        long=SHUIYUANDI[1],
        description="垃圾箱满溢，垃圾散落一地",
        email="li.si@example.cn",
        phone="13900001111",
        first_name="四",
        last_name="李",
    )
    request_id = client.request_id_from_token(posted["token"])
    assert request_id == posted["service_request_id"]
    assert request_id.startswith("GE210102-20261124-")

    seen = client.get_request(request_id)
    assert (seen["status"], seen["service_code"], seen["description"]) == ("open", "E0102", "垃圾箱满溢，垃圾散落一地")
    assert "li.si@example.cn" not in json.dumps(seen, ensure_ascii=False, default=str)
    assert [r["service_request_id"] for r in client.requests(status="open")] == [request_id]

    # the community registers, handles and verifies it on the staff side
    event = GridEvent.objects.get(number=request_id)
    assert (event.channel, event.state) == ("open311", "reported")
    a = grid["actors"]
    for action, actor, data in (
        ("register", "community_worker", StepInput()),
        ("self_handle", "community_worker", StepInput()),
        ("report_handled", "community_worker", StepInput(note="已清运")),
        ("verify_pass", "grid_worker", StepInput(note="现场已整洁", photos=[photo()])),
    ):
        event = event_transition(actor=a[actor], event=event, action=action, data=data)

    closed = client.get_request(request_id)
    assert (closed["status"], closed["status_notes"]) == ("closed", "已核查结案")
    assert closed["media_url"] in (None, "")
    assert [r["service_request_id"] for r in client.requests(status="closed")] == [request_id]
    assert client.requests(status="open") == []
