"""Preview: build, serve the output on 127.0.0.1 with livereload, rebuild on every change.

Changes are detected by our own polling thread rather than livereload's
watcher, which only acts while a browser is connected and may reload before
the files are written; the reload is sent after the new files are in place.
"""

from __future__ import annotations

import html
import mimetypes
import os
import posixpath
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.server import LiveScriptContainer
from tornado import web
from tornado.httputil import HTTPServerRequest
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from sitegen import i18n, incremental, markup, pipeline, preview_folder, province, spare, writer
from sitegen.problems import Problems, problem

WATCHED = ("content", "templates", "assets", "data", "site.toml")
POLL_SECONDS = 0.2
NAME_MAX = 255  # bytes in one file name on the usual file systems; a longer URL segment names no file


def source_state(site: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every watched file: any edit, addition or removal changes it."""
    state: dict[str, tuple[int, int]] = {}
    pending = []
    for name in WATCHED:
        path = os.path.join(site, name)
        if os.path.isdir(path):
            pending.append(path)
        elif os.path.isfile(path):
            info = os.stat(path)
            state[path] = (info.st_mtime_ns, info.st_size)
    while pending:  # scandir: one cheap listing per folder, so polling 10,000 files stays light
        try:
            entries = [e for e in os.scandir(pending.pop()) if not e.name.startswith(".")]  # as the build
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not os.path.exists(os.path.join(entry.path, writer.MANIFEST)):  # a built site: no source
                        pending.append(entry.path)
                else:
                    info = entry.stat()
                    state[entry.path] = (info.st_mtime_ns, info.st_size)
            except OSError:
                continue
    return state


def page_lines(problems: Problems, language: str) -> list[str]:
    """The error page's lines: errors first. One broken template also leaves every link to the pages it
    did not write dead; those warnings must not push the error itself below the fold."""
    ordered = sorted(problems.sorted(), key=lambda p: p.severity != "error")
    return [i18n.format_problem(p, language) for p in ordered]


class Preview:
    """Holds the latest build result; the WSGI app serves the output or the error page."""

    def __init__(self, opts: pipeline.Options, echo: Callable[[str], None] = print) -> None:
        self.opts = opts
        self.echo = echo
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.language = "vi"
        self.prefix = "/"
        self.hosts: set[str] = set()  # the Host headers answered (allowed_hosts); empty: any

    def rebuild(self) -> bool:
        with self.lock:
            started = time.perf_counter()
            result = self.build()
            elapsed = time.perf_counter() - started
            failed = result.problems.failed(self.opts.strict)
            lines = [i18n.format_problem(p, result.language) for p in result.problems.sorted()]
            self.language = result.language
            self.errors = page_lines(result.problems, result.language) if failed else []
            self.prefix = _base_path(self.opts.site)
        note = markup.fallback_note(result.language)
        for line in lines + ([note] if note else []):
            self.echo(line)
        self.echo(f"{i18n.summary(result, False, failed)} ({elapsed:.2f} s)")
        return not failed

    def build(self) -> pipeline.Result | province.GroupResult:
        """One build of what is previewed (the lock is held), with its cache and quick paths as on the command line."""
        return pipeline.run(self.opts)

    def crashed(self, err: BaseException) -> None:
        """A rebuild that raised: shown on the error page and in the terminal; the next save tries again."""
        line = i18n.message(problem(str(self.opts.site), 0, "build_crashed", reason=f"{type(err).__name__}: {err}"),
                            self.language)
        self.errors = [line]
        self.echo(line)

    def member_keys(self) -> list[str]:
        """The members previewed under /<key>/ (a province's)."""
        return []

    def caches(self) -> list[Path]:
        """The build cache folders of what is previewed."""
        return [incremental.cache_dir_for(self.opts.site, self.opts.output)]

    def sources(self) -> dict[str, tuple[int, int]]:
        """What the watcher compares between polls."""
        return source_state(self.opts.site)

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        if self.hosts and environ.get("HTTP_HOST", "").lower() not in self.hosts:
            # A page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) must not read drafts.
            start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [f"421: {i18n.label('wrong_host', self.language)}\n".encode()]
        if self.errors:
            return self._error_page(start_response)
        if not path.startswith(self.prefix):
            return _redirect(start_response, self.prefix)
        status, headers, body = serve_file(self.opts.output, path[len(self.prefix) - 1:], self.prefix)
        start_response(status, headers)
        return [body]

    def _error_page(self, start_response: Callable) -> list[bytes]:
        english = self.language == "en"
        title = "The site could not be built" if english else "Chưa dựng được trang"
        advice = ("Fix the problems below and save; this page reloads by itself."
                  if english else "Hãy sửa các lỗi dưới đây rồi lưu tệp; trang sẽ tự tải lại.")
        items = "".join(f"<li>{_breakable(line)}</li>" for line in self.errors)
        body = (f'<!doctype html><html lang="{self.language}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{title}</title></head><body><main><h1>{title}</h1>"
                f"<p>{advice}</p><ul>{items}</ul></main></body></html>").encode()
        start_response("500 Build Error", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Cache-Control", "no-store")])
        return [body]


def _breakable(message: str) -> str:
    """A message of the error page, escaped, that a narrow screen may break after each "/" of its path.

    The page is read at a phone's width too, and holds no style of its own (nothing in it may run or restyle:
    tests/security): <wbr> lets a long path wrap, and the message keeps the body's font, which has the
    Vietnamese letters a monospace font may lack."""
    return html.escape(message).replace("/", "/<wbr>")


def _base_path(site: Path) -> str:
    from sitegen import config

    cfg, _ = config.load_config(site)
    return cfg.base_path if cfg else "/"


def _redirect(start_response: Callable, location: str) -> list[bytes]:
    start_response("302 Found", [("Location", location), ("Content-Type", "text/plain")])
    return [b""]


def allowed_hosts(host: str, port: int) -> set[str]:
    """Host headers the preview answers: the address it listens on and this machine's loopback names,
    with the port (and without it on port 80); listening on every address adds the machine's own name."""
    names = {host.lower(), "localhost", "127.0.0.1", "[::1]"}
    if ":" in host and not host.startswith("["):
        names.add(f"[{host.lower()}]")
    if host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return {f"{name}:{port}" for name in names} | (names if port == 80 else set())


def _internal(part: str) -> bool:
    """The writer's own files in the output (manifest, build marker, staged and spare files): never served."""
    return part in (writer.MANIFEST, writer.BUILDING, spare.FOLDER) or part.startswith(".tmp-")


def serve_file(root: Path, path: str, prefix: str = "/") -> tuple[str, list[tuple[str, str]], bytes]:
    """Map a URL path to a file of `root` the way a static web server does; never outside it."""
    clean = posixpath.normpath("/" + path.lstrip("/"))
    parts = [p for p in clean.split("/") if p]
    if _refused(path, parts):
        return _not_found(root)
    try:
        resolved = root.joinpath(*parts).resolve()
        resolved.relative_to(root.resolve())
        if resolved.is_dir():
            if not path.endswith("/"):
                return "301 Moved Permanently", [("Location", prefix.rstrip("/") + clean + "/")], b""
            resolved = resolved / "index.html"
        if not resolved.is_file():
            return _not_found(root)
        body = resolved.read_bytes()
    except (ValueError, OSError):  # outside, a name the file system refuses, unreadable: not there
        return _not_found(root)
    return "200 OK", [("Content-Type", _content_type(resolved.name)), ("Cache-Control", "no-store")], body


def _refused(path: str, parts: list[str]) -> bool:
    """A path no static server should map to a file: NUL, `..`, backslashes, the writer's own files,
    a segment longer than any file name."""
    return ("\x00" in path or ".." in path.split("/") or "\\" in path
            or any(_internal(p) or len(p.encode("utf-8", "surrogatepass")) > NAME_MAX for p in parts))


def _content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/xml", "application/json", "application/javascript"):
        kind += "; charset=utf-8"
    return kind


def _not_found(root: Path) -> tuple[str, list[tuple[str, str]], bytes]:
    page = root / "404.html"
    body = page.read_bytes() if page.is_file() else b"404"
    return "404 Not Found", [("Content-Type", "text/html; charset=utf-8")], body


class PreviewServer(Server):
    """livereload's server with its script loaded from a file, so the theme's CSP allows it."""

    def __init__(self, app: Preview, port: int) -> None:
        super().__init__(app)
        self.port = port

    def get_web_handlers(self, script: bytes) -> list:
        tag = b'<script src="/livereload.js?port=%d"></script>' % self.port
        return [(r".*", web.FallbackHandler, {"fallback": _Container(self.app, tag)})]


class _Container(LiveScriptContainer):
    """livereload's WSGI container; a HEAD request gets the GET response's status and headers, no body
    (livereload writes the body, which tornado refuses for HEAD, and the client got an empty reply)."""

    def __call__(self, request: HTTPServerRequest) -> None:
        if request.method == "HEAD":
            request.connection = _WithoutBody(request.connection)
        super().__call__(request)


class _WithoutBody:
    def __init__(self, connection: object) -> None:
        self._connection = connection

    def write_headers(self, start_line: object, headers: object, chunk: bytes | None = None) -> object:
        return self._connection.write_headers(start_line, headers)

    def __getattr__(self, name: str) -> object:
        return getattr(self._connection, name)


def watch_forever(preview: Preview, loop: IOLoop, stop: threading.Event, last: dict[str, tuple[int, int]]) -> None:
    """Rebuild after each change from `last` (the sources as the build before read them), then tell the
    open pages to reload."""
    while not stop.wait(POLL_SECONDS):
        now = preview.sources()
        if now == last:
            continue
        time.sleep(POLL_SECONDS / 2)  # let an editor finish writing
        now = preview.sources()
        last = now
        try:
            preview.rebuild()
        except Exception as err:  # noqa: BLE001 - the preview must outlive any content and keep watching
            preview.crashed(err)
        loop.add_callback(LiveReloadHandler.reload_waiters, "*")


def serve(opts: pipeline.Options, host: str, port: int, fresh: bool = False, temporary: bool = False) -> int:
    """Build, then serve until Ctrl+C (or SIGTERM: see cli.run_serve). OSError if the port cannot be had."""
    return _serve(Preview(opts), host, port, fresh, temporary)


def _serve(preview: Preview, host: str, port: int, fresh: bool, temporary: bool) -> int:
    """With `fresh` (--no-cache) the build caches of what is previewed go before the first build (which
    makes them anew); with `temporary` (a temporary folder, which no later preview uses) when it ends."""
    if fresh:
        preview_folder.forget(preview.caches())
    try:
        return _run(preview, host, port)
    finally:
        if temporary:
            preview_folder.forget(preview.caches())


def _run(preview: Preview, host: str, port: int) -> int:
    for sock in bind_sockets(port, host):  # a port already taken fails here, not after a first build of minutes
        sock.close()
    preview.hosts = allowed_hosts(host, port)
    seen = preview.sources()  # before the first build: a file saved while it runs is built next
    preview.rebuild()
    server = PreviewServer(preview, port)
    print(f"http://{host}:{port}{preview.prefix}  (Ctrl+C)", flush=True)
    for key in preview.member_keys():
        print(f"  {key}: http://{host}:{port}/{key}/", flush=True)
    server.application(port, host, liveport=None, debug=False)
    LiveReloadHandler.watcher = server.watcher
    loop = IOLoop.current()
    stop = threading.Event()
    thread = threading.Thread(target=watch_forever, args=(preview, loop, stop, seen), daemon=True)
    thread.start()
    caught = _stop_on_signals(loop)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        for signum, before in caught.items():  # the handlers of cli.run_serve again, for its clean-up
            loop.asyncio_loop.remove_signal_handler(signum)
            signal.signal(signum, before)
    return 0


def _stop_on_signals(loop: IOLoop) -> dict[int, Any]:
    """Stop the loop on Ctrl+C and SIGTERM from inside it; the signals so handled, with their handlers before.

    Python runs signal handlers in the main thread only. The kernel may hand a signal sent to the
    process to any thread: one taken by the watcher left the loop asleep in epoll, and the preview
    did not stop until something else woke it. asyncio's own handlers wake the loop through its pipe.
    """
    caught = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        before = signal.getsignal(signum)
        try:
            loop.asyncio_loop.add_signal_handler(signum, loop.stop)
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread, or no such handlers here
            continue
        caught[signum] = before
    return caught


class ProvincePreview(Preview):
    """A province with its communes: the province at `/`, each member at `/<key>/`, all rebuilt as one."""

    def __init__(self, settings: province.Settings, echo: Callable[[str], None] = print,
                 prune: Path | None = None) -> None:
        super().__init__(pipeline.Options(site=settings.site, output=settings.output, strict=settings.strict),
                         echo)
        self.settings, self.prune = settings, prune  # prune: the preview folder's xa/, for none but members
        self.members: list[str] = []  # as site.toml lists them, read again after each build

    def member_keys(self) -> list[str]:
        return self.members

    def caches(self) -> list[Path]:
        members, out = province.members_of(self.settings.site), self.settings.members_output or Path()
        return [*super().caches(), *(incremental.cache_dir_for(m.folder, out / m.key) for m in members)]

    def build(self) -> province.GroupResult:
        result = province.build(self.settings)
        members = {m.key: m.folder for m in province.members_of(self.settings.site)}
        self.members = list(members)
        if self.prune is not None and not result.problems.failed(self.opts.strict):  # a broken site.toml lists none
            preview_folder.prune_members(self.prune, members)
        return result

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        key = path.lstrip("/").split("/", 1)[0]
        wrong_host = self.hosts and environ.get("HTTP_HOST", "").lower() not in self.hosts
        if wrong_host or self.errors or key not in self.members or self.settings.members_output is None:
            return super().__call__(environ, start_response)  # the province's, the error page or the refusal
        root = self.settings.members_output / key
        status, headers, body = serve_file(root, path[len(key) + 1:] or "/", f"/{key}/")
        start_response(status, headers)
        return [body]

    def sources(self) -> dict[str, tuple[int, int]]:
        state = source_state(self.settings.site)
        for member in province.members_of(self.settings.site):
            state.update(source_state(member.folder))
        return state


def serve_province(settings: province.Settings, host: str, port: int, keep_output: bool, fresh: bool = False,
                   temporary: bool = False) -> int:
    """Preview a province and its members; without --output, all in the preview folder, the province in tinh/
    and the members in xa/ (preview_folder.py)."""
    root, own = settings.output, None if keep_output or settings.members_output else settings.output / "xa"
    if not keep_output:
        settings = replace(settings, output=root / "tinh", members_output=settings.members_output or root / "xa")
    elif settings.members_output is None:
        settings = replace(settings, members_output=root.parent / f"{root.name}-members")
    return _serve(ProvincePreview(settings, prune=own), host, port, fresh, temporary)
