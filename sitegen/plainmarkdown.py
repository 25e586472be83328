"""The plainest Markdown straight to the HTML Python-Markdown makes of it, for a fraction of the CPU.

Most posts are paragraphs, "## headings", "- lists", **bold**, *italics* and
[links](https://...). For a body made of nothing else, `to_html` writes what
Python-Markdown (with the site's extensions) writes: paragraphs keep their
line breaks, blocks are joined by newlines, lists are tight. Anything outside
that subset (one character that could start another construct: an escape, raw
HTML, an entity, an underscore, a table bar, an image, a footnote, an indented
line, a run of three stars...) returns None and the library renders the body.
The subset is checked against the library itself (tests/unit/test_plainmarkdown.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters that start constructs outside the subset anywhere in the body, and white space other than
# the space and the newline (the library strips some of it).
_OUTSIDE = re.compile("[\\x00-\\x09\\x0b-\\x1f\\x7f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
                      r"`\\<>&_{}|~^]")
_HEADING = re.compile(r"(#{1,6}) ([^#\n]*[^#\s])")
_ITEM = re.compile(r"- (\S[^\n]*)")
# A line may start a paragraph line only with what starts no other block: a list ("- ", "* ", "1. "),
# a heading, a quote, a rule or a setext underline.
_LINE_START = re.compile(r"\d+[.)]\s|[-+*#>:] |[-+*#>:=]*$|[-+#>:=]")
_LINK = re.compile(r"(!?)\[([^\[\]*\n\"]+)\]\(([^\s()<>\"'\[\]*]+)\)")
_STARS = re.compile(r"\*+")
_ATTRIBUTE_UNSAFE = re.compile(r"[&<>\"]")


def to_html(body: str, local: Callable[[str], str]) -> str | None:
    """The body's HTML as Python-Markdown writes it, or None when the body is outside the subset.

    `local` maps each link's URL as the site tree does (base path, relative paths), in document order.
    """
    body = body.strip("\n")
    if _OUTSIDE.search(body) or _spaced(body):
        return None
    parts: list[str | list[str]] = []  # HTML, or a list's items
    for block in re.split(r"\n{2,}", body):
        made = _block(block, local)
        if made is None:
            return None
        last = parts[-1] if parts else None
        if isinstance(made, list) and isinstance(last, list):
            # A list after a blank line continues the list before: the two items that meet become paragraphs.
            last[-1], made[0] = _loose(last[-1]), _loose(made[0])
            last += made
        else:
            parts.append(made)
    return "\n".join(part if isinstance(part, str) else "\n".join(["<ul>", *part, "</ul>"]) for part in parts)


def _loose(item: str) -> str:
    return item if item.startswith("<li>\n<p>") else f"<li>\n<p>{item[4:-5]}</p>\n</li>"


def _spaced(body: str) -> bool:
    """Spaces the library reads (a line break, indentation) or strips."""
    return "  " in body or " \n" in body or "\n " in body or body[:1] == " " or body[-1:] == " "


def _block(block: str, local: Callable[[str], str]) -> str | list[str] | None:
    if block.startswith("#"):
        heading = _HEADING.fullmatch(block)
        if heading is None:
            return None
        inner = _inline(heading[2], local)
        level = len(heading[1])
        return None if inner is None else f"<h{level}>{inner}</h{level}>"
    if block.startswith("- "):
        return _list(block, local)
    if "#" in block or _line_starts_block(block):
        return None
    inner = _inline(block, local)
    return None if inner is None else f"<p>{inner}</p>"


def _line_starts_block(block: str) -> bool:
    return any(_LINE_START.match(line) for line in block.split("\n"))


def _list(block: str, local: Callable[[str], str]) -> list[str] | None:
    items = []
    for line in block.split("\n"):
        item = _ITEM.fullmatch(line)
        if item is None or "#" in line or _LINE_START.match(item[1]):
            return None
        inner = _inline(item[1], local)
        if inner is None:
            return None
        items.append(f"<li>{inner}</li>")
    return items


def _inline(text: str, local: Callable[[str], str]) -> str | None:
    """Links and images first (as the library's inline patterns come), then bold and italics between them."""
    out, last = [], 0
    for link in _LINK.finditer(text):
        image, label, url = link[1], link[2], link[3]
        between = _emphasis(text[last:link.start()])
        if between is None or label != label.strip():
            return None
        href = local(url)
        if _ATTRIBUTE_UNSAFE.search(href):
            return None
        # As the library serialises them: attributes in name order, the site tree's two added to images.
        shown = (f'<img alt="{label}" decoding="async" loading="lazy" src="{href}">' if image
                 else f'<a href="{href}">{label}</a>')
        out += [between, shown]
        last = link.end()
    rest = _emphasis(text[last:])
    if rest is None:
        return None
    out.append(rest)
    return "".join(out)


def _emphasis(text: str) -> str | None:
    """`**a**` and `*a*`, paired in order; any other arrangement of stars (or a bracket left over) is not ours."""
    if "[" in text or "]" in text:
        return None
    if "*" not in text:
        return text
    runs = list(_STARS.finditer(text))
    if len(runs) % 2:
        return None
    out, last = [], 0
    for opening, closing in zip(runs[::2], runs[1::2], strict=True):
        stars = opening[0]
        inner = text[opening.end():closing.start()]
        if len(stars) > 2 or closing[0] != stars or inner != inner.strip():
            return None
        tag = "strong" if len(stars) == 2 else "em"
        out += [text[last:opening.start()], f"<{tag}>", inner, f"</{tag}>"]
        last = closing.end()
    out.append(text[last:])
    return "".join(out)
