"""The workbench section and the figures."""

import datetime as dt
from decimal import Decimal

from linli.charity.selectors import figures
from linli.charity.services import RequestInput, match_confirm, need_post, payment_request
from linli.charity.tests.conftest import TODAY, need_input
from linli.charity.workbench import charity_today


def test_today_counts_overdue_needs_deliveries_and_waiting_payments(actors, need, resident_offer, fund, clock):
    worker = actors["community_worker"]
    late = need_post(actor=worker, data=need_input(title="助行器", needed_by=TODAY + dt.timedelta(days=1)))
    match_confirm(actor=worker, need=need, offer_id=resident_offer.public_id, quantity=1)
    payment_request(actor=worker, fund=fund, data=RequestInput(purpose="加装扶手", payee="沈阳安居", amount="6000"))
    clock.move_to(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC))
    section = charity_today(worker, TODAY)
    assert {c.key: c.count for c in section.counts} == {
        "charity.overdue": 1,
        "charity.to_deliver": 1,
        "charity.waiting": 1,
    }
    assert section.rows[0].title == late.title
    assert len(section.rows) == 3
    other = charity_today(actors["other_community_worker"], TODAY)
    assert other.total == 0
    assert charity_today(actors["resident"], TODAY) is None
    assert charity_today(actors["organiser"], TODAY) is None


def test_figures_per_month_and_area(actors, need, fund, clock):
    data = figures(actor=actors["street_officer"])
    assert data.months[-1] == "2026-12" and len(data.months) == 12
    assert data.needs_posted[-1] == 1 and data.raised[-1] == Decimal("8500.00")
    assert data.areas == [("水源地社区", 1, 0, Decimal("8500.00"), Decimal("0.00"))]
    assert figures(actor=actors["resident"]).areas == []
