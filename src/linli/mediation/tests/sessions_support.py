"""Sessions test support: a clock on a working Monday; mediators with accounts in 水源地社区
(210102001002, `mediator`) and 浑河湾社区 (210102001003, `other_mediator`); disputes in mediation
made directly through the models (the intake stage's services make them in the demo), with two
parties who agreed to mediation, the applicant linked to the `resident` account."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Department
from linli.core.crypto import mask_id_number, mask_phone, seal
from linli.mediation.domain.disputes import Consent, DisputeState, SessionState
from linli.mediation.models import Dispute, DisputeKind, DisputeParty, MediationSession, Mediator
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI, HUNHEWAN, JIXIAN = "210102001002", "210102001003", "210102002001"
FACTS = "楼上住户装修噪音持续到深夜，多次协商未果"
TERMS = "一、被申请人每日晚十时后停止装修施工；二、被申请人赔偿申请人损失人民币五百元。"
ID_ZHANG, ID_LI = "210102198001011234", "21010219820202456X"
_seq = [0]


def add_mediator(path: str, name: str, user=None) -> Mediator:
    return Mediator.objects.create(
        path=path,
        kind="committee",
        name=name,
        user=user,
        since=TODAY - dt.timedelta(days=300),
        created_at=timezone.now(),
    )


def neighbour_kind() -> DisputeKind:
    """The seeded kind (a transactional test's flush removed the migration's rows: made again)."""
    kind, _ = DisputeKind.objects.get_or_create(
        code="neighbour", defaults={"name_zh": "邻里纠纷", "name_en": "Neighbour dispute", "level": "community"}
    )
    return kind


def add_dispute(
    path: str,
    mediator: Mediator | None,
    *,
    state: str = DisputeState.MEDIATING,
    due_in: int = 20,
    resident_user=None,
    consents=(Consent.AGREED, Consent.AGREED),
) -> Dispute:
    """A neighbour dispute accepted ten days ago, with an applicant (张伟) and a respondent (李强)."""
    _seq[0] += 1
    now = timezone.now()
    dispute = Dispute.objects.create(
        number=f"TJ{path}{TODAY:%Y%m%d}{_seq[0]:05d}",
        path=path,
        kind=neighbour_kind(),
        level="community",
        source="window",
        title="装修噪音纠纷",
        facts_sealed=seal(FACTS, context="mediation.facts"),
        state=state,
        mediator=mediator,
        registered_on=TODAY - dt.timedelta(days=12),
        accepted_on=TODAY - dt.timedelta(days=10),
        due_on=TODAY + dt.timedelta(days=due_in),
        registered_by_name="tests",
        created_at=now,
        updated_at=now,
    )
    for side, name, id_number, phone, consent, user in (
        ("applicant", "张伟", ID_ZHANG, "13812345678", consents[0], resident_user),
        ("respondent", "李强", ID_LI, "13987654321", consents[1], None),
    ):
        DisputeParty.objects.create(
            dispute=dispute,
            side=side,
            name=name,
            user=user,
            phone_sealed=seal(phone, context="mediation.party_phone"),
            phone_masked=mask_phone(phone),
            id_number_sealed=seal(id_number, context="mediation.party_id_number"),
            id_number_masked=mask_id_number(id_number),
            address=f"{name}家",
            consent=consent,
            consent_on=TODAY - dt.timedelta(days=10),
        )
    return dispute


def add_held_session(dispute: Dispute, days_ago: int = 3) -> MediationSession:
    parties = list(dispute.parties.values_list("pk", flat=True))
    return MediationSession.objects.create(
        dispute=dispute,
        starts_at=NOW - dt.timedelta(days=days_ago),
        place="水源地社区调解室",
        state=SessionState.HELD,
        attended=parties,
        minutes_sealed=seal("双方陈述了各自意见", context="mediation.minutes"),
        mediator_name=dispute.mediator.name if dispute.mediator else "",
        recorded_at=NOW - dt.timedelta(days=days_ago),
    )


def party_ids(dispute: Dispute) -> list[int]:
    return list(dispute.parties.order_by("side", "pk").values_list("pk", flat=True))


@dataclass
class World:
    actors: dict
    mediator: Mediator
    other_mediator: Mediator
    dispute: Dispute  # 水源地, in mediation, the `mediator`'s
    other: Dispute  # 浑河湾, in mediation, the `other_mediator`'s


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(tree, people, actors, clock) -> World:
    mediator_user = make_user("mediator", Role.MEDIATOR, tree[SHUIYUANDI])
    other_user = make_user("other_mediator", Role.MEDIATOR, tree[HUNHEWAN])
    # a community police officer with no beat in 水源地 (the beat is the safety stage's)
    police_user = make_user("police", Role.POLICE_OFFICER, Department.objects.get(path="210102", kind="police"))
    mediator = add_mediator(SHUIYUANDI, "王调解", mediator_user)
    other_mediator = add_mediator(HUNHEWAN, "赵调解", other_user)
    more = {
        "mediator": actor_for_user(mediator_user),
        "other_mediator": actor_for_user(other_user),
        "police": actor_for_user(police_user),
    }
    return World(
        actors=actors | more,
        mediator=mediator,
        other_mediator=other_mediator,
        dispute=add_dispute(SHUIYUANDI, mediator, resident_user=people["resident"]),
        other=add_dispute(HUNHEWAN, other_mediator),
    )
