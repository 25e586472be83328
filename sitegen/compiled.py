"""Compiled templates kept in memory for the life of the process, and on disk between processes."""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from sitegen import hashing


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, by file and source.

    Every environment is made by make_env with the same settings, so a template file
    compiles to the same code in each: the sites of a province, which share the
    province's and the default theme's templates, and the builds of `serve` compile
    each file once per process instead of once per site and build.
    """

    LIMIT = 1000  # entries; edited templates in a long `serve` add new ones

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str], Any] = {}
        self.added = False  # since the last load or save

    def load(self, path: Path) -> None:
        """The codes an earlier process kept (`save`), when made by this Python and this generator and
        written by this user (hashing.read_own): a build that edits one post then compiles no template."""
        data = hashing.read_own(path)
        if data is None:
            return
        try:
            tag, codes = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return
        if tag == _compiled_tag() and isinstance(codes, dict):
            self.codes.update(codes)

    def save(self, path: Path) -> None:
        """Keep the codes for later processes, if this one compiled any."""
        if not self.added:
            return
        data = marshal.dumps((_compiled_tag(), self.codes))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.added = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        bucket.code = self.codes.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self.codes) >= self.LIMIT:
            self.codes.clear()
        self.codes[(bucket.key, bucket.checksum)] = bucket.code
        self.added = True


def _compiled_tag() -> str:
    return f"{hashing.SCHEMA} {sys.version} {jinja2.__version__}"
