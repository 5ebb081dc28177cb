"""Suppression comments, like ruff's ``noqa`` and Biome's ``biome-ignore``.

- ``// schemafix-ignore SF001`` on its own line suppresses those codes on the next line;
  at the end of a line of code, on that line;
- ``// schemafix-ignore-file SF005`` in the comment block at the top of a file (before
  its first line of code) suppresses those codes in the whole file;
- several codes are comma-separated (``SF001, SF004``), a code may be a prefix
  (``SF00``); no code suppresses every rule. Text after the codes (``-- why``) is a
  reason and is ignored.

A suppression that suppresses nothing is reported as SF100 ``unused-suppression``
(like ruff's RUF100) when the rules it names ran. Suppressing is a pure step on a list of
diagnostics (``apply``); the engine calls it once per pass, before choosing the fixes to
apply, so a suppressed diagnostic's fix is not applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping

from .model import Diagnostic, Severity

UNUSED = "SF100"
MARKER = b"schemafix-ignore"
_COMMENT = re.compile(r"//\s*schemafix-ignore(?P<file>-file)?(?![\w-])(?P<rest>[^\n]*)")
_CODE = re.compile(r"[A-Za-z]+\d*")


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int  # the line of the comment, 1-based
    column: int  # of the ``//``, 1-based (characters)
    codes: tuple[str, ...]  # empty: every rule
    target: int | None  # the line it applies to; None: the whole file
    text: str  # the comment's line, for rendering

    def covers(self, d: Diagnostic) -> bool:
        if d.path != self.path or (self.target is not None and d.line != self.target):
            return False
        return not self.codes or any(d.code.startswith(c) for c in self.codes)


def _codes(rest: str) -> tuple[str, ...]:
    """The codes after the marker: comma/space-separated rule codes up to the first
    other word (the reason)."""
    out = []
    for token in re.split(r"[\s,]+", rest.strip()):
        if not token or not _CODE.fullmatch(token) or not token.upper().startswith("SF"):
            break
        out.append(token.upper())
    return tuple(out)


def parse(path: str, data: bytes) -> list[Suppression]:
    """Every suppression comment of a file."""
    if MARKER not in data:
        return []
    out = []
    in_header = True  # still in the leading comment block (where -file comments count)
    in_block = False
    for number, raw in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        own_line = stripped.startswith("//")
        if in_header:
            if in_block:
                in_block = "*/" not in stripped
            elif stripped.startswith("/*"):
                in_block = "*/" not in stripped[2:]
            elif stripped and not own_line and not stripped.startswith("#!"):
                in_header = False
        m = _COMMENT.search(line)
        if m is None:
            continue
        codes = _codes(m.group("rest"))
        column = len(line[:m.start()]) + 1
        if m.group("file"):
            # below the first line of code it applies nowhere (and is reported unused)
            out.append(Suppression(path, number, column, codes, None if in_header and own_line else 0, line))
            continue
        out.append(Suppression(path, number, column, codes, number + 1 if own_line else number, line))
    return out


def apply(diagnostics: Iterable[Diagnostic], sources: Mapping[str, bytes], targets: Iterable[str],
          enabled: Callable[[str], bool]) -> list[Diagnostic]:
    """``diagnostics`` without the suppressed ones, plus one SF100 diagnostic per
    suppression in ``targets`` that suppressed nothing (only when SF100 is ``enabled``,
    and only for codes that are; a suppression naming no code is unused when nothing at
    all was suppressed by it)."""
    diagnostics = list(diagnostics)
    suppressions = {p: parse(p, sources[p]) for p in sorted(targets) if p in sources}
    used: set[Suppression] = set()
    kept = []
    suppressed = []
    for d in diagnostics:
        hits = [s for s in suppressions.get(d.path, ()) if s.covers(d)]
        if hits:
            used.update(hits)
            suppressed.append(d)
        else:
            kept.append(d)
    # A fix sharing edits with a suppressed diagnostic's (SF001 rewrites a file's imports
    # in one fix) would change the suppressed place too: it is not applied, and a note says why.
    suppressed_edits = {e: s for s in suppressed if s.fix is not None for e in s.fix.edits}
    for i, d in enumerate(kept):
        other = next((suppressed_edits[e] for e in (d.fix.edits if d.fix is not None else ())
                      if e in suppressed_edits), None)
        if other is not None:
            kept[i] = replace(d, fix=None, notes=d.notes + (
                f"not fixed: the fix also changes line {other.line}, where {other.code} is suppressed",))
    if not enabled(UNUSED):
        return kept
    for path, found in suppressions.items():
        for s in found:
            if s in used:
                continue
            if s.codes:
                unused = [c for c in s.codes if _ran(c, enabled)]
                if not unused:
                    continue
                what = f"unused suppression of {', '.join(unused)}"
            else:
                what = "unused suppression: nothing is reported here"
            where = ("in this file" if s.target is None else f"on line {s.target}" if s.target
                     else "(schemafix-ignore-file counts only above the first line of code)")
            kept.append(Diagnostic(UNUSED, path, s.line, s.column, f"{what} {where}", None, Severity.ERROR,
                                   s.line, len(s.text) + 1, ("remove the comment, or the codes no rule reports "
                                                             "here",), s.text))
    return kept


def _ran(code: str, enabled: Callable[[str], bool]) -> bool:
    """Did a rule the code names run? (A prefix counts when any rule under it ran.)"""
    from .rules import all_rules

    return any(r.code.startswith(code) and enabled(r.code) for r in all_rules())
