"""The role × scope matrix: every kind of account against units in, above, beside and outside
its area, through the API (the same selectors serve the web pages)."""

import pytest

CITY, HEPING, SHENHE = "210100000000", "210102000000", "210103000000"
STREET, COMMUNITY, SIBLING, FAR = "210102001000", "210102001002", "210102001003", "210103001001"
TARGETS = [CITY, HEPING, STREET, COMMUNITY, SIBLING, FAR]
HEPING_SUBTREE = {HEPING, STREET, COMMUNITY, SIBLING}

VISIBLE = {
    "resident": set(),
    "no_posting": set(),
    "grid_worker": set(),  # a grid worker's scope is the grid, below any org unit
    "community_worker": {COMMUNITY},
    "other_community_worker": {SIBLING},
    "street_officer": {STREET, COMMUNITY, SIBLING},
    "department_officer": HEPING_SUBTREE,
    "district_admin": HEPING_SUBTREE,
    "other_district_admin": {SHENHE, FAR},
    "city_admin": set(TARGETS),
    "auditor": set(TARGETS),
}
CASES = [(who, code, code in seen) for who, seen in VISIBLE.items() for code in TARGETS]


@pytest.mark.parametrize(("who", "code", "visible"), CASES)
def test_org_unit_visible_only_inside_scope(client, people, who, code, visible):
    client.force_login(people[who])
    response = client.get(f"/api/v1/org-units/{code}")
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert response.json()["code"] == code
    else:
        # missing and forbidden answer alike
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("code", TARGETS)
def test_anonymous_is_asked_to_log_in(client, tree, code):
    response = client.get(f"/api/v1/org-units/{code}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("street_officer", ["水源地社区", "浑河湾社区"]),
        ("community_worker", ["水源地社区"]),
        ("other_district_admin", ["滨河社区"]),
        ("resident", []),
    ],
)
def test_search_stays_inside_scope(client, people, who, expected):
    client.force_login(people[who])
    response = client.get("/api/v1/org-units", {"q": "社区"})
    assert response.status_code == 200
    assert [u["name"] for u in response.json()["items"]] == expected


def test_children_of_unit_outside_scope_is_not_found(client, people):
    client.force_login(people["other_district_admin"])
    assert client.get(f"/api/v1/org-units/{HEPING}/children").status_code == 404
    response = client.get(f"/api/v1/org-units/{SHENHE}/children")
    assert [u["code"] for u in response.json()["items"]] == ["210103001000"]


@pytest.mark.parametrize(
    ("who", "top"),
    [
        ("grid_worker", []),
        ("community_worker", ["水源地社区"]),
        ("district_admin", ["和平区"]),
        ("city_admin", ["沈阳市"]),
    ],
)
def test_list_without_query_gives_the_top_of_the_scope(client, people, who, top):
    client.force_login(people[who])
    assert [u["name"] for u in client.get("/api/v1/org-units").json()["items"]] == top
