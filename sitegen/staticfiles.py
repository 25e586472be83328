"""The site's static files by published name: the default theme's assets, overlaid file by file by each
parent theme's and the site's own, then every file of content/ that is not Markdown."""

from __future__ import annotations

from pathlib import Path

from sitegen import templates
from sitegen.loader import published_name
from sitegen.problems import Problems, problem


def theme_assets(site_dir: Path, problems: Problems, theme: tuple[Path, ...] = ()) -> dict[str, Path]:
    """assets/ of the default theme, overlaid file by file by each parent theme's, then by the site's own;
    links leading out refused."""
    found: dict[str, Path] = {}
    for root in (templates.THEME_DIR / "assets", *[folder / "assets" for folder in reversed(theme)],
                 site_dir / "assets"):
        if not root.is_dir():
            continue
        real_root = root.resolve()
        for path in sorted(root.rglob("*")):
            if path.name.startswith(".") or not path.is_file():
                continue
            if not path.resolve().is_relative_to(real_root):
                problems.append(problem(_site_rel(site_dir, path), 0, "path_outside"))
                continue
            found["assets/" + path.relative_to(root).as_posix()] = path
    return found


def collect(site_dir: Path, statics: list[str], problems: Problems,
            theme: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Output path -> source file: the theme's assets, then every non-Markdown file of content/.

    Names are published composed (NFC), the way links are typed on Windows and
    normalised here, whatever form the file system gave (a Mac saves NFD); two
    files whose names differ only so would land on one name: an error.
    """
    copies = theme_assets(site_dir, problems, theme)
    origin: dict[str, str] = {}
    for rel in statics:
        out = published_name(rel)
        if out in origin:
            problems.append(problem(rel, 0, "same_name_nfc", other=origin[out]))
            continue
        origin[out] = rel
        copies[out] = site_dir / rel
    return copies


def _site_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()
