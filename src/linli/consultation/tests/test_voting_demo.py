# ruff: noqa: F811 (the stage's fixtures are imported from voting_support)
"""The demo step: opens the parking vote, votes from the resident accounts and the meeting's
attendees, counts the lift; a second run adds nothing."""

from __future__ import annotations

from linli.accounts.domain import Role
from linli.consultation.demo_voting import demo_generate
from linli.consultation.models import Consultation, RollEntry, Vote
from linli.consultation.tests.voting_support import SHUIYUANDI, clock, discussing, signed_in, world  # noqa: F401
from linli.testing import make_user


def test_the_demo_opens_votes_counts_and_is_idempotent(world, tree):
    make_user(f"demo_{Role.COMMUNITY_WORKER}", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    parking = discussing()
    lift = discussing("adult")
    Consultation.objects.filter(pk=lift.pk).update(title="3号楼加装电梯")
    signed_in(lift, world.li)
    demo_generate(city_path="210100000000", showcase_path=SHUIYUANDI, log=lambda *_: None)
    parking.refresh_from_db()
    lift.refresh_from_db()
    assert (parking.state, lift.state) == ("voting", "counted")
    # the `resident*` accounts are posted in 水源地: 张家 once (household), 李 once; 张, 王 and 李 in the lift's
    assert Vote.objects.filter(consultation=parking).count() == 2
    assert lift.result["cast"] == 3
    assert Vote.objects.filter(consultation=lift, channel="meeting").count() == 0  # 李 voted online first
    counts = (Vote.objects.count(), RollEntry.objects.count())
    demo_generate(city_path="210100000000", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert (Vote.objects.count(), RollEntry.objects.count()) == counts
