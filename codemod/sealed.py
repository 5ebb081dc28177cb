"""Cache files (the run cache, the per-file facts): a header naming the format, a
checksum, and a pickle that may rebuild only the types its reader lists. A file that
is damaged or of another format is refused with an error, never run: ``unseal`` is the
one way either cache reads its files.

The checksum is the payload's CRC-32 and length, as zip and gzip check what they hold:
it catches damage (a write cut short, a disk's error), which is all a checksum can catch
(one rewritten by hand with its checksum passes any), at 7 GB/s, where SHA-256 read 2 GB/s
(a commit hook at 19,813 files reads 52 MB of cache files: 0.018 s less). A file whose
bytes must name their contents (a carried kind's, ``facts_cache``) keeps SHA-256."""

from __future__ import annotations

import io
import pickle
import zlib


def seal(magic: bytes, value) -> bytes:
    """``value`` as a cache file's bytes (raises what ``pickle.dumps`` raises)."""
    return b"".join(seal_parts(magic, value))


def seal_parts(magic: bytes, value) -> tuple[bytes, bytes]:
    """``seal``'s bytes as (header, payload), for ``write_atomic`` to write one after the
    other: joining them copied the payload (the run entry of 99,373 files: 134 MB, at the
    end of the run, when its memory is at its highest)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return magic + _checksum(payload) + b"\n", payload


def _checksum(payload) -> bytes:
    return b"%08x %x" % (zlib.crc32(payload), len(payload))


def unseal(magic: bytes, raw: bytes, allowed: frozenset[tuple[str, str]]):
    """The value ``seal`` wrote; ValueError when the header or checksum is wrong,
    ``pickle.UnpicklingError`` when it would rebuild a type not in ``allowed``
    ((module, name) pairs)."""
    if not raw.startswith(magic):
        raise ValueError("not a schemafix cache file of this format")
    end = raw.find(b"\n", len(magic))
    if end < 0:
        raise ValueError("not a schemafix cache file of this format")
    start = end + 1  # the payload is read in place: slicing copied a 134 MB entry twice at 99,373 files
    if _checksum(memoryview(raw)[start:]) != raw[len(magic):end]:
        raise ValueError("checksum mismatch")
    stream = io.BytesIO(raw)
    stream.seek(start)
    return _Unpickler(stream, allowed).load()


def pack(value) -> bytes:
    """``value`` as bytes to keep inside a sealed value (whose checksum covers them), for
    a part of it that is read only when asked for (``unpack``)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(payload: bytes, allowed: frozenset[tuple[str, str]]):
    """The value ``pack`` wrote, rebuilding only the types in ``allowed`` (as ``unseal``)."""
    return _Unpickler(io.BytesIO(payload), allowed).load()


BUILTINS = frozenset(("builtins", n) for n in ("set", "frozenset", "dict", "list", "tuple", "bytes", "str", "int"))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, allowed: frozenset[tuple[str, str]]):
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cache value")
        return super().find_class(module, name)


class Packed:
    """Values kept packed (``pack``) with their sizes, by key: each unpacked (plain data
    only, ``BUILTINS``) when asked for (a run asks once per kind); ``rows`` tells a
    value's size without unpacking it. Built from ``{key: (rows, packed bytes)}``, or
    ``{key: (rows, read)}`` with ``read()`` giving the bytes (raising ValueError when it
    cannot): a value kept in a file of its own is read only when asked for."""

    def __init__(self, packed: dict | None = None):
        self._packed = packed or {}

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, key) -> bool:
        return key in self._packed

    def rows(self, key) -> int:
        """How many rows the value of ``key`` holds (0: none kept)."""
        return self._packed[key][0] if key in self._packed else 0

    def __getitem__(self, key):
        """The value of ``key``; ValueError when its bytes hold anything but plain data."""
        payload = self._packed[key][1]
        try:
            return unpack(payload if type(payload) is bytes else payload(), BUILTINS)
        except Exception as exc:  # checksummed files: only a forged or vanished value gets here
            raise ValueError(f"a kept value that does not unpack: {exc}") from None

    def forget(self, key) -> None:
        """Drop the value of ``key`` (one that cannot be used): it counts as never kept, so
        the value computed instead is written in its place."""
        self._packed.pop(key, None)

