"""sitegen.documents: official documents compiled from their files, and the register they make."""

from __future__ import annotations

from pathlib import Path

from sitegen import config, documents
from sitegen.posts import renderer_for

DOC = """---
so_ky_hieu: "{number}"
loai: Thông báo
co_quan: Ủy ban nhân dân xã Tân Hòa
ngay_ban_hanh: "{day}"
trich_yeu: Thông báo lịch tiếp công dân
nguoi_ky: Nguyễn Văn An
{more}---
Nội dung thông báo.
"""


def _site(make_site, docs: dict[str, str]) -> Path:
    return make_site({f"content/van-ban/2026/{name}.md": text for name, text in docs.items()})


def _compile(site: Path, names: list[str]) -> list[documents.Document]:
    cfg = config.load_config(site)[0]
    found = []
    for name in names:
        rel = f"content/van-ban/2026/{name}.md"
        doc, problems = documents.compile_document(site, rel, (site / rel).read_bytes(), cfg, renderer_for(cfg))
        assert problems == [] and doc is not None, problems
        found.append(doc)
    return found


def test_the_register_orders_newest_first_and_links_replacements_both_ways(make_site) -> None:
    site = _site(make_site, {
        "cu": DOC.format(number="12/TB-UBND", day="05/01/2026", more=""),
        "moi": DOC.format(number="30/TB-UBND", day="10/03/2026", more='thay_the: ["12/TB-UBND"]\n'),
    })
    old, new = _compile(site, ["cu", "moi"])
    reg = documents.register([old, new])
    assert [d.so_ky_hieu for d in reg.documents] == ["30/TB-UBND", "12/TB-UBND"]
    first, second = reg.documents
    assert [r.so_ky_hieu for r in first.replaces] == ["12/TB-UBND"]
    assert [r.so_ky_hieu for r in second.replaced_by] == ["30/TB-UBND"]
    assert reg.problems == () and [name for name, _ in reg.by_type] == ["Thông báo"]


def test_one_number_twice_in_a_year_is_reported_in_both_files(make_site) -> None:
    site = _site(make_site, {"a": DOC.format(number="12/TB-UBND", day="05/01/2026", more=""),
                             "b": DOC.format(number="12/TB-UBND", day="06/01/2026", more="")})
    reg = documents.register(_compile(site, ["a", "b"]))
    assert sorted(p.path for p in reg.problems) == ["content/van-ban/2026/a.md", "content/van-ban/2026/b.md"]
    assert len(reg.documents) == 1


def test_a_missing_attachment_is_an_error_and_a_replaced_unknown_a_warning(make_site) -> None:
    site = _site(make_site, {"a": DOC.format(number="01/TB-UBND", day="05/01/2026", more="tep: tep/khong-co.pdf\n"),
                             "b": DOC.format(number="02/TB-UBND", day="05/01/2026", more='thay_the: ["09/TB-UBND"]\n')})
    cfg = config.load_config(site)[0]
    rel = "content/van-ban/2026/a.md"
    doc, found = documents.compile_document(site, rel, (site / rel).read_bytes(), cfg, renderer_for(cfg))
    assert doc is None and found and {p.severity for p in found} == {"error"}
    assert any("khong-co.pdf" in str(p.args) for p in found)
    reg = documents.register(_compile(site, ["b"]))
    assert [(p.code, p.severity) for p in reg.problems] == [("doc_replaces_unknown", "warning")]


def test_sizes_and_paths() -> None:
    assert documents.file_size(20992, "vi") == "20,5 KB" and documents.file_size(20992, "en") == "20.5 KB"
    assert documents.file_size(2 * 1024 * 1024, "vi") == "2 MB"
    assert documents.is_document_path("content/van-ban/2026/a.md")
    assert not documents.is_document_path("content/tin-tuc/van-ban/a.md")
    assert not documents.is_document_path("content/van-ban/a.pdf")
