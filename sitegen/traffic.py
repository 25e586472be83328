"""The counted views as readers see them: totals, the last day, the last 12 months, top pages, categories."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sitegen import viewcount, viewfile
from sitegen.catalog import Catalog
from sitegen.model import Config, MonthBar, Traffic

TOP_COUNT = 10
MONTHS = 12
CHART_HEIGHT = 160  # the drawing area of the bars in the SVG, in its own units
BAR_STEP = 50  # one month's width; the bar is 34 of it


def attach(cat: Catalog, counted: viewfile.Counted, cfg: Config, now: datetime) -> Catalog:
    """The catalogue with its Traffic: what /thong-ke/ and the footer show."""
    shown = cat.posts + cat.pages
    brought = sum(post.views - viewcount.counted_for(counted, post) for post in shown)
    days = {day: views for day, views in counted.days.items() if views}
    last_day = max(days, default="")
    ranked = sorted(shown, key=lambda p: (-p.views, p.url))[:TOP_COUNT]
    categories = tuple((c, sum(p.views for p in cat.by_category[c.key])) for c in cfg.categories)
    traffic = Traffic(total=brought + sum(days.values()), brought=brought, last_day=last_day,
                      last_day_views=days.get(last_day, 0), months=month_bars(days, now),
                      top=tuple((link, link.views) for link in cat.links([p for p in ranked if p.views])),
                      categories=categories)
    return replace(cat, traffic=traffic)


def month_bars(days: dict[str, int], now: datetime) -> tuple[MonthBar, ...]:
    """The 12 months up to the build time's, oldest first, with bars scaled to the busiest."""
    year, month = now.year, now.month
    keys = []
    for _ in range(MONTHS):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    totals = dict.fromkeys(keys, 0)
    for day, views in days.items():
        key = (int(day[:4]), int(day[5:7]))
        if key in totals:
            totals[key] += views
    busiest = max(totals.values()) or 1
    bars = []
    for n, (key, views) in enumerate(totals.items()):
        height = round(CHART_HEIGHT * views / busiest)
        bars.append(MonthBar(label=f"{key[1]:02d}/{key[0]}", count=views, x=n * BAR_STEP + 8,
                             y=20 + CHART_HEIGHT - height, height=height))
    return tuple(bars)
