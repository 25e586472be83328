"""Command line: build | serve | new | check, the common options, exit codes."""

from __future__ import annotations

import argparse
import gc
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__

if TYPE_CHECKING:
    from sitegen import pipeline, province
    from sitegen.problems import Problem

# i18n, problems and the stages are imported where they are used: a build first parses its options and starts
# looking at its files (run_build), then imports the rest.

COMMANDS = ("build", "serve", "new", "check", "views")
PROG = "python build.py"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder holding site.toml (default: the current folder)")
    parser.add_argument("--output", type=Path, metavar="DIR",
                        help="where to write the site (default: public/ inside the site folder)")
    parser.add_argument("--drafts", action="store_true", help="also publish posts marked draft: true")
    parser.add_argument("--future", action="store_true", help="also publish posts dated after the build time")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="worker processes for Markdown and pages (default: one per core)")
    parser.add_argument("--no-cache", action="store_true",
                        help="ignore the build cache in the site folder (a cold build)")
    parser.add_argument("--wait", type=float, default=600.0, metavar="SECONDS",
                        help="when another build is writing to the same output, wait this long for it "
                             "(default: 600; 0: give up at once)")
    province = parser.add_argument_group("a province and its communes ([[members]] in site.toml)")
    province.add_argument("--members-output", type=Path, metavar="DIR",
                          help="write each member into DIR/<key>/ (default: public/ inside its own folder)")
    province.add_argument("--only", metavar="KEY", help="build just the member KEY")
    province.add_argument("--no-members", action="store_true",
                          help="build just the province (its member news still read from the members' sources)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Build a Vietnamese news portal from Markdown posts. Without a command, builds.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build the site into the output folder (the default)",
                                description="Build the site into the output folder (public/ by default).")
    _common(build)
    check = commands.add_parser("check", help="validate everything and write nothing",
                                description="Validate site.toml, every post, data file and template, "
                                            "and links to missing files; write nothing. Exit 0 only when clean.")
    _common(check)
    serve = commands.add_parser("serve", help="preview on 127.0.0.1 with live reload",
                                description="Build into .sitegen-cache/preview/ (kept, so the next start "
                                            "rebuilds only what changed), then serve the site on 127.0.0.1 "
                                            "and rebuild and reload the browser on every change to content/, "
                                            "templates/, assets/, data/ or site.toml.")
    _common(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default: 127.0.0.1; only change it on a trusted network)")
    new = commands.add_parser("new", help="create a new draft post with its front matter",
                              description="Create content/<category-key>/<year>/<slug>.md (or "
                                          "content/pages/<slug>.md with --page), dated now, draft: true, "
                                          "and print its path. Never overwrites a file.")
    new.add_argument("title", nargs="?", help='the title, e.g. "Kiểm tra công tác cải cách hành chính"')
    new.add_argument("--category", help="category name or key (default: the first in site.toml)")
    new.add_argument("--page", action="store_true", help="create a standalone page under content/pages/")
    new.add_argument("--schedule", action="store_true",
                     help="write next week's work schedule, content/lich-cong-tac/<year>-W<week>.toml, "
                          "with its working days laid out (no title needed)")
    new.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                     help="the site folder holding site.toml (default: the current folder)")
    views = commands.add_parser(
        "views", help="count page views from web server access logs into data/views.json",
        description="Read nginx or Apache 'combined' access logs (plain or gzip, any order, rotated or not) "
                    "and add the views they show to data/views.json. Logs already read add nothing; a log "
                    "that grew adds only its new lines. Run `build` afterwards to show the counts.")
    views.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="access log files, e.g. access.log*")
    views.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                       help="the site folder holding site.toml (default: the current folder)")
    return parser


def _configure_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None, look_ahead: bool = False) -> int:
    """Run a command; `look_ahead`: the process is build.py's own, with a single thread (see run_build)."""
    _configure_output()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")
    options = make_parser().parse_args(args)
    if options.command == "new":
        return run_new(options)
    if options.command == "serve":
        return run_serve(options)
    if options.command == "views":
        return run_views(options)
    return run_build(options, check_only=options.command == "check", look_ahead=look_ahead)


def program() -> int:
    """`main` as build.py runs it, a process of its own: what it made is then frozen (gc.freeze), so that the
    collections the interpreter makes as it exits pass over its tens of thousands of objects, none of them
    garbage (some 40 ms of a body edit's build); the process's memory goes with it all the same."""
    code = main(look_ahead=True)
    gc.freeze()
    return code


def run_new(args: argparse.Namespace) -> int:
    from sitegen import i18n, newpost

    if args.schedule:
        made, found, lang = newpost.create_week(args.site)
    elif args.title is None:
        print("python build.py new: a title is needed, e.g. new \"Tiêu đề bài viết\" (or --schedule)",
              file=sys.stderr)
        return 2
    else:
        made, found, lang = newpost.create(args.site, args.title, args.category, args.page)
    for item in found:
        print(i18n.format_problem(item, lang), file=sys.stderr)
    if made is None:
        return 1
    print(made.rel if args.site == Path(".") else made.path)
    return 0


def run_views(args: argparse.Namespace) -> int:
    from sitegen import i18n, viewcount

    tally, lang, found = viewcount.count_logs(args.site, args.logs)
    for item in found:
        print(i18n.format_problem(item, lang), file=sys.stderr)
    if tally is None:
        return 1
    print(viewcount.summary(tally, lang))
    return 1 if any(p.severity == "error" for p in found) else 0


def run_serve(args: argparse.Namespace) -> int:
    from sitegen import i18n, preview_folder, serve
    from sitegen.problems import os_problem, problem

    args.site = args.site.resolve()  # the watcher and the build then name files alike
    lang = site_language(args.site)
    if not 1 <= args.port <= 65535:
        print(f"{PROG} serve: {i18n.message(problem('', 0, 'bad_port', value=args.port), lang)}", file=sys.stderr)
        return 2
    keep, whole = args.output is not None, is_province(args)
    alone = None if whole else member_alone(args, " serve")
    if args.only or args.no_members:  # the province's pages link every member: a part of it would show stale ones
        alone = problem(str(args.site / "site.toml"), 0, "serve_part")
    if alone is not None:
        print(f"{PROG} serve: {i18n.message(alone, lang)}", file=sys.stderr)
        return 1
    fresh, args.no_cache = args.no_cache, False  # --no-cache: serve starts from nothing, then keeps its caches
    folder = None if keep else preview_folder.take(args.site)
    temporary = folder is not None and folder.temporary
    if folder is not None:
        args.output = folder.path if whole else folder.path / "site"
        if folder.temporary:
            print(i18n.message(problem(str(args.site), 0, "serve_temporary", "note"), lang), flush=True)
    previous = signal.signal(signal.SIGTERM, _stop)  # stopped by a service manager: clean up as for Ctrl+C
    try:
        if whole:
            origin = f"http://{args.host}:{args.port}"
            return serve.serve_province(province_settings(args, preview_origin=origin), args.host, args.port,
                                        keep_output=keep, fresh=fresh, temporary=temporary)
        return serve.serve(options_from(args), args.host, args.port, fresh=fresh, temporary=temporary)
    except OSError as err:
        where = f"{args.host}:{args.port}"
        print(f"{PROG} serve: {i18n.message(os_problem('', 'serve_failed', err, value=where, file=''), lang)}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the server ran
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if folder is not None:  # kept for the next start, or (a temporary one) removed
            folder.close()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def site_language(site: Path) -> str:
    """The site's language for messages given before a build (site.toml unread: Vietnamese)."""
    from sitegen import config

    try:
        return config.guess_language((site / config.CONFIG_FILE).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return "vi"


def output_of(args: argparse.Namespace) -> Path:
    return args.output if args.output is not None else args.site / "public"


def options_from(args: argparse.Namespace, check_only: bool = False) -> pipeline.Options:
    from sitegen import pipeline

    site, output = args.site, output_of(args)
    return pipeline.Options(site=site, output=output, drafts=args.drafts, future=args.future,
                            strict=args.strict, check_only=check_only, workers=args.jobs,
                            use_cache=not args.no_cache, lock_wait=args.wait)


def report(result: pipeline.Result) -> None:
    from sitegen import i18n, markup

    for item in [*result.problems.sorted(), *result.notices]:
        print(i18n.format_problem(item, result.language), file=sys.stderr)
    note = markup.fallback_note(result.language)
    if note:
        print(note, file=sys.stderr)


def _worker_stopped(args: argparse.Namespace) -> pipeline.Result:
    """The failure of a build whose worker process was killed: every write was undone on the way out."""
    from sitegen.problems import problem

    return _refused(args, problem(str(output_of(args)), 0, "worker_stopped"))


def member_alone(args: argparse.Namespace, command: str) -> Problem | None:
    """The problem of a commune's folder built, checked or previewed on its own (config.enclosing_province);
    `command` as the fix names it ("", " check", " serve")."""
    from sitegen import config
    from sitegen.problems import problem

    found = config.enclosing_province(args.site)
    if found is None:
        return None
    fix = f"python build.py{command} --site {found[0]}" + ("" if command == " serve" else f" --only {found[1]}")
    return problem(str(args.site / config.CONFIG_FILE), 0, "member_built_alone", value=found[1],
                   province=found[0], fix=fix)


def _refused(args: argparse.Namespace, refusal: Problem) -> pipeline.Result:
    """A build's result that is this one problem (the build did not run, or ran and was undone)."""
    from sitegen import pipeline

    result = pipeline.Result(language=site_language(Path(args.site)))
    result.problems.append(refusal)
    return result


def is_province(args: argparse.Namespace) -> bool:
    from sitegen import config

    return bool(args.only or args.no_members or args.members_output) or config.has_members(args.site)


def province_settings(args: argparse.Namespace, check_only: bool = False,
                      preview_origin: str = "") -> province.Settings:
    from sitegen import province

    opts = options_from(args, check_only)
    return province.Settings(site=opts.site, output=opts.output, members_output=args.members_output,
                             only=args.only, no_members=args.no_members, drafts=opts.drafts, future=opts.future,
                             strict=opts.strict, check_only=check_only, workers=opts.workers,
                             use_cache=opts.use_cache, preview_origin=preview_origin, lock_wait=args.wait)


def _province_result(args: argparse.Namespace, check_only: bool) -> province.GroupResult | pipeline.Result:
    from sitegen import config, province
    from sitegen.problems import problem

    if args.only and args.output:  # --output is the province's, which --only does not build
        return _refused(args, problem(config.CONFIG_FILE, 1, "member_only_output"))
    return province.build(province_settings(args, check_only))


def run_build(args: argparse.Namespace, check_only: bool, look_ahead: bool = False) -> int:
    """Build or check the site (or the province). With `look_ahead`, a command-line build with its cache
    has its sources and output looked at while it imports its stages (incremental/lookahead.py): begun
    before it even knows whether the site is a province's, whose builds then stop it."""
    from sitegen.incremental import lookahead

    if look_ahead and not check_only and not args.no_cache and not (args.only or args.no_members
                                                                    or args.members_output):
        lookahead.begin(args.site, output_of(args))
    from sitegen import i18n

    try:
        if is_province(args):
            lookahead.end()
            result = _province_result(args, check_only)
        else:
            from sitegen import pipeline

            alone = member_alone(args, " check" if check_only else "")
            result = pipeline.run(options_from(args, check_only)) if alone is None else _refused(args, alone)
    except RuntimeError as err:  # a worker process killed, most often by the system when memory runs out
        from concurrent.futures import BrokenExecutor  # here: only a failed build pays for its import

        if not isinstance(err, BrokenExecutor):
            raise
        result = _worker_stopped(args)
    finally:
        lookahead.end()
    report(result)
    failed = result.problems.failed(args.strict)
    print(i18n.summary(result, check_only, failed), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
