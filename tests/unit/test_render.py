"""sitegen.render: pages rendered or spliced in worker processes, staged only when their bytes change."""

from __future__ import annotations

from pathlib import Path

import jinja2

from sitegen import render
from sitegen.context import Job


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader({
        "a.html": "<h1>{{ title }}</h1>{{ site }}", "bad.html": "{{ 1 / 0 }}"}), autoescape=True)


def test_rendered_pages_are_staged_only_when_they_change(tmp_path: Path) -> None:
    jobs = [Job("a.html", "x/index.html", {"title": "Tin <mới>"}, "content/x.md"),
            Job("a.html", "y.html", {"title": "Y"}, "content/y.md")]
    (tmp_path / "y.html").write_text("<h1>Y</h1>Xã Tân Hòa", encoding="utf-8")
    done = render.render_jobs(_env(), {"site": "Xã Tân Hòa"}, jobs, tmp_path, 1)
    assert [(out, found) for out, _, found in done] == [("x/index.html", []), ("y.html", [])]
    staged = done[0][1]
    assert staged is not None and staged.read_text(encoding="utf-8") == "<h1>Tin &lt;mới&gt;</h1>Xã Tân Hòa"
    assert done[1][1] is None  # unchanged: nothing staged


def test_a_failing_template_is_a_problem_and_nothing_is_staged(tmp_path: Path) -> None:
    done = render.render_jobs(_env(), {}, [Job("bad.html", "b.html", {}, "content/b.md")], tmp_path, 1)
    (out, staged, found), = done
    assert out == "b.html" and staged is None and found and found[0].severity == "error"


def test_without_an_output_pages_are_only_checked(tmp_path: Path) -> None:
    done = render.render_jobs(_env(), {"site": "s"}, [Job("a.html", "a.html", {"title": "t"}, "c")], None, 1)
    assert done == [("a.html", None, [])]


def test_a_splice_puts_the_new_partial_in_place(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_bytes(b"<main>bai</main><aside>CU</aside>")
    (tmp_path / "twice.html").write_bytes(b"<aside>CU</aside><p>CU</p>")
    done = render.render_jobs(_env(), {}, [], tmp_path, 1, ["p.html", "twice.html"], [(b"CU", b"MOI")])
    (first, staged, found), (second, none, refused) = done
    assert (first, found, second, none, refused) == ("p.html", [], "twice.html", None, None)
    assert staged is not None and Path(staged).read_bytes() == b"<main>bai</main><aside>MOI</aside>"


def test_a_splice_finds_each_old_partial_in_the_page_as_written(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_bytes(b"<aside>A</aside><main>x</main><footer>B</footer>")
    staged, done = render.splice_one(tmp_path, "p.html", [(b"<footer>B</footer>", b"<footer>A</footer>"),
                                                           (b"<aside>A</aside>", b"<aside>C</aside>")])
    assert done and staged is not None  # the new footer holds an old partial's text: left as it is
    assert Path(staged).read_bytes() == b"<aside>C</aside><main>x</main><footer>A</footer>"
    (tmp_path / "q.html").write_bytes(b"<aside>AB</aside>")
    assert render.splice_one(tmp_path, "q.html", [(b"<aside>A", b"1"), (b"AB</aside>", b"2")]) == (None, False)


def test_a_splice_reads_only_the_file_the_last_build_wrote(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b"<aside>CU</aside>")
    info = page.stat()
    written = (info.st_size, info.st_mtime_ns)
    staged, done = render.splice_one(tmp_path, "p.html", [(b"CU", b"MOI")], written=written)
    assert done and staged is not None and Path(staged).read_bytes() == b"<aside>MOI</aside>"
    assert render.splice_one(tmp_path, "p.html", [(b"CU", b"MOI")], written=(info.st_size + 1, 0)) == (None, False)
    assert render.splice_one(tmp_path, "gone.html", [(b"CU", b"MOI")]) == (None, False)
