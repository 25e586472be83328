"""Which templates a page is rendered from (template_use.page_sources), and the key of each page template
(fingerprints.TemplateKeys): editing a template changes the key of exactly the page templates that use it."""

from __future__ import annotations

from pathlib import Path

from sitegen import config, template_use, templates
from sitegen.incremental.fingerprints import TemplateKeys

ROOT = Path(__file__).resolve().parents[2]
CFG = config.load_config(ROOT)[0]


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _keys(site: Path) -> dict[str, str]:
    """The key of every page template of the default theme, for the site's templates as they are now."""
    env = templates.make_env(site, CFG)
    keys = TemplateKeys(env, "all", b"", templates.template_dirs(site), {})
    return {name: keys.of(name) for name in ("article.html", "list.html", "index.html", "page.html", "404.html")}


def test_an_extends_chain_reaches_every_template_above_it(tmp_path: Path) -> None:
    site = _site(tmp_path, {"article.html": '{% extends "default/article.html" %}'})
    found = template_use.page_sources(templates.make_env(site, CFG), "article.html")
    assert set(found or {}) == {"article.html", "default/article.html", "base.html", "partials/tools.html",
                                "partials/cover.html", "partials/others.html"}
    assert found["article.html"] == '{% extends "default/article.html" %}'  # the site's file, not the theme's


def test_a_template_included_by_an_imported_macro_is_reached(tmp_path: Path) -> None:
    site = _site(tmp_path, {"404.html": '{% from "macros.html" import box %}{{ box() }}',
                            "macros.html": '{% macro box() %}{% include "parts/inner.html" %}{% endmacro %}',
                            "parts/inner.html": "<p>inner</p>"})
    found = template_use.page_sources(templates.make_env(site, CFG), "404.html")
    assert set(found or {}) == {"404.html", "macros.html", "parts/inner.html"}
    before = _keys(site)
    (site / "templates/parts/inner.html").write_text("<p>inner, edited</p>", encoding="utf-8")
    after = _keys(site)
    assert {name for name in before if before[name] != after[name]} == {"404.html"}


def test_shared_partials_are_not_reached(tmp_path: Path) -> None:
    """The sidebar and the footer are rendered once and held apart in a page's fingerprint."""
    found = template_use.page_sources(templates.make_env(tmp_path, CFG), "list.html") or {}
    assert "partials/post-card.html" in found and "partials/pagination.html" in found
    assert "partials/sidebar.html" not in found and "partials/footer.html" not in found


def test_editing_the_article_template_changes_only_the_articles_key(tmp_path: Path) -> None:
    site = _site(tmp_path, {"article.html": '{% extends "default/article.html" %}{% block content %}1{% endblock %}'})
    before = _keys(site)
    (site / "templates/article.html").write_text(
        '{% extends "default/article.html" %}{% block content %}2{% endblock %}', encoding="utf-8")
    after = _keys(site)
    assert {name for name in before if before[name] != after[name]} == {"article.html"}


def test_a_site_template_shadowing_a_theme_one_changes_the_pages_that_use_it(tmp_path: Path) -> None:
    """A new templates/partials/cover.html of the site replaces the theme's: articles and pages use it."""
    before = _keys(tmp_path)
    _site(tmp_path, {"partials/cover.html": "<figure>của xã</figure>"})
    after = _keys(tmp_path)
    assert {name for name in before if before[name] != after[name]} == {"article.html", "page.html"}


def test_a_theme_override_of_base_changes_every_page_that_extends_it(tmp_path: Path) -> None:
    before = _keys(tmp_path)
    _site(tmp_path, {"base.html": '{% extends "default/base.html" %}{% block head %}<meta name="x">{% endblock %}'})
    after = _keys(tmp_path)
    assert all(before[name] != after[name] for name in before)


def test_the_words_of_the_theme_are_in_every_key(tmp_path: Path) -> None:
    before = _keys(tmp_path)
    _site(tmp_path, {"words/vi.toml": 'latest = "Tin vừa đăng"\n'})
    after = _keys(tmp_path)
    assert all(before[name] != after[name] for name in before)


def test_a_name_chosen_at_run_time_gives_the_key_of_all_the_templates(tmp_path: Path) -> None:
    site = _site(tmp_path, {"404.html": "{% include page.kind ~ '.html' %}"})
    assert template_use.page_sources(templates.make_env(site, CFG), "404.html") is None
    env = templates.make_env(site, CFG)
    one = TemplateKeys(env, "all", b"", templates.template_dirs(site), {}).of("404.html")
    other = TemplateKeys(env, "all, edited", b"", templates.template_dirs(site), {}).of("404.html")
    assert one != other


def test_keys_kept_for_the_same_templates_are_used_without_reading_any(tmp_path: Path) -> None:
    env = templates.make_env(tmp_path, CFG)
    kept = TemplateKeys(env, "all", b"", [], {"": "all", "article.html": "remembered"})
    assert kept.of("article.html") == "remembered" and not kept.changed
    stale = TemplateKeys(env, "all, edited", b"", [], {"": "all", "article.html": "remembered"})
    assert stale.of("article.html") != "remembered" and stale.changed


def test_the_themes_other_posts_are_shown_by_their_partial_alone(tmp_path: Path) -> None:
    """"Các tin khác" can be rendered once per category only while partials/others.html alone shows it."""
    assert template_use.others_apart(templates.make_env(_site(tmp_path / "theme", {}), CFG))
    own = {"partials/others.html": '{% for o in others %}<b>{{ o.title }} {{ t("other_posts") }}</b>{% endfor %}\n'}
    assert template_use.others_apart(templates.make_env(_site(tmp_path / "own", own), CFG))
    cases = {
        "article shows others itself": {"article.html": '{% extends "default/article.html" %}'
                                        "{% block head %}{{ others|length }}{% endblock %}"},
        "partial reads post": {"partials/others.html": "{{ post.title }}{{ others }}"},
        "partial includes": {"partials/others.html": '{% include "partials/cover.html" %}'},
        "others rebound": {"article.html": '{% extends "default/article.html" %}{% block content %}'
                           '{% set others = [] %}{% include "partials/others.html" %}{% endblock %}'},
        "without context": {"article.html": '{% extends "default/article.html" %}{% block content %}'
                            '{% include "partials/others.html" without context %}{% endblock %}'},
        "name at run time": {"article.html": '{% extends "default/article.html" %}{% block content %}'
                             "{% include page.kind ~ '.html' %}{% endblock %}"},
        "no partial": {"article.html": "<ul>{% for o in others %}<li>{{ o.title }}</li>{% endfor %}</ul>"},
    }
    for name, files in cases.items():
        env = templates.make_env(_site(tmp_path / name.replace(" ", "-"), files), CFG)
        assert not template_use.others_apart(env), name
        assert template_use.OTHERS in template_use.shared_use(env, ("article.html",)).visible, name
