"""The preview reloads an open page by itself: after an edit, while a post is broken, and once it is fixed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "site"
NOTICE = "/thong-bao/2024/lich-tiep-cong-dan/"
NOTICE_FILE = "content/thong-bao/2024/lich-tiep-cong-dan.md"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port",
                             str(port)], env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield site, base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _shows(text: str) -> str:
    """A page function true once the page shows `text`; false while a reload has no body yet (an error
    thrown by a waited-for function ends the wait at once, as a loaded machine showed)."""
    return f"() => document.body !== null && document.body.innerText.includes({text!r})"


def test_open_page_reloads_itself_through_edit_break_and_fix(preview: tuple[Path, str], new_context) -> None:
    site, base = preview
    context, _ = new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base + NOTICE)
    page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)  # the socket is open

    post = site / NOTICE_FILE
    _edit(post, "sáng thứ Năm", "chiều thứ Sáu")
    page.wait_for_function(_shows("chiều thứ Sáu"), timeout=10_000)

    _edit(post, "category: Thông báo", "category: Thong bao sai")
    page.wait_for_function(_shows("Thong bao sai"), timeout=10_000)
    assert NOTICE_FILE in page.inner_text("body")

    _edit(post, "category: Thong bao sai", "category: Thông báo")
    page.wait_for_function(_shows("Lượt xem"), timeout=10_000)
    assert "chiều thứ Sáu" in page.inner_text("body")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_the_error_page_fits_a_phone(preview: tuple[Path, str], phone_context) -> None:
    """The page that lists a build's errors is read at phone width too: its long paths wrap, nothing runs off."""
    site, base = preview
    page, _ = phone_context(360)
    page.goto(base + NOTICE)
    page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
    _edit(site / NOTICE_FILE, "category: Thông báo", "category: Thong bao sai")
    page.wait_for_function(_shows("Thong bao sai"), timeout=10_000)
    assert page.evaluate("window.innerWidth") == 360  # laid out at the phone's width, not zoomed out
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('li')).fontSize)")
    assert font >= 14
    # the messages are Vietnamese sentences: in the body's font, not a monospace one that may lack its letters
    assert page.evaluate("document.querySelectorAll('li code, li pre, li kbd, li samp, li tt').length") == 0
    assert page.evaluate("getComputedStyle(document.querySelector('li')).fontFamily") == page.evaluate(
        "getComputedStyle(document.body).fontFamily")
    assert NOTICE_FILE in page.inner_text("li")  # the path reads as typed, whatever its breaks
