"""The relief demo on the small tree: through the services, each step present, idempotent."""

from __future__ import annotations

import pytest
import time_machine

from linli.welfare.demo_relief import demo_generate
from linli.welfare.models import JobNeed, TemporaryAssistance, WelfarePost, ZeroEmploymentCase
from linli.welfare.tests.relief_support import NOW, SHUIYUANDI, Person, build_household, years_ago

pytestmark = pytest.mark.django_db


def test_demo_makes_every_step_once(tree, people):
    with time_machine.travel(NOW, tick=False):
        for n in range(12):
            build_household(
                SHUIYUANDI,
                f"{n + 1}01",
                [Person(f"居民{n}甲", years_ago(30 + n), "male"), Person(f"居民{n}乙", years_ago(28 + n), "female")],
                grid=1 + n % 2,
            )
        # one household whose only adult is out of work, so a case is found whatever the draw
        build_household(SHUIYUANDI, "999", [Person("失业者", years_ago(35), "male", "unemployed")])
        logged: list[str] = []
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        states = set(TemporaryAssistance.objects.values_list("state", flat=True))
        assert states == {"recorded", "reviewed", "granted", "refused", "paid_first", "completed", "confirmed"}
        assert TemporaryAssistance.objects.filter(person_ref__isnull=True, route="fast").count() == 1
        assert WelfarePost.objects.count() == 3
        assert ZeroEmploymentCase.objects.filter(state="closed", closed_how="post").count() == 1
        assert JobNeed.objects.count() == 5
        counts = (
            TemporaryAssistance.objects.count(),
            ZeroEmploymentCase.objects.count(),
            WelfarePost.objects.count(),
            JobNeed.objects.count(),
        )
        assert logged and "relief" in logged[0]
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        assert (
            TemporaryAssistance.objects.count(),
            ZeroEmploymentCase.objects.count(),
            WelfarePost.objects.count(),
            JobNeed.objects.count(),
        ) == counts
