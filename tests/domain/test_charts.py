"""The SVG charts: well-formed, accessible, scaled to their numbers, styled only by classes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from quizapp.domain import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_heat_levels_are_quarters_of_the_busiest_day():
    assert [charts.heat_level(n, 8) for n in range(9)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert charts.heat_level(5, 0) == 0
    assert charts.heat_level(1, 1) == 4


def test_heatmap_has_one_square_per_day_with_its_count():
    end = date(2026, 6, 15)  # a Monday
    counts = {end: 8, end - timedelta(days=1): 1, end - timedelta(days=400): 50}
    root = parse(
        charts.heatmap(counts, end=end, days=365, title="Reviews <per> day", desc="8 & more")
    )
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").text == "Reviews <per> day"
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").text == "8 & more"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 365
    by_day = {r.find(f"{SVG}title").text.rsplit(" ", 1)[1]: r for r in rects}
    assert by_day["2026-06-15"].get("class") == "chart-heat4"
    assert by_day["2026-06-14"].get("class") == "chart-heat1"  # the day out of range is ignored
    assert by_day["2026-06-13"].get("class") == "chart-heat0"
    assert by_day["2026-06-15"].find(f"{SVG}title").text == "8 reviews on 2026-06-15"
    assert by_day["2026-06-14"].find(f"{SVG}title").text == "1 review on 2026-06-14"
    # Monday at the top row, Sunday at the bottom; the last column holds the last Monday.
    assert by_day["2026-06-15"].get("y") == "12"
    assert by_day["2026-06-14"].get("y") == str(12 + 6 * 12)
    assert int(by_day["2026-06-15"].get("x")) > int(by_day["2026-06-14"].get("x"))
    assert "style" not in charts.heatmap(counts, end=end, title="t", desc="d")


def test_bar_chart_scales_bars_to_the_largest_value():
    bars = [charts.Bar("a", 10), charts.Bar("b", 5), charts.Bar("c", 0, "nothing")]
    root = parse(charts.bar_chart(bars, title="T", desc="D", height=120))
    rects = root.findall(f"{SVG}rect")
    heights = [float(r.get("height")) for r in rects]
    plot = 120 - 16 - 6
    assert heights == [plot, plot / 2, 0]
    assert [r.find(f"{SVG}title").text for r in rects] == ["a: 10", "b: 5", "nothing"]
    # Bars stand on the baseline.
    assert {float(r.get("y")) + float(r.get("height")) for r in rects} == {6 + plot}
    assert root.findall(f"{SVG}text")[0].text == "10"  # the scale


def test_bar_chart_of_nothing_draws_no_bars_above_the_line():
    root = parse(charts.bar_chart([charts.Bar("a", 0)], title="T", desc="D"))
    assert [r.get("height") for r in root.findall(f"{SVG}rect")] == ["0"]


def test_a_tiny_value_still_shows():
    root = parse(charts.bar_chart([charts.Bar("a", 1000), charts.Bar("b", 1)], title="T", desc="D"))
    assert float(root.findall(f"{SVG}rect")[1].get("height")) == 1
