"""sitegen.incremental.lookahead: forked processes look at the sources and the output while the build
imports its stages; the build takes their answers only while they still hold."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen import pipeline
from sitegen.incremental import listing, lookahead, quiet
from tests.conftest import post_text

PAGE = "tin-tuc/2024/bai-a/index.html"


@pytest.fixture
def site(make_site) -> Iterator[Path]:
    made = make_site({"content/tin-tuc/bai-a.md": post_text("Bài A"),
                      "content/tin-tuc/bai-b.md": post_text("Bài B", date="2024-03-16 09:00")})
    _build(made)
    yield made
    lookahead.end()


def _build(site: Path) -> pipeline.Result:
    result = pipeline.run(pipeline.Options(site=site, output=site / "public"))
    assert not result.problems.failed(), result.problems.sorted()
    return result


def _stamp(site: Path) -> Path:
    return listing.cache_dir_for(site, site / "public") / listing.STAMP_FILE


def test_the_forked_processes_answer_what_the_build_would_look_up_itself(site: Path) -> None:
    assert (site / "public" / PAGE).is_file()
    lookahead.begin(site, site / "public")
    assert lookahead.own(site) == listing.files(site)
    assert lookahead.recorded(site / "public") is True
    assert lookahead.own(site.parent) is None and lookahead.recorded(site / "other") is None


def test_a_build_takes_the_sources_from_a_forked_process(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lookahead.begin(site, site / "public")
    listed = quiet.files

    def theme_only(root: Path, *args: object) -> dict[str, list[int]]:
        assert root != site, "the build listed the site's sources itself"
        return listed(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(quiet, "files", theme_only)
    again = _build(site)
    assert again.stats is not None and again.stats.written == 0


def test_an_output_changed_by_another_build_since_is_looked_at_again(site: Path) -> None:
    """The answer about the output holds only for the stamp its forked process read: a build that ran in
    between (here: a page deleted and the stamp written again) is seen, and the page is made again."""
    lookahead.begin(site, site / "public")
    assert lookahead.own(site) is not None and lookahead._looking.folders.answer() is not None  # both in
    (site / "public" / PAGE).unlink()
    stamp = _stamp(site)
    rewritten = stamp.with_name("again.json")
    rewritten.write_bytes(stamp.read_bytes())
    os.replace(rewritten, stamp)
    assert lookahead.recorded(site / "public") is None
    again = _build(site)
    assert (site / "public" / PAGE).is_file() and again.stats is not None and again.stats.written >= 1


def test_forked_processes_that_fail_leave_the_build_to_look_itself(site: Path) -> None:
    post = site / "content" / "tin-tuc" / "bai-a.md"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listing, "files", lambda *args: 1 / 0)  # what the forked processes run
        patch.setattr(listing, "as_recorded", lambda *args: 1 / 0)
        lookahead.begin(site, site / "public")
    assert lookahead.own(site) is None and lookahead.recorded(site / "public") is None
    post.write_text(post.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    _build(site)
    assert "Một câu mới." in (site / "public" / PAGE).read_text(encoding="utf-8")


def test_a_build_started_with_sigchld_ignored_still_takes_the_answers(site: Path) -> None:
    """A program that ignores SIGCHLD passes that on to what it starts: the system then reaps the forked
    processes itself, and waiting for them raises ChildProcessError."""
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        lookahead.begin(site, site / "public")
        assert lookahead.own(site) == listing.files(site)
        assert lookahead.recorded(site / "public") is True
        lookahead.end()
    finally:
        signal.signal(signal.SIGCHLD, before)
