# ruff: noqa: F811 (the stage's fixtures are imported from sessions_support)
"""The dispute demo on the small tree: every state through the services, sealed texts, the
showcase mediator's session today; nothing needing a mediator with an empty pool; idempotent."""

from __future__ import annotations

import time

import pytest

from linli.accounts.domain import Role
from linli.mediation.demo_disputes import demo_generate
from linli.mediation.domain.disputes import DisputeState
from linli.mediation.models import Dispute, DisputeFollowUp, MediationAgreement, MediationSession
from linli.mediation.tests.sessions_support import HUNHEWAN, SHUIYUANDI, add_mediator, clock  # noqa: F401
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Dispute, MediationSession, MediationAgreement, DisputeFollowUp))


def test_the_demo_makes_every_state_once(tree, people, clock):
    add_mediator(SHUIYUANDI, "王调解", make_user("demo_mediator", Role.MEDIATOR, tree[SHUIYUANDI]))
    add_mediator(HUNHEWAN, "赵调解")
    add_mediator("210102001", "钱专职")
    add_mediator("210103001001", "孙调解")
    add_mediator("210102002001", "周调解")
    logged: list[str] = []
    started = time.monotonic()
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert time.monotonic() - started < 60
    states = set(Dispute.objects.values_list("state", flat=True))
    assert states == set(DisputeState.values)
    assert "skipped" not in logged[0]
    assert MediationAgreement.objects.filter(kind="written").exists()
    assert MediationAgreement.objects.filter(kind="oral").exists()
    assert Dispute.objects.filter(state="mediating", path=SHUIYUANDI, mediator__user__username="demo_mediator").exists()
    assert all(s.minutes_sealed for s in MediationSession.objects.filter(state="held"))
    before = _counts()
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert _counts() == before
    assert logged[-1] == "人民调解纠纷 disputes: already there"


def test_with_an_empty_pool_nothing_needs_a_mediator(tree, people, clock):
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda _: None)
    states = set(Dispute.objects.values_list("state", flat=True))
    assert states <= {"consent", "accepted", "refused", "withdrawn"}
    assert Dispute.objects.count() > 0
    assert not Dispute.objects.filter(mediator__isnull=False).exists()
