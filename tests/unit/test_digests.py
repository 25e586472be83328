"""sitegen.digests: digests that never confuse two inputs."""

from __future__ import annotations

from sitegen.digests import digest


def test_parts_are_kept_apart_and_text_hashes_as_its_utf8() -> None:
    assert digest("ab", "c") != digest("a", "bc") != digest("abc")
    assert digest("Tân Hòa", "x") == digest("Tân Hòa".encode(), b"x") == digest("Tân Hòa", b"x")
    assert digest() == digest() and len(digest("a")) == 32
    assert digest("\udcff") == digest("\udcff")  # a lone surrogate (an odd file name) still hashes
