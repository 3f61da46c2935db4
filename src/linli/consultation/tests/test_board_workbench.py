# ruff: noqa: F811 (the stage's fixtures are imported from board_support)
"""Board on the workbench: notices coming down within 3 days and drafts under consultation, in
one query; nothing for an actor with nothing to do."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.consultation.services import board as svc
from linli.consultation.tests.board_support import (  # noqa: F401 (fixtures)
    SHUIYUANDI,
    TODAY,
    clock,
    consultation_row,
    convention_in_force,
    notice,
)
from linli.consultation.workbench.board import board_today

pytestmark = pytest.mark.django_db


def test_the_committee_s_section(actors, clock, django_assert_num_queries):
    worker = actors["community_worker"]
    notice(worker, title="三天后撤", public_until=TODAY + dt.timedelta(days=3))
    notice(worker, title="四天后撤", public_until=TODAY + dt.timedelta(days=4))
    notice(worker, title="长期")
    convention = convention_in_force(worker)  # its announcement comes down in 30 days
    draft = svc.version_draft(actor=worker, convention=convention)
    svc.version_consult(actor=worker, version=draft, consultation_id=consultation_row(SHUIYUANDI, "voting").public_id)
    with django_assert_num_queries(1):
        section = board_today(worker, TODAY)
    assert [(c.key, c.count) for c in section.counts] == [("board.expiring", 1), ("board.consulting", 1)]
    assert [r.title for r in section.rows] == ["三天后撤", "居民公约"]


@pytest.mark.parametrize("who", ["street_officer", "resident", "other_community_worker", "department_officer"])
def test_nothing_for_others(actors, clock, who):
    notice(actors["community_worker"], title="三天后撤", public_until=TODAY + dt.timedelta(days=3))
    assert board_today(actors[who], TODAY) is None
