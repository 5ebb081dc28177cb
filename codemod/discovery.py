"""Discovery: the project root, its source files and their contents.

``load`` finds the root, reads its tsconfig, walks the folders (honouring ``.gitignore``,
``--exclude`` and the tsconfig's program) and reads every source file, noting the ones it
cannot read as problems. Everything downstream works on the resulting
``{relative posix path: bytes}`` mapping, so tests can build projects in memory. Writing
back is ``codemod.writes``'; serialising ``--apply`` runs is ``codemod.locking``'.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from . import tsconfig as tsconfig_mod
from .model import Problem
from .parsing import SOURCE_SUFFIXES

ALWAYS_SKIPPED = frozenset({"node_modules", ".git", "dist", "build"})
MAX_FILE_BYTES = 10 * 1024 * 1024 + 1024 * 1024  # 11 MiB: generated files are fine, blobs are not


class InputError(Exception):
    """Bad input that stops the run (exit 2): missing path, unusable tsconfig, ..."""


@dataclass
class Workspace:
    root: Path
    config: tsconfig_mod.TsConfig
    sources: dict[str, bytes]  # every readable source file under the root
    targets: frozenset[str]  # the files the user asked about (edited and reported)
    problems: list[Problem] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()  # source files left out on purpose: .gitignore'd or excluded
    named: frozenset[str] = frozenset()  # source files named one by one (not through a folder)
    include: tuple[str, ...] = ()  # ``include`` patterns: when given, only matching files are targets

    @property
    def skipped(self) -> frozenset[str]:
        """Source files that exist but were not read: unreadable, not UTF-8, mostly NUL,
        too large, a symlink out of the root, or left out by ``.gitignore`` /
        ``--exclude``. Their exports are unknown."""
        unread = {p.path for p in self.problems if p.path.endswith(SOURCE_SUFFIXES) and p.path not in self.sources}
        return frozenset(unread | self.hidden)


def find_root(paths: list[Path], explicit: Path | None = None) -> Path:
    if explicit is not None:
        if not explicit.is_dir():
            raise InputError(f"--root {explicit}: not a folder")
        return explicit.resolve()
    start = paths[0].resolve()
    start = start if start.is_dir() else start.parent
    for marker in ("tsconfig.json", "package.json"):
        for folder in (start, *start.parents):
            if (folder / marker).is_file():
                return folder
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True,
                             text=True, check=False, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip()).resolve()
    except (OSError, subprocess.SubprocessError):
        pass
    return start


def digest(data: bytes) -> str:
    """The content hash kept for each file read (``Workspace.hashes``); a write checks it."""
    return hashlib.sha256(data).hexdigest()


def load(paths: list[Path], *, root: Path | None = None, exclude: tuple[str, ...] = (),
         include: tuple[str, ...] = ()) -> Workspace:
    """Find the root, read its tsconfig and every source file under it.

    ``exclude`` and ``include`` are .gitignore-style patterns relative to the root (a bare
    name matches at any depth): excluded files are not read at all; when ``include`` is
    given, only matching files are targets (edited and reported)."""
    paths = paths or [Path(".")]
    for p in paths:
        if not os.path.lexists(p):
            raise InputError(f"{p}: no such file or folder")
    root = find_root(paths, root)
    config_path = root / "tsconfig.json"
    try:
        config = tsconfig_mod.load(config_path) if config_path.is_file() else tsconfig_mod.TsConfig()
    except tsconfig_mod.ConfigError as exc:
        raise InputError(str(exc)) from None
    problems: list[Problem] = []
    hidden: set[str] = set()
    files = _discover(root, pathspec.GitIgnoreSpec.from_lines(exclude), problems, hidden)
    program = tsconfig_mod.in_program(config, root)
    hidden.update(f for f in files if not program(f))  # outside the tsconfig's program: exists, not read
    files = [f for f in files if program(f)]
    sources: dict[str, bytes] = {}
    hashes: dict[str, str] = {}
    for rel in files:
        data = _read(root / rel, rel, problems)
        if data is not None:
            sources[rel] = data
            hashes[rel] = digest(data)
    targets, named = _targets(root, paths, files)
    if include:
        wanted = pathspec.GitIgnoreSpec.from_lines(include)
        targets = {t for t in targets if wanted.match_file(t)}
    return Workspace(root, config, sources, frozenset(t for t in targets if t in sources), problems, hashes,
                     frozenset(hidden), frozenset(named), include)


def _targets(root: Path, paths: list[Path], files: list[str]) -> tuple[set[str], set[str]]:
    """(every file the paths stand for, the files among them named one by one)."""
    out: set[str] = set()
    named: set[str] = set()
    for p in paths:
        resolved = p.resolve()
        try:
            rel = resolved.relative_to(root).as_posix()
        except ValueError:
            raise InputError(f"{p}: outside the project root {root}") from None
        if resolved.is_dir():
            prefix = "" if rel == "." else rel + "/"
            out.update(f for f in files if f.startswith(prefix))
        elif rel in files:
            out.add(rel)
            named.add(rel)
    return out, named


def _discover(root: Path, exclude: pathspec.PathSpec, problems: list[Problem],
              hidden: set[str] | None = None) -> list[str]:
    """The source files under ``root``. Source files and folders left out on purpose
    (``.gitignore``, ``--exclude``) are added to ``hidden``: they exist, so imports of
    them must not look broken."""
    hidden = hidden if hidden is not None else set()
    found: list[str] = []
    seen_dirs: set[str] = set()
    ignores: list[tuple[str, pathspec.PathSpec]] = []

    def ignored(rel: str, is_dir: bool) -> bool:
        for prefix, spec in outer:  # .gitignore files above the root, up to the repository's top
            if spec.match_file(prefix + rel + ("/" if is_dir else "")):
                return True
        for base, spec in ignores:
            if base and not rel.startswith(base + "/"):
                continue
            sub = rel[len(base) + 1:] if base else rel
            if spec.match_file(sub + ("/" if is_dir else "")):
                return True
        return False

    def walk(folder: Path, rel: str) -> None:
        real = os.path.realpath(folder)
        if real in seen_dirs:
            problems.append(Problem(rel or ".", "symlink loop or repeated folder; entered once"))
            return
        seen_dirs.add(real)
        gitignore = folder / ".gitignore"
        if gitignore.is_file():
            try:
                lines = gitignore.read_text("utf-8", "replace").splitlines()
                ignores.append((rel, pathspec.GitIgnoreSpec.from_lines(lines)))
            except OSError:
                pass
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(rel or ".", f"cannot list folder ({exc.strerror})"))
            return
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                looks_dir = entry.is_dir()
            except OSError:
                looks_dir = False
            if entry.name in ALWAYS_SKIPPED:
                continue
            if exclude.match_file(child + ("/" if looks_dir else "")):
                _note_hidden(entry, child, looks_dir, hidden)
                continue
            is_link = entry.is_symlink()
            if is_link:
                target = os.path.realpath(entry.path)
                if not os.path.exists(target):
                    if entry.name.endswith(SOURCE_SUFFIXES):
                        problems.append(Problem(child, "dangling symlink; skipped"))
                    continue
                if os.path.commonpath([target, real_root]) != real_root:
                    if entry.name.endswith(SOURCE_SUFFIXES) or os.path.isdir(target):
                        problems.append(Problem(child, "symlink points outside the project root; skipped"))
                    continue
                # Inside the root: the target is listed under its real path (TypeScript resolves
                # symlinks to real paths too), so the link itself is skipped. Following it would
                # list files twice, or under the link's name instead of their own, and a loop
                # (`src/loop -> src`) ends here.
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if ignored(child, True):
                    _note_hidden(entry, child, True, hidden)
                    continue
                walk(Path(entry.path), child)
            elif entry.name.endswith(SOURCE_SUFFIXES):
                if ignored(child, False):
                    hidden.add(child)
                else:
                    found.append(child)

    real_root = os.path.realpath(root)
    outer = _outer_gitignores(Path(real_root))
    walk(Path(real_root), "")
    return found


def _outer_gitignores(root: Path) -> list[tuple[str, pathspec.PathSpec]]:
    """(path of the root relative to the folder, its .gitignore) for each folder above the
    root inside the same git repository (none when the root is the repository's top)."""
    out = []
    if (root / ".git").exists():
        return out
    for folder in root.parents:
        gitignore = folder / ".gitignore"
        if gitignore.is_file():
            try:
                spec = pathspec.GitIgnoreSpec.from_lines(gitignore.read_text("utf-8", "replace").splitlines())
                out.append((root.relative_to(folder).as_posix() + "/", spec))
            except OSError:
                pass
        if (folder / ".git").exists():
            return out
    return []  # not inside a git repository: outer .gitignore files do not apply


def _note_hidden(entry: os.DirEntry, rel: str, is_dir: bool, hidden: set[str]) -> None:
    """Remember a source file left out on purpose, or every source file in such a folder
    (names only: nothing is read)."""
    if not is_dir:
        if entry.name.endswith(SOURCE_SUFFIXES):
            hidden.add(rel)
        return
    for folder, dirs, names in os.walk(entry.path):  # does not follow symlinked folders
        dirs[:] = [d for d in dirs if d not in ALWAYS_SKIPPED]
        base = Path(folder).relative_to(entry.path).as_posix()
        for name in names:
            if name.endswith(SOURCE_SUFFIXES):
                hidden.add(posixpath.normpath(f"{rel}/{base}/{name}"))


def _read(path: Path, rel: str, problems: list[Problem]) -> bytes | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(rel, f"larger than {MAX_FILE_BYTES // 2**20} MiB; skipped"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(rel, f"cannot read ({exc.strerror or exc})"))
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, f"not valid UTF-8 (byte {exc.start}); skipped"))
        return None
    # A NUL character is legal in UTF-8 text (a raw NUL inside a template literal); a file
    # that is NUL every other byte is UTF-16 without a BOM (or binary), not source text.
    if data.count(0) * 10 > len(data):
        problems.append(Problem(rel, "mostly NUL bytes (UTF-16 or binary?); not a text file, skipped"))
        return None
    return data
