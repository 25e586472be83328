"""Every folder under tests/bad/ is a broken site with the exact messages it must produce."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import snapshot

BAD = Path(__file__).parent / "bad"
PROBLEM_LINE = re.compile(r"^[^\s:]+:\d+: ")
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())
OLD_OUTPUT = {"index.html": b"<!doctype html><title>old</title>\n", "tin-tuc/index.html": b"old listing\n",
              ".sitegen-files": b"index.html\ntin-tuc/index.html\n"}


def _prepare(case: str, tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    site = tmp_path / case
    shutil.copytree(BAD / case, site, ignore=shutil.ignore_patterns("expected.txt", "args.txt"))
    for rel, data in OLD_OUTPUT.items():
        (site / "public" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "public" / rel).write_bytes(data)
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    args_file = BAD / case / "args.txt"
    args = args_file.read_text().split() if args_file.is_file() else []
    return site, expected, args


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("case", CASES)
def test_bad_site(case: str, command: str, tmp_path: Path, run_cli) -> None:
    site, expected, args = _prepare(case, tmp_path)
    before = snapshot(site)
    code, out, err = run_cli(command, "--site", str(site), *args)
    lines = [line for line in err.splitlines() if PROBLEM_LINE.match(line)]
    assert code == 1
    assert lines == expected
    assert "Traceback" not in out + err
    assert snapshot(site) == before  # the earlier output, and the site itself, untouched


def test_every_case_has_expectations() -> None:
    folders = sorted(p.name for p in BAD.iterdir() if p.is_dir())
    assert folders == CASES
    assert len(CASES) >= 15
