"""File work the kernel does best: copying one file into another, and telling the process's umask."""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path
from typing import BinaryIO

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
