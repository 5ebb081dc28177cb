"""Apply fixes to file bytes: the only code that splices edits into a file.

One left-to-right walk per pass (ruff's model): fixes are taken in order of their
first edit; an edit identical to one already taken is dropped; a fix that overlaps an
edit already taken (or inserts at the same point) is deferred to the next pass.
Bytes outside the edited ranges are never touched, so line endings, BOM and the
trailing-newline state are kept byte for byte.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Mapping

from .model import Edit, Fix


@dataclass(frozen=True)
class Applied:
    sources: dict[str, bytes]  # every file, edited or not
    applied: tuple[Fix, ...]
    deferred: tuple[Fix, ...]


def _conflicts(a: Edit, b: Edit) -> bool:
    if a.path != b.path:
        return False
    if max(a.start, b.start) < min(a.end, b.end):
        return True  # overlapping ranges
    # Zero-width inserts next to (or at) another edit: their order would be a guess.
    if a.start == a.end or b.start == b.end:
        return a.start in (b.start, b.end) or b.start in (a.start, a.end)
    return False


def select(fixes: Iterable[Fix]) -> tuple[list[Fix], list[Fix]]:
    """Split ``fixes`` into those that can be applied together now and the deferred.

    Each edit is checked only against the edits already taken in its own file that it
    could touch (``_Taken``): O(log n) per edit, not a scan of every edit taken."""
    taken: dict[str, _Taken] = {}
    taken_set: set[Edit] = set()
    applied, deferred = [], []
    for fix in sorted(fixes, key=lambda f: (f.edits[0] if f.edits else Edit("", 0, 0), f.title)):
        new = [e for e in fix.edits if e not in taken_set]
        if any(e.path in taken and taken[e.path].conflicts(e) for e in new):
            deferred.append(fix)
            continue
        applied.append(fix)
        for e in new:
            if e not in taken_set:
                taken.setdefault(e.path, _Taken()).add(e)
                taken_set.add(e)
    return applied, deferred


class _Taken:
    """The edits taken in one file. Taken ranges never overlap one another (that would be
    a conflict), so sorted by start their ends are sorted too; zero-width inserts are kept
    apart, by position (they conflict only with an edit starting or ending there)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.ranges: list[Edit] = []
        self.points: set[int] = set()

    def conflicts(self, e: Edit) -> bool:
        if e.start in self.points or e.end in self.points:
            return True
        # only ranges ending at or after e.start and starting at or before e.end can touch e
        i = bisect.bisect_left(self.ends, e.start)
        while i < len(self.ranges) and self.starts[i] <= e.end:
            if _conflicts(e, self.ranges[i]):
                return True
            i += 1
        return False

    def add(self, e: Edit) -> None:
        if e.start == e.end:
            self.points.add(e.start)
            return
        i = bisect.bisect_right(self.starts, e.start)
        self.starts.insert(i, e.start)
        self.ends.insert(i, e.end)
        self.ranges.insert(i, e)


def splice(data: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply non-overlapping edits of one file, sorted or not."""
    out = bytearray()
    pos = 0
    for edit in sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end)):  # stable: keeps insert order
        if edit.start < pos or edit.end > len(data):
            raise ValueError(f"edit {edit.start}..{edit.end} out of order or out of range in {edit.path}")
        out += data[pos:edit.start]
        out += edit.content
        pos = edit.end
    out += data[pos:]
    return bytes(out)


def apply_fixes(sources: Mapping[str, bytes], fixes: Iterable[Fix]) -> Applied:
    applied, deferred = select(fixes)
    by_path: dict[str, list[Edit]] = {}
    for fix in applied:
        for edit in fix.edits:
            by_path.setdefault(edit.path, []).append(edit)
    result = dict(sources)
    for path, edits in by_path.items():
        result[path] = splice(sources[path], edits)
    return Applied(result, tuple(applied), tuple(deferred))


def preview(sources: Mapping[str, bytes], fix: Fix) -> dict[str, bytes]:
    """The files ``fix`` alone edits, as they would be after it (for rendering its diff)."""
    return {path: splice(sources.get(path, b""), [e for e in fix.edits if e.path == path]) for path in fix.paths}
