"""sitegen.incremental.folders: one stat of an output folder stands for its files, while it is unchanged."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.incremental.folders import Folders, folder_of, record

PAGES = ["index.html", "tin-tuc/index.html", "tin-tuc/2026/a/index.html", "tin-tuc/2026/b/index.html"]


def _built(out: Path) -> dict[str, tuple[int, int]]:
    """An output written long ago (every folder older than the output folder's last change)."""
    for rel in PAGES:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel, encoding="utf-8")
    old = (out / "index.html").stat().st_mtime_ns - 10_000_000_000
    for folder in {folder_of(rel) for rel in PAGES} - {""}:
        os.utime(out / folder, ns=(old, old))
    return record(out, PAGES, PAGES, None)


def test_the_folders_of_a_build_are_recorded_but_the_one_changed_last(tmp_path: Path) -> None:
    saved = _built(tmp_path)
    assert set(saved) == {"tin-tuc", "tin-tuc/2026/a", "tin-tuc/2026/b"}  # the output folder itself changed last
    looked = Folders(tmp_path, saved)
    assert all(looked.unchanged(rel) for rel in PAGES[1:]) and not looked.unchanged("index.html")


def test_a_file_removed_or_added_changes_its_folder(tmp_path: Path) -> None:
    saved = _built(tmp_path)
    (tmp_path / "tin-tuc/2026/a/index.html").unlink()
    (tmp_path / "tin-tuc/2026/b/moi.html").write_text("x", encoding="utf-8")
    looked = Folders(tmp_path, saved)
    assert not looked.unchanged("tin-tuc/2026/a/index.html") and not looked.unchanged("tin-tuc/2026/b/index.html")
    assert looked.unchanged("tin-tuc/index.html")


def test_a_folder_moved_away_and_back_is_another_folder(tmp_path: Path) -> None:
    saved = _built(tmp_path)
    os.rename(tmp_path / "tin-tuc/2026/a", tmp_path / "a-copy")
    (tmp_path / "tin-tuc/2026/a").mkdir()
    os.rename(tmp_path / "a-copy/index.html", tmp_path / "tin-tuc/2026/a/index.html")
    stamp = saved["tin-tuc/2026/a"][0]
    os.utime(tmp_path / "tin-tuc/2026/a", ns=(stamp, stamp))  # even with the old mtime: another inode
    assert not Folders(tmp_path, saved).unchanged("tin-tuc/2026/a/index.html")


def test_an_edit_in_place_is_not_seen(tmp_path: Path) -> None:
    """The limit of the check, as the README says: such a page is put right by --no-cache."""
    saved = _built(tmp_path)
    (tmp_path / "tin-tuc/2026/a/index.html").write_text("sửa tay", encoding="utf-8")
    assert Folders(tmp_path, saved).unchanged("tin-tuc/2026/a/index.html")


def test_folders_written_into_are_looked_at_again_and_the_others_keep_their_record(tmp_path: Path) -> None:
    saved = _built(tmp_path)
    looked = Folders(tmp_path, saved)
    assert all(looked.unchanged(rel) for rel in PAGES[1:])
    (tmp_path / "tin-tuc/2026/c").mkdir()  # a new post: its folder, and every folder above it, changed
    (tmp_path / "tin-tuc/2026/c/index.html").write_text("c", encoding="utf-8")
    old = saved["tin-tuc"][0] - 5_000_000_000
    os.utime(tmp_path / "tin-tuc/2026/b", ns=(old, old))  # not written by this build: its record is kept
    os.utime(tmp_path / "tin-tuc", ns=(old, old))
    now = record(tmp_path, [*PAGES, "tin-tuc/2026/c/index.html"], ["tin-tuc/2026/c/index.html"], looked)
    assert now["tin-tuc/2026/b"] == saved["tin-tuc/2026/b"]
    assert now["tin-tuc"][0] == old
    assert "tin-tuc/2026/c" not in now  # changed in the build's last tick (as the output folder did)


def test_nothing_is_recorded_without_an_output(tmp_path: Path) -> None:
    assert record(tmp_path / "gone", PAGES, PAGES, None) == {}
    assert not Folders(tmp_path / "gone", {"": (1, 1)}).unchanged("index.html")
