# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""The mediator pool's pages: the role × scope matrix, a pinned query count on the pool list,
adding (with the temporary password shown once), ending with confirmation, staffing, kinds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.mediation.models import DisputeKind, Mediator
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


@pytest.fixture
def pool(tree, actors, judicial, clock):
    officer = actors["street_officer"]
    return {
        "wang": mediator(officer, "committee", SHUIYUANDI, "王调解"),
        "li": mediator(officer, "full_time", STREET, "李专职"),
        "jixian": mediator(judicial, "committee", JIXIAN, "集贤调解"),
    }


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status", "names"),
    [
        ("anonymous", 302, 302, None),
        ("resident", 404, 404, None),
        ("other_community_worker", 200, 404, []),  # in the district, not the street of 水源地
        ("community_worker", 200, 200, ["王调解"]),
        ("street_officer", 200, 200, ["李专职", "王调解"]),
        ("judicial_officer", 200, 200, ["李专职", "王调解", "集贤调解"]),
    ],
)
def test_the_role_and_scope_matrix(client, pool, who, list_status, detail_status, names):
    if who != "anonymous":
        log_in(client, who)
    listed = client.get(reverse("portal:mediation:mediators-list"))
    assert listed.status_code == list_status
    detail = client.get(reverse("portal:mediation:mediators-detail", args=[pool["wang"].public_id]))
    assert detail.status_code == detail_status
    if names is not None:
        assert sorted(m.name for m, _, _ in listed.context["lines"]) == names
    if detail_status == 200:
        assert "13812345678" not in detail.content.decode() and "138****5678" in detail.content.decode()


def test_the_pool_list_query_count_is_pinned(client, pool, actors, django_assert_num_queries):
    log_in(client, "street_officer")
    url = reverse("portal:mediation:mediators-list")
    client.get(url)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    dispute(SHUIYUANDI, "mediating", mediator=pool["wang"])
    mediator(actors["street_officer"], "committee", SHUIYUANDI, "孙调解")
    with django_assert_num_queries(11):  # one more mediator, the same queries
        page = client.get(url)
    wang = next(m for m, _, _ in page.context["lines"] if m.name == "王调解")
    assert wang.open_count == 1
    assert [name for _, name in page.context["units"]] == ["浑河湾街道", "水源地社区", "浑河湾社区"]
    street_only = client.get(url + f"?unit={SHUIYUANDI}")
    assert sorted(m.name for m, _, _ in street_only.context["lines"]) == ["孙调解", "王调解"]


def test_adding_with_a_new_account_shows_the_password_once(client, people, clock):
    log_in(client, "street_officer")
    url = reverse("portal:mediation:mediators-add")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"kind": "full_time", "path": SHUIYUANDI, "name": "赵"})
    assert bad.status_code == 422 and Mediator.objects.count() == 0
    assert "专职调解员只能设在街道（乡镇）" in bad.content.decode()
    data = {"kind": "committee", "path": SHUIYUANDI, "name": "赵调解", "phone": "13900001111"}
    data |= {"kinds": ["neighbour"], "since": "2026-01-01", "username": "zhao_med", "new_account": "on"}
    added = client.post(url, data)
    assert added.status_code == 200 and "zhao_med" in added.content.decode()
    assert added.context["password"] in added.content.decode()
    m = Mediator.objects.get()
    assert (m.name, m.kinds, str(m.since), m.phone_masked) == ("赵调解", ["neighbour"], "2026-01-01", "139****1111")


def test_ending_needs_the_confirmation_and_a_successor_for_open_disputes(client, pool):
    log_in(client, "street_officer")
    wang = pool["wang"]
    dispute(SHUIYUANDI, "mediating", mediator=wang)
    url = reverse("portal:mediation:mediators-end", args=[wang.public_id])
    unconfirmed = client.post(url, {"reason": "调离", "successor": str(pool["li"].public_id)})
    assert unconfirmed.status_code == 422
    no_successor = client.post(url, {"reason": "调离", "confirm": "on"})
    assert no_successor.status_code == 422 and "还有 1 件调解中的纠纷" in no_successor.content.decode()
    wang.refresh_from_db()
    assert wang.until is None
    done = client.post(url, {"reason": "调离", "successor": str(pool["li"].public_id), "confirm": "on"})
    assert done.status_code == 302
    wang.refresh_from_db()
    assert wang.until is not None and wang.disputes.count() == 0


def test_another_streets_officer_cannot_end_or_train(client, pool, tree):
    from linli.accounts.domain import Role
    from linli.testing import make_user

    make_user("jixian_officer", Role.STREET_OFFICER, tree["210102002000"])
    log_in(client, "jixian_officer")
    wang = pool["wang"]
    assert (
        client.post(reverse("portal:mediation:mediators-end", args=[wang.public_id]), {"reason": "x"}).status_code
        == 404
    )
    training = reverse("portal:mediation:mediators-training", args=[wang.public_id])
    assert client.post(training, {"on": "2026-12-01", "hours": "2", "topic": "x"}).status_code == 404
    wang.refresh_from_db()
    assert wang.until is None and wang.trainings.count() == 0


def test_a_training_and_a_phone_read_from_the_page(client, pool):
    log_in(client, "street_officer")
    wang = pool["wang"]
    url = reverse("portal:mediation:mediators-training", args=[wang.public_id])
    assert client.post(url, {"on": "2026-12-01", "hours": "30", "topic": "x"}).status_code == 422
    assert client.post(url, {"on": "2026-12-01", "hours": "2.5", "topic": "调解技巧"}).status_code == 302
    assert wang.trainings.get().topic == "调解技巧"
    reveal = reverse("portal:mediation:mediators-reveal", args=[wang.public_id])
    assert client.post(reveal, {"reason": ""}).status_code == 422
    read = client.post(reveal, {"reason": "约调解"})
    assert read.status_code == 200 and "13812345678" in read.content.decode()


def test_the_staffing_page_marks_red(client, pool):
    log_in(client, "judicial_officer")
    page = client.get(reverse("portal:mediation:mediators-staffing"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "浑河湾社区" in body and "warn-tag-red" in body and "mediation-staffing-data" in body
    assert [c.mark for c in page.context["r"].communities] == ["green", "red", "green"]
    assert client.get(reverse("portal:mediation:mediators-staffing") + "?path=210103").status_code == 404


def test_the_kinds_page_is_for_district_keepers(client, pool):
    url = reverse("portal:mediation:mediators-kinds")
    log_in(client, "street_officer")
    assert client.get(url).status_code == 404
    log_in(client, "judicial_officer")
    assert client.get(url).status_code == 200
    added = client.post(url, {"code": "pets", "name_zh": "宠物纠纷", "name_en": "Pet dispute", "level": "community"})
    assert added.status_code == 302
    kind_url = reverse("portal:mediation:mediators-kind", args=["pets"])
    refused = client.post(kind_url, {"action": "deactivate", "reason": "并入"})
    assert refused.status_code == 422 and DisputeKind.objects.get(code="pets").active
    assert client.post(kind_url, {"action": "deactivate", "reason": "并入", "confirm": "1"}).status_code == 302
    assert not DisputeKind.objects.get(code="pets").active
