"""`python build.py views LOG...`: counting rules, crawlers, logs read once whatever happens to them,
the file written atomically, and what readers see after the next build. Logs are generated here."""

from __future__ import annotations

import gzip
import json
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, cli_run, snapshot

ARTICLE = "thong-bao/2024/lich-tiep-cong-dan/"  # views: 28 in its front matter
OTHER = "tin-tuc/2023/nghiem-thu-cong-trinh-nha-van-hoa-thon-dong/"  # views: 75
TOP = "cai-cach-hanh-chinh/2022/doan-kiem-tra-cai-cach-hanh-chinh-lam-viec-tai-xa-kiem-thu/"  # views: 1234
PAGE = "gioi-thieu/"
PHONE = ("Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0.0.0 Mobile Safari/537.36")
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
COC_COC = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "coc_coc_browser/124.0.0 Chrome/118.0.0.0 Safari/537.36")
ZALO = ("Mozilla/5.0 (Linux; Android 12; CPH2211 Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like "
        "Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Zalo android/12100637 ZaloLanguage/vi")
CRAWLERS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
)
VN = timezone(timedelta(hours=7))
NOON = datetime(2026, 9, 20, 12, 0, tzinfo=VN)


def entry(path: str, when: datetime = NOON, ip: str = "113.160.1.2", agent: str = PHONE, method: str = "GET",
          status: int = 200) -> str:
    """One nginx "combined" line, its time written in `when`'s own offset."""
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} 5120 "-" "{agent}"\n'


def reader(n: int, path: str = "/" + ARTICLE, when: datetime = NOON) -> str:
    """A line of reader number n (each its own address)."""
    return entry(path, when + timedelta(seconds=n), ip=f"14.160.{n // 250}.{n % 250 + 1}")


def views(site: Path, *logs: Path) -> tuple[int, str, str]:
    return cli_run("views", "--site", str(site), *map(str, logs))


def counted(site: Path) -> dict:
    return json.loads((site / "data" / "views.json").read_text(encoding="utf-8"))


def pages(site: Path) -> dict[str, int]:
    return counted(site)["pages"]


def write(path: Path, *lines: str) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def append(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(lines))


def summary_numbers(out: str) -> tuple[int, ...]:
    """(lines, files, views, crawlers, unreadable) from the Vietnamese summary line."""
    found = re.search(r"Đã đọc ([\d.]+) dòng mới từ (\d+) tệp nhật ký: thêm ([\d.]+) lượt xem, bỏ qua ([\d.]+) "
                      r"yêu cầu của máy thu thập \(crawler\), ([\d.]+) dòng không đọc được\.", out)
    assert found, out
    return tuple(int(group.replace(".", "")) for group in found.groups())


# -- counting rules -------------------------------------------------------------------------------------

def test_what_counts_as_a_view(golden_site: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log",
                entry("/" + ARTICLE, ip="1.1.1.1"),
                entry("/" + ARTICLE, ip="1.1.1.2", status=304),  # answered from the reader's cache
                entry("/" + ARTICLE + "index.html", ip="1.1.1.3"),  # the same page
                entry("/" + ARTICLE + "?utm_source=zalo&fbclid=x", ip="1.1.1.4"),  # query string ignored
                entry("/thong-bao/2024/lich%2Dtiep%2Dcong%2Ddan/", ip="1.1.1.5"),  # percent-encoded
                entry("/" + PAGE, ip="1.1.1.6"),  # a standalone page
                entry("/" + ARTICLE, ip="2.2.2.1", method="HEAD"),
                entry("/" + ARTICLE, ip="2.2.2.2", method="POST"),
                entry("/" + ARTICLE, ip="2.2.2.3", status=404),
                entry("/" + ARTICLE.rstrip("/"), ip="2.2.2.4", status=301),  # the redirect to the slash
                entry("/", ip="2.2.2.5"),  # home page, listings, tags, assets: not articles or pages
                entry("/thong-bao/", ip="2.2.2.6"),
                entry("/tag/cchc/", ip="2.2.2.7"),
                entry("/assets/css/site.css", ip="2.2.2.8"),
                entry("/thong-bao/2024/khong-co-bai-nay/", ip="2.2.2.9", status=404))
    code, out, err = views(golden_site, log)
    assert code == 0, err
    assert pages(golden_site) == {ARTICLE: 5, PAGE: 1}
    assert summary_numbers(out) == (15, 1, 6, 0, 0)
    assert counted(golden_site)["days"] == {"2026-09-20": 6}


def test_only_addresses_under_base_url_path(make_site, tmp_path: Path) -> None:
    toml = ('title = "Xã"\nbase_url = "https://tinh.example/xa-dong/"\n\n[[categories]]\nkey = "tin-tuc"\n'
            'name = "Tin tức"\n')
    site = make_site({"content/tin-tuc/a.md": "---\ntitle: A\ndate: 2026-01-02\ncategory: Tin tức\n---\nx\n"},
                     toml=toml)
    log = write(tmp_path / "access.log", entry("/xa-dong/tin-tuc/2026/a/", ip="1.1.1.1"),
                entry("/tin-tuc/2026/a/", ip="1.1.1.2"),  # another site on the same server
                entry("/xa-tay/tin-tuc/2026/a/", ip="1.1.1.3"))
    assert views(site, log)[0] == 0
    assert pages(site) == {"tin-tuc/2026/a/": 1}


def test_same_client_same_page_same_day_counts_once(golden_site: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log",
                entry("/" + ARTICLE), entry("/" + ARTICLE, NOON + timedelta(hours=3)),  # reload later that day
                entry("/" + ARTICLE + "index.html", NOON + timedelta(hours=4)),  # same page, other spelling
                entry("/" + ARTICLE, agent=DESKTOP),  # same address, another browser: another reader
                entry("/" + ARTICLE, ip="113.160.1.3"),  # another address
                entry("/" + OTHER),  # same reader, another page
                entry("/" + ARTICLE, NOON + timedelta(days=1)))  # same reader, next day
    code, out, _ = views(golden_site, log)
    assert code == 0
    assert pages(golden_site) == {ARTICLE: 4, OTHER: 1}
    assert counted(golden_site)["days"] == {"2026-09-20": 4, "2026-09-21": 1}
    assert summary_numbers(out)[2] == 5


def test_midnight_in_the_sites_timezone_whatever_the_offset_of_the_line(golden_site: Path, tmp_path: Path) -> None:
    utc = UTC
    log = write(tmp_path / "access.log",
                # 16:30 UTC is 23:30 in Hà Nội, the same day as 23:45 +0700: one view
                entry("/" + ARTICLE, datetime(2026, 9, 20, 16, 30, tzinfo=utc)),
                entry("/" + ARTICLE, datetime(2026, 9, 20, 23, 45, tzinfo=VN)),
                # 17:01 UTC is 00:01 on the 21st in Hà Nội: a new day, a new view
                entry("/" + ARTICLE, datetime(2026, 9, 20, 17, 1, tzinfo=utc)),
                # 23:59:59 +0700 and 00:00:00 +0700 of the next day: two days
                entry("/" + OTHER, datetime(2026, 9, 21, 23, 59, 59, tzinfo=VN)),
                entry("/" + OTHER, datetime(2026, 9, 22, 0, 0, 0, tzinfo=VN)),
                # -0500 at 11:30 is 23:30 in Hà Nội the same calendar day
                entry("/" + PAGE, datetime(2026, 9, 22, 11, 30, tzinfo=timezone(timedelta(hours=-5)))),
                entry("/" + PAGE, datetime(2026, 9, 22, 23, 50, tzinfo=VN)))
    assert views(golden_site, log)[0] == 0
    assert pages(golden_site) == {ARTICLE: 2, OTHER: 2, PAGE: 1}
    assert counted(golden_site)["days"] == {"2026-09-20": 1, "2026-09-21": 2, "2026-09-22": 2}


def test_midnight_for_a_site_in_another_timezone(make_site, tmp_path: Path) -> None:
    toml = ('title = "Site"\nbase_url = "https://x.example/"\ntimezone = "Europe/Paris"\n\n[[categories]]\n'
            'key = "tin-tuc"\nname = "Tin tức"\n')
    site = make_site({"content/tin-tuc/a.md": "---\ntitle: A\ndate: 2026-01-02\ncategory: Tin tức\n---\nx\n"},
                     toml=toml)
    # 05:30 +0700 on the 21st is 00:30 in Paris (summer time, +0200) on the 21st; 04:30 +0700 is the 20th there
    log = write(tmp_path / "access.log", entry("/tin-tuc/2026/a/", datetime(2026, 9, 21, 4, 30, tzinfo=VN)),
                entry("/tin-tuc/2026/a/", datetime(2026, 9, 21, 5, 30, tzinfo=VN)))
    assert views(site, log)[0] == 0
    assert counted(site)["days"] == {"2026-09-20": 1, "2026-09-21": 1}


def test_crawlers_are_skipped_and_in_app_browsers_are_people(golden_site: Path, tmp_path: Path) -> None:
    lines = [entry("/" + ARTICLE, agent=agent, ip=f"66.249.66.{n}") for n, agent in enumerate(CRAWLERS)]
    lines += [entry("/" + ARTICLE, agent=COC_COC, ip="1.1.1.1"), entry("/" + ARTICLE, agent=ZALO, ip="1.1.1.2"),
              entry("/robots.txt", agent=CRAWLERS[0], ip="66.249.66.9", status=200)]
    code, out, _ = views(golden_site, write(tmp_path / "access.log", *lines))
    assert code == 0
    assert pages(golden_site) == {ARTICLE: 2}
    assert summary_numbers(out) == (7, 1, 2, 5, 0)


def test_the_crawler_list_is_the_maintained_one() -> None:
    from sitegen.accesslog import LineReader

    reader_ = LineReader("/", VN, lambda rel: True)
    assert all(reader_.is_crawler(agent.encode()) for agent in CRAWLERS)
    for agent in ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
                  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                  "Mozilla/5.0 (compatible; coccocbot-image/1.0; +http://help.coccoc.com/searchengine)",
                  "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
                  "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "curl/8.5.0"):
        assert reader_.is_crawler(agent.encode()), agent
    for agent in (PHONE, DESKTOP, COC_COC, ZALO):
        assert not reader_.is_crawler(agent.encode()), agent


def test_unreadable_lines_are_skipped_and_counted(golden_site: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log", reader(1),
                "this is not a log line\n",
                '113.160.1.2 - - [20/Sep/2026:12:0\n',  # cut short
                '113.160.1.2 - - [31/Feb/2026:12:00:00 +0700] "GET /a/ HTTP/1.1" 200 1 "-" "x"\n',  # no such day
                '113.160.1.2 - - [20/Sep/2026:12:00:00 +0700] "GET /a/ HTTP/1.1" 2000 1 "-" "x"\n',
                "\x00\x01\x02\n", reader(2),
                '113.160.1.9 - - [20/Sep/2026:12:00:00 +0700] "\\x16\\x03\\x01" 400 157 "-" "-"\n',  # TLS: readable
                entry("/" + ARTICLE, ip="1.2.3.4", agent='Mozilla/5.0 \\"quoted\\" (X11)'))  # Apache escapes
    code, out, _ = views(golden_site, log)
    assert code == 0
    assert summary_numbers(out) == (9, 1, 3, 0, 5)
    assert pages(golden_site) == {ARTICLE: 3}


def test_summary_in_english(make_site, tmp_path: Path) -> None:
    toml = 'title = "Site"\nbase_url = "https://x.example/"\nlanguage = "en"\n\n[[categories]]\nkey = "news"\n' \
           'name = "News"\n'
    site = make_site({"content/news/a.md": "---\ntitle: A\ndate: 2026-01-02\ncategory: News\n---\nx\n"}, toml=toml)
    code, out, _ = views(site, write(tmp_path / "access.log", entry("/news/2026/a/"), "junk\n"))
    assert code == 0
    assert out.strip() == ("Read 2 new lines from 1 log(s): 1 views added, 0 crawler requests skipped, "
                           "1 unreadable lines.")


# -- never twice, never lost ----------------------------------------------------------------------------

def test_the_same_logs_again_add_nothing(golden_site: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log", *(reader(n) for n in range(5)))
    archive = tmp_path / "access.log.2.gz"
    archive.write_bytes(gzip.compress("".join(reader(n, when=NOON - timedelta(days=2)) for n in range(3)).encode()))
    assert views(golden_site, log, archive)[0] == 0
    first = counted(golden_site)
    code, out, _ = views(golden_site, archive, log)  # any order
    assert code == 0
    assert summary_numbers(out)[0] == 0 and summary_numbers(out)[2] == 0
    assert counted(golden_site) == first
    assert first["pages"] == {ARTICLE: 8}


def test_a_log_that_grew_adds_only_its_new_lines(golden_site: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "access.log", reader(1), reader(2))
    views(golden_site, log)
    append(log, reader(3), reader(1, when=NOON + timedelta(hours=1)), reader(4))  # 1 again: the same day
    code, out, _ = views(golden_site, log)
    assert summary_numbers(out)[:3] == (3, 1, 2)
    assert pages(golden_site) == {ARTICLE: 4}
    # a line still being written (no newline yet) waits for the next run
    with log.open("a", encoding="utf-8") as handle:
        handle.write(reader(5)[:40])
    code, out, _ = views(golden_site, log)
    assert summary_numbers(out)[0] == 0 and pages(golden_site) == {ARTICLE: 4}
    append(log, reader(5)[40:], reader(6))
    code, out, _ = views(golden_site, log)
    assert summary_numbers(out)[:3] == (2, 1, 2) and summary_numbers(out)[4] == 0
    assert pages(golden_site) == {ARTICLE: 6}


def test_rotated_logs_are_known_by_their_content(golden_site: Path, tmp_path: Path) -> None:
    """logrotate, daily: access.log -> access.log.1 -> access.log.2.gz -> ..., a new access.log each day."""
    logs = tmp_path / "nginx"
    logs.mkdir()
    live = write(logs / "access.log", reader(1), reader(2))
    views(golden_site, live)
    append(live, reader(3))  # written after the last run, before the rotation
    live.rename(logs / "access.log.1")
    write(logs / "access.log", reader(4, when=NOON + timedelta(days=1)))
    code, out, _ = views(golden_site, *sorted(logs.iterdir()))
    assert code == 0
    assert summary_numbers(out)[:3] == (2, 2, 2)
    assert pages(golden_site) == {ARTICLE: 4}
    # the next day: .1 is gzipped to .2.gz, access.log becomes .1, a new access.log
    (logs / "access.log.2.gz").write_bytes(gzip.compress((logs / "access.log.1").read_bytes()))
    (logs / "access.log.1").unlink()
    (logs / "access.log").rename(logs / "access.log.1")
    write(logs / "access.log", reader(5, when=NOON + timedelta(days=2)))
    code, out, _ = views(golden_site, *sorted(logs.iterdir()))
    assert summary_numbers(out)[:3] == (1, 1, 1)
    assert pages(golden_site) == {ARTICLE: 5}
    # renamed only, gzipped only, both, and given twice: nothing new
    (logs / "old-copy.gz").write_bytes(gzip.compress((logs / "access.log").read_bytes()))
    code, out, _ = views(golden_site, *sorted(logs.iterdir()), logs / "access.log")
    assert summary_numbers(out)[2] == 0 and pages(golden_site) == {ARTICLE: 5}


def test_gzip_is_known_by_its_bytes_and_a_cut_archive_is_finished_later(golden_site: Path, tmp_path: Path) -> None:
    whole = gzip.compress("".join(reader(n) for n in range(200)).encode())
    cut = tmp_path / "access.log.1"  # no .gz: known by its first bytes
    cut.write_bytes(whole[: len(whole) // 2])  # logrotate still compressing it
    code, out, err = views(golden_site, cut)
    assert code == 0, err
    first = pages(golden_site)[ARTICLE]
    assert 0 < first < 200
    cut.write_bytes(whole)
    code, out, _ = views(golden_site, cut)
    assert pages(golden_site) == {ARTICLE: 200}
    assert summary_numbers(out)[2] == 200 - first


def test_deleted_logs_keep_their_days_counts(golden_site: Path, tmp_path: Path) -> None:
    old = write(tmp_path / "access.log.1", *(reader(n, when=NOON - timedelta(days=5)) for n in range(3)))
    views(golden_site, old)
    old.unlink()
    code, _, _ = views(golden_site, write(tmp_path / "access.log", reader(9)))
    assert code == 0
    assert counted(golden_site)["days"] == {"2026-09-15": 3, "2026-09-20": 1}
    assert pages(golden_site) == {ARTICLE: 4}


def test_the_dedupe_state_keeps_only_the_days_that_can_still_get_lines(golden_site: Path, tmp_path: Path) -> None:
    lines = [reader(n, when=NOON + timedelta(days=day)) for day in range(10) for n in range(20)]
    assert views(golden_site, write(tmp_path / "access.log", *lines))[0] == 0
    state = counted(golden_site)
    seen = json.loads((golden_site / "data" / state["seen"]).read_text(encoding="utf-8"))
    assert sorted(seen) == ["2026-09-28", "2026-09-29"]
    assert sum(state["days"].values()) == 200
    # a late line of a day still open is recognised; later lines for the closed days still count
    late = write(tmp_path / "late.log", reader(3, when=NOON + timedelta(days=9, hours=1)),
                 reader(3, when=NOON + timedelta(days=2, hours=1)))
    code, out, _ = views(golden_site, late)
    assert summary_numbers(out)[2] == 1


def test_a_missing_log_is_reported_and_the_others_counted(golden_site: Path, tmp_path: Path) -> None:
    code, out, err = views(golden_site, tmp_path / "khong-co.log", write(tmp_path / "access.log", reader(1)))
    assert code == 1
    assert "khong-co.log:1: lỗi: không đọc được tệp" in err
    assert "kiểm tra lại đường dẫn" in err and "No such file" not in err  # the fix, in the site's language
    assert pages(golden_site) == {ARTICLE: 1}


def test_a_damaged_count_file_stops_views_and_the_build(golden_site: Path, tmp_path: Path) -> None:
    (golden_site / "data" / "views.json").write_text('{"format": 1, "pages": {', encoding="utf-8")
    before = (golden_site / "data" / "views.json").read_bytes()
    code, _, err = views(golden_site, write(tmp_path / "access.log", reader(1)))
    assert code == 1
    assert "data/views.json:1: lỗi: tệp lượt xem bị hỏng" in err
    assert (golden_site / "data" / "views.json").read_bytes() == before
    code, _, err = cli_run("build", "--site", str(golden_site))
    assert code == 1 and "data/views.json" in err
    assert not (golden_site / "public").exists()


KILL_PROBE = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
    real_fsync(fd)
os.fsync = slow_fsync
from sitegen import cli
cli.main(["views", "--site", sys.argv[2], *sys.argv[3:]])
"""


def test_a_kill_in_the_middle_of_the_write_leaves_the_old_file(golden_site: Path, tmp_path: Path) -> None:
    first = write(tmp_path / "access.log.1", *(reader(n, when=NOON - timedelta(days=1)) for n in range(50)))
    assert views(golden_site, first)[0] == 0
    before = (golden_site / "data" / "views.json").read_bytes()
    second = write(tmp_path / "access.log", *(reader(n) for n in range(2000)))
    proc = subprocess.Popen([sys.executable, "-c", KILL_PROBE, str(ROOT), str(golden_site), str(first), str(second)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"  # the new file is written, not yet on disk nor renamed
    leftovers = [p for p in (golden_site / "data").iterdir() if p.name.endswith(".tmp")]
    assert leftovers and leftovers[0].stat().st_size > 0
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (golden_site / "data" / "views.json").read_bytes() == before
    # the next run counts the second log once, as if nothing had happened
    code, out, _ = views(golden_site, first, second)
    assert code == 0
    assert pages(golden_site) == {ARTICLE: 2050}
    assert summary_numbers(out)[2] == 2000


# -- what readers see -----------------------------------------------------------------------------------

def page_text(public: Path, rel: str) -> str:
    return (public / rel / "index.html").read_text(encoding="utf-8")


def test_pages_show_brought_over_and_counted_views(golden_site: Path, tmp_path: Path) -> None:
    """The footer, the article's Lượt xem, "Xem nhiều nhất" and /thong-ke/."""
    lines = [reader(n, "/" + ARTICLE) for n in range(1300)]  # 28 + 1300 passes TOP's 1234
    lines += [reader(n, "/" + OTHER, NOON - timedelta(days=40)) for n in range(7)]
    lines += [reader(n, "/" + PAGE, NOON + timedelta(hours=2)) for n in range(3)]
    assert views(golden_site, write(tmp_path / "access.log", *lines))[0] == 0
    code, _, err = cli_run("build", "--site", str(golden_site))
    assert code == 0, err
    public = golden_site / "public"
    article = page_text(public, ARTICLE)
    assert "Lượt xem: 1.328</span>" in article
    assert "Lượt xem: 82</span>" in page_text(public, OTHER)
    popular = re.search(r'<ol class="popular-list">(.*?)</ol>', article, re.S)
    assert popular is not None
    ranked = re.findall(r'href="/([^"]+)">.*?<span class="post-views">([\d.]+) lượt xem', popular[1], re.S)
    assert ranked[:3] == [(ARTICLE, "1.328"), (TOP, "1.234"), (
        "tin-tuc/2023/hoi-nghi-doi-thoai-voi-nhan-dan-ve-thu-tuc-hanh-chinh/", "310")]
    brought = 1234 + 56 + 310 + 75 + 28
    footer = re.search(r'<p class="footer-stats">(.*?)</p>', article, re.S)
    assert footer is not None
    assert f"Tổng lượt xem: {brought + 1310:,}".replace(",", ".") in footer[1]
    assert 'Lượt xem ngày <time datetime="2026-09-20">20/09/2026</time>: 1.303' in footer[1]
    assert footer[0] in page_text(public, "") and footer[0] in page_text(public, "thong-bao")

    stats = page_text(public, "thong-ke")
    assert "<title>Thống kê truy cập - " in stats
    assert f"{brought + 1310:,}".replace(",", ".") in stats
    assert f"chuyển từ cổng thông tin cũ: {brought:,}".replace(",", ".") in stats
    chart = re.search(r"<svg role=\"img\" aria-labelledby=\"stats-chart-title\".*?</svg>", stats, re.S)
    assert chart is not None
    assert '<title id="stats-chart-title">Lượt xem 12 tháng gần nhất: 10/2025 0;' in chart[0]
    assert "08/2026 7; 09/2026 1.303</title>" in chart[0]
    assert len(re.findall(r"<rect ", chart[0])) == 12
    assert re.search(r'<tr><th scope="row">09/2026</th><td>1.303</td></tr>', stats)
    assert re.search(r'<tr><th scope="row">08/2026</th><td>7</td></tr>', stats)
    top = re.findall(r'<li><a href="/([^"]+)">', re.search(r'<ol class="stats-top">(.*?)</ol>', stats, re.S)[1])
    assert top[:2] == [ARTICLE, TOP] and len(top) <= 10 and PAGE in top
    assert re.search(r'<a href="/thong-bao/">Thông báo</a></th><td>1.328</td>', stats)
    assert re.search(r'<a href="/cai-cach-hanh-chinh/">Cải cách hành chính</a></th><td>1.290</td>', stats)
    assert "<script>" not in stats and " style=" not in stats  # the theme's CSP: no inline script or style


def test_a_site_without_counts_still_has_its_statistics_page(golden_public: Path) -> None:
    stats = page_text(golden_public, "thong-ke")
    assert "Ngày thống kê gần nhất" in stats and "chưa có" in stats
    # Twelve bars of 0 and a table of 0s would be an empty block: one sentence says it instead.
    assert "stats-chart" not in stats and "Chưa đếm được lượt xem nào trong 12 tháng gần nhất." in stats
    assert "Tổng lượt xem: 1.703" in page_text(golden_public, "")


def test_old_addresses_of_a_post_keep_their_counts(make_site, tmp_path: Path) -> None:
    site = make_site({"content/tin-tuc/a.md": "---\ntitle: A\ndate: 2026-01-02\ncategory: Tin tức\nviews: 5\n"
                                              "aliases: [/tin-cu/bai-a/]\nslug: bai-moi\n---\nx\n"})
    log = write(tmp_path / "access.log", entry("/tin-tuc/2026/bai-moi/", ip="1.1.1.1"))
    assert views(site, log)[0] == 0
    counts = counted(site)
    counts["pages"]["tin-tuc/2026/bai-cu/"] = 4  # counted before the slug changed
    counts["pages"]["tin-cu/bai-a/"] = 2
    (site / "data" / "views.json").write_text(json.dumps(counts), encoding="utf-8")
    assert cli_run("build", "--site", str(site))[0] == 0
    assert "Lượt xem: 8</span>" in page_text(site / "public", "tin-tuc/2026/bai-moi")


def test_views_json_is_not_template_data_and_markdown_is_untouched(golden_site: Path, tmp_path: Path) -> None:
    content = snapshot(golden_site / "content")
    views(golden_site, write(tmp_path / "access.log", reader(1)))
    assert snapshot(golden_site / "content") == content
    from sitegen import data

    assert "views" not in data.load_data(golden_site)[0]


# -- cheap to run every hour ----------------------------------------------------------------------------

def test_after_views_only_the_pages_showing_counts_change(golden_site: Path, tmp_path: Path) -> None:
    from sitegen import incremental, pipeline

    opts = pipeline.Options(site=golden_site, output=golden_site / "public",
                            environ={"SOURCE_DATE_EPOCH": "1790000000"})
    memory = incremental.Memory()
    pipeline.run(opts, memory)
    views(golden_site, write(tmp_path / "access.log", reader(1, "/" + OTHER)))
    result = pipeline.run(opts, memory)
    assert result.rendered == 2  # the article and /thong-ke/; the sidebar and footer are put into the rest
    assert result.spliced > 10
    cold = tmp_path / "cold"
    assert cli_run("build", "--site", str(golden_site), "--output", str(cold), "--no-cache")[0] == 0
    assert snapshot(golden_site / "public") == snapshot(cold)


def test_a_theme_that_lists_views_gets_its_lists_rendered_again(golden_site: Path, tmp_path: Path) -> None:
    (golden_site / "templates").mkdir()
    (golden_site / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}{% block content %}{{ super() }}'
        '{% for other in others %}<i>{{ other.views }}</i>{% endfor %}{% endblock %}\n', encoding="utf-8")
    assert cli_run("build", "--site", str(golden_site))[0] == 0
    views(golden_site, write(tmp_path / "access.log", reader(1, "/" + OTHER)))
    assert cli_run("build", "--site", str(golden_site))[0] == 0
    cold = tmp_path / "cold"
    assert cli_run("build", "--site", str(golden_site), "--output", str(cold), "--no-cache")[0] == 0
    assert snapshot(golden_site / "public") == snapshot(cold)
    hoi_nghi = "tin-tuc/2023/hoi-nghi-doi-thoai-voi-nhan-dan-ve-thu-tuc-hanh-chinh"  # "Các tin khác" lists OTHER
    assert "<i>76</i>" in page_text(golden_site / "public", hoi_nghi)


@pytest.mark.parametrize("template, shows", [
    ("{{ post.views }}", False),
    ("{% for other in others %}{{ other.views }}{% endfor %}", True),
    ("{% for post in others %}{{ post.views }}{% endfor %}", True),
    ("{{ others|map(attribute='views')|sum }}", True),
    ("{{ post['views'] }}", True),
    ("{{ t('views') }}", False),
])
def test_which_templates_show_the_views_of_listed_posts(make_site, template: str, shows: bool) -> None:
    from sitegen import config, context, template_use, templates

    site = make_site({"templates/article.html": '{% extends "default/article.html" %}{% block content %}'
                                                 + template + "{% endblock %}\n"})
    cfg = config.load_config(site)[0]
    assert template_use.lists_show_views(templates.make_env(site, cfg), context.TEMPLATES) is shows


def test_the_benchmark_log_goes_through_the_command(golden_site: Path, tmp_path: Path) -> None:
    """The generated benchmark log (bench/gen_log.py): readers, crawlers, scanners and broken lines."""
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_log

    public = tmp_path / "public"
    assert cli_run("build", "--site", str(golden_site), "--output", str(public))[0] == 0
    log = tmp_path / "access.log"
    gen_log.generate(public, log, 3000, days=3, seed=7)
    code, out, _ = views(golden_site, log)
    assert code == 0
    lines, files, added, crawlers, unreadable = summary_numbers(out)
    assert (lines, files) == (3000, 1) and added > 100 and crawlers > 100
    assert sum(counted(golden_site)["days"].values()) == added


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=300), stamp=st.text(max_size=40), target=st.text(max_size=60))
def test_no_line_crashes_the_count(raw: bytes, stamp: str, target: str) -> None:
    from sitegen import viewcount, viewfile
    from sitegen.accesslog import LineReader

    reader_ = LineReader("/", VN, lambda rel: True)
    state, tally = viewfile.Counted(), viewcount.Tally()
    made = f'1.2.3.4 - - [{stamp}] "GET {target} HTTP/1.1" 200 1 "-" "{PHONE}"\n'.encode("utf-8", "replace")
    for line in (raw + b"\n", made):
        viewcount._count_line(line, state, reader_, tally)
    assert tally.lines == 2
    assert tally.views + tally.unreadable + tally.crawlers <= 2
    assert sum(state.pages.values()) == tally.views == sum(state.days.values())


def test_a_count_of_views_leaves_the_search_index_and_its_records_alone(golden_site: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A search record holds no count of views: after `views`, the build neither makes any record again nor
    rewrites the index's state in the cache, and the page shows its new count."""
    from sitegen import incremental, pipeline, search, search_records

    opts = pipeline.Options(site=golden_site, output=golden_site / "public",
                            environ={"SOURCE_DATE_EPOCH": "1790000000"})
    assert not pipeline.run(opts).problems.failed()
    state = incremental.cache_dir_for(golden_site, opts.output) / search.STATE_FILE
    before = (state.read_bytes(), state.stat().st_mtime_ns)
    shown = page_text(opts.output, OTHER)
    views(golden_site, write(tmp_path / "access.log", reader(1, "/" + OTHER)))
    made: list[str] = []
    real = search_records.post_record
    monkeypatch.setattr(search_records, "post_record",
                        lambda post, lang: (made.append(post.source), real(post, lang))[1])
    result = pipeline.run(opts)
    assert not result.problems.failed() and page_text(opts.output, OTHER) != shown
    assert made == []
    assert (state.read_bytes(), state.stat().st_mtime_ns) == before


def test_the_preview_keeps_its_feeds_after_a_count_of_views(golden_site: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed shows no count of views: in one process (`serve`), the build after `views` reuses the feeds
    its last build made, and they are those of a cold build."""
    from sitegen import feeds, incremental, pipeline

    opts = pipeline.Options(site=golden_site, output=golden_site / "public",
                            environ={"SOURCE_DATE_EPOCH": "1790000000"})
    memory = incremental.Memory()
    assert not pipeline.run(opts, memory).problems.failed()
    assert OTHER.removesuffix("/").rsplit("/", 1)[1] in (opts.output / "feed.xml").read_text(encoding="utf-8")
    views(golden_site, write(tmp_path / "access.log", reader(1, "/" + OTHER)))
    made: list[str] = []
    real = feeds.build_feeds
    monkeypatch.setattr(feeds, "build_feeds", lambda *a, **k: (made.append("made"), real(*a, **k))[1])
    assert not pipeline.run(opts, memory).problems.failed() and made == []
    cold = tmp_path / "cold"
    assert cli_run("build", "--site", str(golden_site), "--output", str(cold), "--no-cache")[0] == 0
    assert {rel: data for rel, data in snapshot(opts.output).items() if rel.endswith(".xml")} == \
        {rel: data for rel, data in snapshot(cold).items() if rel.endswith(".xml")}
