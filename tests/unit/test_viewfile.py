"""sitegen.viewfile: the counts file and its digests survive their trip to disk, refuse damage, and a build
reads the counts alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sitegen import i18n, viewfile


def test_the_counts_file_comes_back_as_it_was_saved(tmp_path: Path) -> None:
    counted = viewfile.Counted(Counter({"tin-tuc/2026/a/": 12}), Counter({"2026-03-14": 12}),
                                {"head": [3, 400, "tail"]}, 29_000_000, {"2026-03-14": {b"12345678", b"abcdefgh"}})
    viewfile.save(tmp_path, counted)
    loaded, found = viewfile.load(tmp_path, counting=True)
    assert found == [] and loaded == counted
    for_build, _ = viewfile.load(tmp_path)
    assert for_build.seen == {} and for_build.pages == counted.pages
    names = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert len(names) == 2 and names[0].startswith(viewfile.SEEN_PREFIX) and names[1] == "views.json"


def test_a_build_never_reads_the_digests_the_views_command_keeps_apart(tmp_path: Path) -> None:
    """However busy the portal, a build reads the counts alone: the digests of two days' readers are in a
    file of their own, which only the views command opens (a lost one is a problem for it, not a build)."""
    many = {bytes.fromhex(f"{n:016x}") for n in range(50_000)}
    counted = viewfile.Counted(Counter({"tin-tuc/2026/a/": 3}), Counter({"2026-03-14": 3}), {}, 29_000_000,
                                {"2026-03-14": many})
    viewfile.save(tmp_path, counted)
    counts = tmp_path / viewfile.VIEWS_FILE
    assert counts.stat().st_size < 1_000
    (seen,) = counts.parent.glob(f"{viewfile.SEEN_PREFIX}*.json")
    seen.unlink()
    for_build, found = viewfile.load(tmp_path)
    assert found == [] and for_build is not None and for_build.pages == counted.pages
    lost, found = viewfile.load(tmp_path, counting=True)
    assert lost is None and [(p.path, p.code) for p in found] == [(f"data/{seen.name}", "views_damaged")]
    assert "không tìm thấy tệp hoặc thư mục" in i18n.message(found[0], "vi")


def test_new_digests_replace_the_old_file_and_a_first_format_file_still_counts(tmp_path: Path) -> None:
    counted = viewfile.Counted(Counter({"a/": 1}), Counter({"2026-03-14": 1}), {}, 29_000_000,
                                {"2026-03-14": {b"12345678"}})
    viewfile.save(tmp_path, counted)
    counted.seen["2026-03-14"].add(b"abcdefgh")
    viewfile.save(tmp_path, counted)
    assert len(list((tmp_path / "data").glob(f"{viewfile.SEEN_PREFIX}*"))) == 1
    assert viewfile.load(tmp_path, counting=True) == (counted, [])
    counted.seen = {}
    viewfile.save(tmp_path, counted)  # no open day: no file of digests
    assert list((tmp_path / "data").glob(f"{viewfile.SEEN_PREFIX}*")) == []
    first = ('{"format": 1, "pages": {"a/": 2}, "days": {}, "logs": {}, "newest": 5,'
             ' "seen": {"2026-03-14": "MTIzNDU2Nzg="}}')
    (tmp_path / viewfile.VIEWS_FILE).write_text(first, encoding="utf-8")
    loaded, found = viewfile.load(tmp_path, counting=True)
    assert found == [] and loaded is not None and loaded.seen == {"2026-03-14": {b"12345678"}}


def test_no_file_is_an_empty_count_and_a_damaged_one_a_problem(tmp_path: Path) -> None:
    assert viewfile.load(tmp_path) == (viewfile.Counted(), [])
    path = tmp_path / viewfile.VIEWS_FILE
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 1, "pages": {"a/": -3}}', encoding="utf-8")
    counted, found = viewfile.load(tmp_path)
    assert counted is None and [p.code for p in found] == ["views_damaged"]
    path.write_text("{khong phai json", encoding="utf-8")
    assert [p.code for p in viewfile.load(tmp_path)[1]] == ["views_damaged"]
