"""Benchmark: build a generated corpus cold, unchanged, after one edit, one new post, one template change
and an hourly views update; count views in a million-line log against GoAccess.

    python bench/run.py [--posts 1000,10000] [--runs 3] [--peers] [--documents 5000] [--log-lines 1000000]
    python bench/run.py --posts 10000,50000 --search [--runs 1] [--peers]
    python bench/run.py --province [--members 100] [--member-posts 300] [--province-posts 10000] [--runs 1] [--peers]
        [--search]

With --province it builds a province of 100 communes of 300 posts each plus
10,000 posts of its own (the same 40,000 generated posts, split), cold,
unchanged, after one commune post's body and then its title is edited, and
after one edit to the province's theme; with --search, cold again with every
site's search off; with --peers, Hugo builds the same 40,000 posts as one site.

Prints the median wall time, CPU time (user + system, workers included) and
peak memory (the largest single process) of each scenario. With --peers it
also builds the same corpus with Hugo and Pelican through ../shared/bench
(copied to a writable folder, set up on first use) and prints our time as a
ratio of theirs. "views update" is the hourly cron job: `views` over an
hour's log that reads 200 articles and lifts one into "Xem nhiều nhất"
(untimed, its time printed beside), then the timed `build`. With
--log-lines N it also generates an N-line access log for the largest corpus
(bench/gen_log.py) and times `python build.py views` on it from an empty
count against GoAccess (Debian's `goaccess`) on the same file.
With --documents N it also builds each corpus with N official
documents added under content/van-ban/ (each with a small PDF) and three
schedule weeks: cold, unchanged and after one document's edit. With --search it times the cold build
and a one-post body edit with the site search on and off (`search = false`
in site.toml), and reports the index's size on disk and the bytes a browser
downloads for one query (Playwright with Debian's Chromium, the built site
served on 127.0.0.1). A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import gen_log

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # sitegen.decree30, for the generated documents
SHARED_BENCH = ROOT.parent / "shared" / "bench"
WORK = Path(os.environ.get("SITEGEN_BENCH_HOME", Path.home() / ".cache" / "sitegen-bench"))
SCENARIOS = ("cold", "no change", "one body edit", "one new post", "one template edit", "views update")
DOCUMENT_SCENARIOS = ("cold", "no change", "one document edit")
# The speed targets at 10,000 posts: each scenario's wall time as a share of Hugo's cold build of the same
# corpus in the same run, except one body edit (wall seconds) and memory (peak, against Hugo's peak).
TARGETS_VS_HUGO = {"cold": 1.0, "no change": 0.1, "one new post": 0.2, "one template edit": 0.5, "views update": 0.2}
BODY_EDIT_TARGET_S = 0.3
MEMORY_TARGET_VS_HUGO = 0.25
FIELDS = ("Cải cách hành chính", "Đất đai", "Xây dựng", "Chuyển đổi số", "Nội vụ", "Tài chính", "Y tế")


def run_build(site: Path, *extra: str) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MiB) of one `python build.py` process and its workers."""
    return run_timed([sys.executable, str(ROOT / "build.py"), "--site", str(site), *extra])


def run_timed(command: list[str]) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MiB) of one process and the children it reaped."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=installed_env())
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[1]} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    # Linux reports the child's usage together with the workers it reaped (user + system, and the
    # largest resident set of any of them).
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def installed_env() -> dict[str, str]:
    """The environment of a timed build: its modules byte-compiled once and kept (in the bench's folder), as
    an installed generator's are, even where PYTHONDONTWRITEBYTECODE would compile them from source every run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", os.fspath(WORK / "pycache"))
    return env


def make_corpus(posts: int) -> Path:
    site = WORK / f"corpus-{posts}"
    if not (site / "site.toml").is_file():
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, str(SHARED_BENCH / "gen_corpus.py"), "--posts", str(posts),
                        "--out", str(site), "--site"], check=True, stderr=subprocess.DEVNULL)
    return site


def tiny_pdf() -> bytes:
    """A one-page PDF of about 1 KB (fpdf2, a core font), copied as every generated document's file."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "UY BAN NHAN DAN TINH MAU SON - van ban do toc do")
    return bytes(pdf.output())


def add_documents(site: Path, count: int) -> Path:
    """A copy of `site` with `count` documents (types, years, fields and replacements spread) and three weeks."""
    from sitegen import decree30

    target = WORK / f"{site.name}-documents-{count}"
    if (target / ".documents-done").is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, ignore=shutil.ignore_patterns("public", "cold-*"))
    pdf = tiny_pdf()
    types = [(name, abbr) for name, abbr in decree30.TYPES.items() if abbr]
    numbers: dict[tuple[int, str], int] = {}
    for n in range(count):
        year = 2022 + n % 5
        name, abbr = types[n % len(types)]
        numbers[(year, abbr)] = numbers.get((year, abbr), 0) + 1
        number = f"{numbers[(year, abbr)]:02d}/{abbr}-UBND"
        folder = target / "content" / "van-ban" / str(year)
        (folder / "tep").mkdir(parents=True, exist_ok=True)
        slug = decree30.number_slug(number)
        (folder / "tep" / f"{slug}.pdf").write_bytes(pdf)
        month, day = 1 + n % 12, 1 + n % 28
        replaces = f"thay_the: \"{numbers[(year, abbr)] - 1:02d}/{abbr}-UBND\"\n" if n % 97 == 5 else ""
        body = (f"Văn bản số {number} quy định nội dung đo tốc độ số {n}.\n\n- Điều 1.\n- Điều 2.\n"
                if n % 3 == 0 else "")
        (folder / f"{slug}.md").write_text(
            f"---\nso_ky_hieu: \"{number}\"\nloai: {name}\nngay_ban_hanh: {year}-{month:02d}-{day:02d}\n"
            f"trich_yeu: {name} về nội dung đo tốc độ số {n} của tỉnh Mẫu Sơn\n"
            f"linh_vuc: {FIELDS[n % len(FIELDS)]}\ntep: tep/{slug}.pdf\n{replaces}---\n{body}", encoding="utf-8")
    weeks = target / "content" / "lich-cong-tac"
    weeks.mkdir(parents=True, exist_ok=True)
    for week in (45, 46, 47):
        monday = time.strftime("%Y-%m-%d", time.strptime(f"2026-W{week}-1", "%G-W%V-%u"))
        (weeks / f"2026-W{week}.toml").write_text(
            f'ghi_chu = "Lịch này thay giấy mời họp"\n\n[[muc]]\nngay = {monday}\nbuoi = "Sáng"\n'
            f'chu_tri = "Chủ tịch UBND tỉnh"\nnoi_dung = "Giao ban tuần {week}"\ndia_diem = "Phòng họp số 1"\n',
            encoding="utf-8")
    (target / ".documents-done").touch()
    return target


def scenario(name: str, site: Path, runs: int) -> list[tuple[float, float, float]]:
    """Time `name` `runs` times; each run starts from a fully built, cached site."""
    results = []
    body_post = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
    for number in range(runs):
        if name == "cold":
            # Like ../shared/bench for the peers: every cold run writes a new folder, and the folders are
            # deleted after the scenario, so no run pays for the file system freeing the last run's files.
            results.append(run_build(site, "--no-cache", "--output", str(site / f"cold-{number}")))
            continue
        run_build(site)  # bring output and cache up to date, untimed
        if name == "one body edit":
            with body_post.open("a", encoding="utf-8") as handle:
                handle.write(f"\nĐoạn văn bổ sung lần {number}.\n")
        elif name == "one document edit":
            document = sorted((site / "content" / "van-ban").rglob("*.md"))[number * 11 + 7]
            with document.open("a", encoding="utf-8") as handle:
                handle.write(f"\nĐính chính lần {number}.\n")
        elif name == "one new post":
            new = site / "content" / "thong-bao" / "2026" / f"bench-moi-{number}-{time.time_ns()}.md"
            new.parent.mkdir(parents=True, exist_ok=True)
            new.write_text(f"---\ntitle: Thông báo đo tốc độ {number}\ndate: 2026-10-30 08:00\n"
                           f"category: Thông báo\n---\nNội dung thông báo mới.\n", encoding="utf-8")
        elif name == "one template edit":
            templates = site / "templates"
            templates.mkdir(exist_ok=True)
            (templates / "article.html").write_text(
                '{% extends "default/article.html" %}{% block content %}<p>Bản ' + str(number) + "</p>"
                "{{ super() }}{% endblock %}\n", encoding="utf-8")
        elif name == "views update":
            VIEWS_TIMES.append(hourly_views(site, number)[0])
        results.append(run_build(site))
    if name == "one template edit":
        shutil.rmtree(site / "templates", ignore_errors=True)
    if name == "one new post":
        for extra in (site / "content" / "thong-bao" / "2026").glob("bench-moi-*.md"):
            extra.unlink()
    return results


VIEWS_TIMES: list[float] = []  # wall s of the untimed `views` runs before each "views update" build


def hourly_views(site: Path, number: int) -> tuple[float, float, float]:
    """`views` over an hour's log: 200 articles read, one of them more than the most viewed article."""
    shown = re.findall(r'class="post-views">([\d.,]+)', (site / "public" / "index.html").read_text("utf-8"))
    top = int(shown[0].replace(".", "").replace(",", "")) if shown else 0
    log = WORK / f"hour-{site.name}.log"
    start = datetime(2026, 12, 6, 8, tzinfo=timezone(timedelta(hours=7))) + timedelta(hours=number)
    gen_log.hour_log(site / "public", log, start, pages=200, hot_views=top + 1, seed=time.time_ns())
    timed = run_timed([sys.executable, str(ROOT / "build.py"), "views", "--site", str(site), str(log)])
    log.unlink()
    return timed


def views_against_goaccess(site: Path, lines: int, runs: int) -> None:
    """`python build.py views` from an empty count and GoAccess on the same generated log."""
    log = WORK / f"access-{lines}.log"
    if not log.is_file():
        gen_log.generate(site / "public", log, lines, days=7, seed=1)
    counting = WORK / "views-site"  # the corpus's site.toml and standalone pages, its own data/views.json
    shutil.rmtree(counting, ignore_errors=True)
    (counting / "content").mkdir(parents=True)
    shutil.copy(site / "site.toml", counting / "site.toml")
    if (site / "content" / "pages").is_dir():
        shutil.copytree(site / "content" / "pages", counting / "content" / "pages")
    ours, theirs = [], []
    for _ in range(runs):
        (counting / "data" / "views.json").unlink(missing_ok=True)
        ours.append(run_timed([sys.executable, str(ROOT / "build.py"), "views", "--site", str(counting), str(log)]))
        theirs.append(run_timed(["goaccess", str(log), "--log-format=COMBINED", "--no-progress",
                                 "-o", str(WORK / "goaccess.json")]))
    again = run_timed([sys.executable, str(ROOT / "build.py"), "views", "--site", str(counting), str(log)])
    size = log.stat().st_size / 2**20
    print(f"\nviews on a {lines:,}-line log ({size:.0f} MiB), median of {runs}:")
    for name, rows in (("ours (views)", ours), ("GoAccess", theirs)):
        wall, cpu, peak = median(rows)
        print(f"  {name:<18} {wall:8.2f} s wall {cpu:8.2f} s cpu {peak:6.0f} MiB  {lines / wall:,.0f} lines/s")
    print(f"  ours: ratio {median(ours)[0] / median(theirs)[0]:.2f}x wall, "
          f"{median(ours)[1] / median(theirs)[1]:.2f}x cpu; the same log again: {again[0]:.2f} s")


SEARCH_QUERIES = ("cai cach hanh chinh", "thu tuc dat dai", "đấu thầu")


def set_search(site: Path, on: bool, text: str = "") -> None:
    """`search = false` at the top of site.toml, or not; `search_text = TEXT` after it when given."""
    toml = site / "site.toml"
    kept = [line for line in toml.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(("search = false", "search_text = "))]
    added = ([] if on else ["search = false\n"]) + ([f"search_text = {text}\n"] if text else [])
    toml.write_text("".join(added + kept), encoding="utf-8")


def bench_search(site: Path, runs: int, text: str = "") -> dict[str, tuple[float, float, float]]:
    """Cold build and one body edit, search off then on (with `search_text = TEXT` when given); index size;
    bytes per query."""
    figures = {}
    for on in (False, True):
        set_search(site, on, text)
        for name in ("cold", "one body edit"):
            label = f"{name}, search {'on' if on else 'off'}"
            wall, cpu, peak = figures[label] = median(scenario(name, site, runs))
            print(f"  {label:<26} {wall:8.2f} {cpu:8.2f} {peak:9.0f}   load {os.getloadavg()[0]:.1f}", flush=True)
    for name in ("cold", "one body edit"):
        off, on = figures[f"{name}, search off"], figures[f"{name}, search on"]
        print(f"  search adds to {name}: {on[0] - off[0]:+.2f} s wall ({(on[0] / off[0] - 1) * 100:+.0f} %), "
              f"{on[1] - off[1]:+.2f} s cpu, peak {on[2]:.0f} MiB")
    public = site / "public"
    size = sum(p.stat().st_size for folder in ("pagefind", "pagefind-delta") for p in (public / folder).rglob("*")
               if p.is_file())
    count = sum(1 for folder in ("pagefind", "pagefind-delta") for p in (public / folder).rglob("*") if p.is_file())
    print(f"  index on disk: {size / 2**20:.1f} MiB in {count} files")
    for query, (raw, sent, requests) in query_bytes(public, SEARCH_QUERIES).items():
        print(f"  one query {query!r}: {sent / 1024:.0f} KB with gzip ({raw / 1024:.0f} KB without) in {requests} "
              "requests, the first 10 results shown")
    set_search(site, True)
    return figures


def query_bytes(public: Path, queries: tuple[str, ...]) -> dict[str, tuple[int, int, int]]:
    """(bytes, bytes as nginx sends them with gzip, requests) a fresh browser downloads for the results of
    each query on the search page: Pagefind's script, WebAssembly and index files (the page and the theme
    excluded). Index files are compressed already; the script and JSON go through the README's gzip."""
    import functools
    import gzip
    import http.server
    import threading
    from urllib.parse import quote, unquote, urlsplit

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(public)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found = {}
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for query in queries:
                page = browser.new_context().new_page()
                paths: list[str] = []
                page.on("requestfinished", lambda request, paths=paths: paths.append(
                    unquote(urlsplit(request.url).path)) if "/pagefind" in request.url else None)
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/tim-kiem/?q={quote(query)}")
                page.locator("[data-search-status]:not(:empty)").wait_for(timeout=120_000)
                page.wait_for_load_state("networkidle")
                files = [public / path.lstrip("/") for path in paths]
                raw = sum(f.stat().st_size for f in files)
                sent = sum(len(gzip.compress(f.read_bytes(), 6)) if f.suffix in (".js", ".json") else f.stat().st_size
                           for f in files)
                found[query] = (raw, sent, len(files))
                page.context.close()
            browser.close()
    finally:
        server.shutdown()
    return found


def remove_cold_outputs(sites: list[Path], settle: float) -> None:
    """Cold runs write fresh folders (as ../shared/bench does for the peers); they are deleted only
    before and after the whole run: on this machine's ext4, creating files for some minutes after
    tens of thousands were deleted costs several times the usual system time."""
    removed = False
    for site in sites:
        for folder in site.glob("cold-*"):
            shutil.rmtree(folder, ignore_errors=True)
            removed = True
    os.sync()
    if removed:
        time.sleep(settle)


SERVE_PROBE = """
import statistics, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from sitegen import pipeline
from sitegen.serve import source_state
site = Path(sys.argv[1]).resolve()
opts = pipeline.Options(site=site, output=site / "public")
pipeline.run(opts)
times = []
for number in range(int(sys.argv[3])):
    post = sorted((site / "content").rglob("*.md"))[len(times) * 7 + 11]
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\\nĐoạn sửa trong lúc xem trước {number}.\\n")
    started = time.perf_counter()
    source_state(site)  # the watcher's poll that sees the edit
    pipeline.run(opts)
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def serve_edit(site: Path, runs: int) -> float:
    """Median seconds from a saved edit to the rebuilt files, in the preview's process as it builds."""
    done = subprocess.run([sys.executable, "-c", SERVE_PROBE, str(site), str(ROOT), str(runs)],
                          check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def median(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.median(column) for column in zip(*rows, strict=True))  # type: ignore[return-value]


def print_targets(figures: dict[str, tuple[float, float, float]], hugo_wall: float, hugo_peak: float) -> None:
    """One line per speed target: the figure, the target, met or not."""
    print(f"  {'target':<18} {'figure':>10} {'target':>10}")
    rows = [(name, figures[name][0] / hugo_wall, limit, "x") for name, limit in TARGETS_VS_HUGO.items()
            if name in figures]
    if "one body edit" in figures:
        rows.append(("one body edit", figures["one body edit"][0], BODY_EDIT_TARGET_S, " s"))
    if "cold" in figures:
        rows.append(("peak memory", figures["cold"][2] / hugo_peak, MEMORY_TARGET_VS_HUGO, "x"))
    for name, figure, limit, unit in rows:
        verdict = "met" if figure <= limit else "NOT met"
        print(f"  {name:<18} {figure:9.2f}{unit} {'<= ' + f'{limit:.2f}' + unit:>10}  {verdict}", flush=True)


def print_growth(per_post: dict[int, dict[str, tuple[float, float, float]]]) -> None:
    """Wall time and peak memory per 1,000 posts at each size: equal figures mean linear growth."""
    print("\ngrowth (per 1,000 posts: wall s / peak MiB)")
    names = sorted({name for figures in per_post.values() for name in figures}, key=SCENARIOS.index)
    for name in names:
        cells = [f"{posts}: {figures[name][0] * 1000 / posts:.3f} s / {figures[name][2] * 1000 / posts:.1f} MiB"
                 for posts, figures in sorted(per_post.items()) if name in figures]
        print(f"  {name:<18} " + "; ".join(cells), flush=True)


PEERS_SETTLE = 120  # seconds between our last scenario and Hugo's cold build


def settle_for_peers() -> None:
    """Before Hugo's cold build: our last scenario rewrote thousands of pages (every page of 101 sites in the
    province's), and Hugo would pay for their writing back and, on this ext4 mounted with discard, for the
    blocks they freed; as it would for a peer's output deleted just before it."""
    os.sync()
    time.sleep(PEERS_SETTLE)


def peers(posts: int, runs: int, which: str, warmup: int = 1) -> dict[str, tuple[float, float]]:
    """One peer's cold build ("hugo" or "pelican": median wall s, peak MiB), run through ../shared/bench;
    Hugo's after the disk settles (settle_for_peers). Run Hugo first: the peers' script deletes each peer's
    output after its runs."""
    if which == "hugo":
        settle_for_peers()
    home = WORK / "peers"
    if not (home / "run_peers.sh").is_file():
        shutil.copytree(SHARED_BENCH, home, dirs_exist_ok=True)
    if not shutil.which("hugo") or not (home / ".venv-peers/bin/pelican").is_file():
        subprocess.run(["bash", str(home / "setup_peers.sh")], check=True)
    results = home / "out" / f"results-{posts}.tsv"
    results.unlink(missing_ok=True)
    env = {**os.environ, "RUNS": str(runs), "WARMUP": str(warmup), "MODES": "cold"}
    subprocess.run(["bash", str(home / "run_peers.sh"), str(posts), which], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    found = {}
    with results.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found[row["peer"]] = (float(row["wall_s"]), float(row["peak_MiB"]))
    return found


PROVINCE_SCENARIOS = ("cold", "no change", "member body edit", "member title edit", "province theme edit")


def make_province(members: int, member_posts: int, own_posts: int) -> Path:
    """A province folder: every fourth generated post its own, the rest dealt out to `members` communes
    in blocks of `member_posts`, each commune a site folder under xa/ with the images its posts show."""
    total = members * member_posts + own_posts
    name = f"province-{members}x{member_posts}+{own_posts}"
    site = WORK / name
    if (site / "site.toml").is_file():
        return site
    corpus = make_corpus(total)
    shutil.rmtree(site, ignore_errors=True)
    toml = (corpus / "site.toml").read_text(encoding="utf-8")
    posts = sorted((corpus / "content").rglob("*.md"))
    step = max(1, total // own_posts) if own_posts else total + 1
    own = [p for i, p in enumerate(posts) if i % step == 0][:own_posts]
    owned = set(own)
    rest = [p for p in posts if p not in owned]
    folders = [site] + [site / "xa" / f"xa-{n:03d}" for n in range(members)]
    shares = [own] + [rest[n * member_posts:(n + 1) * member_posts] for n in range(members)]
    for number, (folder, share) in enumerate(zip(folders, shares, strict=True)):
        for post in share:  # copied, so the edits the scenarios make never reach the corpus
            (folder / post.relative_to(corpus)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(post, folder / post.relative_to(corpus))
            for image in set(re.findall(r"/images/[^\s)\"'>]+", post.read_text(encoding="utf-8"))):
                if (corpus / "content" / image.lstrip("/")).is_file():
                    _link(corpus / "content" / image.lstrip("/"), folder / "content" / image.lstrip("/"))
        if number:
            (folder / "site.toml").write_text(toml.replace(
                'title = "', f'title = "Trang thông tin điện tử xã {number - 1:03d} - ').replace(
                "https://bench.example/", f"https://xa-{number - 1:03d}.bench.example/"), encoding="utf-8")
    listed = "".join(f'\n[[members]]\nkey = "xa-{n:03d}"\npath = "xa/xa-{n:03d}"\n' for n in range(members))
    (site / "site.toml").write_text(toml + listed, encoding="utf-8")
    return site


def _link(source: Path, target: Path) -> None:
    """Images are hard links: the scenarios never edit them."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.link(source, target)


def newest_post(communes: list[Path]) -> Path:
    """The communes' newest post: the province's home page and /tin-tu-co-so/ show it, so editing its title
    changes them (an older post's title is seen only in its commune)."""
    dated = []
    for commune in communes:
        for path in (commune / "content").rglob("*.md"):
            found = re.search(r"^date: *\"?([^\"\n]+)", path.read_text(encoding="utf-8"), re.MULTILINE)
            if found:
                dated.append((datetime.fromisoformat(found[1]), str(path)))
    return Path(max(dated)[1])


def province_scenario(name: str, site: Path, runs: int) -> list[tuple[float, float, float]]:
    """Time `name` on the province. The scenarios run in order, each from the outputs and caches the one
    before left (after the first run of each): a cold build is the first build into empty outputs with
    no cache, which then writes every site's cache, so the next scenario needs no untimed build."""
    results = []
    communes = sorted((site / "xa").iterdir())
    member_post = newest_post(communes)
    theme = site / "templates" / "partials"
    for number in range(runs):
        if name == "cold":
            for folder in [site, *communes]:
                set_aside(folder / "public", site)
                set_aside(folder / ".sitegen-cache", site)
            results.append(run_build(site))
            continue
        if number:
            run_build(site)  # bring every output and cache up to date, untimed
        if name == "member body edit":
            with member_post.open("a", encoding="utf-8") as handle:
                handle.write(f"\nĐoạn văn bổ sung lần {number}.\n")
        elif name == "member title edit":
            text = member_post.read_text(encoding="utf-8")
            title = re.search(r'^title: "?(.*?)"?$', text, re.MULTILINE)
            member_post.write_text(text.replace(title[0], f'title: "{title[1]} (cập nhật {number})"', 1),
                                   encoding="utf-8")
        elif name == "province theme edit":
            theme.mkdir(parents=True, exist_ok=True)
            (theme / "footer.html").write_text(
                f'{{% include "default/partials/footer.html" %}}<p class="ban">Bản {number}</p>\n', encoding="utf-8")
        results.append(run_build(site))
    if name == "province theme edit":
        shutil.rmtree(site / "templates", ignore_errors=True)  # the next build (not timed) is a full one again
    return results


def set_aside(folder: Path, site: Path) -> None:
    """Move an output or cache out of the way for a cold build (a rename), to be deleted after the whole run
    (`remove_set_aside`): as for the 10,000-post corpus (remove_cold_outputs), deleting the 100,000 files of
    the province's sites just before a build would charge their deletion's cost on this ext4 to that build."""
    if folder.exists():
        trash = site.parent / f"{site.name}-set-aside"
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{len(list(trash.iterdir()))}-{folder.name}")


def remove_set_aside(site: Path) -> None:
    shutil.rmtree(site.parent / f"{site.name}-set-aside", ignore_errors=True)


def bench_province(args: argparse.Namespace) -> None:
    site = make_province(args.members, args.member_posts, args.province_posts)
    if (site.parent / f"{site.name}-set-aside").exists():  # a run stopped half way
        remove_set_aside(site)
        time.sleep(300)
    total = args.members * args.member_posts + args.province_posts
    print(f"\nprovince: {args.province_posts} posts + {args.members} communes x {args.member_posts} posts ({site})")
    print(f"  {'scenario':<20} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
    figures = {}
    for name in PROVINCE_SCENARIOS:
        wall, cpu, peak = figures[name] = median(province_scenario(name, site, args.runs))
        print(f"  {name:<20} {wall:8.2f} {cpu:8.2f} {peak:9.0f}", flush=True)
    if args.search:
        figures["cold, search off"] = province_without_search(site, args.runs)
    if args.peers:
        hugo = peers(total, args.runs, "hugo", warmup=0)["hugo"]
        print(f"  hugo cold, the same {total} posts as one site: {hugo[0]:.2f} s, {hugo[1]:.0f} MiB: "
              f"ours cold {figures['cold'][0] / hugo[0]:.2f}x (target <= 2.5x)")
        if args.search:
            print(f"  ours cold with no site's search index: {figures['cold, search off'][0] / hugo[0]:.2f}x")
    remove_set_aside(site)


def province_without_search(site: Path, runs: int) -> tuple[float, float, float]:
    """The cold build with `search = false` in the province and every commune: what their 101 search
    indexes cost (a commune of 300 posts pays for its index as a site of its own)."""
    sites = [site, *sorted((site / "xa").iterdir())]
    for folder in sites:
        set_search(folder, False)
    try:
        found = median(province_scenario("cold", site, runs))
    finally:
        for folder in sites:
            set_search(folder, True)
    print(f"  {'cold, search off':<20} {found[0]:8.2f} {found[1]:8.2f} {found[2]:9.0f}", flush=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per scenario (median)")
    parser.add_argument("--peers", action="store_true", help="also build with Hugo and Pelican")
    parser.add_argument("--only", default="", metavar="NAMES",
                        help="comma-separated scenarios to run (default: all), e.g. 'cold,no change'")
    parser.add_argument("--documents", type=int, default=0, metavar="N",
                        help="also build each corpus with N official documents added (e.g. 5000)")
    parser.add_argument("--log-lines", type=int, default=0,
                        help="also count views in a generated log of this many lines, against GoAccess")
    parser.add_argument("--search", action="store_true",
                        help="measure what the site search adds: cold and one edit with search on and off "
                             "(with --province: also the cold build with every site's search off)")
    parser.add_argument("--search-text", default="", metavar="VALUE",
                        help='with --search: site.toml\'s search_text for the builds with search on, e.g. \'"all"\'')
    parser.add_argument("--province", action="store_true", help="measure a province and its communes instead")
    parser.add_argument("--members", type=int, default=100, help="communes of the province (default 100)")
    parser.add_argument("--member-posts", type=int, default=300, help="posts of each commune (default 300)")
    parser.add_argument("--province-posts", type=int, default=10_000, help="the province's own posts")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    if args.province:
        bench_province(args)
        return 0
    sites = [make_corpus(int(n)) for n in args.posts.split(",")]
    with_documents = [add_documents(site, args.documents) for site in sites] if args.documents else []
    remove_cold_outputs(sites + with_documents, settle=300)
    per_post: dict[int, dict[str, tuple[float, float, float]]] = {}
    for site in sites:
        posts = int(site.name.rsplit("-", 1)[1])
        print(f"\n{posts} posts ({site})")
        print(f"  {'scenario':<18} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
        figures = {}
        VIEWS_TIMES.clear()
        if args.search:
            bench_search(site, args.runs, args.search_text)
            if args.peers:
                for peer, (wall, peak) in sorted(peers(posts, args.runs, "hugo").items()):
                    print(f"  {peer} cold {wall:.2f} s, {peak:.0f} MiB  load {os.getloadavg()[0]:.1f}", flush=True)
            continue
        wanted = [name for name in SCENARIOS if not args.only or name in args.only.split(",")]
        for name in wanted:
            wall, cpu, peak = figures[name] = median(scenario(name, site, args.runs))
            print(f"  {name:<18} {wall:8.2f} {cpu:8.2f} {peak:9.0f}", flush=True)
        if VIEWS_TIMES:
            print(f"  (views before each views update build: {statistics.median(VIEWS_TIMES):.2f} s)")
        if not args.only or "serve" in args.only.split(","):
            print(f"  {'serve: body edit':<18} {serve_edit(site, args.runs):8.2f}   (in the preview's process: "
                  "watch, rebuild, write)", flush=True)
        if args.peers:
            found = peers(posts, args.runs, "hugo") | peers(posts, args.runs, "pelican")
            for peer, (wall, peak) in sorted(found.items()):
                ratios = ", ".join(f"{name} {figures[name][0] / wall:.2f}x" for name in figures)
                memory = f", memory {figures['cold'][2] / peak:.2f}x" if "cold" in figures else ""
                print(f"  {peer} cold {wall:.2f} s, {peak:.0f} MiB: ours {ratios}{memory}", flush=True)
                if peer == "hugo":
                    print_targets(figures, wall, peak)
        per_post[posts] = figures
    if len(per_post) > 1:
        print_growth(per_post)
    for site in with_documents:
        print(f"\n{site.name}: the same posts and {args.documents} documents with their PDFs, three weeks")
        print(f"  {'scenario':<18} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
        for name in DOCUMENT_SCENARIOS:
            wall, cpu, peak = median(scenario(name, site, args.runs))
            print(f"  {name:<18} {wall:8.2f} {cpu:8.2f} {peak:9.0f}", flush=True)
    if args.log_lines:
        views_against_goaccess(sites[-1], args.log_lines, args.runs)
    remove_cold_outputs(sites + with_documents, settle=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
