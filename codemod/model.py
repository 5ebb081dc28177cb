"""Values that flow through schemafix: edits, deletions, fixes, diagnostics.

Rewriters only *emit* these; nothing here touches the disk. Offsets are UTF-8
byte offsets into the file's bytes as read (BOM included), so edit arithmetic
never depends on how the text decodes. A fix changes files in two ways only: byte-range
edits of the project's sources, and deletions of whole files (SF012's build output,
which is usually not a source at all).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Applicability(enum.IntEnum):
    """How safe a fix is; ordered so that ``fix.applicability >= bar`` works."""

    DISPLAY_ONLY = 0  # shown as a suggestion, never applied
    UNSAFE = 1  # may change meaning; applied only with --unsafe
    SAFE = 2  # keeps the program's meaning; applied by default

    def __str__(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``[start, end)`` of file ``path`` with ``content``."""

    path: str
    start: int
    end: int
    content: bytes = b""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit range {self.start}..{self.end} in {self.path}")

    @classmethod
    def insert(cls, path: str, at: int, content: bytes) -> Edit:
        return cls(path, at, at, content)

    @classmethod
    def delete(cls, path: str, start: int, end: int) -> Edit:
        return cls(path, start, end, b"")


@dataclass(frozen=True, order=True)
class Deletion:
    """Delete the whole file ``path``, which holds ``expected``: the bytes the fix was
    made on. The diff shows them removed; ``--apply`` deletes the file only while it
    still holds them (like an edit, a deletion is relative to the bytes analysed)."""

    path: str
    expected: bytes


@dataclass(frozen=True)
class Fix:
    """A set of non-overlapping edits, and whole-file deletions, applied together."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    deletions: tuple[Deletion, ...] = ()

    def __post_init__(self) -> None:
        # Sort by position only (stable): inserts at one offset keep the order given.
        edits = tuple(sorted(self.edits, key=lambda e: (e.path, e.start, e.end)))
        object.__setattr__(self, "edits", edits)
        for a, b in zip(edits, edits[1:]):
            if a.path == b.path and b.start < a.end:
                raise ValueError(f"fix {self.title!r} has overlapping edits in {a.path}")
        deletions = tuple(sorted(set(self.deletions)))
        object.__setattr__(self, "deletions", deletions)
        if len({d.path for d in deletions}) != len(deletions):
            raise ValueError(f"fix {self.title!r} deletes a file expecting two different contents")
        both = {e.path for e in edits} & {d.path for d in deletions}
        if both:
            raise ValueError(f"fix {self.title!r} both edits and deletes {min(both)}")

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file the fix changes: edited or deleted."""
        return tuple(sorted({e.path for e in self.edits} | {d.path for d in self.deletions}))

    @property
    def deleted_paths(self) -> tuple[str, ...]:
        return tuple(d.path for d in self.deletions)

    @property
    def empty(self) -> bool:
        """Changes nothing (no edit, no deletion)."""
        return not self.edits and not self.deletions


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a code, a place, a message, and maybe a fix."""

    code: str
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    message: str
    fix: Fix | None = None
    severity: Severity = Severity.ERROR
    end_line: int | None = None
    end_column: int | None = None
    notes: tuple[str, ...] = field(default=())
    source: str = ""  # the text of the diagnostic's line, for rendering a caret under it

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(frozen=True)
class Problem:
    """Something about the input itself (unreadable file, syntax error, ...).

    One with severity INFO is a note (a statement that does not parse): shown, but it
    never fails a run by itself."""

    path: str
    message: str
    line: int | None = None  # 1-based, when the problem has a place in the file
    column: int | None = None
    severity: Severity = Severity.ERROR
