"""Whole-file deletions, end to end: the value (``Deletion`` in a ``Fix``), selection
against edits, the engine's passes, the git-style diff (``git apply`` and ``patch -p1``),
the checked delete of ``--apply`` and the machine formats. SF012 is the rule that uses
them; its own cases are in test_hygiene.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from unidiff import PatchSet

from codemod import discovery, engine, writeback, writes
from codemod.apply import apply_fixes, select
from codemod.diff import project_diff, unified
from codemod.model import Applicability, Deletion, Edit, Fix
from codemod.rules import Rule, Settings
from support import assert_only_edits_changed

ROOT = Path("/project")


def deleting_rule(path: str, data: bytes | None = None, applicability=Applicability.SAFE, code="SF998") -> Rule:
    """Deletes ``path``: a source while it is one, else a file beside the sources holding
    ``data`` until a fix deleted it (``ctx.deleted``)."""

    def check(ctx):
        anchor = ctx.files()[0]
        source = ctx.project.files.get(path)
        if source is not None:
            gone = Deletion(path, source.data)
        elif data is not None and path not in ctx.deleted:
            gone = Deletion(path, data)
        else:
            return
        yield ctx.diagnostic(code, anchor, 0, f"{path} should go",
                             fix=Fix(f"Delete {path}", (), applicability, deletions=(gone,)))

    return Rule(code, "test-delete", "a rule defined by the test", applicability, check)


def editing_rule(path: str) -> Rule:
    """Appends a comment to ``path`` once."""

    def check(ctx):
        f = ctx.project.files.get(path)
        if f is not None and b"// edited" not in f.data:
            edit = Edit.insert(path, len(f.data), b"// edited\n")
            yield ctx.diagnostic("SF997", f, 0, "edit", fix=Fix("edit", (edit,)))

    return Rule("SF997", "test-edit", "a rule defined by the test", Applicability.SAFE, check)


def run(sources: dict[str, bytes], rules, **settings) -> engine.Outcome:
    return engine.run(ROOT, sources, rules=rules, settings=Settings(**settings))


# --- the value and selection -----------------------------------------------------------


def test_a_fix_cannot_both_edit_and_delete_one_file():
    with pytest.raises(ValueError, match="both edits and deletes a.ts"):
        Fix("x", (Edit("a.ts", 0, 1),), deletions=(Deletion("a.ts", b"a"),))
    with pytest.raises(ValueError, match="two different contents"):
        Fix("x", (), deletions=(Deletion("a.js", b"1"), Deletion("a.js", b"2")))
    f = Fix("x", (Edit("b.ts", 0, 0, b"x"),), deletions=(Deletion("a.js", b"1"),))
    assert f.paths == ("a.js", "b.ts") and f.deleted_paths == ("a.js",) and not f.empty
    assert Fix("nothing", ()).empty


def test_a_fix_editing_a_file_another_fix_deletes_is_not_taken_with_it():
    edit = Fix("edit", (Edit("a.ts", 5, 6, b"2"),))
    delete = Fix("delete", (), deletions=(Deletion("a.ts", b"const 1;\n"),))
    applied, deferred = select([edit, delete])
    assert applied == [delete] and deferred == [edit]  # a deletion counts from the file's start
    applied, deferred = select([Fix("edit", (Edit("a.ts", 0, 0, b"x"),)), delete])
    assert len(applied) == 1 and len(deferred) == 1
    # another file's edit and the deletion go together
    assert select([Fix("other", (Edit("b.ts", 0, 1),)), delete]) == ([delete, Fix("other", (Edit("b.ts", 0, 1),))], [])


def test_the_same_deletion_twice_is_taken_once_and_a_differing_one_waits():
    a = Fix("a", (), deletions=(Deletion("x.js", b"1"),))
    b = Fix("b", (), deletions=(Deletion("x.js", b"1"),))
    c = Fix("c", (), deletions=(Deletion("x.js", b"2"),))
    result = apply_fixes({"a.ts": b""}, [a, b, c])
    assert result.applied == (a, b) and result.deferred == (c,)
    assert result.deleted == {"x.js": b"1"} and result.sources == {"a.ts": b""}


def test_a_deleted_source_leaves_the_sources():
    result = apply_fixes({"a.ts": b"1", "b.ts": b"2"}, [Fix("d", (), deletions=(Deletion("b.ts", b"2"),))])
    assert result.sources == {"a.ts": b"1"} and result.deleted == {"b.ts": b"2"}
    with pytest.raises(ValueError, match="expects other bytes"):
        apply_fixes({"b.ts": b"3"}, [Fix("d", (), deletions=(Deletion("b.ts", b"2"),))])


# --- the engine ------------------------------------------------------------------------------


def test_a_deleted_source_is_not_analysed_again_and_the_run_settles():
    sources = {"a.ts": b"export const a = 1;\n", "b.d.ts": b"export declare const a: number;\n"}
    out = run(sources, [deleting_rule("b.d.ts")])
    assert out.converged and out.passes == 2 and len(out.fixed) == 1 and out.remaining == []
    assert "b.d.ts" not in out.final and out.original["b.d.ts"] == sources["b.d.ts"]
    assert out.changed == out.deleted == ["b.d.ts"]
    again = run(out.final, [deleting_rule("b.d.ts")])
    assert again.fixed == [] and again.changed == []


def test_a_file_beside_the_sources_is_deleted_once_and_kept_in_the_original():
    out = run({"a.ts": b"export const a = 1;\n"}, [deleting_rule("a.js", b"exports.a = 1;\n")])
    assert out.converged and len(out.fixed) == 1 and out.remaining == []
    assert out.original["a.js"] == b"exports.a = 1;\n" and "a.js" not in out.final
    assert out.deleted == ["a.js"]
    assert out.fix_result(out.fixed[0]) == {"a.js": (b"exports.a = 1;\n", None)}


def test_only_the_deleted_files_change():
    sources = {"a.ts": b"export const a = 1;\n", "b.d.ts": b"export declare const a: number;\n"}
    for rule in (deleting_rule("b.d.ts"), deleting_rule("a.js", b"x")):
        assert_only_edits_changed(run(sources, [rule]))


def test_an_unsafe_deletion_waits_for_unsafe():
    rule = deleting_rule("a.js", b"x", Applicability.UNSAFE)
    out = run({"a.ts": b"export const a = 1;\n"}, [rule])
    assert out.changed == [] and len(out.hidden_unsafe) == 1
    assert run({"a.ts": b"export const a = 1;\n"}, [rule], unsafe=True).deleted == ["a.js"]


def test_an_edit_and_a_deletion_of_one_file_are_never_both_applied():
    sources = {"a.ts": b"export const a = 1;\n", "b.ts": b"export const b = 1;\n"}
    out = run(sources, [deleting_rule("b.ts"), editing_rule("b.ts")])
    assert out.deleted == ["b.ts"] and [d.code for d in out.fixed] == ["SF998"]
    assert out.converged and out.remaining == []


def test_held_back_brings_a_deleted_file_back():
    out = run({"a.ts": b"export const a = 1;\n"}, [deleting_rule("a.js", b"x")])
    view = out.held_back({"a.js"})
    assert view.changed == [] and view.deleted == [] and view.fixed == [] and len(view.remaining) == 1


def test_a_deletion_of_a_file_the_run_may_not_edit_is_held_back():
    sources = {"a.ts": b"export const a = 1;\n", "b.d.ts": b"export declare const a: number;\n"}
    out = engine.run(ROOT, sources, rules=[deleting_rule("b.d.ts")], targets=frozenset({"a.ts"}))
    assert out.changed == [] and "not among the files being fixed" in out.remaining[0].notes[0]


# --- the diff ------------------------------------------------------------------------------

DELETED = [
    pytest.param(b"exports.a = 1;\nexports.b = 2;\n", id="lines"),
    pytest.param(b"exports.a = 1;\r\nexports.b = 2;", id="crlf-no-final-newline"),
    pytest.param("// é ✓\n".encode(), id="non-ascii"),
    pytest.param(b"", id="empty"),
]


def test_a_deletion_is_written_as_git_writes_one():
    assert unified("src/a.js", b"x\ny\n", None) == (
        "diff --git a/src/a.js b/src/a.js\ndeleted file mode 100644\nindex b77b4eb..0000000\n"
        "--- a/src/a.js\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n")
    assert unified("e.js", b"", None) == "diff --git a/e.js b/e.js\ndeleted file mode 100644\nindex e69de29..0000000\n"
    [patched] = PatchSet(unified("src/a.js", b"x\ny\n", None))
    assert patched.is_removed_file and patched.removed == 2


def _tool(*cmd: str, cwd: Path, patch: str) -> subprocess.CompletedProcess:
    if shutil.which(cmd[0]) is None:
        pytest.fail(f"{cmd[0]} is needed for this test")
    return subprocess.run(list(cmd), input=patch.encode("utf-8", "surrogateescape"), cwd=cwd, capture_output=True,
                          timeout=60)


@pytest.mark.parametrize("data", DELETED)
@pytest.mark.parametrize("tool", [("git", "-c", "core.autocrlf=false", "apply"), ("patch", "-p1", "-s")],
                         ids=["git-apply", "patch"])
def test_a_deletion_diff_applies_beside_an_edit(tmp_path, data, tool):
    """One patch that edits one file and deletes another applies from the project folder
    and from a parent folder (the diff names the files as they are shown from there)."""
    for cwd, prefix in ((tmp_path / "proj", ""), (tmp_path, "proj/")):
        root = tmp_path / "proj"
        (root / "src").mkdir(parents=True, exist_ok=True)
        (root / "src" / "a.ts").write_bytes(b"export const a = 1;\n")
        (root / "src" / "a.js").write_bytes(data)
        (root / "src" / "b.js").write_bytes(b"exports.b = 1;\n")
        before = {"src/a.ts": b"export const a = 1;\n", "src/a.js": data, "src/b.js": b"exports.b = 1;\n"}
        diff = project_diff(before, {"src/a.ts": b"export const a = 2;\n"}, name=lambda p: prefix + p)
        assert diff.startswith(f"--- a/{prefix}src/a.ts\n")  # edits first, then the deletions
        done = _tool(*tool, cwd=cwd, patch=diff)
        assert done.returncode == 0, done.stdout + done.stderr
        assert not (root / "src" / "a.js").exists() and not (root / "src" / "b.js").exists()
        assert (root / "src" / "a.ts").read_bytes() == b"export const a = 2;\n"


# --- writing: the checked delete ---------------------------------------------------------------


def _outcome_deleting(root: Path, rel: str, data: bytes, code="SF998") -> tuple[discovery.Workspace, engine.Outcome]:
    (root / "a.ts").write_bytes(b"export const a = 1;\n")
    ws = discovery.load([root], root=root)
    out = engine.run(root, ws.sources, rules=[deleting_rule(rel, data, code=code)], project=ws.project())
    assert out.deleted == [rel]
    return ws, out


def test_apply_deletes_a_file_that_still_holds_the_bytes_analysed(tmp_path):
    (tmp_path / "a.js").write_bytes(b"x")
    ws, out = _outcome_deleting(tmp_path, "a.js", b"x")
    assert writeback.write_back(ws, out) == (["a.js"], {})
    assert not (tmp_path / "a.js").exists() and (tmp_path / "a.ts").exists()


def test_a_file_changed_between_analysis_and_delete_is_kept(tmp_path):
    (tmp_path / "a.js").write_bytes(b"x")
    ws, out = _outcome_deleting(tmp_path, "a.js", b"x")
    (tmp_path / "a.js").write_bytes(b"rebuilt meanwhile")
    assert writeback.write_back(ws, out) == ([], {"a.js": "changed on disk since it was analysed; not deleted"})
    assert (tmp_path / "a.js").read_bytes() == b"rebuilt meanwhile"
    assert out.held_back({"a.js"}).changed == []


def test_a_symlink_is_never_deleted_nor_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.js").write_bytes(b"x")
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.js").symlink_to(outside / "real.js")
    ws, out = _outcome_deleting(root, "a.js", b"x")
    assert writeback.write_back(ws, out) == ([], {"a.js": "a symlink; not deleted"})
    assert (root / "a.js").is_symlink() and (outside / "real.js").read_bytes() == b"x"
    with pytest.raises(writes.SymlinkError):
        writes.delete_checked(root / "a.js", root, expect=discovery.digest(b"x"))
    (root / "sub").symlink_to(outside, target_is_directory=True)
    with pytest.raises(writes.OutsideRootError):
        writes.delete_checked(root / "sub" / "real.js", root, expect=discovery.digest(b"x"))
    assert (outside / "real.js").exists()


def test_a_failed_delete_holds_back_the_rest_of_its_fix(tmp_path, monkeypatch):
    (tmp_path / "a.js").write_bytes(b"x")
    ws, out = _outcome_deleting(tmp_path, "a.js", b"x")

    def refuse(path, root, *, expect):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writes, "delete_checked", refuse)
    assert writeback.write_back(ws, out) == ([], {"a.js": "cannot delete (Permission denied); left unchanged"})
    assert (tmp_path / "a.js").exists()


def test_json_and_sarif_say_which_file_is_deleted(tmp_path, monkeypatch):
    from codemod import formats
    from codemod.report import Mode, Report

    (tmp_path / "a.js").write_bytes(b"x\n")
    ws, out = _outcome_deleting(tmp_path, "a.js", b"x\n", code="SF012")  # SARIF indexes registered rules
    monkeypatch.chdir(tmp_path)
    report = Report(out, Mode.DIFF)
    doc = json.loads(formats.json_document(report))
    assert doc["files"] == [{"path": "a.js", "deleted": True, "diff": unified("a.js", b"x\n", None)}]
    assert doc["diagnostics"][0]["fix"]["deletions"] == ["a.js"]
    assert doc["diagnostics"][0]["fix"]["diff"] == {"a.js": unified("a.js", b"x\n", None)}
    sarif = json.loads(formats.sarif_document(report))
    [change] = sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"]
    assert change == {"artifactLocation": {"uri": "a.js", "uriBaseId": "ROOT"},
                      "replacements": [{"deletedRegion": {"byteOffset": 0, "byteLength": 2}}],
                      "properties": {"deleted": True}}
    assert os.path.exists(tmp_path / "a.js")  # formats write nothing
