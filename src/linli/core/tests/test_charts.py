"""A chart's data island and its table carry the same numbers, rounded once."""

from linli.core.charts import PERCENT, Chart, Series, Target


def _chart() -> Chart:
    return Chart(
        id="c",
        kind="hbars",
        title="Rates",
        category_label="Unit",
        categories=["甲", "乙"],
        series=[Series("Awareness", [0.63157, None], PERCENT), Series("Households", [12, 0])],
        targets=[Target("Target", 0.98)],
    )


def test_percent_series_are_drawn_and_tabled_as_rounded_percentages():
    chart = _chart()
    data = chart.data()
    assert data["series"][0] == {"name": "Awareness", "unit": "%", "color": "", "values": [63.2, None]}
    assert data["series"][1]["values"] == [12, 0]
    assert data["targets"] == [{"name": "Target", "series": 0, "value": 98.0}]
    assert chart.rows() == [("甲", ["63.2%", "12"]), ("乙", ["—", "0"])]
    assert chart.target_lines() == ["Target: 98.0%"]
    assert chart.data_id == "c-data"


def test_the_include_writes_the_island_and_a_captioned_table():
    from django.template.loader import render_to_string

    html = render_to_string("portal/_chart.html", {"chart": _chart()})
    assert '<script id="c-data" type="application/json">' in html
    assert '<caption id="c-caption" class="visually-hidden">Rates</caption>' in html
    assert '<th scope="row">甲</th><td class="num">63.2%</td><td class="num">12</td>' in html
    assert 'data-chart="c-data"' in html and 'aria-hidden="true"' in html
