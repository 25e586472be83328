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

A build that writes fewer than FEW_PAGES pages (one post's edit) leaves the
folder alone: it takes no spare, keeps none and does not trim, because
listing tens of thousands of spares (10 ms, and 0.2-0.4 s beside a busy
thread in `serve`) costs more than freeing the blocks of a few files.

When thousands of pages are written again (new shared partials spliced in, or
rendered anew after a template edit), the main process hands each page the last
build wrote a spare of its size before the workers start
(`assign`); the worker writes the new page into that spare where it lies
(`fill`), and the commit swaps the spare and the page in one atomic step
(kernelio.exchange: Linux's RENAME_EXCHANGE), which leaves the old page in the spare's
place: one system call a page where keeping the old page, moving a spare
beside it and renaming took four. Where the swap cannot be done, the spare
is renamed over the page as any staged file is.
"""

from __future__ import annotations

import bisect
import errno
import itertools
import os
import random
import stat
from pathlib import Path

FOLDER = ".sitegen-spare"
BLOCK = 4096
_NOFOLLOW, _CLOEXEC = getattr(os, "O_NOFOLLOW", 0), getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_OPEN = os.O_WRONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
# Spares are named by process and this count, never reset: `serve` builds many times in one process.
_SERIAL = itertools.count(1)
FEW_PAGES = 64  # a build that renders fewer pages than this leaves the spare folder alone


class Spares:
    """The spare files of one output folder: kept at commit, taken when staging."""

    def __init__(self, out: Path) -> None:
        self.folder = os.path.join(out, FOLDER)
        self.by_blocks: dict[int, list[str]] = {}
        self.read_by = 0  # the process that read the folder into by_blocks: each worker reads it afresh
        self.assigned: set[str] = set()  # spares handed out by `assign`: never taken by `take`
        self.opened: tuple[int, int] | None = None  # (process, descriptor) of the folder open for `fill`
        self.in_use = True  # False: a write of a few files, which takes, keeps and trims nothing

    def keep(self, target: str) -> None:
        """Before `target` is replaced: keep its blocks as a spare (a hard link, so readers see no change)."""
        if not self.in_use:
            return
        try:
            info = os.lstat(target)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_size == 0:
                return
            name = f"{_blocks(info.st_size)}.{os.getpid()}.{next(_SERIAL)}"
            try:
                os.link(target, os.path.join(self.folder, name), follow_symlinks=False)
            except FileNotFoundError:
                os.mkdir(self.folder, 0o700)
                os.link(target, os.path.join(self.folder, name), follow_symlinks=False)
        except OSError:
            return  # another file system, no hard links, a full disk: the rename frees the blocks instead

    def take(self, size: int, tmp: str) -> int | None:
        """A spare moved to `tmp` and open for writing, of no more blocks than `size` bytes need; None if none."""
        if not self.in_use:
            return None
        if self.read_by != os.getpid():
            self.by_blocks, self.read_by = _read_folder(self.folder, self.assigned), os.getpid()
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
        if not self.in_use:  # nothing was kept: the folder has not grown
            return
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


    def assign(self, sizes: list[int]) -> list[str | None]:
        """A spare for each file of these sizes (None where there is none of no more blocks than it needs),
        each handed out once: worker processes then write them in place with no claim of their own."""
        if not self.in_use:
            return [None] * len(sizes)
        if self.read_by != os.getpid():
            self.by_blocks, self.read_by = _read_folder(self.folder, self.assigned), os.getpid()
        found: list[str | None] = []
        classes = sorted(self.by_blocks)
        for size in sizes:
            need, name = _blocks(size), None
            for blocks in reversed(classes[: bisect.bisect_right(classes, need)][-2:]):
                if self.by_blocks[blocks]:
                    name = self.by_blocks[blocks].pop()
                    break
            if name is not None:
                self.assigned.add(name)
            found.append(name)
        return found

    def fill(self, name: str, data: bytes, root: str) -> str | None:
        """Write `data` into the assigned spare `name` where it lies; its path, or None when it cannot be
        used (gone, a link, not a plain file: never written through). `root`: the output's real path + "/",
        which the spare folder must lie in."""
        folder = self._folder_fd(root)
        if folder is None:
            return None
        try:
            fd = os.open(name, _OPEN, dir_fd=folder)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                return None
            if stat.S_IMODE(info.st_mode) != 0o644:  # whatever the umask: the web server must read it
                os.fchmod(fd, 0o644)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if info.st_size > len(data):
                os.ftruncate(fd, len(data))
        finally:
            os.close(fd)
        return os.path.join(self.folder, name)

    def _folder_fd(self, root: str) -> int | None:
        """The spare folder, open in this process (a symlink put in its place is refused, and it cannot
        be swapped for one while open); None if it is not a folder inside the output."""
        if self.opened is None or self.opened[0] != os.getpid():
            try:
                fd = os.open(self.folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
            except OSError:
                return None
            if not _inside(fd, root):
                os.close(fd)
                return None
            self.opened = (os.getpid(), fd)
        return self.opened[1]

    def close(self) -> None:
        """Close the spare folder if this process opened it (at the end of a transaction)."""
        if self.opened is not None and self.opened[0] == os.getpid():
            os.close(self.opened[1])
        self.opened = None

    def holds(self, staged: str) -> bool:
        """Whether a staged file is a spare written in place: an aborted build leaves it a spare."""
        return os.path.dirname(os.fspath(staged)) == self.folder


def _inside(fd: int, root: str) -> bool:
    try:
        return os.path.join(os.readlink(f"/proc/self/fd/{fd}"), "").startswith(root)
    except OSError:
        return False


def _blocks(size: int) -> int:
    return -(-size // BLOCK)


def _read_folder(folder: str, assigned: set[str]) -> dict[int, list[str]]:
    """Spare names by block count, each list in an order of this process's own, so that worker
    processes taking spares at the same time seldom reach for the same one."""
    found: dict[int, list[str]] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for name in names:
        blocks, _, _ = name.partition(".")
        if blocks.isdigit() and name not in assigned:
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
