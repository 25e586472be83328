"""preview_folder: the preview's own folder in the build cache, held by one preview; a temporary one otherwise."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from sitegen import preview_folder


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_site_keeps_its_preview_folder_between_previews(tmp_path: Path, temp_dir: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    first = preview_folder.take(site)
    assert first.path == site / ".sitegen-cache" / "preview" and not first.temporary
    (first.path / "site").mkdir()
    (first.path / "site" / "index.html").write_text("<p>bản trước</p>", encoding="utf-8")
    first.close()
    again = preview_folder.take(site)
    assert again.path == first.path and (again.path / "site" / "index.html").is_file()
    again.close()
    assert list(temp_dir.iterdir()) == []


def test_a_second_preview_of_the_site_at_once_gets_a_temporary_folder(tmp_path: Path, temp_dir: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    first = preview_folder.take(site)
    second = preview_folder.take(site)
    assert second.temporary and second.path.parent == temp_dir
    assert second.path.name.startswith(preview_folder.TEMPORARY_PREFIX)
    (second.path / "site").mkdir()
    second.close()
    assert not second.path.exists()  # nothing of it left: no later preview can use it
    assert first.path.is_dir()
    first.close()
    assert first.path.is_dir()  # the site's own folder stays for the next start


def test_a_site_folder_the_preview_cannot_write_to_gets_a_temporary_folder(tmp_path: Path, temp_dir: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / ".sitegen-cache").write_text("not a folder", encoding="utf-8")
    folder = preview_folder.take(site)
    assert folder.temporary and folder.path.parent == temp_dir
    folder.close()
    assert list(temp_dir.iterdir()) == []


def test_forget_removes_cache_folders_and_minds_none_missing(tmp_path: Path) -> None:
    kept, gone = tmp_path / "kept", tmp_path / "gone"
    (gone / "posts").mkdir(parents=True)
    (gone / "posts" / "00.json").write_text("{}", encoding="utf-8")
    kept.mkdir()
    preview_folder.forget([gone, tmp_path / "never-made"])
    assert not gone.exists() and kept.is_dir()


def test_deleting_the_cache_folder_does_not_free_the_preview_for_a_second_one(tmp_path: Path, temp_dir: Path) -> None:
    """The lock is on the site folder: a second preview after `.sitegen-cache/` was deleted under the first
    one still gets a temporary folder, not the first one's folder made again."""
    site = tmp_path / "site"
    site.mkdir()
    first = preview_folder.take(site)
    shutil.rmtree(site / ".sitegen-cache")
    second = preview_folder.take(site)
    assert second.temporary and second.path.parent == temp_dir
    second.close()
    first.close()
    third = preview_folder.take(site)
    assert not third.temporary and third.path.is_dir()
    third.close()


def test_prune_members_keeps_the_members_folders_and_drops_the_rest_with_their_caches(tmp_path: Path) -> None:
    from sitegen import incremental

    members_root, commune = tmp_path / "preview" / "xa", tmp_path / "xa-a"
    for key in ("xa-a", "xa-cu"):
        (members_root / key).mkdir(parents=True)
    old_cache = incremental.cache_dir_for(commune, members_root / "xa-cu")
    kept_cache = incremental.cache_dir_for(commune, members_root / "xa-a")
    old_cache.mkdir(parents=True)
    kept_cache.mkdir(parents=True)
    (members_root / "ghi-chu.txt").write_text("không phải thư mục của xã", encoding="utf-8")
    preview_folder.prune_members(members_root, {"xa-a": commune})
    assert sorted(p.name for p in members_root.iterdir()) == ["ghi-chu.txt", "xa-a"]
    assert kept_cache.is_dir() and not old_cache.exists()
    preview_folder.prune_members(tmp_path / "never-made", {"xa-a": commune})  # nothing to prune: no error
