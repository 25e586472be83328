"""Pixel sizes of the site's images, read from file headers (PNG, JPEG, GIF, WebP)."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from pathlib import Path

Size = tuple[int, int]
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]+)"')


def dimensions(path: Path) -> Size | None:
    """(width, height) from the first bytes of the file, or None if unknown."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                return struct.unpack(">II", head[16:24])
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return struct.unpack("<HH", head[6:10])
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return _webp(head)
            if head[:2] == b"\xff\xd8":
                handle.seek(2)
                return _jpeg(handle)
    except (OSError, struct.error):
        return None
    return None


def _webp(head: bytes) -> Size | None:
    kind = head[12:16]
    if kind == b"VP8X":
        return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
    if kind == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg(handle) -> Size | None:  # noqa: ANN001 - a binary file object
    while True:
        marker = handle.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7:
            continue
        length = struct.unpack(">H", handle.read(2))[0]
        if marker[1] in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">xHH", handle.read(5))
            return (width, height) if width and height else None
        handle.seek(length - 2, 1)


def add_sizes(fragment: str, size_of: Callable[[str], Size | None], base_path: str) -> str:
    """Give every local <img> without width/height its pixel size, so pages do not jump while loading."""

    def fix(match: re.Match[str]) -> str:
        tag = match[0]
        src = _SRC.search(tag)
        if not src or " width=" in tag or " height=" in tag or not src[1].startswith(base_path):
            return tag
        size = size_of("/" + src[1][len(base_path):])
        if not size:
            return tag
        return tag[:-1].rstrip("/ ") + f' width="{size[0]}" height="{size[1]}">'

    return _IMG.sub(fix, fragment)
