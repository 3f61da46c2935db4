"""Fixtures of the volunteers app: a registered resident volunteer, an activity with a position
and two shifts in the showcase community (水源地社区), and a recorder of `hours_approved`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from linli.residents.domain import id_number_make
from linli.testing import actors, people, tree  # noqa: F401
from linli.volunteers.services import ActivityInput, ShiftInput, VolunteerInput, activity_create, volunteer_register
from linli.volunteers.signals import hours_approved

SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"
BINHE = "210103001001"
LAT, LNG = 41.7480, 123.4300  # the activity's place (in 和平区)


def id_for(n: int, birth: str = "1960-05-04", gender: str = "female") -> str:
    return id_number_make("210102", datetime.strptime(birth, "%Y-%m-%d").date(), n, gender)


def volunteer_input(n: int = 11, **extra) -> VolunteerInput:
    values = {
        "name": "李秀兰",
        "id_number": id_for(n),
        "phone": "13812345678",
        "registered_path": SHUIYUANDI,
        "skills": ["elder_care"],
        "availability": "周末上午",
    } | extra
    return VolunteerInput(**values)


@pytest.fixture
def volunteer(actors):  # noqa: F811
    return volunteer_register(actor=actors["resident"], data=volunteer_input())


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    base = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base + timedelta(hours=hour, minutes=minute)


@pytest.fixture
def activity(actors):  # noqa: F811
    """Tomorrow 9:00–12:00 with shifts 9–10:30 (2 places) and 10:30–12 (1 place)."""
    return activity_create(
        actor=actors["community_worker"],
        data=ActivityInput(
            title="楼道清理",
            organiser_path=SHUIYUANDI,
            place="水源地社区 3 号楼",
            lat=LAT,
            lng=LNG,
            radius_m=200,
            starts_at=at(9, days=1),
            ends_at=at(12, days=1),
            shifts=[
                ShiftInput(at(9, days=1), at(10, 30, days=1), 2),
                ShiftInput(at(10, 30, days=1), at(12, days=1), 1),
            ],
        ),
    )


@pytest.fixture
def approvals():
    """Every `hours_approved` sent while the test runs."""
    sent: list[dict] = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    hours_approved.connect(receiver, dispatch_uid="test-recorder")
    yield sent
    hours_approved.disconnect(dispatch_uid="test-recorder")


@pytest.fixture
def organisations(people):  # noqa: F811
    """Two community social organisations; the test organiser speaks for the first only."""
    from linli.partners.models import OrgMember, SocialOrg

    ours = SocialOrg.objects.create(
        name="水源地邻里互助会", kind="mutual_aid", status="filed", unit_path=SHUIYUANDI, responsible_name="赵会长"
    )
    theirs = SocialOrg.objects.create(
        name="滨河助老服务社", kind="mutual_aid", status="filed", unit_path=BINHE, responsible_name="钱社长"
    )
    OrgMember.objects.create(user=people["organiser"], social_org=ours, linked_by="tests")
    return {"ours": ours, "theirs": theirs}
