"""sitegen.incremental.state: what is remembered between builds, and one build's use of it."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.hashing import digest
from sitegen.incremental.state import Ledger, Memory, Saved


def test_a_file_is_hashed_once_and_again_only_when_its_stat_moves(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("một", encoding="utf-8")
    memory = Memory()
    ledger = Ledger(memory)
    assert ledger.known_hash(path) is None  # never seen
    assert ledger.file_hash(path) == digest("một".encode()) and ledger.scratch.dirty
    nxt = Ledger(memory)
    assert nxt.known_hash(path) == digest("một".encode()) and str(path) in nxt.scratch.touched
    path.write_text("hai!", encoding="utf-8")
    later = Ledger(memory)
    assert later.known_hash(path) is None
    assert later.file_hash(path) == digest(b"hai!")


def test_what_a_build_did_not_use_is_forgotten() -> None:
    saved = Saved(files={"a": (1, 1, 1, "h1"), "b": (1, 1, 1, "h2")}, sizes={"h1": (3, 4), "h9": (1, 1)},
                  pages={"x.html": ("f", 1, 1, "o"), "y.html": ("f", 1, 1, "o")},
                  articles={"x.html": ("k", "f"), "gone.html": ("k", "f")},
                  views={"Card:d1": "v", "Card:d2": "v"},
                  compiled={"abc1": (None, [], ""), "def2": (None, [], "")})
    ledger = Ledger(Memory(saved))
    ledger.scratch.touched = {"a"}
    ledger.scratch.used = {"abc1"}
    ledger.keep_only_current({"x.html"}, {"d1"})
    assert (set(saved.files), set(saved.sizes), set(saved.pages)) == ({"a"}, {"h1"}, {"x.html"})
    assert (set(saved.articles), set(saved.views), set(saved.compiled)) == ({"x.html"}, {"Card:d1"}, {"abc1"})
    assert ledger.scratch.dirty and ledger.scratch.dirty_shards == {"def"}


def test_recording_an_unchanged_page_leaves_the_index_clean() -> None:
    ledger = Ledger(Memory(Saved(pages={"x.html": ("f", 1, 2, "o")})))
    ledger.record_page("x.html", ("f", 1, 2, "o"))
    assert not ledger.scratch.dirty
    ledger.record_page("x.html", ("g", 1, 2, "o"))
    assert ledger.scratch.dirty and ledger.saved.pages["x.html"][0] == "g"


def test_bodies_come_from_their_shard_or_not_at_all(tmp_path: Path) -> None:
    from sitegen.hashing import write_checked
    from sitegen.incremental.state import BODIES_DIR, body_key

    write_checked(tmp_path / BODIES_DIR / "abc.json", {body_key("abcdef", "sig"): "<p>Thân bài</p>"})
    ledger = Ledger(Memory(folder=tmp_path))
    assert ledger.body("abcdef", "sig") == "<p>Thân bài</p>"
    assert ledger.body("abcdef", "other images") is None
    assert Ledger(Memory()).body("abcdef", "sig") is None  # a memory without a folder has none stored
    (tmp_path / BODIES_DIR / "abc.json").write_bytes(b"garbage")
    assert Ledger(Memory(folder=tmp_path)).body("abcdef", "sig") is None


def test_files_listed_at_the_start_of_the_build_are_not_statted_again(tmp_path: Path) -> None:
    """The build's first listing (incremental/quiet.py) gives each file's stat; a file changed since is seen
    by the next build, whose listing differs."""
    path = os.fspath(tmp_path / "a.md")
    ledger = Ledger(Memory(Saved(files={path: (3, 7, 9, "h")})))
    ledger.scratch.seen = {path: (3, 7, 9)}
    assert ledger.known_hash(path) == "h"  # the file is not even there: the listing is taken as it is
    other = Ledger(Memory(Saved(files={path: (3, 7, 9, "h")})))
    other.scratch.seen = {path: (4, 7, 9)}
    assert other.known_hash(path) is None
