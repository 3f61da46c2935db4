"""The support stage's demo: cases of every kind in the showcase street through the services, two
assigned to the demo community worker, one closed, a lead by the demo grid worker, reads by the
judicial officer and the police officer of the beat; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

from linli.accounts.domain import Role
from linli.areas.models import Department, Grid
from linli.core.models import AuditEntry
from linli.mediation.demo_support import demo_generate
from linli.mediation.models import PoliceBeat, SupportCase, SupportEntry
from linli.mediation.tests.support_support import NOW, SHUIYUANDI, TODAY, add_resident, clock
from linli.testing import make_user

__all__ = ["clock"]


def test_the_demo_makes_cases_of_every_kind_once(tree, clock):
    for n in range(8):
        add_resident(SHUIYUANDI, f"居民{n}")
    make_user("demo_judicial_officer", Role.JUDICIAL_OFFICER, tree["210102001000"])
    make_user("demo_community_worker", Role.COMMUNITY_WORKER, tree[SHUIYUANDI])
    make_user("demo_grid_worker", Role.GRID_WORKER, Grid.objects.get(path=f"{SHUIYUANDI}001"))
    police = make_user("demo_police_officer", Role.POLICE_OFFICER, Department.objects.get(path="210102", kind="police"))
    PoliceBeat.objects.create(
        user=police,
        officer_name="民警",
        path=SHUIYUANDI,
        since=TODAY - dt.timedelta(400),
        set_by_name="demo",
        created_at=NOW,
    )
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    kinds = sorted(SupportCase.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        ["corrections"] * 3 + ["drug_rehab"] * 2 + ["released"] * 2 + ["counselling"] * 2 + ["domestic_violence"] * 3
    )
    assert SupportCase.objects.filter(assigned__username="demo_community_worker").count() == 2
    assert SupportCase.objects.filter(state="closed").count() == 1
    assert SupportCase.objects.filter(filed_by__username="demo_grid_worker").count() == 1
    assert SupportCase.objects.filter(person_ref__isnull=False).count() == 8
    assert SupportEntry.objects.filter(on__lt=TODAY - dt.timedelta(150)).exists()
    reads = AuditEntry.objects.filter(action="mediation.support_read")
    assert reads.filter(actor_name="demo_judicial_officer").count() == 12
    assert reads.filter(actor_name="demo_police_officer").count() == 3
    counts = (SupportCase.objects.count(), SupportEntry.objects.count(), AuditEntry.objects.count())
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert (SupportCase.objects.count(), SupportEntry.objects.count(), AuditEntry.objects.count()) == counts
