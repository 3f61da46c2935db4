"""Board test support: a clock on a Monday, a village's own committee member (`village_worker`,
posted at 前进村委会), consultations and village matters made as rows (their own stages' services
are tested there; here they only carry a convention's adoption), and a convention helper."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.consultation.models import Consultation, MajorMatterKind, VillageMatter
from linli.consultation.services import board as svc
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN, JIXIAN, VILLAGE = "210102001002", "210102001003", "210102002001", "210103001201"
TEXT_V1 = "一、爱护公共环境。\n二、文明养犬。\n三、邻里和睦。"
TEXT_V2 = "一、爱护公共环境，垃圾分类投放。\n二、文明养犬，牵绳出行。\n三、邻里和睦。\n四、车辆有序停放。"
_seq = [0]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def village_worker(tree, people):
    return actor_for_user(make_user("village_worker", Role.COMMUNITY_WORKER, tree[VILLAGE]))


def consultation_row(path: str, state: str) -> Consultation:
    """A consultation in a given state, as its own stage would leave it."""
    _seq[0] += 1
    now = timezone.now()
    return Consultation.objects.create(
        number=f"XS{path}{_seq[0]:05d}",
        path=path,
        title="修订居民公约",
        question="是否通过居民公约修订稿",
        form="meeting",
        scope_kind="community",
        scope_path=path,
        state=state,
        created_at=now,
        updated_at=now,
    )


def matter_row(path: str, state: str, stage: str) -> VillageMatter:
    _seq[0] += 1
    now = timezone.now()
    kind, _made = MajorMatterKind.objects.get_or_create(
        path=path[:4], code="board_test", defaults={"name_zh": "村规民约", "name_en": "Village rules"}
    )
    return VillageMatter.objects.create(
        number=f"CW{path}{_seq[0]:05d}",
        path=path,
        kind=kind,
        title="修订村规民约",
        proposal="修订村规民约",
        state=state,
        stage=stage,
        created_at=now,
        updated_at=now,
    )


def convention_draft(actor, path: str = SHUIYUANDI, kind: str = "residents", text: str = TEXT_V1):
    return svc.convention_create(
        actor=actor, data=svc.ConventionInput(path=path, kind=kind, title="水源地社区居民公约", text=text)
    )


def convention_in_force(actor, path: str = SHUIYUANDI, kind: str = "residents"):
    """A convention recorded as already in force (version 1, adopted 2020-05-01)."""
    return svc.convention_create(
        actor=actor,
        data=svc.ConventionInput(
            path=path,
            kind=kind,
            title="居民公约" if kind != "village" else "前进村村规民约",
            text=TEXT_V1,
            adopted_on=dt.date(2020, 5, 1),
            note="2020年居民代表会议通过",
        ),
    )


def notice(actor, path: str = SHUIYUANDI, **values):
    data = {"path": path, "kind": "notice", "title": "停水通知", "body": "12月9日9时至12时停水检修。"} | values
    return svc.notice_publish(actor=actor, data=svc.NoticeInput(**data))
