"""Relief pages: the role × scope matrix (anonymous, resident, other community, in community,
street, district), pinned query counts on the list pages, forms that refuse bad input and save
nothing, the figures page's numbers, the workbench counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from linli.testing import log_in
from linli.welfare.models import PostPlacement, TemporaryAssistance, ZeroEmploymentCase
from linli.welfare.selectors.relief import relief_today, zero_figures
from linli.welfare.services.relief import (
    PostInput,
    TempInput,
    placement_start,
    post_create,
    temporary_fast_pay,
    temporary_record,
    zero_find,
    zero_follow,
)
from linli.welfare.tests.relief_support import (
    HUNHEWAN,
    NOW,
    SHUIYUANDI,
    TODAY,
    Person,
    build_household,
    years_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(actors, clock):
    """Two zero-employment households in 水源地 and one in 浑河湾, found; a temporary assistance
    record of each path in 水源地; a post in 水源地."""
    a = build_household(
        SHUIYUANDI,
        "101",
        [Person("张伟", years_ago(40), "male", "unemployed"), Person("刘芳", years_ago(38), "female", "unemployed")],
    )
    build_household(SHUIYUANDI, "102", [Person("陈刚", years_ago(35), "male", "unemployed")])
    build_household(HUNHEWAN, "201", [Person("钱七", years_ago(30), "male", "unemployed")])
    cases = zero_find(actor=actors["street_officer"])
    data = TempInput(
        event="illness",
        event_on=TODAY,
        amount_asked="2000",
        facts="突发重病住院",
        person=str(a[1][0].public_id),
    )
    ordinary = temporary_record(actor=actors["community_worker"], data=data)
    fast = temporary_fast_pay(actor=actors["street_officer"], data=data, amount="500")
    post = post_create(
        actor=actors["community_worker"],
        data=PostInput(
            title="楼道保洁",
            employer="水源地社区居委会",
            kind="cleaning",
            capacity=2,
            monthly_pay="2000",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=365),
        ),
    )
    case = next(c for c in cases if c.head_name == "张伟")
    return {"a": a, "cases": cases, "case": case, "ordinary": ordinary, "fast": fast, "post": post}


# who sees what: status for each (role, page)
MATRIX = {
    "anonymous": 302,
    "resident": 404,
    "grid_worker": 404,
    "other_community_worker": 404,
    "community_worker": 200,
    "street_officer": 200,
    "civil_affairs_officer": 200,
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_matrix_for_a_record_and_a_case(client, people, world, who):
    if who != "anonymous":
        log_in(client, who)
    for url in (
        reverse("portal:welfare:relief-item", args=[world["ordinary"].public_id]),
        reverse("portal:welfare:zero-case", args=[world["case"].public_id]),
        reverse("portal:welfare:post", args=[world["post"].public_id]),
    ):
        response = client.get(url)
        assert response.status_code == MATRIX[who], (who, url)


def test_lists_are_scoped(client, people, world):
    log_in(client, "other_community_worker")
    page = client.get(reverse("portal:welfare:zero")).content.decode()
    assert "钱七" in page and "张伟" not in page
    page = client.get(reverse("portal:welfare:relief") + "?state=all").content.decode()
    assert world["ordinary"].number not in page
    log_in(client, "community_worker")
    page = client.get(reverse("portal:welfare:zero")).content.decode()
    assert "张伟" in page and "陈刚" in page and "钱七" not in page
    page = client.get(reverse("portal:welfare:relief") + "?state=all").content.decode()
    assert world["ordinary"].number in page and world["fast"].number in page


def test_district_admin_sees_figures_only(client, people, world):
    log_in(client, "district_admin")
    assert client.get(reverse("portal:welfare:zero")).status_code == 404
    assert client.get(reverse("portal:welfare:relief")).status_code == 404
    page = client.get(reverse("portal:welfare:zero-figures"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张伟" not in text and "钱七" not in text


def test_list_query_counts_are_pinned(client, people, world, django_assert_num_queries):
    log_in(client, "street_officer")
    client.get(reverse("portal:welfare:relief"))  # warm the session and memos
    # session, user, postings (actor), counts, page count, rows, unit names, menu
    with django_assert_num_queries(8, exact=False) as ctx:
        client.get(reverse("portal:welfare:relief") + "?state=all")
    first = len(ctx.captured_queries)
    for n in range(3):
        temporary_record(
            actor=_actor(people, "community_worker"),
            data=TempInput(
                event="fire",
                event_on=TODAY,
                amount_asked="100",
                facts="家中失火",
                outsider_name=f"路人{n}",
                community=SHUIYUANDI,
            ),
        )
    with django_assert_num_queries(first):
        client.get(reverse("portal:welfare:relief") + "?state=all")
    client.get(reverse("portal:welfare:zero"))
    with django_assert_num_queries(first - 1, exact=False) as ctx:
        client.get(reverse("portal:welfare:zero"))
    zero_queries = len(ctx.captured_queries)
    build_household(SHUIYUANDI, "109", [Person("新人", years_ago(25), "female", "unemployed")], grid=2)
    zero_find(actor=_actor(people, "community_worker"))
    with django_assert_num_queries(zero_queries):
        client.get(reverse("portal:welfare:zero"))


def _actor(people, name):
    from linli.accounts.selectors import actor_for_user

    return actor_for_user(people[name])


def test_record_form_refuses_and_saves_nothing(client, people, world):
    log_in(client, "community_worker")
    before = TemporaryAssistance.objects.count()
    response = client.post(
        reverse("portal:welfare:relief-new"),
        {"route": "ordinary", "event": "illness", "event_on": "", "amount_asked": "-1", "facts": "", "form": "cash"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写姓名" in text or "Give the person" in text
    assert TemporaryAssistance.objects.count() == before


def test_grant_over_the_limit_is_refused_on_the_page(client, people, world):
    from linli.welfare.services.relief import temporary_act

    item = temporary_act(actor=_actor(people, "street_officer"), assistance=world["ordinary"], action="pass")
    log_in(client, "civil_affairs_officer")
    response = client.post(reverse("portal:welfare:relief-step", args=[item.public_id, "grant"]), {"amount": "3500"})
    assert response.status_code == 400
    assert "超过每次救助上限 ¥3,000.00" in response.content.decode() or "limit per event" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "reviewed"


def test_placing_from_the_case_page_drops_the_figure(client, people, world, actors):
    before = zero_figures(actor=actors["district_admin"])
    assert before.total.open_now == 3 and before.total.found == 3
    log_in(client, "community_worker")
    wife = world["a"][1][1]
    response = client.post(
        reverse("portal:welfare:zero-place", args=[world["case"].public_id]),
        {
            "person": str(wife.public_id),
            "post": str(world["post"].public_id),
            "from_on": TODAY.isoformat(),
            "to_on": (TODAY + dt.timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 302
    after = zero_figures(actor=actors["district_admin"])
    assert after.total.open_now == 2 and after.total.resolved == 1 and after.placements_open == 1
    assert PostPlacement.objects.filter(person_ref=wife.public_id, ended_on__isnull=True).count() == 1


def test_figures_per_unit(actors, world):
    zero_follow(actor=actors["community_worker"], case=world["case"], kind="visit", on=TODAY)
    city = zero_figures(actor=actors["city_admin"])
    assert [(u.path, u.found, u.followed, u.resolved, u.open_now) for u in city.units] == [("210102", 3, 1, 0, 3)]
    street = zero_figures(actor=actors["district_admin"], under="210102001")
    assert [(u.name, u.found, u.followed, u.open_now) for u in street.units] == [
        ("水源地社区", 2, 1, 2),
        ("浑河湾社区", 1, 0, 1),
    ]
    # a unit outside the actor's area falls back to its own area
    other = zero_figures(actor=actors["other_district_admin"], under="210102")
    assert other.under == "210103" and other.total.found == 0


def test_figures_page_shows_the_numbers(client, people, world):
    log_in(client, "district_admin")
    text = client.get(reverse("portal:welfare:zero-figures") + "?under=210102001").content.decode()
    assert "水源地社区" in text and "浑河湾社区" in text
    assert '<strong class="overdue">3</strong>' in text


def test_workbench_counts(actors, world, clock):
    section = relief_today(actors["street_officer"], TODAY)
    assert section is not None
    counts = {c.key: c.count for c in section.counts}
    assert counts == {"relief.paperwork": 1, "relief.zero_stale": 0, "relief.placements_ending": 0}
    clock.move_to(NOW + dt.timedelta(days=31))
    later = relief_today(actors["street_officer"], TODAY + dt.timedelta(days=31))
    counts = {c.key: c.count for c in later.counts}
    assert counts["relief.zero_stale"] == 3
    assert [c.tone for c in later.counts if c.key == "relief.paperwork"] == ["danger"]
    assert relief_today(actors["resident"], TODAY) is None
    assert ZeroEmploymentCase.objects.count() == 3
    assert Decimal(world["fast"].amount_granted) == Decimal("500.00")


def test_placement_ending_on_the_workbench(actors, world):
    placement_start(
        actor=actors["community_worker"],
        post=world["post"],
        person=str(world["a"][1][0].public_id),
        from_on=TODAY,
        to_on=TODAY + dt.timedelta(days=10),
    )
    counts = {c.key: c.count for c in relief_today(actors["community_worker"], TODAY).counts}
    assert counts["relief.placements_ending"] == 1


def test_resident_asks_for_a_job_on_the_phone_page(client, people, clock):
    from linli.residents.services import resident_account_link

    build_household(SHUIYUANDI, "301", [Person("赵敏", years_ago(33), "female", "unemployed")])
    resident_account_link(user=people["resident"], community_path=SHUIYUANDI)
    url = reverse("portal:welfare-resident:jobs")
    assert client.get(url).status_code == 302  # log in first
    log_in(client, "resident")
    refused = client.post(url, {"kind": "job", "wish": ""})
    assert refused.status_code == 400 and "请写明想找什么工作或培训" in refused.content.decode()
    assert client.post(url, {"kind": "job", "wish": "超市理货，白班"}).status_code == 302
    page = client.get(url).content.decode()
    assert "超市理货，白班" in page
    again = client.post(url, {"kind": "job", "wish": "保洁"})
    assert again.status_code == 400 and "您已登记过同类需求" in again.content.decode()
    from linli.welfare.models import JobNeed

    need = JobNeed.objects.get()
    assert need.by_resident and need.person_name == "赵敏" and need.path.startswith(SHUIYUANDI)
    # the community worker sees it in the queue
    log_in(client, "community_worker")
    assert "超市理货，白班" in client.get(reverse("portal:welfare:jobs")).content.decode()


def test_record_a_pool_resident_through_the_form(client, people, world):
    log_in(client, "community_worker")
    found = client.get(reverse("portal:welfare:relief-new") + "?q=张伟").content.decode()
    person = str(world["a"][1][0].public_id)
    assert person in found
    response = client.post(
        reverse("portal:welfare:relief-new"),
        {
            "route": "ordinary",
            "q": "张伟",
            "person": person,
            "event": "accident",
            "event_on": TODAY.isoformat(),
            "amount_asked": "1,200",
            "form": "cash",
            "facts": "骑车摔伤，无法工作",
        },
    )
    assert response.status_code == 302
    item = TemporaryAssistance.objects.filter(event="accident").get()
    assert item.person_name == "张伟" and item.amount_asked == Decimal("1200.00") and item.state == "recorded"
    page = client.get(response["Location"]).content.decode()
    assert "骑车摔伤" not in page  # sealed until asked for
    assert "骑车摔伤" in client.get(response["Location"] + "?facts=1").content.decode()
