"""Generate a realistic nginx "combined" access log for a built portal.

    python bench/gen_log.py PUBLIC_DIR OUT.log [--lines 1000000] [--days 7] [--seed 1]

Readers open articles (a few far more often than the rest), the home page and
listings, then fetch the theme's assets, often answered 304; crawlers
(Googlebot, bingbot, AhrefsBot, coccocbot, ...) walk the site; scanners probe
for other software (404s, POSTs); a few lines are broken. Times rise through
`--days` days in +0700, as nginx writes them. A benchmark input, not a test.
"""

from __future__ import annotations

import argparse
import itertools
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

PEOPLE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.0 "
    "Chrome/118.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; CPH2211 Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Zalo android/12100637 ZaloTheme/light "
    "ZaloLanguage/vi",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 Zalo iOS/23.12.01 ZaloTheme/dark ZaloLanguage/vi",
    "Mozilla/5.0 (Linux; Android 14; 23053RN02A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Version/4.0 Chrome/125.0.6422.53 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/465.0.0.46.86;]",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile "
    "Safari/537.36 coc_coc_browser/123.0.236",
)
CRAWLERS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "curl/8.5.0",
)
ASSETS = ("assets/css/site.css", "assets/js/site.js", "assets/favicon.svg", "images/logo.png")
PROBES = ("/wp-login.php", "/.env", "/admin/config.php", "/xmlrpc.php", "/phpmyadmin/index.php")
REFERRERS = ("-", "https://www.google.com/", "https://coccoc.com/search?query=ubnd", "https://zalo.me/",
             "https://m.facebook.com/")


def site_pages(public: Path) -> tuple[list[str], list[str]]:
    """(article and page addresses, listing addresses) of a built site, from its output folder."""
    articles, listings = [], []
    for index in public.rglob("index.html"):
        rel = index.parent.relative_to(public).as_posix()
        parts = rel.split("/") if rel != "." else []
        if len(parts) == 3 and parts[1].isdigit():
            articles.append(rel + "/")
        elif parts and "page" not in parts:
            listings.append(rel + "/")
    return sorted(articles), sorted(listings)


def clients(rng: random.Random, count: int) -> list[tuple[str, str]]:
    found = []
    for _ in range(count):
        first = rng.choice((14, 27, 42, 113, 116, 117, 171, 183, 222))
        ip = f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        if rng.random() < 0.05:
            ip = f"2001:ee0:{rng.randrange(65536):x}:{rng.randrange(65536):x}::{rng.randrange(1, 65536):x}"
        found.append((ip, rng.choice(PEOPLE)))
    return found


def stamp(when: datetime) -> str:
    return when.strftime("%d/%b/%Y:%H:%M:%S %z")


def line(ip: str, when: datetime, method: str, path: str, status: int, size: int, ref: str, ua: str) -> str:
    return f'{ip} - - [{stamp(when)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"\n'


def generate(public: Path, out: Path, lines: int, days: int, seed: int,
             start: datetime | None = None) -> None:
    rng = random.Random(seed)
    articles, listings = site_pages(public)
    weights = [1 / (rank + 10) for rank in range(len(articles))]  # a few articles are read far more than the rest
    weights.reverse()
    cumulative = list(itertools.accumulate(weights))
    people = clients(rng, 20000)
    bots = [(f"66.249.{rng.randrange(64, 80)}.{rng.randrange(1, 255)}", ua) for ua in CRAWLERS for _ in range(8)]
    zone = timezone(timedelta(hours=7))
    when = start or datetime(2026, 11, 28, 0, 0, 5, tzinfo=zone)
    step = days * 86400 / lines
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        while written < lines:
            chunk = []
            roll = rng.random()
            if roll < 0.55:  # a reader: one page, then its assets
                ip, ua = rng.choice(people)
                if rng.random() < 0.75:
                    page = rng.choices(articles, cum_weights=cumulative)[0]
                else:
                    page = rng.choice(listings + [""])
                query = rng.choice(("", "", "", "?fbclid=IwAR0x", "?utm_source=zalo&utm_medium=social"))
                path = "/" + page + ("index.html" if rng.random() < 0.05 else "") + query
                status = 304 if rng.random() < 0.1 else 200
                chunk.append(line(ip, when, "GET", path, status, 18000, rng.choice(REFERRERS), ua))
                for asset in rng.sample(ASSETS, rng.randrange(0, 5)):
                    chunk.append(line(ip, when, "GET", "/" + asset, rng.choice((200, 304, 304)), 3400,
                                      "https://mauson.example/" + page, ua))
            elif roll < 0.85:  # a crawler
                ip, ua = rng.choice(bots)
                page = rng.choice(articles + listings + ["feed.xml", "sitemap.xml", "robots.txt"])
                chunk.append(line(ip, when, "GET", "/" + page, 200, 18000, "-", ua))
            elif roll < 0.97:  # scanners and mistakes
                ip, ua = rng.choice(people)
                method = rng.choice(("GET", "POST", "HEAD"))
                chunk.append(line(ip, when, method, rng.choice(PROBES), rng.choice((404, 404, 400, 405)), 150,
                                  "-", ua))
            elif roll < 0.999:  # a page under a percent-encoded or slash-less address
                ip, ua = rng.choice(people)
                page = rng.choice(articles)
                chunk.append(line(ip, when, "GET", "/" + page.rstrip("/"), 301, 162, "-", ua))
            else:  # broken lines: TLS on the plain port, a cut line
                chunk.append(rng.choice((f'{rng.choice(people)[0]} - - [{stamp(when)}] "\\x16\\x03\\x01\\x00" 400 '
                                         '157 "-" "-"\n', '113.160.1.2 - - [05/Dec/2026:10:1\n',
                                         "\\x00\\x00garbage\n")))
            for text in chunk[: lines - written]:
                handle.write(text)
            written += len(chunk[: lines - written])
            when += timedelta(seconds=step * len(chunk))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("public", type=Path, help="a built output folder (its articles are what readers open)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.public, args.out, args.lines, args.days, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def hour_log(public: Path, out: Path, start: datetime, pages: int = 200, hot_views: int = 0,
             seed: int = 1) -> None:
    """An hour of readers for the rebuild benchmark: `pages` articles read once or a few times, and the
    first of them read by `hot_views` more readers, so that it enters "Xem nhiều nhất"."""
    rng = random.Random(seed)
    articles = rng.sample(site_pages(public)[0], pages)
    people = clients(rng, max(hot_views, 1) + pages * 3)
    when = start
    with out.open("w", encoding="utf-8") as handle:
        for n, page in enumerate(articles):
            for ip, ua in rng.sample(people, rng.randrange(1, 4) + (hot_views if n == 0 else 0)):
                handle.write(line(ip, when, "GET", "/" + page, 200, 18000, "-", ua))
                when += timedelta(milliseconds=50)
