"""The demo step on the small tree: hours the receiver missed are credited late, demo_resident
gets hours to spend, a past exchange and a donation, and a second run adds nothing."""

import uuid

from linli.accounts.domain import Role
from linli.testing import make_user
from linli.timebank.demo import demo_generate
from linli.timebank.models import Donation, Exchange, TimeBankAccount, TimeBankEntry
from linli.timebank.tests.conftest import SHUIYUANDI, give_hours, register
from linli.volunteers.selectors import volunteer_for_user
from linli.volunteers.signals import hours_approved


def test_demo_is_idempotent_and_credits_what_the_receiver_missed(tree, actors):
    worker = make_user("demo_community_worker", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    resident = make_user("demo_resident", Role.RESIDENT, tree[SHUIYUANDI])
    from linli.accounts.selectors import actor_for_user

    others = [register(actor_for_user(worker), n, name, for_self=False) for n, name in ((21, "刘凤兰"), (22, "孙桂荣"))]
    hours_approved.disconnect(dispatch_uid="timebank.hours_credit")  # as if the bank came later
    try:
        for volunteer in others:
            give_hours(actor_for_user(worker), volunteer, 300)
    finally:
        from linli.timebank.services import on_hours_approved

        hours_approved.connect(on_hours_approved, dispatch_uid="timebank.hours_credit")
    assert not TimeBankEntry.objects.exists()
    register(actor_for_user(resident), 23, "张淑珍")
    logs = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logs.append)
    assert "2 approved hours credited late" in logs[0]
    mine = TimeBankAccount.objects.get(holder=uuid.UUID(str(volunteer_for_user(resident.pk).public_id)))
    assert mine.balance >= 600 and mine.held == 0
    assert Exchange.objects.filter(state="confirmed").count() == 1
    assert Donation.objects.count() == 1
    counts = (TimeBankEntry.objects.count(), Exchange.objects.count(), Donation.objects.count())
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logs.append)
    assert (TimeBankEntry.objects.count(), Exchange.objects.count(), Donation.objects.count()) == counts
