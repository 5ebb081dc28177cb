"""The facts of each file, kept between runs: a run after an edit gathers the facts of
the edited files only, and parses any other file only when a rule asks for its tree.

Where the run cache (``cache.py``) stores a whole run's outcome and serves unchanged
inputs only, this one serves every file whose bytes did not change: the commit hook's
run on a large project after a small edit. ``FileFacts`` are plain data, a pure function
of the file's path and bytes and of schemafix's code (``gather_facts``), so an entry is
keyed on those: on a hash of path and bytes, in a folder named for the code
(``facts-<code>``; another version's folders are removed when this one is written).

A file's entry also keeps its *summaries*: plain-data facts a rule computed of that
file alone, under a key that names every other input (``SourceFile.summary``), such as
the node-free reading of its ``relations()`` declarations. A run after an edit then
neither parses nor reads again the files that did not change.

Beside the files' entries, a few *lasting* values of the project as a whole are kept
(``Project.lasting``): each a function of its key alone (which names a digest of every
input, such as the set of paths), in one more file, ``lasting``, holding the ones the
last runs used.

The resolver's answers (``Resolver.answers``) are kept too, one file per set of its
inputs (``resolutions-<digest>``, the last few used): a run after an edit that resolves
many specifiers takes them back (``Resolver.offer``, then ``adopt``) instead of resolving
every import of the project again; one that resolves few (a commit hook) never reads them. So
is the export map of the files as the run found them, with the key of each file it was
built from (``exports-<digest>``): the next run solves again only the files that
changed since and those that reach them (``ExportMap.restore``). And so are the values
rules carry from pass to pass that may be kept (``carried-<digest>``, see
``project.carry_between_runs``): that file is their index, each kind's value a file of
its own beside it named for its checksum (``carried-<digest>-<checksum>``), read only
when a rule asks for that kind.

Entries are spread over 256 shard files by the first byte of their key, so a run that
gathered a few new files rewrites a few shards. Each shard is written atomically and
read like a run-cache entry: header, checksum, and only the facts' own value types;
anything else is a miss, never an error. Within a shard, each entry's facts and
summaries stay packed (bytes) until a rule asks for them (``Entry``): a run after an
edit reads those of the few files it looks at. Concurrent runs: the last writer of a
shard wins, and what the other one added is gathered again next time.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from itertools import islice
from pathlib import Path

from . import sealed
from .discovery import digest as content_digest
from .facts import FileFacts
from .project import unpacked
from .writes import write_atomic

MAGIC = b"schemafix-facts 6\n"
LASTING = "lasting"
LASTING_CAP = 32  # lasting values kept: the ones the last runs used
# A lasting value among the last this many is not moved to the end when used: the order
# is then least recently used but for those (one may go after 25 new values, not 32).
LASTING_RECENT = 8
RESOLUTIONS = "resolutions-"
EXPORTS = "exports-"
CARRIED = "carried-"
RESOLUTIONS_CAP = 32  # resolvers' answers and maps kept (one per project sharing the folder): the last used
PREFIX = "facts-"
SHARD_CAP = 4096  # entries kept per shard (a million files in all): the ones this run used first


def file_key(path: str, data: bytes, digest: str | None = None) -> bytes:
    """The entry key of ``path`` holding ``data``: its path and the content hash discovery
    keeps for each file (``digest``, its ``discovery.digest``; computed when not given),
    so that a file is hashed once."""
    # surrogateescape: a file name that is not UTF-8 reaches us with lone surrogates
    return hashlib.blake2b(path.encode("utf-8", "surrogateescape") + b"\0" + (digest or content_digest(data)).encode(),
                           digest_size=16).digest()


class Entry:
    """One file's facts and summaries, each read from its bytes in the shard the first
    time it is asked for: a commit hook's run reads the facts of a few files of a large
    project (building every file's facts was most of its loading time), and of most
    files one summary or two. ``keep`` adds a summary, ``replace`` sets facts gathered
    again (both written at ``save``)."""

    __slots__ = ("key", "path", "has_error", "_packed", "_facts", "_summaries", "_read", "_dirty", "_shard")

    def __init__(self, key: bytes, path: str, has_error: bool, packed: bytes | None, summaries: dict,
                 dirty: set[int], shard: int, facts: FileFacts | None = None):
        self.key = key  # ``file_key``: names the file's path and bytes
        self.path = path
        self.has_error = has_error  # ``FileFacts.has_error``, read of every file: not packed
        self._packed = packed  # ``sealed.pack(facts)``, until read
        self._facts = facts
        self._summaries = summaries  # key -> value as the shard holds it (``_stored``): written back as it is
        self._read: dict = {}  # key -> value of a summary unpacked or kept in this run
        self._dirty = dirty
        self._shard = shard

    @property
    def facts(self) -> FileFacts | None:
        """The file's facts; None when its bytes in the shard do not hold the facts of
        this path (tampered with, or a bug): the caller gathers them again (``replace``)."""
        if self._packed is not None:
            self._facts = _unpack_facts(self)
            self._packed = None
        return self._facts

    def summary(self, key) -> tuple[bool, object]:
        """(found, value) of summary ``key`` (see ``SourceFile.summary``)."""
        value = self._read.get(key, _ABSENT)
        if value is not _ABSENT:
            return True, value
        value = self._summaries.get(key, _ABSENT)
        if value is _ABSENT:
            return False, None
        if type(value) is bytes:
            try:
                value = sealed.unpack(value, _ALLOWED)
            except Exception:  # damaged: computed again
                del self._summaries[key]
                return False, None
        self._read[key] = value
        return True, value

    def keep(self, key, value) -> None:
        self._read[key] = value
        self._summaries[key] = _KEPT  # packed as the shard is written: a cold run kept every
        # file's summaries packed beside the objects until then (24 MB at 19,813 files)
        self._dirty.add(self._shard)

    def replace(self, facts: FileFacts) -> None:
        """Facts gathered again for an entry whose bytes held none (see ``facts``)."""
        self._packed, self._facts, self._summaries, self._read = None, facts, {}, {}
        self.has_error = facts.has_error
        self._dirty.add(self._shard)

    def packed(self) -> tuple[str, bool, bytes, dict] | None:
        """What ``save`` writes of this entry (None: nothing, its facts unknown): a summary
        of more than a few objects is packed, to be read when asked for."""
        packed = self._packed
        if packed is None:
            if self._facts is None:
                return None
            packed = sealed.pack(self._facts)
        summaries = self._summaries
        if _KEPT in summaries.values():
            summaries = {k: _stored(self._read[k]) if v is _KEPT else v for k, v in summaries.items()}
        return self.path, self.has_error, packed, summaries


def _unpack_facts(entry: Entry) -> FileFacts | None:
    try:
        facts = sealed.unpack(entry._packed, _ALLOWED)
    except Exception:  # a type no cache value has, or no pickle: gathered again
        return None
    return facts if isinstance(facts, FileFacts) and facts.path == entry.path else None


_ABSENT = object()
_INLINE = (bool, int, str)  # and None; a summary held as bytes is packed (a bytes value too)
_PACKED_FROM = 64  # bytes: smaller values (an empty tuple, a short one) are read with the shard


_KEPT = object()  # in ``Entry._summaries``: kept in this run, its value in ``_read``, stored at ``save``


def _stored(value):
    """A summary as a shard holds it: packed, or as it is when that is as cheap to read
    (never as bytes: bytes in a shard mean a packed value)."""
    value = unpacked(value)  # held packed in memory (``project.PackedSummary``): stored as any value
    if value is None or type(value) in _INLINE:
        return value
    packed = sealed.pack(value)
    return packed if len(packed) >= _PACKED_FROM or type(value) is bytes else value


class FactsCache:
    def __init__(self, folder: Path, code: str):
        self.root = Path(folder)
        self.path = self.root / (PREFIX + code[:24])
        self._shards: dict[int, dict[bytes, Entry | tuple[str, bool, bytes, dict]]] = {}  # tuples: as read
        self._dirty: set[int] = set()
        self._used: set[bytes] = set()
        self._lasting: dict | None = None
        self._lasting_dirty = False
        self._resolvers: dict[str, tuple[object, int]] = {}  # inputs digest -> (resolver, answers written)
        self._pending: dict[str, tuple] = {}  # file name -> (file keys, value(), resolver): kept at ``save``
        self._inherited: dict[str, dict[str, bool]] = {}  # inputs digest -> disk answers kept values rest on

    def get(self, path: str, data: bytes, digest: str | None = None) -> Entry | None:
        """The entry of ``path`` with bytes ``data`` (whose ``discovery.digest`` is
        ``digest``, when known); its facts are read when asked for."""
        key = file_key(path, data, digest)
        entry = self._entry(key)
        if entry is None or entry.path != path:
            return None
        self._used.add(key)
        return entry

    def put(self, path: str, data: bytes, facts: FileFacts, digest: str | None = None) -> Entry:
        key = file_key(path, data, digest)
        entry = self._entry(key)
        self._used.add(key)
        if entry is None or entry.path != path:
            entry = self._shard(key[0])[key] = Entry(key, path, facts.has_error, None, {}, self._dirty, key[0], facts)
            self._dirty.add(key[0])
        return entry

    def _entry(self, key: bytes) -> Entry | None:
        shard = self._shard(key[0])
        found = shard.get(key)
        if type(found) is tuple:
            found = shard[key] = Entry(key, *found, self._dirty, key[0])
        return found

    def lasting(self, key: tuple) -> tuple[bool, object]:
        """(found, value) of a lasting value (see the module's docstring)."""
        if self._lasting is None:
            self._lasting = _load_lasting(self.path / LASTING)
        if key not in self._lasting:
            return False, None
        # Used last: kept longest. Not for a key among the last few: two rules' values,
        # asked every run in turn, would rewrite the file each time.
        if key not in islice(reversed(self._lasting), LASTING_RECENT):
            self._lasting[key] = self._lasting.pop(key)
            self._lasting_dirty = True
        return True, self._lasting[key]

    def keep_lasting(self, key: tuple, value) -> None:
        if self._lasting is None:
            self._lasting = _load_lasting(self.path / LASTING)
        self._lasting.pop(key, None)
        self._lasting[key] = value
        self._lasting_dirty = True

    def attach(self, resolver) -> None:
        """Offer ``resolver`` the answers kept for its inputs (``Resolver.offer``: read
        when it resolves many specifiers, and taken if the disk still agrees), and keep
        what it finds by the end of the run (written at ``save``)."""
        digest = resolver.inputs_digest()
        path = self.path / (RESOLUTIONS + digest)
        if path.is_file():  # read only if taken (a commit hook never reads the 5.8 MB of 19,813 files)
            def read():
                try:
                    kept = sealed.unseal(MAGIC, path.read_bytes(), sealed.BUILTINS)
                except Exception:  # gone since, truncated, tampered, another format: resolved afresh
                    return None
                return kept if _answers_shape(kept) else None
            resolver.offer(read)
        self._resolvers[digest] = (resolver, 0)

    def kept_exports(self, resolver) -> tuple[dict[str, bytes], tuple] | None:
        """(file keys, ``ExportMap.state``) kept by an earlier run for ``resolver``'s
        inputs (see ``_kept``); None otherwise."""
        kept = self._kept(EXPORTS, resolver, _EXPORTS_ALLOWED)
        return kept if kept is not None and isinstance(kept[1], tuple) else None

    def kept_carried(self, resolver) -> tuple[dict[str, bytes], sealed.Packed] | None:
        """(file keys, carried values) kept by an earlier run for ``resolver``'s inputs
        (``Project.keep_carried``; see ``_kept``); None otherwise. Each value is read from
        its own file and unpacked when first asked for: a commit hook after a table edit
        reads SF001's healthy files (0.7 MB), not the relations rows beside them (9.5 MB at
        19,813 files)."""
        kept = self._kept(CARRIED, resolver, sealed.BUILTINS)
        if kept is None or not isinstance(kept[1], dict) or not all(
                type(v) is tuple and len(v) == 2 and type(v[0]) is int and type(v[1]) is str
                and _SHA256.fullmatch(v[1]) for v in kept[1].values()):
            return None
        main = self.path / (CARRIED + resolver.inputs_digest())
        return kept[0], sealed.Packed({kind: (rows, lambda checksum=checksum: _kind_bytes(main, checksum))
                                       for kind, (rows, checksum) in kept[1].items()})

    def keep_exports(self, resolver, keys: dict[str, bytes], exports) -> None:
        """Write the export map ``exports`` of the files with ``keys``, built with
        ``resolver``, at ``save`` (its ``state`` then)."""
        self._pending[EXPORTS + resolver.inputs_digest()] = (keys, exports.state, resolver)

    def keep_carried(self, resolver, keys: dict[str, bytes], values: dict) -> None:
        """Write carried ``values`` (kind -> (items, plain data)) of the files with ``keys``
        at ``save``, each packed on its own: a run reads the kinds it asks for (a commit
        hook's after a table edit, the SF001 healthy files: 0.7 of 8 MB at 19,813 files)."""
        self._pending[CARRIED + resolver.inputs_digest()] = (
            keys, lambda: {k: (rows, sealed.pack(v)) for k, (rows, v) in values.items()}, resolver)

    def _kept(self, prefix: str, resolver, allowed) -> tuple[dict[str, bytes], object] | None:
        """(file keys, value) of file ``prefix + digest``, kept by an earlier run for
        ``resolver``'s inputs, when every question that run's resolver put to the disk
        gets the same answer now (so it resolved every import as ``resolver`` does);
        None otherwise. A value derived from it and kept again rests on those answers
        too: they are written with it (``_save_project_values``)."""
        try:
            raw = (self.path / (prefix + resolver.inputs_digest())).read_bytes()
            keys, asked, value = sealed.unseal(MAGIC, raw, allowed)
        except Exception:  # absent, truncated, tampered, another format: computed afresh
            return None
        if not (isinstance(keys, dict) and _asked_shape(asked)):
            return None
        if not resolver.answers_alike(asked):
            return None
        digest = resolver.inputs_digest()
        self._inherited[digest] = {**self._inherited.get(digest, {}), **asked}
        return keys, value

    def _save_project_values(self) -> None:
        """Write the resolvers' answers that grew and the values kept (export maps and
        carried values, each with the disk answers it rests on); then keep the values of
        the ``RESOLUTIONS_CAP`` sets of inputs used last (a run marks the ones it used,
        written or not), removing the others."""
        for digest, (resolver, written) in self._resolvers.items():
            if resolver.on_offer:
                continue  # resolved few specifiers and never read the kept answers: they stay as they are
            found = resolver.answer_count()
            if found > max(written, resolver.adopted):
                write_atomic(self.path / (RESOLUTIONS + digest), sealed.seal_parts(MAGIC, resolver.answers()), durable=False)
                self._resolvers[digest] = (resolver, found)
        for name, (keys, value, resolver) in self._pending.items():
            asked = {**self._inherited.get(resolver.inputs_digest(), {}), **resolver.asked()}
            value = value()
            if name.startswith(CARRIED):
                value = self._write_kinds(name, value)
            write_atomic(self.path / name, sealed.seal_parts(MAGIC, (keys, asked, value)), durable=False)
        self._pending.clear()
        used: dict[str, int] = {}  # inputs digest -> when its values were last used
        for item in self.path.iterdir():
            prefix = next((p for p in (RESOLUTIONS, EXPORTS, CARRIED) if item.name.startswith(p)), None)
            if prefix is None or not _SHARD.fullmatch(item.name):  # a file of ours: its digest is hex
                continue
            digest = item.name[len(prefix):len(prefix) + 32]
            try:
                if digest in self._resolvers:
                    os.utime(item)
                used[digest] = max(used.get(digest, 0), item.stat().st_mtime_ns)
            except OSError:  # removed by a concurrent run meanwhile
                continue
        for digest in sorted(used, key=used.__getitem__, reverse=True)[RESOLUTIONS_CAP:]:
            for prefix in (RESOLUTIONS, EXPORTS, CARRIED):
                (self.path / (prefix + digest)).unlink(missing_ok=True)
            for kind in self.path.glob(CARRIED + digest + "-*"):
                kind.unlink(missing_ok=True)

    def _write_kinds(self, name: str, packed: dict) -> dict:
        """Write each carried kind's packed bytes to a file of its own, named for ``name``
        and its checksum (``_kind_bytes`` reads it back), and remove the ones of ``name``
        no longer kept: the index ``{kind: (rows, checksum)}`` that ``name`` then holds.
        The kinds are written first: a reader that finds the index finds its files, or
        (a concurrent run removed one) a miss."""
        index = {}
        for kind, (rows, payload) in packed.items():
            checksum = hashlib.sha256(payload).hexdigest()
            write_atomic(self.path / f"{name}-{checksum[:_KIND_NAME]}", (MAGIC, payload), durable=False)
            index[kind] = (rows, checksum)
        names = {f"{name}-{checksum[:_KIND_NAME]}" for _, checksum in index.values()}
        for old in self.path.glob(name + "-*"):
            if old.name not in names:
                old.unlink(missing_ok=True)
        return index

    def save(self, prune: bool = False) -> None:
        """Write the shards that gained entries (atomically; a failure leaves the old
        shard, never an error); with ``prune`` (the caller checked that the folder is
        schemafix's cache), remove the facts folders of other code versions."""
        if not (self._dirty or self._lasting_dirty or self._resolvers or self._pending):
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._save_project_values()
            if self._lasting_dirty and self._lasting is not None:
                kept = dict(list(self._lasting.items())[-LASTING_CAP:])
                write_atomic(self.path / LASTING, sealed.seal_parts(MAGIC, kept), durable=False)
                self._lasting_dirty = False
            for index in sorted(self._dirty):
                shard = self._shards[index]
                if len(shard) > SHARD_CAP:  # old versions of files go first, what this run used stays
                    kept = [k for k in shard if k in self._used]
                    kept += [k for k in reversed(shard) if k not in self._used][:max(0, SHARD_CAP - len(kept))]
                    shard = self._shards[index] = {k: shard[k] for k in kept}
                write_atomic(self.path / f"{index:02x}", sealed.seal_parts(MAGIC, _packed(shard)), durable=False)
            self._dirty.clear()
            for other in self.root.iterdir() if prune else ():
                if other.name.startswith(PREFIX) and other != self.path:
                    remove_folder(other)
        except OSError:
            pass

    def _shard(self, index: int) -> dict[bytes, Entry | tuple[str, bool, bytes, dict]]:
        shard = self._shards.get(index)
        if shard is None:
            shard = self._shards[index] = _load(self.path / f"{index:02x}")
        return shard


def _packed(shard: dict[bytes, Entry | tuple[str, bool, bytes, dict]]) -> dict[bytes, tuple[str, bool, bytes, dict]]:
    """A shard as written: each entry's path, packed facts and summaries."""
    out = {}
    for key, entry in shard.items():
        if type(entry) is tuple:
            out[key] = entry
        elif (packed := entry.packed()) is not None:
            out[key] = packed
    return out


def _load(path: Path) -> dict[bytes, Entry | tuple[str, bool, bytes, dict]]:
    """A shard: file key -> (path, has_error, packed facts, summaries), each read when asked for
    (``Entry``); empty when the file is absent, damaged or of another format."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    collecting = gc.isenabled()
    gc.disable()  # thousands of small objects and no cycle: the collector would only slow this down
    try:
        shard = sealed.unseal(MAGIC, raw, _ALLOWED)
        if not isinstance(shard, dict) or not all(
                type(k) is bytes and type(v) is tuple and len(v) == 4 and type(v[0]) is str and type(v[1]) is bool
                and type(v[2]) is bytes and type(v[3]) is dict for k, v in shard.items()):
            return {}
        return shard
    except Exception:  # truncated, tampered, another format: a miss
        return {}
    finally:
        if collecting:
            gc.enable()


def _load_lasting(path: Path) -> dict:
    try:
        value = sealed.unseal(MAGIC, path.read_bytes(), sealed.BUILTINS)
    except Exception:  # absent, truncated, tampered, another format: nothing kept
        return {}
    return value if isinstance(value, dict) else {}


def _answers_shape(value) -> bool:
    """Is ``value`` shaped like ``Resolver.answers``' (resolutions, disk questions)?"""
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict)):
        return False
    return (all(isinstance(k, tuple) and len(k) == 2 and isinstance(v, tuple) and len(v) == 3
                for k, v in value[0].items())
            and _asked_shape(value[1]))


def _asked_shape(value) -> bool:
    """Is ``value`` shaped like disk questions and their answers (path -> bool)?"""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, bool) for k, v in value.items())


def is_ours(path: Path) -> bool:
    """A facts folder this module wrote: named ``facts-…``, holding at least one shard,
    and nothing but shards (each starts with a ``schemafix-facts N`` header: this
    format's, or another release's) and the temp files of their atomic writes. Anything
    unreadable is not ours."""
    try:
        if not (path.name.startswith(PREFIX) and path.is_dir() and not path.is_symlink()):
            return False
        shards = 0
        for item in path.iterdir():
            if _TEMP.fullmatch(item.name) and item.is_file():
                continue
            if not (_SHARD.fullmatch(item.name) and item.is_file() and not item.is_symlink()):
                return False
            with item.open("rb") as handle:
                if not _HEADER.match(handle.read(32)):  # this format's or another release's
                    return False
            shards += 1
        return shards > 0
    except OSError:
        return False


_KIND_NAME = 16  # hex digits of a carried kind's checksum in its file's name
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SHARD = re.compile(rf"[0-9a-f]{{2}}|{LASTING}|(?:{RESOLUTIONS}|{EXPORTS})[0-9a-f]{{32}}"
                    rf"|{CARRIED}[0-9a-f]{{32}}(?:-[0-9a-f]{{{_KIND_NAME}}})?")
_HEADER = re.compile(rb"schemafix-facts \d+\n")
# writes.write_atomic's temp file
_TEMP = re.compile(r"\.(?:[0-9a-f]{2}|lasting|(?:resolutions|exports)-[0-9a-f]{32}"
                   rf"|carried-[0-9a-f]{{32}}(?:-[0-9a-f]{{{_KIND_NAME}}})?)\.schemafix-[^/]*\.tmp")


def _kind_bytes(main: Path, checksum: str) -> memoryview:
    """The packed bytes of a carried kind that file ``main`` indexes with ``checksum`` (its
    file holds them after the format's header); ValueError when that file is gone or
    holds other bytes (a concurrent run's, damage)."""
    try:
        raw = (main.parent / f"{main.name}-{checksum[:_KIND_NAME]}").read_bytes()
    except OSError as exc:
        raise ValueError(f"a kept value's file is gone: {exc}") from None
    payload = memoryview(raw)[len(MAGIC):]  # the header: ``is_ours`` knows the file
    if not raw.startswith(MAGIC) or hashlib.sha256(payload).hexdigest() != checksum:
        raise ValueError("a kept value's file holds other bytes")
    return payload


def remove_folder(path: Path) -> None:
    if is_ours(path):
        import shutil  # here: only ``cache clean`` and pruning remove folders

        shutil.rmtree(path, ignore_errors=True)


# Only the facts' own types: a cache file is never a way to run code.
_ALLOWED = sealed.BUILTINS | {("codemod.facts", n) for n in ("FileFacts", "Export", "ImportEntry", "ImportSite",
                                                              "Declaration", "ParseError", "_entry_of", "_site_of")}
_EXPORTS_ALLOWED = sealed.BUILTINS | {("codemod.exportmap", "Binding")}
