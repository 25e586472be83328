"""The members of a province: [[members]] in its site.toml, each member's own config, the command line."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from sitegen import config, writer
from sitegen.model import Config
from sitegen.problems import Problem, problem
from sitegen.text import slugify

NEWS_URL = "tin-tu-co-so/"  # the province's list of its members' news
MEMBERS_URL = "xa-phuong/"  # the province's list of its members
_MEMBER_KEYS: dict[str, tuple[type, bool]] = {"key": (str, True), "path": (str, True)}


@dataclass(frozen=True)
class Member:
    key: str
    rel: str  # the path written in site.toml, from the province's folder ("data/xa/tan-hoa")
    folder: Path
    line: int  # of its [[members]] header
    key_line: int  # of its `key = ...`


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """What the province shows of a member: /xa-phuong/ and the name beside its news."""

    key: str
    title: str
    url: str  # its base_url (or its preview address)
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Settings:
    """The command line, for every site of the province."""

    site: Path
    output: Path
    members_output: Path | None = None
    only: str | None = None
    no_members: bool = False
    drafts: bool = False
    future: bool = False
    strict: bool = False
    check_only: bool = False
    workers: int = 0
    use_cache: bool = True
    environ: dict[str, str] | None = None
    preview_origin: str = ""  # serve: members at <origin>/<key>/, the province at <origin>/
    lock_wait: float = 600.0  # seconds to wait for another build writing into one of the outputs


def _member_lines(raw: str) -> list[int]:
    """0-based line index of each [[members]] header."""
    return [i for i, t in enumerate(raw.splitlines()) if re.match(r"^\s*\[\[\s*members\s*\]\]", t)]


def load_members(site: Path, cfg: Config) -> tuple[list[Member], list[Problem]]:
    """The members listed in the province's site.toml, checked: keys, paths, folders, repeats."""
    raw = (site / config.CONFIG_FILE).read_text(encoding="utf-8")
    entries = tomllib.loads(raw).get("members", [])
    if not isinstance(entries, list):
        return [], []  # config.load_config reported the type
    headers = _member_lines(raw)
    taken = {c.key for c in cfg.categories} | config.RESERVED_SEGMENTS | {NEWS_URL[:-1], MEMBERS_URL[:-1]}
    found: list[Problem] = []
    members: list[Member] = []
    seen: dict[str, int] = {}  # key -> its line
    folders: dict[Path, int] = {}  # a member's folder -> the line of its path
    for index, entry in enumerate(entries):
        start = headers[index] if index < len(headers) else 0
        if not isinstance(entry, dict):
            found.append(problem(config.CONFIG_FILE, start + 1, "config_bad_type", key="members", expected="table"))
            continue
        entry_problems = [replace(item, code="member_unknown_key") if item.code == "config_unknown_key" else item
                          for item in config._check_keys(entry, _MEMBER_KEYS, raw, start, start + 1)]
        member, wrong = ((None, entry_problems) if entry_problems
                         else _member(site, entry, raw, start, (seen, folders), taken))
        found += wrong
        if member is not None:
            members.append(member)
    return members, found


def _member(site: Path, entry: dict, raw: str, start: int, seen: tuple[dict[str, int], dict[Path, int]],
            taken: set[str]) -> tuple[Member | None, list[Problem]]:
    """One [[members]] table whose keys are right: its key and folder checked (`seen`: the keys and the
    folders of the members before it, with their lines)."""
    keys, folders = seen
    key, rel = entry["key"].strip(), entry["path"].strip().rstrip("/")
    key_line, path_line = config.line_of(raw, "key", start), config.line_of(raw, "path", start)
    if not key or key != slugify(key):
        return None, [problem(config.CONFIG_FILE, key_line, "member_bad_key", value=key,
                              suggestion=slugify(key) or "xa-moi")]
    if key in keys:
        return None, [problem(config.CONFIG_FILE, key_line, "member_duplicate_key", value=key, first=keys[key])]
    keys[key] = key_line
    if key in taken:
        return None, [problem(config.CONFIG_FILE, key_line, "member_key_taken", value=key)]
    wrong = _folder_problem(site, rel)
    if wrong:
        return None, [problem(config.CONFIG_FILE, path_line, wrong, value=rel)]
    folder = (site / rel).resolve()
    shared = [line for other, line in folders.items() if folder.is_relative_to(other) or other.is_relative_to(folder)]
    if shared:  # one folder for two sites, or a site inside another's (its content/ would publish the inner one)
        return None, [problem(config.CONFIG_FILE, path_line, "member_duplicate_path", value=rel, first=shared[0])]
    folders[folder] = path_line
    return Member(key, Path(rel).as_posix(), site / rel, start + 1, key_line), []


def _folder_problem(site: Path, rel: str) -> str:
    """The message code for a member path that cannot be a member's folder ("" when it can)."""
    root, folder = site.resolve(), (site / rel).resolve()
    if os.path.isabs(rel):
        return "member_absolute"
    if not rel or not folder.is_relative_to(root) or folder == root:
        return "member_outside"
    if any(folder.is_relative_to((site / name).resolve()) for name in ("content", "templates", "assets", "public")):
        return "member_in_province"
    if not (site / rel / config.CONFIG_FILE).is_file():
        return "member_missing"
    return ""


def member_configs(members: list[Member], cfg: Config) -> tuple[dict[str, Config], list[Problem]]:
    """Each member's own config. A base_url used twice (by two members, or a member and the province,
    whatever its scheme and case) is an error on the member's base_url line; so is a member that lists
    members of its own."""
    configs: dict[str, Config] = {}
    found: list[Problem] = []
    owners: dict[tuple[str, str], tuple[Member | None, int]] = {_address(cfg.base_url): (None, 0)}  # the province
    for member in members:
        member_cfg, problems = config.load_config(member.folder)
        found += [in_member(member, p) for p in problems]
        if member_cfg is None:
            continue
        raw = (member.folder / config.CONFIG_FILE).read_text(encoding="utf-8")
        own_members = _member_lines(raw)
        if own_members:
            found.append(in_member(member, problem(config.CONFIG_FILE, own_members[0] + 1, "member_has_members")))
        line = config.line_of(raw, "base_url")
        other, other_line = owners.setdefault(_address(member_cfg.base_url), (member, line))
        if other is None:
            found.append(in_member(member, problem(config.CONFIG_FILE, line, "member_province_base_url",
                                                   value=member_cfg.base_url, other="")))
        elif other is not member:  # either may be the file edited by mistake: each is named with the other
            for site, its_line, named, url in ((member, line, other, member_cfg.base_url),
                                               (other, other_line, member, configs[other.key].base_url)):
                found.append(in_member(site, problem(config.CONFIG_FILE, its_line, "member_duplicate_base_url",
                                                     value=url, other=named.key)))
        configs[member.key] = member_cfg
    return configs, found


def _address(base_url: str) -> tuple[str, str]:
    """What tells two sites apart: the host, in any case, and the path (http:// and https:// are one site)."""
    parts = urlsplit(base_url)
    return parts.netloc.lower(), parts.path.rstrip("/")


def in_member(member: Member, item: Problem) -> Problem:
    """A member's problem with its path from the province's folder: data/xa/tan-hoa/content/a.md. A theme
    file the member does not have is the province's (or the default theme's): its path stays as it is."""
    if not item.path or os.path.isabs(item.path):
        return item
    if item.path.startswith(("templates/", "assets/")) and not (member.folder / item.path).exists():
        return item
    return replace(item, path=f"{member.rel}/{item.path}")


def member_output(settings: Settings, member: Member) -> Path:
    if settings.members_output is not None:
        return settings.members_output / member.key
    return member.folder / "public"


def outputs_left(settings: Settings, keys: list[str]) -> list[Problem]:
    """Sites that a whole run finds in --members-output DIR for members no longer listed (a key renamed, a
    commune taken out): the web server goes on publishing them, so the build says so; it deletes no
    published site itself (a mistyped key would take a commune off the web). Not the preview's own folder,
    which it prunes itself (preview_folder.prune_members)."""
    if settings.members_output is None or settings.only is not None or settings.no_members or settings.preview_origin:
        return []
    try:
        left = sorted(path.name for path in settings.members_output.iterdir()
                      if path.name not in keys and (path / writer.MANIFEST).is_file())
    except OSError:  # no such folder yet
        return []
    return [problem(str(settings.members_output / name), 0, "member_output_left", "warning") for name in left]


def member_url(settings: Settings, member: Member, cfg: Config) -> str:
    """The member's address as the province links it: its base_url, or its place in the preview."""
    origin = settings.preview_origin
    return f"{origin}/{member.key}/" if origin else cfg.base_url


def members_of(site: Path) -> Iterator[Member]:
    """The members as listed (for serve), or none if the config does not load."""
    cfg, _ = config.load_config(site)
    if cfg is not None:
        yield from load_members(site, cfg)[0]
