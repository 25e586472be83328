"""Official documents (công khai văn bản): content/van-ban/**/*.md -> checked Documents -> the register.

A document's front matter names its number and code, type, dates, subject
and attachments (README, "Đăng văn bản"). Each file is checked on its own;
what needs every document (two with one number and code in a year, the
links of `thay_the` both ways) is worked out by `register`.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sitegen import dates, decree30
from sitegen.kinds import BAD_CHAR, shown
from sitegen.loader import Source, parse_source
from sitegen.markup import Renderer
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.text import closest, slugify

FOLDER = "van-ban"
KEYS = ("so_ky_hieu", "loai", "ngay_ban_hanh", "trich_yeu", "co_quan", "nguoi_ky", "linh_vuc", "ngay_hieu_luc",
        "tinh_trang", "tep", "thay_the")
REQUIRED = ("so_ky_hieu", "loai", "ngay_ban_hanh", "trich_yeu")
TEXT_KEYS = ("so_ky_hieu", "loai", "trich_yeu", "co_quan", "nguoi_ky", "linh_vuc", "tinh_trang")
IN_FORCE, EXPIRED, NOT_YET = "Còn hiệu lực", "Hết hiệu lực", "Chưa có hiệu lực"
STATUSES = (IN_FORCE, EXPIRED, NOT_YET)
FILE_TYPES = {  # suffix -> (label shown, media type)
    ".pdf": ("PDF", "application/pdf"),
    ".doc": ("DOC", "application/msword"),
    ".docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".odt": ("ODT", "application/vnd.oasis.opendocument.text"),
}
WIDGET_COUNT = 5  # documents in the "Công khai văn bản" widget


@dataclass(frozen=True, slots=True)
class Attachment:
    path: str  # site path, "/van-ban/tep/38-kh-ubnd.pdf"
    name: str  # file name
    size: int  # bytes
    label: str  # "PDF"
    media_type: str


@dataclass(frozen=True, slots=True)
class DocRef:
    """Another document as a link shows it."""

    number: str
    url: str
    loai: str
    trich_yeu: str
    issued: datetime


@dataclass(frozen=True, slots=True)
class Document:
    source: str
    number: str  # "38/KH-UBND", as written (normalised)
    loai: str  # one of decree30.TYPES
    issued: datetime  # ngay_ban_hanh, aware
    trich_yeu: str
    co_quan: str
    nguoi_ky: str = ""
    linh_vuc: str = ""
    effective: datetime | None = None
    declared_status: str = ""  # tinh_trang as written, "" when not given
    attachments: tuple[Attachment, ...] = ()
    replaces_numbers: tuple[str, ...] = ()  # thay_the as written
    body_html: str = ""
    summary: str = ""
    lines: tuple[tuple[str, int], ...] = ()  # (key, line) for messages about the whole register
    replaces: tuple[DocRef, ...] = ()  # filled in by `register`
    replaced_by: tuple[DocRef, ...] = ()

    @property
    def year(self) -> int:
        return self.issued.year

    @property
    def url(self) -> str:
        return f"{FOLDER}/{self.year}/{decree30.number_slug(self.number)}/"

    @property
    def type_slug(self) -> str:
        return decree30.type_slug(self.loai)

    @property
    def field_slug(self) -> str:
        return slugify(self.linh_vuc)

    @property
    def status(self) -> str:
        """What the register shows: as declared, else out of force once replaced, else in force."""
        return self.declared_status or (EXPIRED if self.replaced_by else IN_FORCE)

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE

    def line(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    def ref(self) -> DocRef:
        return DocRef(self.number, self.url, self.loai, self.trich_yeu, self.issued)


def is_document_path(rel: str) -> bool:
    """content/van-ban/**/*.md"""
    parts = rel.split("/")
    return len(parts) >= 3 and parts[1] == FOLDER and rel.lower().endswith(".md")


def compile_document(site_dir: Path, rel: str, raw: bytes, cfg: Config,
                     renderer: Renderer) -> tuple[Document | None, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [problem(rel, 0, "not_utf8")]
    src, found = parse_source(rel, text, False)
    if src is None:
        return None, found
    return check_document(site_dir, src, cfg, renderer)


def check_document(site_dir: Path, src: Source, cfg: Config,
                   renderer: Renderer | None) -> tuple[Document | None, list[Problem]]:
    """Every problem of one document's front matter, or the Document."""
    meta, found = src.meta, []

    def add(key: str, code: str, severity: str = "error", **args: object) -> None:
        found.append(problem(src.path, src.lines.get(key, src.start_line), code, severity, key=key, **args))

    for key in sorted(meta.keys() - set(KEYS), key=str):
        add(str(key), "unknown_field", "warning", hint=closest(str(key), list(KEYS)) or "")
    for key in REQUIRED:
        if meta.get(key) in (None, ""):
            add(key, "missing_field")
    texts = {key: _text(meta.get(key), key, add) for key in TEXT_KEYS}
    issued = _date(meta, "ngay_ban_hanh", cfg, add)
    effective = _date(meta, "ngay_hieu_luc", cfg, add)
    loai = _loai(texts["loai"], add)
    number = _number(texts["so_ky_hieu"], loai, issued, add)
    if texts["tinh_trang"] and texts["tinh_trang"] not in STATUSES:
        hint = closest(texts["tinh_trang"], list(STATUSES)) or ""
        add("tinh_trang", "doc_bad_status", value=texts["tinh_trang"], choices=", ".join(STATUSES), hint=hint)
    folder = posixpath.dirname(src.path.split("/", 1)[1])
    attachments = _attachments(site_dir, _list(meta.get("tep"), "tep", add), folder, add)
    replaces = _list(meta.get("thay_the"), "thay_the", add)
    if any(p.severity == "error" for p in found) or number is None or issued is None:
        return None, found
    body = renderer.render(src.body, folder) if renderer is not None and src.body.strip() else None
    return Document(
        source=src.path, number=number.text, loai=loai, issued=issued, trich_yeu=texts["trich_yeu"],
        co_quan=texts["co_quan"] or cfg.author or cfg.title, nguoi_ky=texts["nguoi_ky"],
        linh_vuc=texts["linh_vuc"], effective=effective, declared_status=texts["tinh_trang"],
        attachments=attachments, replaces_numbers=tuple(decree30.normalise(r) for r in replaces),
        body_html=body.html if body else "", summary=body.summary if body else "",
        lines=tuple((key, src.lines[key]) for key in KEYS if key in src.lines),
    ), found


def _text(value: Any, key: str, add: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        add(key, "bad_text")
        return ""
    text = " ".join(str(value).split())
    bad = BAD_CHAR.search(text)
    if bad:
        add(key, "bad_char", char=f"U+{ord(bad[0]):04X}")
        return ""
    return text


def _date(meta: dict, key: str, cfg: Config, add: Any) -> datetime | None:
    if meta.get(key) in (None, ""):
        return None
    parsed = dates.parse(meta[key], cfg.tz)
    if parsed is None:
        add(key, "bad_date", value=shown(meta[key]), forms=", ".join(dates.ACCEPTED_FORMS))
        return None
    return parsed[0]


def _loai(value: str, add: Any) -> str:
    if not value:
        return ""
    found = decree30.find_type(value)
    if found is None:
        add("loai", "doc_unknown_type", value=value, hint=decree30.closest_type(value) or "")
        return ""
    return found


def _number(value: str, loai: str, issued: datetime | None, add: Any) -> decree30.Number | None:
    if not value:
        return None
    parsed = decree30.parse_number(value)
    if isinstance(parsed, decree30.Mistake):
        add("so_ky_hieu", parsed.code, value=value, examples=decree30.EXAMPLES, **dict(parsed.args))
        return None
    mistake = decree30.type_mismatch(parsed, loai) if loai else None
    if mistake is not None:
        add("so_ky_hieu", mistake.code, value=value, **dict(mistake.args))
        return None
    if parsed.year is not None and issued is not None and parsed.year != issued.year:
        add("so_ky_hieu", "doc_number_year", value=value, year=parsed.year, issued=issued.year)
        return None
    return parsed


def _list(value: Any, key: str, add: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and v.strip() for v in items):
        add(key, "bad_list")
        return ()
    return tuple(dict.fromkeys(v.strip() for v in items))


def _attachments(site_dir: Path, paths: tuple[str, ...], folder: str, add: Any) -> tuple[Attachment, ...]:
    made = []
    for written in paths:
        if "\\" in written or ".." in written.split("/") or "://" in written:
            add("tep", "path_outside_field", value=written)
            continue
        site_path = posixpath.normpath(written if written.startswith("/") else
                                       "/" + posixpath.join(folder or ".", written))
        suffix = posixpath.splitext(site_path)[1].lower()
        if suffix not in FILE_TYPES:
            add("tep", "doc_file_type", value=written, allowed="PDF, DOC, DOCX, ODT")
            continue
        path = site_dir / "content" / site_path.lstrip("/")
        try:
            size = path.stat().st_size if path.is_file() else -1
        except OSError:
            size = -1
        if size < 0:
            add("tep", "doc_file_missing", value=written, where="content" + site_path)
            continue
        label, media_type = FILE_TYPES[suffix]
        made.append(Attachment(site_path, posixpath.basename(site_path), size, label, media_type))
    return tuple(made)


@dataclass(frozen=True, slots=True)
class Register:
    documents: tuple[Document, ...]  # newest issue date first
    by_type: tuple[tuple[str, tuple[Document, ...]], ...]  # in the order of decree30.TYPES
    by_year: tuple[tuple[int, tuple[Document, ...]], ...]  # newest year first
    by_field: tuple[tuple[str, tuple[Document, ...]], ...]  # by name
    problems: tuple[Problem, ...] = field(default=())

    @property
    def newest(self) -> tuple[Document, ...]:
        return self.documents[:WIDGET_COUNT]


def _newest_first(docs: list[Document]) -> list[Document]:
    ordered = sorted(docs, key=lambda d: d.source)
    return sorted(ordered, key=lambda d: (d.issued, _number_value(d.number)), reverse=True)


def _number_value(number: str) -> int:
    head = number.split("/", 1)[0]
    return int(head) if head.isdigit() else 0


def register(docs: list[Document]) -> Register:
    """The register: duplicates reported (both files), `thay_the` resolved both ways, grouped."""
    found: list[Problem] = []
    seen: dict[tuple[int, str], Document] = {}
    kept = []
    for doc in sorted(docs, key=lambda d: d.source):
        key = (doc.year, doc.number.casefold())
        other = seen.setdefault(key, doc)
        if other is not doc:
            found.append(problem(doc.source, doc.line("so_ky_hieu"), "doc_duplicate", value=doc.number,
                                 year=doc.year, other=other.source))
            found.append(problem(other.source, other.line("so_ky_hieu"), "doc_duplicate", value=doc.number,
                                 year=doc.year, other=doc.source))
            continue
        kept.append(doc)
    linked = _link_replacements(kept, found)
    ordered = tuple(_newest_first(linked))
    types = defaultdict(list)
    years = defaultdict(list)
    fields = defaultdict(list)
    for doc in ordered:
        types[doc.loai].append(doc)
        years[doc.year].append(doc)
        if doc.linh_vuc:
            fields[doc.linh_vuc].append(doc)
    return Register(
        documents=ordered,
        by_type=tuple((name, tuple(types[name])) for name in decree30.TYPES if name in types),
        by_year=tuple((year, tuple(years[year])) for year in sorted(years, reverse=True)),
        by_field=tuple((name, tuple(fields[name])) for name in sorted(fields, key=slugify)),
        problems=tuple(found),
    )


def _link_replacements(docs: list[Document], found: list[Problem]) -> list[Document]:
    """Each `thay_the` names the latest document with that number and code issued on or before this one."""
    by_number: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        by_number[doc.number.casefold()].append(doc)
    replaces: dict[str, list[DocRef]] = defaultdict(list)
    replaced_by: dict[str, list[DocRef]] = defaultdict(list)
    for doc in docs:
        for number in doc.replaces_numbers:
            earlier = [d for d in by_number.get(number.casefold(), []) if d.issued <= doc.issued and d is not doc]
            if not earlier:
                found.append(problem(doc.source, doc.line("thay_the"), "doc_replaces_unknown", "warning",
                                     value=number))
                continue
            target = max(earlier, key=lambda d: (d.issued, d.source))
            replaces[doc.source].append(target.ref())
            replaced_by[target.source].append(doc.ref())
    return [replace(doc, replaces=tuple(replaces[doc.source]), replaced_by=tuple(replaced_by[doc.source]))
            if doc.source in replaces or doc.source in replaced_by else doc for doc in docs]


def file_size(size: int, lang: str) -> str:
    """'20,5 KB', '1,2 MB' (vi) or '20.5 KB' (en): one decimal, none when it is 0."""
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / (1024 * 1024), "MB")
    text = f"{value:.1f}".removesuffix(".0")
    return (text if lang == "en" else text.replace(".", ",")) + " " + unit


def widget_rows(reg: Register) -> list[dict[str, str]]:
    """The newest documents in the columns of data/van_ban.csv, for the "Công khai văn bản" widget."""
    return [{"so_hieu": d.number, "ngay": f"{d.issued.day:02d}/{d.issued.month:02d}/{d.issued.year}",
             "trich_yeu": d.trich_yeu, "url": "/" + d.url} for d in reg.newest]
