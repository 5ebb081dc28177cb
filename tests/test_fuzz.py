"""Fuzz the analyzer: random byte-level mutations of real-looking TypeScript (the
example schema's files) through ``SourceFile.parse`` and the whole fixer
(``engine.run``). Nothing may raise, and no file may take long (a hang guard with a
generous bound; the measured times are far below it).

Seeded, so a failure names its seed and mutation and replays exactly.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from codemod import engine, holdback
from codemod.project import Project, SourceFile

pytestmark = pytest.mark.slow  # many mutated copies of the example, each analysed and fixed

EXAMPLE = Path(__file__).parent.parent / "examples" / "broken-schema"
SOURCES = {p.relative_to(EXAMPLE).as_posix(): p.read_bytes() for p in sorted(EXAMPLE.rglob("*.ts"))}
ROOT = Path("/project")
BOUND = 2.0  # seconds per file: a hang guard, not a benchmark

# Fragments that stress a TypeScript grammar and our byte arithmetic.
TOKENS = [b"{", b"}", b"(", b")", b"[", b"]", b"'", b'"', b"`", b"${", b"/*", b"*/", b"//", b"\\", b";", b",",
          b"\r", b"\r\n", b"\n", b"\t", b"export ", b"import ", b"from ", b"export * from './x';\n", b" as ",
          b"type ", b"relations(", b"({ one, many }) => ({", b"}));", b"=>", b"<", b">", b"@", b"#", b"?.",
          "\u00e9".encode(), "\u2028".encode(), "\U0001f600".encode(), "\ufeff".encode()]
RAW = [b"\x00", b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80"]  # NUL and invalid UTF-8


def mutate(rng: random.Random, data: bytes, *, raw: bool) -> tuple[bytes, list[str]]:
    """1-8 random edits: flip, insert, delete or duplicate a span, insert a token."""
    out = bytearray(data)
    log = []
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out) + 1)
        kind = rng.choice(["flip", "insert", "delete", "duplicate", "token", "truncate"])
        if kind == "flip" and out and at < len(out):
            out[at] = rng.randrange(32, 127) if not raw else rng.randrange(256)
        elif kind == "insert":
            out[at:at] = bytes(rng.randrange(32, 127) for _ in range(rng.randint(1, 6)))
        elif kind == "delete":
            del out[at:at + rng.randint(1, 40)]
        elif kind == "duplicate":
            end = min(len(out), at + rng.randint(1, 200))
            out[end:end] = out[at:end]
        elif kind == "token":
            out[at:at] = rng.choice(TOKENS + (RAW if raw else []))
        elif kind == "truncate":
            del out[at:]
        log.append(f"{kind}@{at}")
    return bytes(out), log


def admitted(data: bytes) -> bool:
    """What the workspace lets through to the engine (it skips NUL and non-UTF-8 files)."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("seed", range(4))
def test_parse_never_raises_on_mutated_bytes(seed):
    """Any bytes at all, NUL and invalid UTF-8 included: parsing and fact gathering
    never raise, and position() works on every offset we might report."""
    rng = random.Random(seed)
    for path, original in SOURCES.items():
        for _ in range(6):
            data, log = mutate(rng, original, raw=True)
            started = time.monotonic()
            try:
                file = SourceFile.parse(path, data)
                file.position(len(data))
                file.position(rng.randrange(len(data) + 1))
            except Exception as exc:  # noqa: BLE001 - the point of the test
                raise AssertionError(f"seed {seed}, {path}, mutations {log}: {type(exc).__name__}: {exc}") from exc
            elapsed = time.monotonic() - started
            assert elapsed < BOUND, f"seed {seed}, {path}, {log}: {elapsed:.2f}s"


@pytest.mark.parametrize("seed", range(8))
def test_fixer_never_raises_on_a_mutated_example(seed):
    """The whole fixer on the example with 1-3 files mutated (as the workspace would
    admit them: UTF-8, no NUL): it never raises (a rule crash would be an
    InternalError), a statement that fails to parse is never edited nor newly broken,
    and the run is fast."""
    rng = random.Random(1000 + seed)
    for _round in range(8):
        sources = dict(SOURCES)
        logs = {}
        for path in rng.sample(sorted(SOURCES), rng.randint(1, 3)):
            data, log = mutate(rng, SOURCES[path], raw=False)
            if admitted(data):
                sources[path], logs[path] = data, log
        started = time.monotonic()
        try:
            outcome = engine.run(ROOT, sources)
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"seed {seed}, mutations {logs}: {type(exc).__name__}: {exc}") from exc
        elapsed = time.monotonic() - started
        assert elapsed < BOUND * len(sources), f"seed {seed}, {logs}: {elapsed:.2f}s for {len(sources)} files"
        before = Project.build(ROOT, sources).files
        for path, f in before.items():
            if not f.facts.has_error:
                continue
            # edited only away from its unparsable statements, and no statement newly broken
            after = SourceFile.parse(path, outcome.final[path])
            assert holdback.new_parse_error(f, after) is None, f"seed {seed}: {path} got a new parse error"
            for err in f.facts.parse_errors:
                assert f.data[err.start:err.end] in outcome.final[path], (
                    f"seed {seed}: {path}: a statement that does not parse was edited")


@pytest.mark.parametrize("seed", range(3))
def test_fixer_on_bytes_the_workspace_would_skip(seed):
    """NUL bytes and invalid UTF-8 never reach the engine through the CLI, but the
    engine is a public API: it must not raise on them either."""
    rng = random.Random(2000 + seed)
    for _round in range(5):
        path = rng.choice(sorted(SOURCES))
        data, log = mutate(rng, SOURCES[path], raw=True)
        data += rng.choice(RAW)
        try:
            engine.run(ROOT, {**SOURCES, path: data})
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"seed {seed}, {path}, {log}: {type(exc).__name__}: {exc}") from exc
