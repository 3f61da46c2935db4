"""The staff shell: the Today page's registry, the grouped menu (no link a role cannot open), the
messages inbox and the one search box in the header."""

from datetime import date

import pytest
from django.urls import reverse

from linli.core.actor import Actor
from linli.core.models import AuditEntry, InboxMessage
from linli.core.workbench import WorkCount, WorkSection, today_sections, workbench_register
from linli.portal.web.context import staff_menu
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add

STAFF = [
    "grid_worker",
    "community_worker",
    "street_officer",
    "department_officer",
    "district_admin",
    "city_admin",
    "auditor",
]


@pytest.fixture
def zhang(tree):
    pool = Actor.system("portal-tests", permissions=frozenset({"residents.edit"}), root_path="2101")
    household = household_register(
        actor=pool, building_code="210102001002001001", room="1-101", residence_type="registered"
    )
    data = ResidentInput(
        name="张建国",
        gender="male",
        birth_date=date(1948, 3, 4),
        id_number=id_number_make("210102", date(1948, 3, 4), 11, "male"),
    )
    return resident_add(actor=pool, household=household, data=data)


def test_sections_come_in_registry_order_and_only_for_those_who_have_work(actors):
    def first(actor, today):
        return WorkSection("first", "First", [WorkCount("first.n", "n", 1, "/x")]) if actor.user_id else None

    workbench_register("zz-test", order=-1, today=first)
    try:
        keys = [s.key for s in today_sections(actor=actors["community_worker"], today=date(2026, 12, 7))]
        assert keys[0] == "first" and {"desk", "grid", "visits"} <= set(keys)
        assert [s.key for s in today_sections(actor=actors["anonymous"], today=date(2026, 12, 7))] == []
    finally:
        from linli.core import workbench

        workbench._REGISTRY.pop("zz-test")


@pytest.mark.parametrize("who", STAFF)
def test_every_menu_link_opens_for_the_role_it_is_shown_to(client, people, actors, who):
    client.force_login(people[who])
    links = [link["url"] for group in staff_menu(actors[who], "/staff/") for link in group["links"]]
    assert links[0] == "/staff/"
    for url in links:
        # a link may pass through the account's own step first (new recovery codes before a second
        # factor is set up: the set-up page), never to a log-in page or a 404
        response = client.get(url, follow=True)
        assert response.status_code == 200 and "login" not in response.request["PATH_INFO"], (who, url)


def test_a_grid_worker_is_not_shown_the_unit_rates_page(actors):
    grid_links = {link["url"] for group in staff_menu(actors["grid_worker"], "/staff/") for link in group["links"]}
    street_links = {link["url"] for group in staff_menu(actors["street_officer"], "/staff/") for link in group["links"]}
    rates = reverse("portal:residents:rates")
    assert rates not in grid_links and rates in street_links


def test_the_menu_marks_the_deepest_matching_link(actors):
    menu = staff_menu(actors["community_worker"], "/staff/desk/intake/item/")
    active = [link["url"] for group in menu for link in group["links"] if link["active"]]
    assert active == ["/staff/desk/intake/"]


def test_the_header_is_one_form_and_the_menu_groups_on_every_staff_page(client, people):
    client.force_login(people["community_worker"])
    page = client.get("/staff/").content.decode()
    assert 'action="/staff/search/"' in page and 'method="post"' in page
    assert 'aria-controls="staff-menu"' in page and page.count('class="menu-group') >= 4
    assert "今日工作" in page


def _message(user, text="办件 A 已受理", link="/staff/desk/"):
    return InboxMessage.objects.create(
        user_id=user.pk,
        at="2026-12-07T09:00+08:00",
        kind="accepted",
        text_zh=text,
        text_en="Case A accepted",
        link=link,
    )


def test_inbox_badge_counts_unread_and_opening_marks_read(client, people):
    mine = _message(people["community_worker"])
    _message(people["community_worker"], text="第二条")
    theirs = _message(people["street_officer"])
    client.force_login(people["community_worker"])
    assert ">2</span>" in client.get("/staff/inbox/badge/").content.decode()
    opened = client.get(f"/staff/inbox/{mine.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/staff/desk/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert ">1</span>" in client.get("/staff/inbox/badge/").content.decode()
    # someone else's message does not exist for me, and stays unread
    assert client.get(f"/staff/inbox/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/staff/inbox/read-all/", {"next": "https://evil.example/"})
    assert InboxMessage.objects.filter(user_id=people["community_worker"].pk, read_at__isnull=True).count() == 0
    assert "hidden" in client.get("/staff/inbox/badge/").content.decode()


def test_inbox_never_redirects_off_site(client, people):
    message = _message(people["community_worker"], link="https://evil.example/phish")
    client.force_login(people["community_worker"])
    response = client.get(f"/staff/inbox/{message.pk}/")
    assert response.status_code == 302 and response["Location"] == "/staff/inbox/"


def test_residents_have_their_own_inbox(client, people):
    _message(people["resident"], text="您的申请已受理", link="/my/cases/")
    client.force_login(people["resident"])
    page = client.get("/my/inbox/").content.decode()
    assert "您的申请已受理" in page and "未读" in page
    assert client.get("/my/inbox/").status_code == 200


def test_search_by_id_number_is_exact_audited_and_masked(client, people, zhang):
    client.force_login(people["community_worker"])
    id_number = id_number_make("210102", date(1948, 3, 4), 11, "male")
    page = client.post("/staff/search/", {"q": id_number}).content.decode()
    assert "张建国" in page and id_number not in page and f"{id_number[:6]}********{id_number[-4:]}" in page
    entry = AuditEntry.objects.get(action="resident.search_exact")
    assert entry.details == {"by": "id_number", "masked": f"{id_number[:6]}********{id_number[-4:]}", "found": 1}
    assert entry.object_id == str(zhang.public_id)
    # outside the scope: nothing, and no card leaks
    client.force_login(people["other_community_worker"])
    assert "张建国" not in client.post("/staff/search/", {"q": id_number}).content.decode()


def test_an_id_number_in_a_web_address_is_not_looked_up(client, people, zhang):
    client.force_login(people["community_worker"])
    id_number = id_number_make("210102", date(1948, 3, 4), 11, "male")
    response = client.get("/staff/search/", {"q": id_number})
    page = response.content.decode()
    assert response.status_code == 400 and "不从网址查询" in page
    assert "张建国" not in page and id_number not in page
    assert not AuditEntry.objects.filter(action="resident.search_exact").exists()
    # a name from a "more" link still is
    assert "张建国" in client.get("/staff/search/", {"q": "张建"}).content.decode()


def test_an_id_number_with_a_wrong_check_digit_says_so(client, people, zhang):
    client.force_login(people["community_worker"])
    good = id_number_make("210102", date(1948, 3, 4), 11, "male")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post("/staff/search/", {"q": bad})
    assert response.status_code == 400
    assert "校验位" in response.content.decode()
    assert not AuditEntry.objects.filter(action="resident.search_exact").exists()


def test_search_by_name_groups_answers_and_an_empty_answer_says_where(client, people, zhang):
    client.force_login(people["community_worker"])
    page = client.post("/staff/search/", {"q": "张建"}).content.decode()
    assert "居民" in page and "张建国" in page
    nothing = client.post("/staff/search/", {"q": "不存在的人"}).content.decode()
    assert "没有找到" in nothing
