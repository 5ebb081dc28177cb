"""Facts and eager summaries gathered in worker processes (codemod/gather.py): the same
facts and summaries, the same run, as gathered in the main process; a pool that fails
leaves its files to the main process, never an error; small projects, or one CPU, never
start a pool."""

from __future__ import annotations

import concurrent.futures
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from codemod import engine, gather
from codemod.facts_cache import FactsCache
from codemod.project import EAGER, Project
from codemod.rules import all_rules
from support import encode

all_rules()  # the rewriters register their eager summaries

from support import gen_schema  # noqa: E402

ROOT = Path("/project")
BROKEN = b"export const a = {\n  x: 1,\n  x: 1,\n};\nexport const = ;\nimport { b } from './b'\n"


def sources() -> dict[str, bytes]:
    files = encode(gen_schema.generate(files=60, domains=6).files)
    files = {p: d for p, d in files.items() if p.endswith(".ts")}
    files["schema/broken.ts"] = BROKEN  # a statement that does not parse, a repeated key
    return files


def serial(files) -> Project:
    return Project.build(ROOT, files)


def pooled(files, **kwargs) -> Project:
    return Project.build(ROOT, files, parallel_from=1, **kwargs)


def summaries(project: Project, path: str) -> dict:
    """What parsing the file took: its eager summaries and the ones those took (the
    relations declarations and properties of a relations module, say)."""
    return dict(project.files[path]._own)


@pytest.mark.slow  # starts a process pool
def test_facts_gathered_in_workers_are_the_serial_facts_and_give_the_same_run(tmp_path, monkeypatch):
    files = sources()
    monkeypatch.setattr(gather, "CHUNK", 7)  # several chunks per worker
    seen = []
    store = FactsCache(tmp_path, "code")
    parallel = pooled(files, progress=lambda d, t: seen.append((d, t)), facts=store)
    alone = serial(files)
    assert list(parallel.files) == list(alone.files)
    assert all(parallel.files[p].facts == alone.files[p].facts for p in files)
    assert len(EAGER) >= 2 and all(summaries(parallel, p) == summaries(alone, p) for p in files)
    assert any(k[0] == "drizzle-relation-props" for p in files for k in summaries(parallel, p))
    assert all(parallel.files[p]._tree is None for p in files)  # no tree crossed: parsed here when asked for
    assert parallel.files["schema/broken.ts"].facts.has_error
    assert any(v for v in summaries(parallel, "schema/broken.ts").values())  # its repeated key
    assert all(store.get(p, d).facts == alone.files[p].facts for p, d in files.items())  # still in the facts cache
    for path, data in files.items():  # the same summaries, kept in the facts cache
        entry = store.get(path, data)
        assert set(entry._summaries) == set(summaries(alone, path))
        assert all(entry.summary(k) == (True, v) for k, v in summaries(alone, path).items())
    assert seen[-1] == (len(files), len(files)) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) > 1  # advanced per chunk
    one, two = (engine.run(ROOT, files, project=p) for p in (parallel, alone))
    assert one.fixed and one.final == two.final and one.problems == two.problems
    assert ([(d.code, d.path, d.line, d.column, d.message, d.fix) for d in one.fixed + one.remaining]
            == [(d.code, d.path, d.line, d.column, d.message, d.fix) for d in two.fixed + two.remaining])


class _FakePool:
    """A stand-in executor: runs each chunk here, and fails the ones ``fail`` says."""

    delivered: list = []  # the paths of the chunks it delivered

    def __init__(self, fail, *args, **kwargs):
        self.fail = fail
        self.calls = 0

    def submit(self, fn, chunk, keys):
        future = Future()
        self.calls += 1
        error = self.fail(self.calls)
        if error is None:
            future.set_result(fn(chunk, keys))
            _FakePool.delivered += [path for path, _ in chunk]
        else:
            future.set_exception(error)
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.mark.parametrize("fail", [
    lambda n: BrokenProcessPool("a worker died") if n > 1 else None,  # the pool breaks part of the way
    lambda n: ValueError("a worker raised") if n == 2 else None,  # one chunk's gathering raised
    lambda n: TypeError("cannot pickle") if n % 2 else None,  # a chunk could not be sent
])
def test_chunks_the_pool_fails_are_gathered_here(monkeypatch, fail):
    files = sources()
    monkeypatch.setattr(gather, "CHUNK", 10)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", lambda *a, **k: _FakePool(fail))
    monkeypatch.setattr(gather, "usable_cpus", lambda: 2)
    monkeypatch.setattr(_FakePool, "delivered", [])
    seen = []
    project = pooled(files, progress=lambda d, t: seen.append(d))
    alone = serial(files)
    assert all(project.files[p].facts == alone.files[p].facts for p in files)
    assert all(summaries(project, p) == summaries(alone, p) for p in files)
    assert 0 < len(_FakePool.delivered) < len(files)  # some came from the pool, the others were gathered here
    assert seen == sorted(seen) and seen[-1] == len(files)


def test_a_pool_that_cannot_start_leaves_every_file_here(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")  # fork limits

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(gather, "usable_cpus", lambda: 2)
    files = sources()
    project = pooled(files)
    alone = serial(files)
    assert all(project.files[p].facts == f.facts and summaries(project, p) == summaries(alone, p)
               for p, f in alone.files.items())


def test_few_files_or_one_cpu_start_no_pool(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", forbidden)
    files = sources()
    items = list(files.items())
    assert gather.in_processes(items, (), min_files=len(items) + 1, workers=4) == {}
    assert gather.in_processes(items, (), min_files=1, workers=1) == {}
    monkeypatch.setattr(gather, "usable_cpus", lambda: 4)
    Project.build(ROOT, files)  # fewer than MIN_FILES, holding fewer than MIN_BYTES
    assert len(files) < gather.MIN_FILES and sum(map(len, files.values())) < gather.MIN_BYTES


def test_few_files_holding_many_bytes_go_to_the_pool_in_tasks_of_about_equal_bytes(monkeypatch):
    # the snapshot after a pass's fixes parses again the (large) relations modules they edited
    submitted: list[list[str]] = []

    class Pool:
        def __init__(self, max_workers, mp_context):
            self.workers = max_workers

        def submit(self, fn, chunk, keys):
            submitted.append([p for p, _ in chunk])
            done = Future()
            done.set_result(fn(chunk, keys))
            return done

        def shutdown(self, wait, cancel_futures):
            pass

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    small, large = b"export const a = 1;\n" * 5, b"export const a = 1;\n" * 150  # 100 and 3,000 bytes
    items = [(f"schema/m{i}.ts", large if i in (0, 5) else small) for i in range(12)]  # 6,000 + 1,000 bytes
    size = sum(len(d) for _, d in items)
    assert gather.in_processes(items, (), min_files=100, min_bytes=size + 1, workers=2) == {}
    assert not submitted
    got = gather.in_processes(items, (), min_files=100, min_bytes=size, workers=2)
    assert set(got) == {p for p, _ in items}
    # a task closes at an eighth of a worker's share (7,000 / 16 = 437 bytes): each large
    # file is a task alone, the small ones go five to a task
    assert [len(task) for task in submitted] == [1, 5, 5, 1]
    assert [p for task in submitted for p in task] == [p for p, _ in items]
    assert gather.in_processes(items[:1], (), min_files=100, min_bytes=1, workers=2) == {}  # one file: no pool


def test_tasks_hold_at_most_chunk_bytes_or_chunk_files():
    items = [(f"schema/m{i}.ts", b"x" * 40_000) for i in range(400)]  # 16 MB: 8 MB per worker
    tasks = gather.chunks(items, 2)
    assert {len(t) for t in tasks[:-1]} == {-(-gather.CHUNK_BYTES // 40_000)}  # 14 files: 560,000 bytes
    assert [i for t in tasks for i in t] == items
    tiny = [(f"schema/t{i}.ts", b"x") for i in range(1000)]
    assert [len(t) for t in gather.chunks(tiny, 2, most=300)] == [62] * 16 + [8]  # 1,000 // 16 bytes
    assert [len(t) for t in gather.chunks(tiny, 1, most=100)] == [100] * 10


def test_usable_cpus_is_the_affinity_mask(monkeypatch):
    monkeypatch.setattr(gather.os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    assert gather.usable_cpus() == 3
    monkeypatch.delattr(gather.os, "sched_getaffinity")
    monkeypatch.setattr(gather.os, "cpu_count", lambda: None)
    assert gather.usable_cpus() == 1


@pytest.mark.slow  # starts a process pool
def test_a_chunk_arrives_with_one_copy_of_each_name():
    """A worker's chunk is pickled with one copy of each name its files share (they are
    interned as they are read), so the main process holds one per chunk, not one per file."""
    files = sources()
    got = pooled(files)
    shared = [site.specifier for path in sorted(files) for site in got.files[path].facts.imports
              if site.specifier == "drizzle-orm/pg-core"]
    tasks = gather.chunks(list(files.items()), gather.usable_cpus())
    assert len(shared) > 2 * len(tasks) and len({id(s) for s in shared}) <= len(tasks)


@pytest.mark.slow  # starts a process pool that imports schemafix afresh
def test_a_worker_that_was_not_forked_registers_the_summaries_itself(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(gather, "_context", lambda: multiprocessing.get_context("spawn"))
    monkeypatch.setattr(gather, "usable_cpus", lambda: 2)
    files = dict(list(sources().items())[:12])
    got = gather.in_processes(list(files.items()), tuple(EAGER), min_files=1, chunk=6)
    alone = serial(files)
    assert set(got) == set(files)
    assert all(got[p] == (alone.files[p].facts, summaries(alone, p)) for p in files)
