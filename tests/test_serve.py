"""`serve` end to end: a real subprocess on a free port, edits picked up, errors shown, fixed again."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "site"
NOTICE = "/thong-bao/2024/lich-tiep-cong-dan/"
NOTICE_FILE = "content/thong-bao/2024/lich-tiep-cong-dan.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_for(url: str, predicate, timeout: float = 15.0) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(*last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {url}; last status {last[0]}")


def start_serve(tmp_path: Path) -> tuple[Path, int, subprocess.Popen]:
    """A copy of the golden site and `serve` of it on a free port (its output on the pipe)."""
    site = tmp_path / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("public"))
    port, proc = serve_site(site)
    return site, port, proc


def serve_site(site: Path, temp: Path | None = None, port: int = 0,
               extra: tuple[str, ...] = ()) -> tuple[int, subprocess.Popen]:
    """`serve` of `site` on `port` or a free one (its output on the pipe), with TMPDIR `temp` if given."""
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **({"TMPDIR": str(temp)} if temp else {})}
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site),
                             "--port", str(port), *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return port, proc


def stop(proc: subprocess.Popen) -> str:
    """Stop a preview as Ctrl+C does; what it printed."""
    proc.send_signal(signal.SIGINT)
    output = proc.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert proc.returncode == 0 and "Traceback" not in output, output
    return output


def written(summary: str) -> tuple[int, int]:
    """(files built, files written) of a build's summary line: "Đã dựng 84 tệp (3 ghi mới, ..."."""
    found = re.search(r"Đã dựng (\d+) tệp \((\d+) ghi mới", summary)
    assert found, summary
    return int(found[1]), int(found[2])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site, port, proc = start_serve(tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", lambda status, _: status == 200)
        yield site, base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
        assert "Traceback" not in output, output


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_edit_break_fix_cycle(served: tuple[Path, str]) -> None:
    site, base = served
    status, page = fetch(base + NOTICE)
    assert status == 200 and "tiếp công dân vào sáng thứ Năm" in page
    assert '<script src="/livereload.js?port=' in page

    post = site / NOTICE_FILE
    edit(post, "sáng thứ Năm", "chiều thứ Sáu")
    wait_for(base + NOTICE, lambda s, body: s == 200 and "chiều thứ Sáu" in body)

    edit(post, "category: Thông báo", "category: Thong bao sai")
    status, body = wait_for(base + NOTICE, lambda s, _: s != 200)
    assert status == 500
    shown = body.replace("<wbr>", "")  # a path may break after each "/" on a narrow screen
    assert f"{NOTICE_FILE}:" in shown and "Thong bao sai" in shown and "Thông báo" in shown
    assert "livereload.js" in body  # the error page reloads by itself when fixed

    edit(post, "category: Thong bao sai", "category: Thông báo")
    wait_for(base + NOTICE, lambda s, body: s == 200 and "chiều thứ Sáu" in body)


def test_pretty_urls_and_no_traversal(served: tuple[Path, str]) -> None:
    _, base = served
    request = urllib.request.Request(base + "/thong-bao")
    opener = urllib.request.build_opener(NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=5)
    assert moved.value.code == 301 and moved.value.headers["Location"].endswith("/thong-bao/")
    assert fetch(base + "/khong-co-trang/")[0] == 404
    port = int(base.rsplit(":", 1)[1])
    raw = socket.create_connection(("127.0.0.1", port))
    raw.sendall(b"GET /../../../../etc/passwd HTTP/1.0\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)  # the preview's Host
    answer = raw.recv(65536).decode("latin-1")
    raw.close()
    assert "root:" not in answer and answer.split()[1] in ("400", "404")


def test_build_output_never_has_the_livereload_script(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("public"))
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(site)], check=True,
                   capture_output=True)
    pages = list((site / "public").rglob("*.html"))
    assert pages and not any(b"livereload" in page.read_bytes() for page in pages)


def test_serve_binds_loopback_only(served: tuple[Path, str]) -> None:
    _, base = served
    port = int(base.rsplit(":", 1)[1])
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)} - {"127.0.0.1", "::1"}
    for address in addresses:
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
            sock.settimeout(1)
            assert sock.connect_ex((address, port)) != 0, f"reachable on {address}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def test_an_edit_saved_as_the_first_build_ends_is_built(tmp_path: Path) -> None:
    """The watcher compares with the sources as the first build read them, not as they were once it
    started: a post saved between the two is built, however long the preview took to start watching."""
    site, port, proc = start_serve(tmp_path)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().decode("utf-8")  # the first build's summary, before the server starts
        assert "Đã dựng" in first
        edit(site / NOTICE_FILE, "vào sáng thứ Năm", "vào sáng thứ Sáu")
        wait_for(f"http://127.0.0.1:{port}{NOTICE}", lambda status, body: "vào sáng thứ Sáu" in body)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_preview_started_again_rebuilds_only_what_changed(tmp_path: Path) -> None:
    """The preview builds into the site's own folder in its build cache and keeps it: started again after
    an edit, it builds from its cache (one page and what shows it), not everything, and no start leaves a
    cache folder of its own behind."""
    site, port, proc = start_serve(tmp_path)
    wait_for(f"http://127.0.0.1:{port}{NOTICE}", lambda status, _: status == 200)
    total, first = written(stop(proc))
    assert first == total > 50
    preview = site / ".sitegen-cache" / "preview" / "site"
    assert (preview / NOTICE.strip("/") / "index.html").is_file()
    caches = sorted(p.name for p in (site / ".sitegen-cache").iterdir())

    edit(site / NOTICE_FILE, "vào sáng thứ Năm", "vào sáng thứ Bảy")
    port, proc = serve_site(site)
    wait_for(f"http://127.0.0.1:{port}{NOTICE}", lambda status, body: "vào sáng thứ Bảy" in body)
    again, changed = written(stop(proc))
    assert again == total and 1 <= changed < total // 2, changed  # a new folder had every file written
    assert sorted(p.name for p in (site / ".sitegen-cache").iterdir()) == caches


def test_no_cache_starts_the_preview_from_nothing_and_its_rebuilds_from_the_new_cache(tmp_path: Path) -> None:
    """`serve --no-cache`: the caches of what it previews go before its first build, which makes them anew;
    an edit while it runs is then built from them."""
    site, port, proc = start_serve(tmp_path)
    wait_for(f"http://127.0.0.1:{port}/", lambda status, _: status == 200)
    stop(proc)
    caches = [p for p in (site / ".sitegen-cache").iterdir() if p.name != "preview"]
    assert len(caches) == 1
    (caches[0] / "left-by-an-older-build").write_text("x", encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port",
                             str(port), "--no-cache"], cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda status, _: status == 200)
        assert caches[0].is_dir() and not (caches[0] / "left-by-an-older-build").exists()
        edit(site / NOTICE_FILE, "vào sáng thứ Năm", "vào sáng thứ Hai")
        wait_for(f"http://127.0.0.1:{port}{NOTICE}", lambda status, body: "vào sáng thứ Hai" in body)
        time.sleep(1)  # the rebuild prints its summary just after its files are in place
    finally:
        printed = stop(proc)
    first, rebuilt = [written(line) for line in printed.splitlines() if line.startswith("Đã dựng")][:2]
    assert rebuilt[1] < first[0] // 2, printed  # the edit's rebuild wrote a few files, not the site


def test_a_second_preview_of_a_site_at_once_uses_a_temporary_folder(tmp_path: Path) -> None:
    """Two previews of one site at once do not build into one folder: the second says so, builds into a
    temporary folder and, when it stops, leaves neither that folder nor a cache of it behind."""
    site, port, first = start_serve(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda status, _: status == 200)
        caches = sorted(p.name for p in (site / ".sitegen-cache").iterdir())
        other, second = serve_site(site, temp)
        wait_for(f"http://127.0.0.1:{other}{NOTICE}", lambda status, body: "sáng thứ Năm" in body)
        assert [p.name for p in temp.iterdir()][0].startswith("sitegen-preview-")
        printed = stop(second)
        assert "bản này dựng vào một thư mục tạm" in printed.splitlines()[0], printed
        assert list(temp.iterdir()) == []
        assert sorted(p.name for p in (site / ".sitegen-cache").iterdir()) == caches
        assert fetch(f"http://127.0.0.1:{port}{NOTICE}")[0] == 200  # the first one serves on
    finally:
        stop(first)


def test_a_port_already_taken_fails_before_any_build(tmp_path: Path) -> None:
    """The port is checked first: no build of minutes, then an address that is another program's."""
    site = tmp_path / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("public"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port, proc = serve_site(site, port=taken.getsockname()[1])
        printed = proc.communicate(timeout=60)[0].decode("utf-8")
    assert proc.returncode == 1 and "cổng này đang được chương trình khác dùng" in printed, printed
    assert "Đã dựng" not in printed and "(Ctrl+C)" not in printed, printed


# serve in the main thread; once the watcher thread runs, SIGTERM is sent to that thread alone, as the kernel
# may hand a signal sent to the process to any of its threads
_SIGNAL_TO_THE_WATCHER = """
import signal, sys, threading, time
sys.path.insert(0, sys.argv[1])
from sitegen import cli

def signal_the_watcher():
    while True:
        watchers = [thread for thread in threading.enumerate() if "watch_forever" in thread.name]
        if watchers:
            time.sleep(0.5)
            signal.pthread_kill(watchers[0].ident, signal.SIGTERM)
            return
        time.sleep(0.05)

threading.Thread(target=signal_the_watcher, daemon=True).start()
sys.exit(cli.main(["serve", "--site", sys.argv[2], "--port", sys.argv[3]]))
"""


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_serve_stops_when_another_thread_takes_the_signal(tmp_path: Path, signal_name: str) -> None:
    """Python runs signal handlers in the main thread only: a signal the kernel handed to the watcher thread
    left the server's loop asleep, and the preview did not stop until something woke it (seen once in about
    twenty stops with a page open)."""
    site = tmp_path / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("public"))
    script = _SIGNAL_TO_THE_WATCHER.replace("SIGTERM", signal_name)
    proc = subprocess.Popen([sys.executable, "-c", script, str(ROOT), str(site), str(free_port())], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate(timeout=30)
        pytest.fail(f"serve did not stop after {signal_name}; it printed:\n{out.decode('utf-8', 'replace')}")
    assert proc.returncode == 0, out.decode("utf-8", "replace")
