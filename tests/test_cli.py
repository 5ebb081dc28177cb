"""The `schemafix` command: exit codes, dry run / --check / --apply, output formats, bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from codemod import __version__, cli, engine, writes
from support import write_tree as make

REPO = Path(__file__).parent.parent
EXAMPLE = REPO / "examples" / "broken-schema"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

BROKEN = "import { a } from './wrong';\nexport const b = a;\n"
FIXED = "import { a } from './right';\nexport const b = a;\n"


@pytest.fixture(autouse=True)
def in_project(tmp_path, monkeypatch):
    """Run from the fixtures' project folder: paths are printed relative to the current
    folder (a file outside it is printed absolute)."""
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path / "proj")


@pytest.fixture
def fixable(tmp_path) -> Path:
    return make(tmp_path / "proj", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n", "main.ts": BROKEN})


@pytest.fixture
def clean(tmp_path) -> Path:
    return make(tmp_path / "proj", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n", "main.ts": FIXED})


@pytest.fixture
def human(tmp_path) -> Path:
    # `zz` is exported by no module and used: SF001 reports it and cannot fix it.
    return make(tmp_path / "proj", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n",
                                    "main.ts": "import { zz } from './nope';\nexport const b = zz;\n"})


def invoke(*args: str, env: dict | None = None, **kwargs):
    return CliRunner().invoke(cli.main, list(args), env=env, catch_exceptions=False, **kwargs)


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under root with its bytes, mtime (ns) and mode."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            out[path.relative_to(root).as_posix()] = (path.read_bytes(), st.st_mtime_ns, st.st_mode)
    return out


def assert_one_line_error(result, *fragments: str) -> None:
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


# --- exit codes ----------------------------------------------------------------------

def test_exit_0_nothing_to_do(clean):
    result = invoke(str(clean))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Nothing to fix" in result.stderr


def test_exit_1_fixes_pending_in_dry_run(fixable):
    result = invoke(str(fixable))
    assert result.exit_code == 1
    assert "-import { a } from './wrong';\n+import { a } from './right';\n" in result.stdout
    assert "--- a/main.ts\n+++ b/main.ts\n" in result.stdout  # headers relative to the current folder
    assert "1 fix in 1 file" in result.stderr


def test_exit_1_fixes_pending_with_check(fixable):
    result = invoke("--check", str(fixable))
    assert result.exit_code == 1
    assert result.stdout == ""  # --check prints no diff
    assert "1 fix in 1 file" in result.stderr


def test_exit_0_after_apply_and_then_nothing_to_do(fixable):
    result = invoke("--apply", str(fixable))
    assert result.exit_code == 0, result.output
    assert (fixable / "main.ts").read_text() == FIXED
    assert "Fixed 1 problem in 1 file" in result.stderr
    again = invoke(str(fixable))
    assert again.exit_code == 0 and again.stdout == ""


@pytest.mark.parametrize("mode", ["--diff", "--check", "--apply"])
def test_exit_1_problems_need_a_human(human, mode):
    result = invoke(mode, str(human))
    assert result.exit_code == 1
    assert "zz is exported by no module" in result.stderr
    assert "1 problem needs a human" in result.stderr


def test_file_with_syntax_error_is_a_note_not_a_failure(clean):
    # issue 11 §1: a parse error is one note (line, column, statement); alone it does not fail the run
    (clean / "bad.ts").write_text("export const = ;\n")
    result = invoke("--check", str(clean))
    assert result.exit_code == 0
    assert "bad.ts:1:8: SF000 info: parse error in statement: export const = ;" in result.stderr
    assert "1 note" in result.stderr


def test_exit_2_missing_path(tmp_path):
    result = invoke(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert_one_line_error(result, "nope", "no such file or folder")


def test_exit_2_malformed_tsconfig(clean):
    (clean / "tsconfig.json").write_text('{"compilerOptions": {')
    result = invoke(str(clean))
    assert result.exit_code == 2
    assert_one_line_error(result, "tsconfig.json", "malformed")


def test_exit_2_tsconfig_extends_cycle(clean):
    (clean / "tsconfig.json").write_text('{"extends": "./tsconfig.json"}')
    result = invoke(str(clean))
    assert result.exit_code == 2
    assert_one_line_error(result, "cycle")


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_exit_2_unknown_rule_code(clean, option):
    result = invoke(option, "SF999", str(clean))
    assert result.exit_code == 2
    assert "unknown rule code 'SF999'" in result.stderr
    assert "Traceback" not in result.output


def test_select_limits_rules(fixable):
    assert invoke("--check", "--select", "SF002", str(fixable)).exit_code == 0
    assert invoke("--check", "--select", "SF001", str(fixable)).exit_code == 1
    assert invoke("--check", "--ignore", "SF001", str(fixable)).exit_code == 0
    assert invoke("--check", "--select", "sf00", str(fixable)).exit_code == 1  # prefix, any case


def test_internal_error_is_exit_2_one_line(fixable, monkeypatch):
    def crash(*args, **kwargs):
        raise engine.InternalError("rule SF001 crashed: KeyError: 'x'")

    monkeypatch.setattr(engine, "run", crash)
    result = invoke(str(fixable))
    assert result.exit_code == 2
    assert_one_line_error(result, "internal error", "nothing was written")


# --- dry run, --check, --apply on disk -----------------------------------------------

@pytest.mark.parametrize("mode", [[], ["--diff"], ["--check"], ["--format", "json"]], ids=["default", "diff", "check", "json"])
def test_dry_run_writes_nothing(fixable, mode):
    before = snapshot(fixable)
    result = invoke(*mode, str(fixable))
    assert result.exit_code == 1
    assert snapshot(fixable) == before  # bytes, mtimes and modes; no new files


def test_apply_writes_atomically_and_keeps_mode(fixable):
    main = fixable / "main.ts"
    main.chmod(0o640)
    inode = main.stat().st_ino
    result = invoke("--apply", str(fixable))
    assert result.exit_code == 0
    assert main.read_text() == FIXED
    assert stat.S_IMODE(main.stat().st_mode) == 0o640
    assert main.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in fixable.iterdir()) == ["main.ts", "right.ts", "tsconfig.json"]  # no temp left


def test_apply_removes_stale_temp_files(fixable):
    stale = fixable / ".main.ts.schemafix-abc.tmp"
    stale.write_text("half-written")
    assert invoke("--apply", str(fixable)).exit_code == 0
    assert not stale.exists()


def test_apply_skips_file_changed_since_analysis(fixable, monkeypatch):
    real_run = engine.run
    edited = "import { a } from './wrong';\nexport const b = a; // edited meanwhile\n"

    def run_then_edit(*args, **kwargs):
        outcome = real_run(*args, **kwargs)
        (fixable / "main.ts").write_text(edited)  # someone saves the file while we analyse
        return outcome

    monkeypatch.setattr(engine, "run", run_then_edit)
    result = invoke("--apply", str(fixable))
    assert (fixable / "main.ts").read_text() == edited  # not overwritten
    assert result.exit_code == 1
    assert "main.ts: changed on disk since it was analysed; not written" in result.stderr


def test_apply_keeps_crlf_bom_and_missing_newline(tmp_path):
    data = b"\xef\xbb\xbfimport { a } from './wrong';\r\nexport const b = a;"
    root = make(tmp_path / "p", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n", "main.ts": data})
    assert invoke("--apply", str(root)).exit_code == 0
    assert (root / "main.ts").read_bytes() == data.replace(b"./wrong", b"./right")


def test_paths_limit_what_is_edited(tmp_path):
    root = make(tmp_path / "p", {"tsconfig.json": "{}", "lib/right.ts": "export const a = 1;\n",
                                 "lib/main.ts": BROKEN,
                                 "other/main.ts": "import { a } from '../lib/wrong';\nexport const c = a;\n"})
    result = invoke("--apply", str(root / "lib"))
    assert result.exit_code == 0
    assert (root / "lib/main.ts").read_text() == FIXED
    assert "wrong" in (root / "other/main.ts").read_text()  # outside PATHS: not touched


# --- output formats --------------------------------------------------------------------

def test_format_json(fixable):
    result = invoke("--format", "json", str(fixable))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"schemafix", "mode", "diagnostics", "problems", "notes", "files", "summary"}
    assert doc["schemafix"] == __version__ and doc["mode"] == "diff"
    (diag,) = doc["diagnostics"]
    assert {"code", "path", "line", "column", "message", "fix", "fixed", "fixable"} <= set(diag)
    # a dry run fixes nothing: the fix is pending (fixable), not fixed
    assert (diag["code"], diag["path"], diag["line"], diag["fixed"], diag["fixable"]) == ("SF001", "main.ts", 1,
                                                                                          False, True)
    assert diag["fix"]["applicability"] == "safe" and diag["fix"]["edits"]
    (changed,) = doc["files"]
    assert changed["path"] == "main.ts" and "+import { a } from './right';" in changed["diff"]
    assert doc["summary"]["exit_code"] == 1 and doc["summary"]["fixes"] == 1


def test_format_json_with_problems(human):
    (human / "bad.ts").write_bytes(b"export const s = '\xff';\n")
    doc = json.loads(invoke("--format", "json", "--check", str(human)).stdout)
    assert {"path": "bad.ts", "message": "not valid UTF-8 (byte 18); skipped"} in doc["problems"]
    assert doc["summary"]["need_human"] == 2


def test_documents_written_in_pieces_are_json_dumps():
    from codemod.formats import _Items, _pieces
    items = [{"diff": "--- a\n+++ b\n", "notes": [], "fix": {"edits": [{"content": "ü\n\t\"x\""}], "x": {}}},
             [], {}, "a\nb", 1, None, [[{"k\n": [1, 2]}]], True, False, -3, 2.5, {"t": (1, "\u2028")}, {1: "one", None: [{2.5: True}]}]
    for head in ([], items[:1], items):
        doc = {"a": 1, "list": head, "run": [{"tool": {"rules": items}, "results": head, "after": []}], "z": "é"}
        lazy = {**doc, "list": _Items(iter(head)),
                "run": [{"tool": {"rules": items}, "results": _Items(x for x in head), "after": []}]}
        assert "".join(_pieces(lazy)) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"schemafix, version {__version__}"


def test_help():
    result = invoke("--help")
    assert result.exit_code == 0
    commands = result.stdout[result.stdout.index("Commands:"):]
    assert all(name in commands for name in ("fix", "rules", "exports", "explain"))
    fix_help = invoke("fix", "--help")
    assert "--apply" in fix_help.stdout and "--check" in fix_help.stdout


def test_rules_lists_every_code():
    from codemod.rules import all_rules

    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in all_rules()]
    sf001 = next(line for line in lines if line.startswith("SF001"))
    assert "safe" in sf001.split() and "broken-import" in sf001


def test_explain(fixable):
    result = invoke("explain", str(fixable / "main.ts"))
    assert result.exit_code == 0
    assert "main.ts:1: import './wrong' -> missing" in result.stdout
    assert "a: defined in right.ts" in result.stdout


def test_explain_not_a_file(tmp_path):
    result = invoke("explain", str(tmp_path / "nope.ts"))
    assert result.exit_code == 2
    assert_one_line_error(result, "not a file")


def test_color_always_adds_ansi(fixable):
    # `--color always` colours the diff even when stdout is not a terminal (click.echo
    # would strip the ANSI codes unless told otherwise), and the colour is all it adds.
    result = invoke("--color", "always", str(fixable))
    assert "\x1b[31m-import { a } from './wrong';" in result.stdout
    assert ANSI.sub("", result.stdout) == invoke("--color", "never", str(fixable)).stdout


@pytest.mark.parametrize("args, env", [
    pytest.param(["--color", "auto"], {"NO_COLOR": "1"}, id="NO_COLOR"),
    pytest.param(["--color", "auto"], {}, id="piped"),
    pytest.param(["--color", "never"], {}, id="never"),
])
def test_no_colour(fixable, args, env):
    result = invoke(*args, str(fixable), env=env)
    assert result.stdout and "\x1b[" not in result.stdout


def test_use_colour_rules(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._use_colour("auto", Tty()) is True
    assert cli._use_colour("auto", object()) is False
    assert cli._use_colour("never", Tty()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_colour("auto", Tty()) is False
    assert cli._use_colour("always", object()) is True


# --- bad input: a one-line message, never a traceback ---------------------------------

def test_non_utf8_file(clean):
    (clean / "latin1.ts").write_bytes(b"export const s = 'caf\xe9';\n")
    result = invoke(str(clean))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if "latin1.ts" in line] == [
        "latin1.ts: not valid UTF-8 (byte 21); skipped"]


def test_symlink_loop(clean):
    (clean / "loop").symlink_to(clean, target_is_directory=True)
    (clean / "self.ts").symlink_to(clean / "self.ts")
    result = invoke(str(clean))
    assert "Traceback" not in result.output
    # 1: the dangling self.ts is skipped and reported as a problem for a human (the
    # project itself is clean, and the directory loop adds no message)
    assert result.exit_code == 1, result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("self.ts")] == [
        "self.ts: dangling symlink; skipped"]


def test_unreadable_file(clean, monkeypatch):
    secret = clean / "secret.ts"
    secret.write_text("export const s = 1;\n")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail the way it would for a user
        real_open = os.open

        def fake_open(path, *args, **kwargs):
            if str(path).endswith("secret.ts"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)  # what discovery reads with
    result = invoke(str(clean))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if "secret.ts" in line] == [
        "secret.ts: cannot read (Permission denied)"]


def test_no_typescript_files_warns(tmp_path):
    (tmp_path / "tsconfig.json").write_text("{}")
    result = invoke(str(tmp_path))
    assert result.exit_code == 0
    assert "no TypeScript files found" in result.stderr


# --- one real subprocess ---------------------------------------------------------------

def _schemafix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([sys.executable, "-m", "codemod.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=env)


def test_the_command_ends_the_process_with_its_output_whole(tmp_path):
    """``schemafix`` (``cli.entry``) ends the process without freeing what the run built:
    its output is flushed first, whole, with the exit code ``main`` gave. The diff of the
    example reads the same as an in-process run's."""
    root = tmp_path / "broken-schema"
    shutil.copytree(EXAMPLE, root)
    expected = CliRunner().invoke(cli.main, ["--color", "never", str(root)], catch_exceptions=False)
    ran = _schemafix("--color", "never", str(root), cwd=Path.cwd())
    assert (ran.returncode, ran.stdout, ran.stderr) == (expected.exit_code, expected.stdout, expected.stderr)
    assert len(ran.stdout) > 4096 and ran.returncode == 1  # held in the pipe's buffer to the end
    missing = _schemafix(str(tmp_path / "nope"), cwd=Path.cwd())
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr and not missing.stdout
    for args, code in ((["--version"], 0), (["--check", "--no-cache", str(root)], 1), (["--apply", "nope"], 2)):
        closed = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "codemod.cli", *args],
                                capture_output=True, text=True, timeout=300)  # started with no stdout (review)
        assert closed.returncode == code and "Traceback" not in closed.stderr, closed.stderr


def test_entry_keeps_what_a_run_built_and_exits_with_mains_code(monkeypatch, tmp_path, capsys):
    """``cli.entry``, in-process (``os._exit`` caught): the run's workspace, outcome and
    last snapshot are kept until the process ends (not the first snapshot of a run of
    several passes: it goes when the next is built, as before), the collector stays off, and the code is
    ``main``'s: 0, 1, 2, or 1 with the message printed for a SystemExit holding one."""
    import gc

    class Ended(Exception):
        pass

    def exit_now(code):
        raise Ended(code)

    monkeypatch.setattr(cli.os, "_exit", exit_now)
    monkeypatch.setattr(cli, "_TO_THE_END", None)
    codes, kept, held = [], [], []
    real_run = engine.run

    def run(*args, **kwargs):  # what is kept of the projects before as each project is analysed
        held.append(len(cli._TO_THE_END))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(engine, "run", run)
    try:
        clean = make(tmp_path / "clean", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n", "main.ts": FIXED})
        fixable = make(tmp_path / "fixable", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n",
                                              "main.ts": BROKEN})
        for args in (["--check", "--no-cache", str(clean)], ["--check", "--no-cache", str(fixable)],
                     ["--check", "--no-cache", "nope"]):
            monkeypatch.setattr(sys, "argv", ["schemafix", *args])
            with pytest.raises(Ended) as ended:
                cli.entry()
            codes.append(ended.value.args[0])
            assert not gc.isenabled()
            kept.append(sorted(type(v).__name__ for values in cli._TO_THE_END for v in values))
            kept[-1] += [type(v.last).__name__ for values in cli._TO_THE_END for v in values
                         if isinstance(v, engine.Outcome)]
        monkeypatch.setattr(sys, "argv", ["schemafix", "--check", "--no-cache", str(tmp_path)])  # two projects
        with pytest.raises(Ended):
            cli.entry()
        [(ws, *_)] = cli._TO_THE_END  # the last project's alone: a monorepo's packages are not all kept
        assert ws.root == fixable.resolve() and held[-2:] == [0, 0]  # nor one while the next is analysed
        monkeypatch.setattr(cli, "main", lambda: sys.exit("schemafix: a message"))
        with pytest.raises(Ended) as ended:
            cli.entry()
        codes.append(ended.value.args[0])
    finally:
        gc.enable()
    assert codes == [0, 1, 2, 1]
    # the workspace, the outcome with the last snapshot, the facts (none: no cache)
    assert kept[:2] == [["NoneType", "Outcome", "Workspace", "Project"]] * 2 and kept[2] == []
    assert capsys.readouterr().err.endswith("schemafix: a message\n")


@pytest.mark.slow  # three subprocess runs over the example
def test_subprocess_dry_run_check_apply_on_example(tmp_path):
    root = tmp_path / "broken-schema"
    shutil.copytree(EXAMPLE, root)
    before = snapshot(root)

    dry = _schemafix(".", cwd=root)
    assert dry.returncode == 1, dry.stderr
    assert dry.stdout.startswith("--- a/schema/")
    assert "\x1b[" not in dry.stdout  # piped: no colour
    assert "Traceback" not in dry.stderr
    assert snapshot(root) == before

    check = _schemafix("--check", ".", cwd=root)
    assert check.returncode == 1 and check.stdout == ""
    assert snapshot(root) == before

    git = shutil.which("git")
    if git is not None:  # the dry-run diff applies with `git apply` to the untouched copy
        patch = tmp_path / "fix.patch"
        patch.write_text(dry.stdout)
        proc = subprocess.run([git, "apply", "--check", str(patch)], cwd=root, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr

    applied = _schemafix("--apply", ".", cwd=root)
    # exit 1: the stale schema/index.js + index.d.ts are left, reported only (not in a git
    # work tree, so nothing could bring them back; --unsafe does not delete them either)
    assert applied.returncode == 1, applied.stderr
    assert "Fixed 25 problems in 7 files; 1 problem needs a human; 1 note." in applied.stderr
    assert snapshot(root) != before
    assert not writes.stale_temp_files(root)
    assert _schemafix("--apply", "--unsafe", ".", cwd=root).returncode == 1
    assert (root / "schema" / "index.js").exists() and (root / "schema" / "index.d.ts").exists()

    again = _schemafix(".", cwd=root)
    assert again.returncode == 1 and again.stdout == "", again.stderr
    assert "Nothing to fix; 1 problem needs a human; 1 note." in again.stderr


def test_subprocess_exit_2_one_line(tmp_path):
    proc = _schemafix("does-not-exist", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["schemafix: error: does-not-exist: no such file or folder"]


def test_an_unexpected_exception_is_one_line_exit_2_and_writes_nothing(fixable, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError("something odd")

    monkeypatch.setattr(engine, "run", boom)
    result = invoke("--apply", str(fixable))
    assert result.exit_code == 2
    assert result.stderr.strip() == "schemafix: error: internal error: ValueError: something odd; nothing was written"
    assert (fixable / "main.ts").read_text() == BROKEN


def test_tsconfig_with_null_base_url_runs(tmp_path):
    root = make(tmp_path / "proj", {"tsconfig.json": '{"compilerOptions": {"baseUrl": null}}',
                                    "right.ts": "export const a = 1;\n", "main.ts": BROKEN})
    result = invoke(str(root))
    assert result.exit_code == 1 and "+import { a } from './right';" in result.stdout


# --- issue 15: paths, flags, honest output ---------------------------------------------

def test_paths_are_relative_to_the_current_folder_in_every_format(fixable, monkeypatch):
    monkeypatch.chdir(fixable.parent)
    dry = invoke("proj")
    assert "--- a/proj/main.ts\n+++ b/proj/main.ts\n" in dry.stdout
    assert "proj/main.ts:1:19: SF001 [*]" in dry.stderr
    doc = json.loads(invoke("--format", "json", "proj").stdout)
    assert doc["diagnostics"][0]["path"] == "proj/main.ts" and doc["files"][0]["path"] == "proj/main.ts"
    assert doc["files"][0]["diff"].startswith("--- a/proj/main.ts")
    sarif = json.loads(invoke("--format", "sarif", "proj").stdout)
    run = sarif["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "proj/main.ts"
    assert run["originalUriBaseIds"]["ROOT"]["uri"] == fixable.parent.resolve().as_uri() + "/"
    assert "file=proj/main.ts,line=1" in invoke("--format", "github", "proj").stdout


def test_a_file_outside_the_current_folder_is_printed_absolute(fixable, tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = invoke(str(fixable))
    assert f"{fixable.resolve() / 'main.ts'}:1:19: SF001" in result.stderr
    assert "--- a/main.ts\n" in result.stdout  # the diff stays relative to the root (applies there)


@pytest.mark.slow  # git and patch subprocesses
def test_dry_run_diff_applies_with_git_apply_and_patch_from_a_parent_folder(tmp_path, monkeypatch):
    top = tmp_path / "repo"
    shutil.copytree(EXAMPLE, top / "examples" / "broken-schema")
    monkeypatch.chdir(top)
    diff = invoke("examples/broken-schema").stdout
    assert "+++ b/examples/broken-schema/schema/" in diff
    for tool in (["git", "apply", "--check"], ["patch", "-p1", "--dry-run"]):
        if shutil.which(tool[0]) is None:
            pytest.fail(f"{tool[0]} is needed for this test")
        proc = subprocess.run([*tool], input=diff, cwd=top, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_top_level_help_lists_the_fix_options_and_every_option_has_help():
    text = invoke("--help").stdout
    for flag in ("--apply", "--fix", "--check", "--diff", "--unsafe-fixes", "--quiet", "--statistics",
                 "--show-fixes", "--exit-zero", "--format", "--color"):
        assert flag in text, flag
    ctx = click.Context(cli.main)
    for name, command in cli.main.commands.items():
        sub = click.Context(command, info_name=name, parent=ctx)
        for param in command.get_params(sub):
            if isinstance(param, click.Option):
                assert param.help, f"schemafix {name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("alias, canonical", [("--fix", "--apply"), ("--unsafe-fixes", "--unsafe")])
def test_aliases(fixable, alias, canonical):
    extra = ["--apply"] if alias == "--unsafe-fixes" else []
    result = invoke(alias, *extra, str(fixable))
    assert result.exit_code == 0, result.output
    assert (fixable / "main.ts").read_text() == FIXED


@pytest.mark.parametrize("flags", [["--check", "--apply"], ["--diff", "--fix"], ["--apply", "--check"]])
def test_two_modes_are_a_usage_error(fixable, flags):
    result = invoke(*flags, str(fixable))
    assert result.exit_code == 2
    assert "cannot be combined" in result.stderr
    assert (fixable / "main.ts").read_text() == BROKEN


def test_apply_prints_no_snippets_and_show_fixes_one_line_each(fixable):
    result = invoke("--apply", str(fixable))
    assert result.stderr == "Fixed 1 problem in 1 file.\n"
    (fixable / "main.ts").write_text(BROKEN)
    shown = invoke("--apply", "--show-fixes", str(fixable))
    assert shown.stderr.splitlines() == ["main.ts:1:19: SF001 [fixed] Repoint a", "Fixed 1 problem in 1 file."]


def test_quiet_prints_only_the_summary(human):
    (human / "bad.ts").write_text("export const = ;\n")
    result = invoke("--quiet", "--check", str(human))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Nothing to fix; 1 problem needs a human; 1 note."]


def test_statistics_counts_per_rule(tmp_path):
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n", "main.ts": BROKEN,
                                    "x.ts": "import { zz } from './nope';\nexport const b = zz;\n",
                                    "bad.ts": "export const = ;\n"})
    result = invoke("--check", "--statistics", str(root))
    lines = result.stderr.splitlines()
    assert lines[:2] == ["    1  SF000  parse-error", "    2  SF001  broken-import                1 fixable"]
    assert "|" not in result.stderr  # no snippets


def test_exit_zero(fixable, human):
    assert invoke("--exit-zero", str(fixable)).exit_code == 0
    assert invoke("--exit-zero", "--check", str(human)).exit_code == 0
    assert invoke("--exit-zero", "--select", "SF999", str(fixable)).exit_code == 2


def test_ctrl_c_during_analysis_is_exit_130_and_writes_nothing(fixable, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run", interrupted)
    result = invoke("--apply", str(fixable))
    assert result.exit_code == 130
    assert result.stderr == "schemafix: interrupted; nothing was written\n"
    assert (fixable / "main.ts").read_text() == BROKEN


def test_ctrl_c_after_a_project_was_written_names_what_was(tmp_path, monkeypatch):
    """A folder holding two projects: the first is fixed and written, Ctrl-C stops the
    analysis of the second; the message names the file written, not "nothing"."""
    import json

    root = make(tmp_path / "mono", {"package.json": json.dumps({"private": True}),
                                    "a/tsconfig.json": "{}", "a/right.ts": "export const a = 1;\n",
                                    "a/main.ts": BROKEN,
                                    "b/tsconfig.json": "{}", "b/right.ts": "export const a = 1;\n",
                                    "b/main.ts": BROKEN})
    real = engine.run
    runs = []

    def second_interrupted(*args, **kwargs):
        runs.append(args[0])
        if len(runs) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run", second_interrupted)
    result = invoke("--apply", "--no-cache", str(root))
    assert result.exit_code == 130 and len(runs) == 2
    first, second = (Path(r).name for r in runs)
    assert (root / first / "main.ts").read_text() == FIXED
    assert (root / second / "main.ts").read_text() == BROKEN
    assert result.stderr.splitlines()[-1] == (f"schemafix: interrupted; written: {root / first / 'main.ts'}; "
                                             "nothing else was written")


def test_ctrl_c_during_apply_stops_between_files_and_names_them(tmp_path, monkeypatch):
    import signal

    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n",
                                    "m1.ts": BROKEN, "m2.ts": BROKEN})
    real = writes.write_atomic
    calls = []

    def write_then_ctrl_c(path, data, **kwargs):
        calls.append(path.name)
        real(path, data, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C while m1.ts is written

    monkeypatch.setattr(writes, "write_atomic", write_then_ctrl_c)
    result = invoke("--apply", str(root))
    assert result.exit_code == 130
    assert calls == ["m1.ts"]
    assert (root / "m1.ts").read_text() == FIXED and (root / "m2.ts").read_text() == BROKEN
    assert result.stderr.strip() == "schemafix: interrupted; written: m1.ts; not written: m2.ts"
    assert not writes.stale_temp_files(root)


def test_force_color(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_colour("auto", object()) is True
    assert cli._use_colour("never", object()) is False
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert cli._use_colour("auto", object()) is False


def test_force_color_colours_piped_output(fixable):
    result = invoke(str(fixable), env={"FORCE_COLOR": "1"})
    assert "\x1b[31m-import { a } from './wrong';" in result.stdout


def test_suppression_comment_from_the_command_line(clean):
    (clean / "main.ts").write_text("// schemafix-ignore SF001 -- kept on purpose\n" + BROKEN)
    assert invoke("--check", str(clean)).exit_code == 0
    (clean / "main.ts").write_text("// schemafix-ignore SF004\n" + FIXED)
    result = invoke("--check", str(clean))
    assert result.exit_code == 1
    assert "main.ts:1:1: SF100 unused suppression of SF004 on line 2" in result.stderr
    assert invoke("--check", "--ignore", "SF100", str(clean)).exit_code == 0


def test_ignore_sf000_hides_parse_notes(clean):
    (clean / "bad.ts").write_text("export const = ;\n")
    result = invoke("--check", "--ignore", "SF000", str(clean))
    assert "SF000" not in result.stderr and "note" not in result.stderr


def test_explain_says_one_word_per_resolution_and_names_packages(fixable):
    (fixable / "main.ts").write_text("import { eq } from 'drizzle-orm';\n" + BROKEN)
    out = invoke("explain", str(fixable / "main.ts")).stdout
    assert "main.ts:1: import 'drizzle-orm' -> package drizzle-orm\n" in out
    assert "    eq: from the package\n" in out
    assert "main.ts:2: import './wrong' -> missing\n" in out
    assert "missing missing" not in out


def test_config_prints_the_root_and_a_missing_path_is_exit_2(fixable):
    result = invoke("config", str(fixable))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith(f"# project root: {fixable}")
    missing = invoke("config", str(fixable / "nope"))
    assert missing.exit_code == 2
    assert_one_line_error(missing, "nope", "no such file or folder")


def test_a_run_switches_the_collector_off_and_restores_it(clean, monkeypatch):
    """The cyclic collector is off during a run (it built no cycle to collect: each
    collection only scanned what the run had just built, 2.1 of 24 s at 19,813 files);
    afterwards it is as it was (a process that runs schemafix in-process, the tests
    among them, keeps its own), on or off."""
    import gc

    seen = []
    real_run = engine.run

    def run(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_run(*args, **kwargs)

    monkeypatch.setattr(engine, "run", run)
    assert gc.isenabled()
    invoke("--check", "--no-cache", str(clean))
    assert gc.isenabled()
    gc.disable()
    try:
        invoke("--check", "--no-cache", str(clean))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False]


def test_a_run_leaves_nothing_of_the_analysis_in_a_cycle(tmp_path):
    """With the collector off, an object in a reference cycle stays until the process
    ends. A run that fixes the bundled example over several passes, writing the cache,
    then a commit hook's run reading it back, leave no project, file, export map, tree,
    diagnostic or fix in one."""
    import gc

    from tree_sitter import Tree

    from codemod.exportmap import ExportMap
    from codemod.model import Diagnostic, Fix
    from codemod.project import Project, SourceFile

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    module = next(p for p in sorted((root / "schema").rglob("*.ts")) if p.name != "index.ts")
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage to look at
    try:
        applied = invoke("--apply", "--cache-dir", str(tmp_path / "cache"), str(root))
        assert "Fixed 25 problems in 7 files" in applied.stderr  # one problem needs a human: exit 1
        module.write_text(module.read_text() + "// edited\n")
        assert "Nothing to fix" in invoke("--check", "--cache-dir", str(tmp_path / "cache"), str(module)).stderr
        gc.collect()
        ours = [type(o).__name__ for o in gc.garbage
                if isinstance(o, (Project, SourceFile, ExportMap, Tree, Diagnostic, Fix))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert ours == []


def test_a_diff_that_fixes_share_is_made_once(tmp_path, monkeypatch):
    """SF001 gives each broken import of a file the file's whole plan: JSON shows the
    same diff for each, made once (at 4,993 bench files, 3,655 fixes held ~450 diffs)."""
    from codemod import formats

    make(tmp_path, {"a.ts": "export const a = 1;\n", "b.ts": "export const b = 1;\n",
                    "main.ts": "import { a } from './wrong-a';\nimport { b } from './wrong-b';\nexport const c = a + b;\n"})
    made = []
    real = formats.unified
    monkeypatch.setattr(formats, "unified", lambda path, *rest, **kw: made.append(path) or real(path, *rest, **kw))
    doc = json.loads(invoke("--format", "json", "--check", str(tmp_path)).stdout)
    diffs = [d["fix"]["diff"] for d in doc["diagnostics"] if d["code"] == "SF001"]
    assert len(diffs) == 2 and diffs[0] == diffs[1]
    ((shown, diff),) = diffs[0].items()
    assert shown.endswith("main.ts") and "+import { b } from './b';" in diff
    assert made == ["main.ts", "main.ts"]  # the fixes' diff, and the file's in "files"
