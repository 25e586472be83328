"""site.toml -> a frozen Config; every unknown key or bad value is a Problem."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen import dates, encoding, words
from sitegen.model import SEARCH_TEXT, WHOLE_TEXT, Category, Config, Maintenance
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
    "search": (bool, False),
    "search_text": (object, False),  # "all" or a number of characters: _check_search_text
    "categories": (list, True),
    "maintenance": (dict, False),
    "members": (list, False),  # a province's communes: checked by province.load_members
}
_CATEGORY_KEYS: dict[str, tuple[type, bool]] = {
    "key": (str, True),
    "name": (str, True),
    "description": (str, False),
}
LANGUAGES = ("vi", "en")
_TYPE_NAMES = {str: "string", int: "integer", list: "list", dict: "table", bool: "true or false"}


def guess_language(raw: str) -> str:
    """The language a broken site.toml asks for, so its own errors use it."""
    found = re.search(r'^\s*language\s*=\s*"(vi|en)"', raw, re.MULTILINE)
    return found[1] if found else "vi"


def has_members(site: Path) -> bool:
    """Whether the site.toml of `site` lists members, a province's (a broken file: the normal build reports it).
    Here, not in the province package: a single site's build asks and need not import that package."""
    try:
        return "members" in tomllib.loads((site / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def enclosing_province(site: Path) -> tuple[Path, str] | None:
    """(the province's folder, the member's key) when a site.toml above `site` lists it as a member: built
    alone, a commune would lose the province's theme and its link to the portal. None for a site of its own."""
    here = site.resolve()
    for folder in here.parents:
        try:
            listed = tomllib.loads((folder / CONFIG_FILE).read_text(encoding="utf-8")).get("members")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        for member in listed if isinstance(listed, list) else []:
            path, key = (member.get("path"), member.get("key")) if isinstance(member, dict) else (None, None)
            if isinstance(path, str) and isinstance(key, str) and (folder / path).resolve() == here:
                return folder, key
    return None


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
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [problem(CONFIG_FILE, 0, "config_missing")]
    except OSError as err:
        return None, [os_problem(CONFIG_FILE, "unreadable", err)]
    raw, refused = encoding.decode(data)  # Notepad's BOM and CRLF are fine; UTF-16 and cp1258 are named
    if raw is None:
        return None, [problem(CONFIG_FILE, 0, refused)]
    try:
        table = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"at line (\d+)", str(err))
        line = int(found[1]) if found else raw.count("\n") + 1
        return None, [problem(CONFIG_FILE, line, "bad_toml", reason=err)]
    cfg, found = parse_config(table, raw)
    if cfg is None:
        return None, found
    theme_words, word_problems = words.load(site_dir, cfg.language)
    return replace(cfg, words=theme_words), found + word_problems


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
    tz = ZoneInfo(table["timezone"]) if not found and "timezone" in table else ZoneInfo("Asia/Ho_Chi_Minh")
    maintenance, notice_problems = _parse_maintenance(table.get("maintenance"), raw, tz)
    found += notice_problems
    if any(p.severity == "error" for p in found):
        return None, found
    scheme, host, path = re.match(r"^(\w+)://([^/]+)(.*)$", table["base_url"].rstrip("/") + "/").groups()
    base_url = f"{scheme.lower()}://{host.lower()}{path}"  # scheme and host are not case-sensitive: written alike
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
        search=table.get("search", True),
        search_text=_search_text(table.get("search_text", SEARCH_TEXT)),
        words=words.load(None, table.get("language", "vi"))[0],  # the theme's; load_config adds the site's
        maintenance=maintenance,
    ), found


def _check_values(table: dict, raw: str) -> list[Problem]:
    """The values of the right type that are still wrong: each is a problem at its key's line."""
    found: list[Problem] = []

    def bad(key: str, code: str, **args: object) -> None:
        found.append(problem(CONFIG_FILE, line_of(raw, key), code, key=key, **args))

    _check_texts(table, bad)
    _check_numbers(table, bad)
    _check_search_text(table, bad)
    return found


def _check_texts(table: dict, bad: Callable[..., None]) -> None:
    if isinstance(table.get("title"), str) and not table["title"].strip():
        bad("title", "config_empty")
    url = table.get("base_url")
    if isinstance(url, str) and not re.match(r"^https?://[^/\s]+(/\S*)?$", url, re.IGNORECASE):
        bad("base_url", "config_bad_base_url", value=url)
    lang = table.get("language", "vi")
    if isinstance(lang, str) and lang not in LANGUAGES:
        bad("language", "config_bad_choice", value=lang, choices=", ".join(LANGUAGES))
    zone = table.get("timezone", "Asia/Ho_Chi_Minh")
    if isinstance(zone, str) and not _zone_exists(zone):
        bad("timezone", "config_bad_timezone", value=zone)


def _check_numbers(table: dict, bad: Callable[..., None]) -> None:
    for key in ("latest_count", "per_page", "feed_items"):
        value = table.get(key, 1)
        if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 1000:
            bad(key, "config_out_of_range", value=value, low=1, high=1000)
    hosts = table.get("embed_hosts", [])
    if isinstance(hosts, list) and not all(isinstance(h, str) and h.strip() for h in hosts):
        bad("embed_hosts", "config_bad_type", expected="list of host names")


SEARCH_TEXT_RANGE = (100, 1_000_000)


def _check_search_text(table: dict, bad: Callable[..., None]) -> None:
    value = table.get("search_text", SEARCH_TEXT)
    low, high = SEARCH_TEXT_RANGE
    if value == "all" or (isinstance(value, int) and not isinstance(value, bool) and low <= value <= high):
        return
    written = f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
    bad("search_text", "config_bad_search_text", value=written, low=low, high=high)


def _search_text(value: int | str) -> int:
    """site.toml's search_text as Config holds it: the characters of each page, WHOLE_TEXT for "all"."""
    return WHOLE_TEXT if value == "all" else int(value)


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


_MAINTENANCE_KEYS: dict[str, tuple[type, bool]] = {
    "start": (object, True), "end": (object, True), "notice_from": (object, False), "message": (str, False)}
NOTICE_WORKING_DAYS = 7  # Decree 224/2026, art. 13: announced at least 7 working days ahead


def _parse_maintenance(value: object, raw: str, tz: ZoneInfo) -> tuple[Maintenance | None, list[Problem]]:
    """[maintenance] start, end, notice_from (default: 7 working days before start), message."""
    if not isinstance(value, dict):
        return None, []
    start_line = line_of(raw, "maintenance")
    found = _check_keys(value, _MAINTENANCE_KEYS, raw, start_line - 1, start_line)
    moments = {}
    for key in ("start", "end", "notice_from"):
        if key in value:
            parsed = dates.parse(value[key], tz)
            if parsed is None:
                found.append(problem(CONFIG_FILE, line_of(raw, key, start_line - 1), "config_bad_date", key=key,
                                     value=value[key], forms=", ".join(dates.ACCEPTED_FORMS)))
            else:
                moments[key] = parsed[0]
    if found or "start" not in moments or "end" not in moments:
        return None, found
    start, end = moments["start"], moments["end"]
    if end <= start:
        return None, [problem(CONFIG_FILE, line_of(raw, "end", start_line - 1), "config_maintenance_order")]
    latest = working_days_before(start, NOTICE_WORKING_DAYS)
    shown_from = moments.get("notice_from", latest)
    if shown_from > latest:
        found.append(problem(CONFIG_FILE, line_of(raw, "notice_from", start_line - 1), "config_maintenance_late",
                             "warning", days=NOTICE_WORKING_DAYS,
                             latest=dates.dmy(latest)))
    return Maintenance(start, end, shown_from, " ".join(str(value.get("message", "")).split())), found


def working_days_before(moment: datetime, count: int) -> datetime:
    """The day `count` working days (Monday to Friday) before `moment`, at 00:00."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
