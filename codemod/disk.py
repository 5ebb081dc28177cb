"""Every question a run asks of the disk after discovery, answered once and recorded.

Discovery reads the sources, tsconfigs and manifests up front. What the resolver and
the rules need later is asked here, lazily: does this file exist, what are this file's
bytes, which files did git see renamed, is this file tracked or ignored by git. Each
answer is kept for the run (asked once) and recorded, so that a cached result
(``codemod.cache``) is reused only when every question the run asked still gets the
same answer. Nothing outside discovery, this module and the writers touches the disk
(``tests/test_architecture.py`` checks the rewriters and the modules a run goes through).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from collections.abc import Mapping
from typing import Iterable

from . import git_moves

FILE, DIR, LINK, READ, RENAMES, GIT_STATES = "file", "dir", "link", "read", "git-renames", "git-states"
NAMES_BEFORE = "git-names-before"
FOLDER_BEFORE = "git-folder-before"
DECLARED_BEFORE = "git-declared-before"
CHANGED = "git-changed"
TRACKED, MODIFIED, IGNORED, UNTRACKED, NO_GIT = "tracked", "modified", "ignored", "untracked", "no-git"


class Disk:
    """The disk beside the analysed sources, as seen from ``root`` (None: a project built
    in memory, where nothing else exists and git knows nothing)."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root is not None else None
        self.answers: dict[tuple, object] = {}
        self.listed: Mapping[str, frozenset[str]] = {}  # see ``know_listings``

    def know_listings(self, listed: Mapping[str, frozenset[str]]) -> None:
        """The folders discovery listed (root-relative, "" the root), each with its entries'
        names lower-cased: a FILE question whose name is missing from its folder's listing
        is answered without a stat (the resolver's candidates are mostly such misses:
        ``users.d.ts``, ``users.js``, ``users/index.ts``; 6,267 stats in a warm run at 937
        files). Only folders whose names are all ASCII are given."""
        self.listed = listed

    def ask(self, question: tuple):
        if question not in self.answers:
            self.answers[question] = self._answer(question)
        return self.answers[question]

    def _answer(self, question: tuple):
        if question[0] == FILE and self.listed and _surely_absent(self.listed, question[1]):
            return False
        return answer(self.root, question)

    def is_file(self, path: str) -> bool:
        """``path``: relative to the root (may start with ``../``) or absolute."""
        return self.ask((FILE, path))

    def is_dir(self, path: str) -> bool:
        """``path``: relative to the root (may start with ``../``) or absolute."""
        return self.ask((DIR, path))

    def is_link(self, path: str) -> bool:
        return self.ask((LINK, path))

    def read(self, path: str) -> bytes | None:
        """The file's bytes (None: it cannot be read)."""
        return self.ask((READ, path))

    def renames(self, since: str | None = None) -> dict[str, str]:
        return self.ask((RENAMES, since))

    def names_before(self, paths: Iterable[str], since: str | None = None) -> dict[str, tuple[str, ...]]:
        """The names each of ``paths`` exported in git's ``since`` (else ``HEAD``), for
        those git holds there."""
        return self.ask((NAMES_BEFORE, (tuple(paths), since)))

    def folder_before(self, folder: str, since: str | None = None) -> dict[str, tuple[str, ...]]:
        """Each source file git's ``since`` (else ``HEAD``) holds under ``folder``, with the
        names it exported there."""
        return self.ask((FOLDER_BEFORE, (folder, since)))

    def changed(self, since: str | None = None) -> frozenset[str]:
        """The files whose bytes differ between git's ``since`` (else ``HEAD``) and the work
        tree, staged or not (root-relative)."""
        return self.ask((CHANGED, since))

    def declared_before(self, paths: Iterable[str], since: str | None = None) -> dict[str, dict[str, bytes]]:
        """For each of ``paths`` git's ``since`` (else ``HEAD``) holds: its exported
        declarations there, by name, as their text apart from the name (``fingerprints``)."""
        return self.ask((DECLARED_BEFORE, (tuple(paths), since)))

    def git_states(self, paths: Iterable[str]) -> dict[str, str]:
        """For each path: TRACKED (git can restore these bytes), MODIFIED (tracked, but the
        file differs from what git holds), IGNORED, UNTRACKED (neither), or NO_GIT."""
        return self.ask((GIT_STATES, tuple(sorted(set(paths)))))

    def still_true(self, recorded: Iterable[tuple[tuple, object]]) -> bool:
        """Does every recorded question get the recorded answer now? (asked afresh)"""
        return all(self._answer(question) == then for question, then in recorded)

    def still_missing(self, misses: Mapping[str, Iterable[str]]) -> bool:
        """``still_true`` for FILE questions answered False, grouped by folder (``split``):
        each folder's names are checked against its listing at once (137,415 of them in a
        warm run at 19,813 files); a folder not listed, or one listing a name like one of
        them, has its names asked one by one."""
        listed = self.listed
        for folder, names in misses.items():
            names = names if type(names) is list else list(names)  # read twice below
            found = listed.get(folder)
            if found is not None and found.isdisjoint([name.lower() for name in names]):
                continue
            if found is None and folder and _surely_absent(listed, folder) and all(type(n) is str for n in names):
                continue  # no such folder (``users/`` of ``users/index.ts``): nothing under it either
            for name in names:
                if type(name) is not str or self._answer((FILE, f"{folder}/{name}" if folder else name)) is not False:
                    return False
        return True


def split(recorded: Iterable[tuple[tuple, object]]) -> tuple[dict[str, list[str]], list[tuple[tuple, object]]]:
    """Recorded answers as (the FILE questions answered False about plain paths, as
    folder -> names, for ``Disk.still_missing``; every other one, for ``still_true``)."""
    misses: dict[str, list[str]] = {}
    rest = []
    for question, then in recorded:
        if question[0] == FILE and then is False and _plain(question[1]):
            folder, _, name = question[1].rpartition("/")
            misses.setdefault(folder, []).append(name)
        else:
            rest.append((question, then))
    return misses, rest


class LazyRenames(Mapping):
    """``disk.renames(since)``, asked of git only when a rule first needs it (a healthy
    project never does): discovery stays free of a git subprocess per project."""

    def __init__(self, disk: Disk, since: str | None = None):
        self._disk, self._since = disk, since

    def _get(self) -> dict[str, str]:
        return self._disk.renames(self._since)

    def __getitem__(self, key: str) -> str:
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _plain(path: str) -> bool:
    """A root-relative path whose folders' listings can tell it is absent: ASCII, no
    ``.``/``..`` step, no step empty or ending in a dot or a space (Windows drops those),
    no ``~`` (8.3 short names), no ``:`` (a Windows drive or stream)."""
    framed = f"/{path}/"
    return (path.isascii() and "~" not in path and "\\" not in path and ":" not in path and "//" not in framed
            and "./" not in framed and " /" not in framed)


def _surely_absent(listed: Mapping[str, frozenset[str]], path: str) -> bool:
    """Is ``path`` (root-relative) missing whatever the file system's case rules, as seen
    in the listing of its deepest listed folder? Only ``_plain`` paths are judged;
    anything else, and a path under no listed folder, is left to a stat."""
    if not _plain(path):
        return False
    folder, _, name = path.rpartition("/")
    while True:
        names = listed.get(folder)  # folders as discovery spelled them
        if names is not None:
            return name.lower() not in names
        if not folder:
            return False
        folder, _, name = folder.rpartition("/")


def answer(root: Path | None, question: tuple):
    kind, arg = question
    if kind == FILE:
        return root is not None and os.path.isfile(os.path.join(root, arg))
    if kind == DIR:
        return root is not None and os.path.isdir(os.path.join(root, arg))
    if kind == LINK:
        return root is not None and os.path.islink(os.path.join(root, arg))
    if kind == READ:
        if root is None:
            return None
        try:
            return (root / arg).read_bytes()
        except OSError:
            return None
    if kind == RENAMES:
        return git_moves.renames(root, arg) if root is not None else {}
    if kind == GIT_STATES:
        return _git_states(root, arg)
    if kind == NAMES_BEFORE:
        return git_moves.names_before(root, *arg) if root is not None else {}
    if kind == FOLDER_BEFORE:
        return git_moves.folder_before(root, *arg) if root is not None else {}
    if kind == CHANGED:
        return git_moves.changed(root, arg) if root is not None else frozenset()
    if kind == DECLARED_BEFORE:
        return git_moves.declared_before(root, *arg) if root is not None else {}
    raise ValueError(f"unknown disk question {kind!r}")


def _git_states(root: Path | None, paths: tuple[str, ...]) -> dict[str, str]:
    if not paths:
        return {}
    if root is None:
        return {p: NO_GIT for p in paths}
    try:
        probe = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True,
                               timeout=10, check=False)
        if probe.returncode != 0 or probe.stdout.strip() != b"true":
            return {p: NO_GIT for p in paths}
        listed = subprocess.run(["git", "ls-files", "-v", "-z", "--", *paths], cwd=root, capture_output=True,
                                timeout=30, check=False)
        modified = subprocess.run(["git", "ls-files", "-z", "--modified", "--", *paths], cwd=root,
                                  capture_output=True, timeout=30, check=False)
        ignored = subprocess.run(["git", "check-ignore", "-z", "--stdin"], cwd=root, capture_output=True,
                                 input=b"\0".join(p.encode() for p in paths) + b"\0", timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return {p: NO_GIT for p in paths}
    if listed.returncode != 0 or modified.returncode != 0 or ignored.returncode not in (0, 1):
        return {p: NO_GIT for p in paths}
    tags = dict(reversed(entry.split(" ", 1)) for entry in listed.stdout.decode("utf-8", "replace").split("\0")
                if " " in entry)  # path -> ls-files -v tag
    tracked = set(tags)
    # `--modified` does not see a file flagged skip-worktree (S) or assume-unchanged
    # (a lowercase tag): its local bytes may differ from git's, and git cannot restore
    # them. Anything but a plain cached entry (H) counts as changed.
    changed = set(modified.stdout.decode("utf-8", "replace").split("\0"))
    changed |= {p for p, tag in tags.items() if tag != "H"}
    ignored_set = set(ignored.stdout.decode("utf-8", "replace").split("\0"))
    return {p: (MODIFIED if p in changed else TRACKED) if p in tracked else IGNORED if p in ignored_set
            else UNTRACKED for p in paths}
