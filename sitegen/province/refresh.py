"""The province's news pages on their own, when only what it shows of its members changed.

A title edited in a commune changes four kinds of the province's pages: its
home page ("Tin từ cơ sở"), /tin-tu-co-so/ (paginated), /xa-phuong/ and the
two news feeds. When the province's own inputs (its files, the theme, the
options) are those of its last build, its output is as that build left it,
nothing of it has fallen due and the news still fill as many pages, those
pages are rendered here from what its last build kept: what every page
shares and the home page's own variables (`keep`, beside its stamp). Its
posts, its cache, its page plan and its search index are not looked at; the
pages come out as the full build would make them, since every variable they
are rendered with is the one that build had.

The pages written here are not in the province's cache records: its next
full build finds their files changed (size, mtime) and renders them again.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sitegen import context, hashing, templates, writer
from sitegen.problems import Problem, os_problem, problem
from sitegen.province import stamps
from sitegen.province.pages import ProvinceNews

PAGES_FILE = "province-pages.pickle"  # beside the province's stamp


@dataclass
class Refreshed:
    """The news pages staged in the province's output, ready for the group's commit."""

    pending: writer.Transaction | None
    stats: writer.WriteStats | None
    problems: list[Problem]
    files: int


def news_pages(site: Path, out: Path, extension: ProvinceNews, stamp: dict, fresh: dict, now: datetime,
               created: bool) -> Refreshed | None:
    """Only the pages showing member news, staged from what the last build kept; None when the full build is
    needed (the output or the time no longer those of the stamp, nothing kept, a template failing)."""
    inputs = stamp.get("inputs")
    if not isinstance(inputs, str) or not stamps.holds(stamp, inputs, out, now):
        return None
    kept = load(pages_path(Path(fresh["path"])), fresh["own"])
    if kept is None:
        return None
    files = render(site, extension, kept, now, changed(out, fresh["shown"], stamp.get("shown")))
    return stage(out, files, created) if files is not None else None


def keep(extension: ProvinceNews, own: str) -> bytes | None:
    """What this build's news pages were made from, for a later build to render them alone; None when the
    build did not get that far."""
    made = extension.made
    if not {"cfg", "home", "shared"} <= made.keys():
        return None
    try:
        return pickle.dumps({"own": own, **made}, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a data file's value that cannot be kept
        return None


def load(path: Path, own: str) -> dict[str, Any] | None:
    """What the last build kept, if it was made from the inputs `own` stands for (None otherwise)."""
    data = hashing.read_own(path)
    if data is None:
        return None
    try:
        value = pickle.loads(data)  # noqa: S301 - the province's own cache, written by `keep` as this user
    except Exception:  # noqa: BLE001 - a missing, cut or older file: the full build makes the pages
        return None
    return value if isinstance(value, dict) and value.get("own") == own else None


def render(site: Path, extension: ProvinceNews, kept: dict[str, Any], now: datetime,
           changed: set[str]) -> dict[str, bytes] | None:
    """The news pages in `changed` and the feeds by output path, rendered with the last build's variables;
    None if a template fails (the full build then reports it where it is)."""
    cfg, shared = kept["cfg"], kept["shared"]
    env = templates.make_env(site, cfg)
    templates.new_build(env)
    home = context.Job("index.html", "index.html", kept["home"], "site.toml")
    files: dict[str, bytes] = {}
    for job in extension.shown_jobs(cfg, home):
        if job.out not in changed:
            continue
        page, found = templates.render(env, job.template, {**shared, **(job.context or {})})
        if page is None or found:
            return None
        files[job.out] = page.encode("utf-8")
    return files | extension.feeds(cfg, now)


def changed(out: Path, shown: dict[str, str], last: object) -> set[str]:
    """The pages whose digest of what they show (ProvinceNews.shown) is not the last build's `last`, or
    whose file is gone."""
    before = last if isinstance(last, dict) else {}
    return {rel for rel, digest in shown.items() if before.get(rel) != digest or not (out / rel).is_file()}


def stage(out: Path, files: dict[str, bytes], created: bool) -> Refreshed:
    """Stage `files` in the output, every other file of the last build kept as it is."""
    try:
        tx = writer.stage(out, dict(files), writer.read_manifest(out), existed=not created)
        return Refreshed(tx, tx.prepare(), [], len(tx.names))
    except OSError as err:
        found = os_problem(str(out), "write_failed", err)
    except writer.UnsafePath as err:
        found = problem(str(out), 0, "write_failed", reason=err)
    return Refreshed(None, None, [found], 0)


def pages_path(stamp_path: Path) -> Path:
    return stamp_path.with_name(PAGES_FILE)


def save(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
