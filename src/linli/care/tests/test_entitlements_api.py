"""Entitlements over JSON: the list in force, an elder's entitlements (scoped, one 404 for missing
and outside), an assessment created once per Idempotency-Key with every missing answer named."""

from __future__ import annotations

import pytest

from linli.care.models import CareAssessment
from linli.care.tests import entitlements_support as support
from linli.care.tests.entitlements_support import SHUIYUANDI, TODAY, answers_for, elder
from linli.testing import log_in

pytestmark = pytest.mark.django_db
API = "/api/v1/care"
clock = support.clock


def post(client, path, body, key=""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def test_the_list_in_force(client, people, clock):
    log_in(client, "resident")
    body = client.get(f"{API}/service-list").json()
    assert (body["version"], len(body["items"])) == (1, 16)
    meals = body["items"][0]
    assert (meals["code"], meals["unit_price"], meals["monthly_cap"]) == ("ZC01", "15.00", 30)
    assert meals["conditions"][0] == {
        "subsidy_share": 100,
        "min_age": 60,
        "care_kinds": ["tekun", "dibao"],
        "min_level": None,
        "disability_levels": [],
    }
    log_in(client, "grid_worker")
    assert client.get(f"{API}/service-list").status_code == 404


def test_an_elders_entitlements_by_scope(client, people, clock, django_assert_max_num_queries):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    log_in(client, "community_worker")
    with django_assert_max_num_queries(12):
        response = client.get(f"{API}/elders/{mother.public_id}/entitlements")
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()["items"]}
    assert (rows["ZY01"]["subsidy_share"], rows["ZY01"]["resident_pays"], rows["ZY01"]["remaining"]) == (50, "40.00", 4)
    assert rows["CW01"]["allowed"] is False and rows["CW01"]["reason"] == "不符合该项目的享受条件"
    for username in ("other_community_worker", "resident"):
        log_in(client, username)
        assert client.get(f"{API}/elders/{mother.public_id}/entitlements").status_code == 404
    log_in(client, "community_worker")
    assert client.get(f"{API}/elders/nobody/entitlements").status_code == 404


def test_an_assessment_is_created_once_per_key(client, people, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    log_in(client, "community_worker")
    body = {
        "person": mother.public_id,
        "answers": answers_for(50),
        "assessed_on": TODAY.isoformat(),
        "second_assessor_name": "李娟",
    }
    first = post(client, "/assessments", body, key="a-1")
    again = post(client, "/assessments", body, key="a-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert (first.json()["score"], first.json()["level"]) == (50, 2)
    assert "answers" not in first.json()
    assert CareAssessment.objects.count() == 1


def test_a_bad_assessment_names_the_fields(client, people, clock):
    mother = elder(SHUIYUANDI, "101", "王秀英", 82)
    log_in(client, "community_worker")
    answers = answers_for(50)
    del answers["stairs"]
    response = post(
        client,
        "/assessments",
        {"person": mother.public_id, "answers": answers, "assessed_on": TODAY.isoformat(), "second_assessor_name": ""},
    )
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["stairs", "second_assessor_name"]
    bad_date = post(
        client,
        "/assessments",
        {
            "person": mother.public_id,
            "answers": answers_for(50),
            "assessed_on": "07/12/2026",
            "second_assessor_name": "李娟",
        },
    )
    assert bad_date.status_code == 422
    log_in(client, "other_community_worker")
    assert (
        post(
            client,
            "/assessments",
            {
                "person": mother.public_id,
                "answers": answers_for(50),
                "assessed_on": TODAY.isoformat(),
                "second_assessor_name": "李娟",
            },
        ).status_code
        == 404
    )
    assert CareAssessment.objects.count() == 0
