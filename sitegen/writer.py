"""{path: bytes} -> the output folder: only changed files, staged then renamed, stale removed.

All new files are first written as temporary files beside their targets; only
when every one of them is on disk are they renamed into place. A full disk or
any other failure while staging therefore leaves the previous output as it was.
Files are removed only if an earlier build listed them in the manifest, so a
wrong --output never deletes files the generator did not write.
"""

from __future__ import annotations

import errno
import functools
import itertools
import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import kernelio
from sitegen.spare import Spares

MANIFEST = ".sitegen-files"
BUILDING = ".sitegen-building"  # present while a build writes; left behind only by a killed build
# Anywhere in a "/"-separated relative path: an empty, "." or ".." part (so also a leading or trailing "/"),
# a part starting with a drive ("C:"), a NUL or a backslash.
_BAD = re.compile(r"(?:^|/)(?:\.{0,2}(?:/|\Z)|[A-Za-z]:)|[\x00\\]")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    paths: tuple[str, ...] = field(default=(), compare=False)  # the files written


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def joined(out: Path | str, rel: str) -> str:
    """`out`/`rel`, or UnsafePath if `rel` would lead out of it; a string: the hot paths below make no Path.
    A path with none of the characters _BAD looks for (as nearly every page's) needs no regular expression."""
    if ("\x00" in rel or "\\" in rel or ":" in rel or "//" in rel or "/." in rel or rel[:1] in ("", "/", ".")
            or rel[-1:] == "/") and _BAD.search(rel):
        raise UnsafePath(rel)
    return os.path.join(out, rel)


def safe_join(root: Path, rel: str) -> Path:
    return Path(joined(root, rel))


def _same(target: str | Path, data: bytes | Path) -> bool:
    """True if `target` is a regular file, not a symlink, that holds `data` already (one lstat tells both)."""
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):
            return False
        if isinstance(data, Path):
            return info.st_size == os.stat(data).st_size and Path(target).read_bytes() == data.read_bytes()
        return info.st_size == len(data) and Path(target).read_bytes() == data
    except OSError:
        return False


# Folders this process has made (or found) under an output and checked to lie inside it, so each is
# made and checked once, not once per file: str(out) -> (its real path + separator, {folder relative
# to out}). A new Transaction empties it, so a folder swapped for a symlink between builds is refused
# before anything is made in it. Within a build, each new temporary file is checked where it really
# landed (_landed_inside: one readlink of /proc/self/fd) before a byte goes in, so a folder swapped
# for a symlink leading out during the build is refused too; the empty file is then removed.
_checked: dict[str, tuple[str, set[str]]] = {}
_serial = itertools.count()
_OPEN = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_FD_LINKS = "/proc/self/fd/" if os.path.isdir("/proc/self/fd") else ""  # Linux: where an open file really is
_RENAME_REPLACES_LINKS = os.name == "posix"  # rename(2) replaces a symlink itself, never what it points to
_UMASK_HIDES = [True]  # the umask takes bits off 0644 (as of this transaction; inherited by workers)


def _checked_under(out: Path) -> tuple[str, set[str]]:
    entry = _checked.get(os.fspath(out))
    if entry is None:
        entry = _checked[os.fspath(out)] = (os.path.join(out.resolve(), ""), set())
    return entry


def _make_folder(out: Path, folder: str, root: str, done: set[str]) -> None:
    """Make out/folder (a "/"-separated relative path) and its parents; UnsafePath if it leads out of `root`."""
    if not folder or folder in done:
        return
    _make_folder(out, folder.rpartition("/")[0], root, done)
    path = os.path.join(out, folder)
    try:
        os.mkdir(path)  # new, in a folder found inside: inside too
    except FileExistsError:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            if not os.path.isdir(path):
                raise
            if not os.path.join(os.path.realpath(path), "").startswith(root):  # a symlinked folder leading out
                raise UnsafePath(path) from None
        elif not stat.S_ISDIR(mode):  # a real folder in one found inside is inside; anything else is in the way
            raise
    done.add(folder)


def _create(folder: str, spares: Spares | None = None, size: int = 0) -> tuple[int, str, bool]:
    """A ".tmp-" file in `folder`, named by process id and a counter (unique without randomness):
    a spare of no more blocks than `size` bytes need when there is one, else a new empty file.
    The flag tells which: a spare has bytes of its own, and the mode its last build gave it."""
    for _ in range(10_000):
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_serial)}")
        # a spare moved onto the name of a ".tmp-" file that a killed build left replaces it: both are ours
        fd = spares.take(size, tmp) if spares is not None else None
        try:
            return (fd, tmp, True) if fd is not None else (os.open(tmp, _OPEN, 0o644), tmp, False)
        except FileExistsError:  # left by a killed build whose process had the same id
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def _create_at(target: str, _folder: str) -> tuple[int, str, bool]:
    """`target` itself, new: for an output folder this build made."""
    return os.open(target, _OPEN, 0o644), target, False


def _landed_inside(fd: int, folder: str, out: Path, root: str) -> bool:
    """Whether the file open as `fd` lies inside the output, even if a folder was swapped for a symlink."""
    if _FD_LINKS:
        try:
            if os.readlink(f"{_FD_LINKS}{fd}").startswith(root):
                return True
        except OSError:
            pass
    # no /proc, or the kernel spells the path otherwise: the check the writer always made, root found afresh
    return Path(folder).resolve().is_relative_to(out.resolve())


def _stage(target: str | Path, data: bytes | Path, out: Path, folder: str, direct: bool = False,
           spare: bool = True) -> str:
    """Write `data` to a new ".tmp-" file, mode 0644, beside `target` (in out/folder); its path.

    `direct` (an output folder this build made): write `target` itself, which must not exist yet.
    `spare` False: a new file even when a spare would do.
    """
    root, done = _checked_under(out)
    where = os.path.join(out, folder)
    if direct:
        create = functools.partial(_create_at, os.fspath(target))
    else:
        size = os.stat(data).st_size if isinstance(data, Path) else len(data)
        create = functools.partial(_create, spares=_spares.get(os.fspath(out)) if spare else None, size=size)
    try:
        _make_folder(out, folder, root, done)
        fd, tmp, reused = create(where)
    except (FileNotFoundError, NotADirectoryError):  # a folder made earlier was removed since: make it again
        done.clear()
        os.makedirs(out, exist_ok=True)
        _make_folder(out, folder, root, done)
        fd, tmp, reused = create(where)
    try:
        with os.fdopen(fd, "wb") as handle:
            if not _landed_inside(fd, where, out, root):  # a folder was swapped for a symlink leading out
                raise UnsafePath(str(target))
            if reused or _UMASK_HIDES[0]:  # whatever the umask: the web server must read it
                os.fchmod(fd, 0o644)
            if isinstance(data, Path):
                kernelio.copy_into(data, handle)
            else:
                handle.write(data)
            if reused:  # the spare may have been longer
                handle.flush()
                os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_CUR))
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


_fresh: set[str] = set()  # output folders made by the current transaction (inherited by forked workers)
_spares: dict[str, Spares] = {}  # output folder -> its spare files (spare.py), one per transaction


class Transaction:
    """Stage changed files beside their targets, then rename them all into place at commit.

    Until commit the output is untouched; abort (or a crash) leaves only
    ".tmp-" files, which the next transaction removes. An output folder that
    did not exist is written directly, with no staging and no renames: until
    commit it is only this build's, and abort removes it whole.
    """

    def __init__(self, out: Path, existed: bool | None = None) -> None:
        """`existed`: whether the output was there before this build (the caller may have made it to lock it)."""
        self.out, self.folder = out, os.fspath(out)  # the folder as a string, for the per-file paths
        self.existed = (out.exists() or out.is_symlink()) if existed is None else existed
        out.mkdir(parents=True, exist_ok=True)
        self.root = out.resolve()
        _fresh.clear()
        if not self.existed:
            _fresh.add(os.fspath(out))
        _checked.clear()  # a new build: folders are checked afresh (the user may have changed them since)
        _checked[os.fspath(out)] = (os.path.join(self.root, ""), set())
        self.spares = _spares[os.fspath(out)] = Spares(out)
        _UMASK_HIDES[0] = kernelio.umask_hides(0o644)
        self.names: set[str] = set()
        self.listed: set[str] | None = None  # the manifest as the caller read it: a commit adding no file keeps it
        self.staged: list[tuple[str | Path, str, str]] = []  # (staged file, target, target relative to out)
        self.unchanged = 0
        self.where: dict[str, str] = {}  # rel -> staged file, between prepare and commit
        self.marker = out / BUILDING
        if self.marker.exists():  # the last build was killed: its staged files are still here
            remove_leftovers(out)
        self.marker.touch()

    def put(self, rel: str, data: bytes | Path) -> bool:
        """Stage `data` for `rel` unless the file already holds it; True if it will change."""
        target = joined(self.folder, rel)
        self.names.add(rel)
        if _same(target, data):
            self.unchanged += 1
            return False
        self.staged.append((_put(self.out, rel, target, data), target, rel))
        return True

    def keep(self, rel: str) -> None:
        """`rel` is known to hold its current bytes already (a cache hit); nothing is written."""
        self.names.add(rel)
        self.unchanged += 1

    def adopt(self, rel: str, tmp: str | Path | None) -> None:
        """Take over a file staged by a worker process (None: it was unchanged)."""
        target = joined(self.folder, rel)
        self.names.add(rel)
        if tmp is None:
            self.unchanged += 1
        else:
            self.staged.append((tmp, target, rel))

    def abort(self) -> None:
        """Delete the staged files and the folders made for them; the output stays as it was."""
        _fresh.discard(os.fspath(self.out))
        if not self.existed:  # made by this build: files written directly by workers go with it
            shutil.rmtree(self.out, ignore_errors=True)
            self.staged.clear()
            return
        for tmp, _, _ in self.staged:
            if not self.spares.holds(os.fspath(tmp)):  # a spare written in place stays a spare
                Path(tmp).unlink(missing_ok=True)
                _prune_dirs(self.out, Path(tmp).parent)
        self.staged.clear()
        self.spares.close()
        self.marker.unlink(missing_ok=True)

    def prepare(self) -> WriteStats:
        """Everything but the renames: the stats `commit` will give, for a group commit (commit_all)
        that renames only when every site of the group is ready. Until then `located` names the
        staged file of each page, which is the file the page will be."""
        self.where = {rel: os.fspath(tmp) for tmp, _, rel in self.staged}
        return WriteStats(len(self.staged), self.unchanged, 0, tuple(rel for _, _, rel in self.staged))

    def located(self, rel: str) -> str:
        """Where the bytes of `rel` are now: its staged file until a prepared commit is done."""
        return self.where.get(rel) or joined(self.folder, rel)

    def commit(self) -> WriteStats:
        self.where = {}
        for tmp, target, _ in self.staged:
            if os.fspath(tmp) == target:  # written directly into a new output folder
                continue
            if self.spares.holds(os.fspath(tmp)) and kernelio.exchange(os.fspath(tmp), target):
                continue  # written into a spare, now swapped with the page (which becomes the spare)
            if not _RENAME_REPLACES_LINKS and os.path.islink(target):
                os.unlink(target)
            self.spares.keep(target)
            os.replace(tmp, target)
        _fresh.discard(os.fspath(self.out))
        removed = 0  # the files `listed` already: none is stale, the list stays
        if self.names != self.listed:
            removed = _remove_stale(self.out, self.names, self.spares)
            _write_manifest(self.out, sorted(self.names))
        self.spares.trim(len(self.names))
        self.spares.close()
        self.marker.unlink(missing_ok=True)
        return WriteStats(len(self.staged), self.unchanged, removed, tuple(rel for _, _, rel in self.staged))


def commit_all(group: list[Transaction]) -> list[WriteStats]:
    """Commit prepared transactions together: called only once every one of them staged cleanly,
    so a failure in any site leaves every output as it was (abort_all)."""
    return [tx.commit() for tx in group]


def abort_all(group: list[Transaction]) -> None:
    for tx in group:
        tx.abort()
        remove_leftovers(tx.out)


def stage_if_changed(out: Path, rel: str, data: bytes | Path, spare: bool = True,
                     assigned: str | None = None) -> Path | None:
    """For worker processes: stage `data` (bytes, or a file to copy) unless `rel` already holds it.
    `spare` False (a thread beside the build's): never a spare, which are the build's thread's to take.
    `assigned`: the spare the transaction handed out for it (bytes only), written in place (stage_into_spare)."""
    target = joined(out, rel)
    if _same(target, data):
        return None
    if assigned is not None and isinstance(data, bytes):
        return Path(stage_into_spare(out, rel, data, assigned))
    return Path(_put(out, rel, target, data, spare))


def stage_into_spare(out: Path, rel: str, data: bytes, spare: str | None) -> str:
    """For worker processes: stage `data`, known to differ from what `rel` holds, in the `spare` the
    transaction assigned it (Spares.assign), written in place; without one, or if it cannot be used,
    beside its target as any file."""
    spares = _spares.get(os.fspath(out))
    staged = spares.fill(spare, data, _checked_under(out)[0]) if spare is not None and spares is not None else None
    return staged or _put(out, rel, joined(out, rel), data)


def _put(out: Path, rel: str, target: str, data: bytes | Path, spare: bool = True) -> str:
    """Stage, or in a new output folder write `target` directly (staging if it exists after all)."""
    if os.fspath(out) in _fresh:
        try:
            return _stage(target, data, out, rel.rpartition("/")[0], direct=True)
        except FileExistsError:
            pass
    return _stage(target, data, out, rel.rpartition("/")[0], spare=spare)


def remove_leftovers(out: Path) -> None:
    """Delete ".tmp-" files that a killed build left behind."""
    for folder, _, files in os.walk(out):
        for name in files:
            if name.startswith(".tmp-"):
                Path(folder, name).unlink(missing_ok=True)


def write_outputs(out: Path, outputs: dict[str, bytes | Path]) -> WriteStats:
    """Make `out` hold `outputs` (bytes, or a file to copy). Raises OSError/UnsafePath, changing nothing."""
    return stage(out, outputs).commit()


def stage(out: Path, outputs: dict[str, bytes | Path], kept: set[str] | None = None,
          existed: bool | None = None, use_spares: bool = True) -> Transaction:
    """A transaction with `outputs` staged, the other files of `kept` kept as they are; aborted if staging fails.
    `use_spares` False: for a few files, which take no spare and keep none (see spare.FEW_PAGES)."""
    tx = Transaction(out, existed)
    tx.spares.in_use = use_spares
    try:
        others = (kept or set()) - outputs.keys()  # each kept as it is (Transaction.keep)
        tx.names |= others
        tx.unchanged += len(others)
        for rel in sorted(outputs):
            tx.put(rel, outputs[rel])
    except BaseException:
        tx.abort()
        raise
    return tx


def _remove_stale(out: Path, current: set[str], spares: Spares) -> int:
    removed = 0
    for rel in sorted(read_manifest(out) - current):
        try:
            target = safe_join(out, rel)
        except UnsafePath:
            continue
        if target.is_file() or target.is_symlink():
            spares.keep(os.fspath(target))
            target.unlink()
            removed += 1
            _prune_dirs(out, target.parent)
    return removed


def _prune_dirs(out: Path, folder: Path) -> None:
    """Remove empty folders from `folder` up to `out`; a symlink is never followed or removed."""
    while (folder != out and folder.is_relative_to(out) and not folder.is_symlink() and folder.is_dir()
           and not any(folder.iterdir())):
        folder.rmdir()
        folder = folder.parent


def read_manifest(out: Path) -> set[str]:
    try:  # split as _write_manifest joins them
        return set((out / MANIFEST).read_text(encoding="utf-8").split("\n")) - {""}
    except (OSError, UnicodeDecodeError):
        return set()


def _write_manifest(out: Path, names: list[str]) -> None:
    data, target = ("\n".join(names) + "\n").encode("utf-8"), out / MANIFEST
    if not _same(target, data):
        os.replace(_stage(target, data, out, ""), target)
