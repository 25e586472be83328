"""The kinds of content a site holds, each declared once: posts and standalone pages.

To give posts a new optional field, add one `Field` to `ENTRY` below (and show
it in a template): the loader reads and checks it, `Post` gets the attribute,
the cache stores it, the unknown-key warning knows it and the README table
lists it (`python -m sitegen.kinds` prints the table). Add its name to
`LINK` or `CARD` if short lists or listings should see it too.

The values (`TEXT`, `DATE`, `TEXTS`...) are there for other kinds to reuse.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

from sitegen import dates, decree30
from sitegen.model import Category
from sitegen.schema import (
    MISSING,
    Check,
    Field,
    Kind,
    RecordError,
    Restore,
    Rule,
    Value,
    from_iso,
    iso,
    model_class,
    table,
    view_class,
)
from sitegen.text import closest, slugify

# Characters no HTML page or XML feed may hold: C0 controls but tab/newline/CR, lone surrogates,
# U+FFFE and U+FFFF. Front matter holding one is an error at its line; a body loses them quietly.
BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_SLUG = 200  # characters of a URL segment made from a title; file names stop at 255 bytes
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]+):", re.IGNORECASE)  # two letters at least: C:\x is a drive
_SHOW = reprlib.Repr()
_SHOW.maxstring = _SHOW.maxother = 80
_SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict, _SHOW.maxset = 2, 4, 4, 4


def shown(value: Any) -> str:
    """A front-matter value as a message may quote it: short, even for a YAML alias bomb."""
    if isinstance(value, (str, date)):
        return str(value) if len(str(value)) <= 200 else str(value)[:200] + "..."
    return _SHOW.repr(value)


# --- reading written values ----------------------------------------------------------------------

def _bad_char(text: str, key: str, check: Check) -> bool:
    found = BAD_CHAR.search(text)
    if found:
        check.add(key, "bad_char", char=f"U+{ord(found[0]):04X}")
    return found is not None


def _scalar_text(value: Any, key: str, check: Check) -> str | None:
    """Text, a number or nothing as written; None (and a problem) for anything else."""
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        check.add(key, "bad_text")
        return None
    return str(value)


def read_text(value: Any, key: str, check: Check) -> str:
    """One line of text: runs of spaces and line breaks become one space."""
    written = _scalar_text(value, key, check)
    text = " ".join(written.split()) if written else ""
    return "" if _bad_char(text, key, check) else text


def read_long_text(value: Any, key: str, check: Check) -> str:
    """Text whose line breaks are kept (a summary)."""
    written = _scalar_text(value, key, check)
    text = written.strip() if written else ""
    return "" if _bad_char(text, key, check) else text


def _parse_date(value: Any, key: str, check: Check) -> tuple[datetime, bool] | None:
    if value in (None, ""):
        return None
    try:
        parsed = dates.parse(value, check.cfg.tz)
        if parsed is not None:
            parsed[0].astimezone(UTC)  # year 1 at +07:00 is year 0 in UTC: no date can say that
    except (ValueError, OverflowError, TypeError):
        parsed = None
    if parsed is None:
        code, reason = dates.explain(value)
        if code == "bad_date":
            check.add(key, "bad_date", value=shown(value), forms=", ".join(dates.ACCEPTED_FORMS))
        else:  # a known form naming a day or time that does not exist: say which
            check.add(key, code, value=shown(value), **reason)
    return parsed


def read_date(value: Any, key: str, check: Check) -> datetime | None:
    """A date in one of dates.ACCEPTED_FORMS, in the site's time zone."""
    parsed = _parse_date(value, key, check)
    return parsed[0] if parsed else None


def read_published(value: Any, key: str, check: Check) -> datetime | None:
    """A date as `read_date`, also noting in `has_time` whether a time of day was written."""
    parsed = _parse_date(value, key, check)
    check.values["has_time"] = parsed[1] if parsed else False
    return parsed[0] if parsed else None


def read_category(value: Any, key: str, check: Check) -> Category | None:
    """A category of site.toml by key or name, case and tone marks aside."""
    if value in (None, ""):
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        check.add(key, "bad_text")
        return None
    categories = check.cfg.categories
    wanted = " ".join(str(value).split()).casefold()
    for cat in categories:
        if wanted in (cat.key.casefold(), cat.name.casefold()) or slugify(wanted) == cat.key:
            return cat
    hint = closest(str(value)[:200], [c.name for c in categories] + [c.key for c in categories]) or ""
    check.add(key, "unknown_category", value=shown(value), hint=hint,
              known=", ".join(f"{c.name} ({c.key})" for c in categories))
    return None


_COUNT = re.compile(r"^(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)$")  # 1234, and 1.234 as the portal prints counts


def read_count(value: Any, key: str, check: Check) -> int:
    """A whole number of zero or more; "1.234" (Vietnamese grouping) is 1234."""
    if isinstance(value, str) and _COUNT.match(value.strip()):
        return int(value.strip().replace(".", ""))
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        check.add(key, "bad_views", value=shown(value))
        return 0
    return value


def read_flag(value: Any, key: str, check: Check) -> bool:
    if not isinstance(value, bool):
        check.add(key, "bad_bool")
        return False
    return value


def read_texts(value: Any, key: str, check: Check) -> tuple[str, ...]:
    """A YAML list or comma-separated text; blanks and repeats dropped."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or any(not isinstance(v, (str, int, float)) or isinstance(v, bool)
                                          for v in value):
        check.add(key, "bad_list")
        return ()
    cleaned = [" ".join(str(v).split()) for v in value]
    if any(_bad_char(v, key, check) for v in cleaned):
        return ()
    return tuple(dict.fromkeys(v for v in cleaned if v))


def read_tags(value: Any, key: str, check: Check) -> tuple[str, ...]:
    """Tags as `read_texts`; one tag page per slug: [Cải cách, cải cách] is one tag, spelled as first written."""
    first: dict[str, str] = {}
    for tag in read_texts(value, key, check):
        first.setdefault(slugify(tag) or tag, tag)
    tags = tuple(first.values())
    for tag in tags:
        if len(slugify(tag)) > MAX_SLUG:
            check.add(key, "too_long", value=tag, limit=MAX_SLUG)
    return tags


def is_site_path(path: str) -> bool:
    """'/tin-cu/kiem-tra/' yes; '../x', 'C:/x', 'https://x', '/a/../b' and control characters no."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    if any(ord(c) < 32 for c in path) or re.search(r"[?#<>\"']", path):
        return False
    return all(part not in (".", "..") and len(part.encode("utf-8", "replace")) <= MAX_SLUG
               for part in path.split("/"))


def read_site_paths(value: Any, key: str, check: Check) -> tuple[str, ...]:
    paths = read_texts(value, key, check)
    for path in paths:
        if not is_site_path(path):
            check.add(key, "bad_alias", value=path)
    return paths


def read_image(value: Any, key: str, check: Check) -> str:
    """A path of a file of the site, or an http(s) address."""
    image = read_text(value, key, check)
    scheme = _SCHEME.match(image)
    if scheme and scheme[1].lower() not in ("http", "https"):
        check.add(key, "bad_image_url", value=image)
    return image


def _ignore(value: Any, key: str, check: Check) -> None:
    return None


def _category_key(value: Category | None) -> str | None:
    return value.key if value is not None else None


def _category_of(value: Any, restore: Restore) -> Category | None:
    if value is None:
        return None
    return restore.categories[value]  # KeyError: a category no longer in site.toml


def _texts_of(value: Any, restore: Restore) -> tuple[str, ...]:
    if type(value) is not list or not set(map(type, value)) <= {str}:
        raise RecordError("not a list of text")
    return tuple(value)


def _refs_list(refs: tuple[tuple[str, int], ...]) -> list[list[Any]]:
    return [list(ref) for ref in refs]


def _refs_of(value: Any, restore: Restore) -> tuple[tuple[str, int], ...]:
    if type(value) is not list:
        raise RecordError("not a list")
    return tuple((str(ref), int(line)) for ref, line in value)


TEXT = Value("text", str, read_text, exact=str)
LONG_TEXT = Value("text", str, read_long_text, exact=str)
IMAGE = Value("site path or http(s) address", str, read_image, exact=str)
DATE = Value("date", datetime | None, read_date, dump=iso, load=from_iso)
PUBLISHED = Value("date", datetime | None, read_published, dump=iso, load=from_iso)
CATEGORY = Value("category", Category | None, read_category, dump=_category_key, load=_category_of)
COUNT = Value("whole number", int, read_count, exact=int)
FLAG = Value("`true` or `false`", bool, read_flag, exact=bool)
TEXTS = Value("list", tuple[str, ...], read_texts, dump=list, load=_texts_of)
TAGS = Value("list", tuple[str, ...], read_tags, dump=list, load=_texts_of)
SITE_PATHS = Value("list of site paths", tuple[str, ...], read_site_paths, dump=list, load=_texts_of)
IGNORED_CATEGORY = replace(CATEGORY, read=_ignore)  # a page belongs to no category, whatever it says
# Values the build sets (never read from front matter), stored as they are.
BUILT_TEXT = Value("", str, exact=str)
BUILT_FLAG = Value("", bool, exact=bool)
BUILT_COUNT = Value("", int, exact=int)
REFS = Value("", tuple[tuple[str, int], ...], dump=_refs_list, load=_refs_of)


# --- rules across fields -------------------------------------------------------------------------

def _slug(from_file: bool) -> Rule:
    """The last part of the URL: `slug` as written, else the title (a post) or the file's name (a page)."""

    def rule(check: Check) -> None:
        values = check.values
        written = values["slug"]
        stem = check.path.rsplit("/", 1)[-1].removesuffix(".md")
        slug = slugify(written or (stem if from_file else values["title"]))
        if values["title"] and not slug:
            check.add("slug" if written else "title", "empty_slug")
        if len(slug) > MAX_SLUG:
            if written or from_file:
                check.add("slug", "too_long", value=slug, limit=MAX_SLUG)
            slug = slug[: slug.rfind("-", 0, MAX_SLUG + 1)] if "-" in slug[:MAX_SLUG + 1] else slug[:MAX_SLUG]
        values["slug"] = slug

    return rule


def _time_of_day(check: Check) -> None:
    """Without a date there is no time of day (read_published notes it when there is one)."""
    check.values.setdefault("has_time", False)


def _image_alt(check: Check) -> None:
    """A cover image needs words for screen readers; the caption serves when no alt is written."""
    values = check.values
    if values["image"] and not (values["image_alt"] or values["image_caption"]):
        check.add("image", "image_without_alt", "warning")
    values["image_alt"] = values["image_alt"] or values["image_caption"]


# --- posts and pages -----------------------------------------------------------------------------

def _built(name: str, value: Value, default: Any = None, **more: Any) -> Field:
    """A field the build sets, never the front matter."""
    return Field(name, value, default=default, from_front_matter=False, **more)



ENTRY: tuple[Field, ...] = (
    _built("source", BUILT_TEXT, MISSING),  # posix path relative to the site folder: "content/a/b.md"
    _built("url", BUILT_TEXT, MISSING),  # relative to the site root, no leading slash: "cat/2022/slug/"
    _built("body_html", BUILT_TEXT, MISSING, stored=False),
    Field("title", TEXT, "", required=True, doc="the headline"),
    Field("date", PUBLISHED, None, required=True,
          doc="publication date, see the accepted forms below"),
    _built("has_time", BUILT_FLAG, True),  # False when the date was written without a time
    Field("category", CATEGORY, None, required=True,
          doc="a category's name or key from `site.toml` (`Cải cách hành chính` or `cai-cach-hanh-chinh`; "
              "case does not matter)"),
    Field("views", COUNT, 0, doc="the views brought over from an old portal, a whole number, default 0; "
          "`Lượt xem` shows this plus the views counted from the logs"),
    Field("tags", TAGS, (), doc="a list, `[CCHC, PAPI]`, or `CCHC, PAPI`"),
    Field("summary", LONG_TEXT, "", doc="one or two sentences for listings, feeds and sharing; "
                                        "default: the first paragraph as plain text"),
    Field("image", IMAGE, "", doc="cover image, e.g. `/images/2022/a.jpg` (a file under `content/`)"),
    Field("image_caption", TEXT, "", doc="shown under the cover image"),
    Field("image_alt", TEXT, "", doc="text for screen readers; defaults to the caption"),
    Field("author", TEXT, "", doc="shown on the article and in feeds"),
    Field("slug", TEXT, "", doc="the last part of the URL; default made from the title"),
    Field("draft", FLAG, False, doc="`true` keeps the post out of the site (preview it with `--drafts`)"),
    Field("updated", DATE, None, doc="date of the last correction, same forms as `date`"),
    Field("id", TEXT, "", doc="the permanent identity of the post in feeds; `new` writes one, never change it"),
    Field("aliases", SITE_PATHS, (), doc="old URLs that should redirect here, e.g. `[/tin-cu/kiem-tra/]`"),
    Field("search", FLAG, True, doc="`false` leaves the post or page out of the site's search"),
    _built("is_page", BUILT_FLAG, False),
    _built("local_refs", REFS, ()),  # (site path, line) the body links to
    _built("image_width", BUILT_COUNT, 0),  # pixel size of the cover image, 0 when unknown
    _built("image_height", BUILT_COUNT, 0),
)

Post = model_class("Post", ENTRY, __name__, "A post or a standalone page (is_page), with its rendered body.")
POST = Kind("post", ENTRY, Post, (_time_of_day, _slug(from_file=False), _image_alt))
# A standalone page: only the title is required, the slug comes from the file's name, a category is ignored.
PAGE = POST.variant("page", rules=(_time_of_day, _slug(from_file=True), _image_alt),
                    date={"required": False}, category={"required": False, "value": IGNORED_CATEGORY})
KINDS = (POST, PAGE)

LINK = ("source", "title", "url", "date", "has_time", "views", "category", "is_page")
CARD = LINK + ("summary", "image", "image_caption", "image_alt", "image_width", "image_height", "author",
               "tags", "updated")
Link = view_class("Link", POST, LINK, __name__, """What a short list of posts may show ("Tin mới nhất", \
"Các tin khác"): no summary, no body.

Pages are re-rendered when a post they list changes; giving lists only
these fields means a body edit does not re-render every page.""")
Card = view_class("Card", POST, CARD, __name__,
                  "What a listing shows of a post: a Link plus summary, image and author, never the body.",
                  base=Link)


def front_matter_table() -> str:
    return table(KINDS)



# --- official documents (content/van-ban/) --------------------------------------------------------
# A document of the register (README, "Đăng văn bản"); `documents` resolves its files and links.

IN_FORCE, EXPIRED, NOT_YET = "Còn hiệu lực", "Hết hiệu lực", "Chưa có hiệu lực"
STATUSES = (IN_FORCE, EXPIRED, NOT_YET)


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
PATHS = Value("one path or a list", tuple[str, ...], read_paths, dump=list, load=_texts_of)
NUMBERS = Value("one number and code or a list", tuple[str, ...], read_paths, dump=list, load=_texts_of)
BUILT = Value("", Any)
LINES = Value("", tuple[tuple[str, int], ...], dump=lambda lines: [list(pair) for pair in lines],
              load=lambda value, restore: tuple((str(key), int(line)) for key, line in value))

DOCUMENT_FIELDS: tuple[Field, ...] = (
    _built("source", BUILT_TEXT, MISSING),
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
    _built("body_html", BUILT_TEXT, ""),
    _built("lines", LINES, ()),  # (key, line) for problems found across documents
    # Not kept in the cache: files are looked at, and links made, again by every build.
    _built("attachments", BUILT, (), stored=False),  # tuple[Attachment, ...], from `tep`
    _built("replaces", BUILT, (), stored=False),  # tuple[DocRef, ...], from `thay_the`
    _built("replaced_by", BUILT, (), stored=False),  # tuple[DocRef, ...], documents naming this one
)
DocumentFields = model_class("DocumentFields", DOCUMENT_FIELDS, __name__, "The fields of an official document.")


class Document(DocumentFields):  # type: ignore[valid-type, misc]
    """An official document with what the register derives from its fields."""

    __slots__ = ()

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


# --- work-schedule weeks (content/lich-cong-tac/) -------------------------------------------------
# A week file holds `ghi_chu` and `[[muc]]` entries; `schedule` orders them and checks the week.

SESSIONS: dict[str, tuple[int, int]] = {"Sáng": (0, 12 * 60), "Chiều": (12 * 60, 18 * 60), "Tối": (18 * 60, 24 * 60)}
_CLOCK = re.compile(r"^(\d{1,2})(?::|h|g)(\d{2})?$", re.IGNORECASE)


def parse_clock(value: Any) -> str | None:
    """'8:00', '08:00', '8h30', '14g', a TOML time -> '08:00'; None when it is no time of day."""
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    found = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if not found or int(found[1]) > 23 or int(found[2] or 0) > 59:
        return None
    return f"{int(found[1]):02d}:{int(found[2] or 0):02d}"


def session_of(minutes: int) -> str:
    return next(name for name, (low, high) in SESSIONS.items() if low <= minutes < high)


def read_day(value: Any, key: str, check: Check) -> date | None:
    """A day: a TOML date, or text in the forms posts accept, without a time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    parsed = dates.parse(value, check.cfg.tz) if isinstance(value, str) else None
    if parsed is None or parsed[1]:
        check.add(key, "schedule_bad_date", value=shown(value), forms=", ".join(dates.ACCEPTED_FORMS[::3]))
        return None
    return parsed[0].date()


def read_session(value: Any, key: str, check: Check) -> str:
    written = read_text(value, key, check)
    named = next((s for s in SESSIONS if s.casefold() == written.casefold()), None)
    if written and named is None:
        check.add(key, "schedule_bad_session", value=written, choices=", ".join(SESSIONS))
    return named or ""


def read_clock(value: Any, key: str, check: Check) -> str:
    clock = parse_clock(value)
    if clock is None:
        check.add(key, "schedule_bad_time", value=shown(value))
        return ""
    return clock


def _when(check: Check) -> None:
    """A session or a time is needed; a time given with a session falls in it; a time alone names its session."""
    values = check.values
    if not values["buoi"] and not values["gio"]:
        if "buoi" not in check.lines and "gio" not in check.lines:
            check.add("buoi", "schedule_no_time")
        return
    if values["gio"]:
        hours, minutes = values["gio"].split(":")
        falls_in = session_of(int(hours) * 60 + int(minutes))
        if values["buoi"] and values["buoi"] != falls_in:
            low, high = SESSIONS[values["buoi"]]
            check.add("gio", "schedule_time_session", value=values["gio"], session=values["buoi"],
                      low=f"{low // 60:02d}:00", high=f"{high // 60 - 1:02d}:59")
        values["buoi"] = falls_in


ENTRY_FIELDS: tuple[Field, ...] = (
    Field("ngay", Value("date", date | None, read_day), None, required=True, doc="the day, `2026-11-16`"),
    Field("buoi", Value("`Sáng`, `Chiều` or `Tối`", str, read_session), "",
          doc="the session: Sáng 00:00-11:59, Chiều 12:00-17:59, Tối 18:00-23:59"),
    Field("gio", Value("time, `\"08:00\"`", str, read_clock), "", doc="the time; `buoi` or `gio` is needed"),
    Field("chu_tri", TEXT, "", required=True, doc="who chairs"),
    Field("noi_dung", TEXT, "", required=True, doc="the business"),
    Field("dia_diem", TEXT, "", required=True, doc="the place"),
    Field("thanh_phan", TEXT, "", doc="who attends"),
    Field("chuan_bi", TEXT, "", doc="who prepares"),
    _built("line", BUILT_COUNT, 0),  # the line of its [[muc]]
)
ScheduleEntry = model_class("ScheduleEntry", ENTRY_FIELDS, __name__, "One entry of a week's work schedule.")
SCHEDULE_ENTRY = Kind("schedule entry", ENTRY_FIELDS, ScheduleEntry, (_when,))


def read_entries(value: Any, key: str, check: Check) -> tuple[dict, ...]:
    """The [[muc]] tables as written; each is checked as a SCHEDULE_ENTRY with its own lines."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        check.add(key, "schedule_not_tables")
        return ()
    return tuple(value)


WEEK_FIELDS: tuple[Field, ...] = (
    _built("source", BUILT_TEXT, MISSING),
    _built("year", BUILT_COUNT, MISSING),  # ISO year and week, from the file name
    _built("week", BUILT_COUNT, MISSING),
    Field("ghi_chu", TEXT, "", doc="the week's note, e.g. `Lịch này thay giấy mời họp`"),
    Field("muc", Value("`[[muc]]` tables", tuple[dict, ...], read_entries), (), doc="the entries"),
    _built("days", BUILT, ()),  # tuple[Day, ...]: Monday to Friday, and the weekend days with entries
)
WeekFields = model_class("WeekFields", WEEK_FIELDS, __name__, "The fields of a week's work schedule.")


class Week(WeekFields):  # type: ignore[valid-type, misc]
    """A week's work schedule with its dates and URL."""

    __slots__ = ()

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    @property
    def url(self) -> str:
        return f"lich-cong-tac/{self.year}/tuan-{self.week}/"

    @property
    def entry_count(self) -> int:
        return sum(len(day.entries) for day in self.days)


WEEK = Kind("schedule week", WEEK_FIELDS, Week)
PORTAL_KINDS = (DOCUMENT, SCHEDULE_ENTRY, WEEK)


def portal_tables() -> str:
    """The README's tables for documents and schedule entries."""
    return table((DOCUMENT,)) + "\n" + table((SCHEDULE_ENTRY,))


if __name__ == "__main__":
    print(front_matter_table(), end="")
