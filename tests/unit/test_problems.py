"""sitegen.problems: problems are collected, never raised; warnings fail only a strict build."""

from __future__ import annotations

import errno

from sitegen.problems import Problems, os_problem, problem


def test_warnings_fail_only_a_strict_build_and_notes_never_count_as_errors() -> None:
    found = Problems([problem("content/a.md", 2, "missing_file", "warning", value="/x.pdf")])
    assert not found.failed() and found.failed(strict=True) and found.errors() == []
    found.append(problem("site.toml", 0, "config_invalid"))
    assert found.failed() and [p.code for p in found.errors()] == ["config_invalid"]


def test_take_keeps_the_value_and_collects_the_problems() -> None:
    found = Problems()
    assert found.take((42, [problem("a.md", 1, "x")])) == 42 and [p.code for p in found] == ["x"]


def test_sorted_orders_by_place_and_drops_repeats() -> None:
    b, a2, a1 = problem("b.md", 1, "x"), problem("a.md", 2, "x"), problem("a.md", 1, "y")
    assert Problems([b, a2, a1, b]).sorted() == [a1, a2, b]


def test_a_system_error_keeps_its_symbolic_errno_for_the_message() -> None:
    item = os_problem("public", "write_failed", OSError(errno.ENOSPC, "No space left on device", "public/a.html"))
    assert item.params == {"reason": "No space left on device", "errno": "ENOSPC", "file": "public/a.html"}
    assert item.line == 0 and item.severity == "error"
