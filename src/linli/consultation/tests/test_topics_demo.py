# ruff: noqa: F811 (the stage's fixtures are imported from topics_support)
"""Topics demo: in the showcase a gathering parking proposal supported by the pool's resident
accounts, a lapsed one, two accepted, one awaiting, one declined with its reason; one topic in each
other community; a second run adds nothing."""

from __future__ import annotations

import pytest

from linli.consultation.demo_topics import demo_generate
from linli.consultation.models import Topic, TopicStep, TopicSupport
from linli.consultation.tests.topics_support import SHUIYUANDI, clock, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Topic.objects.count(), TopicSupport.objects.count(), TopicStep.objects.count()


def test_the_demo_topics(world):
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    showcase = dict(Topic.objects.filter(path=SHUIYUANDI).values_list("title", "state"))
    assert showcase == {
        "停车难：晚上回家找不到车位": "gathering",
        "楼下增设快递柜": "lapsed",
        "小区停车位规划": "accepted",
        "加装电梯": "accepted",
        "雨污分流改造": "submitted",
        "在小区内开设棋牌室": "declined",
    }
    assert Topic.objects.get(title__startswith="停车难").supporter_count == 2
    others = list(Topic.objects.exclude(path=SHUIYUANDI).order_by("path").values_list("path", "state"))
    assert others == [("210102001003", "accepted"), ("210102002001", "submitted"), ("210103001001", "accepted")]
    before = _counts()
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert _counts() == before
