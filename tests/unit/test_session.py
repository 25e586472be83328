"""sitegen.incremental.session: the door a build goes through, with the cache folder's memory,
serve's memory, or none at all."""

from __future__ import annotations

from pathlib import Path

from sitegen import incremental, pipeline
from sitegen.incremental import listing, store
from tests.conftest import post_text


def _site(make_site) -> Path:
    return make_site({"content/tin-tuc/a.md": post_text("Bài A", summary="Tóm tắt A"),
                      "content/tin-tuc/b.md": post_text("Bài B")})


def test_no_cache_remembers_nothing_and_writes_no_cache(make_site) -> None:
    site = _site(make_site)
    result = pipeline.run(pipeline.Options(site=site, output=site / "public", use_cache=False))
    assert not result.problems.failed() and result.compiled == 2 and result.rendered >= 8
    assert not (site / ".sitegen-cache").exists()
    again = pipeline.run(pipeline.Options(site=site, output=site / "public", use_cache=False))
    assert again.compiled == 2 and again.rendered == result.rendered


def test_the_cache_folder_carries_the_work_to_the_next_build(make_site) -> None:
    site = _site(make_site)
    opts = pipeline.Options(site=site, output=site / "public")
    first = pipeline.run(opts)
    assert first.compiled == 2 and (listing.cache_dir_for(site, site / "public") / store.CACHE_FILE).is_file()
    again = pipeline.run(opts)
    assert (again.compiled, again.rendered, again.spliced) == (0, 0, 0)
    edit = post_text("Bài A", body="Sửa thân bài.", summary="Tóm tắt A")
    (site / "content/tin-tuc/a.md").write_text(edit, encoding="utf-8")
    edited = pipeline.run(opts)
    assert edited.compiled == 1 and edited.layout_kept and edited.rendered == 1


def test_a_memory_is_kept_in_the_process_and_nothing_is_saved(make_site) -> None:
    site = _site(make_site)
    memory = incremental.Memory()
    opts = pipeline.Options(site=site, output=site / "public")
    assert pipeline.run(opts, memory).compiled == 2
    assert not (site / ".sitegen-cache").exists()
    assert len(memory.saved.compiled) == 2 and memory.saved.pages and memory.envs
    assert pipeline.run(opts, memory).compiled == 0


def test_a_check_plans_nothing_for_the_next_build(make_site) -> None:
    site = _site(make_site)
    memory = incremental.Memory()
    result = pipeline.run(pipeline.Options(site=site, output=site / "public", check_only=True), memory)
    assert not result.problems.failed() and result.stats is None and not (site / "public").exists()
    assert memory.saved.pages == {}  # nothing was written, so nothing is recorded as written


def test_begin_takes_the_memory_it_is_given(make_site) -> None:
    site = _site(make_site)
    cfg = pipeline.config.load_config(site)[0]
    memory = incremental.Memory()
    work = incremental.begin(incremental.Setup(site, site / "public", cfg), memory)
    assert work.ledger.memory is memory and work.save_to is None
    fresh = incremental.begin(incremental.Setup(site, site / "public", cfg))
    assert fresh.save_to == listing.cache_dir_for(site, site / "public") and fresh.ledger.remember
    off = incremental.begin(incremental.Setup(site, site / "public", cfg, use_cache=False))
    assert not off.ledger.remember and off.save_to is None and off.folder is None
