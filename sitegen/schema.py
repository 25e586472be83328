"""Kinds of content, each declared once as a list of fields; everything else is derived from it.

A `Kind` (a post, a standalone page; later an official document, a schedule
week) lists its `Field`s: the front-matter key, the kind of `Value` it holds
(Python type, how a written value is read and checked, how the cache stores
it), whether the key is required, its default, and what it means. From that
one list come:

- the checks of the front matter, every problem at its key's line, and the
  warning for an unknown key with the nearest known one (`Kind.check`);
- the frozen model class (`model_class`) and its list views (`view_class`);
- the cache's record of an item (`Kind.record`, `Kind.restore`);
- the README's front-matter table (`table`).

Nothing here knows posts: the declarations live in `kinds`.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sitegen.problems import Problem, Severity, problem
from sitegen.text import closest

MISSING: Any = dataclasses.MISSING


class RecordError(ValueError):
    """A cached record that this declaration did not write."""


@dataclass(frozen=True, slots=True)
class Restore:
    """What turning a record back into values needs from the site: its time zone and categories."""

    tz: tzinfo
    categories: Mapping[str, Any]  # key -> Category


@dataclass
class Check:
    """What reading one file's front matter collects: the values so far and the problems, at their lines."""

    path: str  # posix, relative to the site folder
    lines: Mapping[Any, int]  # key -> 1-based line
    start_line: int  # the line of the opening ---, for keys without a line of their own
    cfg: Any  # the site's Config
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    found: list[Problem] = dataclasses.field(default_factory=list)

    def line(self, key: Any) -> int:
        return self.lines.get(key, self.start_line)

    def add(self, key: Any, code: str, severity: Severity = "error", **args: object) -> None:
        """A problem at `key`'s line; the message names the key."""
        self.found.append(problem(self.path, self.line(key), code, severity, key=key, **args))

    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.found)


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Value:
    """A kind of value a field holds.

    `read` turns what the author wrote into the value, reporting mistakes
    through the Check (it is not called for a key left out: the field's default
    is used). `dump` and `load` store the value in the cache as JSON; `load`
    raises RecordError (or TypeError/ValueError) for a value of the wrong
    shape. When `exact` is given, the value is stored as it is and a record is
    checked only for that exact type (fast: ten thousand posts are read back
    every build).
    """

    form: str  # what an author may write, as the README says it: "text", "date", "list"...
    type: Any  # of the value in the model
    read: Callable[[Any, str, Check], Any] | None = None
    exact: type | None = None
    dump: Callable[[Any], Any] = _same
    load: Callable[[Any, Restore], Any] | None = None


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a kind: an attribute of the model, usually set from a front-matter key."""

    name: str
    value: Value
    default: Any = MISSING  # the value when the key is left out; MISSING: the build always sets it
    required: bool = False  # an empty or missing key is an error
    from_front_matter: bool = True  # False: set by the build (url, body), never written by authors
    doc: str = ""  # what it means, for the README
    stored: bool = True  # False: the cache keeps it elsewhere (a post's body)

    @property
    def key(self) -> str | None:
        return self.name if self.from_front_matter else None


Rule = Callable[[Check], None]  # a check across fields, run after each field is read: may add and change values


@dataclass(frozen=True)
class Kind:
    """A kind of content: its fields in order, the rules across them, and the class of its items."""

    name: str
    fields: tuple[Field, ...]
    model: type
    rules: tuple[Rule, ...] = ()

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a field is declared twice")
        object.__setattr__(self, "_plan", _RecordPlan.of(self.fields, self.model))  # frozen: worked out once

    @property
    def keys(self) -> tuple[str, ...]:
        """The front-matter keys an author may write, in declaration order."""
        return tuple(f.name for f in self.fields if f.from_front_matter)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def variant(self, name: str, rules: tuple[Rule, ...] | None = None, **changes: dict[str, Any]) -> Kind:
        """The same model read another way: `changes` maps a field to what differs (required, value...)."""
        fields = tuple(dataclasses.replace(f, **changes.get(f.name, {})) for f in self.fields)
        return Kind(name, fields, self.model, self.rules if rules is None else rules)

    def check(self, meta: Mapping[Any, Any], check: Check) -> tuple[dict[str, Any] | None, list[Problem]]:
        """The values of the front-matter fields and every problem; no values when one is an error."""
        known = self.keys
        for key in sorted(meta.keys() - set(known), key=str):  # YAML keys may be null, numbers...
            check.add(key, "unknown_field", "warning", hint=closest(str(key), list(known)) or "")
        for f in self.fields:
            if f.required and meta.get(f.name) in (None, ""):
                check.add(f.name, "missing_field")
        for f in self.fields:
            if not f.from_front_matter:
                continue
            if f.name in meta and f.value.read is not None:
                check.values[f.name] = f.value.read(meta[f.name], f.name, check)
            else:
                check.values.setdefault(f.name, f.default)
        for rule in self.rules:
            rule(check)
        return (None if check.failed() else check.values), check.found

    def record(self, item: Any) -> list[Any]:
        """The item as a JSON list, in declaration order, without the fields not stored."""
        plan: _RecordPlan = self._plan
        values = list(plan.get(item))
        for index, dump in plan.dumps:
            values[index] = dump(values[index])
        return values

    def restore(self, record: Any, restore: Restore, **unstored: Any) -> Any:
        """The item a record holds; `unstored` gives the fields kept elsewhere."""
        plan: _RecordPlan = self._plan
        if type(record) is not list or len(record) != len(plan.stored):
            raise RecordError(f"{self.name}: not a record of {len(plan.stored)} values")
        values = list(record)
        for wanted, pick in plan.exact:
            if not set(map(type, pick(values))) <= {wanted}:  # exact: True is not an int here
                raise RecordError(f"{self.name}: a value is not {wanted.__name__}")
        for index, load in plan.loads:
            values[index] = load(values[index], restore)
        if plan.unstored is None:
            return self.model(**dict(zip(plan.stored, values, strict=True)), **unstored)
        for index, name in plan.unstored:  # ascending: each lands at its place in the model
            values.insert(index, unstored[name])
        return self.model(*values)


@dataclass(frozen=True, slots=True)
class _RecordPlan:
    """How a kind's items become cache records and back, worked out once from its fields."""

    stored: tuple[str, ...]  # the fields in a record, in order
    exact: tuple[tuple[type, Callable[[list[Any]], tuple[Any, ...]]], ...]  # type -> picks the values of that type
    loads: tuple[tuple[int, Callable[[Any, Restore], Any]], ...]
    dumps: tuple[tuple[int, Callable[[Any], Any]], ...]
    get: Callable[[Any], tuple[Any, ...]]  # an item's stored values
    unstored: tuple[tuple[int, str], ...] | None  # where the fields kept elsewhere go; None: by keyword

    @classmethod
    def of(cls, fields: tuple[Field, ...], model: type) -> _RecordPlan:
        stored = [f for f in fields if f.stored]
        exact: dict[type, list[int]] = {}
        for index, f in enumerate(stored):
            if f.value.exact is not None:
                exact.setdefault(f.value.exact, []).append(index)
        names = tuple(f.name for f in stored)
        return cls(
            stored=names,
            exact=tuple((wanted, _picker(at)) for wanted, at in exact.items()),
            loads=tuple((i, f.value.load) for i, f in enumerate(stored) if f.value.load),
            dumps=tuple((i, f.value.dump) for i, f in enumerate(stored) if f.value.dump is not _same),
            get=operator.attrgetter(*names),
            unstored=tuple((i, f.name) for i, f in enumerate(fields) if not f.stored) if _positional(model) else None,
        )


def _picker(indices: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """The values at `indices` of a list, always as a tuple."""
    get = operator.itemgetter(*indices)
    return (lambda values: (get(values),)) if len(indices) == 1 else get


def _positional(model: type) -> bool:
    """The model takes its fields by position (no field without default follows one with a default)."""
    return not any(f.kw_only for f in dataclasses.fields(model))


def model_class(name: str, fields: tuple[Field, ...], module: str, doc: str) -> type:
    """A frozen class with one attribute per field; a field without default must be given.

    Fields may be given by position only when those without a default come
    first (they do for posts: reading ten thousand from the cache is faster so);
    otherwise only by keyword.
    """
    defaults = [f.default is not MISSING for f in fields]
    ordered = defaults == sorted(defaults)  # those without a default first: fields may be given by position
    made = dataclasses.make_dataclass(
        name, [(f.name, f.value.type, dataclasses.field(default=f.default)) for f in fields],
        frozen=True, slots=True, kw_only=not ordered)
    made.__module__, made.__doc__ = module, doc  # module: where pickle finds it (worker processes)
    return made


def view_class(name: str, kind: Kind, names: tuple[str, ...], module: str, doc: str,
               base: type | None = None) -> type:
    """A smaller frozen class of some fields of `kind`'s model, made from an item by `View.of(item)`.

    With `base`, the view extends another view (a Card is a Link and more).
    """
    inherited = tuple(f.name for f in dataclasses.fields(base)) if base else ()
    own = [(n, kind.field(n).value.type) for n in names if n not in inherited]
    get = operator.attrgetter(*inherited, *(n for n, _ in own))

    def of(cls: type, item: Any) -> Any:
        return cls(*get(item))

    made = dataclasses.make_dataclass(name, own, bases=(base,) if base else (), frozen=True, slots=True,
                                      namespace={"of": classmethod(of)})
    made.__module__, made.__doc__ = module, doc
    return made


def table(kinds: tuple[Kind, ...]) -> str:
    """The README's front-matter table: every key of the kinds, whether required (and for which), its form."""
    rows = ["| key | required | value | meaning |", "| --- | --- | --- | --- |"]
    seen: list[str] = []
    for kind in kinds:
        seen += [key for key in kind.keys if key not in seen]
    for key in seen:
        holders = [k for k in kinds if key in k.keys]
        needed = [k.name for k in holders if k.field(key).required]
        required = "yes" if len(needed) == len(kinds) else f"yes ({', '.join(n + 's' for n in needed)})" \
            if needed else "no"
        first = holders[0].field(key)
        rows.append(f"| `{key}` | {required} | {first.value.form} | {first.doc} |")
    return "\n".join(rows) + "\n"


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def from_iso(value: Any, restore: Restore) -> datetime | None:
    if value is None:
        return None
    stamp = datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        raise RecordError("naive date")
    return stamp.astimezone(restore.tz)
