"""A faster inline pass for Python-Markdown, installed only where it is known to give the same HTML.

Python-Markdown's inline pass tries every inline pattern, in priority order, on every text node
(`InlineProcessor.__handleInline`): some 380 `__applyPattern` calls a post, each indexing the pattern
Registry (slow: it re-checks sorting on every lookup) to run a regex that nearly never matches.
`_FastInline` replaces that loop alone. It indexes a tuple snapshot of the patterns, and it skips a
pattern when the text holds none of the pattern's needles: strings one of which every match of the
pattern's regex contains (for "backtick", or is followed by). A pattern whose regex finds nothing
is exactly a no-op in `__applyPattern`: it returns `(data, False, 0)` having called nothing but the
regex (not `handleMatch`, where stateful patterns such as em_strong keep their state), so skipping
it changes nothing; text with no needle at all skips the loop. The needles were
read off the regexes of the Markdown version below: `fast_inline` installs the pass only for that
version and exactly these patterns (name, class, regex, flags), else the library's loop runs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import markdown
from markdown import util as md_util
from markdown.treeprocessors import InlineProcessor

from sitegen import i18n

if TYPE_CHECKING:  # the class is only named in hints; importing it would tie us to one more internal module
    from markdown.inlinepatterns import Pattern

FAST_INLINE_VERSION = "3.11.3"
_PATTERN_FLAGS = re.DOTALL | re.UNICODE
_HTML_RE = (r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+"""
            r"""\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""")
_IP = "markdown.inlinepatterns."
# name -> (class, regex, needles), in priority order
_INLINE_PATTERNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "backtick": (_IP + "BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (_IP + "EscapeInlineProcessor", r"\\(.)", ("\\",)),
    "footnote": ("markdown.extensions.footnotes.FootnoteInlineProcessor", r"\[\^([^\]]*)\]", ("[^",)),
    "reference": (_IP + "ReferenceInlineProcessor", r"(?<!\!)\[", ("[",)),
    "link": (_IP + "LinkInlineProcessor", r"(?<!\!)\[", ("[",)),
    "image_link": (_IP + "ImageInlineProcessor", r"\!\[", ("![",)),
    "image_reference": (_IP + "ImageReferenceInlineProcessor", r"\!\[", ("![",)),
    "short_reference": (_IP + "ShortReferenceInlineProcessor", r"(?<!\!)\[", ("[",)),
    "short_image_ref": (_IP + "ShortImageReferenceInlineProcessor", r"\!\[", ("![",)),
    "autolink": (_IP + "AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (_IP + "AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (_IP + "SubstituteTagInlineProcessor", r"  \n", ("  \n",)),
    "html": (_IP + "HtmlInlineProcessor", _HTML_RE, ("<",)),
    "entity": (_IP + "HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (_IP + "DelimiterProcessor", r"\*|_", ("*", "_")),
}
_NEEDLES = tuple(needles for _, _, needles in _INLINE_PATTERNS.values())
# Text without any needle is left as it is by every pattern (one C scan instead of the loop).
_ANY_NEEDLE = re.compile("|".join(sorted({re.escape(needle) for needles in _NEEDLES for needle in needles})))


# Why the library's own inline pass runs instead, for the build output to say once (see `fallback_reason`).
FALLBACK_VERSION = "version"  # another Markdown version: its internals were not read
FALLBACK_PATTERNS = "patterns"  # inline patterns other than those the needles were read off
_fell_back: set[str] = set()  # met by renderers of this process since the last `fallback_reason(clear=True)`


class _FastInline(InlineProcessor):
    """`InlineProcessor` with a cheaper `__handleInline`; `run` and `__applyPattern` are the library's.

    The patterns are looked at again before every document, so one registered
    after the Renderer was made is used (by the library's loop, whose needles
    are not known here).
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.snapshot: tuple[Pattern, ...] = ()
        self.fast = False  # the snapshot is exactly the patterns the needles were read off

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        current = tuple(self.md.inlinePatterns)  # in priority order; a late registration changes it
        if current != self.snapshot:
            self.snapshot, self.fast = current, _patterns_mismatch(self.md, current) is None
            if not self.fast:
                _fell_back.add(FALLBACK_PATTERNS)
        # Indexed and len()-ed only: a tuple is far cheaper to index than the Registry.
        self.inlinePatterns = current if self.fast else self.md.inlinePatterns  # type: ignore[assignment]
        return super().run(tree, ancestors)

    # Name-mangled: this is what `InlineProcessor`'s own `self.__handleInline(...)` calls resolve to.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if not self.fast:
            return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)  # type: ignore[attr-defined]
        if isinstance(data, md_util.AtomicString) or _ANY_NEEDLE.search(data) is None:
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needles, count, start = self.inlinePatterns, _NEEDLES, len(self.inlinePatterns), 0
        while patternIndex < count:
            for needle in needles[patternIndex]:
                if needle in data:
                    data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
                    break
            else:  # the pattern cannot match: what `__applyPattern` would return
                matched, start = False, 0
            if not matched:
                patternIndex += 1
        return data


def _patterns_mismatch(md: markdown.Markdown, patterns: tuple[Pattern, ...]) -> str | None:
    """None when `patterns` are exactly those of `_INLINE_PATTERNS` (name, class, regex, flags), in order."""
    if len(patterns) != len(_INLINE_PATTERNS):
        return FALLBACK_PATTERNS
    for pattern, (name, (cls, regex, _)) in zip(patterns, _INLINE_PATTERNS.items(), strict=True):
        compiled = getattr(pattern, "compiled_re", None)
        if (name not in md.inlinePatterns or md.inlinePatterns[name] is not pattern
                or f"{type(pattern).__module__}.{type(pattern).__qualname__}" != cls or compiled is None
                or compiled.pattern != regex or compiled.flags != _PATTERN_FLAGS
                or pattern.getCompiledRegExp() is not compiled):
            return FALLBACK_PATTERNS
    return None


def fast_inline(md: markdown.Markdown) -> bool:
    """Put `_FastInline` in place of the inline pass if `md` is exactly what its needles were read off.

    Patterns registered later are seen: `_FastInline` compares them before every document.
    """
    if markdown.__version__ != FAST_INLINE_VERSION:  # checked first: what follows reads its internals
        return False
    inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None
    if type(inline) is not InlineProcessor or inline.inlinePatterns is not md.inlinePatterns:
        return False
    if _patterns_mismatch(md, tuple(md.inlinePatterns)) is not None:
        return False
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(_FastInline(md), "inline", priority)  # same place
    return True


def install(md: markdown.Markdown) -> None:
    """The faster pass in `md` if it fits; when the version is the one read but the patterns are not,
    that is noted for the build output."""
    if not fast_inline(md) and markdown.__version__ == FAST_INLINE_VERSION:
        _fell_back.add(FALLBACK_PATTERNS)


def serves(md: markdown.Markdown) -> bool:
    """The faster inline pass is in place in `md` and serves the patterns registered now."""
    inline = md.treeprocessors["inline"]
    return isinstance(inline, _FastInline) and _patterns_mismatch(md, tuple(md.inlinePatterns)) is None


def fallback_reason(clear: bool = False) -> str | None:
    """Why Python-Markdown's slower inline pass ran in this process (FALLBACK_*), or None.

    The build says so once in its output; `clear` starts counting afresh (a preview rebuilding).
    """
    reason = FALLBACK_VERSION if markdown.__version__ != FAST_INLINE_VERSION else min(_fell_back, default=None)
    if clear:
        _fell_back.clear()
    return reason


def fallback_note(lang: str) -> str | None:
    """The line a build prints once when the library's inline pass ran (see `fallback_reason`)."""
    reason = fallback_reason(clear=True)
    if reason is None:
        return None
    return i18n.label(f"markdown_fallback_{reason}", lang, version=markdown.__version__, pinned=FAST_INLINE_VERSION)
