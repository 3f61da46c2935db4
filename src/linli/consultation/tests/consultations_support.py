# ruff: noqa: F811 (the fixtures are re-exported; the helpers take the `world` they give)
"""Consultations test support: the voting stage's world (水源地社区 with 张家, 李家; 孙家 in 集贤社区;
a Monday-morning clock) and a consultation prepared through this stage's own services."""

from __future__ import annotations

import datetime as dt

from linli.consultation.services.consultations import ConsultationInput, consultation_create, consultation_open
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


def data(**changes) -> ConsultationInput:
    values = {
        "path": SHUIYUANDI,
        "title": "小区停车位规划方案",
        "question": "是否按方案划设停车位？",
        "form": "online",
        "scope_kind": "community",
        "stakeholders": ["物业公司", "业主委员会"],
        "discussion_until": TODAY + dt.timedelta(days=7),
        "voting_until": NOW + dt.timedelta(days=10),
        "options": ["同意", "不同意"],
    }
    return ConsultationInput(**(values | changes))


def prepared(world: World, **changes):
    return consultation_create(actor=world.actors["community_worker"], data=data(**changes))


def discussing(world: World, **changes):
    c = prepared(world, **changes)
    return consultation_open(actor=world.actors["community_worker"], public_id=c.public_id)
