"""End to end on the bundled example: one `schemafix --apply` with every rewriter, then
the compiler and drizzle itself judge the result."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import REPO, copy_project, error_codes, relations_dump, tsc

pytestmark = pytest.mark.slow  # tsc and drizzle-orm under node (support.node_modules)

EXAMPLE = REPO / "examples" / "broken-schema"
HEALTHY = REPO / "tests" / "fixtures" / "healthy-example"


def schemafix(*args, cwd):
    return subprocess.run([sys.executable, "-m", "codemod.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_one_apply_fixes_the_example_completely(tmp_path):
    project = copy_project(EXAMPLE, tmp_path / "example")
    healthy = copy_project(HEALTHY, tmp_path / "healthy")
    before = error_codes(tsc(project))
    assert {"TS2307", "TS2305", "TS2724", "TS2451", "TS1117"} <= set(before)
    before_dump = relations_dump(project / "schema" / "index.ts")["relations"]
    assert before_dump and not any(before_dump.values())  # pattern 3: drizzle sees tables, no relations

    applied = schemafix("--apply", ".", cwd=project)
    assert applied.returncode == 0, applied.stderr
    assert tsc(project) == []  # no TS2307/TS2305/TS2724/TS2451/TS1117/TS2308, nor anything else

    got = relations_dump(project / "schema" / "index.ts")
    want = relations_dump(healthy / "schema" / "index.ts")
    assert got["relations"] == want["relations"]  # every relation of every table, none lost
    assert sum(map(len, got["relations"].values())) == 68
    assert got["broken"] == {}  # no relation drizzle would throw on (SF007, SF008)
    assert set(got["exports"]) == set(want["exports"])

    again = schemafix(".", cwd=project)
    assert (again.returncode, again.stdout) == (0, "")
    assert "Nothing to fix." in again.stderr
