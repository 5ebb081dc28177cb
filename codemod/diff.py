"""Unified diffs that ``git apply`` and ``patch -p1`` accept.

Lines are split on ``\\n`` only (``str.splitlines`` would also split on form feeds
and U+2028), carriage returns stay part of their line, and the
``\\ No newline at end of file`` marker is written by hand because difflib omits it.
Colour is a pure transform of the finished text.

A fix's own diff (``--format json``) is made from its edits: the lines outside them are
the same on both sides, so difflib compares only the lines each edit changes, instead of
the whole file once per fix, and the diff shows the very lines the fix removes (of two
identical lines, difflib on whole files may pick the other one). When the edits do not
make the bytes after, the whole files are compared.

A deleted file is written as git writes one (``diff --git``, ``deleted file mode``, an
``index`` line with the blob id of the bytes removed, ``+++ /dev/null`` and one hunk
removing every line; an empty file has no hunk): ``git apply`` deletes it, and so does
``patch -p1``, which needs the ``index`` line to tell an empty file's deletion apart.
"""

from __future__ import annotations

import difflib
import hashlib
from typing import Sequence

import click

NO_NEWLINE = "\\ No newline at end of file"


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified(path: str, before: bytes, after: bytes | None, context: int = 3,
            edits: Sequence[tuple[int, int, bytes]] | None = None) -> str:
    """The diff of one file; ``after`` None: the file is deleted. ``edits``: the
    ``(start, end, content)`` replacements of ``before``'s bytes that make ``after``,
    when known; lines are then matched only where they touch."""
    if after is None:
        return deletion(path, before)
    if before == after:
        return ""
    return _hunks(f"a/{path}", f"b/{path}", before, after, context, edits)


def _hunks(old: str, new: str, before: bytes, after: bytes, context: int = 3,
           edits: Sequence[tuple[int, int, bytes]] | None = None) -> str:
    a, b = _lines(before), _lines(after)
    codes = _windowed_opcodes(a, b, before, edits) if edits else None
    matcher = _Opcodes(codes) if codes is not None else difflib.SequenceMatcher(None, a, b)
    out = []
    for group in matcher.get_grouped_opcodes(context):
        if not out:
            out += [f"--- {old}\n", f"+++ {new}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += (" " + line for line in a[i1:i2])
                continue
            out += ("-" + line for line in a[i1:i2])
            out += ("+" + line for line in b[j1:j2])
    return "".join(line if line.endswith("\n") else line + "\n" + NO_NEWLINE + "\n" for line in out)


def _range(start: int, stop: int) -> str:
    """A hunk's line range as ``unified_diff`` writes it."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


class _Opcodes:
    """Opcodes found elsewhere (``_windowed_opcodes``), cut into hunks by difflib's own
    grouping (a SequenceMatcher would first index every line of the file)."""

    get_grouped_opcodes = difflib.SequenceMatcher.get_grouped_opcodes

    def __init__(self, codes: list[tuple[str, int, int, int, int]]) -> None:
        self.codes = codes

    def get_opcodes(self) -> list[tuple[str, int, int, int, int]]:
        return self.codes


def _windowed_opcodes(a: list[str], b: list[str], before: bytes,
                      edits: Sequence[tuple[int, int, bytes]]) -> list[tuple[str, int, int, int, int]] | None:
    """The opcodes turning lines ``a`` into ``b``, matching lines only inside the
    windows of whole lines whose text ``edits`` (of ``before``, whose lines ``a`` are)
    change: a line-aligned edit's window is exactly the lines it removes. None
    when the lines around the windows are not the same on both sides (the edits are not
    what made ``b``): the caller matches the whole files then."""
    windows: list[list] = []  # [first line, end line, first byte, end byte, edits]
    at = line = 0  # a byte of ``before``, and the line it is on (edits are taken in order)
    for start, end, content in sorted(edits, key=lambda e: (e[0], e[1])):
        lo = line = line + before.count(b"\n", at, start)
        hi = line = line + before.count(b"\n", start, end)
        at = end
        line_start = before.rfind(b"\n", 0, start) + 1
        line_end = before.rfind(b"\n", 0, end) + 1  # where the line holding ``end`` starts
        ends_a_line = content.endswith(b"\n") or not content and start == line_start
        if end != line_end or not ends_a_line:  # the line holding ``end`` changes too
            hi, line_end = hi + 1, before.find(b"\n", end) + 1 or len(before)
        hi = min(hi, len(a))
        if windows and lo <= windows[-1][1]:
            windows[-1][1], windows[-1][3] = max(windows[-1][1], hi), max(windows[-1][3], line_end)
            windows[-1][4].append((start, end, content))
        else:
            windows.append([lo, max(hi, lo), line_start, line_end, [(start, end, content)]])
    codes: list[tuple[str, int, int, int, int]] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if tag == "equal" and codes and codes[-1][0] == "equal":
            codes[-1] = ("equal", codes[-1][1], i2, codes[-1][3], j2)
        else:
            codes.append((tag, i1, i2, j1, j2))

    i = j = 0  # the lines of a and of b reached
    for lo, hi, first_byte, end_byte, window_edits in windows:
        if a[i:lo] != b[j:j + lo - i]:
            return None
        add("equal", i, lo, j, j + lo - i)
        j += lo - i
        window = bytearray()
        pos = first_byte
        for start, end, content in window_edits:
            window += before[pos:start]
            window += content
            pos = max(pos, end)
        window += before[pos:end_byte]
        new = _lines(bytes(window))
        if b[j:j + len(new)] != new:
            return None
        if lo == hi or not new or hi - lo == len(new) == 1:  # nothing to match
            tag = "insert" if lo == hi else "delete" if not new else "equal" if a[lo] == new[0] else "replace"
            add(tag, lo, hi, j, j + len(new))
        else:
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a[lo:hi], new).get_opcodes():
                add(tag, lo + i1, lo + i2, j + j1, j + j2)
        i, j = hi, j + len(new)
    if len(b) - j != len(a) - i or a[i:] != b[j:]:
        return None
    add("equal", i, len(a), j, len(b))
    return codes


def deletion(path: str, before: bytes) -> str:
    """A git-style deletion of ``path``, which holds ``before``."""
    blob = hashlib.sha1(b"blob %d\0" % len(before) + before).hexdigest()  # git's object id of the bytes
    head = f"diff --git a/{path} b/{path}\ndeleted file mode 100644\nindex {blob[:7]}..0000000\n"
    return head + (_hunks(f"a/{path}", "/dev/null", before, b"") if before else "")


def project_diff(before: dict[str, bytes], after: dict[str, bytes], name=None) -> str:
    """Every changed file's diff, a file missing from ``after`` as deleted; ``name(path)``
    is the path its headers show (default: the path itself). Deletions come last: an
    empty file's has no hunk, and ``patch`` would read a plain file diff after it as
    part of it (a git diff header after it starts a new file, for ``patch`` and git)."""
    name = name or (lambda p: p)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    order = [p for p in changed if p in after] + [p for p in changed if p not in after]
    return "".join(unified(name(p), before.get(p, b""), after.get(p)) for p in order)


_COLOURS = {"+": "green", "-": "red", "@": "cyan"}


def colourise(diff: str) -> str:
    """ANSI colours for a terminal: file headers (and git's deletion headers) bold, removed lines red, added green,
    hunk headers cyan (a pure transform of the finished diff)."""
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---", "diff --git ", "deleted file mode ", "index ")):
            out.append(click.style(line.rstrip("\n"), bold=True) + "\n")
        elif line[:1] in _COLOURS:
            out.append(click.style(line.rstrip("\n"), fg=_COLOURS[line[:1]]) + "\n")
        else:
            out.append(line)
    return "".join(out)
