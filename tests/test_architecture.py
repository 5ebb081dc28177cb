"""The engine's contract with rules: a rule brings its own options and claims, and the
engine, config and CLI need no change for a new rule; data flows one way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cli, rules
from codemod.model import Applicability, Edit, Fix
from codemod.rules import Claim, Option, rule

from support import run
from test_barrel import MERGE, MERGE_BARREL

GREETING = Option("greeting", "hello", "The word the throwaway rule writes.", choices=("hello", "howdy"))
SHOUT = Option("shout", False, "Write the greeting in capitals.")


@pytest.fixture
def throwaway_rule():
    """SF900, registered from this test module the way a rewriter registers itself."""

    @rule("SF900", "greeting", "Replace `// greet` with a greeting", Applicability.SAFE, options=(GREETING, SHOUT))
    def check(ctx):
        """Replaces the marker comment `// greet` with the configured greeting."""
        word = ctx.option("greeting").upper() if ctx.option("shout") else ctx.option("greeting")
        for f in ctx.files():
            at = f.data.find(b"// greet\n")
            if at >= 0:
                edit = Edit(f.path, at, at + len(b"// greet"), f"// {word}".encode())
                yield ctx.diagnostic("SF900", f, at, "a greeting is due", fix=Fix("Greet", (edit,)))

    yield
    rules.unregister("SF900")


def project(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / "tsconfig.json").write_text("{}")
    (root / "a.ts").write_text("// greet\nexport const a = 1;\n")
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def test_a_rule_from_a_test_module_runs_with_its_own_flag(tmp_path, throwaway_rule):
    root = project(tmp_path)
    default = invoke("--select", "SF900", str(root))
    assert default.exit_code == 1
    assert "+// hello\n" in default.stdout
    flagged = invoke("--select", "SF900", "--greeting", "howdy", "--shout", str(root))
    assert "+// HOWDY\n" in flagged.stdout
    assert "--greeting [hello|howdy]" in invoke("fix", "--help").stdout


def test_a_rule_option_is_a_config_key_with_its_checks(tmp_path, throwaway_rule):
    root = project(tmp_path, {"schemafix.toml": 'greeting = "howdy"\n'})
    assert "+// howdy\n" in invoke("--select", "SF900", str(root)).stdout
    shown = invoke("config", str(root))
    assert 'greeting = "howdy"' in shown.stdout and 'shout = false  # default' in shown.stdout
    (root / "schemafix.toml").write_text('greeting = "hi"\n')
    bad = invoke("--select", "SF900", str(root))
    assert bad.exit_code == 2 and "'greeting' must be one of hello, howdy" in bad.stderr


def test_without_the_rule_its_option_is_unknown(tmp_path):
    root = project(tmp_path, {"schemafix.toml": 'greeting = "howdy"\n'})
    result = invoke(str(root))
    assert result.exit_code == 2 and "unknown key 'greeting'" in result.stderr


def test_a_claimed_statement_is_left_to_the_claiming_rule():
    """SF001 would repoint `./gone`; a rule claiming that statement answers for it instead,
    and once that rule is not enabled, SF001 does again."""
    files = {"a.ts": "import { b } from './gone';\nexport const a = b;\n", "b.ts": "export const b = 1;\n"}

    def claims(ctx):
        yield Claim("a.ts", 0)

    rule("SF901", "claimer", "Claims the first statement of a.ts", None, claims=claims)(lambda ctx: iter(()))
    try:
        claimed = run(files, select="SF001,SF901")
        free = run(files, select="SF001")
    finally:
        rules.unregister("SF901")
    assert claimed.final == claimed.original and claimed.remaining == []
    assert free.final["a.ts"] == b"import { b } from './b';\nexport const a = b;\n"


def test_a_rule_asks_whether_a_claimed_place_is_settled_this_pass_without_naming_the_claimant():
    """`ctx.fixed_by_claimant`: the claiming rule's ``fixes`` answers (SF005 claims every
    module a barrel misses and adds only some; SF001 asks before writing a line of its
    own); a claimant declaring none settles all it claims; the asking rule's own claims
    and unclaimed places are not settled by another."""
    from codemod.project import Project
    from codemod.rules import Context

    asked = []

    def fixes(ctx, claim):
        asked.append((ctx.rule, claim.path))
        return claim.path == "a.ts"

    rule("SF902", "settler", "Claims two modules, settles one", None,
         claims=lambda ctx: iter((Claim("a.ts", what="module"), Claim("b.ts", what="module"))),
         fixes=fixes)(lambda ctx: iter(()))
    rule("SF903", "claimer", "Claims c.ts", None, claims=lambda ctx: iter((Claim("c.ts", what="module"),)))(
        lambda ctx: iter(()))
    try:
        project = Project.build(Path("/p"), {p: b"export const x = 1;\n" for p in ("a.ts", "b.ts", "c.ts", "d.ts")})
        claims = {Claim("a.ts", what="module"): "SF902", Claim("b.ts", what="module"): "SF902",
                  Claim("c.ts", what="module"): "SF903"}
        ctx = Context(project, claims=claims, rule="SF001")
        assert [ctx.fixed_by_claimant(p, what="module") for p in ("a.ts", "b.ts", "c.ts", "d.ts")] == [
            True, False, True, False]
        assert asked == [("SF902", "a.ts"), ("SF902", "b.ts")]
        assert not Context(project, claims=claims, rule="SF902").fixed_by_claimant("a.ts", what="module")
    finally:
        rules.unregister("SF902")
        rules.unregister("SF903")


def test_the_relations_merge_writes_imports_in_the_forced_extension_style():
    """SF005's cross-module merge adds imports through the one import editor, which honours
    --extension (its own copy did not)."""
    outcome = run(MERGE, select="SF005", unsafe=True, extension=".js")
    merged = outcome.final["schema/social/relations.ts"].decode()
    assert "import { blocks } from './blocks.js';\n" in merged
    assert outcome.final["schema/index.ts"].decode() == MERGE_BARREL + "export * from './social/relations.js';\n"


def test_held_back_files_leave_the_outcome_untouched():
    outcome = run({"a.ts": "import { b } from './gone';\nexport const a = b;\n", "b.ts": "export const b = 1;\n"})
    before = (list(outcome.fixed), dict(outcome.final), list(outcome.remaining))
    view = outcome.held_back({"a.ts"})
    assert (list(outcome.fixed), dict(outcome.final), list(outcome.remaining)) == before
    assert view.fixed == [] and view.final["a.ts"] == outcome.original["a.ts"]
    assert [d.code for d in view.remaining] == ["SF001"]


def test_explain_sees_the_project_the_fix_command_sees(tmp_path):
    """A .gitignore'd file exists but is not read: the fix command treats imports of it as
    resolving, and so must `explain` (they used to disagree)."""
    root = project(tmp_path, {".gitignore": "generated.ts\n", "generated.ts": "export const g = 1;\n",
                              "main.ts": "import { g } from './generated';\nexport const m = g;\n"})
    (root / "a.ts").write_text("export const a = 1;\n")
    explained = invoke("explain", str(root / "main.ts"))
    assert explained.exit_code == 0
    assert "main.ts:1: import './generated' -> opaque" in explained.stdout
    fixed = invoke("--format", "json", str(root))
    assert fixed.exit_code == 0 and json.loads(fixed.stdout)["diagnostics"] == []


# Disk access a rule could make behind the cache's back (codemod/disk.py records every
# question a run asks; a rule asking the disk itself would make a cached result stale).
_PATH_METHODS = {"read_bytes", "read_text", "write_bytes", "write_text", "open", "exists", "is_file", "is_dir",
                 "is_symlink", "iterdir", "glob", "rglob", "stat", "lstat", "readlink", "unlink"}
_OS_CALLS = {"os.stat", "os.lstat", "os.listdir", "os.scandir", "os.walk", "os.readlink", "os.remove", "os.unlink",
             "os.path.isfile", "os.path.isdir", "os.path.exists", "os.path.lexists", "os.path.islink",
             "os.path.realpath", "os.path.getsize", "os.path.getmtime"}


def _disk_access(source: str) -> list[str]:
    """Each place in ``source`` that reads or probes the disk itself: ``open()``,
    ``subprocess``, ``os`` file calls, and ``pathlib`` methods on anything but the
    recorded disk (``disk(project)``, and ``rewriters/_disk.py``, which asks it)."""
    import ast
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{node.lineno}: import {n}" for n in names if n and n.split(".")[0] in ("subprocess", "shutil")]
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name == "open" or name in _OS_CALLS:
            found.append(f"{node.lineno}: {name}()")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in _PATH_METHODS:
            receiver = node.func.value
            recorded = (isinstance(receiver, ast.Call) and ast.unparse(receiver.func) == "disk"
                        or isinstance(receiver, ast.Name) and receiver.id == "_disk")  # rewriters/_disk.py
            if not recorded:
                found.append(f"{node.lineno}: {name}()")
    return found


# codemod modules at the run's edges: they read the inputs (which key the cache) or write.
_EDGES = {"discovery", "tsconfig", "config", "git_moves", "disk", "cache", "facts_cache", "cli", "rename", "writes",
          "writeback", "locking"}
_ALLOWED = {("parsing.py", "(_QUERIES / f'{name}.scm').read_text()"),
            # ^ its own tree-sitter queries: part of the code the cache keys on
            ("resolve.py", "self.around.exists()"),  # Surroundings.exists is the recorded disk's is_file
            ("resolve.py", "self.around.disk.is_dir()")}  # Surroundings.disk is the recorded disk


def test_rules_ask_the_disk_only_through_codemod_disk():
    repo = Path(__file__).parent.parent
    paths = sorted(repo.glob("rewriters/*.py")) + [p for p in sorted(repo.glob("codemod/*.py")) if p.stem not in _EDGES]
    found = [f"{path.name}:{where}" for path in paths for where in _disk_access(path.read_text("utf-8"))
             if (path.name, where.split(": ", 1)[1]) not in _ALLOWED]
    assert found == []


def test_the_disk_scan_finds_a_direct_read():
    """The scan above can fail: reads and probes are caught in code, not in docstrings or
    comments, and the recorded disk is allowed."""
    sample = ('"""Mentions .read_bytes() in a docstring."""\n# and open() in a comment\n'
              "import subprocess\n"
              "data = (root / rel).read_bytes()\n"
              "ok = os.path.isfile(p)\n"
              "fine = disk(project).is_file(rel)\n"
              "with open(p) as f: pass\n")
    assert _disk_access(sample) == ["3: import subprocess", "4: (root / rel).read_bytes()",
                                    "5: os.path.isfile()", "7: open()"]


def test_codemod_never_imports_the_rules_helpers():
    """Data flows one way: ``codemod`` loads the rule modules (the registry) but never
    imports a rewriter or a helper module of ``rewriters``."""
    import re

    repo = Path(__file__).resolve().parent.parent
    found = [f"{p.name}: {m.group(0)}" for p in sorted((repo / "codemod").glob("*.py"))
             for m in re.finditer(r"^\s*(?:from rewriters\S*|import rewriters\S+)", p.read_text(), re.M)]
    assert found == []
