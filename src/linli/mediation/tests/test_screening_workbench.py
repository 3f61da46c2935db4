# ruff: noqa: F811 (the stage's fixtures are imported from mediators_support)
"""The workbench: a community's screener sees the report due until it is filed; the street sees
the communities overdue; a pool keeper sees the staffing rule's red marks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from linli.mediation.services import screening as svc
from linli.mediation.tests.mediators_support import SHUIYUANDI, TODAY, clock, mediator  # noqa: F401
from linli.mediation.workbench.mediators import mediators_today
from linli.mediation.workbench.screening import screening_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the sections' words as written; the Chinese is the catalogue's
        yield


NOV = dt.date(2026, 11, 1)


def test_the_community_sees_the_report_due_until_filed(tree, actors, clock):
    worker = actors["community_worker"]
    section = screening_today(worker, TODAY)
    assert [(r.title, r.detail, r.due_label, r.tone) for r in section.rows] == [
        ("Dispute screening for 2026-11", "水源地社区", "due by 2026-12-05", "danger")
    ]
    assert section.rows[0].url == f"/staff/mediation/screening/file/?path={SHUIYUANDI}&month=2026-11"
    in_last_days = screening_today(worker, dt.date(2026, 12, 28))
    assert [r.title for r in in_last_days.rows] == ["Dispute screening for 2026-11", "Dispute screening for 2026-12"]
    svc.screening_file(actor=worker, path=SHUIYUANDI, month=NOV, data=svc.ScreeningInput(0, 0, 0, 0))
    assert screening_today(worker, TODAY) is None


def test_the_street_sees_the_communities_overdue(tree, actors, clock):
    section = screening_today(actors["street_officer"], TODAY)
    assert [(c.label, c.count, c.tone) for c in section.counts] == [
        ("Communities overdue with the screening for 2026-11", 2, "danger")
    ]
    assert screening_today(actors["resident"], TODAY) is None


def test_pool_keepers_see_the_red_marks(tree, actors, clock):
    mediator(actors["street_officer"], "committee", SHUIYUANDI, "王调解")
    section = mediators_today(actors["street_officer"], TODAY)
    assert [(c.key, c.count) for c in section.counts] == [
        ("mediators.red_communities", 1),
        ("mediators.red_streets", 1),
    ]
    assert mediators_today(actors["community_worker"], TODAY) is None


def test_the_header_search_finds_a_mediator_of_the_pool(tree, actors, clock):
    from linli.core.workbench import SearchQuery
    from linli.mediation.workbench.mediators import mediators_search

    m = mediator(actors["street_officer"], "committee", SHUIYUANDI, "王调解")
    found = mediators_search(actors["street_officer"], SearchQuery("调解", "text"))
    assert [(h.title, h.url) for h in found.hits] == [("王调解", f"/staff/mediation/mediators/{m.public_id}/")]
    assert mediators_search(actors["other_community_worker"], SearchQuery("调解", "text")).hits == []
    assert mediators_search(actors["street_officer"], SearchQuery("13812345678", "digits")) is None
