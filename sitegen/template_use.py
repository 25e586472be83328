"""What the templates do, read off their parsed sources: which shared variables a page can see outside
the shared partials (`shared_use`), and which templates a page is rendered from (`page_sources`)."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from jinja2 import meta, nodes

from sitegen.templates import SHARED_NAMES


@dataclass(frozen=True)
class SharedUse:
    """How pages use what they share: the partials they take through shared_include, and the
    shared variables any page template can read otherwise."""

    fragments: tuple[str, ...]
    visible: frozenset[str]


# In SharedUse.visible: a page template can show the `views` of posts it sees in lists (lists_show_views).
LISTED_VIEWS = "views of listed posts"
# "Các tin khác": an article's `others`, shown by this partial alone (others_apart)
OTHERS, OTHERS_PARTIAL, ARTICLE = "others", "partials/others.html", "article.html"
EVERYTHING_VISIBLE = SharedUse((), frozenset((*SHARED_NAMES, LISTED_VIEWS, OTHERS)))


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
    if not others_apart(env):
        visible.add(OTHERS)
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
    """None for a source that does not parse, or does not compile (an unknown filter: reading its variables
    compiles it)."""
    try:
        tree = env.parse(source)
        return _Facts(tuple(meta.find_referenced_templates(tree)),
                      frozenset(meta.find_undeclared_variables(tree) & set(SHARED_NAMES)),
                      _shared_includes(tree), _show_listed_views([tree]))
    except jinja2.TemplateError:
        return None


def others_apart(env: jinja2.Environment) -> bool:
    """Is "Các tin khác" shown by partials/others.html alone, so that it can be rendered once per category?

    True when the article's templates take that partial only by a plain
    `{% include %}` (with its context) and read `others` nowhere else, and the
    partial reads nothing but `others` and the helpers, and includes nothing: its
    HTML is then the same in every article with the same `others`. Anything else
    (a site's article.html showing `others` itself, a partial reading `post`) is
    False, and each article's `others` stays part of its own fingerprint.
    """
    found = _reach(env, (ARTICLE,))
    if found is None or OTHERS_PARTIAL not in found:
        return False
    for name, (source, facts) in found.items():
        tree = env.parse(source)  # it parsed once already (_facts)
        if name == OTHERS_PARTIAL:
            if facts.references or meta.find_undeclared_variables(tree) - set(env.globals) - {OTHERS}:
                return False
        elif any(node.name == OTHERS for node in tree.find_all(nodes.Name)):
            return False
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            takes = [value for value in _constants(node.template) if value == OTHERS_PARTIAL]
            if takes and not (isinstance(node, nodes.Include) and node.with_context):
                return False
    return True


def _constants(node: nodes.Expr) -> list[str]:
    """The template names an include, import or extends names (a list of them, or one)."""
    if isinstance(node, nodes.Const):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, (nodes.Tuple, nodes.List)):
        return [item.value for item in node.items if isinstance(item, nodes.Const) and isinstance(item.value, str)]
    return []


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
