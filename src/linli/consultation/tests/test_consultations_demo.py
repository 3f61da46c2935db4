# ruff: noqa: F811 (the stage's fixtures are imported from consultations_support)
"""The stage's demo: made through the services, idempotent."""

from __future__ import annotations

from linli.consultation.demo_consultations import demo_generate
from linli.consultation.models import Comment, Consultation, Meeting, SignIn
from linli.consultation.tests.consultations_support import SHUIYUANDI, clock, world  # noqa: F401 (fixtures)


def test_the_demo_makes_the_showcase_consultations_once(world):
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    showcase = Consultation.objects.filter(path=SHUIYUANDI, state="discussing")
    assert sorted(showcase.values_list("title", flat=True)) == [
        "3号楼加装电梯",
        "小区停车位规划方案",
        "广场舞时间与音量公约",
    ]
    assert all(c.options.count() >= 2 for c in showcase)
    assert Consultation.objects.filter(path=SHUIYUANDI, state="draft").count() == 1
    assert Consultation.objects.exclude(path=SHUIYUANDI).count() == 2
    assert Comment.objects.filter(state="pending").exists() and Comment.objects.filter(state="shown").exists()
    assert Meeting.objects.get().minutes and SignIn.objects.filter(stakeholder="物业公司").count() == 1
    counts = (Consultation.objects.count(), Comment.objects.count(), SignIn.objects.count())
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert (Consultation.objects.count(), Comment.objects.count(), SignIn.objects.count()) == counts
