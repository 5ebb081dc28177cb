"""Unified diffs that ``git apply`` and ``patch -p1`` accept.

Lines are split on ``\\n`` only (``str.splitlines`` would also split on form feeds
and U+2028), carriage returns stay part of their line, and the
``\\ No newline at end of file`` marker is written by hand because difflib omits it.
Colour is a pure transform of the finished text.
"""

from __future__ import annotations

import difflib

import click

NO_NEWLINE = "\\ No newline at end of file"


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified(path: str, before: bytes, after: bytes, context: int = 3) -> str:
    if before == after:
        return ""
    out = []
    for line in difflib.unified_diff(_lines(before), _lines(after), f"a/{path}", f"b/{path}", n=context,
                                     lineterm="\n"):
        if line.startswith(("--- ", "+++ ")):
            line = line.rstrip("\n") + "\n"
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE + "\n")
    return "".join(out)


def project_diff(before: dict[str, bytes], after: dict[str, bytes], name=None) -> str:
    """Every changed file's diff; ``name(path)`` is the path its headers show (default:
    the path itself)."""
    name = name or (lambda p: p)
    return "".join(unified(name(p), before.get(p, b""), after[p]) for p in sorted(after) if before.get(p) != after[p])


_COLOURS = {"+": "green", "-": "red", "@": "cyan"}


def colourise(diff: str) -> str:
    """ANSI colours for a terminal: file headers bold, removed lines red, added green,
    hunk headers cyan (a pure transform of the finished diff)."""
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(click.style(line.rstrip("\n"), bold=True) + "\n")
        elif line[:1] in _COLOURS:
            out.append(click.style(line.rstrip("\n"), fg=_COLOURS[line[:1]]) + "\n")
        else:
            out.append(line)
    return "".join(out)
