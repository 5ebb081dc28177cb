"""What drizzle receives as its schema, checked against the project (SF005).

A config path that is gone: ``drizzle.config.ts`` names ``schema: './src/db/schema.ts'``
and the schema moved. drizzle-kit reads paths from where it runs (the config's package
folder), reads a folder whole, and stops with "No schema files found" when nothing is
there. The path follows the schema: the one module exporting every name the old file
exported in git's HEAD (a safe fix), for a folder the one folder holding the module each
of its files became (safe, unless it holds another table module too), else the one file
of that name (an unsafe one).

A glob: when a config names its schema by a glob (``schema: './src/**/*.table.ts'``),
drizzle-kit reads the files the glob matches, and nothing else: a table split into a file
named otherwise (``documents-tags.ts`` beside ``documents.table.ts``) is not in the
schema, and the next ``drizzle-kit generate`` writes a ``DROP TABLE`` for it. Such a
module is noted (it may belong to another database on purpose) when it defines a table,
enum, view or sequence and is linked to the schema: it imports a module the glob
matches, or one of those imports it.

Modules handed to ``drizzle()`` that are no barrel: ``drizzle(db, { schema })`` of
``schema = { ...usersSchema, ...postsSchema }`` (``import * as`` lines), or a config
naming one schema file: drizzle receives what those modules export, and nothing else. A
module defining a table that they do not reach is noted when it is linked to them in the
same way (a barrel handed to drizzle is SF005's own business).

Neither kind of module is noted when every table, enum, view and sequence it declares is
in a ``pgSchema`` that the config's ``schemaFilter`` leaves out: drizzle-kit leaves
those alone (a mirror of Supabase's ``auth.users``, kept for foreign keys).
"""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from codemod.model import Applicability, Diagnostic, Edit, Fix, Severity
from codemod.rules import Context

from . import _barrels
from ._disk import disk, out_dir
from ._drizzle import relations_declarations
from ._schema_entry import (_configured, configured_module, configs_naming_schema, drizzle_configs, glob_matches,
                            handed_to_drizzle, relative, schema_filter, schema_globs, schema_modules, schema_paths)
from ._schema_lists import relations_left_off
from ._tables import database_schemas, tables

CODE = "SF005"


def outside_schema(ctx: Context) -> Iterator[Diagnostic]:
    yield from _stale_config_paths(ctx)
    yield from _outside_globs(ctx)
    yield from _outside_handed(ctx)
    yield from relations_left_off(ctx)


def _stale_config_paths(ctx: Context) -> Iterator[Diagnostic]:
    """A drizzle config whose ``schema`` names a file or folder that is gone (the schema
    moved, the config was left): drizzle-kit reads no schema there. The path follows the
    one module defining every name the old file exported in git's HEAD (a safe fix), a
    folder's files to the one folder now holding them (``_moved_folder``), or the one file
    of the same name in the project (an unsafe one); else it is reported."""
    project = ctx.project
    out = out_dir(project)
    for config in drizzle_configs(project):
        if config.has_error:
            continue
        here = posixpath.dirname(config.path)
        for spec, start, end in schema_paths(config):
            if spec.endswith(_JS):
                continue  # a JavaScript path: build output (drizzle-kit run after tsc), or a source not read
            if posixpath.isabs(spec) or "\\" in spec or re.match(r"[A-Za-z]:", spec):
                continue  # an absolute or Windows path: one machine's disk, not the project's
            package = _package_folder(project, here)
            if _exists_for_drizzle_kit(project, [here, package, ""], spec, out):
                continue
            extensions = _with_extension(project, [here, package, ""], spec)
            if extensions:
                yield _extension_left_out(ctx, config, spec, start, end, extensions)
                continue
            if configured_module(project, config, spec) is not None:
                continue  # the source of build output
            base = here if package is None else package  # drizzle-kit reads paths from where it runs
            target, level, why = _moved_schema(ctx, posixpath.join(base, posixpath.basename(config.path)), spec)
            fix = None
            if target is not None:
                new = posixpath.relpath(target, base or ".")
                new = new if new.startswith("../") or not spec.startswith("./") else "./" + new
                fix = _rewrite(ctx, config, start, end, new, f"Point the schema to {new!r}", level)
            notes = (f"{target} ({why})",) if target is not None else ()
            yield ctx.diagnostic(
                CODE, config, start, f"{config.path}'s schema {spec!r} does not exist: drizzle-kit finds no schema "
                "there (its generate and push stop: 'No schema files found')", fix=fix, end=end, notes=notes)


def _exists_for_drizzle_kit(project, bases: list[str | None], spec: str, out: str | None) -> bool:
    """Does ``spec`` name something drizzle-kit can read: a file or a folder (it reads every
    file in a folder), from one of ``bases`` (the config's folder, its package's folder,
    where drizzle-kit runs, and the root); or build output (not built yet)?"""
    for rel in _from_bases(bases, spec):
        if out is not None and (rel == out or rel.startswith(out + "/")):
            return True
        if rel in project.files or rel in project.resolver.folders or disk(project).is_file(rel) \
                or disk(project).is_dir(rel):
            return True
    return False


def _from_bases(bases: list[str | None], spec: str) -> list[str]:
    """``spec`` read from each of ``bases`` (root-relative folders, None skipped), once each."""
    return list(dict.fromkeys(posixpath.normpath(posixpath.join(base, spec)) for base in bases if base is not None))


_EXTENSIONS = (".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx")  # what drizzle-kit reads


def _with_extension(project, bases: list[str | None], spec: str) -> list[str]:
    """The extensions that make ``spec``, which names nothing, a file (``'./src/db/schema'``
    beside ``schema.ts``), from the first of ``bases`` where one does. drizzle-kit reads a
    path as a glob: without its extension it matches no file, and drizzle-kit stops ("No
    schema files found ... If path represents a file - please make sure to use .ts or
    other extension in the path"), where an import of the same path would resolve."""
    if posixpath.splitext(spec.rstrip("/"))[1] or spec.endswith("/"):
        return []
    for rel in _from_bases(bases, spec):
        found = [e for e in _EXTENSIONS if rel + e in project.files or disk(project).is_file(rel + e)]
        if found:
            return found
    return []


def _extension_left_out(ctx: Context, config, spec: str, start: int, end: int, extensions: list[str]) -> Diagnostic:
    """A config path naming a file without its extension: the one file it can mean is a
    safe fix; several (``schema.ts`` and a ``schema.js`` built beside it) are reported."""
    fix = None
    if len(extensions) == 1:
        new = spec + extensions[0]
        fix = _rewrite(ctx, config, start, end, new, f"Write the extension: {new!r}", Applicability.SAFE)
    notes = () if len(extensions) == 1 else (f"it may mean {', '.join(repr(spec + e) for e in extensions)}",)
    return ctx.diagnostic(
        CODE, config, start, f"{config.path}'s schema {spec!r} names no file: drizzle-kit reads a file only with its "
        "extension written (its generate and push stop: 'No schema files found')", fix=fix, end=end, notes=notes)


def _rewrite(ctx: Context, config, start: int, end: int, new: str, title: str, level: Applicability) -> Fix | None:
    """The fix writing ``new`` as the config's string at ``[start, end)`` in its own quotes;
    None for a config that is no source (read beside them) or may not be edited."""
    if config.path not in ctx.project.files or not ctx.can_edit(config.path):
        return None
    quote = chr(config.data[start])
    return Fix(title, (Edit(config.path, start, end, f"{quote}{new}{quote}".encode()),), level)


_JS = (".js", ".mjs", ".cjs", ".jsx")


def _package_folder(project, folder: str) -> str | None:
    """The nearest folder at or above ``folder`` (root-relative) holding a package.json."""
    while True:
        if disk(project).is_file(posixpath.join(folder, "package.json") if folder else "package.json"):
            return folder
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def _moved_schema(ctx: Context, config: str, spec: str) -> tuple[str | None, Applicability, str]:
    """Where the schema a config names went: (module, applicability, why)."""
    project = ctx.project
    exports = project.exports
    held = _barrels.held_before(project, config, relative(spec))
    if held is not None:
        old, names = held
        # a folder index counts when it only re-exports (a module split into a folder); one
        # declaring things of its own (a client module: `export const db = drizzle(…)`) is
        # not a schema, whatever it re-exports
        definers = _barrels.defining_all(project, names, sorted(project.files), pure_barrels=True)
        definers = [p for p in definers if not any(q != p and exports.reaches(q, p) and q in definers for q in definers)]
        if len(definers) == 1:
            return definers[0], Applicability.SAFE, f"it exports every name {old} exported in git's HEAD"
    elif (moved := _moved_folder(ctx, posixpath.normpath(posixpath.join(posixpath.dirname(config), spec)))) is not None:
        return moved
    base = posixpath.basename(spec.rstrip("/"))
    same = [p for p in sorted(project.files) if posixpath.basename(p) == base and not _barrels.skipped(p, "")]
    if posixpath.splitext(base)[1] and len(same) == 1:
        return same[0], Applicability.UNSAFE, "the one file of that name"
    return None, Applicability.UNSAFE, ""


def _moved_folder(ctx: Context, folder: str) -> tuple[str, Applicability, str] | None:
    """Where a schema folder a config names went (moved without git's knowing, or committed
    moved): the one folder holding, for each source file git's HEAD holds under ``folder``,
    the one module defining every name it exported; unsafe when that folder holds a table
    module none of them became (drizzle-kit would read tables it did not before). None
    when HEAD holds no such file, or a file's names are defined by no module or several."""
    project = ctx.project
    held = {old: names for old, names in disk(project).folder_before(folder).items() if names}
    if not held:
        return None
    pool = sorted(project.files)
    became = set()
    for names in held.values():
        definers = _barrels.defining_all(project, names, pool)
        if len(definers) != 1:
            return None
        became.add(definers[0])
    target = posixpath.commonpath([posixpath.dirname(p) for p in became])
    if not target or target == folder:
        return None
    extra = sorted(m for m, _name in tables(project) if m.startswith(target + "/") and m not in became)
    why = f"it holds the modules defining every name the {len(held)} files of {folder} exported in git's HEAD"
    if extra:
        return target, Applicability.UNSAFE, why + f"; it also holds {', '.join(extra[:3])}, which were not there"
    return target, Applicability.SAFE, why


def _outside_handed(ctx: Context) -> Iterator[Diagnostic]:
    """Table modules the schema drizzle receives (no barrel: a config's files, or what a
    ``drizzle()`` call is handed) leaves out, and relations modules the ``drizzle()`` call's
    schema leaves out (drizzle-kit reads no relations), each when linked to that schema."""
    project = ctx.project
    with_tables = {module for module, _name in tables(project)}

    def read_by_kit() -> set[str]:  # what a config's globs name (asked only of a non-barrel schema)
        globs = [g for config in drizzle_configs(project) for g in schema_globs(config)]
        return {p for p in project.files if any(glob_matches(p, g) for g in globs)} if globs else set()

    handed = schema_modules(project)
    noted: set[str] = set()
    for file in _left_out(project, handed, lambda: with_tables, read_by_kit):  # drizzle-kit reads both
        if _filtered_out(project, configs_naming_schema(project), file):
            continue
        noted.add(file.path)
        yield ctx.diagnostic(
            CODE, file, 0, f"{file.path} defines tables, but the schema drizzle receives ({_listed(handed)}) does "
            "not include it: drizzle does not see them (relational queries naming them fail, and drizzle-kit would "
            "drop them)", severity=Severity.INFO,
            notes=("add it where the schema is put together (if it belongs to another database, leave it)",))
    called = handed_to_drizzle(project)

    def relations_modules() -> set[str]:  # one noted for its tables above is not noted again
        # (one with tables too counts: drizzle-kit reading it, e.g. a config naming the folder,
        # does not give the drizzle() call its tables)
        return {p for p, f in project.files.items() if p not in noted and relations_declarations(f, project)}

    for file in _left_out(project, called, relations_modules):
        what = "defines tables and declares relations()" if file.path in with_tables else "declares relations()"
        yield ctx.diagnostic(
            CODE, file, 0, f"{file.path} {what}, but the schema drizzle() receives ({_listed(called)}) "
            "does not include it: relational queries have none of its relations", severity=Severity.INFO,
            notes=("add it where the schema is handed to drizzle() (if it belongs to another database, leave it)",))


def _filtered_out(project, configs, file) -> bool:
    """Does each of ``configs`` (one at least) leave every table, enum, view and sequence of
    ``file`` alone by its ``schemaFilter``: each declared in a ``pgSchema`` the filter does
    not name? A mirror of Supabase's ``auth.users``, kept out of the schema on purpose for
    its foreign keys, is no table drizzle-kit would create or drop."""
    filters = [schema_filter(config) for config in configs]
    if not filters or None in filters:
        return False
    schemas = database_schemas(project, file)
    return bool(schemas) and all(s is not None and all(s not in f for f in filters) for s in schemas)


def _listed(modules: list[str], most: int = 3) -> str:
    """``modules`` for a message: the first ``most``, and how many more."""
    return ", ".join(modules) if len(modules) <= most else f"{', '.join(modules[:most])} and {len(modules) - most} more"


def _left_out(project, handed: list[str], candidates, also=frozenset) -> Iterator:
    """The files of ``candidates()`` (modules) that the non-barrel schema ``handed``, with
    what it re-exports and ``also()``, does not include, and that are linked to it; nothing
    when ``handed`` is empty or holds a barrel (a barrel is SF005's own business)."""
    if not handed or any(_barrels.is_barrel_name(p) for p in handed):
        return
    schema = _reached(project, handed) | also()
    linked = _linked_to(project, schema)
    for path in sorted(candidates() - schema):
        file = project.files.get(path)
        if file is not None and not _barrels.skipped(path, "") and linked(file):
            yield file


def _reached(project, handed: list[str]) -> set[str]:
    """``handed`` and every module whose names they re-export: what drizzle receives."""
    exports = project.exports
    return set(handed).union(*(exports.reexports_from(p) for p in handed),
                             *({b.origin for b in exports.names(p).values()} for p in handed))


def _linked_to(project, modules: set[str]):
    """A test of whether a file imports one of ``modules``, or one of them imports it (what
    ``modules`` import is resolved once)."""
    resolve = project.resolver.resolve
    imported = {res.path for m in sorted(modules) if m in project.files for s in project.files[m].facts.imports
                if (res := resolve(m, s.specifier)).ok}

    def linked(file) -> bool:
        return file.path in imported or any((res := resolve(file.path, s.specifier)).ok and res.path in modules
                                            for s in file.facts.imports)
    return linked


def _outside_globs(ctx: Context) -> Iterator[Diagnostic]:
    project = ctx.project
    for config in drizzle_configs(project):
        globs = schema_globs(config)
        if not globs:
            continue
        matched = {p for p in project.files if any(glob_matches(p, g) for g in globs)} | _configured(project, config)
        if not matched:
            continue  # the glob names files outside what was analysed
        linked = _linked_to(project, matched)
        shown = " or ".join(repr(g) for g in globs)
        for path, file in sorted(project.files.items()):
            if path in matched or _barrels.skipped(path, "") or file.has_error or path == config.path:
                continue
            if not linked(file) or not _barrels.defines_tables(project, file) or _filtered_out(project, [config], file):
                continue
            yield ctx.diagnostic(
                CODE, file, 0, f"{path} defines tables, but {config.path}'s schema {shown} does not match it: "
                "drizzle-kit does not see them (its next generate would drop them)",
                severity=Severity.INFO,
                notes=("rename the file to match, or add it to the config's `schema` (if it belongs to another "
                       "database, leave it)",))
