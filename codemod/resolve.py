"""Module resolution: which project file does a specifier name?

One set of rules for every project, close to TypeScript's ``bundler`` resolution, for
the files we can see: extension probing (``./x`` -> ``x.ts``, ``x.tsx``, ``x.d.ts``,
``x/index.ts`` ...), ``.js`` written for a ``.ts`` source, tsconfig ``paths`` (``*``
patterns, several targets) and ``baseUrl``. The tsconfig's ``moduleResolution`` is not
read: under ``node16`` / ``nodenext`` TypeScript is stricter (a relative ESM import
needs its extension), so a specifier found here may still be an error there. Bare
package specifiers (and package.json ``exports`` / ``imports``) are left alone.

Paths are POSIX strings relative to the project root (``schema/user/users.ts``).
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .tsconfig import TsConfig

FILE, FOLDER, MISSING, EXTERNAL = "file", "folder", "missing", "external"
OPAQUE = "opaque"  # a file that exists but was not read (unreadable, .gitignore'd, excluded)

_JS_TO_TS = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx",),
    ".mjs": (".mts", ".d.mts"),
    ".cjs": (".cts", ".d.cts"),
}
_TS_SUFFIXES = (".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx", ".mts", ".cts")
_PROBE = (".ts", ".tsx", ".d.ts")
# A relative specifier naming a file of another kind (JSON modules, styles, images ...):
# the bundler or `resolveJsonModule` handles it; it is never a schema module of ours.
_ASSET = re.compile(r"\.(?:json|css|scss|sass|less|svg|png|jpe?g|gif|webp|avif|ico|wasm|txt|md|html|ya?ml|toml"
                    r"|graphql|gql|sql|node)$", re.I)
_INDEX = tuple(f"/index{ext}" for ext in _PROBE)


@dataclass(frozen=True)
class Resolution:
    status: str  # FILE, OPAQUE (exists, not read), FOLDER (exists, no index), MISSING, EXTERNAL
    path: str | None = None  # the file (or folder) found, relative to the root
    alias: str | None = None  # the tsconfig paths pattern that matched, if any

    @property
    def ok(self) -> bool:
        return self.status == FILE


def is_relative(specifier: str) -> bool:
    return specifier.startswith(("./", "../")) or specifier in (".", "..")


class Resolver:
    def __init__(self, root: Path, files: Iterable[str], config: TsConfig | None = None,
                 opaque: Iterable[str] = ()):
        self.root = Path(root)
        self.files = frozenset(files)
        self.opaque = frozenset(opaque) - self.files
        self.folders = frozenset(
            parent for f in self.files for parent in _parents(f)
        )
        self.config = config or TsConfig()
        self._cache: dict[tuple[str, str], Resolution] = {}

    # -- specifier -> file ---------------------------------------------------------

    def resolve(self, importer: str, specifier: str) -> Resolution:
        """Where ``specifier``, written in ``importer``, leads. Memoised: a Resolver sees
        one fixed set of files, and only relative specifiers depend on the importer."""
        key = (posixpath.dirname(importer) if is_relative(specifier) else "", specifier)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._resolve(importer, specifier)
        return found

    def _resolve(self, importer: str, specifier: str) -> Resolution:
        if is_relative(specifier):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
            found = self._probe(base, specifier.endswith("/"))
            if found.status == MISSING and _ASSET.search(specifier):
                return Resolution(EXTERNAL)  # `./data.json`, `./styles.css`: not a module of ours
            return found
        if specifier.startswith("/"):
            return self._probe(self._rel(Path(specifier)), False)
        # TypeScript takes the matching pattern with the longest prefix before `*`.
        for pattern, targets in sorted(self.config.paths, key=lambda p: -len(p[0].partition("*")[0])):
            star = _match(pattern, specifier)
            if star is None:
                continue
            found = None
            for target in targets:
                found = self._probe(self._rel(Path(target.replace("*", star, 1))), False)
                if found.status == FILE:
                    return Resolution(FILE, found.path, pattern)
            # TypeScript stops at the first matching pattern.
            if found is not None and found.status == FOLDER:
                return Resolution(FOLDER, found.path, pattern)
            return Resolution(MISSING, None, pattern)
        if self.config.base_url is not None:
            found = self._probe(self._rel(self.config.base_url / specifier), False)
            if found.status in (FILE, FOLDER):
                return Resolution(found.status, found.path, "baseUrl")
        return Resolution(EXTERNAL)

    def _rel(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def _probe(self, base: str, folder_only: bool) -> Resolution:
        candidates: list[str] = []
        if not folder_only:
            stem, ext = posixpath.splitext(base)
            if ext in _JS_TO_TS:
                candidates += [stem + e for e in _JS_TO_TS[ext]]
            if base.endswith(_TS_SUFFIXES):
                candidates.append(base)
            candidates += [base + e for e in _PROBE]
        candidates += [base + e for e in _INDEX]
        for candidate in candidates:
            if candidate in self.files:
                return Resolution(FILE, candidate)
            if candidate in self.opaque:
                return Resolution(OPAQUE, candidate)
        if base in self.folders:
            return Resolution(FOLDER, base)
        return Resolution(MISSING)

    # -- file -> specifier ---------------------------------------------------------

    def specifier_for(self, importer: str, target: str, *, extension: str = "", alias: str | None = None) -> str:
        """The specifier ``importer`` should write to reach ``target``.

        ``extension`` is the style to use: "" (none), ".js" or ".ts". With ``alias``
        (a tsconfig paths pattern), the aliased form is preferred when it reaches the
        target. Every candidate is checked by resolving it back.
        """
        if not extension and target.endswith((".mts", ".cts")):
            extension = ".js"  # `./x` never probes .mts/.cts: TypeScript wants `./x.mjs` / `./x.cjs`
        stem = _strip_ts_suffix(target)
        forms = [stem + _extension_for(target, extension)]
        if stem.endswith("/index") and not extension:
            forms.insert(0, stem[: -len("/index")])  # `./user` for `./user/index.ts`
        candidates = []
        if alias is not None:
            candidates += [a for form in forms if (a := self._aliased(alias, form)) is not None]
        for form in forms:
            rel = posixpath.relpath(form, posixpath.dirname(importer) or ".")
            candidates.append(rel if rel.startswith("../") else "./" + rel)
        for spec in candidates:
            if self.resolve(importer, spec).path == target:
                return spec
        return candidates[-1]

    def _aliased(self, alias: str, form: str) -> str | None:
        for pattern, targets in self.config.paths:
            if pattern != alias:
                continue
            for target in targets:
                star = _match(self._rel(Path(target)), form)
                if star is not None:
                    return pattern.replace("*", star, 1)
        return None


def _extension_for(target: str, style: str) -> str:
    if not style:
        return ""
    ext = next((e for e in _TS_SUFFIXES if target.endswith(e)), ".ts")
    if style == ".js":
        return {".mts": ".mjs", ".cts": ".cjs"}.get(ext, ".js")
    return ext


def _strip_ts_suffix(path: str) -> str:
    for ext in _TS_SUFFIXES:
        if path.endswith(ext):
            return path[: -len(ext)]
    return path


def _parents(path: str) -> list[str]:
    out = []
    parent = posixpath.dirname(path)
    while parent:
        out.append(parent)
        parent = posixpath.dirname(parent)
    return out


def _match(pattern: str, specifier: str) -> str | None:
    """The text ``*`` matches in ``specifier``, "" for an exact pattern, or None."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    head, _, tail = pattern.partition("*")
    if specifier.startswith(head) and specifier.endswith(tail) and len(specifier) >= len(head) + len(tail):
        return specifier[len(head): len(specifier) - len(tail)]
    return None
