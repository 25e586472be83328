"""Bounds checked before a parser sees a post, and a time budget for the Markdown pass.

libyaml's C parser recurses once per nesting level and crashes the whole
process (SIGSEGV) some thousands of levels down; Python-Markdown recurses per
list level and backtracks over unclosed brackets. So the text is measured
first, in plain loops that cannot recurse, and anything beyond what a real post
could need is a problem at its line instead of a crash or a stall.
"""

from __future__ import annotations

import ctypes
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import yaml

MAX_FILE_BYTES = 8 * 1024 * 1024  # a post with its pasted tables; far beyond any real one
MAX_FRONT_MATTER = 64 * 1024  # characters between the two '---' lines
MAX_FM_DEPTH = 32  # nested [ { and indented levels in front matter (real ones use 2)
MAX_BODY_DEPTH = 64  # list / quote levels of the body (indent columns / 2 + markers)
MAX_BRACKET_DEPTH = 32  # [ inside [ within one paragraph
MAX_UNCLOSED = 200  # openers never closed in one paragraph: [ ( <
MARKDOWN_SECONDS = 10.0  # a post's Markdown pass; real posts take milliseconds


@dataclass(frozen=True, slots=True)
class Finding:
    """What a guard found: a message code, the 0-based line inside the checked text, its parameters."""

    code: str
    line: int
    args: dict[str, object]


def front_matter_finding(fm: str) -> Finding | None:
    """Front matter too big or too deeply nested for a YAML parser to be handed safely."""
    if len(fm) > MAX_FRONT_MATTER:
        return Finding("fm_too_large", 0, {"size": len(fm), "limit": MAX_FRONT_MATTER})
    if sum(fm.count(c) for c in "\n[{-?") < MAX_FM_DEPTH:
        return None  # every level needs one of these: too few to nest too deep (the common case)
    flow, indents = 0, [0]
    for number, line in enumerate(fm.split("\n")):
        stripped = line.lstrip(" ")
        block = flow == 0 and stripped and not stripped.startswith("#")
        if block and _block_depth(line, stripped, indents) > MAX_FM_DEPTH:
            return Finding("fm_too_deep", number, {"limit": MAX_FM_DEPTH})
        # Brackets in quotes and comments are counted too: never fewer levels than libyaml may see
        # (`[a, "b #", [[[...` nests), at the price of refusing 32 unclosed "[" in a quoted value.
        for char in line:
            if char in "[{":
                flow += 1
                if flow + len(indents) > MAX_FM_DEPTH:
                    return Finding("fm_too_deep", number, {"limit": MAX_FM_DEPTH})
            elif char in "]}" and flow:
                flow -= 1
    return None


def _block_depth(line: str, stripped: str, indents: list[int]) -> int:
    """The nesting of a block line: its indentation levels (kept in `indents`) and its `- ` / `? ` markers."""
    column = len(line) - len(stripped)
    while len(indents) > 1 and column < indents[-1]:
        indents.pop()
    if column > indents[-1]:
        indents.append(column)
    return len(indents) + len(re.match(r"^(?:[-?]\s+)*", stripped)[0].split())


_NOT_TEXT = re.compile(r"^(?:true|false|True|False|TRUE|FALSE|[-+]?\d+)$")  # a comment after these loses no text
_SCANNER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def comment_findings(fm: str) -> list[Finding]:
    """`title: Thông báo #2 lịch tiếp dân`: YAML reads " #2 ..." as a comment and the title loses it.

    Warns for a comment after a plain (unquoted) text value, and for a value
    that starts with '#' followed by a letter (`title: #Thông báo`, an empty
    value to YAML); an ordinary comment (`image:  # chưa có ảnh`) stays quiet.
    Call it on front matter that passed `front_matter_finding`.
    """
    if "#" not in fm:
        return []
    lines = fm.split("\n")
    found: list[Finding] = []
    try:
        tokens = list(yaml.scan(fm, Loader=_SCANNER))
    except yaml.YAMLError:
        return []  # the parser reports the syntax error itself
    flow = 0
    for token, following in zip(tokens, tokens[1:], strict=False):
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            flow += 1
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            flow -= 1
        if not flow:
            found += _token_comment(lines, token, following)
    return found


def _token_comment(lines: list[str], token: yaml.Token, following: yaml.Token) -> list[Finding]:
    """A comment right after a plain value (it cuts the value), or one standing for the value."""
    end = token.end_mark
    rest = lines[end.line][end.column:] if end.line < len(lines) else ""
    if isinstance(token, yaml.ScalarToken) and not token.style and token.start_mark.line == end.line:
        comment = re.match(r"^[ \t]+(#.*)$", rest)
        if comment and not _NOT_TEXT.match(token.value):
            return [_comment(lines, token.start_mark, comment[1], "yaml_comment")]
    elif isinstance(token, yaml.ValueToken) and (following.start_mark.line != end.line
                                                  or isinstance(following, (yaml.KeyToken, yaml.BlockEndToken))):
        comment = re.match(r"^[ \t]*(#[^\s#].*)$", rest)
        if comment:
            return [_comment(lines, end, comment[1], "yaml_comment_start")]
    return []


def _comment(lines: list[str], start: yaml.Mark, comment: str, code: str) -> Finding:
    """The finding with the line as it should be written: the whole value in double quotes."""
    line = lines[start.line]
    head, value = line[: start.column].rstrip(), line[start.column:].strip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return Finding(code, start.line, {"cut": comment.strip(), "fix": f"{head} {quoted}".strip()})


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LINE_PREFIX = re.compile(r"^(?:[ \t]|>|[-*+][ \t]|\d{1,9}[.)][ \t])*")
# A line nesting more than MAX_BODY_DEPTH levels starts with at least this many of these characters
# (a tab is two levels, every other level takes one character at least).
_DEEP_PREFIX = re.compile(r"\n[ \t>*+\-0-9.)]{" + str(MAX_BODY_DEPTH // 2) + "}")  # searched in "\n" + body
_CLOSERS = {"]": "[", ")": "(", ">": "<"}


def body_finding(body: str) -> Finding | None:
    """A body whose nesting or unclosed brackets would make Python-Markdown recurse too deep or stall.

    Lines inside fenced code are plain text to Markdown and are skipped.
    """
    brackets = _crowded(body) and any(_crowded(paragraph) for paragraph in body.split("\n\n"))
    if not brackets and _DEEP_PREFIX.search("\n" + body) is None:
        return None  # too few brackets and no long line prefix: nothing to follow (the common case)
    fence = ""
    stack: list[tuple[str, int]] = []  # the paragraph's openers not yet closed, with their lines
    for number, line in enumerate(body.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened[1]
            continue
        if not line.strip():
            stack = []  # a blank line ends the paragraph, and every bracket with it
            continue
        if _line_depth(line) > MAX_BODY_DEPTH:
            return Finding("body_too_deep", number, {"limit": MAX_BODY_DEPTH})
        found = _brackets(line, number, stack) if brackets else None
        if found:
            return found
    return None


def _crowded(paragraph: str) -> bool:
    """Enough brackets in one paragraph that they might nest or stay open too often (counted in C)."""
    opening = paragraph.count("[")
    return opening > MAX_BRACKET_DEPTH or opening + paragraph.count("(") + paragraph.count("<") > MAX_UNCLOSED


def _line_depth(line: str) -> int:
    """List and quote levels a line opens: every two columns of indent, every '>' and list marker."""
    prefix = _LINE_PREFIX.match(line)[0].expandtabs(4)
    markers = len(re.findall(r">|[-*+\d][.)]?[ \t]", prefix))
    return prefix.count(" ") // 2 + markers


def _brackets(line: str, number: int, stack: list[tuple[str, int]]) -> Finding | None:
    """Follow [ ( < and their closers along one line; `stack` carries the paragraph's open ones."""
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[(<":
            stack.append((char, number))
            if char == "[" and sum(1 for opener, _ in stack if opener == "[") > MAX_BRACKET_DEPTH:
                return Finding("body_brackets_deep", number, {"limit": MAX_BRACKET_DEPTH})
            if len(stack) > MAX_UNCLOSED:
                common = max("[(<", key=lambda c: sum(1 for opener, _ in stack if opener == c))
                return Finding("body_unclosed", stack[0][1], {"char": common, "limit": MAX_UNCLOSED})
        elif char in _CLOSERS:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == _CLOSERS[char]:
                    del stack[index]
                    break
    return None


class MarkdownTimeout(Exception):
    """A post's Markdown pass ran past its budget."""


def _raise_timeout(signum: int, frame: object) -> None:
    raise MarkdownTimeout


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise MarkdownTimeout in this thread once `seconds` have passed inside the block.

    The main thread of a process (every worker, and a plain build) uses a timer
    signal; another thread (the preview's watcher) gets the exception delivered
    between two bytecodes by a timer thread, which stops the pure-Python loops
    where Python-Markdown stalls.
    """
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = threading.get_ident()
    state = {"active": True}
    guard = threading.Lock()

    def expire() -> None:
        with guard:
            if state["active"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(MarkdownTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with guard:
            state["active"] = False
        timer.cancel()
