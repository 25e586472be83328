"""Replaced output files kept for their disk blocks, so that the next build writes into them.

On a file system that discards freed blocks as it frees them (ext4 mounted
with `discard`, as many cloud machines are), freeing the blocks of a file
that reached the disk costs about a millisecond: renaming a new page over
its old version, or deleting a page, pays it once per file. An hourly
update of the view counts changes every page a little; paying that for
12,000 pages takes longer than building them.

So the commit keeps the old version of each replaced page as a hard link in
`.sitegen-spare/` (the rename then frees nothing), and staging a file later
takes a spare that needs no more blocks than the new bytes, moves it beside
its target and overwrites it in place. Readers still only ever see whole
files: each page is still put in place by one rename. The folder holds at
most as many files as the site and may be deleted at any time.
"""

from __future__ import annotations

import errno
import os
import random
import stat
from pathlib import Path

FOLDER = ".sitegen-spare"
BLOCK = 4096
_OPEN = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class Spares:
    """The spare files of one output folder: kept at commit, taken when staging."""

    def __init__(self, out: Path) -> None:
        self.folder = os.path.join(out, FOLDER)
        self.by_blocks: dict[int, list[str]] = {}
        self.read_by = 0  # the process that read the folder into by_blocks: each worker reads it afresh
        self.serial = 0

    def keep(self, target: str) -> None:
        """Before `target` is replaced: keep its blocks as a spare (a hard link, so readers see no change)."""
        try:
            info = os.lstat(target)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_size == 0:
                return
            self.serial += 1
            name = f"{_blocks(info.st_size)}.{os.getpid()}.{self.serial}"
            try:
                os.link(target, os.path.join(self.folder, name), follow_symlinks=False)
            except FileNotFoundError:
                os.mkdir(self.folder, 0o700)
                os.link(target, os.path.join(self.folder, name), follow_symlinks=False)
        except OSError:
            return  # another file system, no hard links, a full disk: the rename frees the blocks instead

    def take(self, size: int, tmp: str) -> int | None:
        """A spare moved to `tmp` and open for writing, of no more blocks than `size` bytes need; None if none."""
        if self.read_by != os.getpid():
            self.by_blocks, self.read_by = _read_folder(self.folder), os.getpid()
        need = _blocks(size)
        for blocks in sorted((b for b in self.by_blocks if b <= need), reverse=True)[:2]:
            names = self.by_blocks[blocks]
            while names:
                fd = _claim(os.path.join(self.folder, names.pop()), tmp)
                if fd is not None:
                    return fd
            del self.by_blocks[blocks]
        return None

    def trim(self, limit: int) -> None:
        """Delete spares beyond `limit` (the number of files in the site) after a commit."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names[limit:]:
            try:
                os.unlink(os.path.join(self.folder, name))
            except OSError:
                pass
        self.read_by = 0


def _blocks(size: int) -> int:
    return -(-size // BLOCK)


def _read_folder(folder: str) -> dict[int, list[str]]:
    """Spare names by block count, each list in an order of this process's own, so that worker
    processes taking spares at the same time seldom reach for the same one."""
    found: dict[int, list[str]] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for name in names:
        blocks, _, _ = name.partition(".")
        if blocks.isdigit():
            found.setdefault(int(blocks), []).append(name)
    shuffle = random.Random(os.getpid()).shuffle
    for names in found.values():
        shuffle(names)
    return found


def _claim(spare: str, tmp: str) -> int | None:
    """Move `spare` to `tmp` and open it; None if another process took it first or it is not a plain file."""
    try:
        os.rename(spare, tmp)
    except OSError:
        return None
    try:
        fd = os.open(tmp, _OPEN)
    except OSError:  # a symlink put there (O_NOFOLLOW) or gone: not ours to write through
        _drop(tmp)
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:  # a hard link to some other file: never write it
        os.close(fd)
        _drop(tmp)
        return None
    return fd


def _drop(path: str) -> None:
    try:
        os.unlink(path)
    except OSError as err:
        if err.errno != errno.ENOENT:
            raise
