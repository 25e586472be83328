"""Find what a browser (or a feed reader) would run in a piece of HTML.

`executable(html)` lists every element or attribute that could execute script
or load active content: <script> (except the theme's own site.js and search.js and JSON-LD data blocks that parse
as JSON), event
handlers, javascript:/vbscript:/data: URLs (data:image/ only as an image's
src), <iframe> from hosts not allowed or without sandbox, <style>, style="",
<object>, <embed>, <form> and friends (except the theme's search form: a GET
to its own /tim-kiem/ with a search box and plain choices), <base>, SVG animation elements and
<meta http-equiv="refresh"> to a script URL. Attribute values are read after
entity decoding, and URLs the way browsers read them (whitespace and control
characters ignored, any case), so encoded variants are judged as what they are.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

THEME_SCRIPT = re.compile(r"^(?:/[^\s\"'<>]*)?/assets/js/(?:site|search)\.js$")
SEARCH_ACTION = re.compile(r"^(?:/[^\s\"'<>]*)?/tim-kiem/$")
# The theme's search form, exactly: tag -> (attributes it may have, attribute values it must have).
SEARCH_FORM: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    "form": (frozenset({"class", "role", "action", "method", "data-search-form", "hidden"}), {"method": "get"}),
    "input": (frozenset({"type", "id", "name", "placeholder", "autocomplete", "enterkeyhint", "aria-describedby"}),
              {"type": "search"}),
    "select": (frozenset({"id", "name"}), {}),
    "option": (frozenset({"value"}), {}),
}


def _theme_search_form(tag: str, names: set[str], values: dict[str, str]) -> bool:
    allowed, required = SEARCH_FORM.get(tag, (frozenset(), {"": "?"}))
    if not names <= allowed or any(values.get(k) != v for k, v in required.items()):
        return False
    return tag != "form" or bool(SEARCH_ACTION.match(values.get("action", "")))
FORBIDDEN_TAGS = frozenset({
    "style", "object", "embed", "applet", "frame", "frameset", "base", "form", "input", "textarea",
    "select", "option", "isindex", "keygen", "portal", "template", "xmp", "plaintext", "noembed",
    "noframes", "animate", "animatetransform", "animatemotion", "set", "handler", "listener",
    "foreignobject", "import", "xml", "xss", "bgsound", "marquee", "math", "maction",
})
URL_ATTRS = frozenset({
    "href", "src", "action", "formaction", "poster", "background", "cite", "data", "codebase",
    "xlink:href", "srcset", "lowsrc", "dynsrc", "ping", "manifest", "longdesc", "usemap", "profile",
    "icon", "values", "to", "from", "by", "archive", "classid", "itemtype", "content-location",
})
ALWAYS_BAD_ATTRS = frozenset({"srcdoc", "style", "formaction", "attributename", "xmlns:xlink"})
_URL_EDGES = "".join(map(chr, range(0x21)))  # browsers strip C0 controls and spaces at both ends...
_URL_DROPPED = re.compile(r"[\t\n\r]")  # ...and drop tabs and newlines anywhere (WHATWG URL)
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:", "feed:javascript")


def url_is_active(url: str, tag: str = "", attr: str = "") -> bool:
    """True if following or loading `url` could run script."""
    seen = _URL_DROPPED.sub("", url.strip(_URL_EDGES)).lower()
    if seen.startswith(SCRIPT_SCHEMES):
        return True
    if seen.startswith("data:"):
        return not (tag in ("img", "source") and attr in ("src", "srcset") and seen.startswith("data:image/"))
    return False


class _Scanner(HTMLParser):
    def __init__(self, iframe_hosts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.iframe_hosts = iframe_hosts
        self.found: list[str] = []
        self.in_script = False
        self.script_text: list[str] = []
        self.in_data = False
        self.data_text: list[str] = []

    def _bad(self, what: str) -> None:
        self.found.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag.lower(), [(k.lower(), v or "") for k, v in attrs])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag.lower(), [(k.lower(), v or "") for k, v in attrs], closed=True)

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "script" and self.in_data:
            self.in_data = False
            try:
                json.loads("".join(self.data_text))
            except ValueError:
                self._bad("<script type=application/ld+json> that is not JSON")
            self.data_text = []
        if tag.lower() == "script" and self.in_script:
            self.in_script = False
            if "".join(self.script_text).strip():
                self._bad("<script> with inline code")
            self.script_text = []

    def handle_data(self, data: str) -> None:
        if self.in_data:
            self.data_text.append(data)
        if self.in_script:
            self.script_text.append(data)

    def _check(self, tag: str, attrs: list[tuple[str, str]], closed: bool = False) -> None:
        names = {k for k, _ in attrs}
        values = dict(attrs)
        if tag == "script" and attrs == [("type", "application/ld+json")]:
            self.in_data = not closed  # a JSON-LD data block: never run, but it must be JSON and nothing else
        elif tag == "script":
            src = values.get("src", "")
            if names not in ({"src"}, {"src", "defer"}) or not THEME_SCRIPT.match(src):
                self._bad(f"<script {attrs}>")
            self.in_script = not closed
        elif tag in FORBIDDEN_TAGS and not _theme_search_form(tag, names, values):
            self._bad(f"<{tag}>")
        elif tag == "iframe":
            src = values.get("src", "")
            parts = urlsplit(src)
            if parts.scheme != "https" or (parts.hostname or "") not in self.iframe_hosts:
                self._bad(f"<iframe src={src!r}>")
            if "sandbox" not in names:
                self._bad("<iframe> without sandbox")
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = re.sub(r"^\s*\d*\s*;?\s*(url\s*=\s*)?", "", values.get("content", ""), flags=re.I)
            if url_is_active(target.strip("'\" ")):
                self._bad(f"<meta refresh {target!r}>")
        elif tag == "meta" and values.get("http-equiv", "").lower() not in ("", "content-security-policy"):
            self._bad(f"<meta http-equiv={values['http-equiv']!r}>")
        elif tag == "link":
            rel = set(values.get("rel", "").lower().split())
            if not rel or not rel <= {"stylesheet", "alternate", "icon", "canonical", "next", "prev"}:
                self._bad(f"<link rel={values.get('rel')!r}>")
        for name, value in attrs:
            if name.startswith("on"):
                self._bad(f"<{tag} {name}=...>")
            elif name in ALWAYS_BAD_ATTRS:
                self._bad(f"<{tag} {name}=...>")
            elif name in URL_ATTRS or name.endswith(":href"):
                candidates = [c.strip().split(" ")[0] for c in value.split(",")] if name == "srcset" else [value]
                if any(url_is_active(c, tag, name) for c in candidates):
                    self._bad(f"<{tag} {name}={value!r}>")


def executable(html: str, iframe_hosts: frozenset[str] = frozenset({"www.youtube.com"})) -> list[str]:
    """Every element or attribute of `html` that could run script; [] when the page is inert."""
    scanner = _Scanner(iframe_hosts)
    scanner.feed(html)
    scanner.close()
    raw_scripts = len(re.findall(r"<\s*script\b", html, re.IGNORECASE))
    parsed_scripts = len(re.findall(r"<script src=\"[^\"]*/assets/js/site\.js\"></script>", html))
    parsed_scripts += len(re.findall(r"<script src=\"[^\"]*/assets/js/search\.js\" defer></script>", html))
    parsed_scripts += html.count('<script type="application/ld+json">')  # data blocks, checked as JSON above
    if raw_scripts != parsed_scripts:  # a second opinion that no parser quirk can talk away
        scanner.found.append(f"{raw_scripts - parsed_scripts} raw <script tag(s)")
    return scanner.found
