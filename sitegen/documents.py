"""Official documents (công khai văn bản): content/van-ban/**/*.md -> checked Documents -> the register.

A document's front matter (declared in `kinds.DOCUMENT`) names its number and
code, type, dates, subject and attachments (README, "Đăng văn bản"). Each file
is checked on its own;
what needs every document (two with one number and code in a year, the
links of `thay_the` both ways) is worked out by `register`.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sitegen import decree30, hashing
from sitegen.kinds import DOCUMENT, Attachment, DocRef, Document
from sitegen.loader import Source, parse_source
from sitegen.markup import Renderer
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.schema import Check, RecordError, Restore
from sitegen.text import slugify

FOLDER = "van-ban"
FILE_TYPES = {  # suffix -> (label shown, media type)
    ".pdf": ("PDF", "application/pdf"),
    ".doc": ("DOC", "application/msword"),
    ".docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".odt": ("ODT", "application/vnd.oasis.opendocument.text"),
}
WIDGET_COUNT = 5  # documents in the "Công khai văn bản" widget


def is_document_path(rel: str) -> bool:
    """content/van-ban/**/*.md"""
    parts = rel.split("/")
    return len(parts) >= 3 and parts[1] == FOLDER and rel.lower().endswith(".md")


def compile_document(site_dir: Path, rel: str, raw: bytes, cfg: Config, renderer: Renderer,
                     memo: Memo | None = None) -> tuple[Document | None, list[Problem]]:
    """One document file: its front matter and body (from `memo` when its bytes were compiled before),
    then its files, looked at every time."""
    key = hashing.digest(rel, raw, repr([cfg.base_url, cfg.language, cfg.timezone, cfg.embed_hosts, cfg.author,
                                       cfg.title]))
    known = memo.get(key, cfg) if memo is not None else None
    core, found = known if known is not None else _compile(site_dir, rel, raw, cfg, renderer)
    if memo is not None and known is None and core is not None:
        memo.put(key, core, found)
    if core is None:
        return None, found
    more: list[Problem] = []
    attachments = _attachments(site_dir, core.tep, _folder(rel), _adder(rel, core.line("tep"), more))
    if more:
        return None, found + more
    return replace(core, attachments=attachments), found


def _folder(rel: str) -> str:
    return posixpath.dirname(rel.split("/", 1)[1])


def _adder(rel: str, line: int, found: list[Problem]) -> Callable[..., None]:
    def add(key: str, code: str, **args: object) -> None:
        found.append(problem(rel, line, code, key=key, **args))
    return add


def _compile(site_dir: Path, rel: str, raw: bytes, cfg: Config,
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
    """The front matter by kinds.DOCUMENT and the body; its files are looked at only when that fails
    (to report every mistake at once), else by `compile_document`."""
    check = Check(src.path, src.lines, src.start_line, cfg)
    values, found = DOCUMENT.check(src.meta, check)
    if values is None:
        _attachments(site_dir, _written(src.meta.get("tep")), _folder(src.path), check.add)
        return None, check.found
    body = renderer.render(src.body, _folder(src.path)) if renderer is not None and src.body.strip() else None
    lines = tuple((key, src.lines[key]) for key in DOCUMENT.keys if key in src.lines)
    return Document(source=src.path, **values, body_html=body.html if body else "", lines=lines), found


class Memo:
    """Documents compiled in earlier builds (front matter and body, not their files), by the hash of their
    bytes and the settings, kept in the build cache folder: an unchanged document is not parsed again."""

    FILE = "documents.json"

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / self.FILE if folder is not None else None
        self.known: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        if self.path is not None and self.path.is_file():
            try:
                loaded = hashing.read_checked(self.path)
                self.known = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.known = {}

    def get(self, key: str, cfg: Config) -> tuple[Document, list[Problem]] | None:
        entry = self.known.get(key)
        if entry is None:
            return None
        try:
            doc = DOCUMENT.restore(entry[0], Restore(cfg.tz, {}), attachments=(), replaces=(), replaced_by=())
            found = [hashing.problem_from_record(item) for item in entry[1]]
        except (RecordError, TypeError, ValueError, KeyError, IndexError):
            return None
        self.used[key] = entry
        return doc, found

    def put(self, key: str, doc: Document, found: list[Problem]) -> None:
        self.used[key] = [DOCUMENT.record(doc), [hashing.problem_record(item) for item in found]]

    def save(self) -> None:
        """Keep what this build used; written only when that differs from what was read."""
        if self.path is not None and self.used.keys() != self.known.keys():
            hashing.write_checked(self.path, self.used)


def _written(value: Any) -> tuple[str, ...]:
    """`tep` as written when the front matter has other errors, so its files are checked too."""
    items = value if isinstance(value, list) else [value]
    return tuple(v for v in items if isinstance(v, str) and v.strip())


def _attachments(site_dir: Path, paths: tuple[str, ...], folder: str,
                 add: Callable[..., None]) -> tuple[Attachment, ...]:
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
    return sorted(ordered, key=lambda d: (d.ngay_ban_hanh, _number_value(d.so_ky_hieu)), reverse=True)


def _number_value(number: str) -> int:
    head = number.split("/", 1)[0]
    return int(head) if head.isdigit() else 0


def register(docs: list[Document]) -> Register:
    """The register: duplicates reported (both files), `thay_the` resolved both ways, grouped."""
    found: list[Problem] = []
    seen: dict[tuple[int, str], Document] = {}
    kept = []
    for doc in sorted(docs, key=lambda d: d.source):
        key = (doc.year, doc.so_ky_hieu.casefold())
        other = seen.setdefault(key, doc)
        if other is not doc:
            found.append(problem(doc.source, doc.line("so_ky_hieu"), "doc_duplicate", value=doc.so_ky_hieu,
                                 year=doc.year, other=other.source))
            found.append(problem(other.source, other.line("so_ky_hieu"), "doc_duplicate", value=doc.so_ky_hieu,
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
        by_number[doc.so_ky_hieu.casefold()].append(doc)
    replaces: dict[str, list[DocRef]] = defaultdict(list)
    replaced_by: dict[str, list[DocRef]] = defaultdict(list)
    for doc in docs:
        for number in doc.thay_the:
            earlier = [d for d in by_number.get(number.casefold(), [])
                       if d.ngay_ban_hanh <= doc.ngay_ban_hanh and d is not doc]
            if not earlier:
                found.append(problem(doc.source, doc.line("thay_the"), "doc_replaces_unknown", "warning",
                                     value=number))
                continue
            target = max(earlier, key=lambda d: (d.ngay_ban_hanh, d.source))
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
    return [{"so_hieu": d.so_ky_hieu, "ngay": d.ngay_ban_hanh.strftime("%d/%m/%Y"), "trich_yeu": d.trich_yeu,
             "url": "/" + d.url} for d in reg.newest]
