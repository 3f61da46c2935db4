"""The staff workbench through Django's test client: log-in, scope on every page, errors."""

import pytest
from django.core.cache import cache

from linli.core.models import AuditEntry


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


def test_login_page_and_bad_login(client, people):
    assert client.get("/staff/login/").status_code == 200
    response = client.post("/staff/login/", {"username": "community_worker", "password": "wrong"})
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_empty_form_names_the_fields(client, db):
    response = client.post("/staff/login/", {})
    assert response.status_code == 400
    assert response.content.decode().count('class="error"') >= 2


def test_community_worker_sees_own_community_on_home(client, people):
    response = client.post("/staff/login/", {"username": "community_worker", "password": "correct-horse-battery"})
    assert response.status_code == 302
    page = client.get("/staff/").content.decode()
    assert "水源地社区" in page and "浑河湾社区" not in page
    assert AuditEntry.objects.filter(action="login.succeeded", actor_name="community_worker").exists()


def test_staff_pages_need_login(client, tree):
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("street_officer", "210102001000", 200),
        ("street_officer", "210102000000", 404),
        ("street_officer", "210103001000", 404),
        ("city_admin", "210103001000", 200),
        ("resident", "210102001002", 404),
    ],
)
def test_org_tree_page_follows_scope(client, people, who, code, status):
    client.force_login(people[who])
    assert client.get(f"/staff/org/{code}/").status_code == status


def test_org_tree_shows_children_with_counts(client, people, django_assert_max_num_queries):
    client.force_login(people["district_admin"])
    with django_assert_max_num_queries(12):
        page = client.get("/staff/org/210102000000/").content.decode()
    assert "浑河湾街道" in page and "集贤街道" in page and "滨河街道" not in page


def test_audit_page_is_for_auditors_only(client, people):
    client.force_login(people["city_admin"])
    assert client.get("/staff/audit/").status_code == 403
    client.force_login(people["auditor"])
    assert client.get("/staff/audit/").status_code == 200


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no/such/page")
    assert response.status_code == 404


def test_org_tree_goes_down_to_grids(client, people):
    client.force_login(people["community_worker"])
    page = client.get("/staff/org/210102001002/").content.decode()
    assert "第1网格" in page and "第2网格" in page and "?grid=210102001002001" in page
    client.force_login(people["grid_worker"])
    top = client.get("/staff/org/").content.decode()
    assert "第1网格" in top and "第2网格" not in top  # a grid worker's scope is their own grid
