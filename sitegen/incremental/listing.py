"""Where a build's cache lives (`cache_dir_for`), and files by stat: the site's sources (`files`) and the
output as a stamp records it (`as_recorded`).

Kept apart from quiet.py and store.py and light to import, so that a process forked before the build's
stages are imported can do this looking (lookahead.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.digests import digest

STAMP_FILE = "stamp.json"  # in the cache folder: what quiet.py and narrow.py learn from the last build
SITE_PARTS = ("site.toml", "content", "data", "templates", "assets")  # what a site's build reads
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC  # a folder to list


def cache_root(site: Path) -> Path:
    """The site's folder of build caches (and of serve's preview: preview_folder.py)."""
    return site / ".sitegen-cache"


def cache_dir_for(site: Path, output: Path) -> Path:
    """The cache lives in the site folder, never beside the output (whose parent may not be writable):
    site/public/ -> site/.sitegen-cache/public/; any other output gets its name and a hash of its path."""
    out = output.resolve()
    name = out.name if out.parent == site.resolve() else f"{out.name}-{digest(os.fspath(out))[:12]}"
    return cache_root(site) / name


def stat(path: str) -> list[int] | None:
    """[size, mtime, inode] of a path; None if there is none."""
    return look(path, 3)


def files(root: Path, parts: tuple[str, ...] = SITE_PARTS,
          skip: frozenset[str] = frozenset()) -> dict[str, list[int]]:
    """Path from `root` -> (size, mtime, inode) of every file of `parts` (files or folders), hidden names
    and the folders in `skip` (absolute) left out; symlinked folders are not entered. Each folder is
    listed through a descriptor of its own, so that its files are looked at by name (fstatat), not by a
    path the kernel walks from the root again for every file."""
    found: dict[str, list[int]] = {}
    pending = []
    for part in parts:
        path = os.path.join(root, part)
        if os.path.isdir(path):
            pending.append((path, part + "/"))
        elif (info := stat(path)) is not None:
            found[part] = info
    while pending:
        path, prefix = pending.pop()
        try:
            handle = os.open(path, _FOLDER)
        except OSError:
            continue
        try:
            with os.scandir(handle) as entries:
                for entry in entries:
                    name = entry.name
                    if name[0] == "." or (skip and os.path.join(path, name) in skip):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((os.path.join(path, name), prefix + name + "/"))
                        continue
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    found[prefix + name] = [info.st_size, info.st_mtime_ns, info.st_ino]
        except OSError:
            continue
        finally:
            os.close(handle)
    return found


def as_recorded(out: Path, folders: dict[str, list[int]], files: dict[str, list[int]]) -> bool:
    """Every folder and file of the output has the stat its record gives (`look`); each looked at by its
    path inside the output folder, held open (fstatat), not walked to from the root again."""
    handle = os.open(out, _FOLDER)
    try:
        return (all(look(rel or ".", 2, handle) == record for rel, record in folders.items())
                and all(look(rel, 3, handle) == record for rel, record in files.items()))
    finally:
        os.close(handle)


def look(path: str, size: int, folder: int | None = None) -> list[int] | None:
    """[mtime, inode] (size 2) or [size, mtime, inode] (size 3) of a path (inside the open `folder`, if
    given); None if there is none."""
    try:
        info = os.stat(path, dir_fd=folder)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_ino] if size == 2 else [info.st_size, info.st_mtime_ns, info.st_ino]
