"""The entitlements demo on the small tree: assessments in the showcase community through the
service and a bulk share elsewhere, levels from the form's rules, idempotent."""

from __future__ import annotations

import pytest

from linli.care.demo_entitlements import demo_generate
from linli.care.domain.entitlements import assessment_form, level_for_score
from linli.care.models import CareAssessment
from linli.care.tests import entitlements_support as support
from linli.care.tests.entitlements_support import HUNHEWAN, SHUIYUANDI, elder
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db
clock = support.clock


def test_demo_assesses_elders_once(people, clock):
    for n in range(13):
        elder(SHUIYUANDI, f"{n + 1}01", f"老人{n}", 60 + 2 * n)
    elder(SHUIYUANDI, "999", "年轻人", 40)
    for n in range(5):
        elder(HUNHEWAN, f"{n + 1}02", f"浑河湾老人{n}", 65 + n)
    logged: list[str] = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    showcase = CareAssessment.objects.filter(path__startswith=SHUIYUANDI)
    assert showcase.count() == 1  # 8 % of 13 elders, at least one
    assert AuditEntry.objects.filter(action="care.assessment.recorded").count() == 1
    assert CareAssessment.objects.filter(path__startswith=HUNHEWAN).count() == 5
    form = assessment_form()
    assert all(level_for_score(form, a.score) == a.level for a in CareAssessment.objects.all())
    assert logged == [
        "示范社区能力评估 capability assessments in the showcase community: 1",
        "全市能力评估 capability assessments across the city: 5",
    ]
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
    assert CareAssessment.objects.count() == 6
    assert len(logged) == 2
