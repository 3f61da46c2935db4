"""The classes demo on the small tree: through the services, every part present, idempotent."""

import datetime as dt

import pytest
import time_machine

from linli.care.demo_classes import demo_generate
from linli.care.models import ClassEnrolment, ClassRequest, HappyClass, Lecturer, ModelSite
from linli.care.selectors.classes import community_rows
from linli.care.tests.classes_support import EDITOR, NOW, SHUIYUANDI
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_add

pytestmark = pytest.mark.django_db


def test_demo_makes_every_part_once(tree, actors):
    with time_machine.travel(NOW, tick=False):
        for n in range(10):
            household = household_register(
                actor=EDITOR, building_code=f"{SHUIYUANDI}001001", room=f"{n + 1}01", residence_type="registered"
            )
            born = dt.date(1948 + n, 4, 2)
            resident_add(
                actor=EDITOR,
                household=household,
                data=ResidentInput(
                    name=f"居民{n}",
                    gender="female",
                    birth_date=born,
                    id_number=id_number_make("210102", born, 40 + n, "female"),
                ),
            )
        logged: list[str] = []
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        counts = tuple(m.objects.count() for m in (Lecturer, HappyClass, ClassRequest, ClassEnrolment, ModelSite))
        assert counts[0] == 8 and counts[4] >= 1
        assert set(ClassRequest.objects.values_list("state", flat=True)) == {"open", "planned", "declined"}
        full = HappyClass.objects.get(title="智能手机视频通话")
        assert (full.enrolled, full.waiting, full.capacity) == (6, 2, 6)
        held = HappyClass.objects.get(title="太极拳入门")
        assert (held.sessions.get().present, held.rating_count) == (5, 4)
        rows = community_rows(actor=actors["street_officer"], year=NOW.year)
        assert next(r for r in rows if r.path == SHUIYUANDI).opened
        assert all(" " in line and line.split(":")[-1].strip().isdigit() for line in logged if ": " in line)
        demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=logged.append)
        assert (
            tuple(m.objects.count() for m in (Lecturer, HappyClass, ClassRequest, ClassEnrolment, ModelSite)) == counts
        )
