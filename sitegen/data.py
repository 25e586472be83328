"""data/*.toml|csv|json -> plain values for templates, keyed by file stem."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from sitegen.problems import Problem, os_problem, problem

DATA_DIR = "data"
_READERS = (".toml", ".csv", ".json")


def load_data(site_dir: Path) -> tuple[dict[str, Any], list[Problem]]:
    folder = site_dir / DATA_DIR
    found: list[Problem] = []
    values: dict[str, Any] = {}
    if not folder.is_dir():
        return values, found
    if not folder.resolve().is_relative_to(site_dir.resolve()):  # data/ itself a link leading out
        return values, [problem(DATA_DIR, 0, "path_outside")]
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _READERS or path.name.startswith("."):
            continue
        rel = f"{DATA_DIR}/{path.name}"
        if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
            found.append(problem(rel, 0, "path_outside"))
            continue
        if path.stem in values:
            found.append(problem(rel, 0, "data_duplicate", name=path.stem))
            continue
        value, problems = read_data_file(path, rel)
        found += problems
        if not problems:
            values[path.stem] = value
    return values, found


def read_data_file(path: Path, rel: str) -> tuple[Any, list[Problem]]:
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [problem(rel, 0, "not_utf8")]
    except OSError as err:
        return None, [os_problem(rel, "unreadable", err)]
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return tomllib.loads(raw), []
        if suffix == ".json":
            return json.loads(raw), []
        return _read_csv(raw), []
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"at line (\d+)", str(err))
        return None, [problem(rel, int(line[1]) if line else 1, "data_bad", reason=err)]
    except json.JSONDecodeError as err:
        return None, [problem(rel, err.lineno, "data_bad", reason=err.msg)]
    except _CsvRowError as err:
        return None, [problem(rel, err.line, "data_csv_columns")]
    except (csv.Error, ValueError) as err:
        return None, [problem(rel, 1, "data_bad", reason=err)]


class _CsvRowError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _read_csv(raw: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(raw, newline=""), strict=True)
    rows = []
    for row in reader:
        if None in row or None in row.values():
            raise _CsvRowError(reader.line_num, "wrong number of columns")
        rows.append({k.strip(): v.strip() for k, v in row.items()})
    return rows
