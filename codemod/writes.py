"""Writing a file safely: atomic replacement guarded by the content hash taken when it
was read, deleting one under the same guard (never through a symlink), the read-only
test, and the temp files an interrupted write leaves behind."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .discovery import ALWAYS_SKIPPED, digest


class FileChangedError(OSError):
    """The file on disk is no longer the one that was analysed."""



def write_atomic(path: Path, data: bytes | tuple[bytes, ...], *, expect: str | None = None,
                 durable: bool = True) -> None:
    """Write ``data`` (bytes, or a tuple of parts written one after the other) to ``path``
    through a temp file in the same folder, fsync, rename.

    The file's permission bits, and its owner and group where we may set them, are kept.
    A crash leaves either the old or the new file, never a mix; a stray temp file is
    named ``.<name>.schemafix-*.tmp``. With ``expect`` (a ``digest``), the file is read
    once more right before the rename and left alone (``FileChangedError``) if its
    content changed meanwhile: the window for an editor's save shrinks to the rename.
    Without ``durable`` (the caches' files) nothing is fsync'ed: a reader still sees a
    whole file or none, and after a power loss a file the disk did not keep whole fails
    its checksum and is a miss (a cold run wrote 256 shards, each fsync'ed with its
    folder: 0.3 s of 1.7 at 937 files).
    """
    path = Path(path)
    st = path.stat() if path.exists() else None
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o644
    import tempfile  # here: a run that writes nothing (a --check) does not load it

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.schemafix-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in data if type(data) is tuple else (data,):
                handle.write(part)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if st is not None and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:  # e.g. running as root in CI or a hook container: keep the owner
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass
        if expect is not None and digest(path.read_bytes()) != expect:
            raise FileChangedError(f"{path}: changed on disk since it was analysed")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_folder(path.parent)


def delete_checked(path: Path, root: Path, *, expect: str) -> None:
    """Delete the file ``path`` if it still holds the bytes whose ``digest`` is ``expect``.

    Never follows a symlink: a symlink is not deleted (its target is not ours to judge),
    nor is a file whose folder leads out of ``root`` (``OutsideRootError``). The content
    is read once more right before the unlink (``FileChangedError`` if it changed), the
    same window ``write_atomic`` leaves for an editor's save."""
    path = Path(path)
    if path.is_symlink():
        raise SymlinkError(f"{path}: a symlink")
    real_root = Path(os.path.realpath(root))
    if not Path(os.path.realpath(path.parent)).is_relative_to(real_root):
        raise OutsideRootError(f"{path}: outside the project root {root}")
    if digest(path.read_bytes()) != expect:
        raise FileChangedError(f"{path}: changed on disk since it was analysed")
    os.unlink(path)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a rename or an unlink in ``folder`` durable (best effort)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


class SymlinkError(OSError):
    """A deletion was asked of a symlink."""


class OutsideRootError(OSError):
    """A deletion was asked of a file that is not under the project root."""


# ``write_atomic``'s temp names: ``.<source file name>.schemafix-<mkstemp's random part>.tmp``.
TEMP_NAME = re.compile(r"\.(?P<target>[^/]+(?:\.ts|\.tsx|\.mts|\.cts))\.schemafix-[a-z0-9_]+\.tmp")


def read_only(path: Path) -> bool:
    """No write permission for us, or no write bit at all (root may write anything, but a
    0444 file says "do not edit" to root too)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def stale_temp_files(root: Path) -> list[Path]:
    """Temp files that an interrupted ``--apply`` left behind, and only those.

    A file counts only if its whole name is one ``write_atomic`` makes for a TypeScript
    source (``.main.ts.schemafix-k2x9_a1b.tmp``) and it is a regular file, not a symlink
    or a folder. Folders schemafix never writes in (node_modules, .git, dist, build) are
    not entered and symlinked folders are not followed, so nothing outside the project
    and no user file that merely looks similar is ever listed."""
    out: list[Path] = []
    for folder, dirs, names in os.walk(root):  # does not follow symlinked folders
        dirs[:] = sorted(d for d in dirs if d not in ALWAYS_SKIPPED)
        for name in sorted(names):
            if TEMP_NAME.fullmatch(name):
                path = Path(folder) / name
                if not path.is_symlink() and path.is_file():
                    out.append(path)
    return out
