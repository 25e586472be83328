"""Posts and standalone pages: their fields (`ENTRY`), their rules, and the list views (`Link`, `Card`)."""

from __future__ import annotations

from sitegen.kinds.values import (
    BUILT_COUNT,
    BUILT_FLAG,
    BUILT_TEXT,
    CATEGORY,
    COUNT,
    DATE,
    FLAG,
    IGNORED_CATEGORY,
    IMAGE,
    LONG_TEXT,
    MAX_SLUG,
    PUBLISHED,
    REFS,
    SITE_PATHS,
    TAGS,
    TEXT,
    built,
)
from sitegen.schema import (
    MISSING,
    Check,
    Field,
    Kind,
    Rule,
    model_class,
    table,
    view_class,
)
from sitegen.text import slugify

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




ENTRY: tuple[Field, ...] = (
    built("source", BUILT_TEXT, MISSING),  # posix path relative to the site folder: "content/a/b.md"
    built("url", BUILT_TEXT, MISSING),  # relative to the site root, no leading slash: "cat/2022/slug/"
    built("body_html", BUILT_TEXT, MISSING, stored=False),
    Field("title", TEXT, "", required=True, doc="the headline"),
    Field("date", PUBLISHED, None, required=True,
          doc="publication date, see the accepted forms below"),
    built("has_time", BUILT_FLAG, True),  # False when the date was written without a time
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
    built("is_page", BUILT_FLAG, False),
    built("local_refs", REFS, ()),  # (site path, line) the body links to
    built("image_width", BUILT_COUNT, 0),  # pixel size of the cover image, 0 when unknown
    built("image_height", BUILT_COUNT, 0),
)

Post = model_class("Post", ENTRY, "sitegen.kinds", "A post or a standalone page (is_page), with its rendered body.")
POST = Kind("post", ENTRY, Post, (_time_of_day, _slug(from_file=False), _image_alt))
# A standalone page: only the title is required, the slug comes from the file's name, a category is ignored.
PAGE = POST.variant("page", rules=(_time_of_day, _slug(from_file=True), _image_alt),
                    date={"required": False}, category={"required": False, "value": IGNORED_CATEGORY})
KINDS = (POST, PAGE)

LINK = ("source", "title", "url", "date", "has_time", "views", "category", "is_page")
CARD = LINK + ("summary", "image", "image_caption", "image_alt", "image_width", "image_height", "author",
               "tags", "updated")
Link = view_class("Link", POST, LINK, "sitegen.kinds", """What a short list of posts may show ("Tin mới nhất", \
"Các tin khác"): no summary, no body.

Pages are re-rendered when a post they list changes; giving lists only
these fields means a body edit does not re-render every page.""")
Card = view_class("Card", POST, CARD, __name__,
                  "What a listing shows of a post: a Link plus summary, image and author, never the body.",
                  base=Link)


def front_matter_table() -> str:
    return table(KINDS)
