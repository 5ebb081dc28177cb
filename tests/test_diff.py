"""Unified diffs that `git apply` and unidiff accept, for every byte-level shape of file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from unidiff import PatchSet

from codemod.diff import NO_NEWLINE, _lines, _windowed_opcodes, colourise, project_diff, unified

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


def _splice(before: bytes, edits) -> bytes:
    out, pos = b"", 0
    for start, end, content in sorted(edits):
        out += before[pos:start] + content
        pos = end
    return out + before[pos:]


EDIT_CASES = [
    pytest.param(b"a\nx\nx\nb\n", [(2, 4, b"")], id="first-of-two-same-lines-deleted"),
    pytest.param(b"a\nb\n", [(2, 2, b"new\n")], id="lines-inserted-at-a-line-start"),
    pytest.param(LONG.encode(), [(6, 8, b"w5"), (300, 302, b"z")], id="edits-far-apart"),
    pytest.param(LONG.encode(), [(0, 5, b"let"), (6, 8, b"u0")], id="two-edits-in-one-line"),
    pytest.param(b"import {\n  a,\n  b,\n} from './x';\nconst y = 1;\n",
                 [(0, 32, b"import { a, b } from './y';")], id="statement-joined-onto-one-line"),
    pytest.param(b"const a = 1;\nconst b = 2;\n", [(12, 13, b"")], id="newline-removed-joins-lines"),
    pytest.param(b"const a = 1;\nconst b = 2;", [(25, 25, b"\nexport * from './r';")], id="append-without-newline"),
    pytest.param(b"const a = 1;\n", [(12, 13, b"")], id="final-newline-removed"),
    pytest.param(b"const a = 1;", [(12, 12, b"\n")], id="final-newline-added"),
    pytest.param(b"x = 1;\r\ny = 2;\r\n", [(8, 9, b"z")], id="crlf"),
    pytest.param("// é\nconst é = 1;\n".encode(), [(17, 18, b"2")], id="non-ascii"),
    pytest.param(b"a\nb\nc\n", [(2, 3, b"b"), (4, 5, b"C")], id="an-edit-to-the-same-bytes"),
    pytest.param(b"a\nb\nc\nd\n", [(0, 2, b""), (2, 4, b"B\n"), (4, 4, b"c0\n")], id="adjacent-edits"),
]


@pytest.mark.parametrize("before, edits", EDIT_CASES)
def test_a_diff_made_from_edits_applies(tmp_path, git, before, edits):
    after = _splice(before, edits)
    text = unified("schema/a.ts", before, after, edits=edits)
    (patched,) = PatchSet(text)
    assert _apply_with_unidiff(patched, before) == after
    _git(git, tmp_path, "init", "-q")
    target = tmp_path / "schema" / "a.ts"
    target.parent.mkdir()
    target.write_bytes(before)
    (tmp_path / "fix.patch").write_bytes(text.encode("utf-8", "surrogateescape"))
    done = _git(git, tmp_path, "apply", "fix.patch")
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == after


def test_a_diff_made_from_edits_shows_the_lines_they_remove():
    """Of two identical lines, the edit removes the first: the diff says so (difflib,
    matching whole files, removed the second)."""
    before = b"a\n  user: one(users),\n  user: one(users),\nb\n"
    text = unified("a.ts", before, b"a\n  user: one(users),\nb\n", edits=[(2, 22, b"")])
    assert text.splitlines()[2:] == ["@@ -1,4 +1,3 @@", " a", "-  user: one(users),", "   user: one(users),", " b"]


def test_edits_that_do_not_make_the_file_fall_back_to_whole_files():
    before, after = LONG.encode(), LONG.encode().replace(b"v3 ", b"w3 ")
    assert unified("a.ts", before, after, edits=[(0, 5, b"let")]) == unified("a.ts", before, after)


def test_diffs_made_from_random_edits_apply():
    import random

    rng = random.Random(14)
    pieces = [b"a\n", b"b\n", b"}),\n", b"\n", b"x", b"\r\n", "é\n".encode(), b"  user: one(u),\n"]
    for _ in range(400):
        before = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        cuts = sorted(rng.sample(range(len(before) + 1), min(len(before) + 1, 2 * rng.randrange(1, 4))))
        edits = [(cuts[k], cuts[k + 1], b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 3))))
                 for k in range(0, len(cuts) - 1, 2)]
        edits = [e for e in edits if b"\xc3" not in before[e[0] - 1:e[0] + 1] + before[e[1] - 1:e[1] + 1]]
        after = _splice(before, edits)
        text = unified("a.ts", before, after, edits=edits)
        assert _windowed_opcodes(_lines(before), _lines(after), before, edits) is not None, (before, edits)
        if before == after:
            assert text == ""
            continue
        (patched,) = PatchSet(text)
        assert _apply_with_unidiff(patched, before) == after, (before, edits)
