"""The package's layers: a module imports sitegen modules only from strictly lower layers.

L0 problems, model, text, images,      plain data and pure helpers; messages: what the generator says, by code;
   guards, encoding, messages, spare,   spare: replaced output files kept for their disk blocks;
   kernelio, digests                    kernelio: copying files in the kernel, the umask; digests: the hash
                                        of every cache key
L1 i18n, dates, writer, workers, schema, words, decree30, locking,
   accesslog, pagefind_files, viewfile  schema: how a kind of content is declared; words: the theme's words;
                                        pagefind_files: the search index's files joined and made small;
                                        viewfile: data/views.json and its digests on disk
L2 config, kinds, fastinline, pagefind  kinds: every kind of content declared (posts, pages, documents, weeks);
                                        fastinline: the faster Markdown inline pass; pagefind: the engine
L3 loader, data, markup, hashing,       hashing: digests and checked JSON files
   schedule
L4 posts, documents, compiled          compiled: compiled templates kept between sites and processes
L5 catalog, structured, viewcount,      search_records: what the search holds of each page
   search_records
L6 context, templates, feeds, traffic, search   search: the site search's indexes
L7 render, portal, staticfiles,        parallel rendering and splicing; the portal's own pages; the static files;
   template_use                         template_use: what the templates read and reach
L8 incremental (a package)              the cache, fingerprints, plans: what to compile, render or keep
L9 pipeline, preview_folder             preview_folder: where serve builds, kept between its starts
L10 province (a package)                a province and its communes: builds many sites through the pipeline
L11 serve, newpost                      the commands
L12 cli                                 the entry point; dispatches to the L11 commands

A package is one layer to the rest; inside it, its modules import each other freely
(test_shape.py checks there is no cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sitegen"
LAYERS: dict[str, int] = {
    "problems": 0, "model": 0, "text": 0, "images": 0, "guards": 0, "encoding": 0, "messages": 0, "spare": 0,
    "kernelio": 0, "digests": 0,
    "i18n": 1, "dates": 1, "writer": 1, "workers": 1, "schema": 1, "words": 1, "decree30": 1, "locking": 1,
    "fastinline": 2,
    "accesslog": 1, "pagefind_files": 1, "viewfile": 1,
    "config": 2, "kinds": 2, "pagefind": 2,
    "loader": 3, "data": 3, "markup": 3, "hashing": 3, "schedule": 3,
    "posts": 4, "documents": 4, "compiled": 4,
    "catalog": 5, "structured": 5, "viewcount": 5, "search_records": 5,
    "context": 6, "templates": 6, "feeds": 6, "traffic": 6, "search": 6,
    "render": 7, "portal": 7, "staticfiles": 7, "template_use": 7,
    "incremental": 8,
    "pipeline": 9, "preview_folder": 9,
    "province": 10,
    "serve": 11, "newpost": 11,
    "cli": 12,
}
OPTIONAL = {"serve", "newpost"}  # may not exist yet


def modules() -> list[str]:
    """The package's modules and sub-packages, by name."""
    return sorted([p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"]
                  + [p.parent.name for p in PACKAGE.glob("*/__init__.py")])


def files_of(name: str) -> list[Path]:
    """The source files of a module, or of every module of a sub-package."""
    folder = PACKAGE / name
    return sorted(folder.rglob("*.py")) if (folder / "__init__.py").is_file() else [PACKAGE / f"{name}.py"]


def sitegen_imports(path: Path) -> set[tuple[str, int]]:
    """(sitegen module imported, line) for every import in the file, at any depth, in any spelling."""
    found: set[tuple[str, int]] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "sitegen":
                    found.add((parts[1] if len(parts) > 1 else "", node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from .x import y, inside the package
                base = ["sitegen"] + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "sitegen":
                base = node.module.split(".")
            else:
                continue
            if len(base) > 1:  # from sitegen.x import y
                found.add((base[1], node.lineno))
            else:  # from sitegen import x, y: modules, or names of the package itself
                for alias in node.names:
                    is_module = ((PACKAGE / f"{alias.name}.py").is_file() or (PACKAGE / alias.name).is_dir()
                                 or alias.name in LAYERS)
                    found.add((alias.name if is_module else "", node.lineno))
    return found


def test_parser_sees_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sitegen.dates\n"
        "import sitegen.text as t\n"
        "from sitegen.loader import Source\n"
        "from sitegen import catalog, __version__\n"
        "from . import writer\n"
        "from .model import Post\n"
        "def f():\n"
        "    from sitegen import pipeline\n"
        "import json\n"
        "from sitegenx import nothing\n",
        encoding="utf-8",
    )
    assert {name for name, _ in sitegen_imports(sample)} == {
        "dates", "text", "loader", "catalog", "", "writer", "model", "pipeline"}


def test_every_module_has_a_layer() -> None:
    missing = [name for name in modules() if name not in LAYERS]
    assert missing == [], f"give these modules a layer in tests/unit/test_layers.py: {missing}"


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_imports_only_from_lower_layers(name: str) -> None:
    paths = [path for path in files_of(name) if path.is_file()]
    if not paths:
        if name in OPTIONAL:
            pytest.skip(f"sitegen/{name}.py does not exist yet")
        pytest.fail(f"sitegen/{name}.py is missing")
    bad = []
    for path in paths:
        where = path.relative_to(PACKAGE).as_posix()
        for imported, line in sorted(sitegen_imports(path)):
            if imported in ("", name):  # the package itself (__version__), or a module of the same sub-package
                continue
            if imported not in LAYERS:
                bad.append(f"{where}:{line}: imports sitegen.{imported}, which has no layer")
            elif LAYERS[imported] >= LAYERS[name]:
                bad.append(f"{where}:{line}: L{LAYERS[name]} {name} imports L{LAYERS[imported]} {imported}")
    assert bad == []


def test_a_sub_package_is_checked_file_by_file() -> None:
    """An upward import deep inside the incremental package is seen as the package's."""
    found = {name for path in files_of("incremental") for name, _ in sitegen_imports(path)}
    assert "incremental" in found and "pipeline" not in found and "render" in found


def test_package_init_imports_no_module() -> None:
    assert {name for name, _ in sitegen_imports(PACKAGE / "__init__.py")} <= {""}


def test_build_py_imports_only_the_cli() -> None:
    tree = ast.parse((ROOT / "build.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
    imported.discard("__future__")
    assert imported == {"sitegen.cli"}
