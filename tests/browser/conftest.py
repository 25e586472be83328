"""Browser tests: the sample site built once, served on 127.0.0.1, driven by Playwright in Debian's Chromium.

Every test in this folder is skipped (with the reason) when the playwright package
or the Chromium binary is missing. Never run `playwright install`: the browser is
Debian's (`apt-get install chromium`), `CHROMIUM=/path` picks another binary.
"""

from __future__ import annotations

import http.server
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# 2026-11-27 00:00 UTC: every sample post is published except the one scheduled for 2027.
BUILD_EPOCH = "1795737600"
DESKTOP = {"width": 1366, "height": 900}
HERE = Path(__file__).resolve().parent


def _missing() -> str:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright Python package is not installed (pip install -r tests/requirements.txt)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return ""


SKIP_REASON = _missing()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not SKIP_REASON:
        return
    marker = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(marker)


# --- the site ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    root: Path  # the built folder
    base: str  # http://127.0.0.1:PORT (no trailing slash)
    article: str  # an article with a table and photos
    other_article: str  # another article
    category: str
    tag: str
    missing: str = "/khong-co-trang-nay/"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def pages(self) -> dict[str, str]:
        """The pages every check runs on, by a short name."""
        return {"home": "/", "article": self.article, "category": self.category, "tag": self.tag,
                "stats": "/thong-ke/", "404": self.missing}


def _site_path(file: Path, root: Path) -> str:
    rel = file.relative_to(root).as_posix()
    return "/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel


def _pick_pages(root: Path) -> dict[str, str]:
    """Find the pages to test in the built site, so the tests follow the sample content."""
    articles: list[tuple[Path, str]] = []
    for file in sorted(root.rglob("index.html")):
        html = file.read_text(encoding="utf-8")
        if 'property="og:type" content="article"' in html:
            articles.append((file, html))
    rich = []
    for file, html in articles:
        body = re.search(r'<article class="article">.*?</article>', html, re.S)
        if body and "<table" in body.group(0) and body.group(0).count("<figure") >= 2:
            rich.append(file)
    assert rich, "the sample site needs an article with a table and at least two photos"
    article = rich[0]
    other = next(f for f, _ in articles if f != article)
    nav = re.search(r'<ul class="nav-list".*?</nav>', (root / "index.html").read_text(encoding="utf-8"), re.S)
    assert nav, "no navigation list on the home page"
    listings = [href for href in re.findall(r'href="([^"]+)"', nav.group(0))[1:]
                if 'class="list-title"' in (root / href.strip("/") / "index.html").read_text(encoding="utf-8")]
    category = listings[0]
    tags = sorted(p for p in (root / "tag").iterdir() if (p / "index.html").is_file())
    assert tags, "no tag pages"
    return {"article": _site_path(article, root), "other_article": _site_path(other, root),
            "category": category, "tag": _site_path(tags[0] / "index.html", root)}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; a folder serves its index.html, a missing file 404.html with status 404."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
                      ".xml": "application/xml", ".json": "application/json"}

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site of the repository, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("browser-site") / "public"
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "PYTHONIOENCODING": "utf-8"}
    members = out.parent / "xa-phuong"  # the sample's communes, kept out of the repository too
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--output", str(out), "--members-output",
                           str(members)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="session")
def site(built_site: Path) -> Iterator[Site]:
    """The built sample site, served on 127.0.0.1 on a free port."""
    handler = partial(_Handler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root=built_site, base=f"http://127.0.0.1:{server.server_address[1]}", **_pick_pages(built_site))
    finally:
        server.shutdown()
        server.server_close()


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # A private TMPDIR: Chromium leaves its scratch files there.
    scratch = tmp_path_factory.mktemp("chromium-tmp")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                                 env={**os.environ, "TMPDIR": str(scratch)})
    try:
        yield chromium
    finally:
        chromium.close()
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class Traffic:
    """What the pages of one browser context asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[..., tuple[Any, Traffic]]]:
    """new_context(**options) -> (context, traffic): every request that would leave 127.0.0.1 is
    refused and recorded; console errors (CSP violations included) are recorded per page."""
    contexts = []

    def make(**options: Any) -> tuple[Any, Traffic]:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "vi-VN")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        traffic = Traffic()

        def route(route: Any) -> None:
            url = route.request.url
            if _is_local(url):
                route.continue_()
            else:
                traffic.blocked.append(url)
                route.abort()

        def watch(page: Any) -> None:
            page.on("console", lambda msg: traffic.errors.append(f"{msg.location.get('url')}: {msg.text}")
                    if msg.type == "error" else None)
            page.on("pageerror", lambda exc: traffic.errors.append(f"{page.url}: {exc}"))

        context.route("**/*", route)
        context.on("request", lambda request: traffic.requests.append(request.url))
        context.on("page", watch)
        contexts.append(context)
        return context, traffic

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def desktop(new_context: Callable[..., tuple[Any, Traffic]]) -> tuple[Any, Traffic]:
    """A page at 1366x900 and what it did."""
    context, traffic = new_context()
    return context.new_page(), traffic


@pytest.fixture
def phone_context(new_context: Callable[..., tuple[Any, Traffic]]) -> Callable[[int], tuple[Any, Traffic]]:
    """phone_context(width) -> (page, traffic) of a touch phone with that viewport width."""

    def make(width: int) -> tuple[Any, Traffic]:
        context, traffic = new_context(viewport={"width": width, "height": 800}, device_scale_factor=2,
                                       is_mobile=True, has_touch=True)
        return context.new_page(), traffic

    return make
