"""The theme's words: templates/words/<language>.toml of the theme, with a site's own keys over them.

Every word a reader sees that a template does not spell out itself ("Tin mới
nhất", "Trang sau", the title of a tag page) lives there, in Vietnamese and
English. A site changes a word by writing only that key in its own
`templates/words/vi.toml` (or `en.toml`); the rest still come from the theme.
Messages about mistakes in a site stay in `i18n`: they are the generator's.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from pathlib import Path

from sitegen.model import Words
from sitegen.problems import Problem, problem
from sitegen.text import closest

THEME_DIR = Path(__file__).resolve().parent.parent  # the default theme: templates/ + assets/
WORDS_DIR = "templates/words"  # relative to the theme and to a site


def words_file(lang: str) -> str:
    return f"{WORDS_DIR}/{'en' if lang == 'en' else 'vi'}.toml"


def load(site_dir: Path | None, lang: str, theme_dir: Path = THEME_DIR) -> tuple[Words, list[Problem]]:
    """The words for `lang`: the theme's, then the site's file over them key by key."""
    rel = words_file(lang)
    theme = _theme_words(theme_dir / rel)  # the theme's own: always valid
    if site_dir is None or not (site_dir / rel).is_file() or (site_dir / rel).resolve() == (theme_dir / rel).resolve():
        return Words(theme), []
    own, found = _read_site_words(site_dir, rel, theme)
    return Words({**theme, **own}), found


def _theme_words(path: Path) -> dict[str, str]:
    """The theme's word file, parsed once per process while it is unchanged: every site of a province
    (and every config read of a build) reads the same one."""
    info = os.stat(path)
    return dict(_parsed(os.fspath(path), info.st_size, info.st_mtime_ns, info.st_ino))


@functools.lru_cache(maxsize=8)
def _parsed(path: str, size: int, mtime: int, inode: int) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        return tomllib.loads(handle.read())


def _read_site_words(site_dir: Path, rel: str, theme: dict[str, str]) -> tuple[dict[str, str], list[Problem]]:
    try:
        raw = (site_dir / rel).read_text(encoding="utf-8")
        table = tomllib.loads(raw)
    except (OSError, UnicodeDecodeError) as err:
        return {}, [problem(rel, 0, "unreadable", reason=err)]
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"at line (\d+)", str(err))
        return {}, [problem(rel, int(line[1]) if line else 1, "bad_toml", reason=err)]
    own: dict[str, str] = {}
    found = []
    for key, value in table.items():
        at = _line_of(raw, key)
        if key not in theme:
            found.append(problem(rel, at, "unknown_word", "warning", key=key, hint=closest(key, list(theme)) or ""))
        elif not isinstance(value, str):
            found.append(problem(rel, at, "bad_text", key=key))
        else:
            own[key] = value
    return own, found


def _line_of(raw: str, key: str) -> int:
    """The line where `key =` is written (1 when it cannot be found, e.g. a quoted key)."""
    found = re.search(rf"^\s*{re.escape(key)}\s*=", raw, re.MULTILINE)
    return raw.count("\n", 0, found.start()) + 1 if found else 1
