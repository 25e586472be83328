"""The build, stage by stage: read, compile, catalogue, render, check, write."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from sitegen import catalog, config, context, data, dates, feeds, i18n, loader, templates, writer
from sitegen.markup import Renderer
from sitegen.model import Config, Post
from sitegen.posts import compile_post
from sitegen.problems import Problems, problem

Outputs = dict[str, bytes | Path]


@dataclass(frozen=True)
class Options:
    site: Path
    output: Path
    drafts: bool = False
    future: bool = False
    strict: bool = False
    check_only: bool = False
    environ: dict[str, str] | None = None  # None: os.environ


@dataclass
class Result:
    problems: Problems = field(default_factory=Problems)
    language: str = "vi"
    pages: int = 0
    stats: writer.WriteStats | None = None
    build_time: datetime | None = None


def run(opts: Options) -> Result:
    result = Result()
    problems = result.problems
    raw_config = opts.site / config.CONFIG_FILE
    if raw_config.is_file():
        result.language = config.guess_language(raw_config.read_text(encoding="utf-8", errors="replace"))
    cfg = problems.take(config.load_config(opts.site))
    if cfg is None:
        return result
    result.language = cfg.language
    now = result.build_time = _build_time(cfg, opts)
    site_data = problems.take(data.load_data(opts.site))
    sources, statics, found = loader.walk_content(opts.site)
    problems.extend(found)
    posts = compile_all(opts.site, sources, cfg, problems)
    clashes = duplicate_urls(posts)
    problems.extend(clashes)
    clashing = {p.path for p in clashes}
    posts = [p for p in posts if p.source not in clashing]
    cat = catalog.build(posts, cfg, now, opts.drafts, opts.future)
    outputs = problems.take(render_site(opts.site, cfg, cat, site_data))
    outputs.update(feeds.build_feeds(opts.site, cfg, cat, now))
    outputs = merge_static(opts.site, outputs, statics, problems)
    problems.extend(missing_refs(cat, outputs))
    result.pages = len(outputs)
    if problems.failed(opts.strict) or opts.check_only:
        return result
    try:
        result.stats = writer.write_outputs(opts.output, outputs)
    except (OSError, writer.UnsafePath) as err:
        problems.append(problem(str(opts.output), 0, "write_failed", reason=err))
    return result


def _build_time(cfg: Config, opts: Options) -> datetime:
    return dates.build_time(cfg.tz, opts.environ)


def compile_all(site_dir: Path, sources: list[str], cfg: Config, problems: Problems) -> list[Post]:
    renderer = Renderer(cfg.base_path, cfg.embed_hosts, i18n.label("backlink", cfg.language))
    posts = []
    for rel in sources:
        post = problems.take(compile_post(site_dir, rel, cfg, renderer))
        if post is not None:
            posts.append(post)
    return posts


def duplicate_urls(posts: list[Post]) -> list:
    first: dict[str, Post] = {}
    found = []
    for post in sorted(posts, key=lambda p: p.source):
        other = first.setdefault(post.url, post)
        if other is not post:
            found.append(problem(post.source, 1, "duplicate_url", url="/" + post.url, other=other.source))
            found.append(problem(other.source, 1, "duplicate_url", url="/" + post.url, other=post.source))
    return found


def render_site(site_dir: Path, cfg: Config, cat: catalog.Catalog,
                site_data: dict) -> tuple[Outputs, list]:
    env = templates.make_env(site_dir, cfg)
    found = templates.check_syntax(env, site_dir)
    if found:
        return {}, found
    shared = context.common(cfg, cat, site_data)
    outputs: Outputs = {}
    makers: dict[str, str] = {}
    for job in context.all_jobs(cfg, cat):
        if job.out in makers:
            found.append(problem(job.source, 1, "duplicate_url", url="/" + job.out, other=makers[job.out]))
            continue
        makers[job.out] = job.source
        page, problems = templates.render(env, job.template, {**shared, **job.context})
        found += problems
        if page is not None:
            outputs[job.out] = page.encode("utf-8")
    return outputs, found


def theme_assets(site_dir: Path) -> dict[str, Path]:
    """assets/ of the default theme, overlaid file by file by the site's own."""
    found: dict[str, Path] = {}
    for root in (templates.THEME_DIR / "assets", site_dir / "assets"):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found["assets/" + path.relative_to(root).as_posix()] = path
    return found


def merge_static(site_dir: Path, outputs: Outputs, statics: list[str], problems: Problems) -> Outputs:
    merged: Outputs = dict(outputs)
    copies = theme_assets(site_dir)
    copies.update({rel.split("/", 1)[1]: site_dir / rel for rel in statics})
    for out, path in sorted(copies.items()):
        if out in merged:
            problems.append(problem(_site_rel(site_dir, path), 0, "static_collides", url="/" + out))
            continue
        merged[out] = path
    return merged


def _site_rel(site_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return path.as_posix()


def missing_refs(cat: catalog.Catalog, outputs: Outputs) -> list:
    names = {unicodedata.normalize("NFC", name) for name in outputs}
    found = []
    for post in cat.posts + cat.pages:
        for ref, line in post.local_refs:
            wanted = unicodedata.normalize("NFC", unquote(ref.lstrip("/")))
            if wanted in names or wanted.rstrip("/") + "/index.html" in names or wanted in ("", "/"):
                continue
            found.append(problem(post.source, line, "missing_file", "warning", value=ref))
    return found
