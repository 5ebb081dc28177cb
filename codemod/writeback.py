"""Write an outcome's changed files to disk, and delete the ones its fixes delete: the
step after apply, before report.

A file is written or deleted only while it is still exactly what was analysed (content
hash, checked again right before the rename or the unlink) and is not read-only; a
symlink is never deleted. A fix spanning several files is all or nothing on disk too:
when one of its files cannot be written or deleted, its other files are held back as
well. A deleted file counts as written.
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
    deleted = set(outcome.deleted)
    for rel in outcome.changed:
        path = ws.root / rel
        done = "deleted" if rel in deleted else "written"
        if rel in deleted and path.is_symlink():
            held[rel] = "a symlink; not deleted"
            continue
        try:
            current = path.read_bytes()
        except OSError as exc:
            held[rel] = f"cannot re-read before {'deleting' if rel in deleted else 'writing'} " \
                        f"({exc.strerror or exc}); not {done}"
            continue
        if discovery.digest(current) != _expected(ws, outcome, rel):
            held[rel] = f"changed on disk since it was analysed; not {done}"
        elif writes.read_only(path):
            held[rel] = f"read-only file; not {done}"
    _hold_fix_partners(outcome, held)
    written: list[str] = []
    for rel in outcome.changed:
        if rel in held:
            continue
        if stop is not None and stop() and _whole(outcome, set(written)):
            held.update((r, INTERRUPTED) for r in outcome.changed if r not in held and r not in written)
            break
        try:
            if rel in deleted:
                writes.delete_checked(ws.root / rel, ws.root, expect=_expected(ws, outcome, rel))
            else:
                writes.write_atomic(ws.root / rel, outcome.final[rel], expect=ws.hashes.get(rel))
        except writes.FileChangedError:
            held[rel] = f"changed on disk since it was analysed; not {'deleted' if rel in deleted else 'written'}"
            _hold_fix_partners(outcome, held, done=set(written))
            continue
        except (writes.SymlinkError, writes.OutsideRootError) as exc:
            held[rel] = f"{'a symlink' if isinstance(exc, writes.SymlinkError) else 'outside the project'}; " \
                        "not deleted"
            _hold_fix_partners(outcome, held, done=set(written))
            continue
        except OSError as exc:
            held[rel] = f"cannot {'delete' if rel in deleted else 'write'} ({exc.strerror or exc}); left unchanged"
            _hold_fix_partners(outcome, held, done=set(written))
            continue
        written.append(rel)
    return written, held


def _expected(ws: discovery.Workspace, outcome: Outcome, rel: str) -> str | None:
    """The digest of the bytes ``rel`` was analysed with: a source's from the read, any
    other file's (build output a fix deletes) from the bytes the fix was made on."""
    if rel in ws.sources:
        return ws.hashes.get(rel)
    return discovery.digest(outcome.original[rel])


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
