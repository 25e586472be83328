"""The register, a document, the schedule, the leaders' page and the filter of the communes in Chromium: phones,
print, axe."""

from __future__ import annotations

import pytest

from tests.browser.test_axe import TAGS, axe_source, describe  # noqa: F401 - axe_source is a fixture

expect = pytest.importorskip("playwright.sync_api").expect

PAGES = {"register": "/van-ban/", "document": "/van-ban/2026/08-2026-qd-ubnd/", "schedule": "/lich-cong-tac/",
         "week": "/lich-cong-tac/2026/tuan-49/", "leaders": "/lanh-dao/", "map": "/ban-do-hanh-chinh/"}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_horizontal_scroll_at_360(site, phone_context, name: str) -> None:
    page, traffic = phone_context(360)
    page.goto(site.url(PAGES[name]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert traffic.errors == []


def test_register_is_a_table_on_desktop_and_a_list_at_360(site, desktop, phone_context) -> None:
    page, _ = desktop
    page.goto(site.url("/van-ban/"))
    assert page.eval_on_selector(".doc-register", "el => getComputedStyle(el).display") == "table"
    assert page.locator(".doc-register thead").is_visible()
    phone, _ = phone_context(360)
    phone.goto(site.url("/van-ban/"))
    row = phone.locator(".doc-register tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    label = row.locator("td").first.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Ngày ban hành: "'
    cells = row.locator("th, td")
    lefts = {round(cells.nth(i).bounding_box()["x"]) for i in range(cells.count())}
    assert len(lefts) == 1, "each cell starts a line of its own"
    assert row.bounding_box()["width"] <= 360


def test_week_prints_on_one_a4_page(site, desktop, tmp_path) -> None:
    pypdf = pytest.importorskip("pypdf")
    page, _ = desktop
    for path in ("/lich-cong-tac/2026/tuan-48/", "/lich-cong-tac/2026/tuan-49/"):
        page.goto(site.url(path))
        page.emulate_media(media="print")
        target = tmp_path / "week.pdf"
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        reader = pypdf.PdfReader(target)
        assert len(reader.pages) == 1, path
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
        text = reader.pages[0].extract_text()
        assert "Lịch này thay giấy mời họp" in text and "Thứ Hai" in text
        assert not page.locator(".site-header").is_visible() and not page.locator(".sidebar").is_visible()


def test_about_menu_by_keyboard(site, desktop) -> None:
    page, _ = desktop
    page.goto(site.url("/"))
    sub = page.locator(".has-sub .sub-menu")
    assert not sub.is_visible()
    page.locator(".has-sub > a").focus()
    page.keyboard.press("Tab")
    assert sub.is_visible(), "the sub-menu opens when focus enters it"
    assert page.evaluate("document.activeElement.closest('.sub-menu') !== null")


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_axe_violations(axe_source: str, site, new_context, name: str, width: int) -> None:  # noqa: F811
    phone = width < 600
    context, traffic = new_context(bypass_csp=True, viewport={"width": width, "height": 844 if phone else 900},
                                   is_mobile=phone, has_touch=phone)
    page = context.new_page()
    response = page.goto(site.url(PAGES[name]), wait_until="load")
    assert response is not None and response.status == 200
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                                         resultTypes: ["violations"]})""", TAGS)
    assert result["violations"] == [], f"{PAGES[name]} at {width}px:\n{describe(result['violations'])}"
    assert traffic.errors == []


def test_the_communes_are_filtered_by_name_or_address_as_typed(site, desktop, new_context) -> None:
    """/xa-phuong/: the words typed, with or without marks, keep the communes whose name or address has words
    starting so (not the labels, the web address or the phone), the count is announced once typing pauses,
    and the words stay in the address; without JavaScript there is no box and the whole list."""
    page, traffic = desktop
    page.goto(site.url("/xa-phuong/"))
    box, status = page.locator("#member-filter"), page.locator("[data-member-filter] [role=status]")
    shown = page.locator(".member:visible .member-title")
    expect(shown).to_have_count(2)
    box.fill("tan hoa")
    expect(shown).to_have_text(["Trang thông tin điện tử xã Tân Hòa"])
    expect(status).to_have_text("1 xã, phường khớp với “tan hoa”.")
    assert page.url.endswith("/xa-phuong/?q=tan%20hoa")
    box.fill("ĐƯỜNG HOÀNG VĂN THỤ")  # the address, in capitals
    expect(shown).to_have_text(["Trang thông tin điện tử phường Bắc Sơn"])
    box.fill("Đồng Tâm.")  # punctuation is not a letter to match
    expect(shown).to_have_text(["Trang thông tin điện tử xã Tân Hòa"])
    for words in ("dien thoai", "https", "mauson", "0205", "am"):  # a label, the web address, the phone, mid-word
        box.fill(words)
        expect(shown).to_have_count(0)
    expect(status).to_have_text("Không có xã, phường nào khớp với “am”.")
    box.press("Enter")  # nothing to submit: the page stays
    box.fill("")
    expect(shown).to_have_count(2)
    expect(status).to_have_text("")
    assert page.url.endswith("/xa-phuong/")
    page.goto(site.url("/xa-phuong/?q=bac%20son"))  # a shared or restored address filters at once
    expect(shown).to_have_text(["Trang thông tin điện tử phường Bắc Sơn"])
    assert box.input_value() == "bac son" and traffic.errors == []
    context, _ = new_context(java_script_enabled=False)
    bare = context.new_page()
    bare.goto(site.url("/xa-phuong/"))
    assert bare.locator("[data-member-filter]").is_hidden() and bare.locator(".member").count() == 2
