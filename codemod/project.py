"""One analysed snapshot of the project: parsed files, facts, resolver, export map.

Built from a ``{path: bytes}`` mapping, so the engine can rebuild it after each pass
and tests can build it from strings.
"""

from __future__ import annotations

import bisect
import marshal
import weakref
from abc import ABC, abstractmethod
from array import array
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping

from tree_sitter import Node, Tree

from . import gather
from .exportmap import ExportMap
from .facts import FileFacts, gather_facts
from .lines import end_of_line, start_of_line
from .parsing import parse_with_gaps
from .resolve import Resolver, Surroundings
from .sealed import BUILTINS, Packed, unpack
from .tsconfig import TsConfig

if TYPE_CHECKING:
    from .facts_cache import Entry, FactsCache  # facts_cache -> writes -> discovery -> project


# A run keeps its export map for the next one when none was kept, or when more than this
# many files (or 1% of them) changed since the kept one: after a small edit the kept map,
# derived again, serves.
KEEP_EXPORTS_AFTER = 64

def _many(changed: int, files: int) -> bool:
    """Have so many files changed since a kept value that it is worth keeping anew?"""
    return changed > max(KEEP_EXPORTS_AFTER, files // 100)


# Memo kinds (a memo ``(kind,)`` of the whole project that rules ask ``Project.carried``
# for) whose values are kept between runs too: kind -> (to plain data, back). See
# ``carry_between_runs``.
KEPT_CARRIED: dict[str, tuple[Callable[[object], object], Callable[[object], object]]] = {}


def carry_between_runs(kind: str, encode: Callable[[object], object], decode: Callable[[object], object]) -> None:
    """Keep memo ``(kind,)``, which a rule carries from snapshot to snapshot
    (``Project.carried``), between runs as well: the first snapshot of a run then gets
    the value an earlier run computed, with every file whose bytes differ since and every
    file reaching one of them as ``affected``. ``encode`` turns the value (a collection,
    whose length tells how full it is) into plain data (builtins only), ``decode`` back
    (raising TypeError or ValueError on anything else); the value must obey
    ``carried``'s contract."""
    KEPT_CARRIED[kind] = (encode, decode)


def unaffected(project: Project, key: tuple) -> dict:
    """For a carried memo (``Project.carried``) whose value maps each file's path to what
    was read of that file: the items of ``project``'s files outside ``affected``, which
    still hold in ``project`` (none without a carried value). A kept value naming another
    file (only a forged cache holds one) gives nothing for it."""
    carried = project.carried(key)
    if carried is None:
        return {}
    value, affected = carried
    files = project.files
    return {path: item for path, item in value.items() if path not in affected and path in files}


def read_by_file(project: Project, key: tuple, read: Callable[[SourceFile], object]) -> dict:
    """A carried memo ``key`` whose value maps each file's path to what was read of that
    file: the items still holding (``unaffected``), and ``read(file)`` of every other file."""
    out = unaffected(project, key)
    for path, file in project.files.items():
        if path not in out:
            out[path] = read(file)
    return out


class Unchecked(tuple):
    """A file's rows as an earlier run kept them, taken back without checking their shape
    (``decode_by_file`` with ``decode_item=Unchecked.of``): the rule checks them when it
    first uses that file's rows (a commit hook uses a few files' of 19,813). Rows computed
    in this run are plain tuples, never checked. ``encode_by_file`` writes plain tuples."""

    __slots__ = ()

    @classmethod
    def of(cls, rows) -> Unchecked | tuple:
        if type(rows) is not tuple:
            raise TypeError("not a file's rows")
        return cls(rows) if rows else ()  # no rows (most files): nothing to check


class PackedRows(ABC):
    """A file's rows as an earlier run kept them, packed (``sealed.pack``) beside what an
    index over every file reads of them (a subclass's other slots): unpacked and checked
    (``fits``) the first time a rule asks for that file's rows, so that a commit hook,
    which asks for a few files', unpacks a few."""

    __slots__ = ("payload", "_rows")

    def __init__(self, payload: bytes):
        self.payload = payload
        self._rows: tuple | None | bool = False  # False: not unpacked yet

    def rows(self) -> tuple | None:
        """The rows, None when they are not what the index beside them announces (a forged
        cache: a kept value is checksummed)."""
        if self._rows is False:
            try:
                rows = unpack(self.payload, BUILTINS)
            except Exception:  # only a forged value gets here
                rows = None
            self._rows = rows if type(rows) is tuple and self.fits(rows) else None
        return self._rows

    @abstractmethod
    def fits(self, rows: tuple) -> bool:
        """Are ``rows`` what the index beside them announces?"""


def encode_by_file(value: Mapping[str, object], item: Callable[[object], object] = lambda rows: rows) -> tuple:
    """``carry_between_runs``' encoder for a value that maps paths to a file's rows:
    ``((every path, ...), {path: item(rows)})`` for the files with rows only (most files
    have no relations(): 1,785 of 19,813), rows taken back unchecked (``Unchecked``)
    written as the plain tuples they are."""
    return (tuple(value), {path: item(tuple(rows) if type(rows) is Unchecked else rows)
                           for path, rows in value.items() if rows})


def decode_by_file(kept, decode_item: Callable[[object], object]) -> dict[str, object]:
    """``carry_between_runs``' decoder for ``encode_by_file``'s values: ``decode_item``
    checks and converts the item of each file with rows (TypeError or ValueError on
    another shape); every other path has none, ``()``. A commit hook decodes the value
    of a large project: the paths are taken in C, the items of the few files with rows
    one by one."""
    if type(kept) is not tuple or len(kept) != 2 or type(kept[0]) is not tuple or type(kept[1]) is not dict:
        raise TypeError("not rows by file")
    paths, found = kept
    out: dict[str, object] = dict.fromkeys(paths, ())
    if len(out) != len(paths) or not found.keys() <= out.keys():
        raise ValueError("rows of paths the value does not list")
    for path, item in found.items():
        out[path] = decode_item(item)
    return out


def strings(item) -> tuple[str, ...]:
    """``decode_by_file``'s ``decode_item`` for a file's item that is a tuple of strings."""
    if type(item) is not tuple or not all(type(s) is str for s in item):
        raise TypeError("not a file's strings")
    return item


class PackedSummary:
    """A file's summary held as ``marshal`` bytes (``packed_summary``): unpacked each time
    a rule asks for it. For a summary that is large and read about once a pass: the
    properties of the relations modules were 44 MB of objects at 19,813 files, ~7 times
    their bytes, most of them only read when a pass makes the relations graph's rows."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes):
        self.blob = blob

    def value(self):
        return marshal.loads(self.blob)

    def __eq__(self, other) -> bool:  # by value: marshal's bytes depend on how objects are shared
        return type(other) is PackedSummary and self.value() == other.value()

    __hash__ = None  # type: ignore[assignment]


_ABSENT = object()  # a summary a file does not hold yet (None is a value)

# The names (a summary key's first item) of the summaries held packed.
PACKED: set[str] = set()


def packed_summary(name: str) -> None:
    """Hold the summaries named ``name`` packed (``PackedSummary``): plain data only (str, int,
    bool, None, tuples, frozensets), as any summary."""
    PACKED.add(name)


def pack(key, value):
    """``value`` as a file holds summary ``key``: ``PackedSummary`` when its name is registered."""
    if type(key) is tuple and key and key[0] in PACKED and type(value) is not PackedSummary:
        try:
            return PackedSummary(marshal.dumps(value))
        except ValueError:  # not plain data: held as it is
            return value
    return value


def unpacked(value):
    """A summary's value as a file holds it, unpacked."""
    return value.value() if type(value) is PackedSummary else value


# Summaries every file gets when it is parsed (``eager_summary``), while its tree is at
# hand: key -> compute(file).
EAGER: dict[tuple, Callable[[SourceFile], object]] = {}


def eager_summary(key: tuple):
    """Register ``compute(file)`` (plain data, read from that file alone) as a summary
    (``SourceFile.summary``) taken of every file as it is parsed: for what a rule reads
    of nearly every file, so that no file is parsed a second time for it once its tree
    has been let go. ``key`` names the summary and must not depend on anything else.
    ``compute`` may take other summaries of the file (``file.summary``): they are kept
    too, and must be plain data as well."""
    def register(compute: Callable[[SourceFile], object]):
        EAGER[key] = compute
        return compute
    return register


@dataclass
class SourceFile:
    path: str
    data: bytes
    _tree: Tree | None  # None until a rule asks for it (see ``tree``)
    _facts: FileFacts | None  # None until read from its facts-cache entry (see ``facts``)

    _own: dict = field(default_factory=dict, repr=False, compare=False)
    _entry: Entry | None = field(default=None, repr=False, compare=False)  # its facts-cache entry

    @classmethod
    def parse(cls, path: str, data: bytes) -> SourceFile:
        """The file's facts and eager summaries, read from its tree; the tree itself is
        let go (most rules read facts and summaries only: the trees of a large project
        would be most of its memory) and parsed again when a rule asks for it."""
        tree, gaps = parse_with_gaps(path, data)
        file = cls(path, data, tree, gather_facts(path, data, tree, gaps))
        for key, compute in EAGER.items():
            file._own[key] = pack(key, compute(file))
        file._tree = None
        return file

    @classmethod
    def known(cls, path: str, data: bytes, facts: FileFacts | None, entry: Entry | None = None) -> SourceFile:
        """A file whose facts are known already, or kept in ``entry`` (``FactsCache``)
        and read from it when asked for: its tree is parsed the first time a rule asks
        for it, then kept (a node keeps its identity for the file's lifetime)."""
        return cls(path, data, None, facts, _entry=entry)

    @property
    def facts(self) -> FileFacts:
        """Read from the file's facts-cache entry the first time they are asked for (a
        commit hook's run reads those of a few files); gathered again from the file when
        the entry holds none (damaged)."""
        facts = self._facts
        if facts is None:
            entry = self._entry
            facts = entry.facts if entry is not None else None
            if facts is None:
                tree, gaps = parse_with_gaps(self.path, self.data)
                facts = gather_facts(self.path, self.data, tree, gaps)
                if entry is not None:
                    entry.replace(facts)
            self._facts = facts
        return facts

    @property
    def tree(self) -> Tree:
        """Parsed the first time a rule asks, then kept (a node keeps its identity for
        the file's lifetime)."""
        if self._tree is None:
            self._tree = parse_with_gaps(self.path, self.data)[0]
        return self._tree

    def passing_tree(self) -> Tree:
        """The tree for a read that keeps no node past it: the file's kept tree when a
        rule asked for it already, else parsed and not kept (a report of a file it leaves
        unchanged would hold its tree to the end of the run)."""
        return self._tree if self._tree is not None else parse_with_gaps(self.path, self.data)[0]

    @property
    def has_error(self) -> bool:
        """``facts.has_error``, without reading the facts kept in the file's entry: rules
        ask it of every file."""
        if self._facts is None and self._entry is not None:
            return self._entry.has_error
        return self.facts.has_error

    def memo(self, key, compute: Callable[[], object]):
        """Compute a fact of this file alone (its bytes and tree, nothing another file
        says) once: the next snapshot reuses this SourceFile while its bytes are
        unchanged, so the fact lasts across passes. (``Project.memo`` is for facts of the
        whole snapshot.)"""
        if key not in self._own:
            self._own[key] = compute()
        return self._own[key]

    def summary(self, key: tuple, compute: Callable[[], object]):
        """``memo`` for a value kept between runs too, in the file's facts-cache entry:
        ``compute`` reads this file alone (its bytes and tree) and returns plain data
        (str, int, bool, None, tuples, frozensets), and ``key`` names every other input
        it reads. (``FileFacts`` are the facts every run needs; a summary is what some
        rule needs, computed the first time it asks.) A tree parsed for it is not kept, so
        ``compute`` must leave no node in an object that outlives it."""
        held = self._own.get(key, _ABSENT)
        if held is not _ABSENT:  # every rule asks most files for some: one lookup, no call
            return held.value() if type(held) is PackedSummary else held
        entry = self._entry
        found, value = entry.summary(key) if entry is not None else (False, None)
        if not found:
            parsed = self._tree is not None
            value = compute()
            if not parsed:
                self._tree = None  # a summary holds no node: a tree parsed for it alone goes with it
            held = self._own[key] = pack(key, value)
            if entry is not None:
                entry.keep(key, held)
            return value
        self._own[key] = pack(key, value)
        return unpacked(value)

    @cached_property
    def _line_starts(self) -> array:
        """Where each line starts, for ``position``: 8 bytes a line, not a list's 36 (every
        file a report is about keeps them: 13.8 MB as lists at 19,813 files)."""
        starts, find = array("q", [0]), self.data.find
        at = find(b"\n")
        while at != -1:
            starts.append(at + 1)
            at = find(b"\n", at + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column in characters) of a byte offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        column = len(self.data[start:offset].decode("utf-8", "replace"))
        if line == 0 and self.data.startswith(b"\xef\xbb\xbf"):
            column -= 1
        return line + 1, column + 1

    def line_span(self, start: int, end: int) -> tuple[int, int]:
        """Widen [start, end) to whole lines, the newline after ``end`` included."""
        return start_of_line(self.data, start), end_of_line(self.data, end)

    @property
    def newline(self) -> bytes:
        return b"\r\n" if b"\r\n" in self.data[:4096] else b"\n"

    def node_text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8")


class _FactsOf(Mapping):
    """The facts of a snapshot's files, each read when asked for (``SourceFile.facts``):
    an export map restored from an earlier run reads those of the changed files only."""

    __slots__ = ("_files",)

    def __init__(self, files: dict[str, SourceFile]):
        self._files = files

    def __getitem__(self, path: str) -> FileFacts:
        return self._files[path].facts

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path) -> bool:
        return path in self._files

    def keys(self):
        return self._files.keys()


# The kind (first element) of every memo key a rule has asked ``Project.carried`` for:
# only those memos are kept of a base snapshot.
_CARRIED_KINDS: set = set()


class _Base:
    """What a snapshot keeps of the one it was built from (``Project.build(previous=)``),
    when the two share a resolver: never the base Project itself, so that no snapshot
    keeps its base's base alive (see ``Project.carried``)."""

    __slots__ = ("memo", "exports", "project", "changed")

    def __init__(self, previous: Project, changed: frozenset[str]):
        self.memo = self.carried_memos(previous._memo, changed)
        self.exports: ExportMap | None = previous.__dict__.get("exports")  # dropped once ours is derived
        self.project = weakref.ref(previous)  # for an export map the base builds after this snapshot
        self.changed = changed  # the files whose bytes differ

    @staticmethod
    def carried_memos(memo: dict, changed: frozenset[str]) -> dict:
        """Only the memos rules carry, and none about a changed file (a key ``(kind, path)``
        is that file's): the others, and the trees their values hold (the old versions
        of the changed files among them), go with the base. A ``lasting`` value's key
        names all it read: it holds for any snapshot that asks for the same key."""
        return {k: v for k, v in memo.items()
                if k[0] == "lasting" or (k[0] in _CARRIED_KINDS and not (len(k) == 2 and k[1] in changed))}


@dataclass
class Project:
    root: Path
    files: dict[str, SourceFile]
    config: TsConfig = field(default_factory=TsConfig)
    opaque: frozenset[str] = frozenset()  # files that exist but were not read: exports unknown
    surroundings: Surroundings = field(default_factory=Surroundings)  # what the resolver asks of the disk

    @classmethod
    def build(cls, root: Path, sources: Mapping[str, bytes], config: TsConfig | None = None,
              previous: Project | None = None,
              progress: Callable[[int, int], None] | None = None,
              opaque: frozenset[str] | None = None, surroundings: Surroundings | None = None,
              facts: FactsCache | None = None, parallel_from: int = gather.MIN_FILES,
              hashes: Mapping[str, str] | None = None) -> Project:
        """Parse ``sources`` (reusing ``previous``'s files whose bytes did not change, and
        the facts ``facts`` has for the others); ``progress(done, total)`` is called as
        files are read. When ``parallel_from`` or more files are left to parse (or fewer
        holding ``gather.MIN_BYTES``), worker processes gather their facts and eager
        summaries (``gather.py``). No tree is kept:
        a rule that asks for one has it parsed then. ``config``, ``opaque`` and
        ``surroundings`` default to ``previous``'s. ``hashes``: each source's
        ``discovery.digest``, as discovery kept them (the facts' keys rest on them)."""
        files: dict[str, SourceFile | None] = {}
        changed, unknown = [], []
        total, done = len(sources), 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        pending = 0  # files taken as they were or from the facts cache, not yet told to ``progress``
        for path, data in sources.items():
            old = previous.files.get(path) if previous is not None else None
            if old is not None and old.data == data:
                files[path] = old
            else:
                changed.append(path)
                known = facts.get(path, data, hashes.get(path) if hashes else None) if facts is not None else None
                if known is None:  # gathered below
                    files[path] = None
                    unknown.append(path)
                    continue
                files[path] = SourceFile(path, data, None, None, _entry=known)  # its facts read when asked for
            pending += 1
            if pending == 1024:  # a call per file was 0.01 s at 19,813 files
                advance(pending)
                pending = 0
        if pending:
            advance(pending)
        pooled = gather.in_processes([(p, sources[p]) for p in unknown], tuple(EAGER), advance,
                                     min_files=parallel_from)
        for path in unknown:
            data = sources[path]
            got = pooled.get(path)
            if got is not None:
                file = SourceFile.known(path, data, got[0])
                file._own.update(got[1])
            else:
                file = SourceFile.parse(path, data)
                advance(1)
            files[path] = file
            if facts is not None:
                entry = file._entry = facts.put(path, data, file.facts, hashes.get(path) if hashes else None)
                for key, value in file._own.items():  # what parsing took: summaries, each plain data
                    entry.keep(key, value)
        if opaque is None:
            opaque = previous.opaque if previous is not None else frozenset()
        if surroundings is None:
            surroundings = previous.surroundings if previous is not None else Surroundings()
        if config is None:
            config = previous.config if previous is not None else TsConfig()
        project = cls(Path(root), files, config, frozenset(opaque) - files.keys(), surroundings)
        project._store = facts if facts is not None else previous._store if previous is not None else None
        project._from_store = facts is not None  # built from the disk's files: may take kept carried values
        if previous is not None:
            project._first_imports = previous._first_imports
        if previous is not None and project._shares_resolver(previous):
            project._base = _Base(previous, frozenset(changed))
            if "resolver" in previous.__dict__:
                project.__dict__["resolver"] = previous.resolver
        return project

    _memo: dict = field(default_factory=dict, repr=False)
    _base: _Base | None = field(default=None, repr=False, compare=False)
    _store: FactsCache | None = field(default=None, repr=False, compare=False)  # for ``lasting``
    _from_store: bool = field(default=False, repr=False, compare=False)
    _kept: tuple | None = field(default=None, repr=False, compare=False)  # (file keys, values) of kept carried
    # the import sites of each file an earlier pass's fixes edited or deleted, as the run's
    # first snapshot read them (``imports_as_first_read``); shared along a run's snapshots
    _first_imports: dict = field(default_factory=dict, repr=False, compare=False)

    def _shares_resolver(self, other: Project) -> bool:
        """Would ``other``'s Resolver answer every question exactly as ours? It reads
        the root, the set of paths (never a file's contents), the config, the opaque
        files and the surroundings, nothing else."""
        return (self.files.keys() == other.files.keys()
                and (self.config is other.config or self.config == other.config)
                and self.opaque == other.opaque
                and (self.surroundings is other.surroundings or self.surroundings == other.surroundings)
                and self.root == other.root)

    def forget_base(self) -> None:
        """Let the snapshot this one was built from go (its memos, and through them the
        trees of the files that changed since). The engine calls it once a pass has run
        its rules: the next snapshot is built from this one, so without it three
        generations of memos would be alive while that one is parsed. ``carried`` answers
        None afterwards; what was carried is kept."""
        self._base = None

    def let_go(self, edited: Iterable[str]) -> None:
        """Drop what no later snapshot takes, before the next one is built from this one
        (the engine calls it once a pass's rules have run and its fixes are applied;
        ``edited``: the files whose bytes the next snapshot changes): the trees, memos and
        summaries of the edited files, and every snapshot memo ``_Base`` would not keep
        (those not carried, and those about an edited file). They go before the next
        snapshot's files are gathered, not after: the trees were a quarter of a broken
        project's peak memory; the rest took the peak of a cold check of 19,813 files from
        736 to 665 MB. The edited files' facts stay (the engine compares the parse errors
        before and after); anything asked for after all is computed again."""
        edited = frozenset(edited)
        for path in edited:
            file = self.files[path]
            self._first_imports.setdefault(path, file.facts.imports)
            file._tree = None
            file._own = {}
        self._memo = _Base.carried_memos(self._memo, edited)

    def imports_as_first_read(self) -> Iterator[tuple[str, tuple]]:
        """(path, import sites) of every file of the run's first snapshot, as it read them:
        a file that fixes of an earlier pass edited or deleted with its sites from before
        (what importers took from a module gone without git's knowing is evidence of where
        it went; a repointing fix in the first pass would erase it for the later ones)."""
        first = self._first_imports
        yield from first.items()
        for path, file in self.files.items():
            if path not in first:
                yield path, file.facts.imports

    def carried(self, key) -> tuple[object, frozenset[str]] | None:
        """(value, affected) when the snapshot this one was built from computed memo ``key``
        (``Project.memo``) and shares its resolver (same paths, config, opaque,
        surroundings); ``affected`` = the files whose bytes differ from it plus every file
        that imports, re-exports or requires one of them, transitively. A fact computed
        from one file and the files it reaches through imports and re-exports is still
        right, in this snapshot, for every file outside ``affected``. The first snapshot
        of a run may get, for a kind kept between runs (``carry_between_runs``), the value
        an earlier run kept (``_kept_carried``). None otherwise.

        Of the base, only the memos rules ask this for are kept, as they were when this
        snapshot was built, less those keyed ``(kind, path)`` for a changed path (and its
        export map until ours is derived); never the base Project: a value found here
        lives as long as this snapshot, and the base's own base is not kept alive by it.
        (A memo value should not hold its Project, nor wrap the value it was carried from,
        or the chain comes back.)"""
        _CARRIED_KINDS.add(key[0])
        base = self._base
        if base is None:
            return self._kept_carried(key)
        if key not in base.memo:
            return None
        return base.memo[key], self.affected

    def _kept_carried(self, key) -> tuple[object, frozenset[str]] | None:
        """``carried`` for the first snapshot of a run: the value of memo ``key`` an
        earlier run kept (``carry_between_runs``) for the same resolver inputs, its disk
        answers unchanged, with ``affected`` = the files whose bytes differ from that
        run's and every file reaching one of them (in this snapshot's import graph: a file
        that changed in neither reaches the same files in both)."""
        if not (self._from_store and len(key) == 1 and key[0] in KEPT_CARRIED):
            return None
        if self._kept is None:
            keys = self._file_keys
            kept = self._store.kept_carried(self.resolver) if keys is not None else None
            self._kept = (kept if kept is not None and kept[0].keys() == keys.keys() else ({}, Packed()))
        values = self._kept[1]
        if key not in values:
            return None
        try:
            value = KEPT_CARRIED[key[0]][1](values[key])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):  # encoded otherwise
            values.forget(key)  # computed afresh, and written in its place
            return None
        return value, self.memo(("kept-carried-affected",), self._kept_affected)

    def _kept_affected(self) -> frozenset[str]:
        keys = self._kept[0]
        return self.exports.reverse_closure(p for p, k in self._file_keys.items() if keys[p] != k)

    def keep_carried(self) -> None:
        """Hand the store this snapshot's carried memos of the kinds kept between runs
        (``carry_between_runs``), when it is the first snapshot of a run: the engine calls
        it once the rules have run. Written when none was kept, when a value of this run
        is fuller than the kept one (a kind the kept ones lack, more rows: a whole run's
        healthy files after a commit hook's), or when more files changed since than
        ``KEEP_EXPORTS_AFTER`` (or 1%)."""
        if not self._from_store or self._store is None:
            return
        memos = {k: v for k, v in self._memo.items() if len(k) == 1 and k[0] in KEPT_CARRIED}
        keys = self._file_keys
        if not memos or keys is None:
            return
        kept_keys, kept_values = self._kept if self._kept is not None else ({}, Packed())
        changed = sum(1 for p, k in keys.items() if kept_keys.get(p) != k)
        fuller = any(len(v) > kept_values.rows(k) for k, v in memos.items())  # kept beside each: its length
        if kept_values and not fuller and not _many(changed, len(keys)):
            return
        self._store.keep_carried(self.resolver, keys, {k: (len(v), KEPT_CARRIED[k[0]][0](v)) for k, v in memos.items()})

    @cached_property
    def _file_keys(self) -> dict[str, bytes] | None:
        """Each file's facts-cache key (None when a file has none); fixed once built."""
        keys = {p: f._entry.key for p, f in self.files.items() if f._entry is not None}
        return keys if len(keys) == len(self.files) else None

    @property
    def affected(self) -> frozenset[str] | None:
        """The files that differ from the base snapshot or reach one that does through
        imports, re-exports or requires (None without a base sharing our resolver)."""
        base = self._base
        if base is None:
            return None
        exports = self.exports
        if exports.affected is None:  # built from scratch: the base had no export map to derive from
            exports.affected = exports.reverse_closure(base.changed)
        return exports.affected

    def memo(self, key, compute: Callable[[], object]):
        """Compute a fact of this snapshot once (the engine builds a new Project after
        every pass, so nothing cached here outlives the bytes it was computed from)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def lasting(self, key: tuple, compute: Callable[[], object], decode: Callable[[object], object] = lambda v: v):
        """``memo`` for a value kept between runs too (in the facts cache the snapshot
        was built with): ``key`` must name every input ``compute`` reads (a digest of the
        set of paths, say), and the value must be plain data. The memo holds
        ``decode(value)``, as ``carry_between_runs``' decoders do: a kept value it refuses
        (TypeError, ValueError: of another shape) is computed again and kept in its place.
        The snapshot this one was built from hands its value on (the key names every
        input): the passes of a run measure the project's names once, with or without a
        store."""
        def find():
            base = self._base
            if base is not None and ("lasting", key) in base.memo:
                return base.memo[("lasting", key)]
            if self._store is not None:
                found, value = self._store.lasting(key)
                if found:
                    try:
                        return decode(value)
                    except (TypeError, ValueError):
                        pass
            value = compute()
            if self._store is not None:
                self._store.keep_lasting(key, value)
            return decode(value)
        return self.memo(("lasting", key), find)

    @cached_property
    def resolver(self) -> Resolver:
        """The base snapshot's, when it shares it (see ``_shares_resolver``), else a new one."""
        base = self._base
        if base is not None and (project := base.project()) is not None and "resolver" in project.__dict__:
            return project.resolver
        resolver = Resolver(self.root, self.files, self.config, opaque=self.opaque, surroundings=self.surroundings)
        if self._store is not None:
            self._store.attach(resolver)  # the answers an earlier run kept for the same inputs
        return resolver

    @cached_property
    def exports(self) -> ExportMap:
        """Derived from the base snapshot's map when there is one (``ExportMap.derive``:
        only the changed files and those reaching them are solved again)."""
        facts = _FactsOf(self.files)
        base = self._base
        if base is not None:
            previous = base.exports
            if previous is None and (project := base.project()) is not None:
                previous = project.__dict__.get("exports")
            base.exports = None
            if previous is not None and previous._resolver is self.resolver:
                return ExportMap.derive(previous, facts, base.changed)
        if base is None and self._store is not None:
            return self._kept_exports(facts)
        return ExportMap(facts, self.resolver, self.opaque)

    def _kept_exports(self, facts: Mapping[str, FileFacts]) -> ExportMap:
        """The export map, from the one an earlier run kept for the same resolver inputs
        (``FactsCache.kept_exports``) when there is one: only the files whose bytes
        differ from those it was built from, and the files reaching them, are solved
        again. A map built from scratch, or one far from the kept one, is kept for the
        next run."""
        keys = self._file_keys
        if keys is None:
            return ExportMap(facts, self.resolver, self.opaque)
        kept = self._store.kept_exports(self.resolver)
        if kept is not None and kept[0].keys() == keys.keys():
            changed = [p for p, key in keys.items() if kept[0][p] != key]
            try:
                exports = ExportMap.restore(kept[1], facts, self.resolver, self.opaque, changed)
                if not _many(len(changed), len(keys)):
                    return exports
            except (ValueError, TypeError, KeyError, AttributeError):  # a kept map of another shape
                exports = ExportMap(facts, self.resolver, self.opaque)
        else:
            exports = ExportMap(facts, self.resolver, self.opaque)
        exports.hold_facts()
        self._store.keep_exports(self.resolver, keys, exports)
        return exports

    @property
    def sources(self) -> dict[str, bytes]:
        return {p: f.data for p, f in self.files.items()}
