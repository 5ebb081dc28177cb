"""Gathering the facts of many files in worker processes, when there are enough of them
for it to pay off (a cold run on a large project).

A file's facts (``gather_facts``) and eager summaries (``project.eager_summary``) are pure
functions of its path and bytes, and plain data, so workers parse chunks of files and
send back ``(path, FileFacts, summaries)``; trees never cross processes (nor are they
kept in the main process: a rule that asks for one has it parsed then).
Whatever the pool does not deliver (it cannot start, breaks, or a worker raises) is left
to the caller, which gathers those files itself exactly as without a pool: a failure
here is never an error, and a file whose gathering raises does so in the main process.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable, Sequence

from .facts import FileFacts

if TYPE_CHECKING:
    from concurrent.futures import Future

# Fewer files than this are gathered in the main process, unless they hold MIN_BYTES. On
# 2 shared cores the pool gathered 1,500 files in 0.33-0.43 s against 0.47 s here, 3,000
# in 0.76-0.94 s against 1.02 s (starting workers, and pickling the files out and ~1.4 KB
# of facts per file back, eat most of the second core), facts alone; the summaries add
# work on both sides.
MIN_FILES = 1500
# Fewer files than MIN_FILES are still gathered by the pool when they hold this many bytes.
# Facts and summaries cost ~0.5 ms per KB of the bench's schema, a pool ~15 ms to start:
# on 2 shared cores (medians of 5) 152 KB took 0.075 s either way, 292 KB 0.12-0.13 s
# against 0.18 s here, 662 KB 0.24-0.28 against 0.45, 937 files of 1.5 MB 0.49-0.57
# against 0.78, and the 84 relations modules (442 KB) that the first pass edits at that
# size 0.18-0.21 against 0.28.
MIN_BYTES = 256 << 10
CHUNK = 250  # files per task at most: few enough round trips, and progress moves often enough
CHUNK_BYTES = 512 << 10  # bytes per task at most (250 files of the bench's schema hold ~400 KB)


def chunks(items: Sequence[tuple[str, bytes]], workers: int, most: int = CHUNK) -> list[list[tuple[str, bytes]]]:
    """``items`` cut into consecutive tasks of about an eighth of a worker's share of the
    bytes each (at most ``CHUNK_BYTES``, at most ``most`` files), so that the workers
    finish together: a task is counted in bytes, not files, because a relations module
    can take twenty times the time of a table's file (a file alone may exceed it)."""
    target = min(CHUNK_BYTES, max(1, sum(len(data) for _, data in items) // (8 * workers)))
    out: list[list[tuple[str, bytes]]] = []
    task: list[tuple[str, bytes]] = []
    size = 0
    for item in items:
        task.append(item)
        size += len(item[1])
        if size >= target or len(task) >= most:
            out.append(task)
            task, size = [], 0
    if task:
        out.append(task)
    return out


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _gather_chunk(items: list[tuple[str, bytes]], keys: tuple) -> list[tuple[str, FileFacts, dict]]:
    """The worker: the facts of each file of one chunk, and its summaries: the eager ones
    (``keys``, registered when the rules are) and any other that those took."""
    from .project import EAGER, SourceFile  # project -> gather

    if not all(k in EAGER for k in keys):  # a worker that was not forked: the rules register them
        from .rules import all_rules
        all_rules()
    out = []
    for path, data in items:
        file = SourceFile.parse(path, data)
        out.append((path, file.facts, dict(file._own)))  # the eager summaries, and those they took
    return out


def _context():
    """'fork' on Linux while this process runs no other thread (a forked child holds only
    the calling thread, so no lock another thread held can be copied taken; macOS system
    libraries are not safe to fork); else
    'forkserver' where there is one, else the platform's default ('spawn')."""
    import multiprocessing  # here: a run that starts no pool (a warm one) does not pay for it
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


def in_processes(items: Sequence[tuple[str, bytes]], keys: tuple = (),
                 progress: Callable[[int], None] | None = None, *,
                 min_files: int = MIN_FILES, workers: int | None = None,
                 chunk: int | None = None, min_bytes: int = MIN_BYTES) -> dict[str, tuple[FileFacts, dict]]:
    """The facts and the eager summaries ``keys`` of as many of ``items`` (``(path,
    bytes)``) as a process pool gathered:
    every one of them, or none when there are fewer than ``min_files`` holding fewer
    than ``min_bytes`` in all, fewer than two, or one CPU, or
    fewer when the pool failed part of the way (the caller gathers the rest).
    ``progress(n)`` is called as each chunk of ``n`` files comes back; ``chunk``: the
    most files a chunk holds (``CHUNK``; see ``chunks``)."""
    workers = workers or usable_cpus()
    if len(items) < 2 or workers < 2:
        return {}
    if len(items) < min_files and sum(len(data) for _, data in items) < min_bytes:
        return {}
    tasks = chunks(items, workers, chunk or CHUNK)
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # see ``_context``

    gathered: dict[str, tuple[FileFacts, dict]] = {}
    pool = None
    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=_context())
        pending: set[Future] = {pool.submit(_gather_chunk, task, keys) for task in tasks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    results = future.result()
                except Exception:  # a worker raised, the pool broke, pickling failed: that chunk is the caller's
                    continue
                gathered.update((path, (facts, summaries)) for path, facts, summaries in results)
                if progress is not None:
                    progress(len(results))
    except Exception:  # the pool cannot start (fork limits, no semaphores) or broke: the rest is the caller's
        pass
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return gathered
