"""sitegen.incremental.store: a compiled post survives the trip through its JSON record (the body is kept apart)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import orjson
import pytest

from sitegen import config, hashing, incremental, kinds, loader
from sitegen.incremental import store as cache
from sitegen.kinds import Post

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "site"


def test_every_post_comes_back_from_its_record_without_its_body() -> None:
    seen = []
    for site in (GOLDEN, GOLDEN.parents[2]):  # the golden site and the sample site
        cfg = config.load_config(site)[0]
        work = incremental.begin(incremental.Setup(site, site / "public", cfg, use_cache=False))
        posts = work.compile(loader.walk_content(site)[0], []).posts
        categories = {c.key: c for c in cfg.categories}
        batch = posts + [replace(posts[0], aliases=("tin-cu/", "cu.html"), draft=True)]
        for post in batch:
            record = orjson.loads(orjson.dumps(cache.post_record(post)))
            assert cache.post_from_record(record, cfg, categories) == replace(post, body_html=cache.NOT_LOADED)
        seen += batch
    assert all(any(getattr(p, name) for p in seen) for name in ("updated", "aliases", "draft", "tags", "image_width",
                                                                 "local_refs", "is_page", "author"))


def test_a_record_of_the_wrong_shape_is_refused() -> None:
    cfg = config.load_config(GOLDEN)[0]
    categories = {c.key: c for c in cfg.categories}
    post = Post(source="content/a.md", title="T", slug="t", url="a/2024/t/", body_html="<p>x</p>", summary="",
                date=datetime.fromisoformat("2024-01-02T08:00:00+07:00"), views=3)
    good = cache.post_record(post)
    assert cache.post_from_record(good, cfg, categories).views == 3
    at = {name: i for i, name in enumerate(n for n in (f.name for f in kinds.POST.fields) if n != "body_html")}
    for name, wrong in (("title", 5), ("views", "3"), ("views", True), ("category", "no-such-category"),
                        ("date", "2024-01-02"), ("has_time", 1), ("tags", "CCHC")):
        bad = list(good)
        bad[at[name]] = wrong
        try:
            cache.post_from_record(bad, cfg, categories)
        except (hashing.CacheError, TypeError, ValueError):
            continue
        raise AssertionError(f"accepted {bad}")
    for short in (good[:-1], [*good, 0], tuple(good), None):
        with pytest.raises((hashing.CacheError, ValueError)):
            cache.post_from_record(short, cfg, categories)


def test_reading_the_cache_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    cfg = config.load_config(GOLDEN)[0]
    was_on = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            cache.load(tmp_path / "none", cfg)
            assert gc.isenabled() is state
    finally:
        (gc.enable if was_on else gc.disable)()
