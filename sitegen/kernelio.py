"""File work the kernel does best: copying one file into another, swapping two files, and telling the
process's umask."""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path
from typing import Any, BinaryIO

_SENDFILE = sys.platform.startswith("linux") and hasattr(os, "sendfile")  # file to file in the kernel


def copy_into(source: Path, handle: BinaryIO) -> None:
    """Copy the file `source` into the open file `handle`, in the kernel where it can be done so."""
    with source.open("rb") as src:
        if not _SENDFILE or not _sendfile(src.fileno(), handle.fileno()):
            shutil.copyfileobj(src, handle)


def _sendfile(src: int, dst: int) -> bool:
    """Copy all of `src` into `dst` in the kernel; False if it cannot be done so (nothing copied then)."""
    offset = 0
    while True:
        try:
            sent = os.sendfile(dst, src, offset, 1 << 30)
        except OSError as err:
            if offset == 0 and err.errno != errno.ENOSPC:  # this file system, or this kind of file: the slow way
                return False
            raise
        if sent == 0:
            return True
        offset += sent


def umask_hides(mode: int) -> bool:
    """Whether the process's umask takes any bit off `mode` for new files (True when it cannot be told).

    Read from /proc: setting the umask to learn it would race with threads creating files meanwhile.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8) & mode != 0
    except (OSError, ValueError):
        pass
    return True


_RENAME_EXCHANGE = 2  # linux/fs.h: renameat2 swaps the two names, atomically
_AT_FDCWD = -100


def exchange(one: str, other: str) -> bool:
    """Swap the files named `one` and `other` in one atomic step (Linux's renameat2 with RENAME_EXCHANGE):
    a reader of either name sees the old file or the new one, never none. False (nothing done) when it
    cannot be done so: not Linux, a file system without it, or `other` missing."""
    call = _renameat2()
    if call is None:
        return False
    return call(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(other), _RENAME_EXCHANGE) == 0


_FOUND: list[Any] = []  # [renameat2 or None], looked up once per process


def _renameat2() -> Any:
    if not _FOUND:
        call = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                call = ctypes.CDLL(None, use_errno=True).renameat2
                call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                call.restype = ctypes.c_int
            except (OSError, AttributeError):  # a C library without it
                call = None
        _FOUND.append(call)
    return _FOUND[0]
