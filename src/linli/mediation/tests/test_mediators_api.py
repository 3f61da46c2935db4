# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""The pool, staffing, kinds and screening over JSON: scoped lists with pinned query counts,
refusals in the API's error shape, nothing changed by a refused call."""

from __future__ import annotations

import pytest

from linli.mediation.models import DisputeScreening, Mediator
from linli.mediation.tests.mediators_support import (  # noqa: F401 (fixtures)
    JIXIAN,
    SHUIYUANDI,
    STREET,
    clock,
    dispute,
    judicial,
    mediator,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def pool(tree, actors, judicial, clock):
    officer = actors["street_officer"]
    return {
        "wang": mediator(officer, "committee", SHUIYUANDI, "王调解"),
        "li": mediator(officer, "full_time", STREET, "李专职"),
        "jixian": mediator(judicial, "committee", JIXIAN, "集贤调解"),
    }


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("resident", []),
        ("other_community_worker", []),
        ("community_worker", ["王调解"]),
        ("street_officer", ["李专职", "王调解"]),
        ("judicial_officer", ["李专职", "王调解", "集贤调解"]),
    ],
)
def test_the_pool_is_scoped(client, pool, who, names):
    log_in(client, who)
    answer = client.get("/api/v1/mediation/mediators")
    assert answer.status_code == 200
    assert sorted(m["name"] for m in answer.json()["items"]) == names
    for item in answer.json()["items"]:
        assert item["phone"] == "138****5678"


def test_the_pool_query_count_is_pinned(client, pool, actors, django_assert_num_queries):
    log_in(client, "street_officer")
    client.get("/api/v1/mediation/mediators")
    with django_assert_num_queries(7):
        assert client.get("/api/v1/mediation/mediators").status_code == 200
    mediator(actors["street_officer"], "committee", SHUIYUANDI, "孙调解")
    with django_assert_num_queries(7):
        assert len(client.get("/api/v1/mediation/mediators").json()["items"]) == 3


def test_anonymous_gets_no_pool(client, pool):
    assert client.get("/api/v1/mediation/mediators").status_code == 401


def test_adding_and_ending_through_the_api(client, pool):
    log_in(client, "street_officer")
    bad = client.post(
        "/api/v1/mediation/mediators", {"kind": "expert", "path": STREET, "name": "周"}, content_type=JSON
    )
    assert bad.status_code == 422 and [f["field"] for f in bad.json()["error"]["fields"]] == ["kind"]
    assert Mediator.objects.count() == 3
    added = client.post(
        "/api/v1/mediation/mediators",
        {"kind": "committee", "path": SHUIYUANDI, "name": "钱调解", "username": "qian", "new_account": True},
        content_type=JSON,
    )
    assert added.status_code == 201 and len(added.json()["password"]) >= 12
    wang = pool["wang"]
    dispute(SHUIYUANDI, "mediating", mediator=wang)
    url = f"/api/v1/mediation/mediators/{wang.public_id}/end"
    refused = client.post(url, {"reason": "调离"}, content_type=JSON)
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "successor"
    ended = client.post(url, {"reason": "调离", "successor": str(pool["li"].public_id)}, content_type=JSON)
    assert ended.status_code == 200 and ended.json() == {"moved": 1}


def test_another_area_cannot_end(client, pool):
    log_in(client, "street_officer")
    url = f"/api/v1/mediation/mediators/{pool['jixian'].public_id}/end"
    assert client.post(url, {"reason": "x"}, content_type=JSON).status_code == 404
    pool["jixian"].refresh_from_db()
    assert pool["jixian"].until is None


def test_staffing_and_kinds(client, pool):
    log_in(client, "street_officer")
    staffing = client.get("/api/v1/mediation/staffing").json()
    assert [(s["name"], s["mark"]) for s in staffing["streets"]] == [("浑河湾街道", "amber")]
    assert [(c["name"], c["mark"]) for c in staffing["communities"]] == [("水源地社区", "green"), ("浑河湾社区", "red")]
    assert client.get("/api/v1/mediation/staffing?path=210102002").status_code == 404
    kinds = client.get("/api/v1/mediation/kinds").json()
    assert kinds[0]["code"] == "neighbour" and len(kinds) == 14
    refused = client.post(
        "/api/v1/mediation/kinds",
        {"code": "pets", "name_zh": "宠物", "name_en": "Pets", "level": "community"},
        content_type=JSON,
    )
    assert refused.status_code == 404
    log_in(client, "judicial_officer")
    made = client.post(
        "/api/v1/mediation/kinds",
        {"code": "pets", "name_zh": "宠物", "name_en": "Pets", "level": "community"},
        content_type=JSON,
    )
    assert made.status_code == 201
    off = client.post("/api/v1/mediation/kinds/pets/active", {"active": False, "reason": "并入"}, content_type=JSON)
    assert off.status_code == 200 and off.json()["active"] is False


def test_screening_file_list_and_summary(client, people, clock, django_assert_num_queries):
    log_in(client, "community_worker")
    data = {"path": SHUIYUANDI, "month": "2026-11-01", "found": 3, "in_mediation": 1, "resolved": 1}
    data |= {"escalated_risks": 0, "risks": [{"level": "low", "description": "噪音"}]}
    future = client.post("/api/v1/mediation/screenings", data | {"month": "2027-02-01"}, content_type=JSON)
    assert future.status_code == 422 and DisputeScreening.objects.count() == 0
    filed = client.post("/api/v1/mediation/screenings", data, content_type=JSON)
    assert filed.status_code == 201 and filed.json()["risks"] == [
        {"level": "low", "description": "噪音", "measure": ""}
    ]
    again = client.post("/api/v1/mediation/screenings", data, content_type=JSON)
    assert again.status_code == 409 and DisputeScreening.objects.count() == 1
    corrected = client.post(
        f"/api/v1/mediation/screenings/{filed.json()['id']}/correction",
        {"found": 4, "in_mediation": 1, "resolved": 2, "escalated_risks": 0, "reason": "补报"},
        content_type=JSON,
    )
    assert corrected.status_code == 200 and corrected.json()["found"] == 4
    suggestion = client.get(f"/api/v1/mediation/screenings/suggestion?path={SHUIYUANDI}&month=2026-11-01")
    assert suggestion.json() == {"found": 0, "in_mediation": 0, "resolved": 0, "escalated_risks": 0}
    other = client.get("/api/v1/mediation/screenings/suggestion?path=210102001003&month=2026-11-01")
    assert other.status_code == 404
    log_in(client, "district_admin")
    client.get("/api/v1/mediation/screenings/summary?month=2026-11-01")
    with django_assert_num_queries(8):
        summary = client.get("/api/v1/mediation/screenings/summary?month=2026-11-01").json()
    assert [(c["name"], c["status"], c["found"]) for c in summary["communities"]] == [
        ("水源地社区", "filed", 4),
        ("浑河湾社区", "overdue", None),
        ("集贤社区", "overdue", None),
    ]
    assert summary["totals"]["found"] == 4 and summary["overdue"] == 2 and len(summary["trend"]) == 12
    listed = client.get("/api/v1/mediation/screenings").json()
    assert [s["path"] for s in listed["items"]] == [SHUIYUANDI]
    log_in(client, "other_district_admin")
    assert client.get("/api/v1/mediation/screenings").json()["items"] == []
