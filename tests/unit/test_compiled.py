"""Compiled templates kept between processes."""

from __future__ import annotations

from pathlib import Path

from sitegen import config, templates
from sitegen.compiled import CompiledTemplates

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
