"""Markdown -> sanitised HTML: figures for titled images, site-relative URLs, summary."""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from sitegen import fastinline
from sitegen.fastinline import fallback_note, fallback_reason  # noqa: F401 - the build says so through markup
from sitegen.text import plain_text

EXTENSIONS = ["tables", "fenced_code", "attr_list", "footnotes", "sane_lists"]  # as Markdown names them
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
# Browsers drop ASCII whitespace and C0 controls from URLs: " &#1;java&#9;script:" is javascript:.
_URL_IGNORED = re.compile(r"[\x00-\x20]+")
# No page or feed may hold these (lxml refuses them): controls but tab/newline/CR, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A link or image to a file on the author's computer, in Markdown or raw HTML; the sanitiser drops it.
_FILE_URL = re.compile(r"""\b(?:href|src|poster)\s*=\s*["']?\s*(file:[^"'\s>]*)""", re.IGNORECASE)
_IFRAME_WITHOUT_SRC = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)
_IFRAME_CONTENT = re.compile(r"(<iframe\b[^>]*>).*?</iframe>", re.DOTALL)
_RAW_TAG = re.compile(r"<[A-Za-z][^>]*>")
_RAW_URL = re.compile(r"""(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)

ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"center", "strike", "tt", "acronym"}) | {
    "figure", "figcaption", "iframe", "source", "picture", "video", "audio", "track"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "title", "lang", "dir", "class"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "loading"},
    "th": {"colspan", "rowspan", "scope", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "source": {"src", "srcset", "type", "media"},
    "video": {"src", "controls", "width", "height", "poster", "preload"},
    "audio": {"src", "controls", "preload"},
    "track": {"src", "kind", "srclang", "label"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_ATTRIBUTES = {"href", "src", "poster", "cite", "srcset"}


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    summary: str  # the first paragraph, plain text
    local_refs: tuple[str, ...]  # site paths the body links to ("/images/a.jpg")
    escapes: tuple[str, ...]  # relative URLs that climb out of content/
    file_links: tuple[str, ...] = ()  # file:///C:/... links to the author's own computer, dropped by the sanitiser


def _composed(path: str) -> str:
    """A name typed decomposed (NFD) and percent-encoded, composed (NFC) as published files are named."""
    if "%" not in path:
        return path
    decoded = unquote(path)
    if unicodedata.normalize("NFC", decoded) == decoded:
        return path
    return quote(unicodedata.normalize("NFC", decoded), safe="/!$&'()*+,;=:@-._~")


class _SiteTree(Treeprocessor):
    """Titled images become figures; local URLs get the base path; alignment becomes classes."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.base_path = "/"
        self.source_dir = ""  # posix folder of the post inside content/, e.g. "tin-tuc/2022"
        self.refs: list[str] = []
        self.escapes: list[str] = []

    def run(self, root: etree.Element) -> None:
        for node in root.iter():
            if node.attrib or node.tag == "img":  # most nodes (p, li, em, text) have nothing to fix
                self._fix(node)
        self._figures(root)
        self._raw_html()

    def _raw_html(self) -> None:
        """Raw HTML in a post is kept aside by Python-Markdown, out of the tree: its href and src get the
        same treatment (base path, relative paths, listed for the missing-file check) here."""
        stash = self.md.htmlStash
        for index, block in enumerate(stash.rawHtmlBlocks):
            if isinstance(block, str) and ("href" in block or "src" in block):
                stash.rawHtmlBlocks[index] = _RAW_TAG.sub(lambda tag: _RAW_URL.sub(self._fix_raw, tag[0]), block)

    def _fix_raw(self, match: re.Match[str]) -> str:
        value = next(group for group in match.groups()[1:] if group is not None)
        return f'{match[1]}"{html.escape(self._local(html.unescape(value)), quote=True)}"'

    def _fix(self, node: etree.Element) -> None:
        for attr in ("href", "src"):
            value = node.get(attr)
            if value is not None:
                node.set(attr, self._local(value))
        style = node.get("style")
        if style is not None:
            del node.attrib["style"]
            align = _ALIGN.search(style)
            if align:
                node.set("class", f"align-{align[1]}")
        if node.tag == "img":
            node.set("loading", "lazy")
            node.set("decoding", "async")

    def _local(self, url: str) -> str:
        if _DRIVE.match(url) or "\\" in url:
            self.escapes.append(url)
            return "#"
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "//")) or not parts.path:
            return url
        parts = parts._replace(path=_composed(parts.path))
        site_path = self._site_path(parts.path)
        if site_path is None:
            self.escapes.append(url)
            return "#"
        if parts.path.endswith("/") and site_path != "/":
            site_path += "/"
        site_path = site_path.replace("//", "/")
        self.refs.append(site_path)
        tail = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        return self.base_path.rstrip("/") + site_path + tail

    def _site_path(self, path: str) -> str | None:
        """The site path a link's path names, from the post's folder; None when it climbs out of content/."""
        if path.startswith("/"):
            return posixpath.normpath(path)
        joined = posixpath.normpath(posixpath.join(self.source_dir or ".", path))
        if joined == ".." or joined.startswith("../"):
            return None
        return "/" + joined if joined != "." else "/"

    def _figures(self, root: etree.Element) -> None:
        for index, para in enumerate(list(root)):
            if para.tag != "p" or len(para) != 1 or (para.text or "").strip():
                continue
            img = para[0]
            if img.tag != "img" or (img.tail or "").strip() or not img.get("title"):
                continue
            figure = etree.Element("figure")
            caption = img.attrib.pop("title")
            if not img.get("alt"):
                img.set("alt", caption)
            figure.append(img)
            img.tail = None
            etree.SubElement(figure, "figcaption").text = caption
            root.remove(para)
            root.insert(index, figure)


def extensions(backlink_title: str = "") -> list[Extension]:
    """EXTENSIONS, made here: by name, Markdown would first read the entry points of every installed
    package to find them (0.1 s a process). New ones for each Markdown: footnotes keeps its notes in its own."""
    footnotes = {"BACKLINK_TITLE": backlink_title} if backlink_title else {}
    return [TableExtension(), FencedCodeExtension(), AttrListExtension(), FootnoteExtension(**footnotes),
            SaneListExtension()]


class Renderer:
    """One Markdown instance, reset for every post (far cheaper than a new one)."""

    def __init__(self, base_path: str = "/", embed_hosts: tuple[str, ...] = (),
                 backlink_title: str = "", fast_inline: bool = True) -> None:
        self.md = markdown.Markdown(extensions=extensions(backlink_title), output_format="html")
        self.tree = _SiteTree(self.md)
        self.tree.base_path = base_path
        self.md.treeprocessors.register(self.tree, "sitegen", -1)  # after "unescape" (0)
        # Same output, less CPU; `fast_inline=False` (the tests' reference) keeps the library's own pass.
        if fast_inline:
            fastinline.install(self.md)
        self.embed_hosts = frozenset(embed_hosts)

    @property
    def fast_inline(self) -> bool:
        """The faster inline pass is in place and serves the patterns registered now."""
        return fastinline.serves(self.md)

    def render(self, body: str, source_dir: str = "") -> Rendered:
        self.md.reset()
        self.tree.refs, self.tree.escapes, self.tree.source_dir = [], [], source_dir
        raw_html = self.md.convert(body)
        clean = heading_levels(sanitize(raw_html, self.embed_hosts))
        files = tuple(html.unescape(m[1]) for m in _FILE_URL.finditer(raw_html)) if "file:" in raw_html else ()
        return Rendered(clean, first_paragraph(clean), tuple(self.tree.refs), tuple(self.tree.escapes), files)


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def heading_levels(fragment: str) -> str:
    """Body headings start at h2 (the page's h1 is the title) and never skip a level.

    Authors write "###" for a small heading; outlines with gaps confuse screen
    readers and fail the HTML checker, so each heading is at most one below the last.
    """
    last, current = 1, 2

    def renumber(match: re.Match[str]) -> str:
        nonlocal last, current
        if match[1]:
            return f"</h{current}"
        current = last = max(2, min(int(match[2]), last + 1))
        return f"<h{current}"

    return _HEADING.sub(renumber, fragment)


def sanitize(fragment: str, embed_hosts: frozenset[str] = frozenset()) -> str:
    """Allow-list sanitising; iframes survive only from `embed_hosts`, sandboxed."""

    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr not in URL_ATTRIBUTES:
            return value
        urls = [c.strip().split(" ")[0] for c in value.split(",")] if attr == "srcset" else [value]
        if not all(_safe_url(url, tag == "img" and attr == "src") for url in urls):
            return None
        if tag == "iframe" and attr == "src":
            host = urlsplit(value).hostname or ""
            return value if value.startswith("https://") and host in embed_hosts else None
        return value

    cleaned = nh3.clean(
        fragment, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, attribute_filter=keep,
        url_schemes={"http", "https", "mailto", "tel", "data"}, link_rel=None,
        set_tag_attribute_values={"iframe": {"sandbox": "allow-scripts allow-same-origin allow-popups"}},
        clean_content_tags={"script", "style"},
    )
    cleaned = _NOT_XML.sub("", cleaned)  # also those written as entities (&#1;)
    if "<iframe" not in cleaned:  # both expressions below start with it: nothing to do, and rare
        return cleaned
    cleaned = _IFRAME_WITHOUT_SRC.sub("", cleaned)
    # What is inside an <iframe> is raw text to a browser, but markup to a careless feed reader: drop it.
    return _IFRAME_CONTENT.sub(r"\1</iframe>", cleaned)


def _safe_url(url: str, image: bool) -> bool:
    """A relative URL or http(s)/mailto/tel; data: only data:image/ as an image's src."""
    seen = _URL_IGNORED.sub("", url).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", seen)
    if scheme is None or scheme[1] in ("http", "https", "mailto", "tel"):
        return True
    return image and seen.startswith("data:image/")


def first_paragraph(fragment: str) -> str:
    for match in _FIRST_PARAGRAPH.finditer(fragment):
        text = plain_text(match[1])
        if text:
            return text
    return ""
