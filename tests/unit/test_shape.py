"""The package's shape: small modules, functions that fit on a screen, simple branching, no import cycle.

Measured with radon (cyclomatic complexity) and the syntax tree (lengths), over every module of
`sitegen`, sub-packages included. Upward imports are test_layers.py's.
"""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sitegen"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15
EXEMPT: set[str] = set()  # nothing may be added here


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_no_module_is_over_400_lines() -> None:
    long = {_name(p): n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines()))
            > MAX_MODULE_LINES and _name(p) not in EXEMPT}
    assert long == {}


def test_no_function_is_over_60_lines() -> None:
    long = []
    for path in _modules():
        if _name(path) in EXEMPT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{_name(path)}:{node.lineno} {node.name}: {lines} lines")
    assert long == []


def test_no_function_is_over_complexity_15() -> None:
    tangled = []
    for path in _modules():
        if _name(path) in EXEMPT:
            continue
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                tangled.append(f"{_name(path)}:{block.lineno} {block.name}: {block.complexity}")
    assert tangled == []


def test_the_exemptions_are_still_needed() -> None:
    """An exempt module that got back into shape leaves the list."""
    for name in EXEMPT:
        path = PACKAGE / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        over = len(text.splitlines()) > MAX_MODULE_LINES or any(
            b.complexity > MAX_COMPLEXITY for b in cc_visit(text))
        assert over, f"{name} is in shape now: take it off EXEMPT"


def _imports(path: Path) -> set[str]:
    """The sitegen modules a file imports, as dotted names under sitegen ("incremental.state", "render")."""
    found = set()
    here = path.relative_to(PACKAGE).with_suffix("").parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("sitegen.") for a in node.names if a.name.startswith("sitegen.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level] + tuple((node.module or "").split(".")))
            elif node.module and node.module.split(".")[0] == "sitegen":
                base = node.module.removeprefix("sitegen").lstrip(".")
            else:
                continue
            for alias in node.names:
                whole = f"{base}.{alias.name}" if base else alias.name
                found.add(whole if _is_module(whole) else base)
    return {name for name in found if name and _is_module(name)}


def _is_module(dotted: str) -> bool:
    path = PACKAGE.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycle() -> None:
    graph = {_module_name(p): _imports(p) - {_module_name(p)} for p in _modules() if _module_name(p)}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph.get(name, ())):
            if state.get(other) == 1:
                cycles.append(" -> ".join(path[path.index(other):] + [other]) if other in path else other)
            elif other not in state:
                visit(other, [*path, other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_cycle_finder_sees_a_cycle(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "sitegen"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("from sitegen.sub.b import x\n", encoding="utf-8")
    (package / "a.py").write_text("from sitegen import sub\n", encoding="utf-8")
    (package / "sub" / "b.py").write_text("from .. import a\nx = 1\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "PACKAGE", package)
    assert _imports(package / "sub" / "b.py") == {"a"}
    assert _imports(package / "a.py") == {"sub"}
    assert _imports(package / "sub" / "__init__.py") == {"sub.b"}
    try:
        test_no_import_cycle()
    except AssertionError:
        return
    raise AssertionError("the cycle a -> sub -> sub.b -> a was not found")


def test_every_module_and_package_has_its_own_test_file() -> None:
    """tests/unit/test_<name>.py for each module and sub-package of sitegen; the incremental package has
    one for each of its modules instead (the planner tested without a disk)."""
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"incremental"}
    names |= {p.stem for p in (PACKAGE / "incremental").glob("*.py") if p.stem != "__init__"}
    missing = sorted(name for name in names if not (ROOT / "tests" / "unit" / f"test_{name}.py").is_file())
    assert missing == []
