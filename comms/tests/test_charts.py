from datetime import date
from decimal import Decimal

from comms.charts import bar_chart, line_chart


def test_bar_chart_is_an_accessible_svg_with_a_data_table():
    html = bar_chart(
        title="Growth",
        description="By channel",
        items=[("LinkedIn", Decimal("27")), ("X <b>", 3)],
        chart_id="g",
    )
    assert 'role="img" aria-labelledby="g-title g-desc"' in html
    assert '<title id="g-title">Growth</title>' in html
    assert "<th scope='row'>X &lt;b&gt;</th><td>3%</td>" not in html  # no unit given
    assert "<th scope='row'>LinkedIn</th><td>27</td>" in html
    assert html.count("<rect") == 2


def test_line_chart_tables_one_row_per_month():
    points = [(date(2023, 1, d), d * 10) for d in range(1, 32)] + [(date(2023, 2, 1), 400)]
    html = line_chart(title="Followers", description="LinkedIn", points=points, chart_id="f")
    assert "<polyline" in html
    assert html.count("<tr><th scope='row'>") == 2
    assert "<td>310</td>" in html


def test_empty_chart_says_there_is_no_data():
    assert "no data yet" in line_chart(title="Followers", description="", points=[], chart_id="x")
