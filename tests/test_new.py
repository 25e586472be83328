"""`new`: a draft at a predictable path that passes check and publishes with --drafts."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter


def test_new_post_then_publish_with_drafts(make_site, run_cli) -> None:
    site = make_site()
    code, out, err = run_cli("new", "Kiểm tra công tác cải cách hành chính tại xã Đông Sơn",
                             "--category", "Thông báo", "--site", str(site))
    assert code == 0, err
    path = Path(out.strip())
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    assert path == site / f"content/thong-bao/{year}/kiem-tra-cong-tac-cai-cach-hanh-chinh-tai-xa-dong-son.md"
    meta = frontmatter.load(path).metadata
    assert meta["title"] == "Kiểm tra công tác cải cách hành chính tại xã Đông Sơn"
    assert meta["category"] == "Thông báo" and meta["draft"] is True
    assert meta["slug"] == "kiem-tra-cong-tac-cai-cach-hanh-chinh-tai-xa-dong-son"
    assert re.fullmatch(r"[0-9a-f-]{36}", str(meta["id"]))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", str(meta["date"]))

    assert run_cli("check", "--site", str(site))[0] == 0
    assert run_cli("build", "--site", str(site))[0] == 0
    assert not (site / f"public/thong-bao/{year}/kiem-tra-cong-tac-cai-cach-hanh-chinh-tai-xa-dong-son").exists()
    code, _, err = run_cli("build", "--site", str(site), "--drafts", "--future")
    assert code == 0, err
    page = site / f"public/thong-bao/{year}/kiem-tra-cong-tac-cai-cach-hanh-chinh-tai-xa-dong-son/index.html"
    assert "Kiểm tra công tác cải cách hành chính tại xã Đông Sơn" in page.read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(make_site, run_cli) -> None:
    site = make_site()
    assert run_cli("new", "Thông báo lịch tiếp dân", "--site", str(site))[0] == 0
    target = next((site / "content").rglob("*.md"))
    target.write_text(target.read_text(encoding="utf-8") + "\nĐã viết nội dung.\n", encoding="utf-8")
    before = target.read_bytes()
    code, _, err = run_cli("new", "Thông báo lịch tiếp dân", "--site", str(site))
    assert code == 1 and "đã có" in err
    assert target.read_bytes() == before


def test_new_unknown_category_lists_known_ones(make_site, run_cli) -> None:
    site = make_site()
    code, out, err = run_cli("new", "Tin mới", "--category", "Thong bao xa", "--site", str(site))
    assert code == 1 and not out
    assert "Thông báo (thong-bao)" in err and "Tin tức (tin-tuc)" in err
    assert "có phải ý bạn là 'Thông báo'" in err
    assert not list((site / "content").rglob("*.md"))


def test_new_page(make_site, run_cli) -> None:
    site = make_site()
    code, out, _ = run_cli("new", "Liên hệ", "--page", "--site", str(site))
    assert code == 0 and Path(out.strip()) == site / "content/pages/lien-he.md"
    assert run_cli("build", "--site", str(site), "--drafts")[0] == 0
    assert (site / "public/lien-he/index.html").is_file()
