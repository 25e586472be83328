"""Text files as Windows tools save them: UTF-8 with or without a BOM, CRLF; others named, not decoded."""

from __future__ import annotations

import codecs

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode(data: bytes) -> tuple[str | None, str]:
    """(text with "\\n" line ends, "") or (None, the message code saying which encoding it seems to be in).

    A UTF-8 BOM is dropped; UTF-16 (Notepad's "Unicode") and UTF-32 get their own
    message; anything else that is not UTF-8 (cp1258, TCVN3 in old Vietnamese
    Windows setups) gets the plain "save it as UTF-8" one.
    """
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return None, "utf16_file"
    if data.startswith(_UTF16_BOMS) or _looks_utf16(data):
        return None, "utf16_file"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not_utf8"
    return text.replace("\r\n", "\n").replace("\r", "\n"), ""


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of the first ones is NUL."""
    head = data[:200]
    return len(head) >= 4 and head.count(0) * 3 >= len(head) and (head[1::2].count(0) * 2 >= len(head) // 2
                                                                   or head[0::2].count(0) * 2 >= len(head) // 2)
