"""The JSON API under /api/v1/partners/: create with an Idempotency-Key, refusals in the domain
error shape naming the field, scope (404 outside), pinned query counts on lists."""

import pytest

from linli.partners.models import SocialOrg, SocialWorkStation
from linli.testing import log_in

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partners"
BODY = {
    "name": "浑河湾公益服务中心",
    "kind": "charity",
    "status": "registered",
    "credit_code": "91350100M000100Y43",
    "unit": "210102001003",
    "responsible_name": "李强",
    "responsible_phone": "13812345678",
}


@pytest.fixture
def api(client, people):
    def login(name):
        log_in(client, name)
        return client

    return login


def test_create_is_idempotent_and_masks_the_phone(api):
    client = api("civil_affairs_officer")
    first = client.post(f"{BASE}/orgs", BODY, content_type="application/json", headers={"Idempotency-Key": "o-1"})
    assert first.status_code == 201, first.content
    again = client.post(f"{BASE}/orgs", BODY, content_type="application/json", headers={"Idempotency-Key": "o-1"})
    assert again.json()["id"] == first.json()["id"]
    assert SocialOrg.objects.count() == 1
    body = first.json()
    assert body["responsible_phone_masked"] == "138****5678" and "13812345678" not in first.content.decode()
    updated = client.put(f"{BASE}/orgs/{body['id']}", BODY | {"name": "改名"}, content_type="application/json")
    assert (updated.status_code, updated.json()["name"]) == (200, "改名")
    assert client.get(f"{BASE}/orgs/{body['id']}").json()["name"] == "改名"


def test_refusal_names_the_field(api):
    answer = api("civil_affairs_officer").post(
        f"{BASE}/orgs", BODY | {"credit_code": "91350100M000100Y44"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert [f["field"] for f in answer.json()["error"]["fields"]] == ["credit_code"]
    assert not SocialOrg.objects.exists()


def test_evaluation_via_api(api, orgs):
    client = api("civil_affairs_officer")
    sheet = client.get(f"{BASE}/sheet").json()
    assert [c["key"] for c in sheet["criteria"]] == ["basics", "governance", "performance", "reputation"]
    url = f"{BASE}/orgs/{orgs['own'].public_id}/evaluations"
    scores = {"basics": 20, "governance": 25, "performance": 35, "reputation": 26}
    out = client.post(url, {"year": 2025, "scores": scores}, content_type="application/json")
    assert out.status_code == 422
    assert [f["field"] for f in out.json()["error"]["fields"]] == ["score_reputation"]
    made = client.post(url, {"year": 2025, "scores": scores | {"reputation": 20}}, content_type="application/json")
    assert (made.status_code, made.json()["grade"], made.json()["total"]) == (201, "5A", "100.0")
    listed = client.get(f"{BASE}/evaluations?year=2025").json()
    assert listed["count"] == 1 and listed["items"][0]["org_name"] == "水源地互助会"
    assert client.post(url, {"year": 2025, "scores": scores}, content_type="application/json").status_code in (409, 422)


def test_scope_and_roles(api, orgs):
    client = api("organiser")
    listed = client.get(f"{BASE}/orgs").json()
    assert [o["name"] for o in listed["items"]] == ["水源地互助会"]
    assert client.get(f"{BASE}/orgs/{orgs['sibling'].public_id}").status_code == 404
    assert client.post(f"{BASE}/orgs", BODY, content_type="application/json").status_code == 403
    assert client.get(f"{BASE}/figures").status_code == 404
    client = api("other_district_admin")
    assert client.get(f"{BASE}/orgs/{orgs['own'].public_id}").status_code == 404
    assert client.put(f"{BASE}/orgs/{orgs['own'].public_id}", BODY, content_type="application/json").status_code == 403
    assert SocialOrg.objects.get(pk=orgs["own"].pk).name == "水源地互助会"


def test_anonymous_gets_nothing(client, orgs):
    assert client.get(f"{BASE}/orgs").status_code in (401, 403)


def test_stations_workers_premises_and_figures(api, orgs):
    client = api("civil_affairs_officer")
    station = client.post(
        f"{BASE}/stations", {"street": "210102001", "name": "浑河湾街道社工站"}, content_type="application/json"
    )
    assert station.status_code == 201, station.content
    worker = client.post(
        f"{BASE}/stations/{station.json()['id']}/social-workers",
        {"name": "赵敏", "phone": "13900001111", "certificate_level": "assistant", "certificate_number": "ZS1"},
        content_type="application/json",
    )
    assert worker.status_code == 201 and worker.json()["phone_masked"] == "139****1111"
    premises = client.post(
        f"{BASE}/premises",
        {
            "offerer": "沈阳水务集团有限公司",
            "address": "十一纬路3号",
            "area_m2": "160",
            "term_from": "2026-01-01",
            "term_to": "2028-12-31",
            "unit": "210102001",
            "state_owned": True,
        },
        content_type="application/json",
    )
    assert premises.status_code == 201
    used = client.post(
        f"{BASE}/premises/{premises.json()['id']}/state",
        {"to": "in_use", "community": "210102001002", "use": "儿童之家", "opened_on": "2026-02-01"},
        content_type="application/json",
    )
    assert used.json()["status"] == "in_use"
    figures = client.get(f"{BASE}/figures").json()
    assert figures["area"] == "210102" and figures["baseline_orgs"] == 10142
    rows = {row["name"]: row for row in figures["rows"]}
    assert rows["浑河湾街道"]["orgs"] == 2 and rows["浑河湾街道"]["streets_with_station"] == 1
    assert rows["集贤街道"]["station_coverage_percent"] == "0.0"
    assert figures["total"]["station_coverage_percent"] == "50.0"
    assert figures["total"]["premises_in_use"] == 1 and figures["total"]["social_workers"] == 1


def test_list_endpoints_query_counts_are_pinned(api, orgs, django_assert_max_num_queries):
    for n in range(25):
        SocialOrg.objects.create(
            name=f"组织{n}", kind="charity", status="filed", responsible_name="王", unit_path="210102001003"
        )
        SocialWorkStation.objects.create(street_path=f"2101{n:05d}", name=f"站{n}")
    client = api("city_admin")
    client.get(f"{BASE}/orgs")
    with django_assert_max_num_queries(6):
        answer = client.get(f"{BASE}/orgs")
    assert answer.json()["count"] == 29
    with django_assert_max_num_queries(6):
        answer = client.get(f"{BASE}/stations")
    assert answer.json()["count"] == 25
