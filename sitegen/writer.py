"""{path: bytes} -> the output folder: only changed files, staged then renamed, stale removed.

All new files are first written as temporary files beside their targets; only
when every one of them is on disk are they renamed into place. A full disk or
any other failure while staging therefore leaves the previous output as it was.
Files are removed only if an earlier build listed them in the manifest, so a
wrong --output never deletes files the generator did not write.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".sitegen-files"
BUILDING = ".sitegen-building"  # present while a build writes; left behind only by a killed build
_BAD_PART = re.compile(r"^[A-Za-z]:|[\x00\\]")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    paths: tuple[str, ...] = field(default=(), compare=False)  # the files written


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def safe_join(root: Path, rel: str) -> Path:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") or _BAD_PART.search(p) for p in parts):
        raise UnsafePath(rel)
    return root.joinpath(*parts)


def _same(target: Path, data: bytes | Path) -> bool:
    try:
        if isinstance(data, Path):
            if target.stat().st_size != data.stat().st_size:
                return False
            return target.read_bytes() == data.read_bytes()
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _stage(target: Path, data: bytes | Path, root: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(root):  # a symlinked folder leading out
        raise UnsafePath(str(target))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, Path):
                with data.open("rb") as src:
                    shutil.copyfileobj(src, handle)
            else:
                handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server must read it
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


class Transaction:
    """Stage changed files beside their targets, then rename them all into place at commit.

    Until commit the output is untouched; abort (or a crash) leaves only
    ".tmp-" files, which the next transaction removes.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.existed = out.exists()
        out.mkdir(parents=True, exist_ok=True)
        self.root = out.resolve()
        self.names: set[str] = set()
        self.staged: list[tuple[Path, Path]] = []
        self.unchanged = 0
        self.marker = out / BUILDING
        if self.marker.exists():  # the last build was killed: its staged files are still here
            remove_leftovers(out)
        self.marker.touch()

    def put(self, rel: str, data: bytes | Path) -> bool:
        """Stage `data` for `rel` unless the file already holds it; True if it will change."""
        target = safe_join(self.out, rel)
        self.names.add(rel)
        if not target.is_symlink() and _same(target, data):
            self.unchanged += 1
            return False
        self.staged.append((_stage(target, data, self.root), target))
        return True

    def keep(self, rel: str) -> None:
        """`rel` is known to hold its current bytes already (a cache hit); nothing is written."""
        self.names.add(rel)
        self.unchanged += 1

    def adopt(self, rel: str, tmp: Path | None) -> None:
        """Take over a file staged by a worker process (None: it was unchanged)."""
        target = safe_join(self.out, rel)
        self.names.add(rel)
        if tmp is None:
            self.unchanged += 1
        else:
            self.staged.append((tmp, target))

    def abort(self) -> None:
        """Delete the staged files and the folders made for them; the output stays as it was."""
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
            _prune_dirs(self.out, tmp.parent)
        self.staged.clear()
        self.marker.unlink(missing_ok=True)
        if not self.existed and self.out.is_dir() and not any(self.out.iterdir()):
            self.out.rmdir()

    def commit(self) -> WriteStats:
        for tmp, target in self.staged:
            if target.is_symlink():
                target.unlink()
            os.replace(tmp, target)
        removed = _remove_stale(self.out, self.names)
        _write_manifest(self.out, sorted(self.names))
        self.marker.unlink(missing_ok=True)
        paths = tuple(target.relative_to(self.out).as_posix() for _, target in self.staged)
        return WriteStats(len(self.staged), self.unchanged, removed, paths)


def stage_if_changed(out: Path, rel: str, data: bytes) -> Path | None:
    """For worker processes: stage `data` unless `rel` already holds it."""
    target = safe_join(out, rel)
    if not target.is_symlink() and _same(target, data):
        return None
    return _stage(target, data, out.resolve())


def remove_leftovers(out: Path) -> None:
    """Delete ".tmp-" files that a killed build left behind."""
    for folder, _, files in os.walk(out):
        for name in files:
            if name.startswith(".tmp-"):
                Path(folder, name).unlink(missing_ok=True)


def write_outputs(out: Path, outputs: dict[str, bytes | Path]) -> WriteStats:
    """Make `out` hold `outputs` (bytes, or a file to copy). Raises OSError/UnsafePath, changing nothing."""
    tx = Transaction(out)
    try:
        for rel in sorted(outputs):
            tx.put(rel, outputs[rel])
    except BaseException:
        tx.abort()
        raise
    return tx.commit()


def _remove_stale(out: Path, current: set[str]) -> int:
    removed = 0
    for rel in sorted(read_manifest(out) - current):
        try:
            target = safe_join(out, rel)
        except UnsafePath:
            continue
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed += 1
            _prune_dirs(out, target.parent)
    return removed


def _prune_dirs(out: Path, folder: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def read_manifest(out: Path) -> set[str]:
    try:
        return {line for line in (out / MANIFEST).read_text(encoding="utf-8").splitlines() if line}
    except (OSError, UnicodeDecodeError):
        return set()


def _write_manifest(out: Path, names: list[str]) -> None:
    data = ("\n".join(names) + "\n").encode("utf-8")
    target = out / MANIFEST
    if not _same(target, data):
        os.replace(_stage(target, data, out.resolve()), target)
