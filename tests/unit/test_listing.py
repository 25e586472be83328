"""sitegen.incremental.listing: where the cache lives, the site's files by stat, the output as recorded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitegen.incremental import listing

ROOT = Path(__file__).resolve().parents[2]


def test_the_cache_lives_in_the_site_folder_named_after_the_output(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert listing.cache_dir_for(site, site / "public") == site / ".sitegen-cache" / "public"
    elsewhere = listing.cache_dir_for(site, tmp_path / "www" / "public")
    assert elsewhere.parent == site / ".sitegen-cache" and elsewhere.name.startswith("public-")
    assert elsewhere != listing.cache_dir_for(site, tmp_path / "other" / "public")


def test_the_site_files_are_listed_by_stat_without_hidden_names_nor_entering_symlinks(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel in ("site.toml", "content/tin-tuc/a.md", "content/.an.md", "data/x.toml", "assets/css/site.css",
                "public/index.html", ".sitegen-cache/stamp.json"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("y", encoding="utf-8")
    os.symlink(tmp_path / "outside", site / "content" / "lien-ket")
    found = listing.files(site)
    assert sorted(found) == ["assets/css/site.css", "content/lien-ket", "content/tin-tuc/a.md", "data/x.toml",
                             "site.toml"]  # the link by its target's stat, none of the files behind it
    info = os.stat(site / "content/tin-tuc/a.md")
    assert found["content/tin-tuc/a.md"] == [info.st_size, info.st_mtime_ns, info.st_ino]
    skipped = listing.files(site, skip=frozenset({os.path.join(site, "content", "tin-tuc")}))
    assert "content/tin-tuc/a.md" not in skipped and "data/x.toml" in skipped


def test_the_output_is_as_recorded_until_a_folder_or_file_changes(tmp_path: Path) -> None:
    out = tmp_path / "public"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    (out / "feed.xml").write_text("<rss/>", encoding="utf-8")
    folders = {"": listing.look(os.fspath(out), 2), "a": listing.look(os.fspath(out / "a"), 2)}
    files = {"feed.xml": listing.look(os.fspath(out / "feed.xml"), 3)}
    assert listing.as_recorded(out, folders, files)
    (out / "a" / "index.html").unlink()
    assert not listing.as_recorded(out, folders, files)
    folders["a"] = listing.look(os.fspath(out / "a"), 2)
    assert listing.as_recorded(out, folders, files)
    (out / "feed.xml").write_text("<rss></rss>", encoding="utf-8")
    assert not listing.as_recorded(out, folders, files)
    assert listing.look(os.fspath(out / "none"), 3) is None


def test_it_imports_none_of_the_build_stages() -> None:
    """A forked process runs it before the stages are imported (lookahead.py): it must stay light."""
    script = ("import sys; import sitegen.incremental.lookahead; "
              "print(sorted(m for m in sys.modules if m.startswith('sitegen') or m in ('jinja2', 'markdown')))")
    ran = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == str(sorted(["sitegen", "sitegen.digests", "sitegen.incremental",
                                             "sitegen.incremental.listing", "sitegen.incremental.lookahead"]))
