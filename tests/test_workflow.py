"""Workflow: configuration files and precedence, machine output formats (golden files,
SARIF schema), progress output, and the real pre-commit hook."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import REPO, assert_golden, node_modules
from support import write_tree as make

from codemod import __version__
from codemod.cli import main
from codemod.config import ConfigError, effective, find
from codemod.progress import Progress

GOLDEN = Path(__file__).parent / "golden"
DEMO = Path(__file__).parent / "fixtures" / "format-demo"


def invoke(*args, cwd: Path | None = None):
    runner = CliRunner()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def demo(tmp_path) -> Path:
    dest = tmp_path / "demo"
    shutil.copytree(DEMO, dest)
    return dest


# --- configuration ---------------------------------------------------------------------


BROKEN = {"src/right.ts": "export const a = 1;\n", "src/main.ts": "import { a } from './wrong';\nexport const b = a;\n"}


@pytest.mark.parametrize("name", [".schemafix.toml", "schemafix.toml"])
def test_config_file_select_is_used(tmp_path, name):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}", name: 'select = ["SF002"]\n'})
    result = invoke(str(tmp_path), "--check")
    assert result.exit_code == 0, result.output  # SF001 is not selected by the file
    assert "Nothing to fix" in result.stderr


def test_pyproject_tool_table_is_used(tmp_path):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}", "pyproject.toml": "[tool.schemafix]\nignore = ['SF001']\n"})
    assert invoke(str(tmp_path), "--check").exit_code == 0


def test_pyproject_without_tool_table_is_not_a_config(tmp_path):
    make(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n"})
    (tmp_path / ".git").mkdir()
    assert find(tmp_path) is None


def test_command_line_overrides_the_file(tmp_path):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}", "schemafix.toml": 'select = ["SF002"]\n'})
    result = invoke(str(tmp_path), "--check", "--select", "SF001")
    assert result.exit_code == 1
    assert "SF001" in result.stderr


def test_effective_config_names_each_source(tmp_path):
    make(tmp_path, {"schemafix.toml": 'unsafe = true\nexclude = ["legacy"]\n'})
    merged, path = effective({"exclude": ("old",), "unsafe": None}, tmp_path)
    assert path == tmp_path / "schemafix.toml"
    assert merged["unsafe"].value is True and merged["unsafe"].source == str(path)
    assert merged["exclude"].value == ["old"] and merged["exclude"].source == "command line"
    assert merged["select"].source == "default"


def test_config_command_prints_values_and_sources(tmp_path):
    make(tmp_path, {"schemafix.toml": 'barrel-all = true\n'})
    result = invoke("config", str(tmp_path))
    assert result.exit_code == 0
    assert f"barrel-all = true  # {tmp_path / 'schemafix.toml'}" in result.stdout
    assert "unsafe = false  # default" in result.stdout


@pytest.mark.parametrize(("text", "needle"), [
    ("selekt = ['SF001']\n", "unknown key 'selekt'"),
    ("barrel_all = true\n", "unknown key 'barrel_all' (did you mean 'barrel-all'?)"),
    ("unsafe = 'yes'\n", "'unsafe' must be bool"),
    ("extension = '.mjs'\n", "'extension' must be one of"),
    ("select = [\n", "malformed TOML"),
])
def test_bad_config_is_a_one_line_error_with_exit_2(tmp_path, text, needle):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}", "schemafix.toml": text})
    result = invoke(str(tmp_path))
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_key_in_effective_raises(tmp_path):
    make(tmp_path, {"schemafix.toml": "colour = 'red'\n"})
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        effective({}, tmp_path)


def test_include_limits_what_is_edited(tmp_path):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}", "other/x.ts": "import { a } from '../src/wrong';\nuse(a);\n"})
    result = invoke(str(tmp_path), "--include", "other/")
    assert "+++ b/other/x.ts" in result.stdout
    assert "src/main.ts" not in result.stdout


def test_exclude_pattern_leaves_files_out(tmp_path):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}"})
    result = invoke(str(tmp_path), "--exclude", "main.ts", "--check")
    assert result.exit_code == 0


def test_extension_setting_forces_style(tmp_path):
    make(tmp_path, {**BROKEN, "tsconfig.json": "{}"})
    result = invoke(str(tmp_path), "--extension", ".js")
    assert "+import { a } from './right.js';" in result.stdout


def test_single_file_arguments_also_edit_the_barrel_above(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "src/index.ts": "export * from './gone';\n",
                    "src/gone-file.ts": "export const g = 1;\n", "src/x.ts": "export const x = 1;\n"})
    result = invoke(str(tmp_path / "src" / "x.ts"), "--select", "SF001")
    assert "src/index.ts" in result.stderr  # reported although only x.ts was passed


# --- output formats -------------------------------------------------------------------


def normalise(text: str, root: Path) -> str:
    text = text.replace(root.resolve().as_uri(), "file:///ROOT").replace(str(root.resolve()), "ROOT")
    return text.replace(f'"{__version__}"', '"VERSION"')


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_format_matches_golden_file(demo, fmt):
    result = invoke("--format", fmt, "--color", "never", ".", cwd=demo)
    assert result.exit_code == 1
    out = result.stdout + ("" if fmt in ("json", "sarif") else "--- stderr ---\n" + result.stderr)
    out = normalise(out, demo)
    assert_golden(out, GOLDEN / f"format-demo.{fmt}")


def test_json_is_stable_and_has_fix_diffs(demo):
    first = invoke("--format", "json", ".", cwd=demo).stdout
    assert first == invoke("--format", "json", ".", cwd=demo).stdout
    doc = json.loads(first)
    fixed = [d for d in doc["diagnostics"] if d["fixable"]]
    assert fixed and all(d["fix"]["diff"]["src/main.ts"].startswith("--- a/src/main.ts") for d in fixed)
    assert not any(d["fixed"] for d in doc["diagnostics"])  # a dry run
    remaining = [d for d in doc["diagnostics"] if not d["fixable"]]
    assert [d["message"] for d in remaining] == ["comments is exported by no module; kept where it is"]


@pytest.mark.slow  # the SARIF schema comes from node_modules (npm ci)
def test_sarif_validates_against_the_sarif_2_1_0_schema(demo):
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = node_modules() / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"
    schema = json.loads(schema_file.read_text())
    doc = json.loads(invoke("--format", "sarif", ".", cwd=demo).stdout)
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"SF001"}
    with_fix = [r for r in run["results"] if "fixes" in r]
    assert with_fix and with_fix[0]["fixes"][0]["artifactChanges"][0]["replacements"]


def test_github_annotations_escape_newlines_and_commas(tmp_path):
    from codemod.formats import _escape_data, _escape_property

    assert _escape_data("a\nb%") == "a%0Ab%25"
    assert _escape_property("x,y:z") == "x%2Cy%3Az"


# --- progress ---------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_after_the_delay():
    stream = FakeTTY()
    progress = Progress(stream, enabled=True, delay=0)
    progress(5, 10)
    progress.close()
    assert "5/10 files" in stream.getvalue()


@pytest.mark.parametrize("stream,enabled", [(io.StringIO(), True), (FakeTTY(), False)])
def test_progress_absent_when_piped_or_disabled(stream, enabled):
    progress = Progress(stream, enabled=enabled, delay=0)
    progress(5, 10)
    assert stream.getvalue() == ""


def test_cli_prints_no_progress_when_not_a_terminal(demo):
    result = invoke(".", cwd=demo)
    assert "files" not in result.stderr.split("\n")[0] and "\r" not in result.stderr


# --- pre-commit --------------------------------------------------------------------------


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@e"})


@pytest.mark.slow  # runs the real pre-commit (git, a virtualenv)
def test_real_pre_commit_hook_fixes_then_passes(tmp_path):
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.fail("pre-commit is a test dependency: pip install -e '.[test]'")
    repo = make(tmp_path / "app", {**BROKEN, "tsconfig.json": "{}"})
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def hook():
        return subprocess.run([pre_commit, "try-repo", str(REPO), "schemafix", "--all-files"], cwd=repo,
                              capture_output=True, text=True, env=env, timeout=900)

    first = hook()
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "src/main.ts").read_text() == "import { a } from './right';\nexport const b = a;\n"
    git("add", ".", cwd=repo)
    second = hook()
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"schemafix \(fix\)\.+Passed", second.stdout)


@pytest.mark.parametrize("how", ["gitignore-file", "gitignore-folder", "exclude"])
def test_imports_of_files_left_out_on_purpose_are_not_repaired(tmp_path, how):
    """A .gitignore'd or --exclude'd file still exists for TypeScript: an import of it is
    healthy, and must not be "repaired" to another module exporting the same name."""
    files = {"tsconfig.json": "{}", "schema/generated/audit.ts": "export const auditLog = 1;\n",
             "schema/legacy/audit.ts": "export const auditLog = 2;\n",
             "schema/relations.ts": "import { auditLog } from './generated/audit';\nexport const r = auditLog;\n"}
    args = []
    if how == "gitignore-file":
        files[".gitignore"] = "schema/generated/audit.ts\n"
    elif how == "gitignore-folder":
        files[".gitignore"] = "generated/\n"
    else:
        args = ["--exclude", "generated"]
    make(tmp_path, files)
    result = invoke(str(tmp_path), "--check", *args)
    assert result.exit_code == 0, result.stderr
    assert "Nothing to fix" in result.stderr


def test_files_outside_the_tsconfig_program_do_not_join_the_analysis(tmp_path):
    """drizzle-kit output (drizzle/relations.ts) outside `include` must not make SF006
    report a second definition, and an import of it is not called broken."""
    rel = ("import { relations } from 'drizzle-orm';\nimport { posts } from './posts';\n"
           "export const postsRelations = relations(posts, () => ({}));\n")
    make(tmp_path, {"tsconfig.json": '{"include": ["src"]}', "src/posts.ts": "export const posts = 1;\n",
                    "src/relations.ts": rel, "drizzle/posts.ts": "export const posts = 1;\n",
                    "drizzle/relations.ts": rel,
                    "src/seed.ts": "import { postsRelations } from '../drizzle/relations';\nexport const s = postsRelations;\n"})
    result = invoke(str(tmp_path), "--check")
    assert result.exit_code == 0, result.stderr


def monorepo(tmp_path: Path) -> Path:
    pkg = {"tsconfig.json": "{}", "schema/right.ts": "export const a = 1;\n",
           "schema/x.ts": "import { a } from './wrong';\nexport const b = a;\n"}
    return make(tmp_path, {f"packages/{p}/{rel}": text for p in ("a", "b") for rel, text in pkg.items()})


def test_paths_from_two_projects_are_fixed_per_project(tmp_path):
    """pre-commit passes every staged file of a monorepo in one call."""
    root = monorepo(tmp_path)
    result = invoke("--apply", "packages/a/schema/x.ts", "packages/b/schema/x.ts", cwd=root)
    assert result.exit_code == 0, result.stderr
    for p in ("a", "b"):
        assert (root / f"packages/{p}/schema/x.ts").read_text().startswith("import { a } from './right';")
        assert f"schemafix: project {root / 'packages' / p}" in result.stderr


def test_json_and_sarif_of_two_projects_are_one_document(tmp_path):
    """A solution-style tsconfig (Vite's app + node) or a monorepo's packages: one JSON
    document holding each project's, one SARIF run per project (it was exit 2, "one
    project at a time", so no CI could read a Vite app's results)."""
    root = monorepo(tmp_path)
    args = ("packages/a/schema/x.ts", "packages/b/schema/x.ts")
    result = invoke("--format", "json", *args, cwd=root)
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc) == ["schemafix", "mode", "projects", "exit_code"] and doc["exit_code"] == 1
    assert [p["project"] for p in doc["projects"]] == ["packages/a", "packages/b"]
    for part, name in zip(doc["projects"], "ab"):
        [d] = [d for d in part["diagnostics"] if d["code"] == "SF001"]
        assert d["path"] == f"packages/{name}/schema/x.ts" and d["fixable"], d
        assert part["summary"]["exit_code"] == 1
    alone = json.loads(invoke("--format", "json", args[0], cwd=root).stdout)
    assert "project" not in alone and set(alone) == set(doc["projects"][0]) - {"project"}  # one project: as before
    sarif = invoke("--format", "sarif", *args, cwd=root)
    runs = json.loads(sarif.stdout)["runs"]
    assert [r["automationDetails"]["id"] for r in runs] == ["schemafix/packages/a", "schemafix/packages/b"]
    assert all(any(x["ruleId"] == "SF001" for x in r["results"]) for r in runs)


def test_a_project_that_cannot_be_read_still_ends_the_document(tmp_path):
    root = monorepo(tmp_path)
    (root / "packages/b/tsconfig.json").write_text('{ "compilerOptions": {')
    for fmt, parts in (("json", "projects"), ("sarif", "runs")):
        result = invoke("--format", fmt, "packages/a/schema/x.ts", "packages/b/schema/x.ts", cwd=root)
        assert result.exit_code == 2 and "malformed tsconfig" in result.stderr
        doc = json.loads(result.stdout)  # whole: the parts written before the error, closed
        assert len(doc[parts]) == 1 and doc.get("exit_code", 2) == 2


def test_progress_covers_analysis_and_each_rule_pass(demo, monkeypatch):
    """Not only parsing: the export map ("analysing") and each pass of the rules show."""
    import codemod.cli as cli_mod

    stream = FakeTTY()
    monkeypatch.setattr(cli_mod, "Progress", lambda _s, enabled: Progress(stream, enabled=enabled, delay=0))
    monkeypatch.setattr(cli_mod.sys, "stderr", stream)
    invoke(".", cwd=demo)
    shown = stream.getvalue()
    assert "parsing" in shown or "analysing" in shown
    assert "analysing  [" in shown and "pass 1     [" in shown and "rules (SF001 broken-import)" in shown
    assert "pass 2" in shown  # the fixes applied in pass 1 are checked again
