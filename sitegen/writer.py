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
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".sitegen-files"
_BAD_PART = re.compile(r"^[A-Za-z]:|[\x00\\]")


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


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
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server must read it
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def write_outputs(out: Path, outputs: dict[str, bytes | Path]) -> WriteStats:
    """Make `out` hold `outputs` (bytes, or a file to copy). Raises OSError/UnsafePath, changing nothing."""
    out.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    targets = {rel: safe_join(out, rel) for rel in sorted(outputs)}
    staged: list[tuple[Path, Path]] = []
    try:
        for rel, target in targets.items():
            if target.is_symlink() or not _same(target, outputs[rel]):
                staged.append((_stage(target, outputs[rel], root), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        if target.is_symlink():
            target.unlink()
        os.replace(tmp, target)
    removed = _remove_stale(out, set(outputs))
    _write_manifest(out, sorted(outputs))
    return WriteStats(len(staged), len(outputs) - len(staged), removed)


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
