"""sitegen.schema: a kind declared once gives its checks, model, views, cache record and README table."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sitegen.schema import (
    MISSING,
    Check,
    Field,
    Kind,
    RecordError,
    Restore,
    Value,
    from_iso,
    iso,
    model_class,
    table,
    view_class,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def read_word(value: Any, key: str, check: Check) -> str:
    if not isinstance(value, str):
        check.add(key, "bad_text")
        return ""
    return value.strip()


def read_number(value: Any, key: str, check: Check) -> int:
    if type(value) is not int:
        check.add(key, "bad_number")
        return 0
    return value


WORD = Value("text", str, read_word, exact=str)
NUMBER = Value("whole number", int, read_number, exact=int)
WHEN = Value("date", datetime | None, dump=iso, load=from_iso)
FIELDS = (
    Field("source", WORD, MISSING, from_front_matter=False),
    Field("so_ky_hieu", WORD, "", required=True, doc="the document's number"),
    Field("trang", NUMBER, 1, doc="pages"),
    Field("ghi_chu", WORD, "", doc="a note"),
    Field("body", WORD, "", from_front_matter=False, stored=False),
    Field("seen", WHEN, None, from_front_matter=False),
)
Doc = model_class("Doc", FIELDS, __name__, "A test document.")
DOC = Kind("doc", FIELDS, Doc)
DocLink = view_class("DocLink", DOC, ("source", "so_ky_hieu"), __name__, "A short view.")
DocCard = view_class("DocCard", DOC, ("source", "so_ky_hieu", "trang"), __name__, "A longer view.", base=DocLink)


def check(meta: dict[Any, Any], kind: Kind = DOC) -> tuple[dict[str, Any] | None, list[Any]]:
    lines = {key: line for key, line in {"so_ky_hieu": 2, "trang": 3, "ghi_chu": 4}.items() if key in meta}
    return kind.check(meta, Check("content/van-ban/a.md", lines, 1, None))


def test_values_are_read_and_defaults_fill_what_is_left_out() -> None:
    values, found = check({"so_ky_hieu": " 12/QĐ-UBND "})
    assert found == [] and values == {"so_ky_hieu": "12/QĐ-UBND", "trang": 1, "ghi_chu": ""}


def test_a_required_key_missing_or_empty_is_an_error_at_the_opening_line() -> None:
    for meta in ({}, {"so_ky_hieu": ""}, {"so_ky_hieu": None}):
        values, found = check(meta)
        assert values is None
        assert [(p.code, p.line, p.params["key"]) for p in found if p.code == "missing_field"] == [
            ("missing_field", 2 if "so_ky_hieu" in meta else 1, "so_ky_hieu")]


def test_a_bad_value_is_reported_at_its_line() -> None:
    values, found = check({"so_ky_hieu": "1", "trang": "ba"})
    assert values is None and [(p.code, p.line) for p in found] == [("bad_number", 3)]


def test_an_unknown_key_is_a_warning_with_the_nearest_known_key() -> None:
    values, found = check({"so_ky_hieu": "1", "ghichu": "x", None: 1})
    assert values is not None
    warnings = {p.params["key"]: p.params["hint"] for p in found if p.code == "unknown_field"}
    assert warnings == {"ghichu": "ghi_chu", "None": ""}
    assert all(p.severity == "warning" for p in found)


def test_rules_run_after_the_fields_and_may_change_them() -> None:
    def upper(c: Check) -> None:
        c.values["ghi_chu"] = c.values["ghi_chu"].upper() or c.values["so_ky_hieu"]

    values, _ = check({"so_ky_hieu": "7"}, Kind("doc", FIELDS, Doc, (upper,)))
    assert values is not None and values["ghi_chu"] == "7"


def test_the_model_has_one_keyword_attribute_per_field_and_is_frozen() -> None:
    doc = Doc(source="content/a.md", body="<p>x</p>", so_ky_hieu="1")
    assert [f.name for f in dataclasses.fields(Doc)] == [f.name for f in FIELDS]
    assert doc.trang == 1 and doc.seen is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.trang = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Doc(so_ky_hieu="1")  # source and body have no default
    assert pickle.loads(pickle.dumps(doc)) == doc  # worker processes send them


def test_views_take_their_fields_from_the_item() -> None:
    doc = Doc(source="content/a.md", body="x", so_ky_hieu="1", trang=4)
    card = DocCard.of(doc)
    assert isinstance(card, DocLink) and (card.source, card.so_ky_hieu, card.trang) == ("content/a.md", "1", 4)
    assert [f.name for f in dataclasses.fields(DocLink)] == ["source", "so_ky_hieu"]
    assert not hasattr(card, "body")


def test_a_record_comes_back_to_the_same_item_without_the_unstored_fields() -> None:
    doc = Doc(source="content/a.md", body="<p>x</p>", so_ky_hieu="1", trang=2,
              seen=datetime(2025, 7, 1, 8, 0, tzinfo=TZ))
    record = DOC.record(doc)
    assert record == ["content/a.md", "1", 2, "", "2025-07-01T08:00:00+07:00"]
    assert DOC.restore(record, Restore(TZ, {}), body="") == dataclasses.replace(doc, body="")


@pytest.mark.parametrize("record", [
    None, (), ["content/a.md", "1", 2, ""], ["content/a.md", "1", 2, "", None, 0],
    ["content/a.md", 1, 2, "", None], ["content/a.md", "1", True, "", None], ["content/a.md", "1", 2, "", "2025-07-01"],
])
def test_a_record_of_another_shape_is_refused(record: Any) -> None:
    with pytest.raises((RecordError, TypeError, ValueError)):
        DOC.restore(record, Restore(TZ, {}), body="")


def test_a_variant_reads_the_same_model_another_way() -> None:
    lenient = DOC.variant("draft-doc", so_ky_hieu={"required": False})
    assert lenient.model is Doc and check({}, lenient)[0] is not None
    assert DOC.field("so_ky_hieu").required  # the original is unchanged


def test_a_field_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError):
        Kind("bad", FIELDS + (FIELDS[1],), Doc)


def test_the_table_lists_the_front_matter_keys_only() -> None:
    lenient = DOC.variant("note", so_ky_hieu={"required": False})
    text = table((DOC, lenient))
    assert text.splitlines() == [
        "| key | required | value | meaning |", "| --- | --- | --- | --- |",
        "| `so_ky_hieu` | yes (docs) | text | the document's number |",
        "| `trang` | no | whole number | pages |",
        "| `ghi_chu` | no | text | a note |",
    ]
