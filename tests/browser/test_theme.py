"""The default theme in a real browser: font-size control, phones, menu, print, no outside requests."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

PHONE_WIDTHS = [360, 390]
MAX_TABS = 40


def body_px(page: Any) -> float:
    """Computed font size of the article's first paragraph, in CSS pixels."""
    return float(page.eval_on_selector(".prose p", "el => parseFloat(getComputedStyle(el).fontSize)"))


def shown_size(page: Any) -> str:
    return page.inner_text("[data-font-control] output").strip()


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the element matching selector has the focus."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{selector} not reached with {MAX_TABS} presses of Tab")


# --- font-size control ---------------------------------------------------------------------


def test_font_control_steps_remembers_and_follows_to_other_pages(site, desktop) -> None:
    page, traffic = desktop
    page.goto(site.url(site.article))
    control = page.locator("[data-font-control]")
    assert control.is_visible()
    assert shown_size(page) == "100%"
    base = body_px(page)
    larger = control.locator('[data-font-step="1"]')
    larger.click()
    larger.click()
    assert shown_size(page) == "120%"
    assert body_px(page) == pytest.approx(base * 1.2, abs=0.5)

    page.reload()
    assert shown_size(page) == "120%"
    assert body_px(page) == pytest.approx(base * 1.2, abs=0.5)

    page.goto(site.url(site.other_article))
    assert shown_size(page) == "120%"
    assert body_px(page) == pytest.approx(base * 1.2, abs=0.5)
    assert traffic.errors == []


def test_font_control_limits(site, desktop) -> None:
    page, _ = desktop
    page.goto(site.url(site.article))
    base = body_px(page)
    smaller = page.locator('[data-font-step="-1"]')
    larger = page.locator('[data-font-step="1"]')
    for _ in range(5):  # one press more than needed: nothing happens at the limit
        smaller.click(force=True)
    assert shown_size(page) == "80%"
    assert body_px(page) == pytest.approx(base * 0.8, abs=0.5)
    assert smaller.get_attribute("aria-disabled") == "true"
    assert larger.get_attribute("aria-disabled") == "false"
    for _ in range(8):
        larger.click(force=True)
    assert shown_size(page) == "150%"
    assert body_px(page) == pytest.approx(base * 1.5, abs=0.5)
    assert larger.get_attribute("aria-disabled") == "true"
    assert smaller.get_attribute("aria-disabled") == "false"


def test_font_control_by_keyboard_and_for_screen_readers(site, desktop) -> None:
    page, _ = desktop
    page.goto(site.url(site.article))
    control = page.locator("[data-font-control]")
    assert control.get_attribute("role") == "group" and control.get_attribute("aria-label")
    live = control.locator("output")
    assert live.get_attribute("aria-live") == "polite" or live.get_attribute("role") == "status"
    for button in control.locator("button").all():
        name = button.get_attribute("aria-label") or ""
        assert button.inner_text().strip() in name, "the accessible name must contain the visible text"
        assert button.get_attribute("type") == "button"

    tab_to(page, '[data-font-step="1"]')
    page.keyboard.press("Enter")
    assert shown_size(page) == "110%"
    page.keyboard.press("Space")
    assert shown_size(page) == "120%"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.fontStep") == "-1"
    page.keyboard.press("Enter")
    assert shown_size(page) == "110%"
    # The focused button is visibly outlined.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


# --- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("name", ["home", "article", "category", "tag", "404"])
def test_no_horizontal_scroll_on_phones(site, phone_context, name: str, width: int) -> None:
    page, _ = phone_context(width)
    page.goto(site.url(site.pages[name]))
    sizes = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert sizes["scroll"] <= sizes["inner"] == width
    wider = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                      && !el.closest('table, .table-scroll') && getComputedStyle(el).position !== 'absolute')
        .map(el => el.tagName + '.' + el.className)""")
    assert wider == []


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_wide_table_scrolls_in_its_own_box(site, phone_context, width: int) -> None:
    page, _ = phone_context(width)
    page.goto(site.url(site.article))
    table = page.locator(".prose table").first
    box = table.evaluate("""el => ({scroll: el.scrollWidth, client: el.clientWidth,
                                    overflow: getComputedStyle(el).overflowX,
                                    right: el.getBoundingClientRect().right, tabindex: el.getAttribute('tabindex')})""")
    assert box["scroll"] > box["client"], "the sample table should be wider than a phone"
    assert box["overflow"] in ("auto", "scroll")
    assert box["right"] <= width
    assert box["tabindex"] == "0", "a scrolling table must be reachable by keyboard"
    table.evaluate("el => el.scrollLeft = 10000")
    assert table.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0


def test_mobile_menu_by_keyboard(site, phone_context) -> None:
    page, _ = phone_context(390)
    page.goto(site.url(site.article))
    button = page.locator("[data-menu-toggle]")
    links = page.locator("#nav-menu a")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert not links.first.is_visible()

    tab_to(page, "[data-menu-toggle]")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert links.count() >= 2
    for link in links.all():
        assert link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#nav-menu') !== null")
    assert page.evaluate("document.activeElement.href") == links.first.evaluate("el => el.href")

    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not links.first.is_visible()
    assert button.evaluate("el => el === document.activeElement")

    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_tap_targets_on_phones(site, phone_context, width: int) -> None:
    page, _ = phone_context(width)
    page.goto(site.url(site.article))
    page.click("[data-menu-toggle]")
    selectors = ["[data-menu-toggle]", "#nav-menu a", "[data-font-control] button", "[data-print]",
                 ".breadcrumb a", ".tags a", ".footer-links a", ".rss-link"]
    small = []
    for selector in selectors:
        elements = page.locator(selector).all()
        assert elements, f"nothing matches {selector}"
        for element in elements:
            box = element.bounding_box()
            assert box is not None, f"{selector} is not shown"
            if box["height"] < 44 or box["width"] < 44:
                small.append(f"{selector} {element.inner_text()!r}: {box['width']:.0f}x{box['height']:.0f}")
    assert small == []


# --- print ---------------------------------------------------------------------------------


def test_print_shows_the_article_alone(site, desktop) -> None:
    page, _ = desktop
    page.goto(site.url(site.article))
    page.emulate_media(media="print")
    for selector in [".site-nav", ".sidebar", ".site-footer", ".breadcrumb", "[data-font-control]",
                     ".article-tools", ".skip-link"]:
        assert page.locator(selector).count() >= 1, selector
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    for selector in [".article-title", ".article-meta time", ".prose p", ".prose table"]:
        assert page.locator(selector).first.is_visible(), f"{selector} is not printed"
    figures = page.locator(".article-body figure")
    assert figures.count() >= 2
    # Printing fires beforeprint: every photo, lazy ones included, must then load.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function("[...document.querySelectorAll('.article-body img')]"
                           ".every(img => img.complete && img.naturalWidth > 0)")
    for figure in figures.all():
        assert figure.is_visible()
        assert figure.locator("img").bounding_box()["height"] > 50
        assert figure.locator("figcaption").is_visible()
    main_width = page.eval_on_selector("main", "el => el.getBoundingClientRect().width")
    assert main_width > 0.9 * page.viewport_size["width"] - 100, "the article takes the whole sheet"
    page.emulate_media(media="screen")
    assert page.locator(".sidebar").is_visible()


# --- light, self-contained pages -----------------------------------------------------------


def test_every_request_stays_on_127_0_0_1(site, new_context) -> None:
    context, traffic = new_context()
    page = context.new_page()
    for path in site.pages.values():
        page.goto(site.url(path), wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_load_state("networkidle")
    assert traffic.requests, "no request was seen"
    assert traffic.blocked == []
    assert all(url.startswith(site.base + "/") for url in traffic.requests), traffic.requests


@pytest.mark.parametrize("name", ["home", "article", "category", "tag", "404"])
def test_no_console_errors(site, new_context, name: str) -> None:
    context, traffic = new_context()
    page = context.new_page()
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto(site.url(site.pages[name]), wait_until="networkidle")
    assert response is not None and response.status == (404 if name == "404" else 200)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    errors = [e for e in traffic.errors if not (name == "404" and e.startswith(response.url + ": Failed to load"))]
    assert errors == []
    assert csp == []


def test_below_the_fold_images_are_lazy_and_sized(site, desktop) -> None:
    page, _ = desktop
    for path in ["/", site.article, site.category]:
        page.goto(site.url(path))
        images = page.evaluate("""() => [...document.querySelectorAll('main img, aside img')].map(img => ({
            src: img.getAttribute('src'), lazy: img.loading === 'lazy',
            width: img.getAttribute('width'), height: img.getAttribute('height'),
            top: img.getBoundingClientRect().top + window.scrollY}))""")
        assert images, path
        for image in images:
            assert image["width"] and image["height"], f"{path}: {image['src']} has no width and height"
            if image["top"] > 1.5 * page.viewport_size["height"]:
                assert image["lazy"], f"{path}: {image['src']} is below the fold but not lazy"
    page.goto(site.url(site.article))
    assert page.evaluate("document.querySelector('.cover img').loading") != "lazy", "the cover is seen first"


def test_css_and_javascript_stay_small(site) -> None:
    """The whole theme is one stylesheet and one script, read on a slow phone link."""
    css = (site.root / "assets/css/site.css").read_bytes()
    js = (site.root / "assets/js/site.js").read_bytes()
    # 21 KB since the register, schedule, leaders and statistics pages: what travels (gzip) stays within 5 KB.
    assert len(css) <= 21 * 1024 and len(gzip.compress(css, 9)) <= 5 * 1024
    assert len(js) <= 6 * 1024 and len(gzip.compress(js, 9)) <= 2 * 1024
    # The search page's own script and stylesheet are loaded by /tim-kiem/ only.
    assert sorted(p.name for p in (site.root / "assets").rglob("*") if p.is_file()) == \
        ["favicon.svg", "search.css", "search.js", "site.css", "site.js"]
    page = (site.root / "index.html").read_text(encoding="utf-8")
    assert "search.js" not in page and "search.css" not in page


def test_without_javascript(site, new_context) -> None:
    context, traffic = new_context(java_script_enabled=False, viewport={"width": 390, "height": 800},
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site.url(site.article))
    assert not page.locator("[data-font-control]").is_visible()
    assert not page.locator("[data-print]").is_visible()
    assert not page.locator("[data-menu-toggle]").is_visible()
    links = page.locator("#nav-menu a")
    assert links.count() >= 2
    for link in links.all():
        assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_page_structure(site, desktop) -> None:
    """Landmarks, one h1, skip link, lang, breadcrumb as nav, sharing tags."""
    page, _ = desktop
    for name, path in site.pages.items():
        page.goto(site.url(path))
        assert page.get_attribute("html", "lang") == "vi"
        assert page.locator("h1").count() == 1, f"{name}: one h1"
        assert page.locator("header.site-header").count() == 1
        assert page.locator("main#main").count() == 1
        assert page.locator("footer.site-footer").count() == 1
        assert page.locator("nav[aria-label]").count() >= 1
        skip = page.locator("a.skip-link")
        assert skip.get_attribute("href") == "#main"
        assert page.locator('meta[property="og:title"]').count() == 1
        if name != "404":
            assert page.locator('link[rel="canonical"]').count() == 1
            assert page.locator('meta[property="og:url"]').get_attribute("content") == \
                page.locator('link[rel="canonical"]').get_attribute("href")
    page.goto(site.url(site.article))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator("a.skip-link").is_visible(), "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    crumbs = page.locator("nav.breadcrumb[aria-label] ol li")
    assert crumbs.count() == 3
    assert crumbs.last.locator("[aria-current=page]").count() == 1
    assert page.locator('meta[property="og:type"]').get_attribute("content") == "article"
    assert page.locator('meta[property="og:image"]').get_attribute("content").startswith("https://")
    for img in page.locator(".article-body img").all():
        assert (img.get_attribute("alt") or "").strip()
    for table in page.locator(".prose table").all():
        assert table.locator("th").count() >= 1
