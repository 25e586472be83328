"""sitegen.cli: the commands, their exit codes and where their messages go."""

from __future__ import annotations

from pathlib import Path

from sitegen import cli
from tests.conftest import post_text


def test_build_is_the_default_command_and_writes_the_site(make_site, capsys) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    assert cli.main(["--site", str(site)]) == 0
    out, err = capsys.readouterr()
    assert (site / "public/index.html").is_file() and err == "" and out.strip()


def test_check_writes_nothing_and_fails_on_an_error(make_site, capsys) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A", date="32/13/2024")})
    assert cli.main(["check", "--site", str(site)]) == 1
    _, err = capsys.readouterr()
    assert "content/tin-tuc/a.md:" in err and "lỗi" in err
    assert not (site / "public").exists()


def test_a_warning_fails_only_a_strict_build(make_site) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A", body="[tệp](/thieu.pdf)")})
    assert cli.main(["build", "--site", str(site), "--output", str(site / "out")]) == 0
    assert cli.main(["build", "--site", str(site), "--output", str(site / "out2"), "--strict"]) == 1
    assert not (site / "out2").exists() or not (site / "out2/index.html").exists()


def test_options_follow_the_flags(tmp_path: Path) -> None:
    args = cli.make_parser().parse_args(["build", "--site", str(tmp_path), "--no-cache", "--drafts", "--jobs", "3"])
    opts = cli.options_from(args)
    assert (opts.output, opts.use_cache, opts.drafts, opts.workers) == (tmp_path / "public", False, True, 3)


def test_new_needs_a_title(make_site, capsys) -> None:
    site = make_site()
    assert cli.main(["new", "--site", str(site)]) == 2
    assert cli.main(["new", "Họp dân", "--site", str(site)]) == 0
    out, _ = capsys.readouterr()
    assert out.strip().endswith("hop-dan.md")
