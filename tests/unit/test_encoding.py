"""sitegen.encoding: text as Windows tools save it is read; other encodings are named, never guessed."""

from __future__ import annotations

import codecs

from sitegen.encoding import decode


def test_utf8_with_a_bom_and_crlf_reads_as_plain_text() -> None:
    assert decode(codecs.BOM_UTF8 + "Tiêu đề\r\nDòng hai\rba".encode()) == ("Tiêu đề\nDòng hai\nba", "")


def test_utf16_with_or_without_a_bom_and_utf32_are_named() -> None:
    text = "---\ntitle: Thông báo\n---\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-16-be"), text.encode("utf-32")):
        assert decode(data) == (None, "utf16_file")


def test_an_old_vietnamese_windows_encoding_is_not_utf8() -> None:
    assert decode("Thông báo".encode("cp1258")) == (None, "not_utf8")
    assert decode(b"") == ("", "")
