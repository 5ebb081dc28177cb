"""Issue 7, writes: SIGKILL during a large --apply, concurrent runs, stale temp files,
and "outside the edited ranges every byte is unchanged".

The kill and concurrency tests run the real command in subprocesses on a generated
project of FILES files, each with one safe fix, so the write phase takes a measurable
time (each file is written through a temp file, fsync and rename).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import assert_only_edits_changed, only_edits_changed, pass_edits, run

from codemod import cli, discovery, engine, locking, writes
from codemod.model import Edit

FILES = 320
KILLS = 24
SEED = 7


def module(i: int) -> bytes:
    # A few hundred bytes each, so a write is more than a rename.
    body = "".join(f"// generated line {j} of module {i}\n" for j in range(8))
    return f"import {{ a }} from './wrong';\n{body}export const b{i:03d} = a;\n".encode()


def build(root: Path) -> dict[str, bytes]:
    root.mkdir(parents=True)
    files = {"tsconfig.json": b"{}", "right.ts": b"export const a = 1;\n"}
    files.update({f"m{i:03d}.ts": module(i) for i in range(FILES)})
    for rel, data in files.items():
        (root / rel).write_bytes(data)
    return files


def tree(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}


def start(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "codemod.cli", "--apply", "--color", "never", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def schemafix(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codemod.cli", "--apply", str(root)], capture_output=True,
                          text=True, timeout=120)


def wait_for_first_write(path: Path, proc: subprocess.Popen, timeout: float = 60) -> bool:
    """Poll until ``path`` (the first file the run writes) is replaced; False if the
    process ended first."""
    inode = path.stat().st_ino
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if path.stat().st_ino != inode:
                return True
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    raise AssertionError("the run never started writing")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes], float, float]:
    """A pristine generated project, its fixed version, and how long a run and its write
    phase take here."""
    base = tmp_path_factory.mktemp("kill")
    old = build(base / "template")
    ref = base / "reference"
    shutil.copytree(base / "template", ref)
    started = time.monotonic()
    proc = start(ref)
    assert wait_for_first_write(ref / "m000.ts", proc)
    writing = time.monotonic()
    out, err = proc.communicate(timeout=120)
    ended = time.monotonic()
    assert proc.returncode == 0, err.decode()
    new = tree(ref)
    assert sum(new[k] != old[k] for k in old) == FILES  # every module fixed
    return base / "template", old, new, ended - started, ended - writing


@pytest.mark.slow  # subprocesses killed with SIGKILL
def test_sigkill_during_apply_leaves_every_file_old_or_new(reference, tmp_path):
    """SIGKILL at seeded random points, KILLS times: mostly during the write phase
    (after the first file is replaced), some anywhere in the run. After each kill every
    file is byte-identical to its old or its new version, nothing is missing, and the
    only extra files are schemafix's own temp files. Then one normal run cleans those up
    and finishes the job."""
    template, old, new, total, write_phase = reference
    rng = random.Random(SEED)
    mixed = with_temps = 0
    leftover: Path | None = None
    for k in range(KILLS):
        root = tmp_path / f"run{k}"
        shutil.copytree(template, root)
        proc = start(root)
        if k % 4 == 0:  # anywhere, analysis included
            time.sleep(rng.uniform(0, total))
        elif not wait_for_first_write(root / "m000.ts", proc):
            continue
        else:
            time.sleep(rng.uniform(0, write_phase * 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        now = {p.name: p for p in root.iterdir()}
        temps = [name for name in now if writes.TEMP_NAME.fullmatch(name)]
        assert set(now) - set(temps) == set(old), f"kill {k}: files appeared or vanished"
        states = []
        for name, before in old.items():
            data = now[name].read_bytes()
            assert data in (before, new[name]), f"kill {k}: {name} is neither its old nor its new version"
            states.append(data == new[name])
        mixed += any(states) and not all(states)
        with_temps += bool(temps)
        if temps:
            leftover = root
        elif leftover is None or k == KILLS - 1:
            leftover = leftover or root
    assert mixed >= 3, f"only {mixed} of {KILLS} kills landed mid-write; the test no longer tests much"
    final = schemafix(leftover)
    assert final.returncode == 0, final.stderr
    assert not writes.stale_temp_files(leftover)
    assert tree(leftover) == new
    print(f"{KILLS} kills: {mixed} mid-write, {with_temps} left temp files; run {total:.2f}s, writes {write_phase:.2f}s")


@pytest.mark.slow  # two concurrent subprocesses
def test_two_concurrent_applies_end_with_a_correct_tree(reference, tmp_path):
    """Both start together; they take turns on the project's lock, so one fixes every
    file and the other then finds nothing to do. Each file is old or new at every point
    (checked at the end here, and by the kill test for any instant); one more run is
    quiet."""
    template, old, new, _total, _writes = reference
    root = tmp_path / "proj"
    shutil.copytree(template, root)
    procs = [start(root), start(root)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [code for _o, _e, code in results] == [0, 0], [e.decode() for _o, e, _c in results]
    summaries = sorted(e.decode().strip().splitlines()[-1] for _o, e, _c in results)
    assert summaries == ["Fixed 0 problems in 0 files.", f"Fixed {FILES} problems in {FILES} files."]
    assert tree(root) == new
    assert not writes.stale_temp_files(root)
    again = schemafix(root)
    assert again.returncode == 0 and "Fixed 0 problems in 0 files." in again.stderr


# --- the apply lock ------------------------------------------------------------------


def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    root.mkdir()
    (root / "tsconfig.json").write_text("{}")
    (root / "right.ts").write_text("export const a = 1;\n")
    (root / "main.ts").write_text("import { a } from './wrong';\nexport const b = a;\n")
    return root


@pytest.mark.slow  # a subprocess held back by the lock for 1.5 s
def test_apply_waits_for_the_lock_then_sees_the_new_tree(tmp_path):
    root = small(tmp_path)
    before = (root / "main.ts").read_bytes()
    with locking.apply_lock(root):
        proc = start(root)
        time.sleep(1.5)
        assert proc.poll() is None, "the second run did not wait for the lock"
        assert (root / "main.ts").read_bytes() == before
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert "waiting for another schemafix --apply on" in err.decode()
    assert (root / "main.ts").read_text() == "import { a } from './right';\nexport const b = a;\n"


@pytest.mark.slow  # a lock-holding subprocess, SIGKILLed
def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    root = small(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom codemod import locking\n"
        "with locking.apply_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(60)\n"),
        str(root)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(discovery.InputError):
        with locking.apply_lock(root, wait=0.2):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    with locking.apply_lock(root, wait=5):  # free again: a killed run never leaves it stale
        pass


def test_lock_timeout_is_a_one_line_error(tmp_path, monkeypatch):
    root = small(tmp_path)
    monkeypatch.setattr(locking, "LOCK_WAIT_SECONDS", 0.2)
    with locking.apply_lock(root):
        result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[0].startswith("schemafix: waiting for another schemafix --apply on")
    assert lines[1:] == [f"schemafix: error: {root}: another schemafix --apply has held the lock for more "
                         "than 0.2s; nothing was written"]
    assert "wrong" in (root / "main.ts").read_text()


def test_dry_run_and_check_take_no_lock(tmp_path):
    root = small(tmp_path)
    with locking.apply_lock(root):
        for mode in ("--check", "--diff"):
            result = CliRunner().invoke(cli.main, [mode, str(root)], catch_exceptions=False)
            assert result.exit_code == 1 and "waiting" not in result.stderr


def test_lock_creates_nothing_in_the_project(tmp_path):
    root = small(tmp_path)
    names = sorted(os.listdir(root))
    with locking.apply_lock(root):
        assert sorted(os.listdir(root)) == names


# --- stale temp files: ours only -----------------------------------------------------


def test_apply_removes_only_its_own_stale_temp_files(tmp_path):
    root = small(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    ours = [".main.ts.schemafix-k2x9a1b_.tmp", "sub/.deep.tsx.schemafix-abc.tmp", ".x.mts.schemafix-0.tmp"]
    users = [
        ".notes.schemafix-backup.tmp",  # not named after a TypeScript source
        ".main.ts.schemafix-Backup.tmp",  # upper case: mkstemp never makes it
        "main.ts.schemafix-abc.tmp",  # no leading dot
        ".main.ts.schemafix-abc.tmp.bak",  # not ending in .tmp
        ".main.ts.schemafix-.tmp",  # no random part
        "node_modules/.dep.ts.schemafix-abc.tmp",  # never entered
        "dist/.out.ts.schemafix-abc.tmp",
    ]
    for rel in ours + users:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("user data\n")
    (root / ".dir.ts.schemafix-abc.tmp").mkdir()  # a folder with our name
    (outside / "keep.txt").write_text("precious\n")
    (root / ".link.ts.schemafix-abc.tmp").symlink_to(outside / "keep.txt")  # a symlink with our name
    (outside / ".far.ts.schemafix-abc.tmp").write_text("outside the root\n")
    (root / "linked").symlink_to(outside, target_is_directory=True)  # not followed

    assert CliRunner().invoke(cli.main, ["--check", str(root)]).exit_code == 1
    assert all((root / rel).exists() for rel in ours), "a dry run removed temp files"

    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # 1: the `linked` folder is reported
    assert "linked: symlink points outside the project root; skipped" in result.stderr
    assert (root / "main.ts").read_text() == "import { a } from './right';\nexport const b = a;\n"
    assert not any((root / rel).exists() for rel in ours)
    assert all((root / rel).read_text() == "user data\n" for rel in users)
    assert (root / ".dir.ts.schemafix-abc.tmp").is_dir()
    assert (root / ".link.ts.schemafix-abc.tmp").is_symlink() and (outside / "keep.txt").exists()
    assert (outside / ".far.ts.schemafix-abc.tmp").exists()


def test_write_atomic_names_match_what_cleanup_removes(tmp_path, monkeypatch):
    """The cleanup pattern and write_atomic's temp names must not drift apart."""
    seen = []
    real = writes.os.replace

    def replace(src, dst):
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(writes.os, "replace", replace)
    for name in ("a.ts", "b.tsx", "c.mts", "d.cts", "e.d.ts", "kebab-name.ts"):
        (tmp_path / name).write_text("old\n")
        writes.write_atomic(tmp_path / name, b"new\n")
    assert len(seen) == 6 and all(writes.TEMP_NAME.fullmatch(n) for n in seen), seen


# --- outside the edited ranges, every byte is unchanged ------------------------------


def test_only_edits_changed_catches_a_stray_byte():
    before = b"import { a } from './wrong';\r\nexport const b = a;\r\n"
    edit = Edit("m.ts", 19, 26, b"./right")
    good = before[:19] + b"./right" + before[26:]
    assert only_edits_changed(before, good, [edit])
    assert not only_edits_changed(before, good.replace(b"\r\n", b"\n"), [edit])  # line endings changed
    assert not only_edits_changed(before, good + b"\n", [edit])  # trailing newline added


def test_outcome_check_catches_a_change_no_fix_made():
    outcome = run({"right.ts": "export const a = 1;\n", "main.ts": "import { a } from './wrong';\nexport const b = a;\n"})
    assert len(pass_edits(outcome)) == 1
    assert_only_edits_changed(outcome)
    outcome.final = {**outcome.final, "right.ts": b"export const a = 1;"}
    with pytest.raises(AssertionError, match="right.ts changed, but no applied fix edits it"):
        assert_only_edits_changed(outcome)


def test_the_example_edits_only_its_ranges():
    root = Path(__file__).parent.parent / "examples" / "broken-schema"
    sources = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.ts"))}
    outcome = engine.run(Path("/project"), sources)
    assert len(outcome.fixed) >= 10
    assert_only_edits_changed(outcome)


def test_each_pass_is_checked_against_its_own_base():
    """A stand-in rule that fixes one `Q` per pass, growing the file each time: the
    edits of pass 2 and 3 are offsets into the previous pass's result, and the check
    follows the chain (checked against the original, they would look wrong)."""
    from codemod.model import Applicability, Fix
    from codemod.rules import Rule, Settings

    def check(ctx):
        for file in ctx.files():
            at = file.data.find(b"Q")
            if at >= 0:
                yield ctx.diagnostic("XX901", file, at, "x", fix=Fix("grow", (Edit(file.path, at, at + 1, b"Zzz"),)))

    rule = Rule("XX901", "grow", "test rule", Applicability.SAFE, check, "")
    src = b"export const Q1 = 1;\r\nexport const Q2 = 2;\r\nexport const Q3 = 3;"
    outcome = engine.run(Path("/project"), {"g.ts": src}, rules=[rule], settings=Settings())
    assert outcome.final["g.ts"] == src.replace(b"Q", b"Zzz")
    assert len(pass_edits(outcome)) == 3
    assert_only_edits_changed(outcome)
    assert not only_edits_changed(src, outcome.final["g.ts"], [d.fix.edits[0] for d in outcome.fixed])


def test_write_atomic_checks_the_file_again_right_before_the_rename(tmp_path):
    """The content-hash check happens in write_atomic itself, after the temp file is
    written: a save that lands after the first check is still not overwritten."""
    target = tmp_path / "a.ts"
    target.write_bytes(b"old\n")
    expect = discovery.digest(b"old\n")
    target.write_bytes(b"saved by an editor\n")
    with pytest.raises(writes.FileChangedError):
        writes.write_atomic(target, b"new\n", expect=expect)
    assert target.read_bytes() == b"saved by an editor\n"
    assert writes.stale_temp_files(tmp_path) == []
    writes.write_atomic(target, b"new\n", expect=discovery.digest(b"saved by an editor\n"))
    assert target.read_bytes() == b"new\n"


def test_write_atomic_keeps_the_owner(tmp_path):
    import os

    # As root (CI, hook containers) the file may belong to someone else: keep that owner.
    owner = (1234, 2345) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    target = tmp_path / "a.ts"
    target.write_bytes(b"old\n")
    os.chown(target, *owner)
    writes.write_atomic(target, b"new\n")
    st = target.stat()
    assert (st.st_uid, st.st_gid) == owner
