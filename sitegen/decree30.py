"""Decree 30/2020/NĐ-CP on clerical work: the 29 document types and the form of a number and code.

Pure functions, no I/O. A number and code (số, ký hiệu) reads
``38/KH-UBND`` or, for legal documents, ``12/2025/QĐ-UBND``:

- the number, in Arabic digits, restarting at 01 each year; numbers below 10
  carry a leading zero (``05``, never ``5`` or ``005``);
- the year of issue in four digits, for legal normative documents only;
- the code: the type's abbreviation, then the issuing body's (``KH-UBND``),
  each part starting with a capital letter (``TTr``, ``QyĐ``); a Công văn
  has no type abbreviation, its code is the body's, then the drafting unit's
  (``UBND-VP``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from sitegen.text import slugify

# The 29 types of Appendix III, in its order, with their abbreviations (None: the type has none).
TYPES: dict[str, str | None] = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công văn": None, "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB", "Thư công": None,
}
BY_ABBREVIATION = {abbr: name for name, abbr in TYPES.items() if abbr}
# Abbreviations of bodies and types that carry Đ, which authors often type as D.
WITH_D_BAR = ("QĐ", "QyĐ", "ĐA", "HĐ", "CĐ", "HĐND", "ĐBQH")
EXAMPLES = "38/KH-UBND, 12/2025/QĐ-UBND"

_FORM = re.compile(r"^(?P<number>\d+)/(?:(?P<year>\d{4})/)?(?P<code>[^/\s]+)$")
_PART = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9]*$")
_ETH = "\u00d0"  # Ð, the Icelandic eth: looks like Đ, is another letter


@dataclass(frozen=True, slots=True)
class Number:
    """A checked number and code."""

    number: int
    year: int | None  # the year part, for legal documents
    code: str  # "KH-UBND"
    text: str  # as written, normalised: "38/KH-UBND"

    @property
    def type_abbreviation(self) -> str:
        return self.code.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class Mistake:
    """Why a number and code is not in Decree 30 form: a message code of i18n and its parameters."""

    code: str
    args: tuple[tuple[str, str], ...] = ()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def parse_number(text: str) -> Number | Mistake:
    """`38/KH-UBND` -> Number; anything else -> the Mistake that explains it."""
    value = normalise(text)
    if _ETH in value:
        return Mistake("doc_number_eth", (("fixed", value.replace(_ETH, "Đ")),))
    if " " in value and _FORM.match(value.replace(" ", "")):
        return Mistake("doc_number_spaces", (("fixed", value.replace(" ", "")),))
    found = _FORM.match(value)
    if not found:
        return Mistake("doc_number_form")
    digits, year, code = found["number"], found["year"], found["code"]
    if int(digits) == 0:
        return Mistake("doc_number_zero")
    if len(digits) < 2 or (len(digits) > 2 and digits.startswith("0")):
        fixed = f"{int(digits):02d}/" + (f"{year}/" if year else "") + code
        return Mistake("doc_number_padding", (("fixed", fixed),))
    return _code_mistake(code) or Number(int(digits), int(year) if year else None, code, value)


def _code_mistake(code: str) -> Mistake | None:
    """The part after the number: letters and digits between hyphens, Đ written as such."""
    parts = code.split("-")
    if not all(_PART.match(part) for part in parts):
        return Mistake("doc_number_code", (("part", code),))
    for part in parts:
        bar = next((a for a in WITH_D_BAR if a.replace("Đ", "D") == part and part not in BY_ABBREVIATION), None)
        if bar:
            return Mistake("doc_number_d_bar", (("part", part), ("fixed", bar)))
    return None


def type_mismatch(number: Number, type_name: str) -> Mistake | None:
    """The code's type abbreviation against the declared type: `38/QĐ-UBND` is no Kế hoạch."""
    expected = TYPES.get(type_name)
    first = number.type_abbreviation
    if expected is None:
        if first in BY_ABBREVIATION and "-" in number.code:
            return Mistake("doc_number_not_letter", (("abbr", first), ("other", BY_ABBREVIATION[first]),
                                                     ("type", type_name)))
        return None
    if "-" not in number.code:
        return Mistake("doc_number_no_body", (("abbr", expected),))
    if first != expected:
        return Mistake("doc_number_wrong_type", (("abbr", first), ("type", type_name), ("expected", expected)))
    return None


def find_type(value: str) -> str | None:
    """The type named by `value` (any case, spacing), or None."""
    wanted = normalise(value).casefold()
    return next((name for name in TYPES if name.casefold() == wanted), None)


def closest_type(value: str) -> str | None:
    """The type most like `value`, diacritics or not: 'Quyet dinh' -> 'Quyết định'."""
    written = normalise(value)
    for spelling in (written, written.upper(), written.upper().replace("D", "Đ")):
        if spelling in BY_ABBREVIATION:
            return BY_ABBREVIATION[spelling]
    by_slug = {slugify(name): name for name in TYPES}
    found = difflib.get_close_matches(slugify(value), list(by_slug), n=1, cutoff=0.6)
    return by_slug[found[0]] if found else None


def type_slug(name: str) -> str:
    """URL segment of a type: 'Kế hoạch' -> 'ke-hoach'."""
    return slugify(name)


# Types whose abbreviation written with D instead of Đ is another type's (HĐ Hợp đồng / HD Hướng dẫn,
# ĐA Đề án / DA Dự án): in their URLs Đ is "dd", so 01/HĐ-UBND and 01/HD-UBND of one year never share one.
_DD_IN_SLUG = ("HĐ", "ĐA")


def number_slug(text: str) -> str:
    """URL segment of a number and code: '12/2025/QĐ-UBND' -> '12-2025-qd-ubnd', '01/HĐ-UBND' -> '01-hdd-ubnd'."""
    code = text.rsplit("/", 1)[-1]
    if code.split("-", 1)[0] in _DD_IN_SLUG:
        text = text.replace("Đ", "DD")
    return slugify(text)
