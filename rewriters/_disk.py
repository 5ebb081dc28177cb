"""What the tree-hygiene rules (SF011, SF012) read beyond the analysed sources: the
package manifest's entry points, files beside the sources (and their bytes), the
tsconfig's ``outDir``, and git's view of a file (tracked, tracked with uncommitted
changes, ignored, neither).

Everything is relative to ``project.root`` and asked through ``codemod.disk``: each
question is answered once per run and recorded, so the warm cache knows what the run
depended on. A project built in memory without surroundings (tests) reads its root.
"""

from __future__ import annotations

import os
import posixpath
from typing import Iterable

from codemod.disk import IGNORED, MODIFIED, NO_GIT, TRACKED, UNTRACKED, Disk
from codemod.project import Project
from codemod.resolve import condition_targets
from codemod.tsconfig import loads as load_json

__all__ = ["TRACKED", "MODIFIED", "IGNORED", "UNTRACKED", "NO_GIT"]  # git's view of a file, for the rules

_JS_FOR_TS = {".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs"}


def disk(project: Project) -> Disk:
    """The run's recorded disk (discovery made it), or, for a project built in memory, one
    that reads the project's root."""
    seen = project.surroundings.disk
    return seen if seen.root is not None else project.memo(("disk",), lambda: Disk(project.root))


def read_json(project: Project, rel: str) -> dict | None:
    def load():
        raw = disk(project).read(rel)
        try:
            data = load_json(raw.decode("utf-8-sig")) if raw is not None else None
        except (UnicodeDecodeError, ValueError):
            return None
        return data if isinstance(data, dict) else None
    return project.memo(("disk-json", rel), load)


def is_file(project: Project, rel: str) -> bool:
    return disk(project).is_file(rel)


def source_twins(rel: str) -> list[str]:
    """The project paths a manifest entry (``./dist/index.js``, ``src/cli.ts``) may stand
    for: itself, its TypeScript source, and the same under ``src/`` for a build folder."""
    rel = posixpath.normpath(rel)
    stem, _ = posixpath.splitext(rel)
    if stem.endswith(".d"):
        stem = stem[:-2]
    bases = [stem]
    head, _, tail = stem.partition("/")
    if head in ("dist", "build", "lib", "out") and tail:
        bases.append("src/" + tail)
    out = [rel]
    for base in bases:
        out += [base + e for e in (".ts", ".tsx", ".mts", ".cts")]
        out += [base + "/index" + e for e in (".ts", ".tsx", ".mts", ".cts")]
    return out


def manifest_entries(project: Project) -> set[str]:
    """Paths the root package.json names as entry points: ``main``, ``module``, ``types``,
    ``typings``, ``exports``, ``bin`` (each with its possible TypeScript sources)."""
    manifest = read_json(project, "package.json")
    if manifest is None:
        return set()
    strings: list[str] = []
    for key in ("main", "module", "types", "typings", "source"):
        if isinstance(manifest.get(key), str):
            strings.append(manifest[key])
    exports = manifest.get("exports")
    if exports is not None:
        strings += [t for t in condition_targets(exports) if isinstance(t, str)]
    binary = manifest.get("bin")
    if isinstance(binary, str):
        strings.append(binary)
    elif isinstance(binary, dict):
        strings += [v for v in binary.values() if isinstance(v, str)]
    return {p for s in strings for p in source_twins(s)}


def package_entries(project: Project) -> set[str]:
    """``manifest_entries``, and the files each workspace package inside the project
    offers other packages (its ``exports`` subpaths without patterns, else its entry):
    what code outside the project may import by package name."""
    def compute() -> set[str]:
        out = set(manifest_entries(project))
        root = str(project.root)
        for package in project.surroundings.packages.values():
            base = os.path.relpath(package.folder, root).replace(os.sep, "/")
            if base.startswith(".."):
                continue
            exports = package.exports
            keys = [k[2:] for k in exports if isinstance(k, str) and k.startswith(".") and "*" not in k] \
                if isinstance(exports, dict) and any(str(k).startswith(".") for k in exports) else [""]
            for key in keys:
                for target in package.candidates(key):
                    rel = os.path.relpath(target, package.folder).replace(os.sep, "/")
                    out |= {posixpath.normpath(posixpath.join(base, t)) for t in source_twins(rel)}
        return out
    return project.memo(("package-entries",), compute)


def out_dir(project: Project) -> str | None:
    """The tsconfig's ``compilerOptions.outDir``, relative to the root (None: unset, or the
    root itself or above it, where it would say nothing about one folder)."""
    rel = _folder_option(project.config.out_dir, project)
    return None if rel is None or rel in (".", "") or rel.startswith("..") else rel


def root_dir(project: Project) -> str | None:
    """The tsconfig's ``compilerOptions.rootDir``, relative to the root (None: unset)."""
    return _folder_option(project.config.root_dir, project)


def _folder_option(value: str | None, project: Project) -> str | None:
    """A folder option as the tsconfig loader anchored it (absolute: its ``extends`` chain
    and ``${configDir}`` followed), relative to the root."""
    if value is None:
        return None
    return posixpath.normpath(os.path.relpath(value, project.root).replace(os.sep, "/"))


def is_symlink(project: Project, rel: str) -> bool:
    return disk(project).is_link(rel)


def read_bytes(project: Project, rel: str) -> bytes | None:
    """A file's bytes: a source's as analysed, any other file's from the disk (None: it
    cannot be read)."""
    file = project.files.get(rel)
    return file.data if file is not None else disk(project).read(rel)


def build_output_beside(project: Project, source: str, gone: frozenset[str] = frozenset()) -> list[str]:
    """The compiled output of ``source`` (``x.ts``) found beside it on disk: ``x.js``,
    ``x.d.ts``, ``x.js.map``, ``x.d.ts.map`` (``.mjs``/``.d.mts`` for ``.mts`` …), less
    the files in ``gone`` (deleted by a fix of an earlier pass, still on disk)."""
    stem, ext = posixpath.splitext(source)
    js = _JS_FOR_TS.get(ext)
    if js is None or stem.endswith(".d"):
        return []
    dts = ".d" + (ext if ext != ".tsx" else ".ts")
    names = [stem + js, stem + js + ".map", stem + dts, stem + dts + ".map"]
    if ext == ".tsx":
        names += [stem + ".jsx", stem + ".jsx.map"]
    return [n for n in names if n not in gone and is_file(project, n)]


def git_states(project: Project, paths: Iterable[str]) -> dict[str, str]:
    """For each path: TRACKED (git can restore these bytes), MODIFIED (tracked, but the
    file differs from what git holds), IGNORED, UNTRACKED (neither), or NO_GIT."""
    return disk(project).git_states(paths)
