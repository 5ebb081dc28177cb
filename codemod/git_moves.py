"""The renames git has seen: the strongest evidence of where a file went.

In a git work tree, ``git diff --cached -M`` lists the renames staged since ``HEAD`` —
exactly the situation of a pre-commit run right after a ``git mv``, or after an editor
rename whose deletion and new file were both staged. With ``since``, the renames
between that revision and the work tree (staged or not). Paths are relative to the
project root; renames into or out of it are left out. No git, not a work tree, or any
git error: no renames (the other evidence still applies).
"""

from __future__ import annotations

import subprocess
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
