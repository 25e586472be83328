"""sitegen.images: pixel sizes from file headers, and <img> tags given them."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from sitegen import images

GOLDEN = Path(__file__).resolve().parents[1] / "golden/site/content/images"


def _gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b"\x3b"


def test_sizes_are_read_from_png_and_gif_headers(tmp_path: Path) -> None:
    assert images.dimensions(GOLDEN / "logo.png") == (32, 32)
    assert images.dimensions(GOLDEN / "doan-kiem-tra.png") == (64, 36)
    (tmp_path / "a.gif").write_bytes(_gif(120, 45))
    assert images.dimensions(tmp_path / "a.gif") == (120, 45)


def test_a_file_that_is_no_picture_or_is_missing_has_no_size(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"<html>trang web</html>")
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n" + zlib.compress(b"x"))
    assert images.dimensions(tmp_path / "a.jpg") is None and images.dimensions(tmp_path / "b.png") is None
    assert images.dimensions(tmp_path / "none.png") is None


def test_only_local_images_without_a_size_get_one() -> None:
    sizes = {"/anh/a.png": (10, 20)}
    html = ('<p><img src="/xa/anh/a.png" alt="a"><img src="/xa/anh/a.png" width="5">'
            '<img src="https://khac.example/anh/a.png"><img src="/xa/anh/b.png" /></p>')
    assert images.add_sizes(html, sizes.get, "/xa/") == (
        '<p><img src="/xa/anh/a.png" alt="a" width="10" height="20"><img src="/xa/anh/a.png" width="5">'
        '<img src="https://khac.example/anh/a.png"><img src="/xa/anh/b.png" /></p>')
