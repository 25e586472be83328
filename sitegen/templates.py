"""The Jinja environment: site templates over the default theme, filters, URL helpers."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from markupsafe import Markup

from sitegen import dates, documents, structured, text, words
from sitegen.compiled import CompiledTemplates
from sitegen.kinds import Post
from sitegen.model import Config
from sitegen.problems import Problem, problem

THEME_DIR = words.THEME_DIR  # the default theme: templates/ + assets/


class ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that never serves a file whose real path is outside its folder (symlinks)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if not Path(filename).resolve().is_relative_to(root):
            raise jinja2.TemplateNotFound(template, f"{template} leads outside {root.name}/")
        return source, filename, uptodate


_COMPILED = CompiledTemplates()
load_compiled, save_compiled = _COMPILED.load, _COMPILED.save
COMPILED_FILE = "templates.marshal"  # the templates compiled by the last build, in its cache folder


def template_dirs(site_dir: Path, theme: tuple[Path, ...] = (), theme_dir: Path = THEME_DIR) -> list[Path]:
    """templates/ of the site, of each parent theme folder (a province for its communes), then of the
    default theme: the first that has a file wins. A folder that is the default theme's is named once."""
    folders: list[Path] = []
    for root in (site_dir, *theme, theme_dir):
        folder = root / "templates"
        if all(folder.resolve() != seen.resolve() for seen in folders):
            folders.append(folder)
    return folders


def make_env(site_dir: Path, cfg: Config, theme_dir: Path = THEME_DIR,
             theme: tuple[Path, ...] = ()) -> jinja2.Environment:
    """Site templates win file by file, then the parent themes'; "default/x.html" always reaches the
    default theme's own."""
    default = ContainedLoader(theme_dir / "templates")
    loaders: list[jinja2.BaseLoader] = [ContainedLoader(folder) for folder in
                                        template_dirs(site_dir, theme, theme_dir)[:-1]]
    loaders += [default, jinja2.PrefixLoader({"default": default})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(("html", "xml", "htm")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build; serve makes a new environment when they do
        bytecode_cache=_COMPILED,
    )
    _add_helpers(env, cfg)
    return env


def _add_helpers(env: jinja2.Environment, cfg: Config) -> None:
    lang = cfg.language
    prefix = cfg.base_path.rstrip("/")

    def url(path: str = "") -> str:
        if "://" in path or path.startswith(("#", "mailto:", "tel:", "data:")):
            return path
        return prefix + "/" + path.lstrip("/")

    def abs_url(path: str = "") -> str:
        if "://" in path:
            return path
        return cfg.base_url + path.lstrip("/")

    def translate(key: str) -> str:
        """A word of the theme (templates/words/<language>.toml); an unknown key is a template error."""
        return cfg.words[key]

    def latest_time(post: Post) -> str:
        return dates.short_stamp(post.date, post.has_time, lang)

    def number(value: int) -> str:
        grouped = f"{int(value):,}"
        return grouped.replace(",", ".") if lang != "en" else grouped

    env.globals.update(url=url, abs_url=abs_url, asset=lambda p: url("assets/" + p),
                       t=translate, shared_include=shared_include,
                       ld_home=lambda: structured.home(cfg), ld_article=lambda p: structured.news_article(cfg, p),
                       ld_document=lambda d: structured.legislation(cfg, d))
    env.filters.update(
        date_vn=lambda d: dates.day_month_year(d, lang), latest_time=latest_time,
        number=number, cut=text.cut, iso=lambda d: d.isoformat(), slugify=text.slugify,
        dmy=dates.dmy, filesize=lambda n: documents.file_size(n, lang),
    )
    # JSON-LD data blocks (`|tojson`): readable Vietnamese; <, >, & and ' still escaped by Jinja.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


SHARED_NAMES = ("site", "latest", "most_viewed", "data", "pages", "stats")


@jinja2.pass_context
def shared_include(ctx: jinja2.runtime.Context, name: str) -> Markup:
    """Render a partial that shows only what every page shares (the sidebar, the footer) once per build.

    The partial sees `site`, `latest`, `most_viewed`, `data`, `pages` and `stats` and the
    helpers, never `page`: its HTML is the same on every page, so it is made once
    instead of 10,000 times.
    """
    memo: dict[str, Markup] = getattr(ctx.environment, "shared_memo", None) or {}
    if name not in memo:
        shared = {key: ctx[key] for key in SHARED_NAMES if key in ctx}
        memo[name] = Markup(ctx.environment.get_template(name).render(shared))
        ctx.environment.shared_memo = memo  # type: ignore[attr-defined]
    return memo[name]


def new_build(env: jinja2.Environment, fragments: dict[str, Markup] | None = None) -> None:
    """Forget the shared partials of the last build (the environment outlives builds in `serve`).

    `fragments` are partials already rendered by `render_shared` for this build.
    """
    env.shared_memo = dict(fragments or {})  # type: ignore[attr-defined]


def render_shared(env: jinja2.Environment, name: str, shared: dict[str, Any]) -> tuple[Markup | None, list[Problem]]:
    """A shared partial as `shared_include` puts it into every page."""
    html, found = render(env, name, {key: shared[key] for key in SHARED_NAMES if key in shared})
    return (Markup(html) if html is not None else None), found


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> tuple[str | None, list[Problem]]:
    try:
        return env.get_template(name).render(context), []
    except jinja2.TemplateSyntaxError as err:
        return None, [problem(_template_path(env, err.name or name), err.lineno, "template_error",
                              reason=err.message)]
    except jinja2.TemplateNotFound as err:
        where, line = _template_frame(err)  # the template and line that asked for the missing one
        if where:
            return None, [problem(_template_path(env, where), line, "template_not_found", name=err.name)]
        return None, [problem(f"templates/{err.name}", 0, "template_not_found", name=err.name)]
    except Exception as err:  # noqa: BLE001 - any template bug becomes a problem, not a traceback
        where, line = _template_frame(err)
        return None, [problem(_template_path(env, where or name), line, "template_error",
                              reason=f"{type(err).__name__}: {err}")]


def check_syntax(env: jinja2.Environment, site_dir: Path, theme_dir: Path = THEME_DIR,
                 compile_all: bool = True, theme: tuple[Path, ...] = ()) -> list[Problem]:
    """Compile every template of the site and the theme, used or not, so `check` sees them all.

    Without `compile_all` (the same templates compiled cleanly in the last build)
    only links leading out are looked for; templates compile when first used.
    """
    found = []
    names = set()
    for folder in template_dirs(site_dir, theme, theme_dir):
        if folder.is_dir():
            found += _links_leading_out(site_dir, folder)
            names |= {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                      and not p.name.startswith(".") and not p.name.endswith(".toml")}  # words/*.toml: not Jinja
    for name in sorted(names) if compile_all else ():
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            found.append(problem(_template_path(env, err.filename or name), err.lineno or 0,
                                 "template_error", reason=err.message))
        except (UnicodeDecodeError, jinja2.TemplateError) as err:
            found.append(problem(f"templates/{name}", 0, "template_error", reason=err))
    return found


def _links_leading_out(site_dir: Path, folder: Path) -> list[Problem]:
    """Symlinks inside a templates folder whose target is outside it."""
    root = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            try:
                shown = path.relative_to(site_dir).as_posix()
            except ValueError:
                shown = path.as_posix()
            found.append(problem(shown, 0, "path_outside"))
    return found


def _template_frame(err: BaseException) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja rewrites frames to them)."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".htm")):
            return frame.filename, frame.lineno or 0
    return "", 0


def _template_path(env: jinja2.Environment, name: str) -> str:
    """Show a template path the way the author sees it: templates/<name>."""
    if "templates/" in name:
        return "templates/" + name.rsplit("templates/", 1)[1]
    return f"templates/{name}"
