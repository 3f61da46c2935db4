"""The staff workbench through Django's test client: log-in, scope on every page, errors."""

from html.parser import HTMLParser

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


class _Links(HTMLParser):
    """The staff links inside the page's <nav> elements, and the text of its <title>."""

    def __init__(self):
        super().__init__()
        self.nav_depth, self.links, self.title, self._in_title = 0, set(), "", False

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        self.nav_depth += tag == "nav"
        self._in_title = self._in_title or tag == "title"
        if tag == "a" and self.nav_depth and href.startswith(("/staff/", "/account/")) and "logout" not in href:
            self.links.add(href)

    def handle_endtag(self, tag):
        self.nav_depth -= tag == "nav"
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _parsed(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("who", ["grid_worker", "community_worker", "street_officer", "district_admin", "city_admin"])
def test_every_page_in_the_nav_has_a_plain_title(client, people, who):
    """A page's <title> is plain text: the desk figures page once put a whole table into it."""
    client.force_login(people[who])
    links = _parsed(client.get("/staff/").content.decode()).links
    assert "/staff/" in links or len(links) >= 3
    assert "/account/password/" in links  # everyone reaches their own password
    assert ("/staff/security/" in links) == (who in {"district_admin", "city_admin"})
    for href in sorted(links):
        response = client.get(href, follow=True)  # an account step (second-factor set-up) may come first
        assert response.status_code == 200 and "login" not in response.request["PATH_INFO"], href
        raw = response.content.decode().split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in raw and ">" not in raw, (href, raw[:120])
        assert _parsed(response.content.decode()).title.strip(), href
