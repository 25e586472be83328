"""One build for a province and its members: all written, or none.

The members are looked at first, in this process: a member whose stamp still
holds (stamps.py) and whose news records are those of its files is done
(skipped), at the cost of listing its files. The others are built through
the pipeline, spread over forked worker processes, the biggest first so that
no worker is left with a large member at the end; then the province, with
the news of every member. Every site stages its files, and only when all of
them built cleanly are they renamed into place (writer.commit_all).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen import config, dates, i18n, incremental, locking, pipeline, templates, workers, writer
from sitegen.loader import Parsed
from sitegen.model import Config
from sitegen.problems import Problem, Problems, os_problem, problem
from sitegen.province import news, refresh, stamps
from sitegen.province.members import (
    Member,
    MemberInfo,
    Settings,
    in_member,
    load_members,
    member_configs,
    member_output,
    member_url,
    outputs_left,
)
from sitegen.province.pages import MemberPortal, ProvinceNews
from sitegen.province.spread import run_tasks
from sitegen.text import closest, slugify

STAMP_FILE = "member-stamp.json"  # beside a member's cache
PROVINCE_STAMP_FILE = "province-stamp.json"  # beside the province's


@dataclass
class Outcome:
    """One site's build: its problems (paths from the province's folder) and its prepared write."""

    key: str  # "" for the province
    problems: list[Problem] = field(default_factory=list)
    pending: writer.Transaction | None = None
    stats: writer.WriteStats | None = None
    skipped: bool = False  # unchanged since its last build: not built at all
    stamp: dict | None = None  # written beside its cache once the group is committed
    records: list[news.Record] = field(default_factory=list)  # its posts as news (news.py)
    info: MemberInfo | None = None
    files: int = 0  # files of its output (checked, with `check`)
    notices: list[Problem] = field(default_factory=list)
    kept: bytes | None = None  # what the province's news pages were made from (refresh.py), saved with its stamp
    news_only: bool = False  # the province: only its pages showing member news were rendered (refresh.py)
    names: set[str] = field(default_factory=set)  # the files of its output (those this build made)


@dataclass
class GroupResult:
    language: str = "vi"
    problems: Problems = field(default_factory=Problems)
    outcomes: list[Outcome] = field(default_factory=list)
    pages: int = 0
    notices: list[Problem] = field(default_factory=list)  # notes for the operator; they never fail a build

    @property
    def stats(self) -> writer.WriteStats | None:
        done = [o.stats for o in self.outcomes if o.stats is not None]
        if not done:
            return None
        return writer.WriteStats(sum(s.written for s in done), sum(s.unchanged for s in done),
                                 sum(s.removed for s in done))


@dataclass(frozen=True)
class _Job:
    """What every member's build needs (inherited by forked workers)."""

    settings: Settings
    portal: tuple[str, str]  # the province's title and address, as each member's header links it
    theme: str  # stamps.theme of the province
    news_dir: Path  # where the province keeps what it read of each member
    build: bool  # False: read its news only (--no-members, or a failed province config)
    created: dict[str, bool] = field(default_factory=dict)  # member key ("" the province): output made by its lock


@dataclass(frozen=True)
class _Task:
    """A member to build (or whose news to read), with what was found looking at it."""

    member: Member
    cfg: Config
    files: news.Stats  # its files, listed before its build
    known: dict  # the news records of its last run
    inputs: str  # its stamp's digest of its inputs

    @property
    def size(self) -> int:
        """Bytes of Markdown: what building it costs, roughly."""
        return sum(info[0] for rel, info in self.files.items() if rel.endswith(".md"))


def build(settings: Settings) -> GroupResult:
    """Build (or check) the province and its members as one: all written, or none."""
    group = GroupResult()
    loaded = _load(settings, group)
    if loaded is None:
        return group
    cfg, chosen, configs = loaded
    outputs = {m.key: member_output(settings, m) for m in chosen if not settings.no_members}
    if settings.only is None:
        outputs[""] = settings.output
    locks = {} if settings.check_only else _lock_all(outputs, settings, group)
    if locks is None:
        return group
    try:
        portal_url = f"{settings.preview_origin}/" if settings.preview_origin else cfg.base_url
        job = _Job(settings, (cfg.title, portal_url), stamps.theme(settings.site),
                   incremental.cache_dir_for(settings.site, settings.output) / "members", build=not settings.no_members,
                   created={key: lock.created for key, lock in locks.items()})
        _build_compiled(group, job, cfg, [(m, configs[m.key]) for m in chosen])
    finally:
        for lock in locks.values():
            lock.release()
    return group


def _build_compiled(group: GroupResult, job: _Job, cfg: Config, chosen: list[tuple[Member, Config]]) -> None:
    """_build_all, with the templates the last build compiled taken from the province's cache and what this
    one compiled kept there."""
    settings, path = job.settings, job.news_dir.parent / templates.COMPILED_FILE
    if settings.use_cache and not settings.check_only:
        templates.load_compiled(path)
    _build_all(group, job, cfg, chosen)
    if not settings.check_only and not group.problems.failed(settings.strict):
        with contextlib.suppress(OSError):  # a cache: the next build compiles the templates again
            templates.save_compiled(path)


def _load(settings: Settings, group: GroupResult) -> tuple[Config, list[Member], dict[str, Config]] | None:
    """The province's config, its members (those chosen) and theirs; None when a problem stops the build."""
    problems, site = group.problems, settings.site
    raw_path = site / config.CONFIG_FILE
    if raw_path.is_file():
        group.language = config.guess_language(raw_path.read_text(encoding="utf-8", errors="replace"))
    cfg = problems.take(config.load_config(site))
    if cfg is None:
        return None
    group.language = cfg.language
    members = problems.take(load_members(site, cfg))
    if not members and not problems:
        problems.append(problem(config.CONFIG_FILE, 1, "no_members"))
    configs = problems.take(member_configs(members, cfg))
    # a member that did not load (its folder moved, say) is still listed: its site is not one left over
    problems.extend(_option_problems(settings, [m.key for m in members], listed_all=not problems.failed(False)))
    if problems.failed(settings.strict):
        return None
    return cfg, [m for m in members if m.key in configs and settings.only in (None, m.key)], configs


def _option_problems(settings: Settings, keys: list[str], listed_all: bool) -> list[Problem]:
    """What is wrong with the command line's --only, --no-members and --members-output (`keys`: those of the
    members loaded, every one listed when `listed_all`)."""
    found = outputs_left(settings, keys) if listed_all else []
    if settings.members_output is not None:  # inside the province's sources, it would be published by it
        found += pipeline.output_problems(pipeline.Options(settings.site, settings.members_output))
    if settings.only is not None and settings.no_members:
        found.append(problem(config.CONFIG_FILE, 1, "member_only_and_none"))
    elif settings.only is not None and settings.only not in keys:
        found.append(problem(config.CONFIG_FILE, 1, "member_unknown", value=settings.only,
                             hint=closest(settings.only, keys) or "", choices=", ".join(keys)))
    return found


def _build_all(group: GroupResult, job: _Job, cfg: Config, chosen: list[tuple[Member, Config]]) -> None:
    settings = job.settings
    count = workers.count(settings.workers)
    looked = [_look(job, member, member_cfg) for member, member_cfg in chosen]
    built = iter(run_tasks(member_task, job, [item for item in looked if isinstance(item, _Task)], count))
    group.outcomes = [next(built) if isinstance(item, _Task) else item for item in looked]
    if settings.only is None:
        folders = frozenset(os.fspath(member.folder) for member, _ in chosen)  # a member in the province's data/
        try:
            group.outcomes.append(_build_province(settings, job, cfg, group.outcomes, count, folders))
        except BaseException:  # e.g. a worker killed: the members' prepared writes go with the province's
            writer.abort_all([outcome.pending for outcome in group.outcomes if outcome.pending is not None])
            raise
    _gather(group, settings, [member for member, _ in chosen])
    _finish(group, settings)


def _gather(group: GroupResult, settings: Settings, members: list[Member]) -> None:
    """The sites' problems (in order, each once: a mistake in the province's theme is every site's), notes and
    files, and the group's own problems."""
    group.problems.extend(dict.fromkeys(item for outcome in group.outcomes for item in outcome.problems))
    group.notices.extend(item for outcome in group.outcomes for item in outcome.notices)
    group.problems.extend(_keys_of_pages(settings, group.outcomes, members))
    group.pages = sum(o.files for o in group.outcomes)


def _keys_of_pages(settings: Settings, outcomes: list[Outcome], members: list[Member]) -> list[Problem]:
    """A member key that names a page or folder at the top of the province's output (/gioi-thieu/, /van-ban/,
    /images/...): the member, previewed or published at /<key>/, would hide it. The province's files are
    those of this build, else (the province not built: --only, or nothing changed) those it last wrote."""
    names = writer.read_manifest(settings.output)
    for outcome in outcomes:
        if outcome.key == "":
            names |= outcome.names
    tops = {name.split("/", 1)[0] for name in names}
    return [problem(config.CONFIG_FILE, member.key_line, "member_key_is_page", value=member.key,
                    suggestion=f"xa-{slugify(Path(member.rel).name)}")  # after its folder: xa/tan-hoa
            for member in members if member.key in tops]


def _look(job: _Job, member: Member, cfg: Config) -> Outcome | _Task:
    """A member's outcome when it needs no work (its stamp holds, its news records are its files'), else
    its task. A check always builds: it reports every problem."""
    settings = job.settings
    shown = replace(cfg, base_url=member_url(settings, member, cfg))
    files = stamps.files(member.folder)
    known = stamps.read_json(job.news_dir / f"{member.key}.json") if settings.use_cache else {}
    inputs = _inputs(job, member, files)
    task = _Task(member, cfg, files, known, inputs)
    records = news.known_records(known, files, shown)
    if records is None:
        return task
    if job.build:
        if settings.check_only or not settings.use_cache:
            return task
        now = dates.build_time(cfg.tz, settings.environ)
        stamp = stamps.read_json(_stamp_path(settings, member))
        if not stamps.holds(stamp, inputs, member_output(settings, member), now):
            return task
        return Outcome(member.key, stats=_kept(stamp), skipped=True, records=records,
                       info=_info(settings, member, cfg))
    return Outcome(member.key, records=records, info=_info(settings, member, cfg))


def _inputs(job: _Job, member: Member, files: news.Stats) -> str:
    settings = job.settings
    options = [settings.drafts, settings.future, settings.strict, settings.preview_origin,
               os.fspath(member_output(settings, member).resolve())]
    return stamps.digest_of(files, options, job.portal, job.theme)


def _stamp_path(settings: Settings, member: Member) -> Path:
    return incremental.cache_dir_for(member.folder, member_output(settings, member)) / STAMP_FILE


def _info(settings: Settings, member: Member, cfg: Config) -> MemberInfo:
    return MemberInfo(member.key, cfg.title, member_url(settings, member, cfg), cfg.address, cfg.phone)


def _read_news(job: _Job, task: _Task, parsed: Parsed | None) -> tuple[list[news.Record], list[Problem]]:
    """A member's news (the files that changed read again), kept for the next run, and the problems of the
    files read (paths from the province's folder); the files read are added to `parsed`."""
    settings, member, cfg = job.settings, task.member, task.cfg
    shown = replace(cfg, base_url=member_url(settings, member, cfg))
    record, records, problems = news.read_news(member.folder, shown, task.known, task.files, parsed)
    if record != task.known and settings.use_cache and not settings.check_only:
        stamps.write_json(job.news_dir / f"{member.key}.json", record)
    return records, [in_member(member, item) for item in problems]


def member_task(job: _Job, task: _Task) -> Outcome:
    """Read one member's news (the files that changed) and build it (prepared only, unless `job.build` is off)."""
    settings, member, cfg = job.settings, task.member, task.cfg
    base_url = member_url(settings, member, cfg)
    parsed: Parsed | None = {} if job.build else None  # the member's build parses no file again
    records, problems = _read_news(job, task, parsed)
    outcome = Outcome(member.key, records=records, info=_info(settings, member, cfg))
    if not job.build:  # the member's build is not there to report them
        outcome.problems = problems
        return outcome
    out = member_output(settings, member)
    opts = pipeline.Options(site=member.folder, output=out, drafts=settings.drafts, future=settings.future,
                            strict=settings.strict, check_only=settings.check_only, environ=settings.environ,
                            workers=1, use_cache=settings.use_cache, theme=(settings.site,),
                            extension=MemberPortal(*job.portal, base_url if settings.preview_origin else ""),
                            defer_commit=True, output_created=job.created.get(member.key, False), parsed=parsed)
    result = pipeline.run(opts)
    outcome.problems = [in_member(member, p) for p in result.problems]
    outcome.notices = [in_member(member, p) for p in result.notices]
    outcome.pending, outcome.stats, outcome.files = result.pending, result.stats, result.pages
    now = result.build_time or dates.build_time(cfg.tz, settings.environ)
    until = stamps.next_change(cfg, now, news.due(records, now, settings.drafts, settings.future))
    outcome.stamp = {"inputs": task.inputs, "until": until.isoformat(),
                     "path": os.fspath(_stamp_path(settings, member))}
    return outcome


def _lock_all(outputs: dict[str, Path], settings: Settings, group: GroupResult) -> dict | None:
    """Lock every output the run writes (see locking.py) until the group is committed; None (and a
    problem) when another build holds one for longer than --wait."""
    locks: dict[str, locking.OutputLock] = {}
    for key, out in outputs.items():
        lock = locking.OutputLock(out)
        waiting = functools.partial(print, i18n.format_problem(problem(
            str(out), 0, "output_lock_waiting", "note", seconds=f"{settings.lock_wait:g}"), group.language),
            file=sys.stderr, flush=True)
        try:
            got = lock.acquire(settings.lock_wait, waiting)
        except OSError as err:
            group.problems.append(os_problem(str(out), "write_failed", err))
            got = None
        if not got:
            if got is not None:
                group.problems.append(problem(str(out), 0, "output_locked", seconds=f"{settings.lock_wait:g}"))
            for held in [*locks.values(), lock]:
                held.release()
                if held.created and held.out.is_dir() and not any(held.out.iterdir()):
                    held.out.rmdir()  # made only to be locked
            return None
        locks[key] = lock
    return locks


def _kept(stamp: dict) -> writer.WriteStats:
    """What a site not built at all reports: the files its last build left, all unchanged."""
    files = stamp.get("files")
    return writer.WriteStats(0, files if isinstance(files, int) else 0, 0)


def _build_province(settings: Settings, job: _Job, cfg: Config, outcomes: list[Outcome], count: int,
                    members: frozenset[str]) -> Outcome:
    """The province with its members' news: not built at all when its stamp holds (its files, the theme,
    the options, what it shows of its members, its output and the time are those of its last build); only
    its news pages when nothing but what it shows of its members changed (refresh.py)."""
    now = dates.build_time(cfg.tz, settings.environ)
    newest = news.newest([(o.key, o.info.title, o.records) for o in outcomes if o.info is not None], now,
                         settings.drafts, settings.future)
    extension = ProvinceNews(newest, [o.info for o in outcomes if o.info is not None], cfg.per_page)
    options = [settings.drafts, settings.future, settings.strict, settings.preview_origin,
               os.fspath(settings.output.resolve())]
    own = stamps.digest_of(stamps.files(settings.site, skip=members), options, job.theme)
    inputs = stamps.digest_of(own, extension.digest())
    stamp_path = incremental.cache_dir_for(settings.site, settings.output) / PROVINCE_STAMP_FILE
    stamp = stamps.read_json(stamp_path) if settings.use_cache and not settings.check_only else {}
    if stamp and stamps.holds(stamp, inputs, settings.output, now):
        return Outcome("", stats=_kept(stamp), skipped=True)
    fresh = {"inputs": inputs, "own": own, "key": extension.key(), "shown": extension.shown(cfg),
             "path": os.fspath(stamp_path), "searched": extension.searched(cfg)}
    if all(stamp.get(name) == fresh[name] for name in ("own", "key", "searched")):
        done = refresh.news_pages(settings.site, settings.output, extension, stamp, fresh, now,
                                  job.created.get("", False))
        if done is not None:  # only what shows member news changed (refresh.py)
            return Outcome("", done.problems, done.pending, done.stats, files=done.files, news_only=True,
                           stamp={**fresh, "until": stamp["until"]})
    opts = pipeline.Options(site=settings.site, output=settings.output, drafts=settings.drafts,
                            future=settings.future, strict=settings.strict, check_only=settings.check_only,
                            environ=settings.environ, workers=count, use_cache=settings.use_cache,
                            extension=extension, defer_commit=True, output_created=job.created.get("", False))
    result = pipeline.run(opts)
    until = stamps.next_change(cfg, result.build_time or now, result.next_due)
    return Outcome("", list(result.problems), result.pending, result.stats, files=result.pages,
                   notices=list(result.notices), stamp={**fresh, "until": until.isoformat()}, names=result.names,
                   kept=refresh.keep(extension, own) if result.pending is not None else None)


def _finish(group: GroupResult, settings: Settings) -> None:
    """Commit every prepared write together, or none of them."""
    pending = [o.pending for o in group.outcomes if o.pending is not None]
    if settings.check_only:
        return
    if group.problems.failed(settings.strict):
        writer.abort_all(pending)
        for outcome in group.outcomes:
            outcome.stats = None
        return
    try:
        done = writer.commit_all(pending)
    except (OSError, writer.UnsafePath) as err:
        group.problems.append(problem(str(settings.output), 0, "write_failed", reason=err))
        return
    committed = [o for o in group.outcomes if o.pending is not None]
    for outcome, stats in zip(committed, done, strict=True):
        outcome.stats = stats
        if outcome.stamp is not None and outcome.pending is not None:
            stamp = dict(outcome.stamp)
            path = Path(stamp.pop("path"))
            if outcome.kept is not None:
                refresh.save(refresh.pages_path(path), outcome.kept)
            stamps.write_json(path, {**stamp, "files": stats.written + stats.unchanged,
                                     "output": stamps.output_state(outcome.pending.out)})
