"""The Jinja environment: site templates over the default theme, filters, URL helpers."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from jinja2 import meta, nodes
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
        dmy=lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}", filesize=lambda n: documents.file_size(n, lang),
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


@dataclass(frozen=True)
class SharedUse:
    """How pages use what they share: the partials they take through shared_include, and the
    shared variables any page template can read otherwise."""

    fragments: tuple[str, ...]
    visible: frozenset[str]


# In SharedUse.visible: a page template can show the `views` of posts it sees in lists (lists_show_views).
LISTED_VIEWS = "views of listed posts"
EVERYTHING_VISIBLE = SharedUse((), frozenset((*SHARED_NAMES, LISTED_VIEWS)))


def shared_use(env: jinja2.Environment, roots: tuple[str, ...]) -> SharedUse:
    """Read from the templates (reached from `roots` by include, import and extends) which shared
    variables a page can see outside the shared partials.

    A new post changes "Tin mới nhất" in the sidebar of every page; when no page
    template reads `latest` itself, the rest of each page is unchanged and the
    new sidebar can be put in place of the old one. Anything the analysis cannot
    follow (a template name or a partial chosen at run time) makes every shared
    variable visible, which only costs speed.
    """
    found = _page_facts(env, roots)
    if found is None or any(facts.partials is None for facts in found):
        return EVERYTHING_VISIBLE
    fragments = {name for facts in found for name in facts.partials or ()}
    visible = {name for facts in found for name in facts.reads}
    if any(facts.listed_views for facts in found):
        visible.add(LISTED_VIEWS)
    return SharedUse(tuple(sorted(fragments)), frozenset(visible))


@dataclass(frozen=True)
class _Facts:
    """What shared_use needs of one template, read off its parsed source."""

    references: tuple[str | None, ...]  # templates it includes, imports or extends (None: named at run time)
    reads: frozenset[str]  # the shared variables it reads
    partials: tuple[str, ...] | None  # what it takes through shared_include (None: named at run time)
    listed_views: bool  # it can show the views of a post it sees in a list


_FACTS: dict[str, _Facts | None] = {}  # by template source: every site of a province shares its theme's


def _facts(env: jinja2.Environment, source: str) -> _Facts | None:
    """The facts of one template source, once per process (every environment is made by make_env, with the
    same syntax, filters and tests); None when it does not parse (the error is reported when the page is
    rendered)."""
    if source not in _FACTS:
        if len(_FACTS) >= 1000:  # edited templates in a long `serve`
            _FACTS.clear()
        _FACTS[source] = _read_facts(env, source)
    return _FACTS[source]


def _read_facts(env: jinja2.Environment, source: str) -> _Facts | None:
    try:
        tree = env.parse(source)
    except jinja2.TemplateError:
        return None
    return _Facts(tuple(meta.find_referenced_templates(tree)),
                  frozenset(meta.find_undeclared_variables(tree) & set(SHARED_NAMES)),
                  _shared_includes(tree), _show_listed_views([tree]))


def _shared_includes(tree: nodes.Template) -> tuple[str, ...] | None:
    """The partials a template takes through shared_include; None when one is named at run time
    (or shared_include is used in any other way)."""
    calls = [c for c in tree.find_all(nodes.Call) if isinstance(c.node, nodes.Name) and c.node.name == "shared_include"]
    named = [c.args[0].value for c in calls if len(c.args) == 1 and not c.kwargs and not c.dyn_args
             and not c.dyn_kwargs and isinstance(c.args[0], nodes.Const) and isinstance(c.args[0].value, str)]
    uses = sum(1 for n in tree.find_all(nodes.Name) if n.name == "shared_include")
    return tuple(named) if len(named) == uses else None


def _page_facts(env: jinja2.Environment, roots: tuple[str, ...]) -> list[_Facts] | None:
    """The facts of every template reached from `roots` by include, import and extends (not by
    shared_include); None when one does not parse or is named at run time."""
    found = _reach(env, roots)
    return None if found is None else [facts for _, facts in found.values()]


def page_sources(env: jinja2.Environment, root: str) -> dict[str, str] | None:
    """The source of every template a page of `root` is rendered from, by name: `root` and the templates
    it reaches by extends, include and import (a macro's included templates too), as the loader finds them
    (a site's file over a parent theme's over the default's). Not those it takes through shared_include: a
    page's fingerprint holds their HTML apart. None when one does not parse or is named at run time."""
    found = _reach(env, (root,))
    return None if found is None else {name: source for name, (source, _) in found.items()}


def _reach(env: jinja2.Environment, roots: tuple[str, ...]) -> dict[str, tuple[str, _Facts]] | None:
    """(source, facts) of every template reached from `roots` by include, import and extends, by name."""
    found: dict[str, tuple[str, _Facts]] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        except jinja2.TemplateError:
            return None
        facts = _facts(env, source)
        if facts is None or None in facts.references:
            return None
        found[name] = (source, facts)
        pending += [ref for ref in facts.references if ref is not None]
    return found


def lists_show_views(env: jinja2.Environment, roots: tuple[str, ...]) -> bool:
    """Can a page, outside the shared partials, show the `views` of a post it sees in a list?

    The default theme shows views only on the article itself (`post.views`) and
    in the shared partials ("Xem nhiều nhất", the footer). When no page template
    reads `views` of anything but a `post` it never rebinds, a change of counts
    leaves "Các tin khác" and the listings as they are, and their pages are not
    rendered again. Anything else (`x["views"]`, `attribute="views"`, a name chosen at run time)
    answers yes.
    """
    return LISTED_VIEWS in shared_use(env, roots).visible


def _show_listed_views(trees: list[nodes.Template]) -> bool:
    for tree in trees:
        if any(_names_views(node) for node in tree.find_all((nodes.Getitem, nodes.Filter, nodes.Test))):
            return True  # post["views"], map(attribute="views"), sort(attribute="views"), attr("views")
        reads = [node for node in tree.find_all(nodes.Getattr) if node.attr == "views"]
        if not reads:
            continue
        if any(not (isinstance(node.node, nodes.Name) and node.node.name == "post") for node in reads):
            return True
        if any(node.name == "post" and node.ctx != "load" for node in tree.find_all(nodes.Name)):
            return True
    return False


def _names_views(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Getitem):
        return isinstance(node.arg, nodes.Const) and node.arg.value == "views"
    values = [*node.args, *(pair.value for pair in node.kwargs)]  # type: ignore[attr-defined]
    return any(isinstance(v, nodes.Const) and isinstance(v.value, str) and v.value.split(".")[0] == "views"
               for v in values)


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
