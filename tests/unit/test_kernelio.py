"""sitegen.kernelio: a file copied whole, in the kernel or not; the umask read without setting it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen import kernelio


@pytest.mark.parametrize("in_kernel", [True, False])
def test_copy_into_copies_every_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_kernel: bool) -> None:
    monkeypatch.setattr(kernelio, "_SENDFILE", in_kernel)
    source = tmp_path / "anh.jpg"
    source.write_bytes(bytes(range(256)) * 5000)
    with (tmp_path / "ban-sao.jpg").open("wb") as handle:
        kernelio.copy_into(source, handle)
    assert (tmp_path / "ban-sao.jpg").read_bytes() == source.read_bytes()


@pytest.mark.parametrize(("umask", "hides"), [(0o022, False), (0o002, False), (0o077, True), (0o026, True)])
def test_umask_hides_reads_the_umask_and_leaves_it(umask: int, hides: bool) -> None:
    before = os.umask(umask)
    try:
        assert kernelio.umask_hides(0o644) is hides
        assert os.umask(umask) == umask  # still as set
    finally:
        os.umask(before)


def test_exchange_swaps_two_files_or_does_nothing(tmp_path: Path) -> None:
    one, other = tmp_path / "moi.html", tmp_path / "cu.html"
    one.write_bytes(b"moi")
    other.write_bytes(b"cu")
    if not kernelio.exchange(str(one), str(other)):
        pytest.skip("no RENAME_EXCHANGE here")
    assert (one.read_bytes(), other.read_bytes()) == (b"cu", b"moi")
    assert not kernelio.exchange(str(one), str(tmp_path / "khong-co.html"))  # nothing to swap with
    assert one.read_bytes() == b"cu" and not (tmp_path / "khong-co.html").exists()
