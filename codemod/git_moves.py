"""The renames git has seen: the strongest evidence of where a file went.

In a git work tree, ``git diff --cached -M`` lists the renames staged since ``HEAD`` —
exactly the situation of a pre-commit run right after a ``git mv``, or after an editor
rename whose deletion and new file were both staged. With ``since``, the renames
between that revision and the work tree (staged or not). Paths are relative to the
project root; renames into or out of it are left out. No git, not a work tree, or any
git error: no renames (the other evidence still applies).
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .parsing import SOURCE_SUFFIXES


def renames(root: Path, since: str | None = None) -> dict[str, str]:
    """{old path: new path} of the TypeScript sources git saw renamed under ``root``."""
    args = ["git", "diff", "-M", "--name-status", "--relative", "-z"]
    args += [since] if since else ["--cached", "HEAD"]
    try:
        proc = subprocess.run(args, cwd=root, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    return parse_name_status(proc.stdout)


def parse_name_status(output: bytes) -> dict[str, str]:
    """Renames in ``git diff --name-status -z`` output: ``R<score>\\0old\\0new\\0``."""
    fields = output.decode("utf-8", "replace").split("\0")
    out: dict[str, str] = {}
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            if status.startswith("R") and old.endswith(SOURCE_SUFFIXES) and new.endswith(SOURCE_SUFFIXES) \
                    and not old.startswith("../") and not new.startswith("../"):
                out[old] = new
            i += 3
        else:
            i += 2
    return out


_SOURCE_ENDINGS = (".ts", ".tsx", ".mts", ".cts", "/index.ts", "/index.tsx", "/index.mts")
_JS_TO_TS = {".js": ".ts", ".jsx": ".tsx", ".mjs": ".mts", ".cjs": ".cts"}


def follow(moves: Mapping[str, str], importer: str, specifier: str) -> str | None:
    """Where git saw the file a relative ``specifier`` of ``importer`` named go: the new
    path, or None (not relative, or no rename of any file it could have named)."""
    if not specifier.startswith(("./", "../")) or not moves:
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier.rstrip("/")))
    stem, ext = posixpath.splitext(base)
    candidates = [stem + _JS_TO_TS[ext]] if ext in _JS_TO_TS else []
    candidates += [base] if base.endswith(SOURCE_SUFFIXES) else []
    candidates += [base + e for e in _SOURCE_ENDINGS]
    found = {moves[c] for c in candidates if c in moves}
    return found.pop() if len(found) == 1 else None
