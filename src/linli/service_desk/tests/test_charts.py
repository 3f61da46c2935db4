"""The figures page's charts: the monthly trend selector (stored and live agree, scope, a bounded
number of queries) and the page's data islands with the same numbers as their tables."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine

from linli.residents.services import applicant_lookup
from linli.service_desk.selectors import desk_monthly_trend
from linli.service_desk.services import desk_figures_refresh
from linli.service_desk.tests.conftest import ZHANG_ID
from linli.service_desk.tests.test_cases import WEDNESDAY, step, window_intake

# Decided and rated: 25 and 26 November (scores 5 and 2), 2 December (score 4).
DAYS = ((0, 5), (1, 2), (7, 4))


def _decide_three(desk):
    worker, street, resident = (desk["actors"][k] for k in ("community_worker", "street_officer", "resident"))
    ref = applicant_lookup(actor=worker, id_number=ZHANG_ID, purpose="受理").public_id
    for offset, score in DAYS:
        with time_machine.travel(WEDNESDAY + timedelta(days=offset), tick=False):
            case = step(street, window_intake(worker, ref), "start_review")
            case = step(street, case, "decide", decision="approved", note="符合")
            case = step(worker, case, "deliver", delivery_method="pickup")
            step(resident, case, "rate", score=score)


def test_monthly_trend_counts_each_month_the_same_stored_or_live(desk, django_assert_max_num_queries):
    _decide_three(desk)
    admin = desk["actors"]["district_admin"]
    with time_machine.travel(WEDNESDAY + timedelta(days=8), tick=False):
        with django_assert_max_num_queries(6):
            live = desk_monthly_trend(actor=admin, path="210102", months=3)
        assert desk_figures_refresh() == "3 unit-days of desk figures stored"
        stored = desk_monthly_trend(actor=admin, path="210102", months=3)
    assert stored == live
    assert [m.month for m in live] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert [(m.decided, m.on_time, m.rated, m.bad) for m in live] == [(0, 0, 0, 0), (2, 2, 2, 1), (1, 1, 1, 0)]
    assert live[1].satisfaction_rate == 0.5 and live[2].on_time_rate == 1.0 and live[0].on_time_rate is None


@pytest.mark.parametrize("who", ["community_worker", "other_district_admin", "resident"])
def test_monthly_trend_is_closed_outside_the_scope_or_the_role(desk, who):
    from linli.core.errors import DomainError

    with pytest.raises(DomainError) as raised:
        desk_monthly_trend(actor=desk["actors"][who], path="210102")
    assert raised.value.status == 404


def test_figures_page_draws_the_trend_and_units_with_the_same_numbers_as_its_tables(desk, client):
    _decide_three(desk)
    with time_machine.travel(WEDNESDAY + timedelta(days=8), tick=False):
        client.force_login(desk["users"]["district_admin"])
        html = client.get("/staff/desk/figures/").content.decode()
    trend = json.loads(html.split('id="desk-trend-data" type="application/json">')[1].split("</script>")[0])
    assert trend["kind"] == "line" and trend["categories"][-2:] == ["2026-11", "2026-12"]
    assert [s["values"][-2:] for s in trend["series"]] == [[2, 1], [100.0, 100.0], [50.0, 100.0]]
    units = json.loads(html.split('id="desk-units-data" type="application/json">')[1].split("</script>")[0])
    assert units["kind"] == "hbars" and units["series"][1]["unit"] == "%"
    table = html.split('id="desk-trend-caption"')[1].split("</table>")[0]
    assert (
        '<th scope="row">2026-11</th><td class="num">2</td><td class="num">100.0%</td><td class="num">50.0%</td>'
        in table
    )
    assert "<title>" in html and "<h2>" not in html.split("<title>")[1].split("</title>")[0]
