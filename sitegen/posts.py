"""One Markdown file -> one Post: read, check front matter, render the body.

Each file is compiled on its own from its bytes and the config, so the work
can be cached by content hash and spread over processes.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sitegen import guards, loader
from sitegen.kinds import Post
from sitegen.markup import Rendered, Renderer
from sitegen.model import Config
from sitegen.problems import Problem, problem


def renderer_for(cfg: Config) -> Renderer:
    return _renderer(cfg.base_path, cfg.embed_hosts, cfg.words["backlink"])


@functools.lru_cache(maxsize=4)
def _renderer(base_path: str, embed_hosts: tuple[str, ...], backlink: str) -> Renderer:
    """One Markdown renderer per process and settings: making one costs as much as rendering a few posts."""
    return Renderer(base_path, embed_hosts, backlink)


def post_url(values: dict[str, Any], is_page: bool) -> str:
    if is_page:
        return f"{values['slug']}/"
    return f"{values['category'].key}/{values['date'].year}/{values['slug']}/"


def compile_post(site_dir: Path, rel: str, cfg: Config, renderer: Renderer, raw: bytes | None = None,
                 parsed: loader.Parsed | None = None) -> tuple[Post | None, list[Problem]]:
    """`raw`: the file's bytes when the caller has read them already; `parsed`: files parsed already
    (loader.read_source)."""
    is_page = loader.is_page_path(rel)
    src, found = loader.read_source(site_dir, rel, is_page, raw, parsed)
    if src is None:
        return None, found
    values, checked = loader.check_fields(src, cfg)
    found += checked
    if values is None:
        return None, found
    folder = posixpath.dirname(rel.split("/", 1)[1])
    body, refused = _render(renderer, src, folder)
    if body is None:
        return None, found + [refused]
    found += _escape_problems(rel, src, body.escapes)
    found += [problem(rel, _line_of(src, url), "file_link", "warning", value=url) for url in body.file_links]
    if values["image"] and _outside(values["image"]):
        found.append(problem(rel, src.lines.get("image", src.start_line), "path_outside_field",
                             key="image", value=values["image"]))
    if any(p.severity == "error" for p in found):
        return None, found
    image = _site_path(values["image"], folder)
    post = Post(**{**values, "summary": values["summary"] or body.summary, "image": image},
                source=rel, url=post_url(values, is_page), body_html=body.html, is_page=is_page,
                local_refs=_ref_lines(src, body.local_refs) + _image_ref(src, image))
    return post, found


def _render(renderer: Renderer, src: loader.Source, folder: str) -> tuple[Rendered | None, Problem | None]:
    """The body as HTML, or the problem that stopped it: too deep or crowded to parse, over its time
    budget, or a crash of the Markdown library (never a crash of the build)."""
    refused = guards.body_finding(src.body)
    if refused is not None:
        return None, problem(src.path, src.body_line + refused.line, refused.code, **refused.args)
    try:
        with guards.time_budget(guards.MARKDOWN_SECONDS):
            return renderer.render(src.body, folder), None
    except guards.MarkdownTimeout:
        return None, problem(src.path, src.body_line, "markdown_timeout", seconds=f"{guards.MARKDOWN_SECONDS:g}")
    except RecursionError:
        return None, problem(src.path, src.body_line, "markdown_too_deep")
    except Exception as err:  # noqa: BLE001 - a library bug on one post must not stop the build
        return None, problem(src.path, src.body_line, "markdown_failed", reason=f"{type(err).__name__}: {err}")


def _outside(path: str) -> bool:
    return "\x00" in path or "\\" in path or bool(re.match(r"^[A-Za-z]:", path)) or ".." in path.split("/")


def _site_path(path: str, folder: str) -> str:
    """A front-matter path -> site path with a leading slash ("" stays "")."""
    if not path or re.match(r"^[a-z]+:", path, re.IGNORECASE):
        return path
    if path.startswith("/"):
        return posixpath.normpath(path)
    return "/" + posixpath.normpath(posixpath.join(folder or ".", path))


def _image_ref(src: loader.Source, image: str) -> tuple[tuple[str, int], ...]:
    if not image.startswith("/"):
        return ()
    return ((image, src.lines.get("image", src.start_line)),)


def _escape_problems(rel: str, src: loader.Source, escapes: tuple[str, ...]) -> list[Problem]:
    """Links leading out of content/, quoted as the author typed them and at their line.

    Markdown has taken a backslash before punctuation as an escape (`..\\..` became `...`), so
    a URL is looked for in the body with an optional backslash before each character.
    """
    found = []
    for url in escapes:
        typed = re.search("".join(r"\\?" + re.escape(c) for c in url), src.body) if url else None
        written = typed[0] if typed else url
        line = src.body_line + (src.body.count("\n", 0, typed.start()) if typed else 0)
        if re.match(r"^[A-Za-z]:[\\/]", written) or written.startswith("\\\\"):
            found.append(problem(rel, line, "local_path_link", value=written))
        elif "\\" in written:
            found.append(problem(rel, line, "windows_path_link", value=written, fix=written.replace("\\", "/")))
        else:
            found.append(problem(rel, line, "path_outside_link", value=written))
    return found


def _ref_lines(src: loader.Source, refs: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((ref, _line_of(src, ref.rsplit("/", 1)[-1] or ref)) for ref in refs)


def _line_of(src: loader.Source, needle: str) -> int:
    """The file line where `needle` first appears in the body (else the body's first line)."""
    index = src.body.find(needle) if needle else -1
    return src.body_line + (src.body.count("\n", 0, index) if index >= 0 else 0)


def refs_missing(post: Post, known: set[str]) -> list[Problem]:
    """A warning for each file of the site the post links to that is not among the output's files `known`
    (published names are NFC, and so are links: the source is normalised as it is read)."""
    found = []
    for ref, line in post.local_refs:
        wanted = unicodedata.normalize("NFC", unquote(ref.lstrip("/")))
        if wanted in known or wanted.rstrip("/") + "/index.html" in known or wanted in ("", "/"):
            continue
        found.append(problem(post.source, line, "missing_file", "warning", value=ref))
    return found


_PAGES_STOPPED = frozenset({"template_error", "template_not_found"})  # problems that leave pages unmade


def missing_refs(posts: Iterable[Post], names: set[str], found: list[Problem]) -> list[Problem]:
    """refs_missing of every post, against the build's output files `names`; none when a template error (in
    `found`, the build's problems) left pages unmade, whose links are then no news."""
    if any(item.code in _PAGES_STOPPED for item in found):
        return []
    return [item for post in posts for item in refs_missing(post, names)]
