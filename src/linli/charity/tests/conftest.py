"""Charity fixtures on the small tree (`linli.testing`): a clock on a working Tuesday, a need
posted in 水源地社区 210102001002 by the community worker, offers of each donor kind, the
organiser's own organisation (`partners`), and a micro-fund with money in it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from linli.charity.services import (
    DonationInput,
    FundInput,
    NeedInput,
    OfferInput,
    donation_record,
    fund_save,
    need_post,
    offer_post,
)
from linli.partners.models import OrgMember, SocialOrg

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def need_input(**extra) -> NeedInput:
    values = {
        "kind": "goods",
        "category": "mobility",
        "title": "轮椅一台",
        "quantity": 1,
        "unit": "台",
        "beneficiary": "王女士，独居老人",
        "description": "腿脚不便，需要一台折叠轮椅",
        "needed_by": TODAY + dt.timedelta(days=14),
        "note": "住3号楼2单元，电话13812345678",
    }
    return NeedInput(**(values | extra))


def offer_input(**extra) -> OfferInput:
    values = {"kind": "goods", "category": "mobility", "title": "闲置轮椅", "quantity": 1, "unit": "台"}
    return OfferInput(**(values | extra))


@pytest.fixture
def need(actors, clock):
    return need_post(actor=actors["community_worker"], data=need_input())


@pytest.fixture
def coats(actors, clock):
    return need_post(
        actor=actors["community_worker"],
        data=need_input(category="clothing", title="冬衣十件", quantity=10, unit="件", beneficiary="困难家庭"),
    )


@pytest.fixture
def org(people):
    own = SocialOrg.objects.create(
        name="水源地互助会", kind="mutual_aid", status="filed", responsible_name="王丽", unit_path=SHUIYUANDI
    )
    OrgMember.objects.create(user=people["organiser"], social_org=own, linked_by="test")
    return own


@pytest.fixture
def resident_offer(actors, clock):
    return offer_post(actor=actors["resident"], data=offer_input())


@pytest.fixture
def fund(actors, clock):
    fund = fund_save(actor=actors["community_worker"], data=FundInput(name="水源地社区微基金", purpose="楼道改造"))
    donation_record(
        actor=actors["community_worker"],
        fund=fund,
        data=DonationInput(amount="8000.00", on=TODAY, receipt="SY-0001", donor_name="李大爷"),
    )
    donation_record(
        actor=actors["community_worker"],
        fund=fund,
        data=DonationInput(amount="500", on=TODAY, receipt="SY-0002", donor_name="张某某", anonymous=True),
    )
    fund.refresh_from_db()
    assert fund.balance == Decimal("8500.00")
    return fund
