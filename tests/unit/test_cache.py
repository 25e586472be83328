"""sitegen.cache: a compiled post survives the trip through its JSON record (the body is kept apart)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson

from sitegen import cache, config, loader, pipeline
from sitegen.cache import BuildState

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "site"


def test_every_post_comes_back_from_its_record_without_its_body() -> None:
    seen = []
    for site in (GOLDEN, GOLDEN.parents[2]):  # the golden site and the sample site
        cfg = config.load_config(site)[0]
        opts = pipeline.Options(site=site, output=site / "public", use_cache=False)
        posts, _, _ = pipeline.compile_all(opts, cfg, loader.walk_content(site)[0], BuildState(remember=False),
                                           pipeline.Result())
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
    good = ["content/a.md", "T", "t", "a/2024/t/", "", "", "", "", "", "", "2024-01-02T08:00:00+07:00", True,
            None, 3, [], False, None, [], False, [], 0, 0]
    assert cache.post_from_record(good, cfg, categories).views == 3
    for index, wrong in ((1, 5), (13, "3"), (13, True), (12, "no-such-category"), (10, "2024-01-02")):
        bad = list(good)
        bad[index] = wrong
        try:
            cache.post_from_record(bad, cfg, categories)
        except (cache.CacheError, TypeError, ValueError):
            continue
        raise AssertionError(f"accepted {bad}")
