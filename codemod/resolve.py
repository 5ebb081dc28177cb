"""Module resolution: which project file does a specifier name?

One set of rules for every project, close to TypeScript's ``bundler`` resolution, for
the files we can see: extension probing (``./x`` -> ``x.ts``, ``x.tsx``, ``x.d.ts``,
``x/index.ts`` ...), ``.js`` written for a ``.ts`` source, tsconfig ``paths`` (``*``
patterns, several targets) and ``baseUrl``. The tsconfig's ``moduleResolution`` is not
read: under ``node16`` / ``nodenext`` TypeScript is stricter (a relative ESM import
needs its extension), so a specifier found here may still be an error there.

What the analysed files do not show is asked of ``Surroundings`` (built by discovery;
empty for in-memory projects): whether a file exists on disk (an alias into another
package, a dot-folder, a ``.d.ts``: it exists but is not read, so OPAQUE), the
workspace's packages (``@acme/db`` -> that package, EXTERNAL like any package: another
project's surface is never edited across; but a ``paths`` alias named after the project's
own package is the project's, see ``_missing_of_its_own``), package.json ``imports``
(``#schema/*``, resolved like ``paths``) and the declared dependencies. A bare package
name (``drizzle-orm``, ``@acme/db/schema``) that no alias resolves is EXTERNAL, installed
or not.

Paths are POSIX strings relative to the project root (``schema/user/users.ts``).
"""

from __future__ import annotations

import hashlib
import os
import json
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .disk import Disk
from .tsconfig import TsConfig

FILE, FOLDER, MISSING, EXTERNAL = "file", "folder", "missing", "external"
OPAQUE = "opaque"  # a file that exists but was not read (unreadable, .gitignore'd, excluded)

# Specifiers a resolver resolves itself before it reads the answers on offer (``offer``):
# resolving one takes ~3 us (the disk's answers come from discovery's listings), reading
# the kept answers ~1.3 us each (69,296 in 90 ms at 19,813 files), all of them at once.
ADOPT_AFTER = 500
_JS_TO_TS = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx",),
    ".mjs": (".mts", ".d.mts"),
    ".cjs": (".cts", ".d.cts"),
}
_TS_SUFFIXES = (".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx", ".mts", ".cts")
_PROBE = (".ts", ".tsx", ".d.ts")
_JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs")  # on disk only: a JavaScript module exists too
_NOT_PLAIN = (*_JS_TO_TS, *_TS_SUFFIXES)  # a base ending otherwise has ``base + ".ts"`` as first candidate
# A relative specifier naming a file of another kind (JSON modules, styles, images ...):
# the bundler or `resolveJsonModule` handles it; it is never a schema module of ours
# (unless the project names modules that way too: ``Resolver._asset``).
_ASSET_KINDS = frozenset(("json", "css", "scss", "sass", "less", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif",
                          "ico", "wasm", "txt", "md", "html", "yml", "yaml", "toml", "graphql", "gql", "sql", "node"))
_ASSET = re.compile(r"\.(" + "|".join(sorted(_ASSET_KINDS)) + r")$", re.I)
_MODULE_SUFFIXES = frozenset(("ts", "tsx", "mts", "cts"))  # a source module's own extension, declarations aside
_INDEX = tuple(f"/index{ext}" for ext in _PROBE)
# An npm package name, optionally followed by a subpath: `pkg`, `pkg/sub`, `@scope/pkg/sub`.
# `@/x`, `~/x`, `#x`, `$lib/x` are not package names (they are aliases).
# A module of the runtime or the bundler, not a file: `node:fs`, `bun:test`, `cloudflare:workers`.
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:(?!/)")
_PACKAGE = re.compile(r"(?P<name>(?:@[a-z0-9][\w.~-]*/)?[a-z0-9][\w.~-]*)(?:/.*)?", re.I)


_ENTRY = "\0package entry:"  # a recorded question: which file a package folder's manifest names


def _in_unread_folder(path: str) -> bool:
    """Is root-relative ``path`` under a dot-folder or a ``node_modules`` folder? Their files
    are not read, and a missing one there is not a broken import: a dot-folder is what a
    tool generates (`.source/` of fumadocs-mdx, `.svelte-kit/`, `.nuxt/`; git-ignored,
    absent until the dev server runs), ``node_modules`` what an install writes. Any other
    module exporting the name is no evidence (on a public app, `blog` from
    `@/.source/server` was repointed to the collection's definition in `source.config.ts`).
    The dot-folder itself counts too: `../../.source` names its index."""
    parts = path.rstrip("/").split("/")
    return any(part == "node_modules" for part in parts[:-1]) or any(
        part.startswith(".") and part not in (".", "..") for part in parts)


def package_name(specifier: str) -> str | None:
    """The package a bare specifier names (``@acme/db`` for ``@acme/db/schema``), or None."""
    m = _PACKAGE.fullmatch(specifier)
    return m.group("name") if m else None


def _nothing_exists(_path: str) -> bool:
    return False


@dataclass(frozen=True)
class Package:
    """A package of the workspace (pnpm / yarn / npm / bun workspaces)."""
    name: str
    folder: str  # absolute
    exports: object = None  # package.json ``exports`` as read
    entry: tuple[str, ...] = ()  # ``types`` / ``typings`` / ``main``, as written

    def candidates(self, sub: str) -> list[str]:
        """Absolute paths (without probing suffixes) the subpath ``sub`` ("" for the
        package itself) may lead to, most likely first; empty when unsure."""
        key = "./" + sub if sub else "."
        out: list[str] = []
        exports = self.exports
        if isinstance(exports, (str, list)) or (isinstance(exports, dict) and not any(
                k.startswith(".") for k in exports)):
            exports = {".": exports}
        if isinstance(exports, dict):
            for pattern, value in exports.items():
                star = _match(pattern, key) if isinstance(pattern, str) else None
                if star is not None:
                    out += [t.replace("*", star) for t in condition_targets(value)]
        elif not sub:
            out += list(self.entry) + ["./src/index", "./index"]
        else:
            out += ["./" + sub, "./src/" + sub]
        return [os.path.normpath(os.path.join(self.folder, t)) for t in out if t.startswith("./")]


def entry_fields(manifest: dict) -> list[str]:
    """A package.json's ``types``, ``typings`` and ``main``, as written, in the order
    TypeScript reads them (empty and non-text values left out)."""
    return [v for k in ("types", "typings", "main") if isinstance(v := manifest.get(k), str) and v]


def condition_targets(value) -> list[str]:
    """The string targets of a package.json ``exports`` / ``imports`` value (a string, a
    list, or conditions), TypeScript's conditions first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in condition_targets(v)]
    if isinstance(value, dict):
        order = ("types", "import", "module", "default", "node", "require")
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        return [t for k in keys for t in condition_targets(value[k])]
    return []


@dataclass(frozen=True)
class Surroundings:
    """What the resolver may know beyond the analysed files (discovery builds it; tests
    building projects in memory get the default: nothing else exists)."""
    exists: Callable[[str], bool] = _nothing_exists  # root-relative (may start with ../) or absolute path
    packages: Mapping[str, Package] = None  # workspace packages by name
    imports: tuple[tuple[str, tuple[str, ...]], ...] = ()  # package.json ``imports``: pattern -> absolute targets
    dependencies: frozenset[str] = frozenset()  # declared in package.json files at and above the root
    moves: Mapping[str, str] = None  # files git saw renamed: old root-relative path -> new one
    disk: Disk = None  # every later question to the disk, recorded (None: a disk with nothing on it)

    def __post_init__(self):
        if self.packages is None:
            object.__setattr__(self, "packages", {})
        if self.moves is None:
            object.__setattr__(self, "moves", {})
        if self.disk is None:
            object.__setattr__(self, "disk", Disk(None))


@dataclass(frozen=True, slots=True)  # ~70,000 at 19,813 files: no __dict__ each
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
                 opaque: Iterable[str] = (), surroundings: Surroundings | None = None):
        self.root = Path(root)
        self.around = surroundings or Surroundings()
        self.files = frozenset(files)
        self.opaque = frozenset(opaque) - self.files
        self.folders = _folders(self.files)
        self.config = config or TsConfig()
        self._cache: dict[tuple[str, str], Resolution] = {}
        # importer -> specifier -> answer: no dirname on a hit; a dict a file, not a tuple key a
        # site (124,145 sites at 19,813 files)
        self._by_importer: dict[str, dict[str, Resolution]] = {}
        self._known: dict[tuple[str, str], tuple] = {}  # answers of an earlier run (``adopt``), as plain data
        self._asked: dict[str, bool] = {}  # every question put to ``around.exists``, with its answer
        self._digest: str | None = None  # ``inputs_digest``: its inputs are fixed at construction
        self._offered: Callable[[], object] | None = None  # an earlier run's answers, not read yet (``offer``)
        self._own = 0  # specifiers resolved here while answers were on offer
        self.adopted = 0  # how many answers ``adopt`` took
        self._roots: tuple[str, ...] | None = None  # the tsconfig's ``rootDirs``, root-relative (when first asked)
        self._kinds: frozenset[str] | None = None  # ``module_kinds`` (when first asked)

    # -- answers kept between runs ---------------------------------------------------

    def inputs_digest(self) -> str:
        """A digest of every input of this resolver's answers but the disk beside the
        analysed files: the root, the set of paths, the opaque files, the config and
        the workspace's packages, ``imports`` and dependencies. Two resolvers with the
        same digest answer alike wherever the disk answers alike (see ``adopt``)."""
        if self._digest is not None:
            return self._digest
        around = self.around
        parts = (str(self.root), sorted(self.files), sorted(self.opaque), repr(self.config),
                 sorted((name, repr(package)) for name, package in around.packages.items()),
                 repr(around.imports), sorted(around.dependencies))
        self._digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
        return self._digest

    def answers(self) -> tuple[dict[tuple[str, str], tuple], dict[str, bool]]:
        """What this resolver found, as plain data for a later run's ``adopt``: every
        resolution, and every question it put to the disk with the answer it got."""
        found = dict(self._known)
        found.update((key, (r.status, r.path, r.alias)) for key, r in self._cache.items())
        return found, self.asked()

    def answer_count(self) -> int:
        """How many resolutions ``answers`` would hold (without building them)."""
        return len(self._known) + sum(1 for key in self._cache if key not in self._known)

    def asked(self) -> dict[str, bool]:
        """Every question this resolver put to the disk (adopted ones included), with
        the answer it got: what any value computed with its answers rests on."""
        return dict(self._asked)

    def offer(self, read: Callable[[], object]) -> None:
        """Answers of an earlier run with the same ``inputs_digest``, read (``read()``:
        the answers, or None when they cannot be read) and adopted (``adopt``) only once
        this resolver has resolved ``ADOPT_AFTER`` specifiers itself, or ``take_offer``
        is called: a commit hook resolves a few specifiers, and reading the 69,296
        answers of a 19,813-file project took 90 ms. What ``resolve`` answers does not
        change: an adopted answer is the one resolving gives (see ``adopt``)."""
        self._offered = read

    @property
    def on_offer(self) -> bool:
        """Are answers on offer and not read yet?"""
        return self._offered is not None

    def take_offer(self) -> None:
        """Read and adopt the answers on offer, if any, now."""
        read, self._offered = self._offered, None
        if read is not None:
            kept = read()
            if kept is not None:
                self.adopt(kept)

    def adopt(self, answers) -> bool:
        """Take the ``answers`` of an earlier resolver with the same ``inputs_digest``,
        when every disk question it asked gets the same answer now (asked again, so a
        file created or removed beside the sources since is seen); False, and nothing
        taken, otherwise."""
        found, asked = answers
        if not self.answers_alike(asked):
            return False
        self._asked.update(asked)
        self._known = found
        self.adopted = len(found)
        return True

    def _ask(self, path: str) -> bool:
        answer = self._asked[path] = self.around.exists(path)
        return answer

    def answers_alike(self, asked: Mapping[str, bool]) -> bool:
        """Does the disk give every answer of ``asked`` (``asked()`` of an earlier resolver)
        now? Asked again, so a file or folder created or removed since is seen."""
        return all(self._now(path) == was for path, was in asked.items())

    def _ask_folder(self, path: str) -> bool:
        """Is ``path`` a folder on disk? Recorded as ``path + "/"`` beside the files asked."""
        answer = self._asked[path + "/"] = self._now(path + "/")
        return answer

    def _now(self, asked: str) -> bool:
        """A question of ``_asked`` put to the disk again: a folder's ends with ``/``; a
        package folder's entry (``_ENTRY``) holds the entry found then."""
        if asked.startswith(_ENTRY):
            base, _, was = asked[len(_ENTRY):].partition("\0")
            return (self._read_package_entry(base) or "") == was
        if asked.endswith("/"):
            return self.around.disk.is_dir(asked[:-1] or ".")
        return self.around.exists(asked)

    # -- specifier -> file ---------------------------------------------------------

    def resolve(self, importer: str, specifier: str) -> Resolution:
        """Where ``specifier``, written in ``importer``, leads. Memoised: a Resolver sees
        one fixed set of files, and only relative specifiers depend on the importer."""
        known_here = self._by_importer.get(importer)
        if known_here is None:
            known_here = self._by_importer[importer] = {}
        else:
            found = known_here.get(specifier)
            if found is not None:
                return found
        # The folder: ``posixpath.dirname`` but faster, for a normalised relative path.
        key = (importer.rpartition("/")[0] if is_relative(specifier) else "", specifier)
        found = self._cache.get(key)
        if found is None:
            known = self._known.get(key)
            if known is None and self._offered is not None:
                self._own += 1
                if self._own > ADOPT_AFTER:
                    self.take_offer()
                    known = self._known.get(key)
            found = Resolution(*known) if known is not None else self._resolve(importer, specifier)
            self._cache[(sys.intern(key[0]), specifier)] = found  # one string a folder, not one a key
        known_here[specifier] = found
        return found

    def _resolve(self, importer: str, specifier: str) -> Resolution:
        if "?" in specifier:
            return Resolution(EXTERNAL)  # `./styles.css?url`, `./logo.svg?react`: a bundler transform
        if is_relative(specifier):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
            found = self._on_disk(self._probe(base, specifier.endswith("/")), [base], specifier)
            if found.status == MISSING and self._absent_outside(base):
                return Resolution(OPAQUE)  # another project's folder, not there: unknown
            if found.status in (MISSING, FOLDER) and (self.config.root_dirs or self.config.incomplete):
                return self._through_root_dirs(importer, specifier, found)
            return found
        if specifier.startswith("/"):
            base = self._rel(Path(specifier))
            return self._on_disk(self._probe(base, False), [base], specifier)
        found = self._resolve_bare(specifier)
        if found.status in (MISSING, FOLDER) and self.config.incomplete:
            return Resolution(OPAQUE, found.path, found.alias)  # the unread tsconfig may define it
        return found

    def _resolve_bare(self, specifier: str) -> Resolution:
        if specifier.startswith("#"):
            found = self._aliases(self.around.imports, specifier)
            if found is not None:
                return found
        found = self._aliases(self.config.paths, specifier)
        if found is not None and found.status not in (MISSING, FOLDER):
            return found
        if found is None and self.config.base_url is not None:
            base = self._rel(self.config.base_url / specifier)
            got = self._probe(base, False)
            if got.status in (FILE, FOLDER, OPAQUE):
                return Resolution(got.status, got.path, "baseUrl")
            if self._exists(base) is not None:
                return Resolution(OPAQUE, self._exists(base), "baseUrl")
        # TypeScript falls back to node_modules when no alias leads to a file.
        name = package_name(specifier)
        if name is not None:
            package = self.around.packages.get(name)
            if package is not None:
                if found is not None and self._missing_of_its_own(package, specifier, found):
                    return found
                return self._package(package, specifier[len(name) + 1:])
            if found is None or self._falls_back(found.alias, name):
                return Resolution(EXTERNAL)
        elif found is not None and _SCHEME.match(specifier) and not found.alias.partition("*")[0]:
            return Resolution(EXTERNAL)  # `node:fs`, `bun:test` under `"*": ["./*"]`: tsc falls back to them too
        return found if found is not None else Resolution(EXTERNAL)

    def _falls_back(self, pattern: str, name: str) -> bool:
        """A package name that a paths pattern matched but did not resolve: a catch-all
        pattern (`*`, `*.ts`) stands for no package, so node_modules answers; a pattern
        naming a prefix (`@db/*`) owns it, unless the package is declared or installed."""
        if not pattern.partition("*")[0]:
            return True
        if name in self.around.dependencies:
            return True
        up = self.root
        for depth in range(len(up.parts)):
            if self._ask(posixpath.join("../" * depth, "node_modules", name, "package.json")):
                return True
        return False

    def _missing_of_its_own(self, package: Package, specifier: str, found: Resolution) -> bool:
        """Is ``found``, a ``paths`` pattern's answer that found no file, what TypeScript says
        of ``specifier`` though it names the workspace ``package``? So when the package is
        this project's own (`@acme/server/*` -> `./src/*` in @acme/server's tsconfig, as
        dokploy writes it) and the pattern's targets are in this project: tsc tries the
        paths first, then the package's own ``exports`` and node_modules (both lead back
        into this package), and says TS2307 when none of them finds a file. Another
        package, or a target found by that fallback (`"./*": "./dist/*.js"` beside a
        build), is the package's import as before."""
        if found.status not in (MISSING, FOLDER) or not self._is_own(package):
            return False
        matched = self._alias_bases(self.config.paths, specifier)
        if matched is None or not matched[1] or any(_outside(base) for base in matched[1]):
            return False
        return self._package_file(package, specifier[len(package.name) + 1:]) is None

    def _is_own(self, package: Package) -> bool:
        """Is ``package`` the one this project is (or is in): its folder the root or above it?"""
        return all(part == ".." for part in self._rel(Path(package.folder)).split("/") if part != ".")

    def _aliases(self, aliases, specifier: str) -> Resolution | None:
        """Resolve through ``paths``-like patterns; None when no pattern matches."""
        matched = self._alias_bases(aliases, specifier)
        if matched is None:
            return None
        pattern, bases = matched
        found = None
        for base in bases:
            found = self._probe(base, False)
            if found.status in (FILE, OPAQUE):
                return Resolution(found.status, found.path, pattern)
            on_disk = self._exists(base)
            if on_disk is not None:
                return Resolution(OPAQUE, on_disk, pattern)
        if self._asset(specifier, bases):
            return Resolution(EXTERNAL, None, pattern)  # `@/styles.css`: not a module of ours
        if bases and all(self._absent_outside(base) for base in bases):
            return Resolution(OPAQUE, None, pattern)  # another project's folder, not there: unknown
        if any(_in_unread_folder(base) for base in bases):
            return Resolution(OPAQUE, None, pattern)  # `@/.source/server`: generated, not there yet: unknown
        # TypeScript stops at the first matching pattern.
        if found is not None and found.status == FOLDER:
            return Resolution(FOLDER, found.path, pattern)
        return Resolution(MISSING, None, pattern)

    def _alias_bases(self, aliases, specifier: str) -> tuple[str, list[str]] | None:
        """The pattern ``specifier`` matches among ``aliases`` (TypeScript takes the one with
        the longest prefix before `*`, and stops there), with the root-relative paths its
        targets give; None when none matches."""
        for pattern, targets in sorted(aliases, key=lambda p: -len(p[0].partition("*")[0])):
            star = _match(pattern, specifier)
            if star is not None:
                return pattern, [self._rel(Path(target.replace("*", star))) for target in targets]
        return None

    def _package(self, package: Package, sub: str) -> Resolution:
        """A workspace package: EXTERNAL like any package (another project's public
        surface, its exports map and build output, is not ours to check or edit across),
        with the entry file found, or the package folder, as its path."""
        return Resolution(EXTERNAL, self._package_file(package, sub) or self._rel(Path(package.folder)))

    def _package_file(self, package: Package, sub: str) -> str | None:
        """The first file ``package``'s subpath ``sub`` may lead to that is there (analysed,
        or on disk), root-relative; None when none is."""
        for target in package.candidates(sub):
            base = self._rel(Path(target))
            got = self._probe(base, False)
            if got.status in (FILE, OPAQUE):
                return got.path
            on_disk = self._exists(base)
            if on_disk is not None:
                return on_disk
        return None

    def _through_root_dirs(self, importer: str, specifier: str, found: Resolution) -> Resolution:
        """A relative import that does not resolve beside its importer, tried as TypeScript
        does under ``rootDirs``: the same relative path in each other root folder holding
        what the importer's folder would be there (`.svelte-kit/types/src/routes/x/$types`).
        Found there: that file (opaque when not analysed). A root folder not on disk (one a
        tool generates) leaves it unknown, as does a framework's generated route module
        (`./$types`, `./+types/x`) when an ``extends`` of the tsconfig is missing (its
        ``rootDirs`` are unknown). `svelte-kit sync` and `react-router typegen` write only
        route types in theirs, generated or not: no other specifier is looked for there."""
        if self.config.incomplete and _GENERATED_ROUTE_TYPES.search(specifier):
            return Resolution(OPAQUE)
        here = posixpath.dirname(importer)
        if self._roots is None:
            self._roots = tuple(self._rel(Path(r)) for r in self.config.root_dirs)
        roots = self._roots
        for root in roots:
            if not _under(here, root):
                continue
            inside = here[len(root) + 1:] if root not in ("", ".") else here
            for other in roots:
                if other == root or (_ROUTE_TYPES_ROOT.search(other) and not _GENERATED_ROUTE_TYPES.search(specifier)):
                    continue  # (route types are all a framework writes there)
                base = posixpath.normpath(posixpath.join(other, inside, specifier))
                there = self._on_disk(self._probe(base, specifier.endswith("/")), [base], specifier)
                if there.status in (FILE, OPAQUE, EXTERNAL):
                    return there
                if self.around.disk.root is not None and not self._ask_folder(other):
                    return Resolution(OPAQUE)  # a generated root folder, not generated yet: unknown
        return found

    def _on_disk(self, found: Resolution, bases: list[str], specifier: str) -> Resolution:
        """A MISSING file that is an asset, or exists on disk (outside the analysed files:
        another package, a dot-folder, a skipped folder), is not broken."""
        if found.status not in (MISSING, FOLDER):
            return found
        if found.status == MISSING and self._asset(specifier, bases):
            return Resolution(EXTERNAL)  # `./data.json`, `./styles.css`: not a module of ours
        for base in bases:
            on_disk = self._exists(base)
            if on_disk is not None:
                return Resolution(OPAQUE, on_disk)
        if found.status == MISSING and any(_in_unread_folder(base) for base in bases):
            return Resolution(OPAQUE)  # a generated dot-folder's or an install's file, not there yet: unknown
        return found

    def _asset(self, specifier: str, bases: list[str]) -> bool:
        """Does ``specifier``, which found no module at ``bases``, name a file of another kind
        (`./data.json`, `@/styles.css`: the bundler's business, typed by a `declare module`)?
        Not when the project names its own modules with that kind before their extension
        (`billing.sql.ts`, as sst/console does; vanilla-extract's `theme.css.ts`) and no
        such file is on disk as named: then `./usage.sql` is a module that is missing, as
        tsc says (TS2307), and SF001 may find where its names went."""
        found = _ASSET.search(specifier)
        if found is None:
            return False
        if found.group(1).lower() not in self.module_kinds():
            return True
        return any(self._ask(base) for base in bases)

    def module_kinds(self) -> frozenset[str]:
        """The asset kinds (``_ASSET_KINDS``) the project also gives its own modules before
        their extension: ``sql`` for `billing.sql.ts`, ``css`` for `theme.css.ts`. Read
        from the paths once per resolver, when a specifier first needs it."""
        if self._kinds is None:
            self._kinds = _module_kinds(self.files) | _module_kinds(self.opaque)
        return self._kinds

    def _exists(self, base: str) -> str | None:
        """The first of ``_probe``'s candidates for ``base`` that exists on disk."""
        if self.around.exists is _nothing_exists:
            return None
        js = [base] if base.endswith(_JS_SUFFIXES) else [base + e for e in _JS_SUFFIXES[:2]]
        # `./script.lua`, `./pricing.riv`: a file of another kind, there as named (an asset
        # a bundler loads, typed by a `declare module "*.lua"`), is not a broken import
        asset = [base] if posixpath.splitext(base)[1] and not base.endswith((*_TS_SUFFIXES, *_JS_SUFFIXES)) else []
        found = next((c for c in (*_candidates(base, False), *js, *asset) if self._ask(c)), None)
        return found if found is not None or asset else self._package_entry(base)

    def _package_entry(self, base: str) -> str | None:
        """The entry of a folder holding a package.json, reached by a path (a tsconfig
        ``paths`` target naming a workspace folder, `"@shared/zod": ["../shared/zod"]`):
        TypeScript loads such a folder as a module from its ``types``, ``typings`` or
        ``main`` field (on a public app, 16 imports of it were "exported by no module").
        The answer rests on the manifest's text: it is recorded as a question of its own
        (``_ENTRY``), asked again before kept answers are taken; a folder without a
        manifest is answered by that file question alone."""
        if not self._ask(posixpath.join(base, "package.json")):
            return None
        found = self._read_package_entry(base)
        self._asked[f"{_ENTRY}{base}\0{found or ''}"] = True
        return found

    def _read_package_entry(self, base: str) -> str | None:
        manifest_path = posixpath.join(base, "package.json")
        if not self._ask(manifest_path):
            return None
        raw = self.around.disk.read(manifest_path)
        try:
            manifest = json.loads(raw) if raw is not None else None
        except ValueError:
            return None
        if not isinstance(manifest, dict):
            return None
        for value in entry_fields(manifest):
            entry = posixpath.normpath(posixpath.join(base, value))
            found = next((c for c in ([entry] if entry.endswith(_TS_SUFFIXES) else []) + _candidates(entry, False)
                          + [entry] if self._ask(c)), None)  # last, the file as named (built JavaScript)
            if found is not None:
                return found
        return None

    def intended(self, importer: str, specifier: str) -> tuple[str, ...]:
        """The root-relative paths (extension as written) a relative or aliased
        ``specifier`` may name, found or not: where a missing module was."""
        if is_relative(specifier):
            return (posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier)),)
        matched = self._alias_bases(self.around.imports, specifier) if specifier.startswith("#") else None
        matched = matched or self._alias_bases(self.config.paths, specifier)
        if matched is not None:
            return tuple(matched[1])
        if self.config.base_url is not None:
            return (self._rel(self.config.base_url / specifier),)
        return ()

    def leads_outside(self, importer: str, specifier: str) -> bool:
        """Does ``specifier`` (relative, or through a ``paths``/``imports`` pattern) point
        outside the project's root in every place it may mean?"""
        if is_relative(specifier):
            return _outside(posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier)))
        matched = self._alias_bases(self.around.imports, specifier) if specifier.startswith("#") else None
        matched = matched or self._alias_bases(self.config.paths, specifier)
        return matched is not None and bool(matched[1]) and all(map(_outside, matched[1]))

    def _absent_outside(self, base: str) -> bool:
        """Is root-relative ``base`` outside the project's root, in a folder that is not on
        disk at all (a sibling package a sparse checkout left out, one not built yet)? A
        file missing there is unknown, not broken: its names are never repointed to local
        modules that happen to export them. (A file missing from a folder that is there
        is reported as broken, as inside the root; in memory nothing is on disk.)"""
        return _outside(base) and self.around.disk.root is not None and not self._ask_folder(posixpath.dirname(base))

    def _rel(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def _probe(self, base: str, folder_only: bool) -> Resolution:
        if not folder_only and not base.endswith(_NOT_PLAIN):
            first = base + ".ts"  # ``_candidates``' first for a base without extension: most imports
            if first in self.files:
                return Resolution(FILE, first)
        candidates = _candidates(base, folder_only)
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
        for pattern, targets in (*self.config.paths, *self.around.imports):
            if pattern != alias:
                continue
            for target in targets:
                star = _match(self._rel(Path(target)), form)
                if star is not None:
                    return pattern.replace("*", star, 1)
        return None


# SvelteKit's `./$types`, React Router's `./+types/<route>`: modules a framework generates
# beside each route through ``rootDirs``
_GENERATED_ROUTE_TYPES = re.compile(r"(?:^|/)(?:\$types|\+types/[^/]+)(?:\.[jt]s)?$")
# the folders those frameworks generate the route types in (and nothing a route imports else)
_ROUTE_TYPES_ROOT = re.compile(r"(?:^|/)(?:\.svelte-kit|\.react-router)/types$")


def _module_kinds(paths: Iterable[str]) -> frozenset[str]:
    """The asset kinds that name a source module in ``paths`` as ``<name>.<kind>.ts`` (or
    ``.tsx``/``.mts``/``.cts``); a declaration for an asset (`x.d.css.ts`) is no module."""
    found = set()
    for path in paths:
        stem, _, suffix = path.rpartition(".")
        if suffix not in _MODULE_SUFFIXES:
            continue
        head, dot, kind = stem.rpartition(".")
        kind = kind.lower()
        if dot and kind in _ASSET_KINDS and head and not head.endswith(("/", ".d")):
            found.add(kind)
    return frozenset(found)


def _under(path: str, folder: str) -> bool:
    return folder in ("", ".") or path == folder or path.startswith(folder + "/")


def _outside(rel: str) -> bool:
    """Does root-relative ``rel`` lie outside the project's root?"""
    return rel == ".." or rel.startswith("../")


def _candidates(base: str, folder_only: bool) -> list[str]:
    """The files TypeScript tries for ``base``, in order."""
    candidates: list[str] = []
    if not folder_only:
        stem, ext = posixpath.splitext(base)
        if ext in _JS_TO_TS:
            candidates += [stem + e for e in _JS_TO_TS[ext]]
        if base.endswith(_TS_SUFFIXES):
            candidates.append(base)
        candidates += [base + e for e in _PROBE]
    candidates += [base + e for e in _INDEX]
    return candidates


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


def _folders(files: Iterable[str]) -> frozenset[str]:
    """Every folder holding one of ``files``, at any depth (a file's parents are walked up
    to the first one already found)."""
    found: set[str] = set()
    for path in files:
        parent = posixpath.dirname(path)
        while parent and parent not in found:
            found.add(parent)
            parent = posixpath.dirname(parent)
    return frozenset(found)


def _match(pattern: str, specifier: str) -> str | None:
    """The text ``*`` matches in ``specifier``, "" for an exact pattern, or None."""
    if "*" not in pattern:
        return "" if pattern == specifier else None
    head, _, tail = pattern.partition("*")
    if specifier.startswith(head) and specifier.endswith(tail) and len(specifier) >= len(head) + len(tail):
        return specifier[len(head): len(specifier) - len(tail)]
    return None
