"""content/ -> raw posts: front matter via python-frontmatter, checked field by field."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from sitegen import encoding, guards, kinds
from sitegen.model import Config
from sitegen.problems import Problem, os_problem, problem
from sitegen.schema import Check

PAGES_DIR = "pages"


def _key_value(key: yaml.ScalarNode) -> Any:
    """The key as YAML reads it (`null:` is None, `3:` is 3), so such keys get their lines too."""
    try:
        value = _StrictLoader("").construct_object(key)
        hash(value)
    except (ValueError, AttributeError, TypeError, OverflowError, yaml.YAMLError):
        return str(key.value)
    return value


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: far faster


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML without the 1.1 surprises: times stay text, 'no' stays a word.

    Dates are left as strings for dates.parse; `15:15` is not the number 915;
    only true/false are booleans; `1.234` (a thousand and more, as the portal
    prints it) and `1.10` stay text, never the floats 1.234 and 1.1.
    """


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictLoader.add_implicit_resolver(  # "0755" stays text: no YAML 1.1 octal
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


class _Refused(Exception):
    """Front matter a guard refused before parsing."""

    def __init__(self, finding: guards.Finding) -> None:
        super().__init__(finding.code)
        self.finding = finding


class _LineHandler(frontmatter.YAMLHandler):
    """Loads with _StrictLoader and remembers the line of every top-level key."""

    def __init__(self, raw: str) -> None:
        super().__init__()
        self.raw = raw
        self.lines: dict[str, int] = {}
        self.called = False
        self.is_mapping = True
        self.raw_fm: str | None = None
        self.notes: list[guards.Finding] = []  # warnings about text YAML reads differently from its look

    def load(self, fm: str, **kwargs: object) -> Any:
        self.called = True
        self.raw_fm = fm
        refused = guards.front_matter_finding(fm)  # before libyaml, which can crash on deep nesting
        if refused is not None:
            raise _Refused(refused)
        self.notes = guards.comment_findings(fm)
        loader = _StrictLoader(fm)
        try:
            node = loader.get_single_node()  # composed once: the node gives lines, then values
            self.is_mapping = node is None or isinstance(node, yaml.MappingNode)
            first_line = fm_first_line(self.raw, fm)
            if isinstance(node, yaml.MappingNode):
                for key, _ in node.value:
                    if isinstance(key, yaml.ScalarNode):
                        self.lines.setdefault(str(key.value), first_line + key.start_mark.line)
                        self.lines.setdefault(_key_value(key), first_line + key.start_mark.line)
            try:
                return loader.construct_document(node) if node is not None else None
            except (ValueError, AttributeError, TypeError, OverflowError) as err:  # a tag PyYAML cannot build
                bad = _unbuildable(node)
                shown = f"{bad.tag.replace('tag:yaml.org,2002:', '!!')} {bad.value!r}"[:120]
                raise yaml.constructor.ConstructorError(None, None, shown, bad.start_mark) from err
        finally:
            loader.dispose()


def _unbuildable(node: yaml.Node) -> yaml.Node:
    """The value that cannot be built (`date: !!timestamp 'x'`), for its line and tag."""
    for _, value in node.value if isinstance(node, yaml.MappingNode) else ():
        try:
            _StrictLoader("").construct_object(value, deep=True)
        except (ValueError, AttributeError, TypeError, OverflowError, yaml.YAMLError):
            return value
    return node


# What PyYAML / libyaml say -> the message that tells an author the fix in words (the parser's own
# English stays only as a detail of the generic message).
_YAML_REASONS = (
    ("mapping values are not allowed", "bad_yaml_colon"),
    ("tab", "bad_yaml_tab"),
    ("cannot start any token", "bad_yaml_token"),
    ("undefined alias", "bad_yaml_token"),
    ("unknown escape character", "bad_yaml_escape"),
    ("expected hexdecimal number", "bad_yaml_escape"),  # "C:\\Users": \U wants eight hex digits
    ("expected ',' or ']'", "bad_yaml_list"),
    ("expected ',' or '}'", "bad_yaml_unclosed"),
    ("expected node content", "bad_yaml_unclosed"),
    ("end of stream", "bad_yaml_unclosed"),
    ("stream end", "bad_yaml_unclosed"),
    ("could not find expected ':'", "bad_yaml_indent"),
    ("did not find expected key", "bad_yaml_indent"),
    ("expected <block end>", "bad_yaml_indent"),
    ("did not find expected '-' indicator", "bad_yaml_indent"),
)


def _yaml_code(reason: str) -> str:
    """The message that tells an author how to fix a YAML mistake, by what the parser said."""
    lowered = reason.lower()
    for words, code in _YAML_REASONS:
        if words in lowered or (words == "tab" and "\\t" in reason):
            return code
    return "bad_yaml"


_QUOTE_OPEN = "while scanning a quoted scalar"  # what the YAML reader says of a quote left open
_OPENED = ("while parsing a flow", _QUOTE_OPEN)  # a '[', '{' or quote left open


def _mistake_at(err: yaml.YAMLError) -> yaml.Mark | None:
    """Where the author's mistake is: the '[', '{' or quote left open (the parser notices it lines later, at
    the closing '---'), else where the parser stopped."""
    context = getattr(err, "context", None) or ""
    if context.startswith(_OPENED) and getattr(err, "context_mark", None) is not None:
        return err.context_mark  # type: ignore[attr-defined]
    return getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)


def _char_at(block: str, mark: yaml.Mark) -> str:
    """The character a YAML error points at ('@', '`', '%', '*'), for the message."""
    lines = block.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def fm_first_line(raw: str, fm: str) -> int:
    """The file line (1-based) on which the front-matter text `fm` begins."""
    position = raw.find(fm)
    return raw.count("\n", 0, position) + 1 if position >= 0 else 1


@dataclass(frozen=True, slots=True)
class Source:
    """One Markdown file, parsed but not yet rendered."""

    path: str  # posix, relative to the site folder
    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    is_page: bool
    start_line: int  # the line of the opening ---
    body_line: int  # the line where the body starts


Parsed = dict[str, tuple[bytes, Source, list[Problem]]]  # by path: the bytes a Source was parsed from, its notes


def read_source(site_dir: Path, rel: str, is_page: bool, data: bytes | None = None,
                parsed: Parsed | None = None) -> tuple[Source | None, list[Problem]]:
    """The file (or `data`, its bytes when read already) parsed. With `parsed`, a file parsed before from
    the same bytes is not parsed again, and one parsed now is added (a province reads its members' front
    matter for their news, then builds them)."""
    try:
        data = (site_dir / rel).read_bytes() if data is None else data
    except OSError as err:
        return None, [os_problem(rel, "unreadable", err)]
    before = parsed.get(rel) if parsed is not None else None
    if before is not None and before[0] == data:
        return before[1], list(before[2])
    src, found = _parse_bytes(rel, data, is_page)
    if parsed is not None and src is not None:
        parsed[rel] = (data, src, list(found))
    return src, found


def _parse_bytes(rel: str, data: bytes, is_page: bool) -> tuple[Source | None, list[Problem]]:
    if len(data) > guards.MAX_FILE_BYTES:
        return None, [problem(rel, 0, "file_too_large", size=len(data), limit=guards.MAX_FILE_BYTES)]
    raw, refused = encoding.decode(data)
    if raw is None:
        return None, [problem(rel, 0, refused)]
    if "\x00" in raw:
        return None, [problem(rel, 0, "binary_file")]
    return parse_source(rel, raw, is_page)


def parse_source(rel: str, raw: str, is_page: bool) -> tuple[Source | None, list[Problem]]:
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lead = raw[: len(raw) - len(raw.lstrip())].count("\n")
    if not raw.lstrip().startswith("---"):
        return None, [problem(rel, 1, "no_front_matter")]
    handler = _LineHandler(raw)
    try:
        meta, body = frontmatter.parse(raw, handler=handler)
    except yaml.YAMLError as err:
        mark = _mistake_at(err)
        block = handler.raw_fm if handler.raw_fm is not None else "\n"
        line = fm_first_line(raw, block) + mark.line if mark else lead + 1
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        char = _char_at(block, mark) if mark else ""
        code = "bad_yaml_quote" if getattr(err, "context", None) == _QUOTE_OPEN else _yaml_code(reason)
        return None, [problem(rel, line, code, reason=reason, char=char)]
    except _Refused as refused:
        found = refused.finding
        line = fm_first_line(raw, handler.raw_fm or "\n") + found.line
        return None, [problem(rel, line, found.code, **found.args)]
    except (ValueError, RecursionError):
        return None, [problem(rel, lead + 1, "no_front_matter")]
    if not handler.called:
        return None, [problem(rel, lead + 1, "unclosed_front_matter")]
    if not handler.is_mapping:
        return None, [problem(rel, lead + 1, "front_matter_not_mapping")]
    first = fm_first_line(raw, handler.raw_fm or "\n")
    notes = [problem(rel, first + note.line, note.code, "warning", **note.args) for note in handler.notes]
    return Source(rel, dict(meta), handler.lines, body, is_page, lead + 1, _body_line(raw)), notes


def _body_line(raw: str) -> int:
    """1-based line of the first non-blank character after the closing ---."""
    bounds = frontmatter.YAMLHandler.FM_BOUNDARY.finditer(raw)
    next(bounds, None)
    closing = next(bounds, None)
    if closing is None:
        return 1
    after = closing.end()
    rest = raw[after:]
    return raw.count("\n", 0, after + len(rest) - len(rest.lstrip())) + 1


def check_fields(src: Source, cfg: Config) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Every problem of one post's or page's front matter, or its checked values by field name."""
    kind = kinds.PAGE if src.is_page else kinds.POST
    return kind.check(src.meta, Check(src.path, src.lines, src.start_line, cfg))


def walk_content(site_dir: Path) -> tuple[list[str], list[str], list[Problem]]:
    """(markdown files, other files, problems), posix paths relative to the site, sorted."""
    content = site_dir / "content"
    markdown: list[str] = []
    others: list[str] = []
    found: list[Problem] = []
    if not content.is_dir():
        return [], [], [problem("content", 0, "no_content")]
    root = content.resolve()
    if not _inside(content, site_dir.resolve()):  # content/ itself a link leading out
        return [], [], [problem("content", 0, "path_outside")]
    site_prefix = os.fspath(site_dir).rstrip(os.sep) + os.sep
    pending = [os.fspath(content)]
    while pending:  # os.scandir: file types come with the listing, no stat per file
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as err:  # its posts would silently be missing: an error, not a shorter site
            found.append(os_problem(_rel(folder, site_prefix), "unreadable_folder", err))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = _rel(entry.path, site_prefix)
            if entry.is_symlink():
                if not _inside(Path(entry.path), root):
                    found.append(problem(rel, 0, "path_outside"))
                    continue
                if entry.is_dir():
                    continue  # never descend through links
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.is_file():
                (markdown if entry.name.lower().endswith(".md") else others).append(rel)
    markdown.sort()
    others.sort()
    return markdown, others, found


def _rel(path: str, site_prefix: str) -> str:
    return path[len(site_prefix):].replace(os.sep, "/") if path.startswith(site_prefix) else path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def is_page_path(rel: str) -> bool:
    return rel.split("/")[1:2] == [PAGES_DIR]


def published_name(rel: str) -> str:
    """content/ảnh/a.jpg -> ảnh/a.jpg, composed (NFC)."""
    return unicodedata.normalize("NFC", rel.split("/", 1)[1])
