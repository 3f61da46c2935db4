"""The modifications demo on the small tree: through the services, every state, idempotent."""

import datetime as dt

import pytest
import time_machine

from linli.care.demo_modifications import demo_generate, png
from linli.care.domain.modifications import photo_type
from linli.care.models import ModificationApplication, ModificationPhoto, ModificationStep
from linli.care.tests.modifications_support import HUNHEWAN, NOW, SHUIYUANDI, elder

pytestmark = pytest.mark.django_db


def test_demo_makes_every_state_and_earlier_years_once(tree, people):
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            elder(SHUIYUANDI, f"{n + 1}-101", f"老人{n}", dt.date(1935 + n, 3, 1), kinds=("elderly_alone",))
        for n in range(5):
            elder(HUNHEWAN, f"{n + 1}-202", f"长者{n}", dt.date(1940 + n, 6, 1), kinds=("advanced_age",))
        logged: list[str] = []
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        showcase = ModificationApplication.objects.filter(path__startswith=SHUIYUANDI)
        assert sorted(showcase.values_list("state", flat=True)) == sorted(
            ["paid", "paid", "accepted", "in_works", "confirmed", "assessed", "applied", "refused", "withdrawn"]
        )
        history = ModificationApplication.objects.filter(path__startswith=HUNHEWAN)
        assert (history.count(), set(history.values_list("state", flat=True))) == (5, {"paid"})
        assert ModificationPhoto.objects.filter(stage="after").count() == 3 * 3  # three paid/accepted × 3 items
        assert logged == [
            "适老化改造申请（示范社区） home modifications in the showcase community: 9",
            "往年已完成适老化改造 earlier finished home modifications: 5",
        ]
        counts = (ModificationApplication.objects.count(), ModificationStep.objects.count())
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        assert (ModificationApplication.objects.count(), ModificationStep.objects.count()) == counts
        assert len(logged) == 2


def test_the_demo_photos_are_real_pngs():
    assert photo_type(png(4, 3, (10, 20, 30))) == "image/png"
