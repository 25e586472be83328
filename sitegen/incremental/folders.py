"""Output folders as the last build left them: one stat of a folder stands for the stats of its files.

Creating, removing or renaming a file changes the mtime of its folder; so does
every page a build writes (it is staged beside its target and renamed over
it). So the end of a build records the mtime and inode of each output folder
that holds a page, and the next build takes the pages of a folder whose stat
is unchanged as that build wrote them, without a stat each: at 10,000 posts,
12,000 folders instead of 28,000 files. A folder whose stat changed has each
of its files looked at, as before. Writing into a page in place, without
renaming, changes no folder: such a page is put right by `--no-cache`.

A folder changed in the same tick of the file system's clock as the build's
own last change (the output folder's mtime) could change again unseen, so it
is not recorded; its files are looked at the next time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

FolderRecord = tuple[int, int]  # mtime_ns, inode


def folder_of(rel: str) -> str:
    return rel.rpartition("/")[0]


class Folders:
    """This build's look at the output folders recorded by the last one, each folder looked at once."""

    def __init__(self, out: Path, saved: dict[str, FolderRecord]) -> None:
        self.out = os.fspath(out)
        self.saved = saved
        self.seen: dict[str, bool] = {}  # folder -> its stat is the recorded one

    def unchanged(self, rel: str) -> bool:
        """The folder of the output file `rel` is as the last build left it (so is the file, but for an edit
        in place)."""
        folder = folder_of(rel)
        found = self.seen.get(folder)
        if found is None:
            found = self.seen[folder] = self._same(folder)
        return found

    def _same(self, folder: str) -> bool:
        known = self.saved.get(folder)
        if known is None:
            return False
        try:
            info = os.stat(os.path.join(self.out, folder))
        except OSError:
            return False
        return (info.st_mtime_ns, info.st_ino) == known


def record(out: Path, files: Iterable[str], written: Iterable[str], looked: Folders | None) -> dict[str, FolderRecord]:
    """The folders of the output `files` after this build: those it found unchanged and wrote nothing into (nor
    made a folder in) keep their record, the others are looked at now; none changed in the last clock tick."""
    try:
        now = os.stat(out).st_mtime_ns
    except OSError:
        return {}
    changed = set()
    for rel in written:
        folder = folder_of(rel)
        while folder not in changed:
            changed.add(folder)
            if not folder:
                break
            folder = folder_of(folder)
    records = {}
    for folder in {folder_of(rel) for rel in files}:
        if looked is not None and folder not in changed and looked.seen.get(folder):
            records[folder] = looked.saved[folder]
            continue
        try:
            info = os.stat(os.path.join(out, folder))
        except OSError:
            continue
        if info.st_mtime_ns < now:
            records[folder] = (info.st_mtime_ns, info.st_ino)
    return records
