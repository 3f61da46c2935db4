# ruff: noqa: F811 (the stage's fixtures are imported from board_support)
"""Board demo: the showcase community's convention in three versions and its four kinds of
notices, a convention and a notice in three other communities, the village's rules; a second run
adds nothing."""

from __future__ import annotations

import pytest

from linli.consultation.demo_board import demo_generate
from linli.consultation.models import BoardNotice, Convention, ConventionVersion
from linli.consultation.tests.board_support import SHUIYUANDI, TODAY, VILLAGE, clock, consultation_row  # noqa: F401
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        BoardNotice.objects.count(),
        Convention.objects.count(),
        ConventionVersion.objects.count(),
        AuditEntry.objects.count(),
    )


def test_the_demo_boards(tree, clock):
    consultation_row(SHUIYUANDI, "decided")
    consultation_row(SHUIYUANDI, "discussing")
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    showcase = Convention.objects.get(path=SHUIYUANDI)
    versions = list(showcase.versions.order_by("version").values_list("version", "state"))
    assert versions == [(1, "superseded"), (2, "adopted"), (3, "consulting")]
    notices = BoardNotice.objects.filter(path=SHUIYUANDI, source_type="")
    assert sorted(notices.values_list("kind", flat=True)) == ["finance", "notice", "notice", "notice"]
    assert notices.filter(withdrawn_at__isnull=False).count() == 1
    assert notices.filter(public_until__lt=TODAY).count() == 1
    others = Convention.objects.exclude(path=SHUIYUANDI).order_by("path")
    assert [(c.path, c.kind) for c in others] == [
        ("210102001003", "residents"),
        ("210102002001", "residents"),
        ("210103001001", "residents"),
        (VILLAGE, "village"),
    ]
    before = _counts()
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=lambda *_: None)
    assert _counts() == before


def test_without_consultations_the_draft_waits(tree, clock):
    said = []
    demo_generate(city_path="2101", showcase_path=SHUIYUANDI, log=said.append)
    showcase = Convention.objects.get(path=SHUIYUANDI)
    assert list(showcase.versions.order_by("version").values_list("version", "state")) == [(1, "adopted"), (2, "draft")]
    assert said[0] == "  board: no consultation in the showcase community; the draft stays a draft"
