"""The independent checks of ../shared/checks on the built sample site (when they are set up)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT.parent / "shared" / "checks"
HOME = Path(os.environ.get("CHECKS_HOME", Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                           / "site-checks"))

pytestmark = pytest.mark.skipif(
    not (CHECKS / "run_all.sh").is_file() or not (HOME / ".venv").is_dir() or not (HOME / "node").is_dir(),
    reason="../shared/checks is not set up here (.ci/run runs its setup.sh)")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample") / "site"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(
        "public", ".sitegen-cache", ".venv", ".git", "tests", "bench", "__pycache__", "*.pyc"))
    build(site, "1795000000")
    return site / "public"


def build(site: Path, epoch: str, *args: str) -> None:
    """Build the copied sample at that SOURCE_DATE_EPOCH; a failure shows the build's own message."""
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site), *args],
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]


def check(script: str, *args: str) -> str:
    done = subprocess.run([str(CHECKS / script), *args], capture_output=True, text=True, timeout=600)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return lines[-1] if lines else ""


def test_nu_html_checker_finds_no_error(sample: Path) -> None:
    assert re.match(r"html: 0 errors in \d+ pages", check("check_html.sh", str(sample)))


def test_no_broken_link(sample: Path) -> None:
    assert re.match(r"links: 0 broken in \d+ pages", check("check_links.py", str(sample)))


def test_feeds_have_no_error_and_no_warning(sample: Path) -> None:
    assert re.match(r"feeds: 0 errors in \d+ feeds \(\d+ items, 0 warnings\)", check("check_feeds.py", str(sample)))


def test_feed_ids_and_dates_are_stable_across_builds(sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"  # a later build, without the cache: ids and dates must not move
    build(sample.parent, "1795100000", "--output", str(again), "--no-cache")
    assert "0 errors" in check("check_feeds.py", str(sample), "--stable-against", str(again))


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml", "cai-cach-hanh-chinh/feed.xml"])
def test_newsboat_reads_every_item(sample: Path, feed: str) -> None:
    assert re.match(r"reader: [1-9]\d* articles read by newsboat", check("check_reader.sh", str(sample), feed))
