"""The renames git has seen: the strongest evidence of where a file went.

In a git work tree, ``git diff --cached -M`` lists the renames staged since ``HEAD`` —
exactly the situation of a pre-commit run right after a ``git mv``, or after an editor
rename whose deletion and new file were both staged. With ``since``, the renames
between that revision and the work tree (staged or not). Paths are relative to the
project root; renames into or out of it are left out. No git, not a work tree, or any
git error: no renames (the other evidence still applies).
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .parsing import SOURCE_SUFFIXES


def renames(root: Path, since: str | None = None) -> dict[str, str]:
    """{old path: new path} of the TypeScript sources git saw renamed under ``root``, each
    kept only when the new file still exports every name the old one did, or the same
    declaration under a new name (``kept_names``): git pairs a file with the most similar
    new one, which is also what a split looks like (`content.ts` -> `articles.ts` beside a
    new `comments.ts`), and a split is no rename: what imported the old file cannot all
    follow the one half."""
    args = ["git", "diff", "-M", "--name-status", "--relative", "-z"]
    args += [since] if since else ["--cached", "HEAD"]
    try:
        proc = subprocess.run(args, cwd=root, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    found = parse_name_status(proc.stdout)
    return kept_names(root, found, since) if found else found


def kept_names(root: Path, moves: dict[str, str], since: str | None) -> dict[str, str]:
    """The renames of ``moves`` whose new file exports every name the old one exported,
    or exactly one declaration reading as it did apart from its name, under a name the old
    file did not declare (`portals` -> `developerPortals` in the same staged change): the
    old bytes as ``since`` (else ``HEAD``) holds them, the new as the index (else, with
    ``since``, the work tree) does. A rename whose old bytes cannot be read is kept (no
    evidence against it); one whose new bytes cannot be read is not."""
    try:  # `<rev>:./<path>`: a path relative to ``root``, where git runs
        names = [f"{since or 'HEAD'}:./{old}" for old in moves]
        if not since:
            names += [f":./{new}" for new in moves.values()]
        blobs = _blobs(root, names)
    except (OSError, subprocess.SubprocessError, ValueError):
        return moves
    out = {}
    for i, (old, new) in enumerate(moves.items()):
        if since:
            try:
                after = (Path(root) / new).read_bytes()
            except OSError:
                after = None
        else:
            after = blobs[len(moves) + i]
        before = blobs[i]
        if before is None or (after is not None and _kept_or_renamed(old, before, new, after)):
            out[old] = new
    return out


def _kept_or_renamed(old: str, before: bytes, new: str, after: bytes) -> bool:
    """Does ``new`` (``after``) export every name ``old`` (``before``) did, each name it
    lost renamed in its own declaration (``fingerprints``: the same text but the name, one
    such declaration each, under a name ``old`` did not declare, no two sharing one)?"""
    lost = _exported(old, before) - _exported(new, after)
    if not lost:
        return True
    from .fingerprints import of_bytes, renamed_as  # parsing: only when a name went

    then, now = of_bytes(old, before), of_bytes(new, after)
    taken = [renamed_as(then, now, name) for name in lost]
    return None not in taken and len(set(taken)) == len(taken)


def names_before(root: Path, paths: tuple[str, ...], since: str | None = None) -> dict[str, tuple[str, ...]]:
    """The names each of ``paths`` (relative to ``root``) exported as ``since`` (else
    ``HEAD``) holds it, sorted; a path git does not hold there is left out. No git, or
    any git error: nothing (no evidence)."""
    rev = since or "HEAD"
    try:
        blobs = _blobs(root, [f"{rev}:./{p}" for p in paths])
        out = {}
        for p, data in zip(paths, blobs):
            if data is not None:
                out[p] = tuple(sorted(_exported_through_stars(root, rev, p, data)))
        return out
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}


def changed(root: Path, since: str | None = None) -> frozenset[str]:
    """The paths (relative to ``root``) whose bytes differ between ``since`` (else
    ``HEAD``) and the work tree, staged or not: the only files whose declarations git's
    ``since`` can show renamed. No git, no commit, or any git error: none."""
    args = ["git", "diff", "--name-only", "--relative", "-z", since or "HEAD", "--"]
    try:
        proc = subprocess.run(args, cwd=root, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    if proc.returncode != 0:
        return frozenset()
    return frozenset(p.decode("utf-8", "surrogateescape") for p in proc.stdout.split(b"\0") if p)


def declared_before(root: Path, paths: tuple[str, ...], since: str | None = None) -> dict[str, dict[str, bytes]]:
    """For each of ``paths`` (relative to ``root``) that ``since`` (else ``HEAD``) holds,
    ``fingerprints.of_bytes`` of it there: each exported declaration's text apart from its
    name (one git call). Nothing on any git error."""
    try:
        blobs = _blobs(root, [f"{since or 'HEAD'}:./{p}" for p in paths])
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
    from .fingerprints import of_bytes  # parsing: only when asked

    return {p: of_bytes(p, data) for p, data in zip(paths, blobs) if data is not None}


FOLDER_FILES_MOST = 400  # a folder holding more source files in git than this gives no evidence


def folder_before(root: Path, folder: str, since: str | None = None) -> dict[str, tuple[str, ...]]:
    """Each source file (not a declaration file) git's ``since`` (else ``HEAD``) holds under
    ``folder`` (relative to ``root``, subfolders included), with the names it exported
    there (``names_before``); nothing when git holds none there, or more than
    ``FOLDER_FILES_MOST``, or on any git error."""
    rev = since or "HEAD"
    try:
        proc = subprocess.run(["git", "ls-tree", "-r", "-z", "--name-only", rev, "--", f"./{folder.rstrip('/')}/"],
                              cwd=root, capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return {}
    paths = [p.decode("utf-8", "surrogateescape") for p in proc.stdout.split(b"\0") if p]
    paths = [p for p in paths if p.endswith(SOURCE_SUFFIXES) and not p.endswith((".d.ts", ".d.mts", ".d.cts"))]
    if not paths or len(paths) > FOLDER_FILES_MOST:
        return {}
    return names_before(root, tuple(paths), since)


_STAR_DEPTH = 3  # a root barrel -> a domain index -> its modules


def _exported_through_stars(root: Path, rev: str, path: str, data: bytes, depth: int = 0) -> set[str]:
    """``_exported`` of ``path`` (as ``rev`` holds it, ``data``), and the names its relative
    `export * from` lines bring, followed in ``rev`` (a domain index of star lines exports
    what its modules do); a line ``rev`` cannot resolve adds nothing. Each file is read once."""
    from .facts import REEXPORT, gather_facts  # as in ``_exported``
    from .resolve import is_relative

    facts = gather_facts(path, data)
    names = _exported_by(facts)
    if depth >= _STAR_DEPTH:
        return names
    for site in facts.imports:
        if site.kind != REEXPORT or not site.star or site.type_only or not is_relative(site.specifier):
            continue
        options = candidates(path, site.specifier)
        for c, blob in zip(options, _blobs(root, [f"{rev}:./{c}" for c in options])):
            if blob is not None:
                names |= _exported_through_stars(root, rev, c, blob, depth + 1) - {"default"}
                break
    return names


def follow_base(moves: Mapping[str, str], base: str) -> str | None:
    """Where git saw the file go that ``base`` (a root-relative path a tsconfig alias
    gives, extension as written) could have named: the new path, or None."""
    found = {moves[c] for c in _files_of(posixpath.normpath(base.rstrip("/"))) if c in moves}
    return found.pop() if len(found) == 1 else None


def candidates(importer: str, specifier: str) -> list[str]:
    """The files a relative ``specifier`` of ``importer`` could have named."""
    return _files_of(posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier.rstrip("/"))))


def _files_of(base: str) -> list[str]:
    stem, ext = posixpath.splitext(base)
    found = [stem + _JS_TO_TS[ext]] if ext in _JS_TO_TS else []
    found += [base] if base.endswith(SOURCE_SUFFIXES) else []
    return found + [base + e for e in _SOURCE_ENDINGS]


def _blobs(root: Path, names: list[str]) -> list[bytes | None]:
    """The bytes of each ``<rev>:<path>`` in ``names`` (None: missing), one git call."""
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="".join(n + "\n" for n in names).encode(
        "utf-8", "surrogateescape"), capture_output=True, timeout=30, check=True)
    out: list[bytes | None] = []
    data, at = proc.stdout, 0
    for _ in names:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            out.append(None)  # "<name> missing", or not a file
            continue
        size = int(header[2])
        out.append(data[at:at + size])
        at += size + 1
    return out


def _exported(path: str, data: bytes) -> set[str]:
    """The names a module exports by name (its own and those it re-exports by name)."""
    from .facts import gather_facts  # facts -> parsing: only when git saw a rename

    return _exported_by(gather_facts(path, data))


def _exported_by(facts) -> set[str]:
    from .facts import REEXPORT

    names = {e.name for e in facts.exports}
    names |= {e.local or e.imported for site in facts.imports if site.kind == REEXPORT
              for e in site.entries if e.imported != "*" or e.local}
    return names


def parse_name_status(output: bytes) -> dict[str, str]:
    """Renames in ``git diff --name-status -z`` output: ``R<score>\\0old\\0new\\0``."""
    fields = output.decode("utf-8", "replace").split("\0")
    out: dict[str, str] = {}
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            if status.startswith("R") and old.endswith(SOURCE_SUFFIXES) and new.endswith(SOURCE_SUFFIXES) \
                    and not old.startswith("../") and not new.startswith("../"):
                out[old] = new
            i += 3
        else:
            i += 2
    return out


_SOURCE_ENDINGS = (".ts", ".tsx", ".mts", ".cts", "/index.ts", "/index.tsx", "/index.mts")
_JS_TO_TS = {".js": ".ts", ".jsx": ".tsx", ".mjs": ".mts", ".cjs": ".cts"}


def follow(moves: Mapping[str, str], importer: str, specifier: str) -> str | None:
    """Where git saw the file a relative ``specifier`` of ``importer`` named go: the new
    path, or None (not relative, or no rename of any file it could have named). When
    ``importer`` was moved itself, the specifier is read from its old place as well."""
    if not specifier.startswith(("./", "../")) or not moves:
        return None
    found = _moved(moves, importer, specifier)
    if not found:  # the importer moved too (a folder renamed with its files): from where it was
        old = moved_from(moves, importer)
        found = _moved(moves, old, specifier) if old is not None else set()
    return found.pop() if len(found) == 1 else None


def moved_from(moves: Mapping[str, str], path: str) -> str | None:
    """Where git saw ``path`` renamed from (None: not renamed, or from two places)."""
    old = [before for before, after in moves.items() if after == path]
    return old[0] if len(old) == 1 else None


def _moved(moves: Mapping[str, str], importer: str, specifier: str) -> set[str]:
    return {moves[c] for c in candidates(importer, specifier) if c in moves}
