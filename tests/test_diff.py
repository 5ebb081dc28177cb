"""Unified diffs that `git apply` and unidiff accept, for every byte-level shape of file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from unidiff import PatchSet

from codemod.diff import NO_NEWLINE, colourise, project_diff, unified

LONG = "".join(f"const v{i} = {i};\n" for i in range(20))

CASES = [
    pytest.param("schema/a.ts",
                 b"import { a } from './wrong';\n" + LONG.encode(),
                 b"import { a } from './right';\n" + LONG.encode(), id="normal-edit"),
    pytest.param("schema/a.ts",
                 LONG.encode() + b"import { a } from './wrong';\n" + LONG.encode(),
                 LONG.encode() + b"import { a } from './right';\nimport { b } from './b';\n" + LONG.encode(),
                 id="middle-edit-with-context"),
    pytest.param("schema/crlf.ts",
                 b"import { a } from './wrong';\r\nconst x = 1;\r\n",
                 b"import { a } from './right';\r\nconst x = 1;\r\n", id="crlf"),
    pytest.param("schema/eof.ts",
                 b"const x = 1;\nimport { a } from './wrong';",
                 b"const x = 1;\nimport { a } from './right';", id="no-trailing-newline"),
    pytest.param("schema/eof.ts",
                 b"const x = 1;\nconst y = 2;",
                 b"const x = 1;\nconst y = 2;\nexport * from './r';", id="append-after-no-newline"),
    pytest.param("schema/eof.ts",
                 b"const x = 1;",
                 b"const x = 1;\n", id="add-final-newline"),
    pytest.param("schema/eof.ts",
                 b"const x = 1;\n",
                 b"const x = 1;", id="remove-final-newline"),
    pytest.param("schema/ünï.ts",
                 "// héllo ✓\nimport { é } from './wrong';\n".encode(),
                 "// héllo ✓\nimport { é } from './right';\n".encode(), id="non-ascii"),
    pytest.param("schema/bom.ts",
                 b"\xef\xbb\xbfimport { a } from './wrong';\n",
                 b"\xef\xbb\xbfimport { a } from './right';\n", id="bom"),
]


@pytest.fixture(scope="module")
def git() -> str:
    exe = shutil.which("git")
    if exe is None:  # .ci/run installs git; a machine without it cannot check `git apply`
        pytest.fail("git is required to check that our diffs apply with `git apply`")
    return exe


def _git(git: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([git, "-c", "core.autocrlf=false", "-c", "core.quotepath=false", *args], cwd=cwd,
                          capture_output=True, timeout=60)


@pytest.mark.parametrize("path, before, after", CASES)
def test_git_apply_accepts_diff(tmp_path, git, path, before, after):
    _git(git, tmp_path, "init", "-q")
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(before)
    patch = tmp_path / "fix.patch"
    patch.write_bytes(unified(path, before, after).encode("utf-8", "surrogateescape"))
    check = _git(git, tmp_path, "apply", "--check", "-v", str(patch))
    assert check.returncode == 0, check.stderr.decode()
    done = _git(git, tmp_path, "apply", str(patch))
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == after


def _apply_with_unidiff(patched, before: bytes) -> bytes:
    """Apply one parsed file patch to ``before`` using only what unidiff parsed."""
    old = [line + "\n" for line in before.decode("utf-8").split("\n")]
    old[-1] = old[-1][:-1]
    if old[-1] == "":
        old.pop()
    out: list[str] = []
    pos = 0
    prev_kept = False
    for hunk in patched:
        start = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        out += old[pos:start]
        pos = start
        for line in hunk:
            if line.line_type == "\\":  # `\ No newline at end of file`: the previous line has none
                if out and out[-1].endswith("\n") and prev_kept:
                    out[-1] = out[-1][:-1]
                continue
            prev_kept = not line.is_removed
            if line.is_removed or line.is_context:
                assert old[pos].rstrip("\n") == line.value.rstrip("\n"), "context or removed line mismatch"
                pos += 1
            if not line.is_removed:
                out.append(line.value)
    out += old[pos:]
    return "".join(out).encode("utf-8")


@pytest.mark.parametrize("path, before, after", CASES)
def test_unidiff_parses_diff(path, before, after):
    text = unified(path, before, after)
    (patched,) = PatchSet(text)
    assert patched.source_file == f"a/{path}" and patched.target_file == f"b/{path}"
    assert patched.added >= 1 or patched.removed >= 1
    assert _apply_with_unidiff(patched, before) == after


def test_no_newline_marker_only_where_needed():
    with_nl = unified("a.ts", b"a\nb\n", b"a\nc\n")
    assert NO_NEWLINE not in with_nl
    without = unified("a.ts", b"a\nb", b"a\nc")
    assert without.count(NO_NEWLINE) == 2  # after the removed and the added last line
    assert without.endswith(NO_NEWLINE + "\n")


def test_three_context_lines_and_headers():
    before = "".join(f"{i}\n" for i in range(20)).encode()
    after = before.replace(b"10\n", b"ten\n")
    text = unified("x/y.ts", before, after)
    lines = text.splitlines()
    assert lines[:3] == ["--- a/x/y.ts", "+++ b/x/y.ts", "@@ -8,7 +8,7 @@"]
    assert lines[3:6] == [" 7", " 8", " 9"] and lines[8:] == [" 11", " 12", " 13"]


def test_crlf_kept_in_diff_lines():
    text = unified("a.ts", b"a\r\nb\r\n", b"a\r\nc\r\n")
    assert "-b\r\n" in text and "+c\r\n" in text


def test_lines_split_on_newline_only():
    # A form feed or U+2028 inside a line must not split it (str.splitlines would).
    before = "const s = 'a\u2028b';\x0c\nconst t = 1;\n".encode()
    after = before.replace(b"t = 1", b"t = 2")
    text = unified("a.ts", before, after)
    assert text.count("\n@@") == 1
    assert " const s = 'a\u2028b';\x0c\n" in text


def test_identical_gives_empty_diff():
    assert unified("a.ts", b"x\n", b"x\n") == ""


def test_project_diff_sorted_and_skips_unchanged():
    before = {"b.ts": b"1\n", "a.ts": b"1\n", "c.ts": b"1\n"}
    after = {"b.ts": b"2\n", "a.ts": b"2\n", "c.ts": b"1\n"}
    text = project_diff(before, after)
    assert [line for line in text.splitlines() if line.startswith("---")] == ["--- a/a.ts", "--- a/b.ts"]


def test_colourise_is_a_pure_transform():
    text = unified("a.ts", b"a\nb\n", b"a\nc\n")
    coloured = colourise(text)
    assert "\x1b[31m-b\x1b[0m" in coloured and "\x1b[32m+c\x1b[0m" in coloured
    import re
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == text
