"""Text helpers for Vietnamese: slugs, cut titles, plain-text summaries."""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_BLOCK_TAGS = re.compile(
    r"</?(?:p|br|li|ul|ol|div|h[1-6]|tr|td|th|table|thead|tbody|figure|figcaption|blockquote|hr|pre|dd|dt)\b[^>]*>",
    re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """'Đoàn kiểm tra cải cách hành chính' -> 'doan-kiem-tra-cai-cach-hanh-chinh'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_SLUG.sub("-", ascii_only.lower()).strip("-")


def cut(text: str, limit: int = 100) -> str:
    """Cut at a word boundary to at most `limit` characters plus '...'."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    head = head[:space] if space > 0 else text[:limit]
    return head.rstrip(" ,;:.-–") + "..."


def plain_text(fragment: str) -> str:
    """HTML fragment -> one line of plain text."""
    spaced = _BLOCK_TAGS.sub(" ", fragment)
    return _SPACES.sub(" ", html.unescape(_TAGS.sub("", spaced))).strip()


def closest(word: str, choices: list[str]) -> str | None:
    """The choice most like `word`, for 'did you mean' hints."""
    lowered = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None
