"""sitegen.traffic: the figures of /thong-ke/ and the footer, from counted views."""

from __future__ import annotations

from collections import Counter

from sitegen import traffic, viewcount, viewfile
from tests.unit.site_parts import CFG, NOW, catalogue, post


def test_totals_split_brought_views_from_counted_ones() -> None:
    a, b = post("a", views=100), post("b", 2, views=5)
    counted = viewfile.Counted(pages=Counter({a.url: 30}), days=Counter({"2026-03-14": 20, "2026-02-01": 10}))
    shown, _ = viewcount.apply(counted, [a, b], {})
    figures = traffic.attach(catalogue(*shown), counted, CFG, NOW).traffic
    assert (figures.total, figures.brought) == (105 + 30, 105)  # 100 + 5 brought over, 30 counted
    assert (figures.last_day, figures.last_day_views) == ("2026-03-14", 20)
    assert [(link.source, views) for link, views in figures.top] == [(a.source, 130), (b.source, 5)]


def test_month_bars_are_the_last_twelve_months_scaled_to_the_busiest() -> None:
    bars = traffic.month_bars({"2026-03-01": 40, "2026-03-15": 40, "2025-12-31": 20, "2024-01-01": 999}, NOW)
    assert [bar.label for bar in bars][0] == "04/2025" and bars[-1].label == "03/2026" and len(bars) == 12
    assert bars[-1].count == 80 and bars[-1].height == traffic.CHART_HEIGHT
    december = next(bar for bar in bars if bar.label == "12/2025")
    assert december.height == round(traffic.CHART_HEIGHT / 4)
