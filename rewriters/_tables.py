"""Drizzle table definitions, read statically: which columns a table has and where its
foreign keys point. Shared by the relation rules (SF007-SF009); nothing here edits.

- ``tables(project) -> dict[Identity, Table]``: every top-level
  ``[export] const T = pgTable|mysqlTable|sqliteTable(...)`` (also ``pgTableCreator``
  results and ``pgSchema(...).table``), keyed by (defining module, name). The columns
  object may be a literal or the callback form ``(t) => ({ ... })``; spreads such as
  ``...timestamps`` or ``...timestamps()`` are followed through imports and the export
  map. A table whose columns cannot all be read is ``complete=False``: no rule may
  call a column missing from it.
- Foreign keys come from ``.references(() => X.y)`` on a column and from
  ``foreignKey({ columns, foreignColumns })`` in the extra config.
- ``identity(project, file, name)``: the (module, name) a top-level name of ``file``
  stands for, following imports through the export map; ``import_binding(file, name)``:
  the import entry that binds it. The relations rules' ``table_identity`` and the
  cross-module merge's ``_binding`` are built on these.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from codemod.facts import IMPORT, ImportEntry, ImportSite
from codemod.parsing import text, walk
from codemod.project import Project, SourceFile
from codemod.resolve import EXTERNAL

from ._objects import arguments, member_key, object_members, returned, unwrap

Identity = tuple[str, str]  # (defining module, or a package name; exported name)

TABLE_FUNCTIONS = frozenset({"pgTable", "mysqlTable", "sqliteTable", "singlestoreTable", "gelTable"})
CREATORS = frozenset({"pgTableCreator", "mysqlTableCreator", "sqliteTableCreator", "singlestoreTableCreator"})
SCHEMAS = frozenset({"pgSchema", "mysqlSchema", "mysqlDatabase", "singlestoreSchema"})
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
    return file.memo("import-bindings", lambda: _import_bindings(file)).get(name)


def _import_bindings(file: SourceFile) -> dict[str, tuple[ImportSite, ImportEntry]]:
    out: dict[str, tuple[ImportSite, ImportEntry]] = {}
    for site in file.facts.imports:
        if site.kind != IMPORT:
            continue
        for entry in site.entries:
            out.setdefault(entry.local, (site, entry))
    return out


def identity(project: Project, file: SourceFile, name: str) -> Identity | None:
    """What top-level ``name`` of ``file`` is: (defining module, name), through imports and
    the export map; a package import gives (package, imported name). None when unknown
    (an unresolved import, a namespace or default import, or not bound at the top level)."""
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


def _top_level_value(file: SourceFile, name: str) -> Node | None:
    """The value of ``const name = <value>`` / ``function name() {}`` at the top level."""
    for stmt in file.tree.root_node.named_children:
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl is None:
            continue
        if decl.type in ("lexical_declaration", "variable_declaration"):
            for d in decl.named_children:
                if d.type == "variable_declarator":
                    n = d.child_by_field_name("name")
                    if n is not None and n.type == "identifier" and text(n) == name:
                        return d.child_by_field_name("value")
        elif decl.type == "function_declaration":
            n = decl.child_by_field_name("name")
            if n is not None and text(n) == name:
                return decl
    return None


def _definition(project: Project, file: SourceFile, name: str) -> tuple[SourceFile, Node] | None:
    """The file and value node that define top-level ``name`` of ``file``."""
    ident = identity(project, file, name)
    if ident is None or ident[0] not in project.files:
        return None
    origin = project.files[ident[0]]
    value = _top_level_value(origin, ident[1])
    return (origin, value) if value is not None else None


# --- table definitions -----------------------------------------------------------------


_TABLES = ("drizzle-tables",)


def tables(project: Project) -> dict[Identity, Table]:
    """Every drizzle table defined at the top level of a project file."""
    return project.memo(_TABLES, lambda: _tables(project))


def _tables(project: Project) -> dict[Identity, Table]:
    # A file's tables depend on its bytes and on the files it reaches through imports
    # and re-exports (callee, spreads, references): outside ``affected``, the snapshot
    # this one was built from read the same ones (see ``Project.carried``).
    carried = project.carried(_TABLES)
    kept: dict[str, list[Table]] = {}
    if carried is not None:
        for table in carried[0].values():
            if table.module not in carried[1]:
                kept.setdefault(table.module, []).append(table)
    out: dict[Identity, Table] = {}
    for path, file in sorted(project.files.items()):
        if carried is not None and path not in carried[1]:
            for table in kept.get(path, ()):
                out[table.identity] = table
            continue
        if file.facts.has_error:
            continue
        for stmt in file.tree.root_node.named_children:
            decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
            if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for d in decl.named_children:
                if d.type != "variable_declarator":
                    continue
                name, value = d.child_by_field_name("name"), unwrap(d.child_by_field_name("value"))
                if name is None or name.type != "identifier" or value is None or value.type != "call_expression":
                    continue
                if not _is_table_call(project, file, value):
                    continue
                table = _read_table(project, file, text(name), value, stmt.start_point.row + 1)
                out[table.identity] = table
    return out


def _is_table_call(project: Project, file: SourceFile, call: Node) -> bool:
    callee = call.child_by_field_name("function")
    if callee is None:
        return False
    if callee.type == "identifier":
        ident = identity(project, file, text(callee))
        if ident is None:
            return False
        if ident[0].startswith("drizzle-orm"):
            return ident[1] in TABLE_FUNCTIONS
        origin = project.files.get(ident[0])
        value = unwrap(_top_level_value(origin, ident[1])) if origin is not None else None
        return value is not None and value.type == "call_expression" and _calls(project, origin, value, CREATORS)
    if callee.type == "member_expression":  # mySchema.table('x', {...})
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        if obj is None or obj.type != "identifier" or prop is None or text(prop) != "table":
            return False
        found = _definition(project, file, text(obj))
        if found is None:
            return False
        value = unwrap(found[1])
        return value is not None and value.type == "call_expression" and _calls(project, found[0], value, SCHEMAS)
    return False


def _calls(project: Project, file: SourceFile, call: Node, names: frozenset[str]) -> bool:
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "identifier":
        return False
    ident = identity(project, file, text(callee))
    return ident is not None and ident[0].startswith("drizzle-orm") and ident[1] in names


def _read_table(project: Project, file: SourceFile, name: str, call: Node, line: int) -> Table:
    args = arguments(call)
    columns: list[str] = []
    fks: list[ForeignKey] = []
    complete = False
    if len(args) >= 2:
        obj = unwrap(args[1])
        if obj is not None and obj.type in ("arrow_function", "function_expression"):
            obj = returned(obj)
        if obj is not None and obj.type == "object":
            complete = _read_columns(project, file, obj, columns, fks, 0)
    if len(args) >= 3:
        fks += _foreign_keys(project, file, args[2], name)
    return Table(file.path, name, line, tuple(columns), complete, tuple(fks))


def _read_columns(project: Project, file: SourceFile, obj: Node, columns: list[str], fks: list[ForeignKey],
                  depth: int) -> bool:
    """Append the columns of object literal ``obj`` (spreads followed); False when some
    member cannot be read."""
    complete = True
    for m in object_members(obj):
        if m.node.type == "spread_element":
            if not _read_spread(project, file, m.node, columns, fks, depth):
                complete = False
            continue
        key, value = member_key(m.node)
        if key is None:
            complete = False
            continue
        if key not in columns:
            columns.append(key)
        target = _column_reference(project, file, value)
        if target is not None:
            fks.append(ForeignKey((key,), target[0], (target[1],)))
    return complete


def _read_spread(project: Project, file: SourceFile, spread: Node, columns: list[str], fks: list[ForeignKey],
                 depth: int) -> bool:
    if depth >= _MAX_DEPTH:
        return False
    inner = unwrap(next((c for c in spread.named_children if c.type != "comment"), None))
    if inner is None:
        return False
    call = inner.type == "call_expression"
    if call:
        if arguments(inner):
            return False  # a helper that takes arguments may build different columns
        inner = inner.child_by_field_name("function")
    if inner is None or inner.type != "identifier":
        return False
    found = _definition(project, file, text(inner))
    if found is None:
        return False
    origin, value = found
    value = unwrap(value)
    if call:
        if value is None or value.type not in ("arrow_function", "function_expression", "function_declaration"):
            return False
        value = returned(value)
    if value is None or value.type != "object":
        return False
    return _read_columns(project, origin, value, columns, fks, depth + 1)


def _column_reference(project: Project, file: SourceFile, value: Node) -> tuple[Identity | None, str] | None:
    """The (table, column) a column builder's ``.references(() => T.c)`` points at."""
    if b"references" not in file.data[value.start_byte:value.end_byte]:
        return None  # most columns: no need to walk them
    for n in walk(value):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            continue
        prop = callee.child_by_field_name("property")
        if prop is None or text(prop) != "references":
            continue
        args = arguments(n)
        if not args or args[0].type != "arrow_function":
            return None
        body = returned(args[0])
        ref = qualified(body)
        if ref is None:
            return None
        return identity(project, file, ref[0]), ref[1]
    return None


def qualified(node: Node | None) -> tuple[str, str] | None:
    """``T.c`` as ("T", "c"); None for anything else."""
    node = unwrap(node)
    if node is None or node.type != "member_expression":
        return None
    obj, prop = unwrap(node.child_by_field_name("object")), node.child_by_field_name("property")
    if obj is None or obj.type != "identifier" or prop is None or prop.type != "property_identifier":
        return None
    return text(obj), text(prop)


def _foreign_keys(project: Project, file: SourceFile, extra: Node, table_name: str) -> list[ForeignKey]:
    """``foreignKey({ columns: [t.a], foreignColumns: [x.b] })`` in the extra config."""
    params: set[str] = {table_name}
    fn = unwrap(extra)
    if fn is not None and fn.type == "arrow_function":
        p = fn.child_by_field_name("parameter")
        if p is not None:
            params.add(text(p))
        ps = fn.child_by_field_name("parameters")
        if ps is not None:
            for rp in ps.named_children:
                pat = rp.child_by_field_name("pattern")
                if pat is not None and pat.type == "identifier":
                    params.add(text(pat))
    out = []
    for n in walk(extra):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        if callee is None or callee.type != "identifier" or text(callee) != "foreignKey":
            continue
        args = arguments(n)
        if not args or unwrap(args[0]).type != "object":
            continue
        fields: dict[str, Node] = {}
        for m in object_members(unwrap(args[0])):
            if m.key is not None:
                fields[m.key] = unwrap(m.value)
        cols, fcols = fields.get("columns"), fields.get("foreignColumns")
        if cols is None or fcols is None or cols.type != "array" or fcols.type != "array":
            continue
        own = [qualified(c) for c in cols.named_children if c.type != "comment"]
        theirs = [qualified(c) for c in fcols.named_children if c.type != "comment"]
        if not own or None in own or None in theirs or len(own) != len(theirs):
            continue
        if any(q[0] not in params for q in own):
            continue
        targets = {q[0] for q in theirs}
        if len(targets) != 1:
            continue
        (t,) = targets
        target = (file.path, table_name) if t in params else identity(project, file, t)
        out.append(ForeignKey(tuple(q[1] for q in own), target, tuple(q[1] for q in theirs)))
    return out
