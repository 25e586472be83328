"""Incremental builds behind one door: the cache, fingerprints, plans and splicing.

The build talks to this package only through `begin` and the `Work` it returns
(compile, whole, environment, plan, render, copy_static, finish); `serve` keeps
a `Memory` between rebuilds. What is saved between builds (state.Saved) and what
lives for one build (state.Scratch) change only in here.
"""

from sitegen.incremental.compiling import Compiled, compile_settings
from sitegen.incremental.planning import Plan
from sitegen.incremental.session import Counts, Setup, Work, begin
from sitegen.incremental.state import Memory, Saved, Scratch
from sitegen.incremental.store import cache_dir_for

__all__ = ["Compiled", "Counts", "Memory", "Plan", "Saved", "Scratch", "Setup", "Work", "begin", "cache_dir_for",
           "compile_settings"]
