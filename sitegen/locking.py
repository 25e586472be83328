"""One build at a time into an output folder: an exclusive lock (flock) on the folder itself.

Cron and a person may start builds into the same folder at once; without the
lock each would delete the other's staged files. The lock is the kernel's, so
a killed build never leaves it behind. No file is added to the output.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not serialised
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.2


class OutputLock:
    """Held from acquire() to release(); `created` tells whether this build made the folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.fd = -1
        self.created = False

    def acquire(self, wait: float, waiting: Callable[[], None]) -> bool:
        """Lock the folder (made if missing), waiting up to `wait` seconds; `waiting()` once if it must wait.

        False if another build still holds it then.
        """
        deadline = time.monotonic() + max(wait, 0)
        told = False
        while True:
            self.created = _make(self.out)
            fd = os.open(self.out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
            if fcntl is None:
                self.fd = fd
                return True
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    return False
                if not told:
                    waiting()
                    told = True
                time.sleep(POLL_SECONDS)
                continue
            if _same_folder(fd, self.out):
                self.fd = fd
                return True
            os.close(fd)  # the build before removed the folder (a failed first build): lock the new one

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the last descriptor releases the flock
            self.fd = -1


def _make(out: Path) -> bool:
    """Make the output folder; True if it did not exist."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        out.mkdir()
    except FileExistsError:
        return False
    return True


def _same_folder(fd: int, out: Path) -> bool:
    try:
        held, now = os.fstat(fd), os.stat(out)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
