"""site.toml -> a frozen Config; every unknown key or bad value is a Problem."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.model import Category, Config
from sitegen.problems import Problem, os_problem, problem
from sitegen.text import closest, slugify

CONFIG_FILE = "site.toml"

# key -> (python type, required)
_TOP_KEYS: dict[str, tuple[type, bool]] = {
    "title": (str, True),
    "base_url": (str, True),
    "description": (str, False),
    "language": (str, False),
    "timezone": (str, False),
    "latest_count": (int, False),
    "per_page": (int, False),
    "feed_items": (int, False),
    "author": (str, False),
    "logo": (str, False),
    "address": (str, False),
    "phone": (str, False),
    "email": (str, False),
    "embed_hosts": (list, False),
    "categories": (list, True),
    "members": (list, False),  # a province's communes: checked by province.load_members
}
_CATEGORY_KEYS: dict[str, tuple[type, bool]] = {
    "key": (str, True),
    "name": (str, True),
    "description": (str, False),
}
LANGUAGES = ("vi", "en")
_TYPE_NAMES = {str: "string", int: "integer", list: "list", dict: "table"}


def guess_language(raw: str) -> str:
    """The language a broken site.toml asks for, so its own errors use it."""
    found = re.search(r'^\s*language\s*=\s*"(vi|en)"', raw, re.MULTILINE)
    return found[1] if found else "vi"


def line_of(raw: str, key: str, after: int = 0) -> int:
    """1-based line of `key = ...` at or after line `after`; 1 if not found."""
    name = re.escape(key)
    pattern = re.compile(rf"^\s*(?:[\"']?{name}[\"']?\s*[=.]|\[\[?\s*[\"']?{name}[\"']?\s*[\].])")
    for number, text in enumerate(raw.splitlines()[after:], start=after + 1):
        if pattern.match(text):
            return number
    return after or 1


def _table_lines(raw: str) -> list[int]:
    """0-based line index of each [[categories]] header."""
    return [i for i, t in enumerate(raw.splitlines()) if re.match(r"^\s*\[\[\s*categories\s*\]\]", t)]


def load_config(site_dir: Path) -> tuple[Config | None, list[Problem]]:
    path = site_dir / CONFIG_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [problem(CONFIG_FILE, 0, "config_missing")]
    except OSError as err:
        return None, [os_problem(CONFIG_FILE, "unreadable", err)]
    except UnicodeDecodeError as err:
        return None, [problem(CONFIG_FILE, 0, "unreadable", reason=err)]
    try:
        table = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"at line (\d+)", str(err))
        line = int(found[1]) if found else raw.count("\n") + 1
        return None, [problem(CONFIG_FILE, line, "bad_toml", reason=err)]
    return parse_config(table, raw)


def _check_keys(table: dict, schema: dict[str, tuple[type, bool]], raw: str,
                start: int, missing_line: int) -> list[Problem]:
    found: list[Problem] = []
    for key in sorted(table.keys() - schema.keys()):
        hint = closest(key, list(schema)) or ""
        found.append(problem(CONFIG_FILE, line_of(raw, key, start), "config_unknown_key",
                             key=key, hint=hint))
    for key, (kind, required) in schema.items():
        if key not in table:
            if required:
                found.append(problem(CONFIG_FILE, missing_line, "config_missing_key", key=key))
            continue
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            found.append(problem(CONFIG_FILE, line_of(raw, key, start), "config_bad_type",
                                 key=key, expected=_TYPE_NAMES[kind]))
    return found


def parse_config(table: dict, raw: str) -> tuple[Config | None, list[Problem]]:
    found = _check_keys(table, _TOP_KEYS, raw, 0, 1)
    categories, cat_problems = _parse_categories(table.get("categories"), raw)
    found += cat_problems
    found += _check_values(table, raw)
    if found:
        return None, found
    base_url = table["base_url"].rstrip("/") + "/"
    return Config(
        title=table["title"].strip(),
        base_url=base_url,
        categories=categories,
        tz=ZoneInfo(table.get("timezone", "Asia/Ho_Chi_Minh")),
        description=table.get("description", ""),
        language=table.get("language", "vi"),
        timezone=table.get("timezone", "Asia/Ho_Chi_Minh"),
        latest_count=table.get("latest_count", 8),
        per_page=table.get("per_page", 20),
        feed_items=table.get("feed_items", 20),
        author=table.get("author", ""),
        logo=table.get("logo", ""),
        address=table.get("address", ""),
        phone=table.get("phone", ""),
        email=table.get("email", ""),
        embed_hosts=tuple(table.get("embed_hosts", ())),
    ), []


def _check_values(table: dict, raw: str) -> list[Problem]:
    found: list[Problem] = []

    def bad(key: str, code: str, **args: object) -> None:
        found.append(problem(CONFIG_FILE, line_of(raw, key), code, key=key, **args))

    if isinstance(table.get("title"), str) and not table["title"].strip():
        bad("title", "config_empty")
    url = table.get("base_url")
    if isinstance(url, str) and not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        bad("base_url", "config_bad_base_url", value=url)
    lang = table.get("language", "vi")
    if isinstance(lang, str) and lang not in LANGUAGES:
        bad("language", "config_bad_choice", value=lang, choices=", ".join(LANGUAGES))
    zone = table.get("timezone", "Asia/Ho_Chi_Minh")
    if isinstance(zone, str) and not _zone_exists(zone):
        bad("timezone", "config_bad_timezone", value=zone)
    for key in ("latest_count", "per_page", "feed_items"):
        value = table.get(key, 1)
        if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 1000:
            bad(key, "config_out_of_range", value=value, low=1, high=1000)
    hosts = table.get("embed_hosts", [])
    if isinstance(hosts, list) and not all(isinstance(h, str) and h.strip() for h in hosts):
        bad("embed_hosts", "config_bad_type", expected="list of host names")
    return found


def _zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _parse_categories(value: object, raw: str) -> tuple[tuple[Category, ...], list[Problem]]:
    if not isinstance(value, list):
        return (), []
    if not value:
        return (), [problem(CONFIG_FILE, line_of(raw, "categories"), "config_no_categories")]
    headers = _table_lines(raw)
    found: list[Problem] = []
    categories: list[Category] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(value):
        start = headers[index] if index < len(headers) else 0
        if not isinstance(entry, dict):
            found.append(problem(CONFIG_FILE, start + 1, "config_bad_type",
                                 key="categories", expected="table"))
            continue
        entry_problems = _check_keys(entry, _CATEGORY_KEYS, raw, start, start + 1)
        found += entry_problems
        if entry_problems:
            continue
        key, name = entry["key"].strip(), entry["name"].strip()
        line = line_of(raw, "key", start)
        if not name:
            found.append(problem(CONFIG_FILE, line_of(raw, "name", start), "config_empty", key="name"))
        if key != slugify(key) or not key:
            found.append(problem(CONFIG_FILE, line, "config_bad_category_key",
                                 value=key, suggestion=slugify(key) or "tin-tuc"))
        elif key in seen:
            found.append(problem(CONFIG_FILE, line, "config_duplicate_category",
                                 value=key, first=seen[key]))
        elif key in RESERVED_SEGMENTS:
            found.append(problem(CONFIG_FILE, line, "config_reserved_key", value=key))
        seen.setdefault(key, line)
        categories.append(Category(key=key, name=name, description=entry.get("description", "")))
    return tuple(categories), found


# First URL segments the generator itself uses.
RESERVED_SEGMENTS = frozenset({"tag", "archive", "assets", "page"})
