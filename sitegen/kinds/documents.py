"""Official documents of the register (content/van-ban/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sitegen import decree30
from sitegen.kinds.values import BUILT, BUILT_TEXT, DATE, TEXT, built, read_text, texts_of
from sitegen.schema import (
    MISSING,
    Check,
    Field,
    Kind,
    Value,
    model_class,
)
from sitegen.text import closest, slugify

# --- official documents (content/van-ban/) --------------------------------------------------------
# A document of the register (README, "Đăng văn bản"); `documents` resolves its files and links.

IN_FORCE, EXPIRED, NOT_YET = "Còn hiệu lực", "Hết hiệu lực", "Chưa có hiệu lực"
STATUSES = (IN_FORCE, EXPIRED, NOT_YET)


@dataclass(frozen=True, slots=True)
class Attachment:
    __module__ = "sitegen.kinds"  # the name messages and templates know it by

    path: str  # site path, "/van-ban/tep/38-kh-ubnd.pdf"
    name: str  # file name
    size: int  # bytes
    label: str  # "PDF"
    media_type: str


@dataclass(frozen=True, slots=True)
class DocRef:
    """Another document as a link shows it."""

    __module__ = "sitegen.kinds"  # the name messages and templates know it by

    so_ky_hieu: str
    url: str
    loai: str
    trich_yeu: str
    ngay_ban_hanh: datetime


def read_number(value: Any, key: str, check: Check) -> str:
    """A number and code in the form of Decree 30/2020 (`38/KH-UBND`, `12/2025/QĐ-UBND`), normalised."""
    text = read_text(value, key, check)
    if not text:
        return ""
    parsed = decree30.parse_number(text)
    if isinstance(parsed, decree30.Mistake):
        check.add(key, parsed.code, value=text, examples=decree30.EXAMPLES, **dict(parsed.args))
        return ""
    return parsed.text


def read_type(value: Any, key: str, check: Check) -> str:
    """One of the 29 types of Decree 30, any case; otherwise an error naming the closest."""
    text = read_text(value, key, check)
    found = decree30.find_type(text) if text else ""
    if found is None:
        check.add(key, "doc_unknown_type", value=text, hint=decree30.closest_type(text) or "")
        return ""
    return found


def read_status(value: Any, key: str, check: Check) -> str:
    text = read_text(value, key, check)
    if text and text not in STATUSES:
        check.add(key, "doc_bad_status", value=text, choices=", ".join(STATUSES),
                  hint=closest(text, list(STATUSES)) or "")
        return ""
    return text


def read_paths(value: Any, key: str, check: Check) -> tuple[str, ...]:
    """One text or a list of texts (file paths, numbers and codes)."""
    if value in (None, ""):
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and v.strip() for v in items):
        check.add(key, "bad_list")
        return ()
    return tuple(dict.fromkeys(decree30.normalise(v) for v in items))


def _number_fits(check: Check) -> None:
    """The code's type abbreviation is the type's; a year in the number is the year of issue."""
    values = check.values
    number, loai, issued = values["so_ky_hieu"], values["loai"], values["ngay_ban_hanh"]
    parsed = decree30.parse_number(number) if number else None
    if not isinstance(parsed, decree30.Number):
        return
    mistake = decree30.type_mismatch(parsed, loai) if loai else None
    if mistake is not None:
        check.add("so_ky_hieu", mistake.code, value=number, **dict(mistake.args))
    elif parsed.year is not None and issued is not None and parsed.year != issued.year:
        check.add("so_ky_hieu", "doc_number_year", value=number, year=parsed.year, issued=issued.year)


def _issuer(check: Check) -> None:
    """Without `co_quan` the issuing body is the site's agency (site.toml `author`, else its title)."""
    check.values["co_quan"] = check.values["co_quan"] or check.cfg.author or check.cfg.title


NUMBER = Value("number and code, `38/KH-UBND` or `12/2025/QĐ-UBND` (Decree 30 form)", str, read_number,
               exact=str)
DOC_TYPE = Value("one of the 29 types of Decree 30 (`Kế hoạch`, `Quyết định`...)", str, read_type, exact=str)
STATUS = Value(f"`{IN_FORCE}`, `{EXPIRED}` or `{NOT_YET}`", str, read_status, exact=str)
PATHS = Value("one path or a list", tuple[str, ...], read_paths, dump=list, load=texts_of)
NUMBERS = Value("one number and code or a list", tuple[str, ...], read_paths, dump=list, load=texts_of)
LINES = Value("", tuple[tuple[str, int], ...], dump=lambda lines: [list(pair) for pair in lines],
              load=lambda value, restore: tuple((str(key), int(line)) for key, line in value))

DOCUMENT_FIELDS: tuple[Field, ...] = (
    built("source", BUILT_TEXT, MISSING),
    Field("so_ky_hieu", NUMBER, "", required=True, doc="number and code, `38/KH-UBND`, or with the year for "
                                                       "legal documents, `12/2025/QĐ-UBND`"),
    Field("loai", DOC_TYPE, "", required=True, doc="the type, one of the 29 of Decree 30/2020/NĐ-CP"),
    Field("ngay_ban_hanh", DATE, None, required=True, doc="date of issue, in the forms posts accept"),
    Field("trich_yeu", TEXT, "", required=True, doc="the subject line"),
    Field("co_quan", TEXT, "", doc="issuing body; default `author` of site.toml"),
    Field("nguoi_ky", TEXT, "", doc="who signed it"),
    Field("linh_vuc", TEXT, "", doc="field (`Cải cách hành chính`, `Đất đai`...): a page per field"),
    Field("ngay_hieu_luc", DATE, None, doc="date it takes effect"),
    Field("tinh_trang", STATUS, "", doc=f"status; default `{IN_FORCE}`, or `{EXPIRED}` once another "
                                        "document replaces it"),
    Field("tep", PATHS, (), doc="attached file(s) under `content/`, PDF, DOC, DOCX or ODT, relative to the "
                                "document or from `/`"),
    Field("thay_the", NUMBERS, (), doc="`so_ky_hieu` of the document(s) it replaces, same or earlier date"),
    built("body_html", BUILT_TEXT, ""),
    built("lines", LINES, ()),  # (key, line) for problems found across documents
    # Not kept in the cache: files are looked at, and links made, again by every build.
    built("attachments", BUILT, (), stored=False),  # tuple[Attachment, ...], from `tep`
    built("replaces", BUILT, (), stored=False),  # tuple[DocRef, ...], from `thay_the`
    built("replaced_by", BUILT, (), stored=False),  # tuple[DocRef, ...], documents naming this one
)
DocumentFields = model_class("DocumentFields", DOCUMENT_FIELDS, "sitegen.kinds", "The fields of an official document.")


class Document(DocumentFields):  # type: ignore[valid-type, misc]
    """An official document with what the register derives from its fields."""

    __slots__ = ()
    __module__ = "sitegen.kinds"  # the name messages and templates know it by

    @property
    def year(self) -> int:
        return self.ngay_ban_hanh.year

    @property
    def url(self) -> str:
        return f"van-ban/{self.year}/{decree30.number_slug(self.so_ky_hieu)}/"

    @property
    def type_slug(self) -> str:
        return decree30.type_slug(self.loai)

    @property
    def field_slug(self) -> str:
        return slugify(self.linh_vuc)

    @property
    def status(self) -> str:
        """As declared, else out of force once replaced, else in force."""
        return self.tinh_trang or (EXPIRED if self.replaced_by else IN_FORCE)

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE

    def line(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    def ref(self) -> DocRef:
        return DocRef(self.so_ky_hieu, self.url, self.loai, self.trich_yeu, self.ngay_ban_hanh)


DOCUMENT = Kind("document", DOCUMENT_FIELDS, Document, (_number_fits, _issuer))
