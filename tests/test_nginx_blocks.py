"""The README's nginx blocks for a province and its communes, served by a real nginx on 127.0.0.1.

The blocks are taken from the README as written: the http block's maps and the server's headers and
locations of "Publishing on a web server" become the snippet that the province's blocks include; only
the port and the folders are changed, and its workers run as this user (who alone may read pytest's
folders). `.ci/run` installs nginx (Debian's nginx-light).
"""

from __future__ import annotations

import getpass
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT, cli_run

SAMPLE_EPOCH = "1795737600"  # 2026-11-26: the sample's posts, the communes' too, are published
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not os.access(NGINX, os.X_OK), reason="nginx is not installed (.ci/run installs it)")


def readme_blocks() -> list[str]:
    return re.findall(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def snippet_and_maps(block: str) -> tuple[str, str]:
    """(the server's headers and locations, the http block's maps) of the single-site block."""
    maps, server = block.split("\nserver {", 1)
    lines = server.rsplit("}", 1)[0].splitlines()
    kept = [line for line in lines if not re.match(r"\s*(listen|server_name|root|index)\b", line)]
    return "index index.html;\n" + "\n".join(kept), maps


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    home = tmp_path_factory.mktemp("nginx")
    www = home / "www"
    site = home / "mau-son"
    shutil.copytree(ROOT, site, ignore=shutil.ignore_patterns(
        "public", ".sitegen-cache", ".venv", ".git", "tests", "bench", "__pycache__", ".ruff_cache"))
    os.environ["SOURCE_DATE_EPOCH"] = SAMPLE_EPOCH
    try:
        code, _, err = cli_run("build", "--site", str(site), "--output", str(www / "mauson"),
                               "--members-output", str(www / "xa"))
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert code == 0, err
    single = next(block for block in readme_blocks() if "$sitegen_scripts" in block and "\nserver {" in block)
    province = next(block for block in readme_blocks() if "$commune_key" in block)
    snippet, maps = snippet_and_maps(single)
    (home / "sitegen.conf").write_text(snippet, encoding="utf-8")
    port = free_port()
    servers = (province.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
               .replace("/var/www/", f"{www}/").replace("snippets/sitegen.conf", str(home / "sitegen.conf")))
    temp = " ".join(f"{kind}_temp_path {home / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (home / "nginx.conf").write_text(
        f"daemon off;\nuser {getpass.getuser()};\npid {home / 'nginx.pid'};\nerror_log {home / 'error.log'};\n"
        "events {}\n"
        f"http {{\naccess_log off;\ninclude /etc/nginx/mime.types;\n{temp}\n{maps}\n{servers}\n}}\n",
        encoding="utf-8")
    proc = subprocess.Popen([NGINX, "-p", str(home), "-c", str(home / "nginx.conf"), "-e", str(home / "error.log")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    assert proc.poll() is None, (proc.stdout.read().decode() if proc.stdout else "") + (home / "error.log").read_text()
    yield port
    proc.send_signal(signal.SIGQUIT)
    proc.wait(timeout=10)


def get(port: int, host: str, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": host})
    answer = conn.getresponse()
    body = answer.read().decode("utf-8", "replace")
    conn.close()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body


def test_the_province_and_each_commune_answer_on_their_own_host(nginx: int) -> None:
    status, headers, body = get(nginx, "mauson.gov.vn", "/")
    assert status == 200 and "tỉnh Mẫu Sơn" in body and "Tin từ cơ sở" in body
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    status, _, body = get(nginx, "tanhoa.mauson.gov.vn", "/")
    assert status == 200 and "Tân Hòa" in body and 'class="portal-link"' in body
    status, _, body = get(nginx, "bacson.mauson.gov.vn", "/")
    assert status == 200 and "Bắc Sơn" in body
    status, headers, _ = get(nginx, "mauson.gov.vn", "/tim-kiem/")
    assert status == 200 and "'wasm-unsafe-eval'" in headers["content-security-policy"]


def test_www_goes_to_the_portal_and_an_unknown_host_gets_nothing(nginx: int) -> None:
    status, headers, _ = get(nginx, "www.mauson.gov.vn", "/thong-bao/")
    assert status == 301 and headers["location"] == "https://mauson.gov.vn/thong-bao/"
    for path in ("/", "/xa-tan-hoa/", "/phuong-bac-son/index.html"):
        assert get(nginx, "khongco.mauson.gov.vn", path)[0] == 404, path  # not every commune's folder


def test_the_generators_dot_files_are_not_served(nginx: int) -> None:
    for host in ("mauson.gov.vn", "tanhoa.mauson.gov.vn"):
        assert get(nginx, host, "/.sitegen-files")[0] == 403
        assert get(nginx, host, "/thong-bao/.tmp-1-1")[0] == 403
    assert get(nginx, "mauson.gov.vn", "/khong-co-trang-nay/")[0] == 404
