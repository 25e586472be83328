"""A command-line build's first looks, taken by forked processes while the build imports its stages.

Before it knows whether it has anything to do (quiet.py) or only a few posts to render (narrow.py), a
build with its cache lists every source by stat and stats every output folder its stamp records: on a
10,000-post site some 28,000 stats, 0.1 s, as long as importing Jinja, Python-Markdown and the stages.
`begin`, called once the options are read and before those imports, forks one process for each look; each
answers through a pipe, so both run beside the imports on the other core. quiet.inputs takes the sources
(`own`) and quiet.output_holds the output's check (`recorded`), that one only while the stamp file is the
one the process read: another build in between (the build waits for the output's lock after `begin`)
removes or rewrites it, and the output is then looked at again. Without fork, or when a process fails,
the build looks for itself.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from sitegen.incremental import listing


class _Process:
    """A forked process that answers once through `pipe`; `answer` once read (None: it failed)."""

    def __init__(self, look: Callable[[], Any]) -> None:
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the forked process: look, answer, and leave without the parent's exit handlers
            code = 1
            try:
                os.close(read_end)
                with open(write_end, "wb") as pipe:
                    pipe.write(marshal.dumps(look()))  # marshal: the fastest to read, and our own values only
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pipe: BinaryIO = open(read_end, "rb")  # noqa: SIM115 - closed by `answer` or `stop`
        self.read = False
        self.value: Any = None

    def answer(self) -> Any:
        if not self.read:
            self.read = True
            with self.pipe:
                data = self.pipe.read()
            try:
                self.value = marshal.loads(data) if _ended_well(self.pid) else None
            except (EOFError, ValueError, TypeError):
                self.value = None
        return self.value

    def stop(self) -> None:
        if not self.read:
            self.read = True
            self.pipe.close()
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _ended_well(self.pid)


def _ended_well(pid: int) -> bool:
    """Wait for the forked process: whether it exited with 0. Where the system reaps it itself (SIGCHLD
    ignored by whatever started the build, which a program inherits) there is no status to wait for; a
    process that failed then shows in its answer, which is cut short or missing."""
    try:
        return os.waitpid(pid, 0)[1] == 0
    except ChildProcessError:
        return True


class _Looking:
    """The forked processes looking at `site` and `output` (whose stamp is `stamp`)."""

    def __init__(self, site: Path, output: Path, stamp: Path) -> None:
        self.site, self.output, self.stamp = site, output, stamp
        self.sources = _Process(lambda: listing.files(site))
        self.folders = _Process(lambda: _recorded(output, stamp))


_looking: _Looking | None = None


def begin(site: Path, output: Path) -> None:
    """Start looking at the sources of `site` and at `output` as its stamp records it. Call only while the
    process has a single thread: a forked process runs none of the others'."""
    global _looking
    end()
    if hasattr(os, "fork"):
        _looking = _Looking(site, output, listing.cache_dir_for(site, output) / listing.STAMP_FILE)


def _recorded(output: Path, stamp: Path) -> tuple[list[int], bool] | None:
    """The stamp file's stat, and whether the output is as it records; None: no stamp the build would trust."""
    import orjson  # here, in the forked process: before the fork it would delay both looks

    try:
        with open(stamp, "rb") as file:
            seen = os.fstat(file.fileno())
            last = orjson.loads(file.read())
        return [seen.st_size, seen.st_mtime_ns, seen.st_ino], listing.as_recorded(output, last["folders"],
                                                                                   last["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def own(site: Path) -> dict[str, list[int]] | None:
    """The site's sources as listing.files gives them, if a process is looking at this site."""
    if _looking is None or _looking.site != site:
        return None
    return _looking.sources.answer()


def recorded(output: Path) -> bool | None:
    """Whether the output is as the stamp records it (listing.as_recorded), if a process looked at it and
    the stamp is still the file it read; None otherwise."""
    if _looking is None or _looking.output != output:
        return None
    found = _looking.folders.answer()
    if found is None or listing.stat(os.fspath(_looking.stamp)) != found[0]:
        return None
    return bool(found[1])


def end() -> None:
    """Forget what was looked at; a process still looking is stopped."""
    global _looking
    looking, _looking = _looking, None
    if looking is not None:
        looking.sources.stop()
        looking.folders.stop()
