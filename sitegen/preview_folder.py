"""Where `serve` builds: a folder kept in the site's build cache, so the next start rebuilds only what changed.

The preview never builds into `public/` (`--drafts` must not reach what is published). It builds into
`.sitegen-cache/preview/` of the site folder and leaves it there, with the build cache that goes with it:
the next `serve` of the site finds both and starts as fast as a command-line rebuild, where a new folder
each time meant a cold build at every start (minutes for a province of a hundred communes) and a cache
folder left behind by each of them.

One preview holds the folder: it locks the site folder itself (a lock of the kernel's, which a killed preview
never leaves behind, and which deleting `.sitegen-cache/` does not release). A second
preview of the same site at the same time, or a site folder it cannot write to, gets a temporary folder,
removed when it stops with the cache folders its builds made.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sitegen import incremental, locking

FOLDER = "preview"
TEMPORARY_PREFIX = "sitegen-preview-"


class PreviewFolder:
    """The folder one preview builds into: `path`, kept (`temporary` False) or removed by `close`."""

    def __init__(self, path: Path, lock: locking.OutputLock | None) -> None:
        self.path = path
        self.lock = lock  # on the site folder, held while the preview runs; None: a temporary folder
        self.temporary = lock is None

    def close(self) -> None:
        """Release the folder; a temporary one goes (serve removes the caches its builds made)."""
        if self.lock is not None:
            self.lock.release()
            return
        shutil.rmtree(self.path, ignore_errors=True)


def take(site: Path) -> PreviewFolder:
    """The site's own preview folder when no other preview holds it and it can be made, else a temporary one."""
    path = incremental.cache_root(site) / FOLDER
    lock = locking.OutputLock(site)
    try:
        if lock.acquire(0, lambda: None):
            path.mkdir(parents=True, exist_ok=True)
            return PreviewFolder(path, lock)
    except OSError:  # a site folder it may not write to
        lock.release()
    return PreviewFolder(Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX)), None)


def forget(folders: list[Path]) -> None:
    """Remove build cache folders that no later build will use."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def prune_members(members_root: Path, members: dict[str, Path]) -> None:
    """Remove what the preview built for communes no longer in the province (a key renamed, a commune taken
    out): their folders under `members_root` (the preview's own `xa/`), and the caches that the communes
    still listed (key -> folder) kept for those folders. A commune's own files are never touched."""
    try:
        gone = [path for path in members_root.iterdir() if path.name not in members and path.is_dir()]
    except OSError:
        return
    for path in gone:
        forget([incremental.cache_dir_for(folder, path) for folder in members.values()])
        shutil.rmtree(path, ignore_errors=True)
