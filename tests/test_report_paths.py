"""How paths are printed (``report.shown_path``): relative to the current folder when the
file is under it, else absolute. The common case (the root at or under the current
folder, a plain root-relative path) is a string join; it must print what the general
computation prints."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemod.report import diff_path, shown_path


def _general(root: Path, cwd: Path, path: str) -> str:
    root, cwd = root.resolve(), cwd.resolve()
    full = os.path.normpath(root / path)
    rel = os.path.relpath(full, cwd)
    return full if rel == ".." or rel.startswith("../") else Path(rel).as_posix()


PATHS = ["main.ts", "schema/users.ts", "a/b/c/d.ts", "../outside/x.ts", "schema/../main.ts", "./main.ts",
         "schema/./users.ts", "..x/y.ts", "x..y/z.ts", "sub/deeper/file.ts", "sub//deeper/file.ts", "sub/"]


@pytest.mark.parametrize("where", ["root", "parent", "grandparent", "inside", "deeper", "sibling", "elsewhere"])
def test_printed_paths_are_the_general_computation_s(tmp_path, where):
    root = tmp_path / "top" / "proj"
    for folder in ("sub/deeper", "schema"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / "top" / "other").mkdir()
    (tmp_path / "away").mkdir()
    cwd = {"root": root, "parent": root.parent, "grandparent": tmp_path, "inside": root / "sub",
           "deeper": root / "sub" / "deeper", "sibling": tmp_path / "top" / "other", "elsewhere": tmp_path / "away"}[where]
    show, name = shown_path(root, cwd), diff_path(root, cwd)
    for path in PATHS:
        assert show(path) == _general(root, cwd, path), path
        assert show(path) == _general(root, cwd, path)  # memoised: the same again
        assert name(path) == (path if os.path.isabs(_general(root, cwd, path)) else _general(root, cwd, path))
    assert show("") == ""
