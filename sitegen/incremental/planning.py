"""The plan of a build: which pages are kept as they are, spliced (only the shared partials changed)
or rendered. Pure decisions over fingerprints and the records of the last build; the only look at the
disk is whether a page to keep is still the file written (fingerprints.intact): a page to splice is
looked at by the splice itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import catalog, context
from sitegen.hashing import digest
from sitegen.incremental.fingerprints import ArticleKeys, Fingerprints, intact
from sitegen.incremental.folders import Folders
from sitegen.incremental.others import Splicer
from sitegen.incremental.state import Saved
from sitegen.kinds import Post
from sitegen.model import Config
from sitegen.problems import Problem, problem

JobsFor = Callable[[], list[context.Job]]  # every page, the articles without their variables (_made_later)


@dataclass
class Plan:
    jobs: list[context.Job] = field(default_factory=list)  # pages to render
    splices: dict[str, context.Job | None] = field(default_factory=dict)  # pages to splice, by output path
    # an article's own change of "Các tin khác" (old HTML, new HTML), besides the shared partials'
    own_changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    fingerprints: dict[str, tuple[str, str]] = field(default_factory=dict)  # out -> (whole, own)
    kept: list[str] = field(default_factory=list)  # pages whose file is already right
    problems: list[Problem] = field(default_factory=list)
    layout_kept: bool = False  # only the changed posts' own pages were looked at
    find_job: Callable[[str], context.Job] | None = None  # the job of a splice planned without it (None: no such)

    def job_of(self, out: str) -> context.Job:
        """The job of a planned splice, to render it when the splice cannot be done."""
        job = self.splices[out]
        if job is not None:
            return job
        assert self.find_job is not None
        return self.find_job(out)


@dataclass(frozen=True)
class Ground:
    """What a plan is made against: this build's catalogue and the last build's records."""

    cfg: Config
    cat: catalog.Catalog
    saved: Saved
    remember: bool  # False for --no-cache: every page is rendered and nothing is kept
    output: Path
    copies: dict[str, Path]  # static files by output path
    site: Path
    own_extra: tuple[context.Job, ...] = ()  # pages an extension makes of its own (looked at like edited posts')
    folders: Folders | None = None  # the output folders as the last build left them: their files are not looked at
    others: Splicer | None = None  # "Các tin khác" spliced (others.py); None: part of each article's fingerprint

    def keys(self, fragments: dict[str, str]) -> tuple[str, str]:
        """The key of the partials spliced into pages in this build and in the last: the shared partials and
        "Các tin khác" of every category."""
        now = self.others.now if self.others is not None else {}
        return fragments_key(fragments, now), fragments_key(self.saved.fragments, self.saved.others)

    @functools.cached_property
    def posts(self) -> dict[str, Post]:
        """The published posts by source: an article's variables are made of its post."""
        return {post.source: post for post in self.cat.posts}

    def copy_name(self, out: str) -> str:
        """The static file published as `out`, named for a message."""
        try:
            return self.copies[out].relative_to(self.site).as_posix()
        except ValueError:
            return self.copies[out].as_posix()


def fragments_key(fragments: dict[str, str], others: dict[str, str] | None = None) -> str:
    parts = [part for name in sorted(fragments) for part in (name, fragments[name])]
    if others:
        parts += ["\x03", *[part for name in sorted(others) for part in (name, others[name])]]
    return digest(*parts)


def layout_key(cat: catalog.Catalog, prints: Fingerprints, copies: dict[str, Path], extra: str) -> str:
    """What every page but those showing a whole post is made of, the shared partials aside.

    Besides the templates, the config and the shared variables (prints.base),
    every such page sees posts only as Cards or Links, and which pages exist
    follows from the published posts in order (their Cards) and their aliases.
    The static files' paths are in it too: one that takes a page's place is a
    problem the full plan reports. Equal keys mean those pages are the last
    build's but for the shared partials they show.
    """
    parts = [prints.base, extra, *sorted(copies), "\x02"]
    for post in cat.posts + cat.pages:
        parts += [prints.of_card(cat, post), "\x01".join(post.aliases)]
    return digest(*parts)


def full_plan(ground: Ground, keys: ArticleKeys, jobs_for: JobsFor, fragments: dict[str, str]) -> Plan:
    """Sort every page into kept (intact), spliced (only the shared partials changed) or rendered."""
    plan, makers, saved = Plan(), {}, ground.saved
    now_key, last_key = ground.keys(fragments)
    can_splice = set(fragments) == set(saved.fragments)
    if ground.remember:  # an article's fingerprint is its cheap key; with --no-cache no page's is kept
        for post in ground.cat.posts:
            keys.note(post)
    for job in jobs_for():  # no fingerprint needs an article's variables: its worker makes them
        if job.out in makers or job.out in ground.copies:
            other = makers.get(job.out) or ground.copy_name(job.out)
            plan.problems.append(problem(job.source, 1, "duplicate_url", url="/" + job.out, other=other))
            continue
        makers[job.out] = job.source
        if not ground.remember:
            plan.fingerprints[job.out] = ("", "")
            plan.jobs.append(_made_later(ground, job))
            continue
        _sort(ground, plan, job, keys.fingerprint(job), (now_key, last_key if can_splice else None))
    return plan


def _sort(ground: Ground, plan: Plan, job: context.Job, own: str, keys: tuple[str, str | None]) -> None:
    """Keep, splice or render one page whose own fingerprint is `own`; keys: the shared partials' of this
    build and of the last one (None: they cannot be spliced).

    A page is spliced only when the last build wrote it under its current own
    fingerprint together with that build's partials. Whether its file is still
    the one written is not looked at here: the splice reads the file only if it
    has the recorded size and mtime (render.splice_one), and renders the page
    otherwise.
    """
    now_key, last_key = keys
    plan.fingerprints[job.out] = (digest(own, now_key), own)
    record = ground.saved.pages.get(job.out)
    if intact(ground.output, job.out, record, plan.fingerprints[job.out][0]):
        plan.kept.append(job.out)
    elif (last_key not in (None, now_key) and record is not None and record[0] == digest(own, last_key)
          and record[3] == own and _own_change(ground, plan, job)):
        plan.splices[job.out] = _made_later(ground, job)
    else:
        plan.jobs.append(_made_later(ground, job))


def _own_change(ground: Ground, plan: Plan, job: context.Job) -> bool:
    """Note the change of "Các tin khác" an article to splice needs; False when it cannot be spliced."""
    if ground.others is None or job.template != context.ARTICLE:
        return True
    change = ground.others.change(job.source)
    if change is not None and change[0] != change[1]:
        plan.own_changes[job.out] = change
    return change is not None


def plan_unchanged(ground: Ground, keys: ArticleKeys, digests: dict[str, str], layout: str,
                   fragments: dict[str, str], jobs_for: JobsFor) -> Plan | None:
    """The plan when only whole posts, the counted views and the shared partials changed (a body edit, an
    hourly count of views): the posts' own pages and the statistics page are looked at, and every other page
    is kept as it is or gets the new partials spliced in.

    None (make the full plan) unless the layout is the last build's, the
    partials are the same ones, and every other page is still as that build wrote it.
    """
    saved, cat = ground.saved, ground.cat
    if not ground.remember or layout != saved.layout_key or not _same_partials(ground, fragments):
        return None
    changed = [p for p in cat.posts + cat.pages if digests[p.source] not in saved.post_digests]
    jobs = [job for post in changed for job in context.own_jobs(ground.cfg, cat, post)] + list(ground.own_extra)
    jobs.append(context.stats_job(ground.cfg, cat))  # the counted views, which no Card shows
    for post in changed:
        if not post.is_page:  # standalone pages have no cheap key
            keys.note(post)  # so that the article's fingerprint is its cheap key, as in the full plan
    now_key, last_key = ground.keys(fragments)
    as_written = _as_written(ground, {job.out for job in jobs}, last_key, look=now_key == last_key)
    if as_written is None:
        return None  # a page was touched or removed: the full plan finds and renders it
    plan = Plan(layout_kept=True)
    if now_key == last_key:
        plan.fingerprints, plan.kept = as_written, list(as_written)
    else:  # the rest of every page is the last build's: the new partials go in, from the records alone
        plan.fingerprints = {out: (digest(own, now_key), own) for out, (_, own) in as_written.items()}
        plan.splices = dict.fromkeys(as_written)
        plan.find_job = _finder(ground, jobs_for)
    for job in jobs:
        _sort(ground, plan, job, keys.fingerprint(job), (now_key, last_key))
    return plan


def _same_partials(ground: Ground, fragments: dict[str, str]) -> bool:
    """The shared partials are the last build's ones (their HTML may differ), and "Các tin khác" is the
    same HTML as in the last build (it follows the layout: it changes only with a full plan)."""
    others = ground.others.now if ground.others is not None else {}
    return set(fragments) == set(ground.saved.fragments) and others == ground.saved.others


def _finder(ground: Ground, jobs_for: JobsFor) -> Callable[[str], context.Job]:
    """The job of a page by its output path, for the rare splice that cannot be done (every job is listed
    on the first call; an article's variables are made only for the one rendered)."""
    found: dict[str, context.Job] = {}

    def find(out: str) -> context.Job:
        if not found:
            found.update((job.out, _made_later(ground, job)) for job in jobs_for())
        return found[out]

    return find


def _as_written(ground: Ground, own_outs: set[str], last_key: str,
                look: bool = True) -> dict[str, tuple[str, str]] | None:
    """The last build's pages but the changed posts' own (and static files), by output path, with their
    fingerprints; None if one of them is no longer as that build wrote it with its partials (a page in an
    unchanged folder is, folders.py).

    `look` False: the pages are all to be spliced, and each splice reads its
    page only if its file has the size and mtime recorded (render.splice_one),
    or renders it: their files need no look here.
    """
    kept, folders = {}, ground.folders
    for out, record in ground.saved.pages.items():
        if out in ground.copies or out in own_outs:
            continue
        if record[0] != digest(record[3], last_key):
            return None
        if look and (folders is None or not folders.unchanged(out)) and not intact(ground.output, out, record,
                                                                                    record[0]):
            return None
        kept[out] = (record[0], record[3])
    return kept


def _made_later(ground: Ground, job: context.Job) -> context.Job:
    """The job with its variables left to be made where it is rendered (context.Job.with_context): an
    article that comes without them gets their maker."""
    if job.context is None and job.make is None:
        return job.made_by(functools.partial(_article_variables, ground.cfg, ground.cat, ground.posts[job.source]))
    return job


def _article_variables(cfg: Config, cat: catalog.Catalog, post: Post) -> dict[str, Any]:
    return context.article_job(cfg, cat, post).context or {}
