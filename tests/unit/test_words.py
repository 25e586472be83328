"""sitegen.words: the theme's words are files of the theme, which a site overrides one key at a time."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from sitegen import words
from sitegen.model import Words
from tests.conftest import post_text

THEME_WORDS = words.THEME_DIR / "templates" / "words"
TEMPLATES = words.THEME_DIR / "templates"


def test_both_languages_have_the_same_keys_and_every_key_a_template_uses() -> None:
    vi = tomllib.loads((THEME_WORDS / "vi.toml").read_text(encoding="utf-8"))
    en = tomllib.loads((THEME_WORDS / "en.toml").read_text(encoding="utf-8"))
    assert vi.keys() == en.keys() and all(isinstance(v, str) and v for v in [*vi.values(), *en.values()])
    used = {m for path in TEMPLATES.rglob("*.html") for m in re.findall(r"\bt\(\s*['\"](\w+)['\"]\s*\)",
                                                                           path.read_text(encoding="utf-8"))}
    assert used and used <= vi.keys(), used - vi.keys()


def test_without_a_site_file_the_theme_words_are_used(tmp_path: Path) -> None:
    found, problems = words.load(tmp_path, "en")
    assert problems == [] and found["latest"] == "Latest news" and words.load(None, "vi")[0]["latest"] == "Tin mới nhất"


def test_a_site_file_replaces_only_its_own_keys(tmp_path: Path) -> None:
    (tmp_path / "templates" / "words").mkdir(parents=True)
    (tmp_path / "templates" / "words" / "vi.toml").write_text('latest = "Tin vừa đăng"\n', encoding="utf-8")
    found, problems = words.load(tmp_path, "vi")
    assert problems == [] and found["latest"] == "Tin vừa đăng" and found["most_viewed"] == "Xem nhiều nhất"
    assert words.load(tmp_path, "en")[0]["latest"] == "Latest news"  # the English file was not overridden


def test_mistakes_in_a_site_file_are_reported_at_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "words"
    folder.mkdir(parents=True)
    (folder / "vi.toml").write_text('# ghi chú\nlatest = "Tin vừa đăng"\nlastest = "x"\nhome = 3\n', encoding="utf-8")
    found, problems = words.load(tmp_path, "vi")
    assert found["latest"] == "Tin vừa đăng" and found["home"] == "Trang chủ"
    assert [(p.path, p.line, p.code, p.severity, p.params.get("hint")) for p in problems] == [
        ("templates/words/vi.toml", 3, "unknown_word", "warning", "latest"),
        ("templates/words/vi.toml", 4, "bad_text", "error", None)]
    (folder / "vi.toml").write_text('latest = "Tin vừa đăng\n', encoding="utf-8")
    found, problems = words.load(tmp_path, "vi")
    assert found["latest"] == "Tin mới nhất" and [(p.line, p.code) for p in problems] == [(1, "bad_toml")]


def test_words_are_hashable_and_equal_by_content() -> None:
    assert Words({"a": "b"}) == Words({"a": "b"}) and hash(Words({"a": "b"})) == hash(Words({"a": "b"}))
    assert Words({"a": "b"}) != Words({"a": "c"}) and dict(Words({"a": "b"})) == {"a": "b"}


def test_a_site_changes_one_word_of_the_built_pages(make_site: Callable[..., Path],
                                                   run_cli: Callable[..., tuple[int, str, str]]) -> None:
    site = make_site({"content/tin-tuc/a.md": post_text(tags="CCHC", views=12),
                      "templates/words/vi.toml": 'latest = "Tin vừa đăng"\ntag = "Chủ đề: {name}"\n'})
    code, _, err = run_cli("build", "--site", str(site))
    assert code == 0, err
    home = (site / "public" / "index.html").read_text(encoding="utf-8")
    assert "Tin vừa đăng" in home and "Tin mới nhất" not in home
    assert "Xem nhiều nhất" in home and "Trang chủ" in home  # every other word still the theme's
    tag_page = (site / "public" / "tag" / "cchc" / "index.html").read_text(encoding="utf-8")
    assert "Chủ đề: CCHC" in tag_page  # a word the generator puts into the page, too
