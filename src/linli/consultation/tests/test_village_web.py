# ruff: noqa: F811 (the stage's fixtures are imported from village_support)
"""The village procedure's pages: the role × scope matrix, the journey through all six steps
with a quorum failure on the first try, refusals beside the fields, a villager's and the public's
view (no minutes), pinned query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.consultation.models import VillageMatter, VillageMatterStep
from linli.consultation.tests.village_support import (  # noqa: F401 (fixtures)
    TODAY,
    VILLAGE,
    clock,
    deliberated,
    done,
    proposed,
    resolved,
    world,
)
from linli.testing import log_in

pytestmark = pytest.mark.django_db
LIST = "/staff/consultation/village/"


def page(response) -> str:
    return response.content.decode()


# who sees the village's matter in the list and on its page
MATRIX = [
    ("village_worker", 200, True),
    ("town_officer", 200, True),
    ("other_district_admin", 200, True),  # the village's district (CONSULT_VIEW)
    ("community_worker", 200, False),  # another street's community
    ("street_officer", 200, False),  # another street
    ("district_admin", 200, False),  # another district
    ("department_officer", 404, False),
    ("resident", 404, False),
]


@pytest.mark.parametrize(("who", "status", "sees"), MATRIX)
def test_list_and_matter_by_role_and_scope(client, world, who, status, sees):
    matter = proposed(world)
    log_in(client, who)
    listing = client.get(LIST)
    detail = client.get(f"{LIST}{matter.public_id}/")
    assert listing.status_code == status
    if status == 200:
        assert (matter.number in page(listing)) is sees
    assert detail.status_code == (200 if sees else 404)


def test_anonymous_is_sent_to_log_in(client, world):
    matter = proposed(world)
    assert client.get(LIST).status_code == 302
    assert client.get(f"{LIST}{matter.public_id}/").status_code == 302


def test_the_list_has_a_pinned_query_count(client, world, django_assert_num_queries):
    for n in range(3):
        proposed(world, title=f"事项{n}")
    log_in(client, "village_worker")
    client.get(LIST)
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert page(response).count("/staff/consultation/village/0") + page(response).count("village-matters") >= 1


def test_a_matter_through_all_six_steps_with_a_quorum_failure_first(client, world):
    log_in(client, "village_worker")
    new = client.post(
        f"{LIST}new/",
        {"path": VILLAGE, "kind_id": world.kind.pk, "title": "出租村集体仓库", "proposal": "将村东仓库出租五年"},
    )
    matter = VillageMatter.objects.get()
    assert new.status_code == 302
    step_url = f"{LIST}{matter.public_id}/step/"
    base = {"held_on": TODAY.isoformat(), "minutes": "会议记录", "adopted_text": "同意出租"}
    assert client.post(step_url, base | {"present": 7}).status_code == 302
    assert client.post(step_url, base | {"roll_total": 20, "present": 15, "votes_for": 12}).status_code == 302
    failed = client.post(
        step_url, base | {"assembly": "villagers", "present": 6, "households_present": 3, "votes_for": 6}
    )
    assert failed.status_code == 422
    assert "应到 12 人，实到 6 人，未过半数；应到 6 户，实到 3 户，不足三分之二" in page(failed)
    assert 'value="6"' in page(failed)  # the input is kept
    passed = client.post(
        step_url, base | {"assembly": "villagers", "present": 7, "households_present": 4, "votes_for": 5}
    )
    assert passed.status_code == 302
    matter_page = client.get(f"{LIST}{matter.public_id}/")
    assert "1 次未通过" in page(matter_page) or "1 failed attempt" in page(matter_page)
    assert client.get(step_url).status_code == 404  # the town's turn
    log_in(client, "town_officer")
    assert matter.number in page(client.get(f"{LIST}review/"))
    review = client.post(f"{LIST}{matter.public_id}/review/", {"decision": "approve"})
    assert review.status_code == 302
    log_in(client, "village_worker")
    until = (TODAY + dt.timedelta(days=7)).isoformat()
    assert client.post(step_url, {"held_on": TODAY.isoformat(), "public_until": until}).status_code == 302
    result = {"held_on": TODAY.isoformat(), "public_until": until, "adopted_text": "仓库已出租"}
    assert client.post(step_url, result).status_code == 302
    matter.refresh_from_db()
    assert (matter.state, matter.stage) == ("done", "publish_result")
    steps = list(VillageMatterStep.objects.filter(matter=matter).values_list("step", "result"))
    assert steps == [
        ("propose", "done"),
        ("discuss", "done"),
        ("deliberate", "passed"),
        ("resolve", "no_quorum"),
        ("resolve", "passed"),
        ("review", "approved"),
        ("publish_resolution", "done"),
        ("publish_result", "done"),
    ]


def test_the_town_returns_with_reasons_on_its_form(client, world):
    matter = resolved(world)
    log_in(client, "town_officer")
    missing = client.post(f"{LIST}{matter.public_id}/review/", {"decision": "return", "reasons": ""})
    assert missing.status_code == 422
    assert VillageMatter.objects.get(pk=matter.pk).state == "open"
    client.post(f"{LIST}{matter.public_id}/review/", {"decision": "return", "reasons": "租金偏低"})
    assert VillageMatter.objects.get(pk=matter.pk).state == "returned"


def test_the_town_of_another_street_cannot_review(client, world):
    matter = resolved(world)
    log_in(client, "street_officer")
    assert client.post(f"{LIST}{matter.public_id}/review/", {"decision": "approve"}).status_code == 404
    assert VillageMatter.objects.get(pk=matter.pk).stage == "resolve"


def test_withdrawing_asks_for_a_confirmation(client, world):
    matter = proposed(world)
    log_in(client, "village_worker")
    refused = client.post(f"{LIST}{matter.public_id}/withdraw/", {"reason": "政策调整"})
    assert refused.status_code == 422
    assert VillageMatter.objects.get(pk=matter.pk).state == "open"
    client.post(f"{LIST}{matter.public_id}/withdraw/", {"reason": "政策调整", "confirmed": "on"})
    assert VillageMatter.objects.get(pk=matter.pk).state == "withdrawn"


def test_a_villager_sees_texts_and_results_never_the_minutes(client, world):
    matter = deliberated(world)
    log_in(client, "villager")
    home = client.get("/my/consultation/")
    assert "/my/consultation/village/" in page(home)
    assert 'href="/board/burden/210103/"' in page(home)  # the district's certificate list
    listing = client.get("/my/consultation/village/")
    assert matter.title in page(listing)
    detail = client.get(f"/my/consultation/village/{matter.public_id}/")
    assert detail.status_code == 200
    assert "会议记录" not in page(detail)  # the minutes (their text in the support module)
    assert "将村东仓库出租五年" in page(detail)


def test_a_resident_of_an_urban_community_sees_no_village_matter(client, world):
    matter = proposed(world)
    log_in(client, "resident")
    assert "/my/consultation/village/" not in page(client.get("/my/consultation/"))
    assert client.get(f"/my/consultation/village/{matter.public_id}/").status_code == 404


def test_the_public_page_shows_what_was_published_without_log_in(client, world):
    matter = done(world)
    unpublished = deliberated(world)
    response = client.get(f"/board/village/{matter.public_id}/")
    assert response.status_code == 200
    assert "仓库已出租，租金入账" in page(response)
    assert "会议记录" not in page(response)
    assert client.get(f"/board/village/{unpublished.public_id}/").status_code == 404


def test_the_representatives_roll_adds_a_villager_from_the_pool(client, world):
    log_in(client, "village_worker")
    url = reverse("portal:consultation:village-representatives")
    found = client.get(f"{url}?village={VILLAGE}&q=李1强")
    assert found.status_code == 200
    assert "李1强" in page(found)
    client.post(
        f"{url}?village={VILLAGE}", {"act": "add", "resident_ref": world.villagers[2], "since": TODAY.isoformat()}
    )
    assert "李1强" in page(client.get(f"{url}?village={VILLAGE}"))


def test_the_major_matter_list_is_readable_and_the_city_admin_adds_rows(client, world):
    log_in(client, "town_officer")
    listing = client.get(reverse("portal:consultation:village-kinds"))
    assert "集体资产处置" in page(listing)
    assert "Add or change a row" not in page(listing) and "name_zh" not in page(listing)
    log_in(client, "city_admin")
    client.post(
        reverse("portal:consultation:village-kinds"),
        {"path": "", "code": "housing", "name_zh": "宅基地分配", "name_en": "Homesteads", "active": "on"},
    )
    assert "宅基地分配" in page(client.get(reverse("portal:consultation:village-kinds")))


def test_an_urban_community_worker_has_no_village_forms(client, world):
    log_in(client, "community_worker")
    assert client.get(f"{LIST}new/").status_code == 404
    assert "/staff/consultation/village/representatives/" not in page(client.get(LIST))
    log_in(client, "village_worker")
    assert "/staff/consultation/village/representatives/" in page(client.get(LIST))
