"""Widening the files a run edits beyond the ones the user named.

``with_barrels_above(ws)``: when a hook passes single files, the barrels (index files)
in the folders above them must change because of them, so they are edited too.
Discovery only reports which files were named one by one; this step decides what else
belongs to the run.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Collection

import pathspec

from .discovery import Workspace

INDEX_NAMES = ("index.ts", "index.mts", "index.tsx")


def with_barrels_above(ws: Workspace) -> Workspace:
    """``ws`` with the barrels above each file named one by one added to its targets
    (only readable sources, and only those the ``include`` patterns match, if any)."""
    extra = {b for rel in ws.named for b in barrels_above(rel, ws.sources)}
    if ws.include:
        wanted = pathspec.GitIgnoreSpec.from_lines(ws.include)
        extra = {b for b in extra if wanted.match_file(b)}
    return dataclasses.replace(ws, targets=ws.targets | extra)


def barrels_above(rel: str, files: Collection[str]) -> list[str]:
    """The index files among ``files`` in the folders above ``rel`` (its own folder
    included, ``rel`` itself excluded), nearest first."""
    out = []
    folder = os.path.dirname(rel)
    while True:
        for name in INDEX_NAMES:
            candidate = f"{folder}/{name}" if folder else name
            if candidate in files and candidate != rel:
                out.append(candidate)
        if not folder:
            return out
        folder = os.path.dirname(folder)
