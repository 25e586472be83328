"""data/*.toml|csv|json -> plain values for templates, keyed by file stem."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from sitegen import encoding
from sitegen.problems import Problem, os_problem, problem

DATA_DIR = "data"
_READERS = (".toml", ".csv", ".json")
# What the default theme's widgets read from data files; a file missing a column is a problem in the
# file, not an error inside a template the site's staff never touched.
THEME_COLUMNS: dict[str, tuple[str, ...]] = {"van_ban": ("so_hieu", "ngay", "trich_yeu")}
THEME_ROWS: dict[str, tuple[str, dict[str, type]]] = {  # file -> (list key, {column: type})
    "ho_so": ("periods", {"label": str, "received": int, "on_time": int, "late": int}),
}
# Whole numbers as Vietnamese Excel writes them: 1234, 1.234, 1.234.567 (no leading zero: 0912... is a phone).
_WHOLE = re.compile(r"^[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*|0)$")
RESERVED = ("views.json",)  # written by `python build.py views`; the build reads it itself (viewcount.py)


def load_data(site_dir: Path) -> tuple[dict[str, Any], list[Problem]]:
    folder = site_dir / DATA_DIR
    found: list[Problem] = []
    values: dict[str, Any] = {}
    if not folder.is_dir():
        return values, found
    if not folder.resolve().is_relative_to(site_dir.resolve()):  # data/ itself a link leading out
        return values, [problem(DATA_DIR, 0, "path_outside")]
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _READERS or path.name.startswith(".") or path.name in RESERVED:
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
        data = path.read_bytes()
    except OSError as err:
        return None, [os_problem(rel, "unreadable", err)]
    raw, refused = encoding.decode(data)  # Excel's BOM and CRLF are fine
    if raw is None:
        return None, [problem(rel, 0, refused)]
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            value = tomllib.loads(raw)
        elif suffix == ".json":
            value = json.loads(raw)
        else:
            value = _read_csv(raw)
        return value, theme_shape_problems(path.stem, value, raw, rel)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"at line (\d+)", str(err))
        return None, [problem(rel, int(line[1]) if line else 1, "data_bad", reason=err)]
    except json.JSONDecodeError as err:
        return None, [problem(rel, err.lineno, "data_bad", reason=err.msg)]
    except _CsvRowError as err:
        return None, [problem(rel, err.line, "data_csv_columns", delimiter=err.reason)]
    except (csv.Error, ValueError) as err:
        return None, [problem(rel, 1, "data_bad", reason=err)]


class _CsvRowError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _read_csv(raw: str) -> list[dict[str, Any]]:
    """Rows by header; the separator sniffed (Excel with Vietnamese settings writes ';'), empty rows and
    columns Excel leaves at the end dropped, whole numbers such as 1.234 read as numbers."""
    delimiter = sniff_delimiter(raw)
    reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True)
    rows = []
    for row in reader:
        if None in row or None in row.values():
            raise _CsvRowError(reader.line_num, delimiter)
        cells = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue  # a row Excel left empty: ";;;"
        rows.append({k: number_or_text(v) for k, v in cells.items() if k or v})
    return rows


def sniff_delimiter(raw: str) -> str:
    """',' or ';' or a tab: what the header and first rows agree on (csv.Sniffer), else the header's commonest."""
    sample = "\n".join(raw.split("\n", 20)[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = raw.split("\n", 1)[0]
        return max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","


def number_or_text(cell: str) -> Any:
    """'1.234' -> 1234, '15' -> 15; anything else (0912 345 678, 03/10/2022, 12/QĐ-UBND) stays text."""
    return int(cell.replace(".", "")) if _WHOLE.match(cell) else cell


def theme_shape_problems(stem: str, value: Any, raw: str, rel: str) -> list[Problem]:
    """Columns and numbers the theme's widgets read, checked here with the file's own lines."""
    found: list[Problem] = []
    if stem in THEME_COLUMNS and isinstance(value, list) and value:
        have = [str(k) for k in value[0]] if isinstance(value[0], dict) else []
        for column in THEME_COLUMNS[stem]:
            if column not in have:
                found.append(problem(rel, 1, "data_missing_column", column=column, columns=", ".join(have)))
    if stem in THEME_ROWS and isinstance(value, dict) and isinstance(value.get(THEME_ROWS[stem][0]), list):
        key, columns = THEME_ROWS[stem]
        starts = [n for n, line in enumerate(raw.split("\n"), 1) if re.match(rf"^\s*\[\[\s*{key}\s*\]\]", line)]
        for index, row in enumerate(value[key]):
            line = starts[index] if index < len(starts) else 1
            found += _row_problems(row, columns, raw, line, rel)
    return found


def _row_problems(row: Any, columns: dict[str, type], raw: str, line: int, rel: str) -> list[Problem]:
    """One [[row]] of a table the theme reads: each column of the right type (a whole number written
    as text becomes the number)."""
    found = []
    for column, kind in columns.items():
        cell = row.get(column) if isinstance(row, dict) else None
        if isinstance(cell, str) and kind is int and _WHOLE.match(cell.strip()):
            row[column] = number_or_text(cell.strip())
        elif not isinstance(cell, kind) or isinstance(cell, bool):
            found.append(problem(rel, _line_in(raw, column, line), "data_bad_cell", column=column,
                                 value="" if cell is None else cell,
                                 expected="integer" if kind is int else "string"))
    return found


def _line_in(raw: str, key: str, after: int) -> int:
    """The line of `key = ...` at or after line `after` (1-based)."""
    for number, line in enumerate(raw.split("\n")[after - 1:], after):
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return after
