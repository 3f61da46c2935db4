"""The demo step through the services, on the small tree with demo accounts: plausible rows,
idempotent, quick."""

import time
from decimal import Decimal

from linli.accounts.domain import Role
from linli.charity.demo import demo_generate
from linli.charity.domain import MatchState, NeedState
from linli.charity.models import CharityNeed, CharityOffer, FundEntry, Match, MicroFund, PaymentRequest
from linli.charity.tests.conftest import SHUIYUANDI
from linli.testing import make_user


def test_demo_is_plausible_idempotent_and_quick(tree, people, org, clock):
    make_user("demo_community_worker", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    make_user("demo_resident", Role.RESIDENT, tree[SHUIYUANDI])
    started = time.monotonic()
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert time.monotonic() - started < 15
    assert CharityNeed.objects.count() == 10
    assert set(CharityNeed.objects.values_list("community_path", flat=True)) == {
        SHUIYUANDI,
        "210102001003",
    }  # the small street has two communities
    states = dict(CharityNeed.objects.values_list("title", "state"))
    assert states["折叠轮椅一台"] == NeedState.ACKNOWLEDGED
    assert states["冬衣十件"] == NeedState.DELIVERED
    assert Match.objects.filter(state=MatchState.CONFIRMED).count() == 1  # the quilts (no organiser linked)
    assert CharityOffer.objects.filter(anonymous=True).count() == 1
    fund = MicroFund.objects.get()
    entries = FundEntry.objects.filter(fund=fund)
    assert entries.filter(kind="payment").count() == 2
    large = entries.get(amount=Decimal("-12800.00"))
    assert large.decision_ref and large.decision_on
    assert fund.balance == sum(e.amount for e in entries) > 0
    assert PaymentRequest.objects.filter(state="waiting").count() == 1
    counts = [m.objects.count() for m in (CharityNeed, CharityOffer, Match, FundEntry)]
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert [m.objects.count() for m in (CharityNeed, CharityOffer, Match, FundEntry)] == counts
