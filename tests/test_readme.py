"""The README says what the code does: its module map, its rules table, its Usage commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import commit_all

REPO = Path(__file__).resolve().parent.parent


def test_module_map_matches_the_code():
    text = (REPO / "README.md").read_text()
    section = text[text.index("## How it works"):text.index("## Known limitations")]
    listed = set(re.findall(r"^\| `((?:codemod|rewriters)/[\w/]+\.py)` \|", section, re.M))
    actual = {p.relative_to(REPO).as_posix() for pkg in ("codemod", "rewriters") for p in (REPO / pkg).glob("*.py")
              if p.name != "__init__.py"}
    assert listed == actual, f"missing from the README: {sorted(actual - listed)}; gone: {sorted(listed - actual)}"


def test_rules_table_matches_schemafix_rules():
    """Every registered rule is in the README's table with its name and fix kind, and the
    table names no other rule."""
    from codemod.rules import all_rules

    text = (REPO / "README.md").read_text()
    section = text[text.index("## What it fixes"):text.index("## Usage")]
    rows = {m[0]: (m[1], m[2]) for m in re.findall(r"^\| (SF\d{3}) \| ([\w-]+) \| ([\w /-]+?) \|", section, re.M)}
    want = {r.code: (r.name, str(r.fix) if r.fix is not None else "report") for r in all_rules()}
    assert rows == want


@pytest.mark.slow
def test_the_usage_commands_exit_as_the_readme_says(tmp_path, monkeypatch):
    """Each command of the README's Usage block, run on a copy of the bundled example from
    the folder that holds it (as the README's patch example is)."""
    import shutil
    import subprocess

    from click.testing import CliRunner

    from codemod import cli

    text = (REPO / "README.md").read_text()
    usage = text[text.index("## Usage"):text.index("### Exit codes")]
    shown = set(re.findall(r"^schemafix (\w+)", usage, re.M)) | set(re.findall(r"^schemafix (--\w+)", usage, re.M))
    assert {"rules", "exports", "explain", "config", "rename", "clean", "--apply", "--check"} <= shown
    shutil.copytree(REPO / "examples" / "broken-schema", tmp_path / "examples" / "broken-schema")
    commit_all(tmp_path)  # as in a clone: the example's stale build output is tracked
    monkeypatch.chdir(tmp_path)
    ex = "examples/broken-schema"

    def run(*args):
        return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)

    assert run("rules").exit_code == 0
    assert run("clean", ex).exit_code == 0
    assert run("exports", ex).exit_code == 0
    assert run("explain", f"{ex}/schema/trade/relations.ts").exit_code == 0
    assert run("config", ex).exit_code == 0
    assert run("--check", ex).exit_code == 1  # fixes pending
    dry = run(ex)
    assert dry.exit_code == 1 and dry.stdout
    (tmp_path / "fix.patch").write_text(dry.stdout)
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)  # the README's patch example
    check = run("--check", ex)  # the patch was the whole safe fix; the stale build output's deletion is unsafe
    assert check.exit_code == 1 and "Nothing to fix; 1 more with --unsafe; 1 note." in check.stderr
    (tmp_path / "fix.patch").write_text(run("--unsafe", ex).stdout)
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True)
    assert run("--check", "--unsafe", ex).exit_code == 0  # and that patch deleted it


def test_the_version_is_pyproject_s():
    """``codemod.__version__`` is a literal (no importlib.metadata at start-up): it must
    say what pyproject.toml says, and the CHANGELOG has a section for it."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from codemod import __version__

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert __version__ == project["version"]
    assert f"\n## {__version__} — " in (REPO / "CHANGELOG.md").read_text()
