"""Issue 11, items 7-14: feeds, checks and operating the generator as operators and readers really do.

One test per case, named after its item. Builds run in-process where that is enough, and as real
processes where the case is about processes (locks, killed builds, the preview server). Cases about
file permissions run the build as an unprivileged user when the tests run as root (root ignores them).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from tests.conftest import BUILD_EPOCH, MINIMAL_TOML, post_text, snapshot

ROOT = Path(__file__).resolve().parents[2]
ATOM = "{http://www.w3.org/2005/Atom}"
PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def atom_entries(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).getroot().findall(f"{ATOM}entry")


# --- Item 7: one rel="alternate" link per Atom entry, the cover as rel="enclosure" -------------------------

def test_item7_atom_entry_links_have_rel(make_site: Callable[..., Path], run_cli: Callable) -> None:
    site = make_site({
        "content/tin-tuc/2024/co-anh.md": post_text("Có ảnh bìa", image="/images/bia.png", image_alt="Ảnh bìa"),
        "content/tin-tuc/2024/khong-anh.md": post_text("Không ảnh", date="2024-03-14 09:00"),
        "content/images/bia.png": PNG_1X1,
    })
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    for rel in ("atom.xml", "tin-tuc/atom.xml"):
        entries = atom_entries(site / "public" / rel)
        assert len(entries) == 2
        for entry in entries:
            links = entry.findall(f"{ATOM}link")
            assert all(link.get("rel") for link in links), etree.tostring(entry)
            alternates = [link for link in links if link.get("rel") == "alternate"]
            assert len(alternates) == 1
            assert alternates[0].get("href").startswith("https://thu.example/tin-tuc/2024/")
        covered = next(e for e in entries if e.findtext(f"{ATOM}title") == "Có ảnh bìa")
        enclosure = covered.find(f"{ATOM}link[@rel='enclosure']")
        assert enclosure is not None
        assert enclosure.get("href") == "https://thu.example/images/bia.png"
        assert (enclosure.get("type"), enclosure.get("length")) == ("image/png", str(len(PNG_1X1)))
        parsed = feedparser.parse((site / "public" / rel).read_bytes())
        assert not parsed.bozo
        for item in parsed.entries:
            assert item.link.startswith("https://thu.example/tin-tuc/2024/"), item.link
        with_cover = next(e for e in parsed.entries if e.title == "Có ảnh bìa")
        assert [e.href for e in with_cover.enclosures] == ["https://thu.example/images/bia.png"]


# --- Item 8: ids from source paths with spaces and non-ASCII letters are valid URIs, stable -------------------

_URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def test_item8_feed_ids_from_paths_with_spaces_are_valid_uris(make_site: Callable[..., Path],
                                                              run_cli: Callable) -> None:
    site = make_site({"content/tin cơ sở/bài viết số 1.md": post_text("Tin cơ sở"),
                      "content/tin-tuc/2024/id-rieng.md": post_text("Mã riêng", id="mã riêng số 2")})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    first = {e.findtext(f"{ATOM}id") for e in atom_entries(site / "public" / "atom.xml")}
    for value in first:
        assert _URI_CHARS.match(value), value
        assert value.startswith("tag:thu.example,2000:")
    assert "tag:thu.example,2000:tin%20c%C6%A1%20s%E1%BB%9F/b%C3%A0i%20vi%E1%BA%BFt%20s%E1%BB%91%201" in first
    decoded = {urllib.parse.unquote(v.split(":", 2)[2]) for v in first}
    assert decoded == {"tin cơ sở/bài viết số 1", "mã-riêng-số-2"}  # spaces in an id: hyphens, as before
    shutil.rmtree(site / "public")
    code, _, err = run_cli("build", "--site", str(site), "--no-cache")
    assert code == 0, err
    assert {e.findtext(f"{ATOM}id") for e in atom_entries(site / "public" / "atom.xml")} == first
