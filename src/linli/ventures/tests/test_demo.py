"""The demo step: through the services, idempotent, quiet without organisations."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.accounts.domain import PARTNERS_EDIT, PARTNERS_VIEW, Role
from linli.core.actor import Actor
from linli.testing import make_user
from linli.ventures.demo import demo_generate
from linli.ventures.domain import ApplicationState, CallState, ProjectState
from linli.ventures.models import Review, ServiceContract, Spending, VentureApplication, VentureCall, VentureProject

pytestmark = pytest.mark.django_db
DEC_7 = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo_people(tree):
    make_user("demo_civil_affairs_officer", Role.CIVIL_AFFAIRS_OFFICER, tree["210102000000"])
    make_user("demo_street_officer", Role.STREET_OFFICER, tree["210102001000"])
    make_user("demo_organiser", Role.ORGANISER, tree["210102001002"])


def _orgs(n: int) -> None:
    from linli.partners.services import OrgInput, member_link, social_org_save

    system = Actor.system("tests", permissions=frozenset({PARTNERS_VIEW, PARTNERS_EDIT}), root_path="2101")
    for i in range(n):
        org = social_org_save(
            actor=system,
            data=OrgInput(
                name=f"和平区第{i + 1}社区服务社",
                kind="mutual_aid",
                status="filed",
                unit="210102001002" if i == 0 else "210102002001",
                responsible_name="李明",
                responsible_phone=f"1380000{i:04d}",
                filed_on="2024-05-01",
            ),
        )
        if i == 0:
            member_link(actor=system, public_id=org.public_id, username="demo_organiser")


@time_machine.travel(DEC_7, tick=False)
def test_demo_makes_three_calls_once(demo_people):
    _orgs(8)
    lines = []
    demo_generate(city_path="2101", showcase_path="210102001002", log=lines.append)
    assert len(lines) == 1
    calls = {c.kind + ":" + c.state: c for c in VentureCall.objects.all()}
    assert set(calls) == {"venture:decided", "purchase:decided", "venture:open"}
    decided = calls["venture:decided"]
    applications = VentureApplication.objects.filter(call=decided)
    assert 6 <= applications.count() <= 8
    assert set(applications.values_list("state", flat=True)) <= {ApplicationState.FUNDED, ApplicationState.REJECTED}
    assert Review.objects.filter(application__call=decided).count() == 2 * applications.count()
    projects = VentureProject.objects.filter(call=decided)
    assert projects.exists() and sum(p.grant for p in projects) <= decided.total_budget
    assert all(p.spent <= p.grant for p in VentureProject.objects.all())
    assert projects.filter(state=ProjectState.EVALUATED).count() == 1
    assert Spending.objects.exists() and ServiceContract.objects.count() == 1
    assert calls["venture:open"].state == CallState.OPEN
    demo_generate(city_path="2101", showcase_path="210102001002", log=lines.append)
    assert len(lines) == 1 and VentureCall.objects.count() == 3


def test_demo_is_quiet_without_organisations(demo_people):
    lines = []
    demo_generate(city_path="2101", showcase_path="210102001002", log=lines.append)
    assert lines == [] and VentureCall.objects.count() == 0
