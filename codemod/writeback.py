"""Write an outcome's changed files to disk: the step after apply, before report.

A file is written only while it is still exactly what was analysed (content hash,
checked again right before the rename) and is not read-only. A fix spanning several
files is all or nothing on disk too: when one of its files cannot be written, its
other files are held back as well.
"""

from __future__ import annotations

from typing import Callable

from . import discovery, writes
from .engine import Outcome

INTERRUPTED = "not written: interrupted (Ctrl-C)"


def write_back(ws: discovery.Workspace, outcome: Outcome,
               stop: Callable[[], bool] | None = None) -> tuple[list[str], dict[str, str]]:
    """Write ``outcome.final`` for every changed file; (written paths, {held path: why}).
    ``stop()`` (Ctrl-C) is asked between files, and only where no fix is half written:
    once it says yes, the files left are held with the reason ``INTERRUPTED``."""
    for stale in writes.stale_temp_files(ws.root):  # left by an interrupted earlier run
        try:
            stale.unlink()
        except OSError:
            pass
    held: dict[str, str] = {}
    for rel in outcome.changed:
        path = ws.root / rel
        try:
            current = path.read_bytes()
        except OSError as exc:
            held[rel] = f"cannot re-read before writing ({exc.strerror or exc}); not written"
            continue
        if discovery.digest(current) != ws.hashes.get(rel):
            held[rel] = "changed on disk since it was analysed; not written"
        elif writes.read_only(path):
            held[rel] = "read-only file; not written"
    _hold_fix_partners(outcome, held)
    written: list[str] = []
    for rel in outcome.changed:
        if rel in held:
            continue
        if stop is not None and stop() and _whole(outcome, set(written)):
            held.update((r, INTERRUPTED) for r in outcome.changed if r not in held and r not in written)
            break
        try:
            writes.write_atomic(ws.root / rel, outcome.final[rel], expect=ws.hashes.get(rel))
        except writes.FileChangedError:
            held[rel] = "changed on disk since it was analysed; not written"
            _hold_fix_partners(outcome, held, done=set(written))
            continue
        except OSError as exc:
            held[rel] = f"cannot write ({exc.strerror or exc}); left unchanged"
            _hold_fix_partners(outcome, held, done=set(written))
            continue
        written.append(rel)
    return written, held


def _whole(outcome: Outcome, written: set[str]) -> bool:
    """No fix has some of its files written and others not."""
    return all(not set(d.fix.paths) & written or set(d.fix.paths) <= written for d in outcome.fixed)


def _hold_fix_partners(outcome: Outcome, held: dict[str, str], done: set[str] = frozenset()) -> None:
    """Close ``held`` over multi-file fixes: never write half of one (files in ``done``
    are already written; a write that fails after them cannot take them back)."""
    grew = True
    while grew:
        grew = False
        for d in outcome.fixed:
            paths = set(d.fix.paths)
            blocked = sorted(paths & held.keys())
            for rel in sorted(paths - held.keys() - done) if blocked else ():
                held[rel] = f"not written: a fix in it also edits {blocked[0]}, which was not written"
                grew = True
