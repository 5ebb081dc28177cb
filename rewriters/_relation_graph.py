"""Every property of every drizzle ``relations()`` object, read as a relation between two
tables: ``key: one(T, { fields: [A.x], references: [T.y], relationName: 'n' })`` or
``key: many(T, { relationName: 'n' })``. Shared by SF007-SF009; nothing here edits.

- ``relations_of(project) -> Graph``: per table, its declarations and properties
  (``TableRelations``), and whether every property could be read (``known``): only
  then may a rule say that an inverse relation is missing;
- ``relation_props(project)``: every property, table by table; ``relation_props_in(project,
  paths)``: those declared in ``paths``, in the same order (what a rule reports on);
- ``explicit_ones(project)``: what every one() with fields says, without objects.

Each file is read in three layers: its syntax (``_summary``: per property, names, kinds
and the spans of its nodes, plain data kept in the file's facts-cache entry between
runs); what those names stand for (``_rows``: ``identity``, from facts and the export
map, kept between runs for the files an edit cannot affect); and objects
(``RelationProp``), made per table when a rule asks for it. A file whose summary is
known is never parsed to build the graph; a property's nodes are found in the tree when
a rule asks for them.
"""

from __future__ import annotations

import marshal
import weakref
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Mapping

from tree_sitter import Node

from codemod.parsing import node_at, string_value, text
from codemod import sealed
from codemod.project import (
    PackedRows,
    Project,
    SourceFile,
    carry_between_runs,
    decode_by_file,
    encode_by_file,
    packed_summary,
    read_by_file,
)
from codemod.rules import Context

from ._drizzle import ALONGSIDE, RelationsDecl, relations_bindings, relations_declarations
from ._objects import Member, arguments, object_members, top_level_values, unwrap
from ._tables import Identity, identity, qualified

UNKNOWN = object()  # a relationName that is not a string literal


class ColumnRef:
    """``A.x`` in a relation's fields or references: equal and hashed by its qualifier,
    column, table and span (not its file). Read-only; a plain class with slots, as a
    whole run makes one per reference (70,134 at 4,993 files; a frozen dataclass took 5x
    as long to make)."""

    __slots__ = ("qualifier", "column", "table", "start", "end", "file")

    def __init__(self, qualifier: str, column: str, table: Identity | None, start: int, end: int,
                 file: SourceFile):
        self.qualifier = qualifier  # `A` in `A.x`
        self.column = column
        self.table = table
        self.start = start  # span of the member_expression (``node``)
        self.end = end
        self.file = file

    def _key(self) -> tuple:
        return (self.qualifier, self.column, self.table, self.start, self.end)

    def __eq__(self, other) -> bool:
        return type(other) is ColumnRef and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "ColumnRef(qualifier=%r, column=%r, table=%r, start=%r, end=%r)" % self._key()

    @property
    def node(self) -> Node:  # the member_expression, found in the file's tree on first access
        return _node_at(self.file.tree.root_node, self.start, self.end, "member_expression")


@dataclass(eq=False)
class RelationProp:
    """One property, read without keeping a node (``_summary``: kept between runs, so
    building the graph never parses a relations module whose reading is known); the
    nodes (``member``, ``target_node``, ``config``, each ``ColumnRef.node``) are found
    in the file's tree, by their spans, the first time one is asked for. Read-only (not
    frozen: a frozen dataclass takes 3x as long to make, and a whole run makes one per
    property)."""

    file: SourceFile
    decl: RelationsDecl
    key: str
    kind: str  # "one" | "many"
    owner: Identity | None  # the table whose relations() holds it
    target: Identity | None
    fields: tuple[ColumnRef, ...] | None
    references: tuple[ColumnRef, ...] | None
    relation_name: object  # str, None (absent) or UNKNOWN
    line: int  # 1-based line of the member
    span: tuple[int, int]  # the member's node (the pair)
    target_span: tuple[int, int]  # the first argument, an identifier
    config_span: tuple[int, int] | None  # the options object, if written as a literal

    @property
    def member(self) -> Member:
        return self._nodes[0]

    @property
    def target_node(self) -> Node:
        return self._nodes[1]

    @property
    def config(self) -> Node | None:
        return self._nodes[2]

    @cached_property
    def _nodes(self) -> tuple[Member, Node, Node | None]:
        decl = self.decl
        members = self.file.memo(("relation-members", decl.start, decl.index),
                                 lambda: {m.node.start_byte: m for m in object_members(decl.object)})
        member = members[self.span[0]]
        if member.node.end_byte != self.span[1]:
            raise LookupError(f"{self.file.path}: no member at bytes {self.span}")
        target = _node_at(member.node, *self.target_span, "identifier")
        config = _node_at(member.node, *self.config_span, "object") if self.config_span is not None else None
        return member, target, config

    @property
    def where(self) -> str:
        return f"{self.file.path}:{self.line}"

    @property
    def explicit(self) -> bool:
        """A one() with fields and references: drizzle needs nothing from the other side."""
        return self.kind == "one" and self.config_span is not None and self.fields is not None


def _node_at(node: Node, start: int, end: int, kind: str) -> Node:
    found = node_at(node, start, end, kind)
    if found is None:
        raise LookupError(f"no {kind} at bytes {start}-{end}")
    return found


@dataclass
class TableRelations:
    decls: list[tuple[SourceFile, RelationsDecl]] = field(default_factory=list)
    props: list[RelationProp] = field(default_factory=list)
    known: bool = True  # every property of every declaration was read
    _index: tuple | None = field(default=None, repr=False, compare=False)  # see ``props_by``

    def props_by(self) -> tuple[dict, dict]:
        """(target -> props, relationName -> props), each list in ``props``' order, made
        once the entry is complete: the inverse candidates of every property were a scan of
        its target's props (55,675 scans, 0.13 s of a cold run at 4,993 files)."""
        index = self._index
        if index is None or index[2] != len(self.props):
            by_target: dict = {}
            by_name: dict = {}
            for q in self.props:
                by_target.setdefault(q.target, []).append(q)
                if isinstance(q.relation_name, str):
                    by_name.setdefault(q.relation_name, []).append(q)
            index = self._index = (by_target, by_name, len(self.props))
        return index[0], index[1]


def reported_files_declare_relations(ctx: Context) -> bool:
    """Does a file the run reports on declare ``relations()``? The rules that report in
    the files declaring them (SF006, SF007, SF008, SF009, SF013) have nothing to say
    otherwise and skip their work: the project's tables, relations graph and exports
    (a run on a few files, as pre-commit makes, that are not relations modules)."""
    return any(relations_declarations(f, ctx.project) for f in ctx.files())


def relation_props(project: Project) -> list[RelationProp]:
    """Every property, table by table (once per snapshot: do not mutate the list)."""
    return project.memo(("drizzle-relation-props",), lambda: [
        p for t in relations_of(project).values() for p in t.props])


def relation_props_in(project: Project, paths: set[str]) -> list[RelationProp]:
    """``relation_props`` of the declarations in ``paths`` only, in the same order: a rule
    that reports in a few files makes no property of the others. Once per snapshot and
    set of paths (SF007-SF009 ask for the same); do not mutate the list."""
    def compute() -> list[RelationProp]:
        graph = relations_of(project)
        owners = {owner for path in paths for owner in _owners(graph.rows.get(path, ()))}
        return [p for owner in graph if owner in owners for p in graph[owner].props if p.file.path in paths]
    return project.memo(("drizzle-relation-props-in", frozenset(paths)), compute)


def explicit_ones(project: Project) -> list[tuple[str, tuple[str, ...], Identity | None]]:
    """``(key, field columns, target)`` of every one() with fields (``RelationProp.explicit``)
    in the project, read from the rows: no object is made (SF008 counts how the project
    names them whenever it proposes one)."""
    return [one for found in relations_of(project).rows.values() for one in _ones(found)]


def _ones(found: tuple[_DeclRow, ...] | _Held | _Kept) -> tuple:
    """``explicit_ones`` of one file's rows (kept beside them by an earlier run: no need to unpack them)."""
    if type(found) is _Held:
        found = found.rows()
    elif type(found) is _Kept:
        try:
            ones = sealed.unpack(found.ones, sealed.BUILTINS)
        except Exception:  # checksummed: only a forged value gets here
            return ()
        return tuple(one for one in ones if _is_one(one)) if type(ones) is tuple else ()  # kept: checked as read
    return tuple((prop[0], tuple(ref[1] for ref in prop[7]), prop[2]) for row in found for prop in row[4]
                 if prop[1] == "one" and prop[6] is not None and prop[7] is not None)


def relations_of(project: Project) -> Graph:
    return project.memo(_GRAPH, lambda: _graph(project))


_GRAPH = ("drizzle-relations-graph",)

# Memo key (_OBJECTS, path): the objects made of one file's rows (``Graph._file``),
# carried from pass to pass (not between runs), so that a pass after fixes makes objects
# of the files they may affect only, and its rules get the same objects as the pass
# before. A key per file: the base snapshot keeps none of a changed file's (their nodes
# hold its old tree).
_OBJECTS = "drizzle-relation-objects"


def _graph(project: Project) -> Graph:
    return Graph(project, project.memo(_ROWS, lambda: _rows(project)))


# Each file's relations() declarations as read: path -> per declaration, in file order,
# ``(name, line, owner, known, props)``: the table its relations() is for (None when it
# cannot be named), whether every property was read, and per property read
# ``(key, kind, target, line, member span, target span, config span | None, fields,
# references, relationName)`` with the names resolved: target an Identity or None,
# fields and references None or ``((qualifier, column, table, start, end), ...)``,
# relationName a string, None (absent) or False (not a string literal). What a file
# says depends on its bytes and the files it reaches through imports and re-exports
# (``Project.carried``): carried from pass to pass and kept between runs, so a commit
# hook reads the files an edit may affect only (21,725 declarations at 19,813 files),
# and objects are made only of the tables a rule asks for. A file's rows are held packed
# (``_Held``, or ``_Kept`` as an earlier run kept them), ``()`` when it declares none.
_ROWS = ("drizzle-relations-rows",)
_DeclRow = tuple[str, int, Identity | None, bool, tuple]


def _rows(project: Project) -> dict[str, _Held | _Kept | tuple]:
    return read_by_file(project, _ROWS, lambda file: _held(_read(project, file)))


class _Held:
    """A file's rows read in this run, held as ``marshal`` bytes beside the table of each
    declaration (the graph's index reads those of every file), unpacked when objects are
    made of them (once a snapshot for a file a pass edits, never for a file whose objects
    the snapshot carries) and when SF008 counts the explicit one()s. As tuples they were
    ~46 MB at 19,813 files, alive twice in the second pass for the modules the first one
    edits (the snapshot before's rows, and theirs read again); dumping and loading them
    takes ~0.1 s of a cold run at 4,993 files."""

    __slots__ = ("owners", "blob")

    def __init__(self, owners: tuple, blob: bytes):
        self.owners = owners
        self.blob = blob

    def rows(self) -> tuple[_DeclRow, ...]:
        return marshal.loads(self.blob)


def _held(rows: tuple[_DeclRow, ...]) -> _Held | tuple:
    return _Held(tuple(row[2] for row in rows), marshal.dumps(rows)) if rows else ()


def _read(project: Project, file: SourceFile) -> tuple[_DeclRow, ...]:
    if file.has_error:
        return ()
    decls = relations_declarations(file, project)
    owners = [identity(project, file, d.table) if d.table_kind == "identifier" else None for d in decls]
    summary = _summary(file, project) if any(o is not None for o in owners) else ()
    return tuple(_read_decl(project, file, decl, owner, summary[i] if summary else None)
                 for i, (decl, owner) in enumerate(zip(decls, owners)))


def _read_decl(project: Project, file: SourceFile, decl: RelationsDecl, owner: Identity | None,
               row: tuple | None) -> _DeclRow:
    """The semantic half: the tables the syntax summary's names stand for (``identity``
    answers each name of a file once per snapshot)."""
    if owner is None or row is None:
        return decl.name, decl.line, owner, False, ()
    known, props = True, []
    for prop in row:
        if prop is None:
            known = False  # it might be the inverse anybody looks for
            continue
        key, kind, target, line, span, target_span, config_span, fields, references, name = prop
        target = identity(project, file, target)
        if target is None:
            known = False
        props.append((key, kind, target, line, span, target_span, config_span,
                      _column_refs(project, file, fields), _column_refs(project, file, references), name))
    return decl.name, decl.line, owner, known, tuple(props)


def _column_refs(project: Project, file: SourceFile, refs: tuple | None) -> tuple | None:
    if refs is None:
        return None
    return tuple((q, c, identity(project, file, q), start, end) for q, c, start, end in refs)


class _Kept(PackedRows):
    """A file's rows as an earlier run kept them: the table of each declaration (the
    graph's index needs those of every file) and the rows packed, unpacked and checked
    only when objects are made of that file's (a commit hook makes those of a few files;
    unpacking every file's took 0.10 s at 19,813 files)."""

    __slots__ = ("owners", "ones")

    def __init__(self, owners: tuple, ones: bytes, payload: bytes):
        super().__init__(payload)
        self.owners = owners
        # what ``explicit_ones`` reads of the rows, packed too: SF008 reads them when it
        # proposes a one(), a commit hook on a healthy project never (0.015 s at 19,813 files)
        self.ones = ones

    def fits(self, rows: tuple) -> bool:
        return len(rows) == len(self.owners) and all(
            _is_decl_row(row) and row[2] == owner for row, owner in zip(rows, self.owners))


def _is_decl_row(row) -> bool:
    return (type(row) is tuple and len(row) == 5 and type(row[0]) is str and type(row[1]) is int
            and _is_identity(row[2]) and type(row[3]) is bool and type(row[4]) is tuple)


def _owners(found: tuple[_DeclRow, ...] | _Held | _Kept) -> tuple:
    return found.owners if type(found) is _Held or type(found) is _Kept else tuple(row[2] for row in found)


def _unpacked(found: tuple[_DeclRow, ...] | _Held | _Kept) -> tuple[tuple[_DeclRow, ...] | None, bool]:
    """A file's rows, and whether they must be checked (kept by an earlier run)."""
    if type(found) is _Held:
        return found.rows(), False
    return (found.rows(), True) if type(found) is _Kept else (found, False)


def _encode(value: dict) -> tuple:
    def item(found) -> tuple:
        if type(found) is _Kept:
            return found.owners, found.ones, found.payload
        rows = found.rows() if type(found) is _Held else found
        return _owners(found), sealed.pack(_ones(rows)), sealed.pack(rows)
    return encode_by_file(value, item)


def _decode_file(item) -> _Kept | tuple:
    if not (type(item) is tuple and len(item) == 3 and type(item[0]) is tuple and type(item[1]) is bytes
            and type(item[2]) is bytes and all(_is_identity(owner) for owner in item[0])):
        raise TypeError("not a file's relations rows")
    return _Kept(*item) if item[0] else ()  # no declaration: no rows to read


def _is_one(one) -> bool:
    return (type(one) is tuple and len(one) == 3 and type(one[0]) is str and type(one[1]) is tuple
            and all(type(c) is str for c in one[1]) and _is_identity(one[2]))


def _is_identity(value) -> bool:
    """An ``Identity`` or None (a name that stands for no known table)."""
    return value is None or (type(value) is tuple and len(value) == 2
                             and type(value[0]) is str and type(value[1]) is str)


carry_between_runs(_ROWS[0], _encode, lambda kept: decode_by_file(kept, _decode_file))


class Graph(Mapping[Identity, TableRelations]):
    """Per table (in file order of its first declaration), its ``TableRelations``, made
    from the rows (``_ROWS``) when first asked for: a commit hook that looks at the
    tables of one relations module makes objects of those alone."""

    def __init__(self, project: Project, rows: dict[str, _Held | _Kept | tuple]):
        # kept in the project's memo: a strong reference back would make a cycle, which the
        # CLI's collector thresholds leave (a whole snapshot each) for a long time
        self._project = weakref.ref(project)
        self.rows = rows
        self._places: dict[Identity, list[tuple[str, int]]] = {}
        self._unknown_owner = False  # a relations() for a table we cannot name could hold any inverse
        for path in sorted(rows):
            for i, owner in enumerate(_owners(rows[path])):
                if owner is None:
                    self._unknown_owner = True
                else:
                    self._places.setdefault(owner, []).append((path, i))
        self._made: dict[Identity, TableRelations] = {}

    def may_hold(self, name: str) -> bool:
        """May a relations() whose table cannot be named (its import is broken: a module
        moved) be the relations of a table exported as ``name``? When its first argument
        is that name, imported under it, or anything but a plain identifier."""
        if not self._unknown_owner:
            return False
        names = self.project.memo(("relations-unknown-tables",), self._unknown_names)
        return names is None or name in names

    def _unknown_names(self) -> set[str] | None:
        """The names the relations() of unknown tables are written with (the local name and
        the name it imports), None when one is not a plain identifier."""
        project = self.project
        out: set[str] = set()
        for path in sorted(self.rows):
            owners = _owners(self.rows[path])
            if None not in owners:
                continue
            file = project.files[path]
            bound = {e.local or e.imported: e.imported for site in file.facts.imports for e in site.entries}
            for decl, owner in zip(relations_declarations(file, project), owners):
                if owner is not None:
                    continue
                if decl.table_kind != "identifier":
                    return None
                out |= {decl.table, bound.get(decl.table, decl.table)}
        return out

    @property
    def project(self) -> Project:
        project = self._project()
        assert project is not None, "a relations graph outlived its snapshot"
        return project

    def __getitem__(self, owner: Identity) -> TableRelations:
        made = self._made.get(owner)
        if made is None:
            made = self._made[owner] = self._make(owner, self._places[owner])
        return made

    def __iter__(self):
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, owner) -> bool:
        return owner in self._places

    def _make(self, owner: Identity, places: list[tuple[str, int]]) -> TableRelations:
        entry = TableRelations(known=not self._unknown_owner)
        for path, i in places:
            found = self._file(path)[i]
            if found is None:  # a kept row that is not this file's (a tampered cache)
                entry.known = False
                continue
            decl, props, known = found
            entry.decls.append((self.project.files[path], decl))
            entry.props += props
            entry.known = entry.known and known
        return entry

    def _file(self, path: str) -> list[tuple[RelationsDecl, list[RelationProp], bool] | None]:
        """Per declaration row of ``path``: its declaration, properties and whether all
        were read; None for a row that does not match the file's declaration."""
        project = self.project
        key = (_OBJECTS, path)

        def make() -> list[tuple[RelationsDecl, list[RelationProp], bool] | None]:
            carried = project.carried(key)
            if carried is not None and path not in carried[1]:
                return carried[0]
            file = project.files[path]
            rows, check = _unpacked(self.rows[path])  # kept by an earlier run: checked as objects are made
            if rows is None:
                return [None] * len(_owners(self.rows[path]))
            decls = relations_declarations(file, project)
            return [_objects(file, decls, row, i, check) for i, row in enumerate(rows)]
        return project.memo(key, make)


def _objects(file: SourceFile, decls: list[RelationsDecl], row: _DeclRow, i: int,
             check: bool) -> tuple[RelationsDecl, list[RelationProp], bool] | None:
    name, line, owner, known, props = row
    decl = decls[i] if i < len(decls) else None
    if decl is None or (decl.name, decl.line) != (name, line):
        return None
    if check and not all(_is_prop_row(p) for p in props):
        return None  # a kept property of another shape (a forged cache)
    return decl, [RelationProp(file, decl, key, kind, owner, target, _column_objects(file, fields),
                               _column_objects(file, references), UNKNOWN if rel is False else rel, at,
                               span, target_span, config_span)
                  for key, kind, target, at, span, target_span, config_span, fields, references, rel in props], known


def _is_prop_row(row) -> bool:
    if not (type(row) is tuple and len(row) == 10):
        return False
    key, kind, target, line, span, target_span, config_span, fields, references, name = row
    return (type(key) is str and kind in ("one", "many") and _is_identity(target)
            and type(line) is int and _is_span(span) and _is_span(target_span)
            and (config_span is None or _is_span(config_span)) and (name is None or name is False or type(name) is str)
            and _are_refs(fields) and _are_refs(references))


def _are_refs(refs) -> bool:
    return refs is None or (type(refs) is tuple and all(
        type(ref) is tuple and len(ref) == 5 and type(ref[0]) is str and type(ref[1]) is str
        and _is_identity(ref[2]) and type(ref[3]) is int and type(ref[4]) is int for ref in refs))


def _column_objects(file: SourceFile, refs) -> tuple[ColumnRef, ...] | None:
    if refs is None:
        return None
    return tuple(ColumnRef(q, c, table, start, end, file) for q, c, table, start, end in refs)


def _is_span(value) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int


# --- the syntax summary --------------------------------------------------------------


def _summary(file: SourceFile, project: Project) -> tuple:
    """Per relations() declaration of ``file`` (``relations_declarations``' order), what its
    properties say, as plain data kept between runs (``SourceFile.summary``): None when
    the object or the helpers cannot be read, else per member None (not a property read
    as a relation) or ``(key, kind, target name, line, member span, target span, config
    span | None, fields, references, relationName)``; fields and references are None or
    ``((qualifier, column, start, end), ...)``; relationName is a string, None (absent)
    or False (not a string literal). It reads the file alone, given which names call
    drizzle's relations() there (the key, as ``_drizzle``'s declarations)."""
    decls = relations_declarations(file, project)  # takes the summary too, when it reads the file
    # (else read from copies: the snapshot's declarations must not keep nodes of a tree
    # parsed for the summary alone, which is let go after it)
    return file.summary(_key(relations_bindings(file, project)),
                        lambda: tuple(_decl_row(replace(d)) for d in decls))


def _key(bindings) -> tuple:
    return ("drizzle-relation-props", tuple(sorted(bindings.functions)), tuple(sorted(bindings.namespaces)))


ALONGSIDE.append((_key, lambda file, decls: tuple(_decl_row(d) for d in decls)))
packed_summary("drizzle-relation-props")  # read when a pass makes a file's rows: ~7 times its bytes as objects


def _decl_row(decl: RelationsDecl) -> tuple | None:
    if decl.object is None or decl.helpers.style == "other":
        return None
    members = object_members(decl.object)
    if decl.helpers.style == "none":  # `() => ({})` declares no relation; any member there is unreadable
        return None if members or decl.object.named_child_count else ()
    return tuple(_prop_row(decl, m) for m in members)


def _helper_of(callee: Node, decl: RelationsDecl) -> str | None:
    h = decl.helpers
    if h.style == "pattern" and callee.type == "identifier":
        return h.locals.get(text(callee))
    if h.style == "ident" and callee.type == "member_expression":
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        if obj is not None and obj.type == "identifier" and text(obj) == h.ident and prop is not None:
            return text(prop)
    return None


def _prop_row(decl: RelationsDecl, m: Member) -> tuple | None:
    if m.key is None or m.node.type != "pair":
        return None
    call = unwrap(m.value)
    if call is None or call.type != "call_expression":
        return None
    kind = _helper_of(call.child_by_field_name("function"), decl)
    if kind not in ("one", "many"):
        return None
    args = arguments(call)
    if not args or len(args) > 2:
        return None
    target = unwrap(args[0])
    if target is None or target.type != "identifier":
        return None
    config_span = fields = references = None
    name: object = None
    if len(args) == 2:
        config = unwrap(args[1])
        if config is None or config.type != "object":
            return None
        config_span = (config.start_byte, config.end_byte)
        for cm in object_members(config):
            if cm.key is None:
                return None
            value = unwrap(cm.value)
            if cm.key in ("fields", "references"):
                refs = _column_ref_rows(value)
                if refs is None:
                    return None
                if cm.key == "fields":
                    fields = refs
                else:
                    references = refs
            elif cm.key == "relationName":
                name = _relation_name(value, decl)
    if kind == "one" and (fields is None) != (references is None):
        return None
    return (m.key, kind, text(target), m.line, (m.node.start_byte, m.node.end_byte),
            (target.start_byte, target.end_byte), config_span, fields, references, name)


def _relation_name(value: Node | None, decl: RelationsDecl) -> str | bool:
    """A relationName's string: a literal, or an identifier naming a top-level
    ``const NAME = '…'`` of the file (declared once, not a helper's name); False when it
    cannot be read (imported, computed)."""
    if value is not None and value.type == "string":
        return string_value(value)
    if value is None or value.type != "identifier" or text(value) in decl.helpers.locals:
        return False
    root = value
    while root.parent is not None:
        root = root.parent
    found = [string_value(init) if const and init is not None and init.type == "string" else None
             for const, init in top_level_values(root, text(value))]
    return found[0] if len(found) == 1 and found[0] is not None else False


def _column_ref_rows(node: Node | None) -> tuple[tuple[str, str, int, int], ...] | None:
    if node is None or node.type != "array":
        return None
    out = []
    for c in node.named_children:
        if c.type == "comment":
            continue
        q = qualified(c)
        if q is None:
            return None
        ref = unwrap(c)
        out.append((q[0], q[1], ref.start_byte, ref.end_byte))
    return tuple(out)


def needs_inverse(prop: RelationProp) -> bool:
    """Does drizzle resolve ``prop`` through the other table's relations (a many(), or a
    one() without fields)?"""
    return not prop.explicit


def inverse_candidates(project: Project, prop: RelationProp) -> list[RelationProp]:
    """The relations drizzle's ``normalizeRelation`` would take as ``prop``'s inverse:
    with a relationName, those of the target table with the same name (``prop`` itself
    excluded); without, every relation of the target table pointing back at ``prop``'s
    table (``prop`` itself included, for a self-relation); one per key."""
    entry = relations_of(project).get(prop.target)
    if entry is None:
        return []
    by_target, by_name = entry.props_by()
    if isinstance(prop.relation_name, str):
        return _one_per_key([q for q in by_name.get(prop.relation_name, ()) if q is not prop])
    return _one_per_key(by_target.get(prop.owner, ()))


def _one_per_key(props) -> list[RelationProp]:
    """One property per key: drizzle gathers a table's relations() into one object, so a
    key declared by two of them (in two modules) is one relation, the later one."""
    if len(props) < 2:
        return list(props)
    return list({q.key: q for q in props}.values())


def names_used_as_tables(file: SourceFile, project: Project) -> frozenset[str]:
    """The names ``file`` passes to drizzle as tables, as written: the first argument of
    its relations() calls and of their one()/many() (from the syntax summary: no tree)."""
    decls = relations_declarations(file, project)
    if not decls:
        return frozenset()
    names = {d.table for d in decls if d.table_kind == "identifier"}
    for row in _summary(file, project):
        names.update(member[2] for member in row or () if member is not None)
    return frozenset(names)
