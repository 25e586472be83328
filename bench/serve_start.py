"""How long `serve` takes to start and to stop: python bench/serve_start.py SITE [PORT]

Starts `python build.py serve --site SITE` on 127.0.0.1, times it until it prints its address (its first
build done, the server listening), stops it as Ctrl+C does and times its exit. Run it twice: the first
start builds into a new preview folder, the next one starts from that folder and its cache (README, "The
preview folder"). A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(site: str, port: str = "8765") -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", site, "--port", port],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    summary = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(("Đã dựng", "Built")):
            summary = line.strip()
        if "(Ctrl+C)" in line:
            break
    ready = time.perf_counter() - started
    proc.send_signal(signal.SIGINT)
    asked = time.perf_counter()
    proc.wait(timeout=600)
    print(f"ready in {ready:.2f} s, stopped in {time.perf_counter() - asked:.2f} s; {summary}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
