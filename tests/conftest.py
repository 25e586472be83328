"""Shared fixtures: tiny sites written on the fly, the CLI run in-process."""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import textwrap
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen import cli, config, spare  # noqa: E402
from sitegen.model import Config  # noqa: E402

BUILD_EPOCH = "1790000000"  # 2026-09-21 21:13:20 +07:00

MINIMAL_TOML = """\
title = "Cổng thông tin điện tử xã Thử Nghiệm"
base_url = "https://thu.example/"
description = "Trang thử nghiệm."

[[categories]]
key = "tin-tuc"
name = "Tin tức"

[[categories]]
key = "thong-bao"
name = "Thông báo"
"""


def site_config(toml_text: str) -> Config:
    """The checked settings of a `site.toml` that must have no problem (unit tests' common set-up)."""
    made, found = config.parse_config(tomllib.loads(toml_text), toml_text)
    assert made is not None and not found, found
    return made


def cli_run(*args: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return code, out.getvalue(), err.getvalue()


GOLDEN = Path(__file__).parent / "golden" / "site"


@pytest.fixture
def golden_site(tmp_path: Path) -> Path:
    """A fresh copy of tests/golden/site."""
    copy = tmp_path / "site"
    shutil.copytree(GOLDEN, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    return copy


@pytest.fixture
def golden_public(golden_site: Path) -> Path:
    """The golden site built; its public/ folder."""
    code, _, err = cli_run("build", "--site", str(golden_site))
    assert code == 0, err
    return golden_site / "public"


def post_text(title: str = "Bài viết thử", date: str = "2024-03-15 09:00", category: str = "Tin tức",
              body: str = "Nội dung bài viết.", **extra: object) -> str:
    """A post with front matter; extra keys are written as given (strings verbatim)."""
    lines = ["---", f"title: {title}", f"date: {date}", f"category: {category}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n---\n" + body + "\n"


@pytest.fixture(autouse=True)
def fixed_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({rel: text or bytes}) -> a site folder over a minimal valid site.toml."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes] | None = None, toml: str | None = MINIMAL_TOML) -> Path:
        site = tmp_path / f"site{next(counter)}"
        site.mkdir()
        if toml is not None:
            (site / "site.toml").write_text(toml, encoding="utf-8")
        (site / "content").mkdir()
        for rel, value in (files or {}).items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(value, bytes):
                path.write_bytes(value)
            else:
                path.write_text(textwrap.dedent(value) if value.startswith("\n") else value,
                                encoding="utf-8")
        return site

    return make


@pytest.fixture
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """run_cli(*args) -> (exit code, stdout, stderr), in-process."""
    return cli_run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path, with its bytes; not the spare files a rebuild keeps
    for their disk blocks (sitegen/spare.py), which no reader is ever shown."""
    if not folder.exists():
        return {}
    return {rel: p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(folder).as_posix()).startswith(f"{spare.FOLDER}/")}
