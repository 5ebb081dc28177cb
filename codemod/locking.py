"""One ``--apply`` at a time per project root: an advisory lock outside the project."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from .discovery import InputError, digest

LOCK_WAIT_SECONDS = 120.0


@contextlib.contextmanager
def apply_lock(root: Path, *, wait: float | None = None, on_wait=None):
    """Serialise ``--apply`` runs on one project root.

    An advisory ``flock`` on ``<tmp>/schemafix-<uid>/<hash of the root's real path>.lock``:
    nothing is created inside the project, and the kernel drops the lock when the holder
    exits, even on SIGKILL, so it can never go stale. A second run waits (calling
    ``on_wait()`` once) and then analyses the tree the first one left; after ``wait``
    seconds it gives up with an InputError. Where ``fcntl`` or the temp folder is not
    available the run goes ahead unlocked: the content-hash check before each write
    still keeps a file that changed meanwhile from being overwritten."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    import tempfile  # here: only --apply locks

    real = os.path.realpath(root)
    try:
        folder = Path(tempfile.gettempdir()) / f"schemafix-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(folder / f"{digest(real.encode('utf-8', 'surrogateescape'))[:32]}.lock",
                     os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        deadline = time.monotonic() + wait
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                if time.monotonic() >= deadline:
                    raise InputError(f"{real}: another schemafix --apply has held the lock for more than "
                                     f"{wait:g}s; nothing was written") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases the lock
