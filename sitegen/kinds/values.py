"""How written values are read and checked, and stored in the cache: the values every kind reuses
(`TEXT`, `DATE`, `TEXTS`...)."""

from __future__ import annotations

import re
import reprlib
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sitegen import dates
from sitegen.model import Category
from sitegen.schema import (
    Check,
    Field,
    RecordError,
    Restore,
    Value,
    from_iso,
    iso,
)
from sitegen.text import closest, slugify

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


# --- reading written values ----------------------------------------------------------------------

def _bad_char(text: str, key: str, check: Check) -> bool:
    found = BAD_CHAR.search(text)
    if found:
        check.add(key, "bad_char", char=f"U+{ord(found[0]):04X}")
    return found is not None


def _scalar_text(value: Any, key: str, check: Check) -> str | None:
    """Text, a number or nothing as written; None (and a problem) for anything else."""
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        check.add(key, "bad_text")
        return None
    return str(value)


def read_text(value: Any, key: str, check: Check) -> str:
    """One line of text: runs of spaces and line breaks become one space."""
    written = _scalar_text(value, key, check)
    text = " ".join(written.split()) if written else ""
    return "" if _bad_char(text, key, check) else text


def read_long_text(value: Any, key: str, check: Check) -> str:
    """Text whose line breaks are kept (a summary)."""
    written = _scalar_text(value, key, check)
    text = written.strip() if written else ""
    return "" if _bad_char(text, key, check) else text


def _parse_date(value: Any, key: str, check: Check) -> tuple[datetime, bool] | None:
    if value in (None, ""):
        return None
    try:
        parsed = dates.parse(value, check.cfg.tz)
        if parsed is not None:
            parsed[0].astimezone(UTC)  # year 1 at +07:00 is year 0 in UTC: no date can say that
    except (ValueError, OverflowError, TypeError):
        parsed = None
    if parsed is None:
        code, reason = dates.explain(value)
        if code == "bad_date":
            check.add(key, "bad_date", value=shown(value), forms=", ".join(dates.ACCEPTED_FORMS))
        else:  # a known form naming a day or time that does not exist: say which
            check.add(key, code, value=shown(value), **reason)
    return parsed


def read_date(value: Any, key: str, check: Check) -> datetime | None:
    """A date in one of dates.ACCEPTED_FORMS, in the site's time zone."""
    parsed = _parse_date(value, key, check)
    return parsed[0] if parsed else None


def read_published(value: Any, key: str, check: Check) -> datetime | None:
    """A date as `read_date`, also noting in `has_time` whether a time of day was written."""
    parsed = _parse_date(value, key, check)
    check.values["has_time"] = parsed[1] if parsed else False
    return parsed[0] if parsed else None


def read_category(value: Any, key: str, check: Check) -> Category | None:
    """A category of site.toml by key or name, case and tone marks aside."""
    if value in (None, ""):
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        check.add(key, "bad_text")
        return None
    categories = check.cfg.categories
    wanted = " ".join(str(value).split()).casefold()
    for cat in categories:
        if wanted in (cat.key.casefold(), cat.name.casefold()) or slugify(wanted) == cat.key:
            return cat
    hint = closest(str(value)[:200], [c.name for c in categories] + [c.key for c in categories]) or ""
    check.add(key, "unknown_category", value=shown(value), hint=hint,
              known=", ".join(f"{c.name} ({c.key})" for c in categories))
    return None


_COUNT = re.compile(r"^(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)$")  # 1234, and 1.234 as the portal prints counts


def read_count(value: Any, key: str, check: Check) -> int:
    """A whole number of zero or more; "1.234" (Vietnamese grouping) is 1234."""
    if isinstance(value, str) and _COUNT.match(value.strip()):
        return int(value.strip().replace(".", ""))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        check.add(key, "bad_views", value=shown(value))
        return 0
    return value


def read_flag(value: Any, key: str, check: Check) -> bool:
    if not isinstance(value, bool):
        check.add(key, "bad_bool")
        return False
    return value


def read_texts(value: Any, key: str, check: Check) -> tuple[str, ...]:
    """A YAML list or comma-separated text; blanks and repeats dropped."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or any(not isinstance(v, (str, int, float)) or isinstance(v, bool)
                                          for v in value):
        check.add(key, "bad_list")
        return ()
    cleaned = [" ".join(str(v).split()) for v in value]
    if any(_bad_char(v, key, check) for v in cleaned):
        return ()
    return tuple(dict.fromkeys(v for v in cleaned if v))


def read_tags(value: Any, key: str, check: Check) -> tuple[str, ...]:
    """Tags as `read_texts`; one tag page per slug: [Cải cách, cải cách] is one tag, spelled as first written."""
    first: dict[str, str] = {}
    for tag in read_texts(value, key, check):
        first.setdefault(slugify(tag) or tag, tag)
    tags = tuple(first.values())
    for tag in tags:
        if len(slugify(tag)) > MAX_SLUG:
            check.add(key, "too_long", value=tag, limit=MAX_SLUG)
    return tags


def is_site_path(path: str) -> bool:
    """'/tin-cu/kiem-tra/' yes; '../x', 'C:/x', 'https://x', '/a/../b' and control characters no."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    if any(ord(c) < 32 for c in path) or re.search(r"[?#<>\"']", path):
        return False
    return all(part not in (".", "..") and len(part.encode("utf-8", "replace")) <= MAX_SLUG
               for part in path.split("/"))


def read_site_paths(value: Any, key: str, check: Check) -> tuple[str, ...]:
    paths = read_texts(value, key, check)
    for path in paths:
        if not is_site_path(path):
            check.add(key, "bad_alias", value=path)
    return paths


def read_image(value: Any, key: str, check: Check) -> str:
    """A path of a file of the site, or an http(s) address."""
    image = read_text(value, key, check)
    scheme = _SCHEME.match(image)
    if scheme and scheme[1].lower() not in ("http", "https"):
        check.add(key, "bad_image_url", value=image)
    return image


def _ignore(value: Any, key: str, check: Check) -> None:
    return None


def _category_key(value: Category | None) -> str | None:
    return value.key if value is not None else None


def _category_of(value: Any, restore: Restore) -> Category | None:
    if value is None:
        return None
    return restore.categories[value]  # KeyError: a category no longer in site.toml


def texts_of(value: Any, restore: Restore) -> tuple[str, ...]:
    if type(value) is not list or not set(map(type, value)) <= {str}:
        raise RecordError("not a list of text")
    return tuple(value)


def _refs_list(refs: tuple[tuple[str, int], ...]) -> list[list[Any]]:
    return [list(ref) for ref in refs]


def _refs_of(value: Any, restore: Restore) -> tuple[tuple[str, int], ...]:
    if type(value) is not list:
        raise RecordError("not a list")
    return tuple((str(ref), int(line)) for ref, line in value)


TEXT = Value("text", str, read_text, exact=str)
LONG_TEXT = Value("text", str, read_long_text, exact=str)
IMAGE = Value("site path or http(s) address", str, read_image, exact=str)
DATE = Value("date", datetime | None, read_date, dump=iso, load=from_iso)
PUBLISHED = Value("date", datetime | None, read_published, dump=iso, load=from_iso)
CATEGORY = Value("category", Category | None, read_category, dump=_category_key, load=_category_of)
COUNT = Value("whole number", int, read_count, exact=int)
FLAG = Value("`true` or `false`", bool, read_flag, exact=bool)
TEXTS = Value("list", tuple[str, ...], read_texts, dump=list, load=texts_of)
TAGS = Value("list", tuple[str, ...], read_tags, dump=list, load=texts_of)
SITE_PATHS = Value("list of site paths", tuple[str, ...], read_site_paths, dump=list, load=texts_of)
IGNORED_CATEGORY = replace(CATEGORY, read=_ignore)  # a page belongs to no category, whatever it says
# Values the build sets (never read from front matter), stored as they are.
BUILT_TEXT = Value("", str, exact=str)
BUILT_FLAG = Value("", bool, exact=bool)
BUILT_COUNT = Value("", int, exact=int)
BUILT = Value("", Any)  # a value the build makes and never stores
REFS = Value("", tuple[tuple[str, int], ...], dump=_refs_list, load=_refs_of)


def built(name: str, value: Value, default: Any = None, **more: Any) -> Field:
    """A field the build sets, never the front matter."""
    return Field(name, value, default=default, from_front_matter=False, **more)
