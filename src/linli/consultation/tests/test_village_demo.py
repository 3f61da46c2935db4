# ruff: noqa: F811 (the stage's fixtures are imported from village_support)
"""The village demo: a matter at every step (a failed quorum kept, one returned, one done), the
town's review waiting, and a second run adds nothing."""

from __future__ import annotations

import pytest

from linli.consultation.demo_village import demo_generate
from linli.consultation.models import BoardNotice, VillageMatter, VillageMatterStep, VillageRepresentative
from linli.consultation.tests.village_support import VILLAGE, clock, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_demo_puts_a_matter_at_every_step_once(world):
    demo_generate(city_path="2101", showcase_path="210103001001", log=lambda *a: None)
    stages = sorted(VillageMatter.objects.filter(path=VILLAGE).values_list("stage", "state"))
    assert stages == sorted(
        [
            ("propose", "open"),
            ("discuss", "open"),
            ("deliberate", "open"),
            ("resolve", "open"),
            ("propose", "returned"),
            ("review", "open"),
            ("publish_resolution", "open"),
            ("publish_result", "done"),
        ]
    )
    assert VillageMatterStep.objects.filter(result="no_quorum").count() == 1
    assert VillageRepresentative.objects.filter(path=VILLAGE).count() == 9
    assert BoardNotice.objects.filter(path=VILLAGE).count() == 3
    counts = (VillageMatter.objects.count(), VillageMatterStep.objects.count())
    demo_generate(city_path="2101", showcase_path="210103001001", log=lambda *a: None)
    assert (VillageMatter.objects.count(), VillageMatterStep.objects.count()) == counts
