"""The applications' demo: through the services, each step present, idempotent."""

import pytest
import time_machine

from linli.welfare.demo_applications import demo_generate
from linli.welfare.models import Application
from linli.welfare.tests.applications_support import MONDAY, make_family


@pytest.fixture
def family(tree, people):
    return make_family()


def test_the_demo_puts_applications_at_each_step_once(family):
    with time_machine.travel(MONDAY, tick=False):
        logged = []
        demo_generate(city_path="2101", showcase_path="210102001002", log=logged.append)
        states = sorted(Application.objects.values_list("state", flat=True))
        # the fixture's community has two households: recording and checking
        assert states == ["checking", "recording"]
        demo_generate(city_path="2101", showcase_path="210102001002", log=logged.append)
        assert Application.objects.count() == 2
    assert logged[0].endswith(": 2")
