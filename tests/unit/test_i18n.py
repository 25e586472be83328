"""sitegen.i18n: every problem code has a message in both languages, with all its parameters."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from sitegen import i18n
from sitegen.problems import Problem, problem

PACKAGE = Path(__file__).resolve().parents[2] / "sitegen"
# callee -> (index of the code argument, parameters the callee always adds)
_CALLEES = {"problem": (2, frozenset()), "Problem": (2, frozenset()),
            "add": (1, frozenset({"key"})), "bad": (1, frozenset({"key"}))}
SAMPLE = {"key": "title", "hint": "title", "value": "hôm qua", "expected": "integer", "reason": "lý do",
          "forms": "2022-10-03, 03/10/2022", "known": "Tin tức (tin-tuc)", "choices": "vi, en",
          "low": "1", "high": "1000", "first": "5", "suggestion": "tin-tuc", "url": "/a/",
          "other": "content/b.md", "name": "ho_so"}


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def used_codes() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """code -> [(where, parameter names the call gives)], from every problem-making call in sitegen/."""
    found: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):  # sub-packages (kinds, incremental) too
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "_yaml_code":  # codes chosen by a helper
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Constant):
                        found.setdefault(ret.value.value, []).append((f"{path.name}:{ret.lineno}",
                                                                     frozenset({"reason"})))
            if not isinstance(node, ast.Call) or _callee(node) not in _CALLEES:
                continue
            index, implied = _CALLEES[_callee(node)]
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names = frozenset(k.arg for k in node.keywords if k.arg and k.arg != "severity") | implied
                found.setdefault(arg.value, []).append((f"{path.name}:{node.lineno}", names))
    return found


USED = used_codes()


def test_the_scan_finds_the_codes() -> None:
    # guards the scanner itself: direct calls, loader's add(...) and config's bad(...)
    for code in ("config_missing", "config_unknown_key", "bad_yaml", "missing_field", "unknown_field",
                 "bad_date", "config_empty", "config_bad_base_url", "data_bad", "write_failed"):
        assert code in USED, code
    assert len(USED) >= 30


@pytest.mark.parametrize("code", sorted(USED))
def test_every_used_code_has_both_messages(code: str) -> None:
    assert code in i18n.MESSAGES, f"{code} used at {USED[code][0][0]} but has no message"
    vi, en = i18n.MESSAGES[code]
    assert vi.strip() and en.strip()
    assert vi != en


@pytest.mark.parametrize("code", sorted(USED))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_call_site_formats_without_leftover_placeholders(code: str, lang: str) -> None:
    for where, names in USED[code]:
        item = problem("content/a.md", 3, code, **{name: SAMPLE.get(name, "x") for name in names})
        text = i18n.message(item, lang)
        assert "{" not in text and "}" not in text, f"{where}: {text}"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(i18n.MESSAGES))
def test_every_message_formats_with_typical_args(code: str) -> None:
    params = {f: SAMPLE.get(f, "x") for template in i18n.MESSAGES[code] for f in _fields(template)}
    item = problem("content/a.md", 1, code, **{k: v for k, v in params.items() if not k.startswith("hint_")},
                   **({"hint": "title"} if any(k.startswith("hint_") for k in params) else {}))
    for lang in ("vi", "en"):
        text = i18n.message(item, lang)
        assert "{" not in text and "}" not in text, text


def test_format_problem_vietnamese() -> None:
    item = problem("content/tin-tuc/a.md", 4, "missing_field", key="category")
    assert i18n.format_problem(item, "vi") == "content/tin-tuc/a.md:4: lỗi: thiếu khóa bắt buộc 'category'"


def test_format_problem_english() -> None:
    item = problem("content/tin-tuc/a.md", 4, "missing_field", key="category")
    assert i18n.format_problem(item, "en") == (
        "content/tin-tuc/a.md:4: error: the required key 'category' is missing")


def test_format_problem_warning_with_hint() -> None:
    item = problem("content/a.md", 6, "unknown_field", "warning", key="catgory", hint="category")
    vi = i18n.format_problem(item, "vi")
    en = i18n.format_problem(item, "en")
    assert vi.startswith("content/a.md:6: cảnh báo: ") and "'catgory'" in vi and "'category'" in vi
    assert en == "content/a.md:6: warning: unknown key 'catgory' is ignored (did you mean 'category'?)"


def test_hint_absent_leaves_no_trace() -> None:
    item = problem("site.toml", 2, "config_unknown_key", key="mau_nen", hint="")
    assert i18n.message(item, "en") == "unknown key 'mau_nen'"
    assert "?" not in i18n.message(item, "vi")


def test_whole_file_problem_shows_line_one() -> None:
    item = problem("site.toml", 0, "config_missing")
    assert i18n.format_problem(item, "en").startswith("site.toml:1: error: ")


def test_expected_type_is_translated() -> None:
    item = problem("site.toml", 3, "config_bad_type", key="per_page", expected="integer")
    assert i18n.message(item, "vi") == "giá trị của 'per_page' phải là số nguyên"
    assert i18n.message(item, "en") == "'per_page' must be a whole number"


def test_user_text_with_braces_is_not_formatted() -> None:
    item = problem("content/a.md", 3, "bad_date", key="date", value="{title}", forms="{0}")
    assert "{title}" in i18n.message(item, "en")


def test_problem_params() -> None:
    item = problem("a", 1, "bad_views", value=-5)
    assert item == Problem("a", 1, "bad_views", (("value", "-5"),), "error")
    assert item.params == {"value": "-5"}


def test_labels_both_languages() -> None:
    assert "3.0" in i18n.label("markdown_fallback_version", "vi", version="3.0", pinned="3.11.3")
    assert i18n.label("markdown_fallback_version", "en", version="3.0", pinned="3.11.3").startswith(
        "note: Python-Markdown 3.0 is not 3.11.3")
