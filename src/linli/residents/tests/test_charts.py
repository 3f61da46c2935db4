"""The rates page's chart: each child unit's awareness against the plan's targets, the same
numbers as the page's table, in a bounded number of queries."""

from __future__ import annotations

import json

from linli.residents.templatetags.residents_format import percent
from linli.residents.tests.test_web import BASE, login, page


def _island(html: str) -> dict:
    return json.loads(html.split('id="rates-chart-data" type="application/json">')[1].split("</script>")[0])


def test_percent_rounds_like_the_chart():
    assert percent(0.63157) == "63.2%" and percent(1 / 3) == "33.3%"
    assert percent(None) == "—" and percent("") == "—"  # nothing to count, or nothing found


def test_a_street_charts_its_communities_against_the_targets(client, people, pool):
    login(client, people, "street_officer")
    html = page(client.get(f"{BASE}/rates/210102001000/"))
    chart = _island(html)
    # 水源地: 2 households, one visited (50 %); its two care residents overdue (0 %); 浑河湾: none visited
    assert chart["categories"] == ["水源地社区", "浑河湾社区"]
    assert chart["series"][0]["values"][0] == 50.0 and chart["series"][1]["values"][0] == 0.0
    assert chart["series"][0]["values"][1] == 0.0
    assert [t["value"] for t in chart["targets"]] == [98.0, 100.0]
    assert '<th scope="row">水源地社区</th><td class="num">50.0%</td><td class="num">0.0%</td>' in html


def test_a_district_lists_and_charts_its_streets_in_few_queries(client, people, pool, django_assert_max_num_queries):
    login(client, people, "district_admin")
    client.get(f"{BASE}/rates/")  # warms the per-process memos, as a running server has them
    with django_assert_max_num_queries(16):
        html = page(client.get(f"{BASE}/rates/"))
    assert "按街道" in html
    assert _island(html)["categories"] == ["浑河湾街道", "集贤街道"]


def test_a_community_has_no_children_and_no_chart(client, people, pool):
    login(client, people, "community_worker")
    html = page(client.get(f"{BASE}/rates/"))
    assert "水源地社区" in html and "rates-chart" not in html
