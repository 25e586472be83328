"""sitegen.spare: replaced files are kept for their blocks and written over later, never through a link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen import spare, writer
from tests.conftest import snapshot

PAGE = "tin-tuc/index.html"
SMALL = b"<p>Tin tuc</p>\n" * 20  # one block
BIG = b"<p>Tin tuc dai</p>\n" * 700  # four blocks


def spares(out: Path) -> dict[str, os.stat_result]:
    folder = out / spare.FOLDER
    return {p.name: p.stat() for p in folder.iterdir()} if folder.is_dir() else {}


def test_a_replaced_page_is_kept_as_a_spare_and_written_over_next_time(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {"index.html": b"<p>Trang chu</p>\n", PAGE: SMALL})
    first = (out / PAGE).stat().st_ino
    writer.write_outputs(out, {"index.html": b"<p>Trang chu</p>\n", PAGE: SMALL.replace(b"Tin", b"Tan")})
    kept = spares(out)
    assert [s.st_ino for s in kept.values()] == [first]  # the old version, not a copy
    assert (out / spare.FOLDER / next(iter(kept))).read_bytes() == SMALL
    second = (out / PAGE).stat().st_ino
    writer.write_outputs(out, {"index.html": b"<p>Trang chu</p>\n", PAGE: b"<p>Moi</p>\n"})
    assert (out / PAGE).stat().st_ino == first  # written over the spare's blocks
    assert (out / PAGE).read_bytes() == b"<p>Moi</p>\n"  # and cut to the new length
    assert [s.st_ino for s in spares(out).values()] == [second]
    assert ((out / PAGE).stat().st_mode & 0o777) == 0o644


def test_a_spare_with_more_blocks_than_needed_is_left_alone(tmp_path: Path) -> None:
    """Cutting a spare shorter would free blocks, the very cost spares avoid."""
    out = tmp_path / "public"
    writer.write_outputs(out, {PAGE: BIG})
    big = (out / PAGE).stat().st_ino
    writer.write_outputs(out, {PAGE: SMALL})
    assert (out / PAGE).stat().st_ino != big and [s.st_ino for s in spares(out).values()] == [big]
    writer.write_outputs(out, {PAGE: BIG})  # a spare of as many blocks or fewer is fine
    assert (out / PAGE).read_bytes() == BIG


def test_removed_pages_become_spares_and_the_folder_never_outgrows_the_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    pages = {f"tin-tuc/{n}/index.html": SMALL + bytes([65 + n]) for n in range(6)}
    writer.write_outputs(out, pages)
    stats = writer.write_outputs(out, {"index.html": SMALL})
    assert stats.removed == 6 and snapshot(out) == {"index.html": SMALL, writer.MANIFEST: b"index.html\n"}
    assert len(spares(out)) == 1  # at most as many spares as the site has files
    for n in range(3):
        writer.write_outputs(out, {"index.html": SMALL + bytes([48 + n])})
        assert len(spares(out)) == 1


def test_a_spare_turned_into_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {PAGE: SMALL})
    writer.write_outputs(out, {PAGE: SMALL + b"2"})
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"giu nguyen\n")
    for name in spares(out):
        (out / spare.FOLDER / name).unlink()
        (out / spare.FOLDER / name).symlink_to(outside)
    writer.write_outputs(out, {PAGE: b"<p>Moi</p>\n"})
    assert outside.read_bytes() == b"giu nguyen\n"
    assert (out / PAGE).read_bytes() == b"<p>Moi</p>\n" and not (out / PAGE).is_symlink()


def test_a_spare_hard_linked_to_another_file_is_never_written_over(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {PAGE: SMALL})
    writer.write_outputs(out, {PAGE: SMALL + b"2"})
    other = tmp_path / "bai-viet.md"
    other.write_bytes(b"noi dung cua tac gia\n")
    for name in spares(out):
        (out / spare.FOLDER / name).unlink()
        os.link(other, out / spare.FOLDER / name)
    writer.write_outputs(out, {PAGE: b"<p>Moi</p>\n"})
    assert other.read_bytes() == b"noi dung cua tac gia\n"
    assert (out / PAGE).read_bytes() == b"<p>Moi</p>\n"


def test_a_deleted_spare_folder_and_copied_files_are_fine(tmp_path: Path) -> None:
    out = tmp_path / "public"
    image = tmp_path / "a.jpg"
    image.write_bytes(b"\xff\xd8" + b"j" * 9000)
    writer.write_outputs(out, {"images/a.jpg": image, PAGE: SMALL})
    image.write_bytes(b"\xff\xd8" + b"k" * 5000)
    writer.write_outputs(out, {"images/a.jpg": image, PAGE: SMALL})
    shutil.rmtree(out / spare.FOLDER)
    writer.write_outputs(out, {"images/a.jpg": image, PAGE: SMALL + b"3"})
    image.write_bytes(b"\xff\xd8small")  # copied over a spare of more length: cut to the source's
    writer.write_outputs(out, {"images/a.jpg": image, PAGE: SMALL + b"4"})
    assert (out / "images/a.jpg").read_bytes() == b"\xff\xd8small" and (out / PAGE).read_bytes() == SMALL + b"4"


def test_pages_staged_by_worker_processes_take_distinct_spares(tmp_path: Path) -> None:
    out = tmp_path / "public"
    pages = {f"p{n}/index.html": SMALL + bytes([65 + n % 26]) * n for n in range(200)}
    writer.write_outputs(out, pages)
    writer.write_outputs(out, {rel: data + b"!" for rel, data in pages.items()})
    tx = writer.Transaction(out)
    rels = sorted(pages)
    pids = []
    for half in (rels[:100], rels[100:]):
        pid = os.fork()
        if pid == 0:  # a worker: stages its pages, as render workers do
            try:
                for rel in half:
                    staged = writer.stage_if_changed(out, rel, pages[rel] + b"?")
                    assert staged is not None
                    os.rename(staged, Path(staged).with_name(f"done-{Path(staged).parent.name}"))
            finally:
                os._exit(0)
        pids.append(pid)
    for pid in pids:
        assert os.waitpid(pid, 0)[1] == 0
    for rel in rels:
        tx.adopt(rel, out / rel.rpartition("/")[0] / f"done-{rel.partition('/')[0]}")
    tx.commit()
    assert {rel: (out / rel).read_bytes() for rel in rels} == {rel: pages[rel] + b"?" for rel in rels}


def test_a_spare_whose_mode_was_changed_is_published_0644_again(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {PAGE: SMALL})
    (out / PAGE).chmod(0o600)  # say an administrator hid it by hand
    writer.write_outputs(out, {PAGE: SMALL + b"2"})
    first = next((out / spare.FOLDER).iterdir()).stat().st_ino
    writer.write_outputs(out, {PAGE: SMALL + b"3"})  # written over that spare
    assert (out / PAGE).stat().st_ino == first
    assert (out / PAGE).stat().st_mode & 0o777 == 0o644


def _spliced(out: Path, pages: dict[str, bytes], new: dict[str, bytes]) -> writer.Transaction:
    """What a build that splices does: spares assigned before the workers, each page written into its own."""
    tx = writer.Transaction(out)
    rels = sorted(new)
    for rel, name in zip(rels, tx.spares.assign([len(new[rel]) for rel in rels]), strict=True):
        tx.adopt(rel, Path(writer.stage_into_spare(out, rel, new[rel], name)))
    for rel in sorted(set(pages) - set(new)):
        tx.keep(rel)
    return tx


def test_a_spliced_page_is_written_into_its_assigned_spare_and_swapped_in(tmp_path: Path) -> None:
    out = tmp_path / "public"
    pages = {f"p{n}/index.html": SMALL + bytes([65 + n]) for n in range(4)}
    writer.write_outputs(out, pages)
    writer.write_outputs(out, {rel: data + b"1" for rel, data in pages.items()})  # four spares now
    before = {rel: (out / rel).stat().st_ino for rel in pages}
    kept = {p.stat().st_ino for p in (out / spare.FOLDER).iterdir()}
    tx = _spliced(out, pages, {rel: data + b"2" for rel, data in pages.items()})
    assert all(os.path.dirname(tmp) == os.path.join(out, spare.FOLDER) for tmp, _, _ in tx.staged)
    assert {rel: (out / rel).read_bytes() for rel in pages} == {rel: d + b"1" for rel, d in pages.items()}
    tx.commit()
    assert {rel: (out / rel).read_bytes() for rel in pages} == {rel: d + b"2" for rel, d in pages.items()}
    assert {(out / rel).stat().st_ino for rel in pages} == kept  # the spares' blocks, no new file
    assert {p.stat().st_ino for p in (out / spare.FOLDER).iterdir()} == set(before.values())  # old pages kept
    assert all((out / rel).stat().st_mode & 0o777 == 0o644 for rel in pages)
    assert not list(out.rglob(".tmp-*"))


def test_an_aborted_splice_leaves_the_pages_and_keeps_its_spares(tmp_path: Path) -> None:
    out = tmp_path / "public"
    pages = {f"p{n}/index.html": SMALL + bytes([65 + n]) for n in range(3)}
    writer.write_outputs(out, pages)
    writer.write_outputs(out, {rel: data + b"1" for rel, data in pages.items()})
    before = snapshot(out)
    _spliced(out, pages, {rel: data + b"2" for rel, data in pages.items()}).abort()
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(spare.FOLDER)} == {
        k: v for k, v in before.items() if not k.startswith(spare.FOLDER)}
    assert len(spares(out)) == 3  # still spares, written over next time
    tx = _spliced(out, pages, {rel: data + b"3" for rel, data in pages.items()})
    tx.commit()
    assert {rel: (out / rel).read_bytes() for rel in pages} == {rel: d + b"3" for rel, d in pages.items()}


def test_an_assigned_spare_is_never_taken_by_another_file(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {PAGE: SMALL, "index.html": SMALL})
    writer.write_outputs(out, {PAGE: SMALL + b"1", "index.html": SMALL + b"1"})
    tx = writer.Transaction(out)
    first, second = tx.spares.assign([len(SMALL), len(SMALL)])
    assert first is not None and second is not None and first != second
    assert tx.spares.assign([len(SMALL)]) == [None]  # each handed out once
    tx.put("moi.html", SMALL)  # a new file in the same build makes its own
    assert {first, second} <= set(os.listdir(out / spare.FOLDER))
    tx.abort()


def test_a_spare_folder_swapped_for_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "public"
    writer.write_outputs(out, {PAGE: SMALL})
    writer.write_outputs(out, {PAGE: SMALL + b"1"})
    tx = writer.Transaction(out)
    [name] = tx.spares.assign([len(SMALL)])
    assert name is not None
    elsewhere = tmp_path / "elsewhere"
    (out / spare.FOLDER).rename(elsewhere)
    (out / spare.FOLDER).symlink_to(elsewhere)
    staged = writer.stage_into_spare(out, PAGE, SMALL + b"2", name)
    assert os.path.dirname(staged) == os.path.join(out, "tin-tuc")  # staged beside its page instead
    assert (elsewhere / name).read_bytes() == SMALL
    tx.adopt(PAGE, Path(staged))
    tx.commit()
    assert (out / PAGE).read_bytes() == SMALL + b"2"


def test_a_write_of_a_few_files_leaves_the_spare_folder_alone(tmp_path: Path, monkeypatch) -> None:
    """A body edit writes one page into an output whose spare folder may hold tens of thousands of files:
    listing them, to take one or to trim, would cost more than freeing the replaced page's blocks."""
    out = tmp_path / "public"
    others = {f"tin-tuc/{n}/index.html": SMALL for n in range(3)}
    writer.write_outputs(out, {PAGE: SMALL} | others)
    writer.write_outputs(out, {PAGE: SMALL.replace(b"Tin", b"Tan")} | others)
    before = spares(out)
    assert len(before) == 1
    folder, listdir = str(out / spare.FOLDER), os.listdir

    def listed(path: object = ".") -> list[str]:
        if os.fspath(path) == folder:  # type: ignore[arg-type]
            raise AssertionError("the spare folder was listed")
        return listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(spare, "_read_folder", lambda *args: listed(folder))
    monkeypatch.setattr(os, "listdir", listed)
    tx = writer.stage(out, {PAGE: b"<p>Moi</p>\n"}, writer.read_manifest(out), existed=True, use_spares=False)
    tx.commit()
    monkeypatch.undo()
    assert (out / PAGE).read_bytes() == b"<p>Moi</p>\n" and ((out / PAGE).stat().st_mode & 0o777) == 0o644
    assert spares(out) == before  # none taken, none kept


def test_builds_in_one_process_each_keep_the_pages_they_replace(tmp_path: Path) -> None:
    """`serve` builds many times in one process: a later build's spare never takes an earlier one's name,
    which would leave the replaced page unkept (its blocks freed, the cost spares avoid)."""
    out = tmp_path / "public"
    others = {f"tin-tuc/{n}/index.html": SMALL for n in range(3)}
    writer.write_outputs(out, {PAGE: BIG} | others)  # its spare has more blocks than the next pages need
    replaced = []
    for text in (b"Tan", b"Ton"):
        replaced.append((out / PAGE).stat().st_ino)
        writer.stage(out, {PAGE: SMALL.replace(b"Tin", text)}, writer.read_manifest(out)).commit()
    assert set(replaced) <= {s.st_ino for s in spares(out).values()}
