"""The warm cache: a run whose every input is unchanged reuses the last result.

schemafix's rules look at the whole project (an import is broken or not depending on
another file's exports), so the unit cached is one run's ``Outcome``, keyed on
everything the engine reads: schemafix's own code (version and the files it runs
from), the tree-sitter grammar, the tsconfig as loaded, every source's content hash,
the files reported on, the workspace packages, the settings and the enabled rules.
Questions the run asked of the disk later (``codemod.disk``: does a file exist, what
did git see renamed, is a file tracked) are stored with their answers, and the entry
is used only when each is answered the same way again.

Entries live in ``.schemafix_cache/`` at the project root (``--cache-dir``,
``SCHEMAFIX_CACHE_DIR``; ``--no-cache`` or ``SCHEMAFIX_NO_CACHE=1`` bypass it), one file
per project, tsconfig, settings and target set, written atomically (concurrent runs:
the last one wins, a reader sees a whole file or none). An entry is trusted only when
its header, checksum and key all match; anything else is a miss, never an error. The
folder holds a ``.gitignore`` of ``*`` and a ``CACHEDIR.TAG``, like ruff's.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib.util
import json
import os
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Mapping

from . import __version__, disk, facts_cache, sealed
from .writes import write_atomic
from .engine import Outcome

FOLDER = ".schemafix_cache"
ENV_DIR = "SCHEMAFIX_CACHE_DIR"
ENV_OFF = "SCHEMAFIX_NO_CACHE"
MAGIC = b"schemafix-cache 3\n"
KEEP = 64  # entries kept per cache folder; the oldest go first
_TAG = b"Signature: 8a477f597d28d172789f06886806bc55\n# schemafix's cache (see codemod/cache.py)\n"


def switched_off() -> bool:
    """``SCHEMAFIX_NO_CACHE`` set to anything but empty or ``0``."""
    return os.environ.get(ENV_OFF, "").strip() not in ("", "0")


def folder(root: Path, option: Path | None = None) -> Path | None:
    """Where the cache lives, or None when it is switched off by the environment."""
    if switched_off():
        return None
    if option is not None:
        return Path(option)
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    return Path(root) / FOLDER


def digest(value) -> str:
    """A stable hash of plain data (sets sorted, dataclasses by field, paths as text)."""
    return hashlib.sha256(json.dumps(_canonical(value), separators=(",", ":")).encode()).hexdigest()


def _canonical(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: _canonical(getattr(value, f.name))
                                       for f in dataclasses.fields(value) if f.compare}]
    if isinstance(value, Mapping):
        if all(type(k) is str and type(v) is str for k, v in value.items()):  # each file's hash
            digested = _strings_digest("pairs", [s for pair in sorted(value.items()) for s in pair])
            if digested is not None:
                return digested
        pairs = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        if all(type(k) is str for k, _ in pairs):  # a file's path, say: no JSON text to sort by
            return sorted(pairs, key=itemgetter(0))
        return sorted(pairs, key=json.dumps)
    if isinstance(value, (set, frozenset)):
        if all(type(v) is str for v in value):  # paths: a whole run's targets are every file
            digested = _strings_digest("set", sorted(value))
            if digested is not None:
                return digested
        return sorted((_canonical(v) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    raise TypeError(f"cannot key the cache on a {type(value).__name__}")


def _strings_digest(kind: str, strings: list[str]) -> list | None:
    """Many strings (19,813 paths and their hashes) as ``[kind, their digest]``, hashed
    in C (2 ms where their JSON took 15); None when one holds a NUL, the separator."""
    text = "\0".join(strings)
    if not strings or text.count("\0") != len(strings) - 1:
        return None
    return [kind, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()]


def code_identity() -> list:
    """schemafix as it runs now: its version, the grammar's, and the size and mtime of
    each of its own files (an editable install changes without a new version)."""
    here = Path(__file__).resolve().parent
    own = []
    for package in (here, here.parent / "rewriters"):
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".scm"):
                st = path.stat()
                own.append([str(path.relative_to(here.parent)), st.st_size, st.st_mtime_ns])
    return [__version__, _binaries("tree_sitter", "tree_sitter_typescript"), own]


def _binaries(*packages: str) -> list:
    """The compiled files (size and mtime) of the parser and grammar packages: another
    release of either is another binary (a stat, where asking the installed version
    would load ``importlib.metadata``: a fifth of a warm run's start-up). The packages
    are found, not imported (the grammar's import costs a warm run ~6 ms)."""
    out = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        folder = Path(spec.origin).parent if spec is not None and spec.origin else None
        if folder is None:
            raise OSError(f"package {name} not found")
        for path in sorted(folder.glob("*.so")) + sorted(folder.glob("*.pyd")):
            st = path.stat()
            out.append([name, path.name, st.st_size, st.st_mtime_ns])
    return out


class RunCache:
    """One cache folder. ``slot`` names an entry (what may be stored over: the same
    project, settings and targets); ``key`` is everything the result depends on."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self, slot: str, key: str, sources: Mapping[str, bytes], seen: disk.Disk) -> Outcome | None:
        """The stored outcome for ``key``, if the entry is whole, was stored for this key,
        and every question its run asked of the disk gets the same answer now."""
        try:
            raw = (self.path / slot).read_bytes()
        except OSError:
            return None
        try:
            entry = _read(raw)
            if entry.get("key") != key or not (seen.still_missing(entry["misses"])
                                               and seen.still_true(entry["answers"])):
                return None
            outcome = _unpack(entry["outcome"], sources)
        except Exception:  # truncated, corrupt, tampered, another version's format: a miss, never an error
            return None
        seen.answers.update(entry["answers"])
        return outcome

    def store(self, slot: str, key: str, outcome: Outcome, answers: Mapping[tuple, object],
              sources: Mapping[str, bytes]) -> bool:
        """Write the entry (``outcome`` of a run on ``sources``) atomically; False (and
        nothing left behind) when it cannot be."""
        misses, rest = disk.split(answers.items())
        try:
            data = sealed.seal_parts(MAGIC, {"key": key, "misses": misses, "answers": rest,
                                             "outcome": _pack(outcome, sources)})
        except Exception:  # a value that does not pickle: no entry, the run goes on
            return False
        try:
            self._prepare()
            write_atomic(self.path / slot, data, durable=False)  # a reader sees the old entry or the new one
            self._prune()
        except OSError:
            return False
        return True

    def _prepare(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _TAG)):
            if not (self.path / name).exists():
                (self.path / name).write_bytes(content)

    def _prune(self) -> None:
        """Keep the ``KEEP`` newest entries (another run may prune at the same time)."""
        entries = []
        for p in self.path.iterdir():
            try:
                if p.name.startswith("run-"):
                    entries.append((p.stat().st_mtime, p))
            except OSError:
                continue
        for _, old in sorted(entries, reverse=True)[KEEP:]:
            try:
                old.unlink()
            except OSError:
                pass


_GITIGNORE = b"# schemafix's cache\n*\n"


def clean(folder: Path) -> list[Path]:
    """Empty the cache folders at and below ``folder`` (``.schemafix_cache``, ``folder``
    itself when it is one): their entries, then the folder when nothing else is left in
    it. Only schemafix's files go: a folder is one of its caches when it holds its
    ``CACHEDIR.TAG``, and a file is its own by name (or content, for the tag and the
    ``.gitignore``). The folders emptied are returned."""
    folder = Path(folder)
    found = [folder] if is_cache_folder(folder) else []
    for current, dirs, _ in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in ("node_modules", ".git")]
        found += [Path(current) / d for d in dirs if d == FOLDER and is_cache_folder(Path(current) / d)]
    for path in found:
        for item in path.iterdir():
            if facts_cache.is_ours(item):  # the per-file facts (facts_cache.py)
                facts_cache.remove_folder(item)
                continue
            ours = (item.name.startswith(("run-", ".run-")) and item.is_file()
                    or item.name == ".gitignore" and item.read_bytes() == _GITIGNORE
                    or item.name == "CACHEDIR.TAG" and item.read_bytes() == _TAG)
            if ours:
                item.unlink(missing_ok=True)
        try:
            path.rmdir()  # only when empty: anything else someone put there stays
        except OSError:
            pass
    return found


def is_cache_folder(path: Path) -> bool:
    try:
        return (Path(path) / "CACHEDIR.TAG").read_bytes() == _TAG
    except OSError:
        return False


def slot_name(*parts) -> str:
    return "run-" + digest(list(parts))[:32]


# -- an outcome on disk: deltas against the sources it was computed from ----------------


def _pack(outcome: Outcome, sources: Mapping[str, bytes]) -> dict:
    original = outcome.original
    bases: list = []
    index: dict[int, int] = {}
    for base in outcome.fixed_bases:
        if id(base) not in index:
            index[id(base)] = len(bases)
            bases.append(_delta(original, base))
    return {
        "original": _delta(sources, original),  # files a fix deletes that are not sources
        "final": _delta(original, outcome.final),
        "fixed": list(outcome.fixed),
        "bases": [index[id(b)] for b in outcome.fixed_bases],
        "base_table": bases,
        "remaining": list(outcome.remaining),
        "problems": list(outcome.problems),
        "passes": outcome.passes,
        "converged": outcome.converged,
        "unsafe_enabled": outcome.unsafe_enabled,
    }


def _unpack(packed: dict, sources: Mapping[str, bytes]) -> Outcome:
    original = _undelta(sources, packed["original"])
    bases = [_undelta(original, d) for d in packed["base_table"]]
    return Outcome(original, _undelta(original, packed["final"]), fixed=list(packed["fixed"]),
                   fixed_bases=[bases[i] for i in packed["bases"]], remaining=list(packed["remaining"]),
                   problems=list(packed["problems"]), passes=packed["passes"], converged=packed["converged"],
                   unsafe_enabled=packed["unsafe_enabled"])


def _delta(original: Mapping[str, bytes], now: Mapping[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
    """``now`` as the files that differ from ``original`` and the ones it no longer has."""
    changed = {p: data for p, data in now.items() if original.get(p) != data}
    return changed, sorted(p for p in original if p not in now)


def _undelta(original: Mapping[str, bytes], delta: tuple[dict[str, bytes], list[str]]) -> dict[str, bytes]:
    changed, removed = delta
    out = {p: data for p, data in original.items() if p not in removed}
    out.update(changed)
    return out


# -- reading an entry: header, checksum, and only schemafix's own value types -----------


# Only schemafix's own value types: a cache file is never a way to run code.
_ALLOWED = sealed.BUILTINS | {("codemod.model", n) for n in ("Diagnostic", "Fix", "Edit", "Deletion", "Problem",
                                                              "Severity", "Applicability")}


def _read(raw: bytes) -> dict:
    entry = sealed.unseal(MAGIC, raw, _ALLOWED)
    if not isinstance(entry, dict) or not {"key", "misses", "answers", "outcome"} <= entry.keys():
        raise ValueError("not a schemafix cache entry")
    if not isinstance(entry["misses"], dict) or not all(
            type(folder) is str and type(names) is list for folder, names in entry["misses"].items()):
        raise ValueError("not a schemafix cache entry")  # a name that is not text fails in still_missing
    entry["answers"] = [(tuple(q), a) for q, a in entry["answers"]]
    return entry


def run_key(*, code: Iterable, root: Path, config, hashes: Mapping[str, str], targets, named, opaque,
            surroundings, settings, rules) -> str:
    """Everything an ``engine.run`` result depends on, except the later disk questions."""
    return digest({
        "code": list(code), "root": root, "config": config, "hashes": dict(hashes),
        "targets": targets, "named": named, "opaque": opaque,
        "packages": surroundings.packages, "imports": surroundings.imports,
        "dependencies": surroundings.dependencies, "settings": settings,
        "rules": [[r.code, r.check.__module__, r.check.__qualname__] for r in rules],
    })
