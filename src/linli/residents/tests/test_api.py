"""The resident pool over /api/v1/residents: the role × scope matrix, field sets, reveal and its
audit line, validation, idempotency and pinned query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from linli.core.models import AuditEntry
from linli.residents.domain import id_number_make
from linli.residents.models import HomeVisit, Household, Resident
from linli.residents.services import ResidentInput, resident_add
from linli.residents.tests.conftest import MATRIX, POOL_NOTES, POOL_PHONE

API = "/api/v1/residents"

SUN_LI = id_number_make("210102", date(1990, 2, 3), 24, "female")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def login(client, people, who):
    client.force_login(people[who])
    return client


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_resident_detail_matrix(client, people, pool, who, sees):
    response = login(client, people, who).get(f"{API}/{pool['zhang'].public_id}")
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert response.json()["fields"]["name"] == "张建国"
    else:
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_search_matrix(client, people, pool, who, sees):
    response = login(client, people, who).post(f"{API}/search", {"q": "张建国"}, content_type="application/json")
    assert response.status_code == 200
    assert [c["fields"]["name"] for c in response.json()["items"]] == (["张建国"] if sees else [])


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_household_matrix(client, people, pool, who, sees):
    response = login(client, people, who).get(f"{API}/households/{pool['home'].public_id}")
    assert response.status_code == (200 if sees else 404)
    listed = login(client, people, who).get(f"{API}/households").json()["items"]
    assert (str(pool["home"].public_id) in {h["public_id"] for h in listed}) is sees


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_reveal_matrix(client, people, pool, who, sees):
    body = {"field": "id_number", "reason": "核对身份"}
    response = login(client, people, who).post(
        f"{API}/{pool['zhang'].public_id}/reveal", body, content_type="application/json"
    )
    # inside the scope only the roles the reveal-rights table gives the ID number to (by default
    # grid worker, community worker, street officer; not the department officer any more)
    allowed = sees and who in {"grid_worker", "community_worker", "street_officer"}
    assert response.status_code == (200 if allowed else 403 if sees else 404)
    assert AuditEntry.objects.filter(action="resident.reveal").count() == (1 if allowed else 0)


def test_anonymous_is_asked_to_log_in(client, pool):
    for url in (f"{API}/{pool['zhang'].public_id}", f"{API}/search?q=张", f"{API}/households"):
        assert client.get(url).status_code == 401
    response = client.post(
        f"{API}/{pool['zhang'].public_id}/reveal", {"field": "phone", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not AuditEntry.objects.filter(action="resident.reveal").exists()


def test_search_by_phone_and_id_number_masks_per_role(client, people, pool):
    login(client, people, "community_worker")
    by_phone = client.post(f"{API}/search", {"q": POOL_PHONE}, content_type="application/json").json()["items"]
    assert [c["fields"]["name"] for c in by_phone] == ["张建国"]
    assert by_phone[0]["fields"]["phone"] == "138****5678"
    assert POOL_PHONE not in str(by_phone)
    assert by_phone[0]["fields"]["care_groups"] == ["elderly_alone"]
    assert by_phone[0]["revealable"] == ["id_number", "notes", "phone"]


def test_search_by_get_is_refused_and_looks_nothing_up(client, people, pool):
    login(client, people, "community_worker")
    for q in (pool["zhang"].id_number_masked, POOL_PHONE, "张建国", ""):
        response = client.get(f"{API}/search", {"q": q})
        assert response.status_code == 405 and response["Allow"] == "POST"
        body = response.json()["error"]
        assert body["code"] == "method_not_allowed" and body["fields"][0]["field"] == "q"
        assert "张建国" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="resident.search_exact").exists()
    operation = client.get("/api/v1/openapi.json").json()["paths"][f"{API}/search"]
    assert operation["get"]["deprecated"] is True and "405" in operation["get"]["responses"]
    assert "200" in operation["post"]["responses"]


def test_search_by_post_for_an_id_number_is_audited_masked(client, people, pool):
    login(client, people, "community_worker")
    id_number = id_number_make("210102", date(1948, 3, 4), 11, "male")
    found = client.post(f"{API}/search", {"q": id_number}, content_type="application/json").json()["items"]
    assert [c["fields"]["name"] for c in found] == ["张建国"]
    entry = AuditEntry.objects.get(action="resident.search_exact")
    assert entry.details["by"] == "id_number" and entry.object_id == str(pool["zhang"].public_id)
    assert id_number not in repr(list(AuditEntry.objects.values()))
    client.post(f"{API}/search", {"q": "张"}, content_type="application/json")
    assert AuditEntry.objects.filter(action="resident.search_exact").count() == 1  # names are not logged


def test_search_by_post_keeps_numbers_out_of_the_url_and_the_scope(client, people, pool):
    login(client, people, "community_worker")
    found = client.post(f"{API}/search", {"q": POOL_PHONE}, content_type="application/json").json()["items"]
    assert [c["fields"]["name"] for c in found] == ["张建国"]
    login(client, people, "other_community_worker")
    other = client.post(f"{API}/search", {"q": POOL_PHONE}, content_type="application/json").json()
    assert other["items"] == [] and other["count"] == 0
    too_long = client.post(f"{API}/search", {"q": "x" * 51}, content_type="application/json")
    assert too_long.status_code == 422 and too_long.json()["error"]["fields"][0]["field"] == "q"


def test_department_officer_card_has_no_notes_or_phone(client, people, pool):
    card = login(client, people, "department_officer").get(f"{API}/{pool['zhang'].public_id}").json()
    assert "notes" not in card["fields"] and "phone" not in card["fields"]
    assert card["fields"]["care_groups"] == ["elderly_alone"]
    assert card["revealable"] == []  # the ID number stays masked (decision 0012)
    assert POOL_NOTES not in str(card)


def test_reveal_returns_plaintext_and_writes_one_audit_line(client, people, pool):
    login(client, people, "community_worker")
    response = client.post(
        f"{API}/{pool['zhang'].public_id}/reveal",
        {"field": "phone", "reason": "电话回访"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"field": "phone", "value": POOL_PHONE, "logged": True}
    entries = list(AuditEntry.objects.filter(action="resident.reveal"))
    assert len(entries) == 1
    assert entries[0].reason == "电话回访"
    assert entries[0].object_id == str(pool["zhang"].public_id)
    assert entries[0].details == {"field": "phone"}
    assert entries[0].actor_name == "community_worker"


@pytest.mark.parametrize("body", [{"field": "phone"}, {"field": "phone", "reason": " "}])
def test_reveal_without_reason_is_422_on_reason(client, people, pool, body):
    login(client, people, "community_worker")
    response = client.post(f"{API}/{pool['zhang'].public_id}/reveal", body, content_type="application/json")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["reason"]
    assert not AuditEntry.objects.filter(action="resident.reveal").exists()


@pytest.mark.parametrize(("who", "field"), [("department_officer", "phone"), ("street_officer", "notes")])
def test_reveal_of_a_field_outside_the_role_is_403(client, people, pool, who, field):
    login(client, people, who)
    response = client.post(
        f"{API}/{pool['zhang'].public_id}/reveal", {"field": field, "reason": "想看看"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not AuditEntry.objects.filter(action="resident.reveal").exists()


def test_household_detail_has_members_and_timeline(client, people, pool):
    login(client, people, "community_worker")
    data = client.get(f"{API}/households/{pool['next_door'].public_id}").json()
    assert data["room"] == "1-102" and data["head_name"] == "李秀英"
    assert [m["fields"]["name"] for m in data["members"]] == ["李秀英", "王小明"]
    assert [e["kind"] for e in data["timeline"]] == ["move_in", "move_in"]
    home = client.get(f"{API}/households/{pool['home'].public_id}").json()
    assert sorted(e["kind"] for e in home["timeline"]) == ["move_in", "visit"]


def test_household_list_filters_by_building_and_grid(client, people, pool):
    login(client, people, "street_officer")
    rooms = [h["room"] for h in client.get(f"{API}/households").json()["items"]]
    assert rooms == ["1-101", "1-102", "2-202"]
    by_building = client.get(f"{API}/households", {"building": "210102001003001001"}).json()["items"]
    assert [h["room"] for h in by_building] == ["2-202"]
    by_grid = client.get(f"{API}/households", {"grid": "210102001002001"}).json()["items"]
    assert [h["room"] for h in by_grid] == ["1-101", "1-102"]


def test_create_household_add_member_and_record_visit(client, people, pool):
    login(client, people, "community_worker")
    created = client.post(
        f"{API}/households",
        {"building": "210102001002002001", "room": "5-501", "residence_type": "permanent"},
        content_type="application/json",
    )
    assert created.status_code == 201
    household = created.json()["public_id"]
    member = client.post(
        f"{API}/households/{household}/members",
        {"name": "孙丽", "gender": "female", "birth_date": "1990-02-03", "id_number": SUN_LI},
        content_type="application/json",
    )
    assert member.status_code == 201, member.json()
    assert member.json()["fields"]["id_number"] == f"210102********{SUN_LI[-4:]}"
    visit = client.post(
        f"{API}/households/{household}/visits",
        {"findings": "需要协助办理低保", "follow_up_needed": True},
        content_type="application/json",
    )
    assert visit.status_code == 201
    assert visit.json()["follow_up_needed"] is True
    assert HomeVisit.objects.filter(household__public_id=household, follow_up_needed=True).count() == 1


def test_add_member_errors_are_per_field(client, people, pool):
    login(client, people, "community_worker")
    response = client.post(
        f"{API}/households/{pool['home'].public_id}/members",
        {
            "name": "",
            "gender": "male",
            "birth_date": "1990-01-01",
            "id_number": "210102199001010000",
            "disability": "2",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["error"]["fields"]} == {"name", "id_number", "sensitive_consent"}
    assert Resident.objects.count() == 5


def test_street_officer_may_look_but_not_write(client, people, pool):
    login(client, people, "street_officer")
    response = client.post(
        f"{API}/households/{pool['home'].public_id}/visits", {"findings": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.post(
        f"{API}/households",
        {"building": "210102001002001001", "room": "9-9", "residence_type": "registered"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert HomeVisit.objects.count() == 1 and Household.objects.count() == 4


def test_other_community_worker_cannot_write_into_shuiyuandi(client, people, pool):
    login(client, people, "other_community_worker")
    response = client.post(
        f"{API}/households/{pool['home'].public_id}/visits", {"findings": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        f"{API}/{pool['zhang'].public_id}/move",
        {"kind": "move_out", "on": "2025-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Resident.objects.get(pk=pool["zhang"].pk).status == "active"


def test_move_out(client, people, pool):
    login(client, people, "community_worker")
    unexplained = client.post(
        f"{API}/{pool['wang'].public_id}/move",
        {"kind": "move_out", "on": "2025-01-01"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unexplained.status_code == 422
    assert [f["field"] for f in unexplained.json()["error"]["fields"]] == ["reason"]
    assert Resident.objects.get(pk=pool["wang"].pk).status == "active"
    response = client.post(
        f"{API}/{pool['wang'].public_id}/move",
        {"kind": "move_out", "on": "2025-01-01", "reason": "随父母迁往大连"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.json()["fields"]["status"] == "Moved out"
    response = client.post(
        f"{API}/{pool['wang'].public_id}/move",
        {"kind": "move_out", "on": "2025-01-02", "reason": "再次迁出"},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_idempotency_key_replays_and_creates_once(client, people, pool):
    login(client, people, "community_worker")
    url = f"{API}/households/{pool['next_door'].public_id}/visits"
    first = client.post(url, {"findings": "ok"}, content_type="application/json", headers={"Idempotency-Key": "k1"})
    again = client.post(url, {"findings": "ok"}, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert "Idempotent-Replayed" not in first.headers and again.headers["Idempotent-Replayed"] == "true"
    assert HomeVisit.objects.filter(household=pool["next_door"]).count() == 1
    other = client.post(url, {"findings": "不同"}, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert [f["field"] for f in other.json()["error"]["fields"]] == ["Idempotency-Key"]
    fresh = client.post(url, {"findings": "ok"}, content_type="application/json", headers={"Idempotency-Key": "k2"})
    assert fresh.status_code == 201
    assert HomeVisit.objects.filter(household=pool["next_door"]).count() == 2


def test_idempotency_key_is_per_user(client, people, pool):
    body = {"building": "210102001002002001", "room": "7-701", "residence_type": "permanent"}
    login(client, people, "community_worker")
    first = client.post(f"{API}/households", body, content_type="application/json", headers={"Idempotency-Key": "same"})
    login(client, people, "grid_worker")  # grid 001 only: building of grid 002 is outside
    second = client.post(
        f"{API}/households", body, content_type="application/json", headers={"Idempotency-Key": "same"}
    )
    assert first.status_code == 201 and second.status_code == 404


def test_care_list_filters(client, people, pool):
    login(client, people, "community_worker")
    rows = client.get(f"{API}/care").json()["items"]
    assert [(r["name"], r["kinds"], r["overdue"]) for r in rows] == [
        ("张建国", ["elderly_alone"], True),
        ("李秀英", ["dibao"], True),
    ]
    assert rows[0]["interval_days"] == 7 and rows[0]["last_visit"] is not None
    assert [r["name"] for r in client.get(f"{API}/care", {"kind": "dibao"}).json()["items"]] == ["李秀英"]
    assert client.get(f"{API}/care", {"kind": "nonsense"}).json()["items"] == []
    assert len(client.get(f"{API}/care", {"overdue": "true"}).json()["items"]) == 2
    assert login(client, people, "other_community_worker").get(f"{API}/care").json()["items"] == []


def test_visit_plan(client, people, pool):
    login(client, people, "community_worker")
    items = client.get(f"{API}/visit-plan").json()["items"]
    # 李秀英 (dibao since 2024-01-01, never visited) has been due since she joined, so she comes
    # before 张建国 (weekly, last seen ten days ago: due three days ago); both are overdue
    assert [(i["room"], i["reason"], i["residents"], i["overdue"]) for i in items] == [
        ("1-102", "care", ["李秀英"], True),
        ("1-101", "care", ["张建国"], True),
    ]


def test_rates_for_a_street_list_each_community(client, people, pool):
    login(client, people, "street_officer")
    data = client.get(f"{API}/rates", {"unit": "210102001000"}).json()
    assert (data["households"], data["residents"]) == (3, 4)
    assert data["awareness_rate"] == pytest.approx(1 / 3)
    assert [(c["name"], c["households"]) for c in data["children"]] == [("水源地社区", 2), ("浑河湾社区", 1)]
    assert login(client, people, "community_worker").get(f"{API}/rates", {"unit": "210102001000"}).status_code == 404
    assert login(client, people, "auditor").get(f"{API}/rates", {"unit": "210102001000"}).status_code == 404


# Pinned: session + user + actor (postings), then the page with its total in one query, plus the
# care groups of the page's residents in one more; no query per row.
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (f"{API}/households", 4),
        (f"{API}/care", 6),
        (f"{API}/visit-plan", 7),
    ],
)
def test_list_query_counts_are_pinned(client, people, pool, django_assert_num_queries, url, queries):
    login(client, people, "community_worker")
    client.get("/api/v1/residents/households")  # warm the session
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_search_query_count_does_not_grow_with_rows(client, people, pool, django_assert_num_queries):
    for n in range(5):
        birth = date(2000, 1, n + 1)
        data = ResidentInput(
            name=f"李{n}", gender="male", birth_date=birth, id_number=id_number_make("210102", birth, 101, "male")
        )
        resident_add(actor=pool["actor"], household=pool["next_door"], data=data)
    login(client, people, "community_worker")
    client.get(f"{API}/households")
    # session + user + actor, the page with its total, the care groups, the reveal rights
    with django_assert_num_queries(7):
        found = client.post(f"{API}/search", {"q": "李"}, content_type="application/json").json()["items"]
        assert len(found) == 6
