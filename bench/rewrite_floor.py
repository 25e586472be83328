"""The least a build can spend to change every page of a built site: python bench/rewrite_floor.py OUTPUT

Two processes each take half of the output's HTML pages and, for each, read
it, replace one string (with itself, so the bytes stay as they were), write
the page beside itself and rename it over, with none of a build's other work
(no plan, no splice markers, no cache, no commit). A new post or a views
update changes a block every page shows, so no build of ours can do it in
less; README "Measured" compares this with those rows' targets.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

WORKERS = 2


def html_pages(output: str) -> list[str]:
    return [os.path.join(folder, name) for folder, _, names in os.walk(output) for name in names
            if name.endswith(".html")]


def rewrite(pages: list[str]) -> int:
    for path in pages:
        with open(path, "rb") as page:
            data = page.read().replace(b"</body>", b"</body>", 1)
        spare = f"{path}.floor-tmp"
        with open(spare, "wb") as page:
            page.write(data)
        os.replace(spare, path)
    return len(pages)


def main(output: str) -> None:
    pages = html_pages(output)
    size = max(8, len(pages) // (WORKERS * 32))
    start, before = time.perf_counter(), os.times()
    with ProcessPoolExecutor(WORKERS) as pool:
        done = sum(pool.map(rewrite, [pages[i: i + size] for i in range(0, len(pages), size)]))
    wall, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(before[:4])  # user and system time, this process and its workers
    print(f"{done} pages rewritten in {wall:.2f} s wall, {cpu:.2f} CPU s")


if __name__ == "__main__":
    main(sys.argv[1])
