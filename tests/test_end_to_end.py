"""End to end on the bundled example, checked out in a git work tree as a user has it: one
`schemafix --apply` with every rewriter, then the compiler and drizzle itself judge the
result; then `--apply --unsafe` deletes the stale build output git can bring back."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import REPO, commit_all, copy_project, error_codes, left_codes, relations_dump, tsc

pytestmark = pytest.mark.slow  # tsc and drizzle-orm under node (support.node_modules)

EXAMPLE = REPO / "examples" / "broken-schema"
HEALTHY = REPO / "tests" / "fixtures" / "healthy-example"


def schemafix(*args, cwd):
    return subprocess.run([sys.executable, "-m", "codemod.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_one_apply_fixes_the_example_completely(tmp_path):
    project = commit_all(copy_project(EXAMPLE, tmp_path / "example"))
    healthy = copy_project(HEALTHY, tmp_path / "healthy")
    before = error_codes(tsc(project))
    assert {"TS2307", "TS2305", "TS2724", "TS2451", "TS1117"} <= set(before)
    before_dump = relations_dump(project / "schema" / "index.ts")["relations"]
    assert before_dump and not any(before_dump.values())  # pattern 3: drizzle sees tables, no relations

    applied = schemafix("--apply", ".", cwd=project)
    # left: the stale schema/index.js + index.d.ts (SF012, an unsafe fix: exit 1) and the
    # misnamed billing/payout_statuses.ts (SF010, a note)
    assert applied.returncode == 1 and left_codes(applied.stderr) == {"SF010", "SF012"}, applied.stderr
    assert "Fixed 25 problems in 7 files; 1 more with --unsafe; 1 note." in applied.stderr
    assert tsc(project) == []  # no TS2307/TS2305/TS2724/TS2451/TS1117/TS2308, nor anything else

    got = relations_dump(project / "schema" / "index.ts")
    want = relations_dump(healthy / "schema" / "index.ts")
    assert got["relations"] == want["relations"]  # every relation of every table, none lost
    assert sum(map(len, got["relations"].values())) == 68
    assert got["broken"] == {}  # no relation drizzle would throw on (SF007, SF008)
    assert set(got["exports"]) == set(want["exports"])

    again = schemafix(".", cwd=project)
    assert (again.returncode, again.stdout) == (1, "")
    assert "Nothing to fix; 1 more with --unsafe; 1 note." in again.stderr

    # --unsafe: the stale build output goes (tracked: git can restore it), nothing else changes
    edited = git_status(project)
    unsafe = schemafix("--apply", "--unsafe", ".", cwd=project)
    assert unsafe.returncode == 0, unsafe.stderr
    assert "Fixed 1 problem in 2 files; 1 note." in unsafe.stderr
    assert git_status(project) == sorted(edited + [" D schema/index.d.ts", " D schema/index.js"])
    assert tsc(project) == []
    last = schemafix("--unsafe", ".", cwd=project)
    assert (last.returncode, last.stdout) == (0, "") and left_codes(last.stderr) == {"SF010"}, last.stderr
    assert "Nothing to fix; 1 note." in last.stderr


def git_status(project) -> list[str]:
    out = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True)
    return sorted(out.stdout.splitlines())
