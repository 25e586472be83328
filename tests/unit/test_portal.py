"""sitegen.portal: the sample site's documents, schedule weeks and leaders become their own pages and feeds."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from sitegen import config, data, dates, loader, portal
from sitegen.context import out_path
from sitegen.posts import renderer_for

SAMPLE = Path(__file__).resolve().parents[2]


def _load() -> tuple[config.Config, portal.Portal, list]:
    cfg = config.load_config(SAMPLE)[0]
    sources, statics, _ = loader.walk_content(SAMPLE)
    _, _, own = portal.split(sources, statics)
    now = dates.build_time(cfg.tz, {"SOURCE_DATE_EPOCH": "1780000000"})
    site_data = data.load_data(SAMPLE)[0]
    found, problems = portal.load(SAMPLE, cfg, own, renderer_for(cfg), now, site_data)
    return cfg, found, problems


def test_documents_and_weeks_are_taken_out_of_the_posts_and_statics() -> None:
    posts, statics, own = portal.split(
        ["content/tin-tuc/a.md", "content/van-ban/2026/07-hd-ubnd.md"],
        ["content/lich-cong-tac/2026/tuan-10.toml", "content/anh/a.png"])
    assert posts == ["content/tin-tuc/a.md"] and statics == ["content/anh/a.png"]
    assert own.documents == ["content/van-ban/2026/07-hd-ubnd.md"]
    assert own.weeks == ["content/lich-cong-tac/2026/tuan-10.toml"]


def test_the_sample_portal_has_its_pages_feeds_and_menu() -> None:
    cfg, found, problems = _load()
    assert [p for p in problems if p.severity == "error"] == []
    assert found.has_documents and found.weeks
    outs = {job.out for job in portal.jobs(cfg, found)}
    assert f"{portal.REGISTER_URL}index.html" in outs
    assert all(out_path(doc.url) in outs for doc in found.register.documents)
    feeds = portal.build_feeds(cfg, found, dates.build_time(cfg.tz, {"SOURCE_DATE_EPOCH": "1780000000"}))
    assert sorted(feeds) == sorted(portal.feed_paths(found))
    rss = etree.fromstring(feeds[f"{portal.REGISTER_URL}feed.xml"])
    assert len(rss.findall("./channel/item")) >= 1
    nav = portal.shared(cfg, found, dates.build_time(cfg.tz, {}), ())["portal_nav"]
    assert [item["url"] for item in nav] == [portal.REGISTER_URL, portal.SCHEDULE_URL]


def test_the_widget_is_made_from_the_newest_documents() -> None:
    _, found, _ = _load()
    made = portal.with_widget({"van_ban": "from the csv"}, found)
    rows = made["van_ban"]
    assert rows[0]["so_hieu"] == found.register.documents[0].so_ky_hieu and rows[0]["url"].startswith("/")
    empty = portal.Portal(portal.documents.register([]), (), None, None, "", portal.documents.Memo(None))
    assert portal.with_widget({"van_ban": "from the csv"}, empty) == {"van_ban": "from the csv"}
