"""Problems found in a site: data, phrased for people only when reported."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Literal, TypeVar

T = TypeVar("T")
Severity = Literal["error", "warning", "note"]  # a note only informs (Result.notices), never fails a build


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # posix path relative to the site folder ("content/a.md")
    line: int  # 1-based; 0 = the whole file
    code: str  # message key in i18n.MESSAGES
    args: tuple[tuple[str, str], ...] = ()
    severity: Severity = "error"

    @property
    def params(self) -> dict[str, str]:
        return dict(self.args)


def problem(path: str, line: int, code: str, severity: Severity = "error", **args: object) -> Problem:
    """Shorthand: keyword arguments become the message's parameters."""
    pairs = tuple((k, str(v)) for k, v in args.items())
    return Problem(path, line, code, pairs, severity)


def os_problem(path: str, code: str, err: OSError, severity: Severity = "error", **args: object) -> Problem:
    """A problem caused by a system error: its symbolic errno goes along, so the message can say it in
    the site's language (i18n.os_reason); the system's own words stay as the fallback."""
    found = {"reason": err.strerror or err, "errno": errno.errorcode.get(err.errno or 0, ""),
             "file": err.filename or "", **args}
    return problem(path, 0, code, severity, **found)


class Problems(list[Problem]):
    """Every problem of a run, collected instead of raised."""

    def take(self, pair: tuple[T, list[Problem]]) -> T:
        value, found = pair
        self.extend(found)
        return value

    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    def failed(self, strict: bool = False) -> bool:
        return any(p.severity == "error" or strict for p in self)

    def sorted(self) -> list[Problem]:
        return sorted(set(self), key=lambda p: (p.path, p.line, p.code, p.args))
