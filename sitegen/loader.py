"""content/ -> raw posts: front matter via python-frontmatter, checked field by field."""

from __future__ import annotations

import os
import re
import reprlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from sitegen import dates
from sitegen.model import Category, Config
from sitegen.problems import Problem, os_problem, problem
from sitegen.text import closest, slugify

PAGES_DIR = "pages"
KNOWN_KEYS = ("title", "date", "category", "views", "tags", "summary", "image", "image_caption",
              "image_alt", "author", "slug", "draft", "updated", "id", "aliases")
_STRING_KEYS = ("title", "summary", "image", "image_caption", "image_alt", "author", "slug", "id")
# Characters no HTML page or XML feed may hold: C0 controls but tab/newline/CR, lone surrogates,
# U+FFFE and U+FFFF. Front matter holding one is an error at its line; a body loses them quietly.
BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_SLUG = 200  # characters of a URL segment made from a title; file names stop at 255 bytes
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]+):", re.IGNORECASE)  # two letters at least: C:\x is a drive
_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 80
_SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict, _SHOW.maxset = 2, 4, 4, 4


def shown(value: Any) -> str:
    """A front-matter value as a message may quote it: short, even for a YAML alias bomb."""
    if isinstance(value, (str, date)):
        return str(value) if len(str(value)) <= 200 else str(value)[:200] + "..."
    return _SHOW.repr(value)


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
    only true/false are booleans.
    """


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictLoader.add_implicit_resolver(  # "0755" stays text: no YAML 1.1 octal
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


class _LineHandler(frontmatter.YAMLHandler):
    """Loads with _StrictLoader and remembers the line of every top-level key."""

    def __init__(self, raw: str) -> None:
        super().__init__()
        self.raw = raw
        self.lines: dict[str, int] = {}
        self.called = False
        self.is_mapping = True
        self.raw_fm: str | None = None

    def load(self, fm: str, **kwargs: object) -> Any:
        self.called = True
        self.raw_fm = fm
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


def _yaml_code(reason: str) -> str:
    """The message that tells an author how to fix a YAML mistake, by what the parser said."""
    if "mapping values are not allowed" in reason:
        return "bad_yaml_colon"
    if "tab" in reason.lower() or "\\t" in reason:
        return "bad_yaml_tab"
    if "expected node content" in reason or "end of stream" in reason or "stream end" in reason:
        return "bad_yaml_unclosed"
    return "bad_yaml"


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


def read_source(site_dir: Path, rel: str, is_page: bool, data: bytes | None = None) -> tuple[Source | None,
                                                                                             list[Problem]]:
    try:
        raw = (site_dir / rel).read_bytes().decode("utf-8-sig") if data is None else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [problem(rel, 0, "not_utf8")]
    except OSError as err:
        return None, [os_problem(rel, "unreadable", err)]
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
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        block = handler.raw_fm if handler.raw_fm is not None else "\n"
        line = fm_first_line(raw, block) + mark.line if mark else lead + 1
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, [problem(rel, line, _yaml_code(reason), reason=reason)]
    except (ValueError, RecursionError):
        return None, [problem(rel, lead + 1, "no_front_matter")]
    if not handler.called:
        return None, [problem(rel, lead + 1, "unclosed_front_matter")]
    if not handler.is_mapping:
        return None, [problem(rel, lead + 1, "front_matter_not_mapping")]
    return Source(rel, dict(meta), handler.lines, body, is_page, lead + 1, _body_line(raw)), []


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


@dataclass(frozen=True, slots=True)
class Fields:
    """Checked front matter of one post, before Markdown."""

    title: str
    slug: str
    date: Any  # datetime | None
    has_time: bool
    category: Category | None
    views: int
    tags: tuple[str, ...]
    summary: str
    image: str
    image_caption: str
    image_alt: str
    author: str
    draft: bool
    updated: Any  # datetime | None
    id: str
    aliases: tuple[str, ...]


def check_fields(src: Source, cfg: Config) -> tuple[Fields | None, list[Problem]]:
    """Every problem of one post's front matter, or its checked fields."""
    meta, found = src.meta, []

    def at(key: str) -> int:
        return src.lines.get(key, src.start_line)

    def add(key: str, code: str, severity: str = "error", **args: object) -> None:
        found.append(problem(src.path, at(key), code, severity, key=key, **args))

    for key in sorted(meta.keys() - set(KNOWN_KEYS), key=str):  # YAML keys may be null, numbers...
        add(key, "unknown_field", "warning", hint=closest(str(key), list(KNOWN_KEYS)) or "")
    required = ("title",) if src.is_page else ("title", "date", "category")
    for key in required:
        if meta.get(key) in (None, ""):
            add(key, "missing_field")
    strings = {k: _text(meta.get(k), k, add) for k in _STRING_KEYS}
    when, has_time = _date(meta, "date", cfg, add)
    updated, _ = _date(meta, "updated", cfg, add)
    category = None if src.is_page else _category(meta.get("category"), cfg, add)
    views = _views(meta.get("views", 0), add)
    tags = _string_list(meta.get("tags"), "tags", add)
    aliases = _string_list(meta.get("aliases"), "aliases", add)
    for alias in aliases:
        if not _is_site_path(alias):
            add("aliases", "bad_alias", value=alias)
    for tag in tags:
        if len(slugify(tag)) > MAX_SLUG:
            add("tags", "too_long", value=tag, limit=MAX_SLUG)
    scheme = _SCHEME.match(strings["image"])
    if scheme and scheme[1].lower() not in ("http", "https"):
        add("image", "bad_image_url", value=strings["image"])
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        add("draft", "bad_bool")
    slug = slugify(strings["slug"] or (_stem(src.path) if src.is_page else strings["title"]))
    if strings["title"] and not slug:
        add("slug" if strings["slug"] else "title", "empty_slug")
    if len(slug) > MAX_SLUG:
        if strings["slug"] or src.is_page:
            add("slug", "too_long", value=slug, limit=MAX_SLUG)
        slug = slug[: slug.rfind("-", 0, MAX_SLUG + 1)] if "-" in slug[:MAX_SLUG + 1] else slug[:MAX_SLUG]
    if strings["image"] and not (strings["image_alt"] or strings["image_caption"]):
        add("image", "image_without_alt", "warning")
    if any(p.severity == "error" for p in found):
        return None, found
    return Fields(
        title=strings["title"], slug=slug, date=when, has_time=has_time, category=category,
        views=views, tags=tags, summary=strings["summary"], image=strings["image"],
        image_caption=strings["image_caption"],
        image_alt=strings["image_alt"] or strings["image_caption"], author=strings["author"],
        draft=draft is True, updated=updated, id=strings["id"], aliases=aliases,
    ), found


def _is_site_path(path: str) -> bool:
    """'/tin-cu/kiem-tra/' yes; '../x', 'C:/x', 'https://x', '/a/../b' and control characters no."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    if any(ord(c) < 32 for c in path) or re.search(r"[?#<>\"']", path):
        return False
    return all(part not in (".", "..") and len(part.encode("utf-8", "replace")) <= MAX_SLUG
               for part in path.split("/"))


def _stem(rel: str) -> str:
    """A page is named by its file: content/pages/gioi-thieu.md -> gioi-thieu."""
    return rel.rsplit("/", 1)[-1].removesuffix(".md")


def _text(value: Any, key: str, add: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        add(key, "bad_text")
        return ""
    text = " ".join(str(value).split()) if key != "summary" else str(value).strip()
    return "" if _bad_char(text, key, add) else text


def _bad_char(text: str, key: str, add: Any) -> bool:
    found = BAD_CHAR.search(text)
    if found:
        add(key, "bad_char", char=f"U+{ord(found[0]):04X}")
    return found is not None


def _date(meta: dict, key: str, cfg: Config, add: Any) -> tuple[Any, bool]:
    if meta.get(key) in (None, ""):
        return None, False
    try:
        parsed = dates.parse(meta[key], cfg.tz)
        if parsed is not None:
            parsed[0].astimezone(UTC)  # year 1 at +07:00 is year 0 in UTC: no date can say that
    except (ValueError, OverflowError, TypeError):
        parsed = None
    if parsed is None:
        add(key, "bad_date", value=shown(meta[key]), forms=", ".join(dates.ACCEPTED_FORMS))
        return None, False
    return parsed


def _category(value: Any, cfg: Config, add: Any) -> Category | None:
    if value in (None, ""):
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        add("category", "bad_text")
        return None
    wanted = " ".join(str(value).split()).casefold()
    for cat in cfg.categories:
        if wanted in (cat.key.casefold(), cat.name.casefold()) or slugify(wanted) == cat.key:
            return cat
    names = [c.name for c in cfg.categories]
    hint = closest(str(value)[:200], names + [c.key for c in cfg.categories]) or ""
    add("category", "unknown_category", value=shown(value), hint=hint,
        known=", ".join(f"{c.name} ({c.key})" for c in cfg.categories))
    return None


def _views(value: Any, add: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        if isinstance(value, str) and value.strip().replace(".", "").isdigit():
            return int(value.strip().replace(".", ""))
        add("views", "bad_views", value=shown(value))
        return 0
    return value


def _string_list(value: Any, key: str, add: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list) or any(not isinstance(v, (str, int, float)) or isinstance(v, bool)
                                          for v in value):
        add(key, "bad_list")
        return ()
    cleaned = [" ".join(str(v).split()) for v in value]
    if any(_bad_char(v, key, add) for v in cleaned):
        return ()
    return tuple(dict.fromkeys(v for v in cleaned if v))


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
