"""sitegen.writer: only changed files written, staged then renamed, stale files of ours removed."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from sitegen import writer
from tests.conftest import snapshot

FIRST = {"index.html": b"<!doctype html><title>Trang chu</title>\n",
         "tin-tuc/index.html": b"<p>Tin tuc</p>\n",
         "tin-tuc/2022/kiem-tra/index.html": "<p>Kiểm tra</p>\n".encode(),
         "feed.xml": b"<rss/>\n"}


def tmp_files(out: Path) -> list[str]:
    return [p.relative_to(out).as_posix() for p in out.rglob("*") if p.name.startswith(".tmp-")]


def age(out: Path) -> None:
    """Push every mtime into the past so a rewrite would be visible."""
    for path in out.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "public"
    stats = writer.write_outputs(out, FIRST)
    assert stats == writer.WriteStats(written=4, unchanged=0, removed=0)
    for rel, data in FIRST.items():
        assert (out / rel).read_bytes() == data
    assert writer.read_manifest(out) == set(FIRST)
    assert tmp_files(out) == []


def test_copies_files_given_as_paths(tmp_path: Path) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(b"\xff\xd8jpeg")
    out = tmp_path / "public"
    writer.write_outputs(out, {"images/a.jpg": source})
    assert (out / "images/a.jpg").read_bytes() == b"\xff\xd8jpeg"
    stats = writer.write_outputs(out, {"images/a.jpg": source})
    assert stats.written == 0 and stats.unchanged == 1


def test_second_identical_write_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    age(out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    stats = writer.write_outputs(out, FIRST)
    assert stats == writer.WriteStats(written=0, unchanged=4, removed=0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_only_changed_files_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    age(out)
    changed = dict(FIRST, **{"feed.xml": b"<rss>moi</rss>\n"})
    stats = writer.write_outputs(out, changed)
    assert (stats.written, stats.unchanged) == (1, 3)
    assert (out / "feed.xml").read_bytes() == b"<rss>moi</rss>\n"
    assert (out / "index.html").stat().st_mtime_ns == 1_000_000_000


def test_same_size_different_bytes_is_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {"a.txt": b"aaaa"})
    assert writer.write_outputs(out, {"a.txt": b"bbbb"}).written == 1
    assert (out / "a.txt").read_bytes() == b"bbbb"


def test_stale_files_from_previous_manifest_removed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    smaller = {k: v for k, v in FIRST.items() if not k.startswith("tin-tuc/2022")}
    stats = writer.write_outputs(out, smaller)
    assert stats.removed == 1
    assert not (out / "tin-tuc/2022").exists()  # empty folders pruned
    assert (out / "tin-tuc/index.html").exists()
    assert writer.read_manifest(out) == set(smaller)


def test_files_not_in_manifest_never_removed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "CNAME").write_text("mauson.example")
    (out / "tin-tuc").mkdir()
    (out / "tin-tuc" / "ghi-chu.txt").write_text("của người khác")
    writer.write_outputs(out, FIRST)
    stats = writer.write_outputs(out, {"index.html": b"x"})
    assert stats.removed == 3
    assert (out / "CNAME").read_text() == "mauson.example"
    assert (out / "tin-tuc" / "ghi-chu.txt").exists()


def test_wrong_output_folder_loses_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "luan-van.docx").write_bytes(b"quan trong")
    writer.write_outputs(home, {"index.html": b"x"})
    writer.write_outputs(home, {})
    assert (home / "luan-van.docx").read_bytes() == b"quan trong"


def test_manifest_entries_outside_output_ignored(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    victim = tmp_path / "site.toml"
    victim.write_text("title = 'x'")
    (out / writer.MANIFEST).write_text(f"../site.toml\n{victim}\nindex.html\n")
    stats = writer.write_outputs(out, {"a.html": b"a"})
    assert victim.exists()
    assert stats.removed == 0


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "C:/x", "c:x", "a/C:/b", "a\x00b",
                                 "a\\..\\x", "a\\b", "", "a//b", "./a", "a/./b", "a/"])
def test_safe_join_rejects(rel: str, tmp_path: Path) -> None:
    with pytest.raises(writer.UnsafePath):
        writer.safe_join(tmp_path, rel)


@pytest.mark.parametrize("rel", ["index.html", "tin-tuc/2022/a/index.html", "a..b/c", "..a", "tệp.txt"])
def test_safe_join_accepts(rel: str, tmp_path: Path) -> None:
    joined = writer.safe_join(tmp_path, rel)
    assert joined == tmp_path.joinpath(*rel.split("/"))
    assert joined.resolve().is_relative_to(tmp_path.resolve())


def test_unsafe_output_path_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    with pytest.raises(writer.UnsafePath):
        writer.write_outputs(out, {"a.html": b"a", "../evil.html": b"x"})
    assert not (tmp_path / "evil.html").exists()
    assert snapshot(out) == {}


def test_written_files_are_world_readable(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        out = tmp_path / "public"
        writer.write_outputs(out, FIRST)
    finally:
        os.umask(old)
    for rel in [*FIRST, writer.MANIFEST]:
        assert stat.S_IMODE((out / rel).stat().st_mode) == 0o644, rel


def test_failure_while_staging_leaves_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    before = snapshot(out)
    real_stage = writer._stage
    calls = []

    def failing_stage(target: Path, data: bytes | Path, *rest: Path) -> Path:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_stage(target, data, *rest)

    monkeypatch.setattr(writer, "_stage", failing_stage)
    new = {rel: data + b"<!-- moi -->" for rel, data in FIRST.items()}
    new["moi/index.html"] = b"moi"
    with pytest.raises(OSError):
        writer.write_outputs(out, new)
    assert len(calls) == 3
    assert snapshot(out) == before
    assert tmp_files(out) == []


def test_disk_full_inside_a_write_leaves_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    before = snapshot(out)
    real_fdopen = os.fdopen
    opened = []

    def full_disk(fd: int, *args: object, **kwargs: object):
        opened.append(fd)
        if len(opened) == 3:
            os.close(fd)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(writer.os, "fdopen", full_disk)
    with pytest.raises(OSError):
        writer.write_outputs(out, {rel: data + b"!" for rel, data in FIRST.items()})
    monkeypatch.undo()
    assert len(opened) == 3
    assert snapshot(out) == before
    assert tmp_files(out) == []


def test_failed_write_then_good_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)

    def broken(target: Path, data: bytes | Path, *rest: Path) -> Path:
        raise OSError(errno.EIO, "I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(writer, "_stage", broken)
        with pytest.raises(OSError):
            writer.write_outputs(out, {"moi.html": b"x"})
    assert writer.read_manifest(out) == set(FIRST)  # the stale list survives for the next build
    stats = writer.write_outputs(out, {"moi.html": b"x"})
    assert stats.removed == 4
    assert snapshot(out) == {"moi.html": b"x", writer.MANIFEST: b"moi.html\n"}


def test_symlink_in_output_is_replaced_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"khong duoc sua")
    (out / "index.html").symlink_to(outside)
    writer.write_outputs(out, {"index.html": b"trang chu"})
    assert outside.read_bytes() == b"khong duoc sua"
    assert not (out / "index.html").is_symlink()
    assert (out / "index.html").read_bytes() == b"trang chu"


def test_output_is_deterministic(tmp_path: Path) -> None:
    writer.write_outputs(tmp_path / "a", FIRST)
    writer.write_outputs(tmp_path / "b", dict(reversed(list(FIRST.items()))))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
