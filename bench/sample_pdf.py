"""Write the sample documents' attachments as small PDFs (fpdf2, DejaVu fonts for Vietnamese).

    python bench/sample_pdf.py [SITE]   # default: the repository's own sample site

For every document under SITE/content/van-ban/ it writes each PDF named in
`tep` with the document's heading, number, date and subject, so the sample
register links to real files. Dates inside the PDFs are fixed: the same
documents give the same bytes. Needs the packages of tests/requirements.txt
and the Debian fonts-dejavu-core fonts.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen import dates  # noqa: E402

FONTS = Path("/usr/share/fonts/truetype/dejavu")
FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def write_pdf(path: Path, body: str, number: str, title: str, subject: str, issued: str, lines: list[str]) -> None:
    """One A4 page: the issuing body, the number, the title and subject, then a few lines of text."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_title(f"{title} {number}")
    pdf.set_author(body)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 6, body.upper(), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, f"Số: {number}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Mẫu Sơn, {issued}", new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, title.upper(), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 7, subject, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def issued_text(value: object) -> str:
    parsed = dates.parse(value, UTC)
    if parsed is None:
        return str(value)
    day = parsed[0]
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def main(site: Path) -> int:
    content = site / "content"
    count = 0
    for source in sorted((content / "van-ban").rglob("*.md")):
        post = frontmatter.load(source)
        files = post.get("tep") or []
        files = [files] if isinstance(files, str) else files
        paragraphs = [p.strip() for p in post.content.split("\n\n") if p.strip() and not p.startswith("#")]
        for index, name in enumerate(files):
            if not str(name).lower().endswith(".pdf"):
                continue
            target = content / str(name).lstrip("/") if str(name).startswith("/") else source.parent / str(name)
            lines = paragraphs[:4] or ["Toàn văn văn bản được đăng kèm theo trang này trên Cổng thông tin."]
            if index:
                lines = [f"Phụ lục {index} kèm theo văn bản số {post['so_ky_hieu']}."] + lines[:1]
            write_pdf(target, str(post.get("co_quan") or "Ủy ban nhân dân tỉnh Mẫu Sơn"), str(post["so_ky_hieu"]),
                      str(post["loai"]), str(post["trich_yeu"]), issued_text(post["ngay_ban_hanh"]), lines)
            count += 1
    print(f"{count} PDF")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
