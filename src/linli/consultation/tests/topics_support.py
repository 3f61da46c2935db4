# ruff: noqa: F811 (the fixtures are re-exported for the tests)
"""Topics test support: the voting stage's world (水源地社区 with 张家 — the accounts `resident`
张建国 and `resident2` 王秀兰 — and 李家 — `resident3` 李明; 孙家 in 集贤社区 — `far_resident`;
a Monday-morning clock) and topics made through this stage's services."""

from __future__ import annotations

from linli.consultation.services.topics import TopicInput, topic_propose, topic_put
from linli.consultation.tests.voting_support import (  # noqa: F401 (fixtures re-exported)
    HUNHEWAN,
    JIXIAN,
    NOW,
    SHUIYUANDI,
    TODAY,
    World,
    clock,
    world,
)


def proposal(world: World, who: str = "resident", **changes):
    values = {"title": "小区停车难", "body": "晚上车位不够，希望协商划设停车位。", "concerns": "community"}
    return topic_propose(actor=world.actors[who], data=TopicInput(**(values | changes)))


def put(world: World, who: str = "community_worker", **changes):
    values = {
        "title": "加装电梯",
        "body": "1号楼居民希望加装电梯。",
        "path": SHUIYUANDI,
        "source": "committee",
    }
    return topic_put(actor=world.actors[who], data=TopicInput(**(values | changes)))
