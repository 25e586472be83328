"""What the site search holds of each page: one record per post, standalone page or document.

A record is made from the build's own data, never from the written HTML: for a post or standalone page its
title, summary and the first paragraphs of its body as plain text (TEXT_CHARS, or site.toml's `search_text`:
a number of characters or "all" of it), and in its meta its tags (words its author chose, which its text may
not use: found, never shown as text); for an official document its number, type, issuer and subject, then the
text of its page.
The date as the site shows it and the category are meta, the category and year filters. Pagefind matches
the words of the meta too ("văn bản" finds a document by its category, "2026" a page by its date).

Vietnamese: Pagefind (1.5) drops combining marks from words before matching
(so "cai cach" finds "cải cách") and ranks a word with the query's own marks
higher, but "đ" (U+0111) has no decomposition. Every "đ"/"Đ" is therefore
indexed as "d"/"D" followed by U+0335, a combining stroke: the index sees
"d" plus a mark, so "den" finds "đến" and "đến" still ranks its exact
spelling first. The title and category in the meta are written so too (the
filters keep the category as readers choose it). The browser
(assets/js/search.js) writes a typed "đ" the same way and turns U+0335 back
into "đ" in what it shows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from sitegen import dates
from sitegen.kinds import Document, Post
from sitegen.model import SEARCH_TEXT, WHOLE_TEXT, Config
from sitegen.text import plain_text

TEXT_CHARS = SEARCH_TEXT  # of the summary and the body, unless site.toml's `search_text` says otherwise
WHOLE = WHOLE_TEXT  # search_text = "all": every word of the page
# A document's number and code (Decree 30/2020): "38/KH-UBND", "03/2026/NQ-HĐND", "1024/UBND-VP"
_CODE = re.compile(r"\b\d+(?:/\d{4})?/([A-ZĐ]+(?:-[A-ZĐ0-9]+)+)\b")
MARK = "\u0335"  # COMBINING SHORT STROKE OVERLAY: "đ" is indexed as "d" + MARK


@dataclass(frozen=True, slots=True)
class Record:
    """What one page gives the search: shown as it is, indexed with `index_form`."""

    url: str  # from the site root, no leading slash: "thong-bao/2024/lich-tiep-dan/"
    title: str
    text: str  # summary and the start of the body, plain
    date: str  # as the site shows it: "03 - 10 - 2022" for a post, "03/10/2022" for a document; "" without
    category: str  # a category's name, the register's for documents, "" for standalone pages
    year: str
    keywords: str = ""  # a post's tags: "Lịch cắt điện, Điện lực"
    day: str = ""  # the date for machines: "2022-10-03" (the result's <time datetime>)
    unseen: str = ""  # words found but not shown: a phone number without its spaces, "02053861202"; the codes of
    # the documents the text names without their numbers, "KH-UBND" of "38/KH-UBND" (Pagefind holds "38khubnd")

    def request(self) -> dict[str, Any]:
        """Pagefind's AddRecord fields."""
        filters = {name: [value] for name, value in (("category", self.category), ("year", self.year)) if value}
        # every record has every field: shards of an index whose fields differ cannot be joined (pagefind_files)
        meta = {"title": index_form(self.title), "date": self.date, "day": self.day,
                "category": index_form(self.category), "unseen": index_form(self.unseen),
                "tags": index_form(self.keywords)}  # the tags: found as the text's words are, never shown as text
        return {"url": self.url, "content": index_form(f"{self.title}. {self.text}".rstrip()), "language": "vi",
                "meta": meta, "filters": filters, "sort": None}

    def values(self) -> list[str]:
        """The fields in order (what the build cache keeps of a record)."""
        return [getattr(self, name) for name in Record.__slots__]

    def digest(self) -> str:
        return digest(self.values())


def index_form(text: str) -> str:
    """'Đồng Đăng' -> 'D\u0335ồng D\u0335ăng': what Pagefind indexes, so that "d" finds "đ"."""
    return text.replace("đ", "d" + MARK).replace("Đ", "D" + MARK)


def shown_form(text: str) -> str:
    """The reverse of index_form, for what readers see."""
    return text.replace("d" + MARK, "đ").replace("D" + MARK, "Đ")


def digest(value: Any) -> str:
    """A short digest of a JSON value: a record's, or the key of an index made of records."""
    return hashlib.blake2b(orjson.dumps(value), digest_size=16).hexdigest()


def _lead(summary: str, body_html: str, chars: int = TEXT_CHARS) -> str:
    """The summary, then the body's text after it: `chars` in all at most (WHOLE: all of it), cut between
    words and then ending in " …" (an excerpt that reaches the cut says the page goes on)."""
    text = summary
    if chars == WHOLE or len(text) < chars:
        body = plain_text(body_html) if chars == WHOLE else _body_start(body_html, chars + len(summary) + 2, chars)
        if summary and body.startswith(summary[:60]):
            body = body[len(summary):].lstrip()
        text = f"{summary} {body}".strip()
    if chars != WHOLE and len(text) > chars:
        text = text[:chars - 2].rsplit(" ", 1)[0] + " …"
    return text


def _body_start(body_html: str, wanted: int, chars: int = TEXT_CHARS) -> str:
    """The plain text of the body's start, from its first `chars` * 6 characters (markup makes the text
    shorter), or fewer when those give `wanted` characters already (a tag or entity cut at the end is dropped)."""
    limit = chars * 6
    if len(body_html) > wanted * 2 < limit:
        part = body_html[: wanted * 2]
        part = part[: part.rfind("<")] if part.rfind("<") > part.rfind(">") else part
        part = part[: part.rfind("&")] if part.rfind("&") > part.rfind(";") else part
        text = plain_text(part)
        if len(text) > wanted:
            return text
    return plain_text(body_html[:limit])


def post_record(post: Post, lang: str, chars: int = TEXT_CHARS) -> Record:
    """A post's or standalone page's record; its date as its card and article show it (in `lang`)."""
    category = post.category.name if post.category and not post.is_page else ""
    shown, year = (dates.day_month_year(post.date, lang), str(post.date.year)) if post.date else ("", "")
    text = _lead(post.summary, post.body_html, chars)
    return Record(post.url, post.title, text, shown, category, year, ", ".join(post.tags),
                  post.date.date().isoformat() if post.date else "", codes(f"{post.title} {text}"))


def document_record(doc: Document, register_name: str, chars: int = TEXT_CHARS) -> Record:
    """A document's record; its date of issue as the register shows it."""
    parts = [f"{doc.loai} {doc.so_ky_hieu}", doc.co_quan, doc.linh_vuc]
    lead = ". ".join(p for p in parts if p)
    text = _lead(lead, doc.body_html, chars)
    return Record(doc.url, doc.trich_yeu, text, dates.dmy(doc.ngay_ban_hanh), register_name, str(doc.year),
                  day=doc.ngay_ban_hanh.date().isoformat(), unseen=codes(f"{doc.trich_yeu} {text}"))


def codes(text: str) -> str:
    """The codes of the documents `text` names, without their numbers: "38/KH-UBND, 03/2026/NQ-HĐND" ->
    "KH-UBND NQ-HĐND", so that a code typed alone is a word of the index."""
    return " ".join(dict.fromkeys(found.group(1) for found in _CODE.finditer(text)))


# --- the records of this build ------------------------------------------------------------------


def records(cfg: Config, posts: Iterable[Post], documents: Iterable[Document], digests: dict[str, str],
            full: Callable[[Post], Post], known: dict[str, list]) -> tuple[list[Record], dict[str, list]]:
    """Every record, newest state; a post whose digest is in `known` (source -> [digest, record]) is not
    read again (its body may not even be loaded). Returns the records and the new `known`."""
    found, kept = [], {}
    for post in posts:
        if not post.search:
            continue
        digest = digests.get(post.source, "")
        entry = known.get(post.source)
        if digest and entry and entry[0] == digest and len(entry[1]) == len(Record.__slots__):
            record = Record(*entry[1])
        else:
            record = post_record(full(post), cfg.language, cfg.search_text)
        kept[post.source] = [digest, record.values()]
        found.append(record)
    found += [document_record(doc, cfg.words["register"], cfg.search_text) for doc in documents]
    return found, kept
