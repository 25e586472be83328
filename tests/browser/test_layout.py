"""What a citizen sees on a phone and a desktop: nothing wider than the screen, nothing cut off."""

from __future__ import annotations

import pytest

# Pages beyond the ones test_theme.py and test_portal_pages.py walk through.
PAGES = {"members": "/xa-phuong/", "member-news": "/tin-tu-co-so/", "search": "/tim-kiem/?q=cai%20cach",
         "stats": "/thong-ke/", "register": "/van-ban/", "schedule": "/lich-cong-tac/"}

WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                  && !el.closest('.table-scroll') && getComputedStyle(el).position !== 'absolute')
    .map(el => el.tagName + '.' + el.className)"""


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_nothing_wider_than_a_phone(site, phone_context, name: str, width: int) -> None:
    page, traffic = phone_context(width)
    page.goto(site.url(PAGES[name]))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(WIDER_THAN_SCREEN) == []
    assert traffic.errors == []


@pytest.mark.parametrize("selector", [".doc-register caption"])
def test_a_table_read_as_a_list_keeps_its_caption_full_width(site, phone_context, selector: str) -> None:
    page, _ = phone_context(390)
    page.goto(site.url("/van-ban/"))
    caption = page.locator(selector).first.bounding_box()
    rows = page.locator(".doc-register tbody tr").first.bounding_box()
    assert caption["width"] >= rows["width"] * 0.9, "the caption is squeezed into a narrow column"
    assert caption["height"] < 100


PLACEHOLDER_FITS = """el => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text: ctx.measureText(el.placeholder).width, room};
}"""


@pytest.mark.parametrize("width", [1366, 390, 360])
def test_header_search_hint_is_not_cut_off(site, new_context, width: int) -> None:
    context, _ = new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site.url("/"))
    sizes = page.locator("#site-search-q").evaluate(PLACEHOLDER_FITS)
    assert sizes["text"] <= sizes["room"], sizes


ARROW_GAP = """a => {
    const text = [...a.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const arrow = a.querySelector('[aria-hidden]');
    const glyph = document.createRange();
    const at = arrow.textContent.search(/[«»]/);
    glyph.setStart(arrow.firstChild, at);
    glyph.setEnd(arrow.firstChild, at + 1);
    const words = document.createRange();
    const trimmed = text.textContent.trimEnd().length;
    words.setStart(text, trimmed - 1);
    words.setEnd(text, trimmed);
    const [g, w] = [glyph.getBoundingClientRect(), words.getBoundingClientRect()];
    return Math.abs(g.top - w.top) < 4 ? Math.min(Math.abs(g.left - w.right), Math.abs(w.left - g.right)) : 99;
}"""


def test_schedule_arrows_keep_a_space_from_their_words(site, desktop) -> None:
    page, _ = desktop
    page.goto(site.url("/lich-cong-tac/"))
    link = page.locator(".schedule-nav a[rel=next]")
    assert link.evaluate(ARROW_GAP) >= 3, "the arrow is glued to the week's dates"
