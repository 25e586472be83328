"""sitegen.guards: text that would crash or stall a parser is a problem at its line, found without recursion."""

from __future__ import annotations

from sitegen import guards


def test_front_matter_nested_beyond_any_real_post_is_refused_at_its_line() -> None:
    assert guards.front_matter_finding("title: Thông báo\ntags: [a, b]\n") is None
    deep = "title: x\ntags: " + "[" * 40 + "]" * 40 + "\n"
    found = guards.front_matter_finding(deep)
    assert found is not None and (found.code, found.line) == ("fm_too_deep", 1)
    indented = "a:\n" + "".join(" " * (2 * n) + f"k{n}:\n" for n in range(1, 40))
    assert guards.front_matter_finding(indented).code == "fm_too_deep"
    assert guards.front_matter_finding("a: " + "x" * (guards.MAX_FRONT_MATTER + 1)).code == "fm_too_large"


def test_a_comment_that_eats_part_of_a_value_is_found_and_an_ordinary_one_is_not() -> None:
    found = guards.comment_findings("title: Thông báo #2 lịch tiếp dân\nimage:  # chưa có ảnh\n")
    assert [(f.line, f.args["cut"]) for f in found] == [(0, "#2 lịch tiếp dân")]
    assert "Thông báo #2 lịch tiếp dân" in found[0].args["fix"]
    assert guards.comment_findings("title: '#1 tin'\nviews: 3 # đếm tay\n") == []


def test_bodies_nested_too_deep_or_with_endless_open_brackets_are_found_outside_code() -> None:
    assert guards.body_finding("Đoạn văn [liên kết](/a/) thường.\n\n- mục\n  - mục con\n") is None
    deep = "\n".join(">" * 70 + " trích dẫn" for _ in range(1))
    assert guards.body_finding(deep).code == "body_too_deep"
    open_brackets = "Mở " + "[" * 300 + " không đóng"
    assert guards.body_finding(open_brackets) is not None
    fenced = "```\n" + open_brackets + "\n" + ">" * 70 + "\n```\n"
    assert guards.body_finding(fenced) is None
