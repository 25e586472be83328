"""sitegen.messages: every message code says the same thing, with the same parameters, in both languages."""

from __future__ import annotations

import re
import string

import pytest

from sitegen.messages import MESSAGES

VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_use_the_same_parameters(code: str) -> None:
    vi, en = MESSAGES[code]
    same = {"hint_vi": "hint", "hint_en": "hint"}
    assert {same.get(f, f) for f in _fields(vi)} == {same.get(f, f) for f in _fields(en)}


def test_codes_are_names_and_the_vietnamese_messages_are_vietnamese() -> None:
    for code, (vi, en) in MESSAGES.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert vi.strip() and en.strip() and vi != en, code
        assert VIETNAMESE.search(vi), f"{code}: the Vietnamese message has no Vietnamese letter"
