"""The warm cache (codemod/cache.py): a run whose inputs are all unchanged reuses the
last outcome; any changed input (a source's bytes, schemafix's code, the settings, an
answer the disk gave) is a miss; a damaged entry is a miss, never an error."""

from __future__ import annotations

import os
import pickle
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemod import cache, cli, disk, engine
from support import cache_turned_on, record_calls
from support import write_tree as make

BROKEN = "import { a } from './wrong';\nexport const b = a;\n"
FIXED = "import { a } from './right';\nexport const b = a;\n"


@pytest.fixture(autouse=True)
def cache_on(tmp_path_factory, monkeypatch):
    return cache_turned_on(tmp_path_factory, monkeypatch, "cache-under-test")


@pytest.fixture
def project(tmp_path) -> Path:
    return make(tmp_path / "proj", {"tsconfig.json": "{}", "right.ts": "export const a = 1;\n", "main.ts": BROKEN})


@pytest.fixture
def runs(monkeypatch) -> list:
    """The engine runs made (a cache hit makes none)."""
    made = []
    real = engine.run

    def counting(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run", counting)
    return made


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli.main, list(args), env=env, catch_exceptions=False)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("run-*")) if folder.is_dir() else []


def test_a_warm_run_reuses_the_outcome_and_prints_the_same(project, runs):
    cold = invoke(str(project))
    warm = invoke(str(project))
    assert len(runs) == 1  # the second run did not analyse
    assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert "+import { a } from './right';" in warm.stdout


def test_cache_files_are_written_as_header_then_payload_without_joining_them(project, runs, monkeypatch):
    """Every cache file (the run entry, the facts' shards, the kept values) is handed to
    ``write_atomic`` as its header and its pickle, written one after the other: joining
    them copied the payload, 134 MB for the run entry at 99,373 files, at the end of the
    run. Each file holds the two parts, and the next run is a hit that prints the same."""
    from codemod import facts_cache, writes

    written = []
    real = writes.write_atomic

    def recording(path, data, **kwargs):
        real(path, data, **kwargs)
        written.append((Path(path).name, type(data) is tuple and Path(path).read_bytes() == b"".join(data)))

    monkeypatch.setattr(cache, "write_atomic", recording)
    monkeypatch.setattr(facts_cache, "write_atomic", recording)
    cold = invoke(str(project))
    assert any(name.startswith("run-") for name, _ in written) and len(written) >= 3
    assert all(in_parts for _, in_parts in written), written
    warm = invoke(str(project))
    assert len(runs) == 1 and (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)


def test_apply_from_a_warm_entry_writes_the_fix_then_the_next_run_is_a_miss(project, runs):
    assert invoke("--check", str(project)).exit_code == 1
    assert invoke("--apply", str(project)).exit_code == 0
    assert len(runs) == 1  # --apply used the dry run's entry
    assert (project / "main.ts").read_text() == FIXED
    again = invoke(str(project))
    assert again.exit_code == 0 and "Nothing to fix" in again.stderr
    assert len(runs) == 2  # new bytes: analysed again


def test_same_path_new_content_is_never_served_from_the_cache(project, runs):
    assert invoke(str(project)).exit_code == 1
    (project / "main.ts").write_text(FIXED)  # same path, same size class, new bytes
    result = invoke(str(project))
    assert result.exit_code == 0, result.output
    assert len(runs) == 2


def test_a_new_schemafix_version_or_changed_code_is_a_miss(project, runs, monkeypatch):
    invoke(str(project))
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    invoke(str(project))
    assert len(runs) == 2
    real = cache.code_identity
    monkeypatch.setattr(cache, "code_identity", lambda: real() + [["codemod/engine.py", 1, 2]])
    invoke(str(project))
    assert len(runs) == 3


def test_settings_and_targets_key_the_entry(project, runs):
    invoke(str(project))
    invoke("--select", "SF002", str(project))
    invoke("--unsafe", str(project))
    invoke(str(project / "right.ts"))
    assert len(runs) == 4
    invoke("--select", "SF002", str(project))
    assert len(runs) == 4  # its own entry, still there


def test_a_changed_answer_from_the_disk_is_a_miss(tmp_path, runs):
    """`./legacy` is not a source, but legacy.js exists on disk: the import is not broken.
    The run asked the disk; once legacy.js is gone the cached "nothing to fix" is wrong."""
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "legacy.js": "export const a = 1;\n",
                                    "main.ts": "import { a } from './legacy';\nexport const b = a;\n"})
    assert invoke(str(root)).exit_code == 0
    assert invoke(str(root)).exit_code == 0
    assert len(runs) == 1
    (root / "legacy.js").unlink()
    result = invoke(str(root))
    assert len(runs) == 2
    assert result.exit_code == 1 and "SF001" in result.stderr


def test_a_staged_git_rename_is_a_disk_answer_too(tmp_path, runs):
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "user.ts": "export const user = 1;\n",
                                    "main.ts": "import { user } from './user';\nexport const b = user;\n"})
    git = lambda *a: subprocess.run(["git", *a], cwd=root, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "init", "--allow-empty")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "files")
    git("mv", "user.ts", "account.ts")
    first = invoke(str(root))
    assert "from './account'" in first.stdout  # the staged rename is the evidence
    git("reset", "-q", "HEAD", "--", "user.ts", "account.ts")
    second = invoke(str(root))
    assert len(runs) == 2  # git's answer changed: not served from the cache
    assert first.stdout != second.stdout or first.stderr != second.stderr


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "magic", "no-checksum-line",
                                    "checksum-only", "flip-checksum"])
def test_a_damaged_entry_is_a_miss_and_is_replaced(project, runs, damage):
    invoke(str(project))
    folder = Path(os.environ[cache.ENV_DIR])
    (entry,) = entries(folder)
    data = entry.read_bytes()
    damaged = {"truncate": data[:len(data) // 2],
               "flip": data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:],
               "garbage": os.urandom(200), "empty": b"",
               "magic": b"schemafix-cache 0\n" + data[len(cache.MAGIC):],
               "no-checksum-line": cache.MAGIC + b"0" * 64,
               "checksum-only": data[:len(cache.MAGIC) + 65],
               "flip-checksum": data[:len(cache.MAGIC)] + bytes([data[len(cache.MAGIC)] ^ 1])
               + data[len(cache.MAGIC) + 1:]}[damage]
    entry.write_bytes(damaged)
    result = invoke(str(project))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(runs) == 2
    assert entry.read_bytes() != damaged
    assert invoke(str(project)).output == result.output and len(runs) == 2  # rewritten whole: the next run uses it


def test_an_entry_that_names_anything_but_schemafix_values_is_never_loaded(project, runs, tmp_path):
    """A checksummed entry whose pickle names another callable (a way to run code) is a
    miss: only schemafix's own value types are rebuilt."""
    invoke(str(project))
    folder = Path(os.environ[cache.ENV_DIR])
    (entry,) = entries(folder)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps({"key": "x", "answers": [], "outcome": Evil()})
    import hashlib
    entry.write_bytes(cache.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    assert invoke(str(project)).exit_code == 1
    assert not marker.exists()
    assert len(runs) == 2


def test_no_cache_flag_and_environment_bypass_it(project, runs):
    folder = Path(os.environ[cache.ENV_DIR])
    invoke("--no-cache", str(project))
    invoke("--no-cache", str(project))
    assert len(runs) == 2 and entries(folder) == []
    invoke(str(project), env={cache.ENV_OFF: "1"})
    invoke(str(project), env={cache.ENV_OFF: "1"})
    assert len(runs) == 4 and entries(folder) == []


def test_default_location_is_the_project_root_and_a_dry_run_writes_nothing_else(project, runs, monkeypatch):
    monkeypatch.delenv(cache.ENV_DIR)
    before = {p for p in project.rglob("*")}
    invoke(str(project))
    invoke(str(project))
    assert len(runs) == 1
    written = {p.relative_to(project).as_posix() for p in project.rglob("*")} - \
        {p.relative_to(project).as_posix() for p in before}
    assert {w.split("/")[0] for w in written} == {cache.FOLDER}
    assert (project / cache.FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"  # git ignores it
    assert (project / cache.FOLDER / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172")


def test_cache_dir_option_wins(project, runs, tmp_path):
    chosen = tmp_path / "elsewhere"
    invoke("--cache-dir", str(chosen), str(project))
    invoke("--cache-dir", str(chosen), str(project))
    assert len(runs) == 1 and len(entries(chosen)) == 1


def test_an_unwritable_cache_folder_does_not_fail_the_run(project, runs, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    result = invoke("--cache-dir", str(blocker / "sub"), str(project))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "+import { a } from './right';" in result.stdout


def test_an_empty_project_writes_no_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_DIR)
    empty = tmp_path / "empty"
    empty.mkdir()
    invoke(str(empty))
    assert os.listdir(empty) == []


def test_concurrent_writers_leave_a_whole_entry(project, tmp_path):
    """Runs storing the same slot at once: every reader sees a whole entry (atomic
    replace), and no temp file is left behind."""
    folder = tmp_path / "c"
    store = cache.RunCache(folder)
    sources = {"main.ts": b"x"}
    outcome = engine.Outcome(dict(sources), {"main.ts": b"y"})
    errors = []

    def write(i: int):
        try:
            for _ in range(20):
                assert store.store("run-slot", "key", outcome, {("file", f"nothing-{i}.js"): False}, sources)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for _ in range(50):
        got = store.load("run-slot", "key", sources, disk.Disk(tmp_path))
        assert got is None or got.final == {"main.ts": b"y"}
    for t in threads:
        t.join()
    assert not errors
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "CACHEDIR.TAG", "run-slot"]
    assert store.load("run-slot", "key", sources, disk.Disk(tmp_path)).final == {"main.ts": b"y"}


def test_old_entries_are_pruned(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    outcome = engine.Outcome({}, {})
    for i in range(cache.KEEP + 5):
        store.store(f"run-{i:03}", "k", outcome, {}, {})
        os.utime(store.path / f"run-{i:03}", (i, i))
    assert len(entries(store.path)) == cache.KEEP
    assert not (store.path / "run-000").exists()


def test_an_outcome_round_trips_with_deltas(tmp_path):
    """Only what differs from the sources is stored; the outcome comes back equal."""
    from codemod.model import Diagnostic, Edit, Fix
    sources = {"a.ts": b"1", "b.ts": b"2", "c.ts": b"3"}
    base = dict(sources)
    fix = Fix("t", (Edit("a.ts", 0, 1, b"9"),))
    d = Diagnostic("SF001", "a.ts", 1, 1, "m", fix)
    outcome = engine.Outcome(dict(sources), {"a.ts": b"9", "b.ts": b"2"}, fixed=[d], fixed_bases=[base],
                             remaining=[], passes=2)
    store = cache.RunCache(tmp_path / "c")
    assert store.store("run-x", "k", outcome, {}, sources)
    assert b"2" not in pickle.loads((store.path / "run-x").read_bytes().split(b"\n", 2)[2])["outcome"]["final"][0].values()
    got = store.load("run-x", "k", sources, disk.Disk(tmp_path))
    assert got.final == outcome.final and got.fixed == [d] and got.fixed_bases == [base] and got.passes == 2
    assert "c.ts" not in got.final and got.original == sources


def test_disk_answers_are_asked_once_and_checked_afresh(tmp_path):
    (tmp_path / "x.js").write_text("")
    seen = disk.Disk(tmp_path)
    assert seen.is_file("x.js") and not seen.is_file("y.js")
    recorded = list(seen.answers.items())
    assert seen.still_true(recorded)
    (tmp_path / "y.js").write_text("")
    assert seen.is_file("y.js") is False  # asked once per run
    assert not disk.Disk(tmp_path).still_true(recorded)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                   capture_output=True)


def test_build_output_that_appears_after_a_cached_run_is_found(tmp_path, runs):
    """SF012 asks the disk whether x.js exists beside x.ts: a cached "nothing" must not
    hide a build that ran since."""
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "x.ts": "export const x = 1;\n"})
    assert invoke(str(root)).exit_code == 0
    (root / "x.js").write_text("export const x = 1;\n")
    result = invoke(str(root))
    assert len(runs) == 2
    assert "SF012" in result.stderr


def test_a_cached_deletion_is_shown_again_and_a_changed_git_state_is_a_miss(tmp_path, runs):
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "x.ts": "export const x = 1;\n",
                                    "x.js": "export const x = 1;\n"})
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "init")
    cold = invoke("--unsafe", str(root))
    warm = invoke("--unsafe", str(root))
    assert len(runs) == 1
    assert "deleted file mode" in cold.stdout and (warm.stdout, warm.stderr) == (cold.stdout, cold.stderr)
    (root / "x.js").write_text("export const x = 2;\n")  # tracked, now with uncommitted changes
    changed = invoke("--unsafe", str(root))
    assert len(runs) == 2
    assert "deleted file mode" not in changed.stdout
    applied = invoke("--unsafe", "--apply", str(root))  # from the entry the last run stored
    assert len(runs) == 2 and applied.exit_code == 1
    assert (root / "x.js").exists()


@pytest.mark.slow
def test_the_key_is_the_same_in_another_process(project, tmp_path):
    """Sets and dicts iterate in a per-process order (string hashing is randomised): the
    second process, with another hash seed, must find the first one's entry (a hit
    stores nothing, so the entry is left as it was)."""
    import sys
    folder = tmp_path / "shared-cache"
    env = {**os.environ, cache.ENV_DIR: str(folder)}
    env.pop(cache.ENV_OFF, None)
    command = [sys.executable, "-m", "codemod.cli", "--check", "--select", "SF001,SF005", str(project)]
    first = subprocess.run(command, env={**env, "PYTHONHASHSEED": "1"}, capture_output=True, text=True)
    (entry,) = entries(folder)
    before = entry.stat().st_mtime_ns
    os.utime(entry, ns=(before - 10**9, before - 10**9))  # a rewrite would show
    second = subprocess.run(command, env={**env, "PYTHONHASHSEED": "2"}, capture_output=True, text=True)
    assert (second.returncode, second.stderr) == (first.returncode, first.stderr) and first.returncode == 1
    assert entries(folder) == [entry] and entry.stat().st_mtime_ns == before - 10**9


def test_a_checksummed_entry_with_an_unknown_disk_question_is_a_miss(project, runs):
    """The checksum catches damage, not intent: an entry rewritten with a valid checksum
    and a question schemafix never asks is a miss, not a crash."""
    import hashlib
    invoke(str(project))
    (entry,) = entries(Path(os.environ[cache.ENV_DIR]))
    loaded = cache._read(entry.read_bytes())
    loaded["answers"] = [(("no-such-question", "x"), True)]
    payload = pickle.dumps(loaded)
    entry.write_bytes(cache.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    result = invoke(str(project))
    assert result.exit_code == 1 and "Traceback" not in result.output and len(runs) == 2


def test_an_outcome_that_does_not_pickle_leaves_no_entry(tmp_path):
    store = cache.RunCache(tmp_path / "c")
    outcome = engine.Outcome({"a.ts": b"1"}, {"a.ts": b"2"}, remaining=[lambda: None])  # not picklable
    assert store.store("run-x", "k", outcome, {}, {"a.ts": b"1"}) is False
    assert not (tmp_path / "c" / "run-x").exists()


def test_clean_empties_every_cache_below_and_only_schemafix_files(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_DIR)
    a = make(tmp_path / "mono" / "a", {"tsconfig.json": "{}", "main.ts": BROKEN, "right.ts": "export const a = 1;\n"})
    b = make(tmp_path / "mono" / "b", {"tsconfig.json": "{}", "main.ts": BROKEN, "right.ts": "export const a = 1;\n"})
    invoke(str(a))
    invoke(str(b))
    (b / cache.FOLDER / "notes.txt").write_text("mine")  # not schemafix's: stays, and so does its folder
    result = CliRunner().invoke(cli.main, ["clean", str(tmp_path / "mono")], catch_exceptions=False)
    assert result.exit_code == 0
    assert not (a / cache.FOLDER).exists()
    assert sorted(p.name for p in (b / cache.FOLDER).iterdir()) == ["notes.txt"]
    assert (a / "main.ts").read_text() == BROKEN and (a / "right.ts").exists()  # sources untouched
    assert sorted(result.stdout.splitlines()) == sorted(f"removed {p / cache.FOLDER}" for p in (a, b))


def test_clean_leaves_a_shared_cache_dir_holding_other_files(tmp_path, monkeypatch, project):
    """--cache-dir / SCHEMAFIX_CACHE_DIR may name a folder with other things in it: only
    schemafix's entries, tag and .gitignore go."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "other-tool.db").write_text("keep")
    monkeypatch.setenv(cache.ENV_DIR, str(shared))
    invoke(str(project))
    assert entries(shared)
    result = CliRunner().invoke(cli.main, ["clean", str(project)], catch_exceptions=False)
    assert result.exit_code == 0 and f"removed {shared}" in result.stdout
    assert sorted(p.name for p in shared.iterdir()) == ["other-tool.db"]


def test_clean_without_a_cache_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_DIR)
    result = CliRunner().invoke(cli.main, ["clean", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0 and "no cache folder found" in result.stderr


def test_an_input_the_key_cannot_hold_runs_without_the_cache(project, runs, monkeypatch):
    def unkeyable(**_):
        raise TypeError("cannot key the cache on a thing")

    monkeypatch.setattr(cache, "run_key", unkeyable)
    result = invoke(str(project))
    assert result.exit_code == 1 and "Traceback" not in result.output and len(runs) == 1
    assert entries(Path(os.environ[cache.ENV_DIR])) == []


def test_the_key_of_a_map_does_not_depend_on_its_order():
    """Each file's hash is a map of text to text: keyed by path whatever order discovery
    met the files in."""
    import json

    hashes = {"b.ts": "2" * 64, "a.ts": "1" * 64, "é/ü.ts": "3" * 64, "A.ts": "", "a/b.ts": "x"}
    assert cache._canonical(hashes) == cache._canonical(dict(sorted(hashes.items())))
    assert cache.digest({"hashes": hashes}) == cache.digest({"hashes": dict(reversed(list(hashes.items())))})
    mixed = {"a.ts": "1", "b.ts": 2}
    assert json.dumps(cache._canonical(mixed)) == '[["a.ts", "1"], ["b.ts", 2]]'


def test_the_caches_are_written_without_fsync_and_the_sources_with_it(project, monkeypatch):
    """A cache file is written atomically but not fsync'ed (after a power loss a file the
    disk did not keep whole fails its checksum and is a miss); a fixed source is both."""
    from codemod import writes

    synced = record_calls(monkeypatch, writes.os, "fsync", lambda fd: fd)
    assert invoke("--check", str(project)).exit_code == 1
    assert entries(Path(os.environ[cache.ENV_DIR])) and synced == []
    assert invoke("--apply", str(project)).exit_code == 0
    assert (project / "main.ts").read_text() == FIXED and len(synced) >= 2  # the file, then its folder


def test_the_key_of_many_strings_is_hashed_whole_and_tells_them_apart():
    """The files' hashes and a whole run's targets (19,813 strings each) are keyed by one
    hash of their text, joined by NULs: the key changes with any path or hash, not with
    their order; a string holding a NUL (which would make the joined text ambiguous) is
    keyed as JSON instead."""
    D = cache.digest
    assert D({"a": "b", "c": "d"}) == D({"c": "d", "a": "b"}) != D({"a": "b", "c": "e"})
    assert D({"ab": "c"}) != D({"a": "bc"}) and D({"a": "b\0c"}) != D({"a\0b": "c"})
    assert D({"x", "y"}) == D(frozenset({"y", "x"})) != D({"x"}) and D({"x\0y"}) != D({"x", "y"})
    assert D({"\udcff.ts": "h"}) != D({"x.ts": "h"})  # a file name that is not UTF-8
    assert cache._canonical({"a": "b"})[0] == "pairs" and cache._canonical({"a\0": "b"}) == [["a\0", "b"]]
