"""Apply fixes to file bytes: the only code that splices edits into a file.

One left-to-right walk per pass (ruff's model): fixes are taken in order of their
first edit; an edit identical to one already taken is dropped; a fix that overlaps an
edit already taken (or inserts at the same point) is deferred to the next pass.
Bytes outside the edited ranges are never touched, so line endings, BOM and the
trailing-newline state are kept byte for byte.

A whole-file deletion conflicts with any edit of that file (a fix that edits a file
another fix deletes waits for the next pass, where the file is gone or the deletion is
made on the edited bytes); the same deletion twice is taken once. A deleted file leaves
the sources: the next pass does not see it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .model import Deletion, Edit, Fix


@dataclass(frozen=True)
class Applied:
    sources: dict[str, bytes]  # every file, edited or not, but not the deleted ones
    applied: tuple[Fix, ...]
    deferred: tuple[Fix, ...]
    deleted: dict[str, bytes] = field(default_factory=dict)  # path -> the bytes it held (sources or not)


def _conflicts(a: Edit, b: Edit) -> bool:
    if a.path != b.path:
        return False
    if max(a.start, b.start) < min(a.end, b.end):
        return True  # overlapping ranges
    # A zero-width insert inside another edit's range, or next to (or at) another edit:
    # the first would be lost, the order of the others a guess.
    if a.start == a.end:
        return b.start <= a.start <= b.end
    if b.start == b.end:
        return a.start <= b.start <= a.end
    return False


def select(fixes: Iterable[Fix]) -> tuple[list[Fix], list[Fix]]:
    """Split ``fixes`` into those that can be applied together now and the deferred.

    Each edit is checked only against the edits already taken in its own file that it
    could touch (``_Taken``): O(log n) per edit, not a scan of every edit taken."""
    taken: dict[str, _Taken] = {}
    taken_set: set[Edit] = set()
    deleted: dict[str, Deletion] = {}
    applied, deferred = [], []
    for fix in sorted(fixes, key=_first_change):
        new = [e for e in fix.edits if e not in taken_set]
        if (any(e.path in taken and taken[e.path].conflicts(e) for e in new)
                or any(e.path in deleted for e in new)  # edits a file a fix taken deletes
                or any(x.path in taken or deleted.get(x.path, x) != x for x in fix.deletions)):
            deferred.append(fix)
            continue
        applied.append(fix)
        for e in new:
            if e not in taken_set:
                taken.setdefault(e.path, _Taken()).add(e)
                taken_set.add(e)
        deleted.update((x.path, x) for x in fix.deletions)
    return applied, deferred


def _first_change(fix: Fix) -> tuple[Edit, str]:
    """Fixes are walked in order of their first edit; a deletion counts as an edit at the
    start of its file."""
    firsts = [*fix.edits[:1], *(Edit(x.path, 0, 0) for x in fix.deletions[:1])]
    return min(firsts, default=Edit("", 0, 0)), fix.title


class _Taken:
    """The edits taken in one file. Taken ranges never overlap one another (that would be
    a conflict), so sorted by start their ends are sorted too; zero-width inserts are kept
    apart, by position (they conflict with an edit starting, ending or lying around them)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.ranges: list[Edit] = []
        self.points: list[int] = []  # sorted

    def conflicts(self, e: Edit) -> bool:
        # a taken insert at or inside e (an insert inside a removed range would be lost)
        i = bisect.bisect_left(self.points, e.start)
        if i < len(self.points) and self.points[i] <= e.end:
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
            bisect.insort(self.points, e.start)
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
    deleted: dict[str, bytes] = {}
    for fix in applied:
        for x in fix.deletions:
            if x.path in sources and sources[x.path] != x.expected:
                raise ValueError(f"a deletion of {x.path} expects other bytes than the file holds")
            result.pop(x.path, None)
            deleted[x.path] = x.expected
    return Applied(result, tuple(applied), tuple(deferred), deleted)


def preview(sources: Mapping[str, bytes], fix: Fix) -> dict[str, bytes | None]:
    """The files ``fix`` alone changes, as they would be after it (for rendering its diff);
    None for a file it deletes."""
    out: dict[str, bytes | None] = {x.path: None for x in fix.deletions}
    for path in {e.path for e in fix.edits}:
        out[path] = splice(sources.get(path, b""), [e for e in fix.edits if e.path == path])
    return dict(sorted(out.items()))
