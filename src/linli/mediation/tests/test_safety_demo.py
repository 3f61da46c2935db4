# ruff: noqa: F811 (the stage's fixtures are imported from safety_support)
"""The safety demo on the small tree: through the services, each part present, idempotent."""

import pytest

from linli.accounts.domain import Role
from linli.mediation.demo_safety import demo_generate
from linli.mediation.models import EmergencyDrill, FourZeroStatus, PoliceBeat, PoliceCase, SafetyIncident
from linli.mediation.tests.safety_support import SHUIYUANDI, clock, police_department  # noqa: F401 (fixtures)
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (PoliceBeat, EmergencyDrill, SafetyIncident, PoliceCase, FourZeroStatus))


def test_demo_makes_every_part_once(tree, clock):
    officer = make_user("demo_police_officer", Role.POLICE_OFFICER, police_department())
    logged: list[str] = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    beats, drills, incidents, cases, statuses = _counts()
    # 5 communities: 水源地 and 浑河湾 (its street) to the demo officer, the 5th-of-9 left without
    assert beats == 4
    assert PoliceBeat.objects.get(path=SHUIYUANDI).user_id == officer.pk
    assert drills >= 5 and incidents >= 1 and cases >= 1
    assert statuses == 5 * 12
    assert FourZeroStatus.objects.filter(four_zero=True).count() > statuses // 2
    assert SafetyIncident.objects.filter(path=SHUIYUANDI).exists()
    assert PoliceCase.objects.filter(path=SHUIYUANDI, recorded_by=officer).exists()
    assert logged[0].startswith("社区民警 police beats: 4")
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert _counts() == (beats, drills, incidents, cases, statuses)
    assert logged[-1] == "四零社区 four-zero statuses: 0 months computed"
