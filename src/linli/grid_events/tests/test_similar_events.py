"""The similar-events step of a report: ranked by category, then by what the descriptions say,
then by distance; the photos survive the step; states are shown in words, not codes."""

import io
import re

import pytest

from linli.grid_events.models import EventPhoto, GridEvent
from linli.grid_events.selectors import duplicates_near
from linli.grid_events.services import ReportInput, event_report, held_photos_dir
from linli.grid_events.tests.conftest import PNG, SHUIYUANDI

METRE = 1 / 111_000  # degrees of latitude


def existing(grid, text: str, code: str, metres_north: float) -> GridEvent:
    return event_report(
        actor=grid["actors"]["grid_worker"],
        data=ReportInput(
            description=text,
            category_code=code,
            lat=SHUIYUANDI[0] + metres_north * METRE,
            lng=SHUIYUANDI[1],
            not_duplicate=True,
        ),
    )


def numbers(events) -> list[str]:
    return [e.number for e in events]


def test_the_same_category_comes_before_a_nearer_related_one(grid):
    related_near = existing(grid, "路上有建筑垃圾", "E0103", 5)
    same_far = existing(grid, "垃圾桶边上堆满垃圾", "E0102", 80)
    found = duplicates_near(lat=SHUIYUANDI[0], lng=SHUIYUANDI[1], category_code="E0102", text="垃圾堆在楼下")
    assert numbers(found) == [same_far.number, related_near.number]


def test_within_a_category_the_same_words_come_before_the_nearer(grid):
    other_problem_near = existing(grid, "人行道地砖松动翘起", "E0102", 5)
    same_problem_far = existing(grid, "三号楼门口垃圾箱满溢，垃圾散落一地", "E0102", 90)
    found = duplicates_near(
        lat=SHUIYUANDI[0], lng=SHUIYUANDI[1], category_code="E0102", text="垃圾箱满溢了，垃圾掉在地上"
    )
    assert numbers(found) == [same_problem_far.number, other_problem_near.number]
    assert found[0].similarity > 0.3 > found[1].similarity


def test_without_a_category_the_likely_one_ranks_but_does_not_filter(grid):
    lamp_near = existing(grid, "路灯不亮", "C0118", 5) if _active("C0118") else existing(grid, "地砖松动", "E0110", 5)
    rubbish_far = existing(grid, "垃圾没人清运", "E0102", 60)
    found = duplicates_near(lat=SHUIYUANDI[0], lng=SHUIYUANDI[1], text="垃圾没清运", likely_category="E0102")
    assert numbers(found) == [rubbish_far.number, lamp_near.number]


def test_equal_text_and_category_go_by_distance(grid):
    far = existing(grid, "垃圾箱满溢", "E0102", 60)
    near = existing(grid, "垃圾箱满溢", "E0102", 10)
    found = duplicates_near(lat=SHUIYUANDI[0], lng=SHUIYUANDI[1], category_code="E0102", text="垃圾箱满溢")
    assert numbers(found) == [near.number, far.number]


def _active(code: str) -> bool:
    from linli.grid_events.selectors import category_get

    category = category_get(code)
    return category is not None and category.is_active


# ---------------------------------------------------------------- the page


@pytest.fixture
def worker(client, grid):
    client.force_login(grid["users"]["grid_worker"])
    return client


def upload(name: str) -> io.BytesIO:
    file = io.BytesIO(PNG)
    file.name = name
    return file


def post(client, **extra):
    body = {"description": "垃圾箱满溢", "category": "E0102", "urgency": "normal"}
    body |= {"lat": SHUIYUANDI[0], "lng": SHUIYUANDI[1]} | extra
    return client.post("/staff/grid/report/", body)


def test_the_photos_survive_the_similar_events_step(worker, grid):
    original = existing(grid, "垃圾箱满溢", "E0102", 20)
    proposed = post(worker, photos=[upload("现场.png"), upload("近景.png")])
    assert proposed.status_code == 400 and original.number in proposed.text
    key = re.search(r'name="held_photos" value="([0-9a-f]{32})"', proposed.text).group(1)
    assert "现场.png" in proposed.text and "近景.png" in proposed.text
    saved = post(worker, not_duplicate="on", held_photos=key)
    assert saved.status_code == 302
    event = GridEvent.objects.exclude(pk=original.pk).get()
    assert EventPhoto.objects.filter(event=event, stage="report").count() == 2
    assert not any(held_photos_dir().iterdir())  # the kept copies are gone once saved


def test_a_photo_added_on_the_second_submit_joins_the_kept_ones(worker, grid):
    existing(grid, "垃圾箱满溢", "E0102", 20)
    proposed = post(worker, photos=[upload("a.png")])
    key = re.search(r'name="held_photos" value="([0-9a-f]{32})"', proposed.text).group(1)
    assert post(worker, not_duplicate="on", held_photos=key, photos=[upload("b.png")]).status_code == 302
    event = GridEvent.objects.order_by("-pk").first()
    assert EventPhoto.objects.filter(event=event).count() == 2


def test_kept_photos_are_this_accounts_only(client, worker, grid):
    existing(grid, "垃圾箱满溢", "E0102", 20)
    proposed = post(worker, photos=[upload("a.png")])
    key = re.search(r'name="held_photos" value="([0-9a-f]{32})"', proposed.text).group(1)
    client.force_login(grid["users"]["community_worker"])
    answer = post(client, not_duplicate="on", held_photos=key)
    assert answer.status_code == 400 and "之前添加的照片已过期" in answer.text
    assert GridEvent.objects.count() == 1


def test_similar_events_show_states_in_words_not_codes(worker, grid):
    original = existing(grid, "垃圾箱满溢", "E0102", 20)
    page = post(worker).text
    listed = page[page.index('class="duplicate-list"') : page.index("</ul>", page.index('class="duplicate-list"'))]
    assert original.number in listed and "已上报" in listed
    assert "reported" not in listed


def test_the_api_ranks_by_the_text_too(client, grid):
    other_problem_near = existing(grid, "人行道地砖松动翘起", "E0102", 5)
    same_problem_far = existing(grid, "垃圾箱满溢，垃圾散落一地", "E0102", 90)
    client.force_login(grid["users"]["grid_worker"])
    query = {"lat": SHUIYUANDI[0], "lng": SHUIYUANDI[1], "category": "E0102"}
    by_distance = client.get("/api/v1/grid/duplicates", query).json()
    by_text = client.get("/api/v1/grid/duplicates", query | {"text": "垃圾箱满溢了"}).json()
    assert [d["number"] for d in by_distance] == [other_problem_near.number, same_problem_far.number]
    assert [d["number"] for d in by_text] == [same_problem_far.number, other_problem_near.number]
