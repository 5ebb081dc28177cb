"""The compiler judges SF001: after `schemafix --apply` on the example, tsc reports no
module-resolution or missing-export error, and a second run has nothing to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, copy_project, error_codes, tsc

pytestmark = pytest.mark.slow  # tsc under node (support.node_modules)

IMPORT_ERRORS = {"TS2307", "TS2305", "TS2724", "TS2614", "TS2459"}


def schemafix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codemod.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_example_imports_compile_after_apply(tmp_path):
    project = copy_project(REPO / "examples" / "broken-schema", tmp_path / "example")
    before = error_codes(tsc(project))
    assert IMPORT_ERRORS & set(before), f"the example should start broken: {before}"

    applied = schemafix(".", "--apply", "--select", "SF001", cwd=project)
    assert applied.returncode == 0, applied.stderr
    after = error_codes(tsc(project))
    assert not IMPORT_ERRORS & set(after), after

    again = schemafix(".", "--select", "SF001", cwd=project)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""
