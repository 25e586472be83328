"""sitegen.hashing: checked files that refuse what they did not write, and the records of the cache."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from sitegen import hashing
from sitegen.hashing import CacheError
from sitegen.kinds import Link
from sitegen.problems import problem
from tests.unit.site_parts import NOW, catalogue, post


def test_a_checked_file_comes_back_and_refuses_any_change(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.json"
    hashing.write_checked(path, {"tệp": [1, "hai"]})
    assert hashing.read_checked(path) == {"tệp": [1, "hai"]}
    body = path.read_bytes()
    for damaged in (body.replace(b"hai", b"ba!"), body[:-3], body.replace(b"sitegen-cache-1", b"sitegen-cache-0"),
                    b"{}"):
        path.write_bytes(damaged)
        with pytest.raises(CacheError):
            hashing.read_checked(path)
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]  # no temporary file left behind


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(hashing.os, "replace", full_disk)
    with pytest.raises(OSError):
        hashing.write_checked(tmp_path / "x.json", [1])
    assert list(tmp_path.iterdir()) == []


def test_problems_survive_their_record() -> None:
    item = problem("content/a.md", 3, "missing_file", "warning", value="/anh/x.png")
    assert hashing.problem_from_record(hashing.problem_record(item)) == item
    with pytest.raises(CacheError):
        hashing.problem_from_record(["a.md", "3", "x", [], "error"])
    with pytest.raises(CacheError):
        hashing.problem_from_record(["a.md", 3, "x", [], "fatal"])


@dataclass
class _Box:
    when: datetime
    items: tuple


class _Prints:
    def of_item(self, item: object) -> str:
        return f"h({item.source})"  # type: ignore[attr-defined]


def test_plain_pictures_values_and_stands_posts_by_their_hash() -> None:
    link = catalogue(post("a")).links([post("a")])[0]
    assert isinstance(link, Link)
    picture = hashing.plain({"x": _Box(NOW, (1, {2}, None)), 3: link}, _Prints())
    assert picture == {"x": ["_Box", NOW.isoformat(), [1, [2], None]], "3": "#h(content/tin-tuc/a.md)"}
    assert hashing.plain(link, None)[0] == "Link"  # without prints: every field
    assert hashing.dump({"b": 1, "a": "ề"}) == '{"a":"ề","b":1}'


def test_read_own_refuses_a_file_others_may_write(tmp_path: Path) -> None:
    """A cache file that holds code is read only when this user wrote it and no one else may change it."""
    path = tmp_path / "kept.bin"
    path.write_bytes(b"abc")
    path.chmod(0o644)
    assert hashing.read_own(path) == b"abc"
    path.chmod(0o664)
    assert hashing.read_own(path) is None
    path.chmod(0o646)
    assert hashing.read_own(path) is None
    assert hashing.read_own(tmp_path / "missing.bin") is None
