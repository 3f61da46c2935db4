"""Staff pages of the resident pool through Django's test client: scope (404 outside), field
sets, reveal with its audit line, forms that show the service's field errors, pinned queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from linli.core.models import AuditEntry
from linli.residents.domain import id_number_make
from linli.residents.models import HomeVisit, Household, ResidenceChange, Resident
from linli.residents.tests.conftest import MATRIX, POOL_NOTES, POOL_PHONE

BASE = "/staff/residents"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def login(client, people, who):
    client.force_login(people[who])
    return client


def page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_resident_and_household_pages_matrix(client, people, pool, who, sees):
    login(client, people, who)
    resident = client.get(f"{BASE}/people/{pool['zhang'].public_id}/")
    household = client.get(f"{BASE}/households/{pool['home'].public_id}/")
    assert resident.status_code == household.status_code == (200 if sees else 404)
    if sees:
        assert "张建国" in page(resident) and "张建国" in page(household)
    else:
        assert "张建国" not in page(resident) + page(household)


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_search_page_matrix(client, people, pool, who, sees):
    response = login(client, people, who).get(f"{BASE}/", {"q": "张建国"})
    # no resident-viewing permission: the page itself does not exist for them
    can_search = who not in {"auditor", "resident", "no_posting"}
    assert response.status_code == (200 if can_search else 404)
    assert ("张建国</a>" in page(response)) is sees  # the box echoes the query; a result is a link


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_reveal_page_matrix(client, people, pool, who, sees):
    login(client, people, who)
    response = client.post(f"{BASE}/people/{pool['zhang'].public_id}/reveal/id_number/", {"reason": "核对身份"})
    allowed = sees and who in {"grid_worker", "community_worker", "street_officer"}  # the table's defaults
    assert response.status_code == (200 if allowed else 403 if sees else 404)
    assert AuditEntry.objects.filter(action="resident.reveal").count() == (1 if allowed else 0)


@pytest.mark.parametrize("kind", ["id_number", "phone"])
def test_search_link_with_a_number_in_the_url_is_refused_not_looked_up(client, people, pool, kind):
    login(client, people, "community_worker")
    q = POOL_PHONE if kind == "phone" else id_number_make("210102", date(1948, 3, 4), 11, "male")
    response = client.get(f"{BASE}/", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/"
    html = page(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    assert "must not travel in a web address" in html
    assert q not in html and "张建国" not in html  # neither echoed nor found
    assert not AuditEntry.objects.filter(action="resident.search_exact").exists()
    by_post = client.post(f"{BASE}/", {"q": q})
    assert by_post.status_code == 200 and "张建国</a>" in page(by_post)


def test_anonymous_is_sent_to_log_in(client, pool):
    for url in (f"{BASE}/", f"{BASE}/people/{pool['zhang'].public_id}/", f"{BASE}/households/", f"{BASE}/plan/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_search_masks_and_htmx_returns_only_the_results(client, people, pool):
    login(client, people, "community_worker")
    full = page(client.post(f"{BASE}/", {"q": POOL_PHONE}))
    assert "张建国</a>" in full and "138****5678" in full
    assert full.count(POOL_PHONE) == 1 and f'value="{POOL_PHONE}"' in full  # only the box echoes it
    partial = page(client.post(f"{BASE}/", {"q": "李"}, HTTP_HX_REQUEST="true"))
    assert "李秀英" in partial and "<html" not in partial and "<form" not in partial


def test_department_officer_card_has_no_notes_or_phone(client, people, pool):
    login(client, people, "department_officer")
    html = page(client.get(f"{BASE}/people/{pool['zhang'].public_id}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "<dt>Notes</dt>" not in html and "<dt>Phone</dt>" not in html and "138****5678" not in html
    assert "<dt>ID number</dt>" in html and "<dt>Care groups</dt>" in html
    assert "/reveal/" not in html  # no reveal right by default (decision 0012)


def test_reveal_in_place_shows_plaintext_once_and_logs_the_reason(client, people, pool):
    login(client, people, "community_worker")
    url = f"{BASE}/people/{pool['zhang'].public_id}/reveal/notes/"
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and 'name="reason"' in page(form) and "<html" not in page(form)
    shown = client.post(url, {"reason": "入户前了解情况"}, HTTP_HX_REQUEST="true")
    assert POOL_NOTES in page(shown)
    entry = AuditEntry.objects.get(action="resident.reveal")
    assert (entry.reason, entry.details, entry.actor_name) == ("入户前了解情况", {"field": "notes"}, "community_worker")
    # the card itself stays masked
    assert POOL_NOTES not in page(client.get(f"{BASE}/people/{pool['zhang'].public_id}/"))


def test_reveal_without_reason_shows_the_error_next_to_the_field(client, people, pool):
    login(client, people, "community_worker")
    url = f"{BASE}/people/{pool['zhang'].public_id}/reveal/phone/"
    response = client.post(url, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Give the reason for viewing" in page(response) and POOL_PHONE not in page(response)
    htmx = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'aria-invalid="true"' in page(htmx)
    assert not AuditEntry.objects.filter(action="resident.reveal").exists()


def test_add_member_form_shows_service_errors_per_field(client, people, pool):
    login(client, people, "community_worker")
    url = f"{BASE}/households/{pool['home'].public_id}/members/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "周强",
            "gender": "male",
            "birth_date": "1990-01-01",
            "id_number": "210102199001010000",
            "relation": "child",
            "disability": "2",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = page(response)
    assert 'id="id_id_number_error"' in html and "check digit" in html
    assert 'id="id_sensitive_consent_error"' in html and "separate consent" in html
    assert Resident.objects.filter(name="周强").count() == 0


def test_add_member_and_register_household(client, people, pool):
    login(client, people, "community_worker")
    response = client.post(
        f"{BASE}/households/new/", {"building": "210102001002002001", "room": "8-801", "residence_type": "permanent"}
    )
    household = Household.objects.get(room="8-801")
    assert response.status_code == 302 and str(household.public_id) in response["Location"]
    duplicate = client.post(
        f"{BASE}/households/new/", {"building": "210102001002002001", "room": "8-801", "residence_type": "permanent"}
    )
    assert duplicate.status_code == 400 and Household.objects.filter(room="8-801").count() == 1
    birth = date(1991, 4, 5)
    response = client.post(
        f"{BASE}/households/{household.public_id}/members/new/",
        {
            "name": "周强",
            "gender": "male",
            "birth_date": birth.isoformat(),
            "id_number": id_number_make("210102", birth, 77, "male"),
            "relation": "self",
            "disability": "2",
            "sensitive_consent": "written",
        },
    )
    assert response.status_code == 302
    assert Resident.objects.get(name="周强").household == household


def test_register_form_offers_only_buildings_in_scope(client, people, pool):
    login(client, people, "community_worker")
    html = page(client.get(f"{BASE}/households/new/"))
    assert "210102001002001001" in html and "210102001003001001" not in html
    response = client.post(
        f"{BASE}/households/new/", {"building": "210102001003001001", "room": "1", "residence_type": "permanent"}
    )
    assert response.status_code == 400 and Household.objects.count() == 4


def test_street_officer_cannot_open_write_forms(client, people, pool):
    login(client, people, "street_officer")
    assert client.get(f"{BASE}/households/new/").status_code == 404
    assert client.get(f"{BASE}/visits/new/").status_code == 404
    assert client.get(f"{BASE}/plan/").status_code == 404
    html = page(client.get(f"{BASE}/households/{pool['home'].public_id}/"))
    assert "/visits/new/" not in html and "/members/new/" not in html


def test_record_visit_from_the_plan(client, people, pool):
    login(client, people, "community_worker")
    plan = page(client.get(f"{BASE}/plan/"))
    assert str(pool["home"].public_id) in plan
    form = page(client.get(f"{BASE}/visits/new/", {"household": str(pool["home"].public_id)}))
    assert f'value="{pool["home"].public_id}" selected' in form
    response = client.post(
        f"{BASE}/visits/new/",
        {"household": str(pool["home"].public_id), "findings": "老人身体不错", "follow_up_needed": "on"},
    )
    assert response.status_code == 302 and response["Location"] == f"{BASE}/plan/"
    assert HomeVisit.objects.filter(household=pool["home"], follow_up_needed=True).count() == 1


def test_visit_in_the_future_is_an_error_on_the_field(client, people, pool):
    login(client, people, "community_worker")
    response = client.post(
        f"{BASE}/visits/new/",
        {"household": str(pool["home"].public_id), "visited_at": "2999-01-01T10:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'id="id_visited_at_error"' in page(response) and "cannot be in the future" in page(response)
    assert HomeVisit.objects.filter(household=pool["home"]).count() == 1


def test_visit_form_for_a_household_outside_scope_is_404(client, people, pool):
    login(client, people, "community_worker")
    assert client.get(f"{BASE}/visits/new/", {"household": str(pool["sibling"].public_id)}).status_code == 404
    response = client.post(f"{BASE}/visits/new/", {"household": str(pool["sibling"].public_id), "findings": "x"})
    assert response.status_code == 404
    assert not HomeVisit.objects.filter(household=pool["sibling"]).exists()


def test_move_out_from_the_resident_page(client, people, pool):
    login(client, people, "community_worker")
    url = f"{BASE}/people/{pool['wang'].public_id}/move/"
    # not confirmed, or no reason: nothing changes and the page says which field is missing
    for missing in ({"reason": "迁往大连"}, {"confirm": "on"}):
        refused = client.post(url, {"kind": "move_out", "on": "2025-03-01", **missing})
        assert refused.status_code == 400 and 'aria-invalid="true"' in refused.content.decode()
        assert Resident.objects.get(pk=pool["wang"].pk).status == "active"
    response = client.post(url, {"kind": "move_out", "on": "2025-03-01", "reason": "迁往大连", "confirm": "on"})
    assert response.status_code == 302
    assert Resident.objects.get(pk=pool["wang"].pk).status == "moved_out"
    assert ResidenceChange.objects.filter(resident=pool["wang"]).latest("pk").reason == "迁往大连"
    again = client.post(url, {"kind": "move_out", "on": "2025-03-02", "reason": "再次", "confirm": "on"})
    assert again.status_code == 400


def test_care_list_filters_and_overdue(client, people, pool):
    login(client, people, "community_worker")
    html = page(client.get(f"{BASE}/care/", {"kind": "dibao"}))
    assert "李秀英" in html and "张建国" not in html
    html = page(client.get(f"{BASE}/care/", {"overdue": "on"}))
    assert "李秀英" in html and "张建国" in html


def test_households_pick_grid_then_building(client, people, pool):
    login(client, people, "street_officer")
    html = page(client.get(f"{BASE}/households/"))
    assert "1-101" not in html and "水源地社区 · 第1网格" in html
    html = page(client.get(f"{BASE}/households/", {"grid": "210102001002001"}))
    assert "1-101" in html and "1-102" in html and "2-202" not in html
    html = page(client.get(f"{BASE}/households/", {"community": "210102001003", "grid": "210102001003001"}))
    assert "2-202" in html and "水源地社区" not in html
    login(client, people, "community_worker")
    assert client.get(f"{BASE}/households/", {"grid": "210102001003001"}).status_code == 404


def test_rates_page_for_a_street_lists_its_communities(client, people, pool):
    login(client, people, "street_officer")
    html = page(client.get(f"{BASE}/rates/210102001000/"))
    assert "水源地社区" in html and "浑河湾社区" in html and "33.3%" in html
    login(client, people, "community_worker")
    assert client.get(f"{BASE}/rates/210102001000/").status_code == 404
    assert "水源地社区" in page(client.get(f"{BASE}/rates/"))


def test_org_tree_shows_rates_per_community_for_a_street_officer(client, people, pool):
    login(client, people, "street_officer")
    html = page(client.get("/staff/org/210102001000/"))
    # 水源地: 2 households, one visited → 50%; its care residents are both overdue → 0%; 浑河湾: 0%
    rows = html.split("<tbody>")[1].split("</tr>")
    assert "水源地社区" in rows[0] and "50.0%" in rows[0] and "0.0%" in rows[0] and "100.0%" in rows[0]
    assert "浑河湾社区" in rows[1] and "50.0%" not in rows[1]
    assert f"{BASE}/households/?community=210102001002" in html
    assert f"{BASE}/rates/210102001002/" in html


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (f"{BASE}/?q=%E6%9D%8E", 6),  # one of them the reveal rights, once for all the cards
        (f"{BASE}/households/?grid=210102001002001", 8),
        (f"{BASE}/care/", 6),
        (f"{BASE}/plan/", 7),
    ],
)
def test_list_pages_pin_their_queries(client, people, pool, django_assert_num_queries, url, queries):
    login(client, people, "community_worker")
    client.get(f"{BASE}/")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
