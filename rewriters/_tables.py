"""Drizzle table definitions, read statically: which columns a table has and where its
foreign keys point. Shared by the relation rules (SF007-SF009); nothing here edits.

- ``tables(project) -> Tables`` (a mapping Identity -> Table): every top-level
  ``[export] const T = pgTable|mysqlTable|sqliteTable(...)`` (also ``pgTableCreator``
  results and a schema's ``table``: ``mySchema.table`` or ``pgSchema('x').table``,
  drizzle 1.0's ``.withRLS``, and ``pg.pgTable`` of ``import * as pg from
  'drizzle-orm/pg-core'``), keyed by (defining module, name). The columns
  object may be a literal or the callback form ``(t) => ({ ... })``; spreads such as
  ``...timestamps`` or ``...timestamps()`` are followed through imports and the export
  map. A table whose columns cannot all be read is ``complete=False``: no rule may
  call a column missing from it.
- Foreign keys come from ``.references(() => X.y)`` on a column and from
  ``foreignKey({ columns, foreignColumns })`` in the extra config.
- Nothing here reads a tree: each file's syntax is read once, as it is parsed, into
  plain data (``_table_syntax``, an eager summary kept in the facts cache); what follows
  names into other files (identities, creators, schemas, spreads) works on those.
- ``identity(project, file, name)``: the (module, name) a top-level name of ``file``
  stands for, following imports through the export map; ``import_binding(file, name)``:
  the import entry that binds it. The relations rules' ``table_identity`` and the
  cross-module merge's ``_binding`` are built on these.
- ``defines_table_like(file)``: the same reading of one file alone (True, False, or None
  when a creator or schema comes from another module), and ``defines_table_in_project``:
  the schema barrel's table modules (``_barrels.defines_tables``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from codemod import sealed
from codemod.facts import IMPORT, ImportEntry, ImportSite
from codemod.project import (
    PackedRows,
    Project,
    SourceFile,
    carry_between_runs,
    decode_by_file,
    encode_by_file,
    read_by_file,
    unaffected,
)
from codemod.resolve import EXTERNAL

from ._objects import top_level_values
from ._table_syntax import CALLED, SYNTAX, qualified, syntax

Identity = tuple[str, str]  # (defining module, or a package name; exported name)

TABLE_FUNCTIONS = frozenset({"pgTable", "mysqlTable", "sqliteTable", "singlestoreTable", "gelTable"})
CREATORS = frozenset({"pgTableCreator", "mysqlTableCreator", "sqliteTableCreator", "singlestoreTableCreator",
                      "gelTableCreator"})
SCHEMAS = frozenset({"pgSchema", "mysqlSchema", "mysqlDatabase", "singlestoreSchema", "singlestoreDatabase",
                     "gelSchema"})
RLS_SCHEMAS = frozenset({"pgSchema"})  # whose `table` has `withRLS` (drizzle 1.0)
PG_SCHEMAS = frozenset({"pgSchema"})  # the schemas a drizzle config's `schemaFilter` names (postgres)
_MAX_DEPTH = 8


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]  # column keys of the table
    target: Identity | None  # the referenced table, None when unknown
    target_columns: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Table:
    module: str
    name: str
    line: int
    columns: tuple[str, ...]  # column keys, in order
    complete: bool  # every column is known (no unresolved spread, no computed key)
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def identity(self) -> Identity:
        return (self.module, self.name)

    def references_to(self, target: Identity) -> list[ForeignKey]:
        return [fk for fk in self.foreign_keys if fk.target == target]


# --- names -----------------------------------------------------------------------------


def import_binding(file: SourceFile, name: str) -> tuple[ImportSite, ImportEntry] | None:
    """The import statement and entry that bind top-level ``name`` of ``file`` (value or
    type-only; the first, should the file bind it twice); None when no import does."""
    site = file.memo("import-bindings", lambda: _import_bindings(file)).get(name)
    if site is None:
        return None
    return site, next(entry for entry in site.entries if entry.local == name)


def _import_bindings(file: SourceFile) -> dict[str, ImportSite]:
    """Local name -> the first import statement binding it (the statement only: a pair
    per name was 13 MB at 19,813 files, for one lookup of an entry among a few)."""
    out: dict[str, ImportSite] = {}
    for site in file.facts.imports:
        if site.kind != IMPORT:
            continue
        for entry in site.entries:
            out.setdefault(entry.local, site)
    return out


def identity(project: Project, file: SourceFile, name: str) -> Identity | None:
    """What top-level ``name`` of ``file`` is: (defining module, name), through imports and
    the export map; a package import gives (package, imported name). None when unknown
    (an unresolved import, a namespace or default import, or not bound at the top level).
    Looked up once per file and name, then carried to the next pass's snapshot for the
    files its fixes cannot affect (the tables and the relations graph ask it of the same
    names over and over)."""
    if project.files.get(file.path) is not file:
        return _identity(project, file, name)
    every = project.memo(_IDENTITIES, lambda: unaffected(project, _IDENTITIES))
    known = every.get(file.path)
    if known is None:  # not setdefault: identity runs ~200,000 times in a cold run at 19,813 files, a dict each
        known = every[file.path] = {}
    if name not in known:
        known[name] = _identity(project, file, name)
    return known[name]


# Each file's names answered so far: path -> name -> identity. What a name of a file is
# depends only on the file and the files it reaches through imports (Project.carried):
# carried from pass to pass. Not kept between runs: what the tables, the relations graph
# and SF006 read of the files an edit cannot affect is kept instead, so a commit hook
# asks the names of the affected files only (unpacking them all took 0.07 s at 19,813).
_IDENTITIES = ("drizzle-identities",)




def _identity(project: Project, file: SourceFile, name: str) -> Identity | None:
    found = import_binding(file, name)
    if found is not None:
        site, entry = found
        if entry.imported in ("*", "default", "="):
            return None
        target = project.resolver.resolve(file.path, site.specifier)
        if not target.ok:
            return (site.specifier, entry.imported) if target.status == EXTERNAL else None
        if target.path not in project.files:
            return None
        binding = project.exports.names(target.path).get(entry.imported)
        return (binding.origin, binding.name) if binding is not None else None
    if any(d.name == name and not d.ambient for d in file.facts.declarations):
        return (file.path, name)
    return None


def local_name(project: Project, file: SourceFile, wanted: Identity) -> str | None:
    """The top-level name ``file`` binds to ``wanted``, if any."""
    if wanted[0] == file.path and any(d.name == wanted[1] for d in file.facts.declarations):
        return wanted[1]
    for site in file.facts.imports:
        if site.kind != IMPORT or site.type_only:
            continue
        for entry in site.entries:
            if entry.local and not entry.type_only and identity(project, file, entry.local) == wanted:
                return entry.local
    return None


def is_bound(file: SourceFile, name: str) -> bool:
    """Is ``name`` bound at the top level of ``file`` (imported or declared)?"""
    return import_binding(file, name) is not None or any(d.name == name for d in file.facts.declarations)


def _top_level_value(file: SourceFile, name: str):
    """The value of the first top-level ``const name = <value>`` / ``function name() {}``
    of ``file``, as ``_table_syntax`` reads it; None when there is none, or none it reads."""
    for bound, _, value in _syntax(file):
        if bound == name:
            return value
    return None


# what a table is never declared as, and what a value it is never initialised with
_NOT_TABLE_KEYWORDS = frozenset({"function", "class", "interface", "type", "enum", "namespace"})
_NOT_TABLE_VALUES = frozenset({"array", "object", "string", "template_string", "number", "true", "false", "null",
                               "undefined", "arrow_function", "function_expression", "regex", "new_expression"})


def not_a_table(project: Project, module: str, name: str) -> bool:
    """Is top-level ``name`` of ``module`` certainly no drizzle table: declared as a
    function, class or type, or initialised with a literal, a function or ``new``? A call
    or a name (a table made by a helper, an alias) may be one: False. Reads the tree."""
    file = project.files.get(module)
    if file is None or file.has_error:
        return False
    decls = [d for d in file.facts.declarations if d.name == name and not d.ambient]
    if not decls:
        return False
    if any(d.keyword in _NOT_TABLE_KEYWORDS for d in decls):
        return True
    values = top_level_values(file.tree.root_node, name)
    return bool(values) and values[0][1] is not None and values[0][1].type in _NOT_TABLE_VALUES


def _definition(project: Project, file: SourceFile, name: str) -> tuple[SourceFile, tuple] | None:
    """The file defining top-level ``name`` of ``file``, and that definition's value."""
    ident = identity(project, file, name)
    if ident is None or ident[0] not in project.files:
        return None
    origin = project.files[ident[0]]
    value = _top_level_value(origin, ident[1])
    return (origin, value) if value is not None else None


def _syntax(file: SourceFile) -> tuple:
    return file.summary(SYNTAX, lambda: syntax(file))


# --- table definitions -----------------------------------------------------------------


# Each file's tables as rows: path -> ``(name, line, columns, complete, foreign keys)`` per
# table, a foreign key ``(columns, target, target columns)``. A file's tables depend on
# its bytes and on the files it reaches through imports and re-exports (callee, spreads,
# references): carried from pass to pass and kept between runs (``Project.carried``), so
# a commit hook after an edit reads few files, and makes objects of the tables a rule
# looks up only (19,813 at 19,813 files).
_TABLES = ("drizzle-tables",)


def tables(project: Project) -> Tables:
    """Every drizzle table defined at the top level of a project file."""
    return project.memo(("drizzle-table-objects",), lambda: Tables(project.memo(_TABLES, lambda: _rows(project))))


class Tables(Mapping[Identity, Table]):
    """Identity -> ``Table``, in file order; each made from its row when first asked for.
    A lookup reads the rows of the table's file alone: a commit hook looks up the tables
    of a few relations modules, and the index of every table (19,813 at 19,813 files) is
    made only when a rule goes through them all."""

    def __init__(self, rows: dict[str, tuple | _KeptTables]):
        self._by_file = rows
        self._made: dict[Identity, Table] = {}

    def __getitem__(self, key: Identity) -> Table:
        made = self._made.get(key)
        if made is None:
            path, name = key
            found = self._by_file.get(path, ())
            if type(found) is _KeptTables:
                rows = found.rows()
                if rows is None:  # not what the names announce (a forged cache): columns unknown
                    if name not in found.names:
                        raise KeyError(key)
                    made = self._made[key] = Table(path, name, 0, (), False, ())
                    return made
                row = _last_named(rows, name)
                unchecked = True
            else:
                row, unchecked = _last_named(found, name), False  # read in this run
            if row is None:
                raise KeyError(key)
            made = self._made[key] = _table(path, row, unchecked)
        return made

    def get(self, key, default=None):
        try:
            made = self._made.get(key)  # most lookups ask for a table made already
        except TypeError:  # not an identity
            return default
        if made is not None:
            return made
        return self[key] if key in self else default

    def values(self):  # every table (SF007 looks for the one having some columns): as a dict's
        return self._every.values()

    def items(self):
        return self._every.items()

    @cached_property
    def _every(self) -> dict[Identity, Table]:
        return {key: self[key] for key in self._index}

    @cached_property
    def _index(self) -> dict[Identity, None]:
        """Every table's identity, in file order (a name defined twice: once, where first)."""
        index: dict[Identity, None] = {}
        for path in sorted(self._by_file):
            found = self._by_file[path]
            for name in (found.names if type(found) is _KeptTables else (row[0] for row in found)):
                index[(path, name)] = None
        return index

    def __contains__(self, key) -> bool:  # without making the table
        try:
            if key in self._made:
                return True
            path, name = key
            found = self._by_file.get(path, ())
        except (TypeError, ValueError):  # not an identity
            return False
        if type(found) is _KeptTables:
            return name in found.names
        for row in found:  # a loop, not any() over a generator: 210,760 calls in a cold run at 4,993 files
            if row[0] == name:
                return True
        return False

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _last_named(rows: tuple, name: str) -> tuple | None:
    for row in reversed(rows):
        if row[0] == name:
            return row
    return None


class _KeptTables(PackedRows):
    """A file's table rows as an earlier run kept them: their names, and the rows packed,
    unpacked when a rule looks one of its tables up (a commit hook looks up a few files'
    tables; reading every file's rows back took 0.025 s at 19,813 files)."""

    __slots__ = ("names",)

    def __init__(self, names: tuple[str, ...], payload: bytes):
        super().__init__(payload)
        self.names = names

    def fits(self, rows: tuple) -> bool:
        return len(rows) == len(self.names) and all(
            type(row) is tuple and len(row) == 5 and row[0] == name for row, name in zip(rows, self.names))


def _rows(project: Project) -> dict[str, tuple]:
    return read_by_file(project, _TABLES, lambda file: () if file.has_error else tuple(
        (t.name, t.line, t.columns, t.complete, tuple((fk.columns, fk.target, fk.target_columns)
                                                     for fk in t.foreign_keys))
        for t in _read_tables(project, file)))


def _read_tables(project: Project, file: SourceFile) -> list[Table]:
    return [_read_table(project, file, name, line, value) for name, line, value in _syntax(file)
            if value is not None and value[0] == "call" and _is_table_call(project, file, value[1])]


def _table(path: str, row: tuple, unchecked: bool) -> Table:
    name, line, columns, complete, fks = row
    if unchecked and not _is_table_row(row):
        return Table(path, name, 0, (), False, ())  # a kept row of another shape (a forged cache): columns unknown
    return Table(path, name, line, columns, complete, tuple(ForeignKey(*fk) for fk in fks))


def _encode_file_tables(found: tuple | _KeptTables) -> tuple[tuple[str, ...], bytes]:
    """A file's table rows as kept: (their names, the rows packed)."""
    if type(found) is _KeptTables:
        return found.names, found.payload
    return tuple(row[0] for row in found), sealed.pack(tuple(found))


def _decode_file_tables(item) -> _KeptTables | tuple:
    """A file's kept table rows, (names, packed rows): the rows are unpacked and checked
    as a rule looks one of the file's tables up (``Tables``, ``_table``), so that a
    commit hook, which looks up a few of them, reads a few."""
    if not (type(item) is tuple and len(item) == 2 and type(item[0]) is tuple and type(item[1]) is bytes
            and all(type(name) is str for name in item[0])):
        raise TypeError("not a file's tables")
    return _KeptTables(*item) if item[0] else ()


def _is_table_row(row: tuple) -> bool:
    if not (type(row[1]) is int and _strings(row[2]) and type(row[3]) is bool and type(row[4]) is tuple):
        return False
    return all(type(fk) is tuple and len(fk) == 3 and _strings(fk[0]) and _strings(fk[2])
               and (fk[1] is None or (type(fk[1]) is tuple and len(fk[1]) == 2 and _strings(fk[1])))
               for fk in row[4])


def _strings(value) -> bool:
    return type(value) is tuple and all(type(v) is str for v in value)


carry_between_runs(_TABLES[0], lambda value: encode_by_file(value, _encode_file_tables),
                   lambda kept: decode_by_file(kept, _decode_file_tables))


def _is_table_call(project: Project, file: SourceFile, callee) -> bool:
    return _table_call(_InProject(project, file), callee, _TABLE_MEMBERS) is True


# --- what a call is: one reading for the project and for a file alone -----------------
#
# ``_table_call`` reads a callee through ``names``: ``_InProject`` follows imports through
# the project (what ``tables`` reads); ``_FileAlone`` reads the file alone, and answers
# None (unknown) where a name comes from another module, so that a per-file summary
# (``defines_table_like``) tells what it can and leaves the rest to the project.

_TABLE_MEMBERS = frozenset({"table"})
# what a schema makes that the schema barrel must export, as pgTable, pgEnum ... (drizzle-kit
# reads a schema's enums, views and sequences from the schema modules too)
TABLE_LIKE_MEMBERS = frozenset({"table", "enum", "view", "materializedView", "sequence"})


def _is_drizzle(specifier: str) -> bool:
    return specifier == "drizzle-orm" or specifier.startswith("drizzle-orm/")


class _InProject:
    """Names of ``file`` as the project resolves them."""

    __slots__ = ("project", "file")

    def __init__(self, project: Project, file: SourceFile):
        self.project, self.file = project, file

    def drizzle(self, callee) -> str | None:
        """The drizzle-orm export ``callee`` (a name, or ``ns.name`` of a namespace import)
        stands for; "" when none (None: unknown, never here)."""
        if isinstance(callee, str):
            ident = identity(self.project, self.file, callee)
            return ident[1] if ident is not None and ident[0].startswith("drizzle-orm") else ""
        return _namespace_member(self.file, callee) or ""

    def definition(self, name: str):
        """(names of the defining file, the value top-level ``name`` is bound to); False when
        none is read (None: unknown, never here)."""
        found = _definition(self.project, self.file, name)
        return False if found is None else (_InProject(self.project, found[0]), found[1])


class _FileAlone:
    """Names of ``file`` read from the file alone: a name imported from another module
    than drizzle-orm's is unknown (None)."""

    __slots__ = ("file",)

    def __init__(self, file: SourceFile):
        self.file = file

    def drizzle(self, callee) -> str | None:
        if not isinstance(callee, str):  # another namespace than drizzle's: as the project reads it
            return _namespace_member(self.file, callee) or ""
        found = import_binding(self.file, callee)
        if found is None:
            return ""
        site, entry = found
        if not _is_drizzle(site.specifier):
            return None  # maybe drizzle's, re-exported: the project knows
        return "" if entry.imported in ("*", "default", "=") else entry.imported

    def definition(self, name: str):
        found = import_binding(self.file, name)
        if found is not None:
            return False if _is_drizzle(found[0].specifier) else None
        if not any(d.name == name and not d.ambient for d in self.file.facts.declarations):
            return False
        value = _top_level_value(self.file, name)
        return False if value is None else (self, value)


def _namespace_member(file: SourceFile, chain: tuple[str, ...]) -> str | None:
    """``name`` of ``ns.name`` when ``ns`` is ``import * as ns from 'drizzle-orm/…'``."""
    if len(chain) != 2:
        return None
    found = import_binding(file, chain[0])
    if found is None or found[1].imported != "*" or not _is_drizzle(found[0].specifier):
        return None
    return chain[1]


def _table_call(names, callee, members: frozenset[str]) -> bool | None:
    """Does a call of ``callee`` (``_table_syntax``'s) make a table: a drizzle table
    function (``pgTable``, ``pg.pgTable`` of a namespace import, ``pgTable.withRLS``), a
    ``pgTableCreator`` result, or a schema's ``table`` (one of ``members``: the schema
    barrel also wants a schema's ``enum`` …)? None when ``names`` cannot tell."""
    if callee is None:
        return False
    if not isinstance(callee, str) and callee[-1] == "withRLS":  # drizzle 1.0: pgTable.withRLS(...)
        inner = callee[:-1]
        fn = names.drizzle(inner[0] if len(inner) == 1 else inner)
        if fn:
            return fn in TABLE_FUNCTIONS
        if len(inner) == 1:
            return None if fn is None else False
        return _schema_member(names, inner, RLS_SCHEMAS, _TABLE_MEMBERS)  # mySchema.table.withRLS(...)
    fn = names.drizzle(callee)
    if fn:
        return fn in TABLE_FUNCTIONS
    if not isinstance(callee, str):
        return _schema_member(names, callee, SCHEMAS, members)
    found = names.definition(callee)  # a pgTableCreator's result
    if not found:
        return found if fn == "" else None
    origin, value = found
    return value[0] == "call" and _calls(origin, value[1], CREATORS)


def _schema_member(names, chain: tuple[str, ...], schemas: frozenset[str], members: frozenset[str]) -> bool | None:
    """Is ``chain`` (``_table_syntax``'s callee) a member (``table``…) of one of
    ``schemas``: ``mySchema.table`` of a ``const mySchema = pgSchema('x')``, or
    ``pgSchema('x').table`` (``pg.pgSchema('x').table``)?"""
    if chain[-1] not in members:
        return False
    if len(chain) == 2:
        found = names.definition(chain[0])
        if not found:
            return found
        origin, value = found
        return value[0] == "call" and _calls(origin, value[1], schemas)
    if chain[-2] != CALLED or len(chain) not in (3, 4):
        return False
    return _calls(names, chain[0] if len(chain) == 3 else chain[:2], schemas)


def _calls(names, callee, wanted: frozenset[str]) -> bool | None:
    """Is ``callee`` one of drizzle's ``wanted`` (None: unknown)?"""
    if callee is None:
        return False
    fn = names.drizzle(callee)
    return None if fn is None else fn in wanted


def defines_table_like(file: SourceFile) -> bool | None:
    """From ``file`` alone: does a top-level declaration make a table (as ``tables`` reads
    it) or a schema's enum, view or sequence? None when it depends on another module (a
    table made by an imported creator or schema). Reads ``_table_syntax``'s summary."""
    unknown = False
    for _, _, value in _syntax(file):
        if value is not None and value[0] == "call":
            found = _table_call(_FileAlone(file), value[1], TABLE_LIKE_MEMBERS)
            if found:
                return True
            unknown = unknown or found is None
    return None if unknown else False


def defines_table_in_project(project: Project, file: SourceFile) -> bool:
    """Does a top-level declaration of ``file`` make a table or a schema's enum, view or
    sequence, following imports through ``project``?"""
    names = _InProject(project, file)
    return any(value is not None and value[0] == "call" and _table_call(names, value[1], TABLE_LIKE_MEMBERS)
               for _, _, value in _syntax(file))


def database_schemas(project: Project, file: SourceFile) -> tuple[str | None, ...]:
    """The database schema of each table, enum, view and sequence ``file`` declares:
    ``'auth'`` for ``auth.table(…)`` of ``const auth = pgSchema('auth')`` (also
    ``pgSchema('auth').table(…)``, an imported schema), ``'public'`` for one declared
    without a schema (``pgTable``, a creator's result), None where the name cannot be
    read (``pgSchema(name)``, another dialect's schema)."""
    names = _InProject(project, file)
    return tuple(_database_schema(names, value[1], value) for _, _, value in _syntax(file)
                 if value is not None and value[0] == "call" and _table_call(names, value[1], TABLE_LIKE_MEMBERS))


def _database_schema(names, callee, value: tuple) -> str | None:
    chain = (callee,) if isinstance(callee, str) else callee[:-1] if callee[-1] == "withRLS" else callee
    if len(chain) == 1 or names.drizzle(chain):  # pgTable, a creator's result, pg.pgTable
        return "public"
    if chain[-2] == CALLED:  # pgSchema('auth').table
        return value[4] if _calls(names, chain[0] if len(chain) == 3 else chain[:2], PG_SCHEMAS) else None
    found = names.definition(chain[0])  # auth.table of const auth = pgSchema('auth')
    if not found:
        return None
    origin, defined = found
    return defined[4] if defined[0] == "call" and _calls(origin, defined[1], PG_SCHEMAS) else None


def _read_table(project: Project, file: SourceFile, name: str, line: int, call: tuple) -> Table:
    members, foreign_keys = call[2], call[3]
    columns: list[str] = []
    fks: list[ForeignKey] = []
    complete = False
    if members is not None:
        complete = _read_columns(project, file, members, columns, fks, 0)
    for own, target, theirs in foreign_keys:
        fks.append(ForeignKey(own, (file.path, name) if target is None else identity(project, file, target), theirs))
    return Table(file.path, name, line, tuple(columns), complete, tuple(fks))


def _read_columns(project: Project, file: SourceFile, members: tuple, columns: list[str], fks: list[ForeignKey],
                  depth: int) -> bool:
    """Append the columns of an object literal's ``members`` (``_table_syntax``; spreads
    followed); False when some member cannot be read."""
    complete = True
    for m in members:
        if m is None:
            complete = False
        elif isinstance(m, str):
            if m not in columns:
                columns.append(m)
        elif len(m) == 3:  # key, and the T.c its .references(() => T.c) names
            key, table, column = m
            if key not in columns:
                columns.append(key)
            fks.append(ForeignKey((key,), identity(project, file, table), (column,)))
        elif not _read_spread(project, file, m, columns, fks, depth):
            complete = False
    return complete


def _read_spread(project: Project, file: SourceFile, spread: tuple[str, str], columns: list[str],
                 fks: list[ForeignKey], depth: int) -> bool:
    if depth >= _MAX_DEPTH:
        return False
    kind, name = spread
    found = _definition(project, file, name)
    if found is None:
        return False
    origin, value = found
    if value[0] != ("fn" if kind == "...()" else "object") or value[1] is None:
        return False
    return _read_columns(project, origin, value[1], columns, fks, depth + 1)
