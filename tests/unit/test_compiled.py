"""Compiled templates kept between processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from sitegen import config, incremental, templates
from sitegen.compiled import CompiledTemplates
from tests.conftest import cli_run, post_text, snapshot

ROOT = Path(__file__).resolve().parent.parent.parent


def test_compiled_templates_are_kept_for_the_next_process(tmp_path: Path) -> None:
    """What one build compiled, the next process takes from the file instead of compiling it again; a file
    made by another Python or generator, or a broken one, is not used."""
    kept = CompiledTemplates()
    cfg = config.load_config(ROOT)[0]
    env = templates.make_env(tmp_path, cfg)
    env.bytecode_cache = kept
    env.get_template("index.html")
    assert kept.codes and kept.added
    path = tmp_path / "cache" / "templates.marshal"
    kept.save(path)
    again = CompiledTemplates()
    again.load(path)
    assert again.codes.keys() == kept.codes.keys() and not again.added
    path.write_bytes(path.read_bytes()[:-10])
    broken = CompiledTemplates()
    broken.load(path)
    assert broken.codes == {}


def test_compiled_templates_others_may_write_are_not_run(tmp_path: Path) -> None:
    """Compiled templates are code: a file that group or others may write is ignored, as one that
    another user owns would be, and the templates are compiled again from their source."""
    kept = CompiledTemplates()
    env = templates.make_env(tmp_path, config.load_config(ROOT)[0])
    env.bytecode_cache = kept
    env.get_template("index.html")
    path = tmp_path / "cache" / "templates.marshal"
    kept.save(path)
    path.chmod(0o666)
    shared = CompiledTemplates()
    shared.load(path)
    assert shared.codes == {}
    path.chmod(0o644)
    mine = CompiledTemplates()
    mine.load(path)
    assert mine.codes.keys() == kept.codes.keys()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from source from now on, in a process that has compiled none."""
    monkeypatch.setattr(templates._COMPILED, "codes", {})
    monkeypatch.setattr(templates._COMPILED, "added", False)
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(env: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(name or "")
        return compile_source(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _edit_and_build(site: Path, body: str, names: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """One post's body edited, then built from the command line as a new process would: nothing compiled
    in memory yet."""
    (site / "content/tin-tuc/a.md").write_text(post_text("Bài A", body=body), encoding="utf-8")
    monkeypatch.setattr(templates._COMPILED, "codes", {})
    names.clear()
    code, _, err = cli_run("build", "--site", str(site))
    assert code == 0, err


def _as_cold(site: Path, tmp_path: Path) -> bool:
    """The site's output is what a cold build with no cache makes."""
    cold = tmp_path / "cold"
    code, _, err = cli_run("build", "--site", str(site), "--output", str(cold), "--no-cache")
    assert code == 0, err
    return snapshot(site / "public") == snapshot(cold)


def test_a_site_keeps_its_compiled_templates_for_the_next_build(make_site, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A single site's build from the command line keeps what it compiled in its cache folder; the next
    process that edits one post takes the templates from there and compiles none, with the same output."""
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A"), "content/tin-tuc/b.md": post_text("Bài B")})
    names = _compiles(monkeypatch)
    assert cli_run("build", "--site", str(site))[0] == 0
    assert "article.html" in names
    path = incremental.cache_dir_for(site, site / "public") / templates.COMPILED_FILE
    assert path.is_file()
    _edit_and_build(site, "Thân bài đã sửa.", names, monkeypatch)
    assert names == []
    assert "Thân bài đã sửa." in (site / "public/tin-tuc/2024/bai-a/index.html").read_text(encoding="utf-8")
    assert _as_cold(site, tmp_path)


def test_damaged_or_shared_compiled_templates_are_compiled_again(make_site, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged file of compiled templates, or one others may write, is not used: the build compiles the
    templates from their source, makes the same output, and keeps a sound file for the next one."""
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A"), "content/tin-tuc/b.md": post_text("Bài B")})
    names = _compiles(monkeypatch)
    assert cli_run("build", "--site", str(site))[0] == 0
    path = incremental.cache_dir_for(site, site / "public") / templates.COMPILED_FILE
    path.write_bytes(path.read_bytes()[:-40])
    _edit_and_build(site, "Sửa lần một.", names, monkeypatch)
    assert "article.html" in names and _as_cold(site, tmp_path)
    path.chmod(0o666)
    _edit_and_build(site, "Sửa lần hai.", names, monkeypatch)
    assert "article.html" in names and _as_cold(site, tmp_path)
    _edit_and_build(site, "Sửa lần ba.", names, monkeypatch)
    assert names == [] and _as_cold(site, tmp_path)


def test_a_build_without_the_cache_neither_reads_nor_keeps_compiled_templates(make_site,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text("Bài A")})
    names = _compiles(monkeypatch)
    assert cli_run("build", "--site", str(site))[0] == 0
    _edit_and_build(site, "Sửa.", names, monkeypatch)
    assert names == []
    monkeypatch.setattr(templates._COMPILED, "codes", {})
    code, _, err = cli_run("build", "--site", str(site), "--no-cache", "--output", str(site / "other"))
    assert code == 0, err
    assert "article.html" in names and not list((site / ".sitegen-cache").glob("other*"))
