"""Which shared variables page templates read outside the shared partials (template_use.shared_use)."""

from __future__ import annotations

from pathlib import Path

from sitegen import config, context, template_use, templates

ROOT = Path(__file__).resolve().parents[2]


def _use(tmp_path: Path, overrides: dict[str, str]) -> template_use.SharedUse:
    (tmp_path / "templates").mkdir()
    for name, text in overrides.items():
        (tmp_path / "templates" / name).write_text(text, encoding="utf-8")
    cfg = config.load_config(ROOT)[0]
    return template_use.shared_use(templates.make_env(tmp_path, cfg), context.TEMPLATES)


def test_the_default_theme_reads_latest_only_in_the_sidebar(tmp_path: Path) -> None:
    use = _use(tmp_path, {})
    assert use.fragments == ("partials/footer.html", "partials/sidebar.html")
    assert use.visible == {"site"}


def test_a_partial_included_directly_makes_its_variables_visible(tmp_path: Path) -> None:
    use = _use(tmp_path, {"404.html": '{% extends "default/404.html" %}'
                                      '{% block content %}{% include "partials/sidebar.html" %}{% endblock %}'})
    assert {"latest", "most_viewed", "data"} <= use.visible


def test_a_variable_read_by_a_page_template_is_visible(tmp_path: Path) -> None:
    use = _use(tmp_path, {"list.html": '{% extends "default/list.html" %}{% block content %}'
                                       "{{ most_viewed|length }}{{ super() }}{% endblock %}"})
    assert use.visible == {"site", "most_viewed"}


def test_names_chosen_at_run_time_make_everything_visible(tmp_path: Path) -> None:
    for text in ('{% extends "default/404.html" %}{% block content %}{% include page.kind %}{% endblock %}',
                 '{% extends "default/404.html" %}{% block content %}{{ shared_include(page.kind) }}{% endblock %}',
                 '{% set f = shared_include %}{% extends "default/404.html" %}'):
        folder = tmp_path / f"case{len(text)}"
        folder.mkdir()
        assert _use(folder, {"404.html": text}) == template_use.EVERYTHING_VISIBLE


def test_every_job_template_is_a_root() -> None:
    cfg = config.load_config(ROOT / "tests/golden/site")[0]
    from sitegen import catalog, dates, incremental, loader

    site = ROOT / "tests/golden/site"
    work = incremental.begin(incremental.Setup(site, site / "public", cfg, use_cache=False))
    posts = work.compile(loader.walk_content(site)[0], []).posts
    cat = catalog.build(posts, cfg, dates.build_time(cfg.tz, {}))
    assert {job.template for job in context.all_jobs(cfg, cat)} <= set(context.TEMPLATES)

