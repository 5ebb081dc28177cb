"""Unified diffs that ``git apply`` and ``patch -p1`` accept.

Lines are split on ``\\n`` only (``str.splitlines`` would also split on form feeds
and U+2028), carriage returns stay part of their line, and the
``\\ No newline at end of file`` marker is written by hand because difflib omits it.
Colour is a pure transform of the finished text.

A deleted file is written as git writes one (``diff --git``, ``deleted file mode``, an
``index`` line with the blob id of the bytes removed, ``+++ /dev/null`` and one hunk
removing every line; an empty file has no hunk): ``git apply`` deletes it, and so does
``patch -p1``, which needs the ``index`` line to tell an empty file's deletion apart.
"""

from __future__ import annotations

import difflib
import hashlib

import click

NO_NEWLINE = "\\ No newline at end of file"


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified(path: str, before: bytes, after: bytes | None, context: int = 3) -> str:
    """The diff of one file; ``after`` None: the file is deleted."""
    if after is None:
        return deletion(path, before)
    if before == after:
        return ""
    return _hunks(f"a/{path}", f"b/{path}", before, after, context)


def _hunks(old: str, new: str, before: bytes, after: bytes, context: int = 3) -> str:
    out = []
    for line in difflib.unified_diff(_lines(before), _lines(after), old, new, n=context, lineterm="\n"):
        if line.startswith(("--- ", "+++ ")):
            line = line.rstrip("\n") + "\n"
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE + "\n")
    return "".join(out)


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
