"""The kinds of content a site holds, each declared once: posts and standalone pages (`posts.py`),
official documents (`documents.py`), work-schedule weeks (`schedule.py`), from the values every
kind reuses (`values.py`).

To give posts a new optional field, add one `Field` to `ENTRY` in posts.py (and
show it in a template): the loader reads and checks it, `Post` gets the
attribute, the cache stores it, the unknown-key warning knows it and the README
table lists it (`python -m sitegen.kinds` prints the table). Add its name to
`LINK` or `CARD` if short lists or listings should see it too.
"""

from sitegen.kinds.documents import (  # noqa: F401 - the kinds, as `kinds.POST`, `from sitegen.kinds import Post`
    DOC_TYPE,
    DOCUMENT,
    DOCUMENT_FIELDS,
    EXPIRED,
    IN_FORCE,
    LINES,
    NOT_YET,
    NUMBER,
    NUMBERS,
    PATHS,
    STATUS,
    STATUSES,
    Attachment,
    DocRef,
    Document,
    DocumentFields,
    read_number,
    read_paths,
    read_status,
    read_type,
)
from sitegen.kinds.posts import (  # noqa: F401 - the kinds, as `kinds.POST`, `from sitegen.kinds import Post`
    CARD,
    ENTRY,
    KINDS,
    LINK,
    PAGE,
    POST,
    Card,
    Link,
    Post,
    front_matter_table,
)
from sitegen.kinds.schedule import (  # noqa: F401 - the kinds, as `kinds.POST`, `from sitegen.kinds import Post`
    ENTRY_FIELDS,
    SCHEDULE_ENTRY,
    SESSIONS,
    WEEK,
    WEEK_FIELDS,
    ScheduleEntry,
    Week,
    WeekFields,
    parse_clock,
    read_clock,
    read_day,
    read_entries,
    read_session,
    session_of,
)
from sitegen.kinds.values import (  # noqa: F401 - the kinds, as `kinds.POST`, `from sitegen.kinds import Post`
    BAD_CHAR,
    BUILT,
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
    TEXTS,
    built,
    is_site_path,
    read_category,
    read_count,
    read_date,
    read_flag,
    read_image,
    read_long_text,
    read_published,
    read_site_paths,
    read_tags,
    read_text,
    read_texts,
    shown,
    texts_of,
)
from sitegen.schema import table  # noqa: F401 - kinds.table((kinds.DOCUMENT,)) prints a kind's table
