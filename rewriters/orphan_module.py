"""SF011: a module that nothing imports and no barrel reaches."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import replace
from typing import Iterator

from codemod.model import Applicability, Diagnostic, Fix, Severity
from codemod.project import Project, SourceFile
from codemod.rules import Context, Option, rule

from . import _barrels, _disk
from ._barrel_additions import addable_modules, adds_no_collision, reexport_line
from ._barrel_lines import Addition, reexport_fix
from ._drizzle import relations_declarations
from ._schema_entry import DRIZZLE_CONFIG, config_strings, drizzle_configs, glob_matches, is_glob, schema_modules

CODE = "SF011"

ENTRY = Option("entry", [], "Entry points of the app: never reported as orphan modules (SF011).",
               metavar="FILE", paths=True)

# Never orphans: tests, declarations, configs, scripts, app entry conventions.
_TEST_DIRS = frozenset({"__tests__", "__mocks__", "__fixtures__", "test", "tests", "e2e", "fixtures", "spec"})
_ENTRY_DIRS = frozenset({"scripts", "app", "pages", "routes", "bin"})
_ENTRY_STEMS = frozenset({"main", "server", "cli", "worker", "middleware", "instrumentation"})
_SPECIAL_NAME = re.compile(r"\.(test|spec|config|setup|stories|story|bench|d)\.[mc]?tsx?$|\.d\.[mc]?ts$")
_SOURCE_EXTS = (".ts", ".tsx", ".mts", ".cts")


@rule(CODE, "orphan-module", "A module nothing imports and no barrel reaches", fix=Applicability.SAFE,
      options=(ENTRY, _barrels.BARREL))
def check(ctx: Context) -> Iterator[Diagnostic]:
    """Finds modules that no file of the project imports, re-exports or loads with
    ``import()``/``require()``, so no barrel reaches them either: a table file dropped
    from the barrel (drizzle never sees the table), or dead code.

    Entry points are never orphans: the files package.json names (``main``,
    ``exports``, ``bin``…), what a ``drizzle.config.*`` names as ``schema`` (globs
    included), the tsconfig's ``files``, the schema barrel, files given with
    ``--entry`` (or ``entry`` in the config); and by convention tests, ``*.d.ts``,
    ``*.config.ts``, files under ``scripts/``, ``app/``, ``pages/``, ``routes/``,
    ``bin/``, ``main.ts``, ``server.ts``, an ``index.ts`` at the root or a package root
    (or its ``src/``), files starting with ``#!`` and files that export nothing (run for
    their side effects). Only modules under the schema barrel's folder are checked:
    elsewhere an unimported module may be an entry point of any kind. A module whose
    name still appears in some specifier (one that does not resolve, a ``require``, a
    string) is not reported either.

    A module that defines tables or ``relations()`` under the schema barrel's folder:
    fixed by re-exporting it from the barrel (only when no exported name becomes
    ambiguous, as SF005 checks; the modules for one barrel in one fix when they collide
    nowhere together either): safe for relations, unsafe for tables (nothing imports the
    module: it may have been taken out on purpose, and putting it back has drizzle-kit
    create its table). A module under a schema barrel's folder that the barrel does not
    reach is left to SF005 when it is enabled.
    Anything else is reported, never deleted.
    """
    project = ctx.project
    entries = _entries(ctx)
    roots = _schema_roots(ctx)
    folders = [_barrels.folder(r) for r in roots]
    loose = None
    orphans: list[SourceFile] = []
    for file in ctx.files():
        path = file.path
        if not any(_barrels.under(path, f) and not _barrels.skipped(path, f) for f in folders):
            continue  # outside the schema tree an unimported module may be an entry of any kind
        if path in entries or _barrels.is_imported(project, path) or _by_convention(project, path) or file.has_error:
            continue
        if ctx.claimed(path, what="module"):
            continue  # the barrel's own rule adds (or lists) the modules its barrel misses
        if not file.facts.exports:
            continue  # exports nothing: a script run for its side effects, or an empty leftover
        if loose is None:
            loose = _unresolved_names(project)
        if not _named_somewhere(project, path, loose):
            orphans.append(file)
    additions: dict[str, str] = {}  # module -> the barrel it goes to
    for file in orphans:
        what = _defines(ctx, file)
        if what is None:
            continue
        barrels = [r for r in roots if _barrels.under(file.path, _barrels.folder(r))]
        additions[file.path] = max(barrels, key=lambda b: b.count("/"))
    fixes = _fixes(ctx, additions)
    for file in orphans:
        what = _defines(ctx, file)
        if what is None:
            yield ctx.diagnostic(
                CODE, file, 0,
                "nothing imports this module and no barrel re-exports it; if it is dead code, delete it "
                "(schemafix never does), else import it or name it with --entry",
                severity=Severity.INFO)  # maybe used from outside the analysed root: a note, not a failure
        elif file.path in additions:
            barrel = additions[file.path]
            fix = fixes.get(file.path)
            message = (f"this module defines {what} but nothing imports it and {barrel} does not re-export it: "
                       "drizzle never sees it")
            if fix is None:
                message += ("; not added: re-exporting it would make an exported name ambiguous (or the barrel "
                            "is not editable)")
            yield ctx.diagnostic(CODE, file, 0, message, fix=fix, severity=Severity.WARNING)


def _defines(ctx: Context, file: SourceFile) -> str | None:
    if _barrels.defines_tables(ctx.project, file):
        return "tables"
    return "relations" if relations_declarations(file, ctx.project) else None


def _fixes(ctx: Context, additions: dict[str, str]) -> dict[str, Fix]:
    """A checked re-export per module; the modules going to one barrel share one fix
    (one pass, however many) when adding them together collides nowhere either."""
    candidates: dict[str, list[str]] = {}
    for module, barrel in sorted(additions.items()):
        candidates.setdefault(barrel, []).append(module)
    project = ctx.project
    fixes: dict[str, Fix] = {}
    for barrel, modules in candidates.items():
        built: dict[str, Fix] = {}
        ok = addable_modules(ctx, barrel, modules, fixes=built)
        if len(ok) >= 2:
            adds = [Addition(m, barrel, _defines(ctx, project.files[m]) or "tables",
                             {n: b for n, b in project.exports.names(m).items() if n != "default"}) for m in ok]
            combined = reexport_fix(ctx, barrel, adds)
            after = ctx.preview([combined]) if combined is not None else None
            if after is not None and adds_no_collision(project, after, [barrel]):
                combined = _applicable(ctx, combined, ok)
                fixes.update({m: combined for m in ok})
                continue
        for m in ok:
            fix = built.get(m) or reexport_line(ctx, barrel, m)
            if fix is not None:
                fixes[m] = _applicable(ctx, fix, [m])
    return fixes


def _applicable(ctx: Context, fix: Fix, modules: list[str]) -> Fix:
    """``fix`` re-exporting ``modules``, unsafe when one defines tables: a table module
    nothing imports may have been taken out of the barrel on purpose, and putting it back
    has drizzle-kit create its table."""
    if any(_defines(ctx, ctx.project.files[m]) == "tables" for m in modules):
        return replace(fix, applicability=Applicability.UNSAFE)
    return fix


def _schema_roots(ctx: Context) -> list[str]:
    try:
        explicit = tuple(ctx.option("barrel"))
    except KeyError:
        explicit = ()
    return _barrels.find_roots(ctx.project, explicit)


def _entries(ctx: Context) -> set[str]:
    project = ctx.project
    out = set(_disk.manifest_entries(project))
    out |= set(schema_modules(project))
    out |= set(_schema_roots(ctx))
    out |= {posixpath.normpath(p) for p in ctx.option("entry")}
    root = str(project.root)
    for f in project.config.files or ():
        rel = os.path.relpath(f, root) if os.path.isabs(f) else f
        out.add(posixpath.normpath(rel.replace(os.sep, "/")))
    out |= _drizzle_config_globs(project)
    return out


def _drizzle_config_globs(project: Project) -> set[str]:
    """Files a glob in a drizzle config names (``schema: './src/db/schema/*.ts'``; a glob
    anywhere in the file counts, as it may reach ``schema`` through a variable)."""
    out = set()
    for file in drizzle_configs(project):
        base = posixpath.dirname(file.path)
        for spec, _schema in config_strings(file):
            if not is_glob(spec):
                continue
            pattern = posixpath.normpath(posixpath.join(base, spec))
            out |= {p for p in project.files if glob_matches(p, pattern)}
    return out


def _by_convention(project: Project, path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    stem = name.split(".")[0]
    if _SPECIAL_NAME.search(name) or DRIZZLE_CONFIG.match(name) or ".config." in name:
        return True
    if any(p in _TEST_DIRS or p in _ENTRY_DIRS for p in parts[:-1]):
        return True
    if stem in _ENTRY_STEMS:
        return True
    if stem == "index":
        folder = posixpath.dirname(path)
        package = folder[:-4] if folder == "src" or folder.endswith("/src") else folder
        if package in ("", "src") or _disk.is_file(project, posixpath.join(package, "package.json")):
            return True
    return project.files[path].data.startswith(b"#!")


def _unresolved_names(project: Project) -> set[str]:
    """The last segment (extension dropped) of every specifier that does not resolve to a
    file, and of every quoted relative path in any file: a module named there may be
    loaded in a way the resolver does not follow."""
    out = set()
    for path, file in project.files.items():
        for site in file.facts.imports:
            if not project.resolver.resolve(path, site.specifier).ok:
                out.add(_last_segment(site.specifier))
        for m in re.finditer(rb"['\"`](\.{1,2}/[^'\"`\n]*)['\"`]", file.data):
            spec = m.group(1).decode("utf-8", "replace")
            if not project.resolver.resolve(path, spec).ok:
                out.add(_last_segment(spec))
    return out


def _last_segment(specifier: str) -> str:
    last = specifier.rstrip("/").rsplit("/", 1)[-1]
    for ext in (".js", ".mjs", ".cjs", ".jsx", *_SOURCE_EXTS):
        if last.endswith(ext):
            return last[:-len(ext)]
    return last


def _named_somewhere(project: Project, path: str, loose: set[str]) -> bool:
    stem = posixpath.basename(path).split(".")[0]
    if stem == "index":
        stem = posixpath.basename(posixpath.dirname(path))
    return stem in loose
