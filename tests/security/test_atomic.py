"""No data lost: a failed or killed build leaves every output file old or new, never half-written.

- a template error, a content error and a full disk leave the previous output byte for byte;
- the fault test builds a 1,000-post site in a subprocess, SIGKILLs it at ten random moments of
  a rebuild that changes every page, and after each kill checks every output file against clean
  builds of the old and the new site; the next normal build must then equal the clean new build.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import BUILD_EPOCH, ROOT, post_text, snapshot
from tests.security.conftest import tree

GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
KILLS = 10
TITLES = ("Cổng thông tin điện tử (bản cũ)", "Cổng thông tin điện tử (bản mới)")


def _posts(count: int) -> dict[str, str]:
    return {f"content/tin-tuc/bai-{n}.md": post_text(title=f"Bài số {n}", date=f"2024-03-{1 + n % 28:02d} 09:00",
                                                     tags=f"[thẻ {n % 3}]") for n in range(count)}


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob(".tmp-*")]


# --- failed builds ----------------------------------------------------------------------------------

def test_template_error_leaves_the_output_untouched(make_site, run_cli) -> None:
    site = make_site(_posts(3))
    assert run_cli("build", "--site", str(site))[0] == 0
    before = snapshot(site / "public")
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}\n{% block content %}\n{{ post.title|no_such_filter }}\n'
        "{% endblock %}\n", encoding="utf-8")
    (site / "content" / "tin-tuc" / "bai-0.md").write_text(post_text(title="Tiêu đề đã sửa"), encoding="utf-8")
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1
    assert re.search(r"^templates/article\.html:3: lỗi: ", err, re.MULTILINE), err
    assert "Traceback" not in out + err
    assert snapshot(site / "public") == before
    (site / "templates" / "article.html").write_text(
        '{% extends "default/article.html" %}\n{% block content %}\n{{ post.no_such_field }}\n{% endblock %}\n',
        encoding="utf-8")
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "templates/article.html:3: lỗi: " in err
    assert snapshot(site / "public") == before


def test_content_error_leaves_the_output_untouched(make_site, run_cli) -> None:
    site = make_site(_posts(3))
    assert run_cli("build", "--site", str(site))[0] == 0
    before = snapshot(site / "public")
    (site / "content" / "tin-tuc" / "bai-1.md").write_text(post_text(title="Sửa", date="31/02/2024"),
                                                          encoding="utf-8")
    (site / "content" / "tin-tuc" / "bai-2.md").write_text(post_text(title="Mới hẳn"), encoding="utf-8")
    code, out, err = run_cli("build", "--site", str(site))
    assert code == 1 and "content/tin-tuc/bai-1.md:3: lỗi: " in err
    assert snapshot(site / "public") == before


class _FullDisk:
    """A file object whose writes fail as on a full disk (ENOSPC)."""

    def __init__(self, handle) -> None:  # noqa: ANN001 - any file object
        self.handle = handle

    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self.handle, name)


@pytest.mark.parametrize("posts", [3, 80], ids=["in-process", "worker-processes"])
def test_full_disk_leaves_the_output_untouched(posts: int, make_site, run_cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(_posts(posts))
    assert run_cli("build", "--site", str(site))[0] == 0
    before = snapshot(site / "public")
    (site / "site.toml").write_text((site / "site.toml").read_text(encoding="utf-8").replace(
        "xã Thử Nghiệm", "xã Đổi Tên"), encoding="utf-8")
    real_fdopen = os.fdopen
    calls = {"n": 0}

    def fdopen(fd: int, *args: object, **kwargs: object):  # noqa: ANN202 - a file object or a stand-in
        handle = real_fdopen(fd, *args, **kwargs)
        calls["n"] += 1
        return _FullDisk(handle) if calls["n"] > 5 else handle  # the disk fills up after five files

    monkeypatch.setattr(os, "fdopen", fdopen)
    code, out, err = run_cli("build", "--site", str(site))
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert code == 1, err
    assert "Traceback" not in out + err
    assert "ổ đĩa đã đầy" in err and "kết quả cũ được giữ nguyên" in err  # the system error in the site's language
    after = snapshot(site / "public")  # every file as it was (".tmp-" leftovers: see the next test)
    assert {k: v for k, v in after.items() if not k.rsplit("/", 1)[-1].startswith(".tmp-")} == before
    assert run_cli("build", "--site", str(site))[0] == 0  # disk freed: the next build goes through
    assert b"x\xc3\xa3 \xc4\x90\xe1\xbb\x95i T\xc3\xaan" in (site / "public" / "index.html").read_bytes()


@pytest.mark.parametrize("posts", [3, 80], ids=["in-process", "worker-processes"])
def test_full_disk_leaves_no_temp_files(posts: int, make_site, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(_posts(posts))
    assert run_cli("build", "--site", str(site))[0] == 0
    (site / "site.toml").write_text((site / "site.toml").read_text(encoding="utf-8").replace(
        "xã Thử Nghiệm", "xã Đổi Tên"), encoding="utf-8")
    real_fdopen = os.fdopen
    calls = {"n": 0}

    def fdopen(fd: int, *args: object, **kwargs: object):  # noqa: ANN202
        handle = real_fdopen(fd, *args, **kwargs)
        calls["n"] += 1
        return _FullDisk(handle) if calls["n"] > 5 else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    code, _, _ = run_cli("build", "--site", str(site))
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert code == 1
    leftovers_after_failure = _no_temp_files(site / "public")
    assert run_cli("build", "--site", str(site))[0] == 0
    assert leftovers_after_failure and _no_temp_files(site / "public")


# --- the fault test: SIGKILL at random moments of a rebuild ----------------------------------------

@pytest.fixture(scope="session")
def corpus_1000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark corpus of 1,000 posts as a whole site, generated once per session."""
    if not GEN_CORPUS.is_file():
        pytest.skip(f"{GEN_CORPUS} is missing (the shared/ folder beside the repository)")
    site = tmp_path_factory.mktemp("corpus") / "site"
    subprocess.run([sys.executable, str(GEN_CORPUS), "--posts", "1000", "--out", str(site), "--site"],
                   check=True, capture_output=True, timeout=120)
    return site


def _set_title(site: Path, title: str) -> None:
    toml = site / "site.toml"
    text = re.sub(r'^title = ".*"$', f'title = "{title}"', toml.read_text(encoding="utf-8"), count=1,
                  flags=re.MULTILINE)
    toml.write_text(text, encoding="utf-8")


def _command(site: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--output", str(out)]


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "PYTHONIOENCODING": "utf-8"}


def _clean_build(site: Path, out: Path) -> tuple[dict[str, bytes], float]:
    started = time.monotonic()
    done = subprocess.run(_command(site, out), env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return tree(out), time.monotonic() - started


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its worker processes, all at once
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while _alive_in_group(proc.pid) and time.monotonic() < deadline:  # orphaned workers die too; make sure
        time.sleep(0.01)


def _alive_in_group(group: int) -> bool:
    """Any process of the group not yet dead (zombies, which nobody may reap here, do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] not in ("Z", "X"):
            return True
    return False


def _run_for(proc: subprocess.Popen, seconds: float) -> None:
    """Let the build run `seconds` longer, or until it ends."""
    deadline = time.monotonic() + seconds
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)


def _wait_for_commit(proc: subprocess.Popen, watched: Path, limit: float) -> None:
    """Return once `watched` is replaced (the build is renaming files into place) or the build ends."""
    first = watched.stat().st_ino
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if watched.stat().st_ino != first:
                return
        except FileNotFoundError:
            return
        time.sleep(0.0005)


def _check_old_or_new(now: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """Every file is its old or its new complete version; returns 'old', 'new' or 'mixed'."""
    kinds = set()
    for rel in sorted(set(old) | set(new) | set(now)):
        if rel not in old and rel not in new and (rel.rsplit("/", 1)[-1].startswith(".tmp-")
                                                  or rel.startswith(".sitegen-")):
            continue  # a staged file not yet renamed, or the generator's "build under way" mark
        if rel not in now:
            assert rel not in old or rel not in new, f"{rel}: lost (in both the old and the new build)"
            continue
        assert now[rel] in (old.get(rel), new.get(rel)), f"{rel}: neither its old nor its new version"
        if old.get(rel) != new.get(rel):
            kinds.add("old" if now[rel] == old.get(rel) else "new")
    return "mixed" if len(kinds) > 1 else (kinds.pop() if kinds else "old")


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_broken_file(corpus_1000: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(corpus_1000, site)
    refs: list[dict[str, bytes]] = []
    took = 0.0
    for n, title in enumerate(TITLES):
        _set_title(site, title)
        files, took = _clean_build(site, tmp_path / f"ref{n}" / "public")
        refs.append(files)
    changed = sum(refs[0][rel] != refs[1].get(rel) for rel in refs[0])
    assert set(refs[0]) == set(refs[1]) and changed > 1000  # every page changes, the images do not
    out = tmp_path / "work" / "public"
    shutil.copytree(tmp_path / "ref0" / "public", out)
    seed = int(os.environ.get("SITEGEN_FAULT_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    current = 0
    outcomes: list[str] = []
    timings: list[float] = []
    for kill in range(KILLS):
        target = 1 - current
        _set_title(site, TITLES[target])
        started = time.monotonic()
        proc = subprocess.Popen(_command(site, out), env=_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            if kill < KILLS - 3:  # spread over the whole build: start-up, reading, rendering, writing
                _run_for(proc, took * (kill + rng.random()) / (KILLS - 3))
            else:  # the last three land while files are being renamed into place
                _wait_for_commit(proc, out / "index.html", took * 3)
                _run_for(proc, rng.random() * 0.02)
        finally:
            if proc.poll() is not None:  # it finished first: later builds of this kind take that long
                took = min(took, time.monotonic() - started)
            _kill_group(proc)
        where = f"seed {seed}, kill {kill + 1}"
        killed_at = time.monotonic()
        now = tree(out)
        staged = any(rel.rsplit("/", 1)[-1].startswith(".tmp-") for rel in now)
        outcomes.append(_check_old_or_new(now, refs[current], refs[target]) + ("+staged" if staged else ""))
        repair = subprocess.run(_command(site, out), env=_env(), capture_output=True, text=True, timeout=300)
        assert repair.returncode == 0, f"{where}: {repair.stderr[-2000:]}"
        repaired = tree(out)
        assert not [r for r in repaired if r.rsplit("/", 1)[-1].startswith(".tmp-")], where
        assert repaired == refs[target], f"{where}: the repair build differs from a clean build"
        current = target
        timings.append(round(time.monotonic() - killed_at, 2))
    print(f"fault test seed {seed}: rebuild {took:.2f} s; states after each kill: {outcomes}; "
          f"check + repair seconds: {timings}")


@pytest.mark.parametrize("stage", ["compile", "render"])
def test_a_worker_killed_midway_fails_the_build_with_a_message_and_the_output_untouched(
        stage: str, make_site, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process killed (as the system does when memory runs out) while it compiles posts or renders
    pages: the build says so in the site's language and what to do, exits 1, and the output is as it was."""
    from sitegen import render
    from sitegen.incremental import compiling

    site = make_site(_posts(80))
    assert run_cli("build", "--site", str(site), "--jobs", "2")[0] == 0
    before = snapshot(site / "public")
    (site / "site.toml").write_text((site / "site.toml").read_text(encoding="utf-8").replace(
        "xã Thử Nghiệm", "xã Đổi Tên"), encoding="utf-8")
    parent = os.getpid()
    module, name = (compiling, "compile_post") if stage == "compile" else (render, "render_one")
    real = getattr(module, name)

    def killed_in_a_worker(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, killed_in_a_worker)
    code, out, err = run_cli("build", "--site", str(site), "--jobs", "2", "--no-cache")
    monkeypatch.setattr(module, name, real)
    assert code == 1, err
    assert "Traceback" not in out + err
    assert "tiến trình dựng trang bị dừng" in err and "--jobs 1" in err and "kết quả cũ được giữ nguyên" in err
    after = snapshot(site / "public")
    assert {k: v for k, v in after.items() if not k.rsplit("/", 1)[-1].startswith(".tmp-")} == before
    assert run_cli("build", "--site", str(site), "--jobs", "2")[0] == 0
    assert _no_temp_files(site / "public")
