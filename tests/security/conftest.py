"""Helpers shared by the security tests: whole-site builds outside the function-scoped fixtures."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen import spare
from tests.conftest import BUILD_EPOCH, cli_run


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: the SIGKILL fault test (about a minute); deselect with -m 'not slow'")
    config.addinivalue_line("markers", "fuzz: hypothesis properties; deselect with -m 'not fuzz'")


@contextlib.contextmanager
def fixed_epoch() -> Iterator[None]:
    """SOURCE_DATE_EPOCH as the autouse fixture sets it, for module- and session-scoped builds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        yield


def build(*args: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    return cli_run(*args)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (symlinks as their target text), by relative path."""
    found: dict[str, bytes] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if rel == spare.FOLDER or rel.startswith(f"{spare.FOLDER}/"):
                continue  # old versions kept for their disk blocks, never shown (sitegen/spare.py)
            if path.is_symlink():
                found[rel] = b"-> " + os.readlink(path).encode()
            elif path.is_file():
                found[rel] = path.read_bytes()
    return found
