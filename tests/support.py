"""Test helpers shared by every test module: build projects from strings, run the
engine in memory, check idempotence, and run the TypeScript compiler as the judge."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import shutil
import subprocess
import weakref
from dataclasses import dataclass
from pathlib import Path

import pytest

from codemod import engine
from codemod.model import Edit
from codemod.project import Project
from codemod.rules import Context, Settings, all_rules
from codemod.tsconfig import TsConfig
from rewriters._drizzle import normalised_with_helpers, relations_declarations
from rewriters._objects import object_members

HERE = Path(__file__).parent
NODE_DIR = HERE / "node"
REPO = HERE.parent


def _bench_module(name: str):
    """A module of ``bench/`` (the schema generator), imported once for every test."""
    import importlib
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(REPO / "bench"))


gen_schema = _bench_module("gen_schema")


def freed_without_the_collector(use) -> bool:
    """Is the project ``use()`` builds, uses and returns freed as soon as nothing refers
    to it, with the cycle collector off? A memo value holding its project makes a cycle,
    which the CLI's collector thresholds leave (every pass's snapshot stays alive)."""
    gc.disable()
    try:
        alive = weakref.ref(use())
        return alive() is None
    finally:
        gc.enable()


def record_builds(monkeypatch, what) -> list:
    """For every ``Project.build`` from a previous snapshot for the rest of the test,
    ``what(sources, previous)``, taken before the new snapshot is built."""
    from codemod.project import Project

    calls: list = []
    real = Project.build.__func__

    def build(cls, root, sources, *args, previous=None, **kwargs):
        if previous is not None:
            calls.append(what(sources, previous))
        return real(cls, root, sources, *args, previous=previous, **kwargs)

    monkeypatch.setattr(Project, "build", classmethod(build))
    return calls


def record_calls(monkeypatch, owner, name: str, what=lambda *args: args) -> list:
    """Every call of ``owner.name`` (a module function, or a method: ``self`` is the first
    argument) for the rest of the test, in order, as ``what(*positional arguments)``
    (the arguments themselves by default); the real function still runs."""
    calls: list = []
    real = getattr(owner, name)

    def recording(*args, **kwargs):
        calls.append(what(*args))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (path under ``root`` -> text, as UTF-8, or bytes); ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def encode(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {p: (s if isinstance(s, bytes) else s.encode("utf-8")) for p, s in files.items()}


def run(files: dict[str, str | bytes], *, select: str | None = None, unsafe: bool = False,
        config: TsConfig | None = None, targets=None, root: Path = Path("/project"),
        **options) -> engine.Outcome:
    """Run the engine in memory over ``files``; ``select`` is a code prefix like "SF001";
    other keyword arguments are rule options (``barrel_all=True`` for ``barrel-all``)."""
    sel = frozenset(select.split(",")) if select else None
    return engine.run(root, encode(files), config=config, targets=frozenset(targets) if targets else None,
                      settings=Settings(select=sel, unsafe=unsafe, options=_options(options)))


def _options(kwargs: dict) -> dict:
    return {key.replace("_", "-"): value for key, value in kwargs.items()}


def fixed(files, **kwargs) -> dict[str, str]:
    """The files after the fix, as text; asserts a second run changes nothing."""
    outcome = run(files, **kwargs)
    assert_only_edits_changed(outcome)
    again = run(outcome.final, **kwargs)
    assert again.final == outcome.final, "a second run changed the files again (not idempotent)"
    assert again.fixed == [], f"a second run still fixed: {again.fixed}"
    return {p: d.decode("utf-8") for p, d in outcome.final.items()}


def check_fix(before: dict[str, str], after: dict[str, str], **kwargs) -> engine.Outcome:
    """Assert that fixing ``before`` gives ``after`` (files not named in ``after`` must be
    unchanged), that a second run is a no-op, and that every edited file parses."""
    outcome = run(before, **kwargs)
    result = {p: d.decode("utf-8") for p, d in outcome.final.items()}
    expected = {**{p: (s if isinstance(s, str) else s.decode()) for p, s in before.items()}, **after}
    assert result == expected
    again = run(outcome.final, **kwargs)
    assert again.final == outcome.final, "not idempotent"
    project = Project.build(Path("/project"), outcome.final)
    for path in outcome.changed:
        assert not project.files[path].facts.has_error, f"{path} no longer parses"
    assert_only_edits_changed(outcome)
    return outcome


def check_noop(files: dict[str, str], **kwargs) -> engine.Outcome:
    outcome = run(files, **kwargs)
    assert outcome.final == outcome.original, "expected no change"
    return outcome


def diagnostics(files, **kwargs) -> list:
    """Diagnostics of the first pass only (nothing applied)."""
    sel = frozenset(kwargs.pop("select").split(",")) if kwargs.get("select") else None
    project = Project.build(Path("/project"), encode(files), kwargs.pop("config", None))
    settings = Settings(select=sel, options=_options(kwargs))
    ctx = Context(project, settings)
    # through the engine's collection, so the places rules claim are honoured as in a run
    return engine._collect([r for r in all_rules() if settings.enabled(r.code)], ctx, frozenset(project.files))


def only_edits_changed(before: bytes, after: bytes, edits: list[Edit]) -> bool:
    """True when every byte outside the edited ranges is unchanged."""
    pos_b = pos_a = 0
    for e in sorted(edits):
        gap = e.start - pos_b
        if before[pos_b:e.start] != after[pos_a:pos_a + gap]:
            return False
        pos_a += gap + len(e.content)
        pos_b = e.end
    return before[pos_b:] == after[pos_a:]


def pass_edits(outcome: engine.Outcome) -> list[tuple[dict[str, bytes], dict[str, bytes], dict[str, set[Edit]]]]:
    """Each pass that applied fixes as (sources before, sources after, edits per path).

    ``outcome.fixed_bases`` holds, per fixed diagnostic, the sources its pass started
    from (one shared dict per pass); a pass's result is the next pass's base, or the
    final sources after the last one. Passes whose every fix was reverted changed nothing
    and record nothing."""
    passes: list[tuple[dict[str, bytes], dict[str, set[Edit]]]] = []
    for d, base in zip(outcome.fixed, outcome.fixed_bases):
        if not passes or passes[-1][0] is not base:
            passes.append((base, {}))
        for edit in d.fix.edits:
            passes[-1][1].setdefault(edit.path, set()).add(edit)
        for gone in d.fix.deletions:  # a deleted file: recorded as no edit at all, gone after the pass
            passes[-1][1].setdefault(gone.path, None)
    afters = [base for base, _ in passes[1:]] + [outcome.final]
    return [(base, after, edits) for (base, edits), after in zip(passes, afters)]


def assert_only_edits_changed(outcome: engine.Outcome) -> None:
    """Outside the byte ranges of the applied fixes' edits, every byte of every file is
    unchanged, pass by pass (each pass checked against the sources it started from), and
    a file no applied fix touched is byte-identical. Also: the passes chain up from the
    original sources to the final ones, so no change happens outside a recorded fix."""
    chain = pass_edits(outcome)
    # the original bytes of files that were never sources (build output a fix deleted) are not a pass's
    current = {p: data for p, data in outcome.original.items() if not chain or p in chain[0][0]}
    for base, after, edits in chain:
        assert base == current, "a pass started from sources no recorded fix produced"
        for path in set(base) | set(after):
            if path in edits and edits[path] is None:
                assert path not in after, f"{path} was deleted by a fix, yet is still there"
                continue
            assert path in base and path in after, f"{path} appeared or vanished in a pass"
            if path not in edits:
                assert after[path] == base[path], f"{path} changed, but no applied fix edits it"
            else:
                assert only_edits_changed(base[path], after[path], sorted(edits[path])), \
                    f"{path}: bytes outside the edited ranges changed"
        current = after
    assert current == outcome.final, "the final sources differ from the last pass's result"


# --- golden files ------------------------------------------------------------------

UPDATE_GOLDEN = "SCHEMAFIX_UPDATE_GOLDEN"


def assert_golden(actual: str, golden: Path) -> None:
    """Assert that ``actual`` equals the golden file ``golden`` (bytes, UTF-8).

    With ``SCHEMAFIX_UPDATE_GOLDEN=1`` a differing or missing golden file is rewritten
    and the test still fails, asking for a rerun: an updating run never passes on output
    it has just written, so a changed golden file is always seen (and reviewed) once."""
    expected = golden.read_bytes().decode("utf-8") if golden.is_file() else None
    if actual == expected:
        return
    if os.environ.get(UPDATE_GOLDEN) == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
        pytest.fail(f"golden file {golden} {'updated' if expected is not None else 'created'}: review it "
                    f"(git diff) and rerun the tests without {UPDATE_GOLDEN}", pytrace=False)
    if expected is None:
        pytest.fail(f"golden file {golden} is missing: run the tests once with {UPDATE_GOLDEN}=1 to write it",
                    pytrace=False)
    assert actual == expected, (f"output differs from the golden file {golden}; if the new output is right, "
                                f"rerun with {UPDATE_GOLDEN}=1 and review the change")


# --- the compiler oracle -----------------------------------------------------------

TSC_LINE = re.compile(r"^(?P<file>[^()\n]+)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<msg>.*)$",
                      re.M)


# The test being run, set by tests/conftest.py: node_modules() checks its markers.
CURRENT_TEST: pytest.Item | None = None


def require_slow_marker(what: str) -> None:
    """Fail the running test unless it is marked ``slow``: whatever needs ``what`` must be
    left out by ``pytest -m 'not slow'``, the fast inner loop."""
    item = CURRENT_TEST
    if item is not None and item.get_closest_marker("slow") is None:
        pytest.fail(f"{item.nodeid} needs {what} but is not marked slow: add @pytest.mark.slow "
                    "(or a module-level `pytestmark = pytest.mark.slow`)", pytrace=False)


def node_modules() -> Path:
    """Install the pinned npm packages once (``npm ci``), keyed by the lock file's hash.

    Only for tests marked ``slow`` (any other test fails here, node or not). Skips when
    node/npm are absent locally; in CI (``CI`` set) their absence fails.
    """
    require_slow_marker("node/npm (support.node_modules)")
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("node and npm are required in CI for the compiler oracle tests")
        pytest.skip("node/npm not installed: the compiler oracle tests need them")
    lock = NODE_DIR / "package-lock.json"
    stamp = NODE_DIR / "node_modules" / ".schemafix-lock-sha256"
    want = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not (stamp.is_file() and stamp.read_text() == want):
        proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            pytest.fail(f"npm ci failed:\n{proc.stdout}\n{proc.stderr}")
        stamp.write_text(want)
    return NODE_DIR / "node_modules"


FIXTURES = HERE / "fixtures"
# Fixtures stored as an overlay: only the files that differ from a base project.
OVERLAY_BASE = {FIXTURES / "healthy-example": REPO / "examples" / "broken-schema"}
# Files of the base an overlay does not keep: the example's stale build output (SF012),
# which the hand fix deletes.
OVERLAY_DELETES = {FIXTURES / "healthy-example": ("schema/index.js", "schema/index.d.ts")}


def materialise(src: Path, dest: Path) -> Path:
    """Copy project ``src`` to ``dest``; an overlay fixture is laid over its base."""
    base = OVERLAY_BASE.get(Path(src))
    if base is not None:
        shutil.copytree(base, dest, symlinks=True, ignore=shutil.ignore_patterns("README.md"))
        for rel in OVERLAY_DELETES.get(Path(src), ()):
            (dest / rel).unlink()
    shutil.copytree(src, dest, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("OVERLAY.md"))
    return dest


def fixture_files(name: str) -> dict[str, bytes]:
    """Every .ts file of fixture ``name`` (overlays applied), by root-relative path."""
    root = FIXTURES / name
    files = {}
    for layer in (OVERLAY_BASE.get(root), root):
        if layer is not None:
            files.update({p.relative_to(layer).as_posix(): p.read_bytes() for p in sorted(layer.rglob("*.ts"))})
    for rel in OVERLAY_DELETES.get(root, ()):
        files.pop(rel, None)
    return files


def commit_all(root: Path) -> Path:
    """Make ``root`` a git repository with every file committed (a linked ``node_modules``
    is excluded), as a user's checkout of the example is: its build output is tracked,
    so SF012's unsafe fix may delete it."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root,
                       check=True, capture_output=True, timeout=60)
    git("init", "-q")
    (root / ".git" / "info" / "exclude").write_text("node_modules\n")
    git("add", "-A")
    git("commit", "-qm", "the example as checked out")
    return root


def left_codes(stderr: str) -> set[str]:
    """The codes of the diagnostics a run printed as left (``path:line:col: CODE``)."""
    return set(re.findall(r"^\S+:\d+:\d+: (SF\d+)", stderr, re.M))


def copy_project(src: Path, dest: Path) -> Path:
    """Copy a fixture project (overlays applied) and link the pinned node_modules into it."""
    materialise(src, dest)
    (dest / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    return dest


def tsc(project: Path) -> list[dict]:
    """Run ``tsc --noEmit -p project``; return its errors as dicts (file, line, code, msg)."""
    binary = node_modules() / ".bin" / "tsc"
    proc = subprocess.run([str(binary), "--noEmit", "--pretty", "false", "-p", str(project)], cwd=project,
                          capture_output=True, text=True, timeout=300)
    errors = [m.groupdict() for m in TSC_LINE.finditer(proc.stdout)]
    if proc.returncode != 0 and not errors:
        raise AssertionError(f"tsc failed without parsable errors:\n{proc.stdout}\n{proc.stderr}")
    return errors


def error_codes(errors: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in errors:
        out[e["code"]] = out.get(e["code"], 0) + 1
    return out


def relations_dump(barrel: Path) -> dict:
    """Load a schema barrel under node with drizzle-orm; see tests/node/relations-dump.mjs."""
    node_modules()
    proc = subprocess.run(["node", str(NODE_DIR / "relations-dump.mjs"), str(barrel)], capture_output=True,
                          text=True, timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"relations-dump failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout)


@dataclass(frozen=True)
class RelationProperty:
    table: str
    key: str
    value: str  # normalised, helpers written `@one` / `@many` whatever the callback style


def relation_properties(file, project: Project | None = None) -> list[RelationProperty]:
    """Every property of every relations() object in ``file`` (duplicates included)."""
    out = []
    for decl in relations_declarations(file, project):
        if decl.object is None:
            continue
        for member in object_members(decl.object):
            if member.key is not None:
                value = normalised_with_helpers(member.value, decl.helpers)
                out.append(RelationProperty(decl.table, member.key, value))
    return out


def cache_turned_on(tmp_path_factory, monkeypatch, name: str) -> Path:
    """For a test about the caches: on, in a folder of its own (returned), even when
    the suite runs with SCHEMAFIX_NO_CACHE=1."""
    from codemod import cache

    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    folder = tmp_path_factory.mktemp(name)
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    return folder


# A small project of db/*.ts files for tsc and drizzle (strict, bundler resolution).
DB_TSCONFIG = {"compilerOptions": {"strict": True, "noEmit": True, "target": "ES2022", "module": "ESNext",
                                   "moduleResolution": "Bundler", "skipLibCheck": True}, "include": ["db/*.ts"]}


def db_project_on_disk(root: Path, files: dict[str, str]) -> Path:
    """``files`` written under ``root`` with ``DB_TSCONFIG`` and the pinned node_modules
    linked, for ``tsc`` and ``relations_dump``."""
    write_tree(root, {**files, "tsconfig.json": json.dumps(DB_TSCONFIG)})
    (root / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    return root


def git(*args: str, cwd: Path) -> None:
    """Run git in ``cwd`` with a fixed author and no user configuration."""
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin:/usr/local/bin"})


def git_repo(tmp_path: Path, files: dict[str, str], *, commit: bool = True) -> Path:
    """``files`` (and an empty tsconfig.json) under ``tmp_path/app``, committed to a new
    git repository unless ``commit`` is False."""
    root = tmp_path / "app"
    for name, text in {"tsconfig.json": "{}", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    if commit:
        git("init", "-q", cwd=root)
        git("add", ".", cwd=root)
        git("commit", "-qm", "init", cwd=root)
    return root


# One pg table module, `TABLE.format(name)`: the smallest schema file a test needs.
TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"


def cli_run(*args: str):
    """The CLI through click's runner (exceptions propagate)."""
    from click.testing import CliRunner

    from codemod import cli

    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def json_diagnostics(root: Path, *args: str) -> list[dict]:
    """The diagnostics of `schemafix --format json [ARGS] ROOT`."""
    outcome = cli_run("--format", "json", *args, str(root))
    return json.loads(outcome.stdout[outcome.stdout.index("{"):])["diagnostics"]
