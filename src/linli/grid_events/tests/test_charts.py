"""The supervision page's charts: the monthly trend selector (months, scope, one query) and the
data islands of the trend and the rankings, with the same numbers as their tables."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from linli.core.errors import DomainError
from linli.grid_events.models import GridEvent
from linli.grid_events.selectors import event_monthly_trend
from linli.grid_events.tests.conftest import TUESDAY_9AM
from linli.grid_events.tests.test_web import as_user, staff_report  # noqa: F401 (fixture)


def _two_months_of_reports(as_user, clock):  # noqa: F811 (the fixture)
    """One event on 24 November, closed on time; one on 29 December, still open."""
    staff_report(as_user("grid_worker"))
    GridEvent.objects.update(state="closed", closed_on_time=True)
    clock.move_to(TUESDAY_9AM + timedelta(days=35))
    assert staff_report(as_user("grid_worker"), description="路灯不亮，晚上很黑").status_code == 302


def test_monthly_trend_counts_reports_and_solved_events_per_month(grid, as_user, clock, django_assert_num_queries):  # noqa: F811
    _two_months_of_reports(as_user, clock)
    with django_assert_num_queries(1):
        months = event_monthly_trend(actor=grid["actors"]["district_admin"], path="210102", months=3)
    assert [m.month for m in months] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert [(m.reported, m.solved, m.solved_on_time) for m in months] == [(0, 0, 0), (1, 1, 1), (1, 0, 0)]
    assert event_monthly_trend(actor=grid["actors"]["city_admin"], path="2101", months=1)[0].reported == 1


@pytest.mark.parametrize("who", ["other_district_admin", "resident"])
def test_monthly_trend_is_closed_outside_the_area(grid, who):
    with pytest.raises(DomainError) as raised:
        event_monthly_trend(actor=grid["actors"][who], path="210102")
    assert raised.value.status == 404


def _island(html: str, chart_id: str) -> dict:
    return json.loads(html.split(f'id="{chart_id}-data" type="application/json">')[1].split("</script>")[0])


def test_supervision_page_charts_the_trend_and_the_rankings(grid, as_user, clock, django_assert_max_num_queries):  # noqa: F811
    _two_months_of_reports(as_user, clock)
    client = as_user("district_admin")
    client.get("/staff/grid/supervision/")  # warms the per-process memos, as a running server has them
    with django_assert_max_num_queries(20):
        html = client.get("/staff/grid/supervision/").text
    trend = _island(html, "grid-trend")
    assert trend["categories"][-2:] == ["2026-11", "2026-12"] and len(trend["categories"]) == 12
    assert [s["values"][-2:] for s in trend["series"]] == [[1, 1], [1, 0], [1, 0]]
    units = _island(html, "grid-units")
    assert units["categories"] == ["浑河湾街道"] and [t["value"] for t in units["targets"]] == [90.0, 80.0]
    assert '<th scope="row">2026-12</th><td class="num">1</td><td class="num">0</td>' in html
