"""sitegen.writer: only changed files written, staged then renamed, stale files of ours removed."""

from __future__ import annotations

import errno
import multiprocessing
import os
import re
import shutil
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sitegen import kernelio, writer
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

    def failing_stage(target: Path, data: bytes | Path, *rest: Path, **options: bool) -> Path:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_stage(target, data, *rest, **options)

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

    def broken(target: Path, data: bytes | Path, *rest: Path, **options: bool) -> Path:
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


# --- the cheaper staging: folder cache, own temp names, kernel-side copies, one lstat -----------------

def _old_safe_join_refuses(rel: str) -> bool:
    """The rule safe_join had part by part; the single regular expression must refuse exactly the same."""
    parts = rel.split("/")
    return (not rel or rel.startswith("/")
            or any(p in ("", ".", "..") or re.search(r"^[A-Za-z]:|[\x00\\]", p) for p in parts))


@given(st.text(alphabet="a/.\\:C\x00é\n", max_size=10))
@example('..a/b..')
@example('a/...')
@example('c:')
@example('a/b/')
@example('/')
@example('é/C:')
@example('a/.')
@example('..')
@example('a\\b')
@example('\n')
@example('a/\n')
def test_safe_join_refuses_as_before(rel: str) -> None:
    refused = False
    try:
        joined = writer.safe_join(Path("/srv/public"), rel)
    except writer.UnsafePath:
        refused = True
    assert refused == _old_safe_join_refuses(rel), rel
    if not refused:
        assert joined == Path("/srv/public").joinpath(*rel.split("/"))


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\x", "", "a//b", "./a", "a/"])
def test_every_way_in_refuses_unsafe_paths(rel: str, tmp_path: Path) -> None:
    out = tmp_path / "public"
    tx = writer.Transaction(out)
    for attempt in (lambda: tx.put(rel, b"x"), lambda: tx.adopt(rel, None),
                    lambda: writer.stage_if_changed(out, rel, b"x")):
        with pytest.raises(writer.UnsafePath):
            attempt()
    tx.abort()
    assert not list(tmp_path.rglob(".tmp-*"))


def _swap_for_link(out: Path, outside: Path) -> None:
    """Replace out/a (a real folder, already used) by a symlink to a folder outside that has b/ too."""
    for path in sorted((out / "a").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (out / "a").rmdir()
    (outside / "b").mkdir(parents=True)
    (out / "a").symlink_to(outside, target_is_directory=True)


@pytest.mark.parametrize("proc", [True, False], ids=["proc-fd", "no-proc"])
@pytest.mark.parametrize("way", ["worker", "transaction"])
def test_folder_swapped_for_symlink_after_use_is_refused(way: str, proc: bool, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder cache is filled by the first file; the swap afterwards must still be caught."""
    if not proc:
        monkeypatch.setattr(writer, "_FD_LINKS", "")  # as without /proc: the old check on every file
    out, outside = tmp_path / "public", tmp_path / "outside"
    tx = writer.Transaction(out)
    stage = ((lambda rel: writer.stage_if_changed(out, rel, b"trang")) if way == "worker"
             else (lambda rel: tx.put(rel, b"trang")))
    assert stage("a/b/first.html")
    _swap_for_link(out, outside)
    with pytest.raises(writer.UnsafePath):
        stage("a/b/second.html")
    assert list(outside.rglob("*")) == [outside / "b"]


@pytest.mark.parametrize("way", ["worker", "transaction"])
def test_symlinked_folder_leading_out_is_refused_before_a_file_is_made(way: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out, outside = tmp_path / "public", tmp_path / "outside"
    (outside / "b").mkdir(parents=True)
    out.mkdir()
    (out / "a").symlink_to(outside, target_is_directory=True)
    tx = writer.Transaction(out)
    real_open, made = os.open, []

    def spy(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_CREAT:
            made.append(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    with pytest.raises(writer.UnsafePath):
        if way == "worker":
            writer.stage_if_changed(out, "a/b/index.html", b"trang")
        else:
            tx.put("a/b/index.html", b"trang")
    assert made == []
    assert list(outside.rglob("*")) == [outside / "b"]


def test_folder_swapped_for_symlink_between_builds_is_refused(tmp_path: Path) -> None:
    out, outside = tmp_path / "public", tmp_path / "outside"
    writer.write_outputs(out, {"a/b/index.html": b"cu"})
    _swap_for_link(out, outside)
    with pytest.raises(writer.UnsafePath):
        writer.write_outputs(out, {"a/b/index.html": b"moi"})
    assert list(outside.rglob("*")) == [outside / "b"]


def test_symlinked_folder_leading_inside_is_still_written_through(tmp_path: Path) -> None:
    out = tmp_path / "public"
    (out / "that").mkdir(parents=True)
    (out / "this").symlink_to(out / "that", target_is_directory=True)
    writer.write_outputs(out, {"this/index.html": b"trang", "this/sub/index.html": b"con"})
    assert (out / "that" / "index.html").read_bytes() == b"trang"
    assert (out / "that" / "sub" / "index.html").read_bytes() == b"con"


def test_output_given_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    writer.write_outputs(tmp_path / "link", FIRST)
    assert writer.stage_if_changed(tmp_path / "link", "moi/index.html", b"moi") is not None
    assert (tmp_path / "real" / "tin-tuc/2022/kiem-tra/index.html").read_bytes() == FIRST[
        "tin-tuc/2022/kiem-tra/index.html"]


def test_folder_removed_after_use_is_made_again(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    tx = writer.Transaction(out)
    tx.put("a/b/index.html", b"mot")
    tx.abort()  # prunes a/b and a, which the cache of this process still lists
    assert not (out / "a").exists()
    tmp = writer.stage_if_changed(out, "a/b/index.html", b"hai")
    assert tmp is not None and tmp.parent == out / "a" / "b" and tmp.read_bytes() == b"hai"


def test_staged_file_is_renamed_only_at_commit_and_swept_if_left(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    before = snapshot(out)
    writer.Transaction(out)
    tmp = writer.stage_if_changed(out, "tin-tuc/2022/kiem-tra/index.html", b"moi")
    assert tmp is not None and tmp.name.startswith(".tmp-") and tmp.parent == out / "tin-tuc/2022/kiem-tra"
    assert {k: v for k, v in snapshot(out).items() if not k.endswith(tmp.name)} == before | {writer.BUILDING: b""}
    writer.Transaction(out)  # the next build after a killed one sweeps what it staged
    assert not tmp.exists()


def _stage_many(child: int) -> list[tuple[str, bytes]]:
    out = Path(os.environ["WRITER_TEST_OUT"])
    staged = []
    for i in range(40):
        data = f"{child}-{i}".encode()
        staged.append((str(writer.stage_if_changed(out, f"chung/{child}-{i}.html", data)), data))
    return staged


def test_temp_names_unique_across_forked_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers inherit the name counter; no staged file may take another's name or bytes."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    out = tmp_path / "public"
    out.mkdir()  # an existing output: files are staged under temporary names
    monkeypatch.setenv("WRITER_TEST_OUT", str(out))
    writer.Transaction(out)
    writer.stage_if_changed(out, "chung/parent.html", b"parent")  # counter and folder cache filled, then fork
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("fork")) as pool:
        staged = [item for chunk in pool.map(_stage_many, range(8)) for item in chunk]
    assert len({tmp for tmp, _ in staged}) == len(staged) == 320
    for tmp, data in staged:
        assert Path(tmp).name.startswith(".tmp-") and Path(tmp).read_bytes() == data


def test_leftover_with_the_next_temp_name_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    upcoming = next(writer._serial) + 1
    squatter = out / f".tmp-{os.getpid()}-{upcoming}"  # as a killed build whose process had our id left it
    squatter.write_bytes(b"cu")
    tmp = writer.stage_if_changed(out, "index.html", b"moi")
    assert tmp is not None and tmp != squatter
    assert squatter.read_bytes() == b"cu" and tmp.read_bytes() == b"moi"


def test_every_way_of_writing_gives_mode_0644_under_a_strict_umask(tmp_path: Path) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(b"\xff\xd8jpeg")
    source.chmod(0o600)
    out = tmp_path / "public"
    old = os.umask(0o277)
    try:
        tx = writer.Transaction(out)
        staged = writer.stage_if_changed(out, "tin-tuc/index.html", b"trang")
        assert staged is not None and stat.S_IMODE(staged.stat().st_mode) == 0o644
        tx.adopt("tin-tuc/index.html", staged)
        tx.put("images/a.jpg", source)
        tx.put("feed.xml", b"<rss/>")
        tx.commit()
    finally:
        os.umask(old)
    for rel in ["tin-tuc/index.html", "images/a.jpg", "feed.xml", writer.MANIFEST]:
        assert stat.S_IMODE((out / rel).stat().st_mode) == 0o644, rel


@pytest.mark.parametrize("kind", ["bytes", "copy", "worker"])
def test_unchanged_file_keeps_its_mtime(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(b"\xff\xd8jpeg")
    out = tmp_path / "public"
    data: bytes | Path = source if kind == "copy" else b"trang chu"
    writer.write_outputs(out, {"a/index": data})
    age(out)
    tx = writer.Transaction(out)
    if kind == "worker":
        assert writer.stage_if_changed(out, "a/index", b"trang chu") is None
        tx.adopt("a/index", None)
    else:
        assert tx.put("a/index", data) is False
    stats = tx.commit()
    assert (stats.written, stats.unchanged) == (0, 1)
    assert (out / "a/index").stat().st_mtime_ns == 1_000_000_000
    assert tmp_files(out) == []


@pytest.mark.parametrize("kind", ["bytes", "copy", "worker"])
def test_symlink_holding_the_same_bytes_is_still_replaced(kind: str, tmp_path: Path) -> None:
    """One lstat answers both questions: a symlink is never taken for an unchanged file."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"trang chu")
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").symlink_to(outside)
    data: bytes | Path = outside if kind == "copy" else b"trang chu"
    if kind == "worker":
        tx = writer.Transaction(out)
        tx.adopt("index.html", writer.stage_if_changed(out, "index.html", b"trang chu"))
        stats = tx.commit()
    else:
        stats = writer.write_outputs(out, {"index.html": data})
    assert stats.written == 1
    assert not (out / "index.html").is_symlink() and (out / "index.html").read_bytes() == b"trang chu"
    assert outside.read_bytes() == b"trang chu"


def test_symlink_to_a_folder_in_place_of_a_file_is_replaced(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "public"
    out.mkdir()
    (out / "feed.xml").symlink_to(outside, target_is_directory=True)
    writer.write_outputs(out, {"feed.xml": b"<rss/>"})
    assert not (out / "feed.xml").is_symlink() and (out / "feed.xml").read_bytes() == b"<rss/>"
    assert list(outside.iterdir()) == []


def test_big_copy_in_small_kernel_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "big.jpg"
    source.write_bytes(os.urandom(3_000_001))
    real_sendfile, calls = os.sendfile, []

    def stingy(out_fd: int, in_fd: int, offset: int, count: int) -> int:
        calls.append(offset)
        return real_sendfile(out_fd, in_fd, offset, min(count, 65_536))

    monkeypatch.setattr(kernelio.os, "sendfile", stingy)
    monkeypatch.setattr(kernelio, "_SENDFILE", True)
    writer.write_outputs(tmp_path / "public", {"images/big.jpg": source})
    assert (tmp_path / "public/images/big.jpg").read_bytes() == source.read_bytes()
    assert len(calls) > 40


@pytest.mark.parametrize("how", ["kernel-copy-refused", "no-kernel-copy"])
def test_copy_without_the_kernel_fast_path(how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(os.urandom(200_000))
    if how == "no-kernel-copy":
        monkeypatch.setattr(kernelio, "_SENDFILE", False)
    else:
        def refused(*args: object) -> int:
            raise OSError(errno.EINVAL, "Invalid argument")

        monkeypatch.setattr(kernelio, "_SENDFILE", True)
        monkeypatch.setattr(kernelio.os, "sendfile", refused)
    writer.write_outputs(tmp_path / "public", {"images/a.jpg": source})
    assert (tmp_path / "public/images/a.jpg").read_bytes() == source.read_bytes()


@pytest.mark.parametrize("at", [0, 65_536])
def test_disk_full_inside_a_kernel_copy_leaves_old_output(at: int, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(os.urandom(200_000))
    out = tmp_path / "public"
    writer.write_outputs(out, FIRST)
    before = snapshot(out)
    real_sendfile = os.sendfile

    def full(out_fd: int, in_fd: int, offset: int, count: int) -> int:
        if offset >= at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_sendfile(out_fd, in_fd, offset, min(count, 65_536))

    monkeypatch.setattr(kernelio, "_SENDFILE", True)
    monkeypatch.setattr(kernelio.os, "sendfile", full)
    with pytest.raises(OSError) as caught:
        writer.write_outputs(out, {**FIRST, "images/a.jpg": source, "index.html": b"moi"})
    assert caught.value.errno == errno.ENOSPC
    assert snapshot(out) == before
    assert tmp_files(out) == []


def test_abort_never_follows_a_folder_swapped_for_a_symlink(tmp_path: Path) -> None:
    """Pruning the folders made for staged files stops at a symlink: nothing outside is removed."""
    out, outside = tmp_path / "public", tmp_path / "elsewhere"
    out.mkdir()  # an existing output: abort removes only what it made
    outside.mkdir()
    (outside / "empty").mkdir()
    tx = writer.Transaction(out)
    tx.put("a/b/page.html", b"<p>x</p>")
    for tmp, _, _ in tx.staged:
        Path(tmp).unlink()
    shutil.rmtree(out / "a" / "b")
    (out / "a" / "b").symlink_to(outside / "empty", target_is_directory=True)
    tx.abort()  # no NotADirectoryError
    assert (outside / "empty").is_dir() and (out / "a" / "b").is_symlink()


def test_a_new_output_folder_is_written_directly_and_removed_whole_on_abort(tmp_path: Path) -> None:
    """No staging or renames where nothing was there: until commit the folder is only this build's."""
    out = tmp_path / "public"
    tx = writer.Transaction(out)
    tx.put("index.html", b"<p>trang chu</p>")
    worker_file = writer.stage_if_changed(out, "tin/a/index.html", b"<p>a</p>")
    assert worker_file == out / "tin/a/index.html" and worker_file.read_bytes() == b"<p>a</p>"
    assert not [p for p in out.rglob("*") if p.name.startswith(".tmp-")]
    writer.stage_if_changed(out, "tin/b/index.html", b"<p>b</p>")  # written, never adopted: a failure came first
    tx.adopt("tin/a/index.html", worker_file)
    tx.abort()
    assert not out.exists()
    tx = writer.Transaction(out)
    tx.put("index.html", b"<p>trang chu</p>")
    tx.adopt("tin/a/index.html", writer.stage_if_changed(out, "tin/a/index.html", b"<p>a</p>"))
    stats = tx.commit()
    assert stats.written == 2 and (out / "tin/a/index.html").read_bytes() == b"<p>a</p>"
    assert oct((out / "index.html").stat().st_mode & 0o777) == "0o644"
    tx = writer.Transaction(out)  # the folder exists now: staged again, old bytes kept until commit
    tx.put("index.html", b"<p>moi</p>")
    assert (out / "index.html").read_bytes() == b"<p>trang chu</p>"
    tx.abort()
    assert (out / "index.html").read_bytes() == b"<p>trang chu</p>" and out.is_dir()


# --- A group of outputs committed together (a province and its communes) --------------------------------------

def _prepared(out: Path, files: dict[str, bytes]) -> writer.Transaction:
    tx = writer.Transaction(out)
    for rel, data in sorted(files.items()):
        tx.put(rel, data)
    tx.prepare()
    return tx


def test_a_prepared_group_changes_nothing_until_committed_together(tmp_path: Path) -> None:
    outs = [tmp_path / "tinh", tmp_path / "xa-a", tmp_path / "xa-b"]
    for out in outs:
        writer.write_outputs(out, FIRST)
    before = {out: snapshot(out) for out in outs}
    changed = {**FIRST, "index.html": b"<p>Trang chu moi</p>\n", "moi/index.html": b"<p>Moi</p>\n"}
    group = [_prepared(out, changed) for out in outs]
    assert {out: snapshot(out) for out in outs} == {out: {**before[out], **{
        rel: data for rel, data in snapshot(out).items() if rel.rsplit("/", 1)[-1].startswith(".tmp-")
        or rel == writer.BUILDING}} for out in outs}
    staged = group[0].located("index.html")
    assert Path(staged).name.startswith(".tmp-") and Path(staged).read_bytes() == b"<p>Trang chu moi</p>\n"
    assert group[0].located("feed.xml") == os.path.join(outs[0], "feed.xml")  # unchanged: in place
    inode = os.stat(staged).st_ino
    stats = writer.commit_all(group)
    assert [s.written for s in stats] == [2, 2, 2]
    for out in outs:
        assert snapshot(out) == {**changed, writer.MANIFEST: snapshot(out)[writer.MANIFEST]}
        assert tmp_files(out) == []
    assert os.stat(outs[0] / "index.html").st_ino == inode  # the staged file itself, renamed into place


def test_an_aborted_group_leaves_every_output_as_it_was(tmp_path: Path) -> None:
    old, new = tmp_path / "tinh", tmp_path / "xa-moi"  # one output existed, one is new
    writer.write_outputs(old, FIRST)
    before = snapshot(old)
    group = [_prepared(old, {**FIRST, "index.html": b"<p>khac</p>\n"}), _prepared(new, FIRST)]
    writer.abort_all(group)
    assert snapshot(old) == before and tmp_files(old) == []
    assert not new.exists()
