"""Incremental builds behind one door: the cache, fingerprints, plans and splicing.

The build talks to this package only through `begin` and the `Work` it returns
(compile, whole, environment, plan, render, copy_static, finish); a build reads
its `Memory` from the cache folder and writes it back. What is saved between
builds (state.Saved) and what lives for one build (state.Scratch) change only
in here.

Each name is imported from its module when it is first used: a build that ends
before the full build (quiet.py, narrow.py) never loads the planner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitegen.incremental.compiling import Compiled, compile_settings
    from sitegen.incremental.listing import cache_dir_for, cache_root
    from sitegen.incremental.planning import Plan
    from sitegen.incremental.session import Counts, Setup, Work, begin
    from sitegen.incremental.state import Memory, Saved, Scratch

_MODULE_OF = {"Compiled": "compiling", "compile_settings": "compiling", "Plan": "planning", "Counts": "session",
              "Setup": "session", "Work": "session", "begin": "session", "Memory": "state", "Saved": "state",
              "Scratch": "state", "cache_dir_for": "listing", "cache_root": "listing"}

__all__ = ["Compiled", "Counts", "Memory", "Plan", "Saved", "Scratch", "Setup", "Work", "begin", "cache_dir_for",
           "cache_root", "compile_settings"]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
