"""Every property of every drizzle ``relations()`` object, read as a relation between two
tables: ``key: one(T, { fields: [A.x], references: [T.y], relationName: 'n' })`` or
``key: many(T, { relationName: 'n' })``. Shared by SF007-SF009; nothing here edits.

- ``relation_props(project) -> list[RelationProp]``, in file and source order;
- ``relations_of(project) -> dict[Identity, TableRelations]``: per table, its
  declarations and properties, and whether every property could be read (``known``):
  only then may a rule say that an inverse relation is missing.

Each file is read in two halves: its syntax (``_summary``: per property, names, kinds
and the spans of its nodes, plain data kept in the file's facts-cache entry between
runs) and what those names stand for (``identity``, from facts and the export map). A
file whose summary is known is never parsed to build the graph; a property's nodes are
found in the tree when a rule asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from tree_sitter import Node

from codemod.parsing import node_at, string_value, text
from codemod.project import Project, SourceFile
from codemod.rules import Context

from ._drizzle import ALONGSIDE, RelationsDecl, relations_bindings, relations_declarations
from ._objects import Member, arguments, object_members, unwrap
from ._tables import Identity, identity, qualified

UNKNOWN = object()  # a relationName that is not a string literal


@dataclass(frozen=True)
class ColumnRef:
    qualifier: str  # `A` in `A.x`
    column: str
    table: Identity | None
    start: int  # span of the member_expression (``node``)
    end: int
    file: SourceFile = field(repr=False, compare=False)

    @property
    def node(self) -> Node:  # the member_expression, found in the file's tree on first access
        return _node_at(self.file.tree.root_node, self.start, self.end, "member_expression")


@dataclass(frozen=True, eq=False)
class RelationProp:
    """One property, read without keeping a node (``_summary``: kept between runs, so
    building the graph never parses a relations module whose reading is known); the
    nodes (``member``, ``target_node``, ``config``, each ``ColumnRef.node``) are found
    in the file's tree, by their spans, the first time one is asked for."""

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


def reported_files_declare_relations(ctx: Context) -> bool:
    """Does a file the run reports on declare ``relations()``? The rules that report in
    the files declaring them (SF006, SF007, SF008, SF009, SF013) have nothing to say
    otherwise and skip their work: the project's tables, relations graph and exports
    (a run on a few files, as pre-commit makes, that are not relations modules)."""
    return any(relations_declarations(f, ctx.project) for f in ctx.files())


def relation_props(project: Project) -> list[RelationProp]:
    return [p for t in relations_of(project).values() for p in t.props]


def relations_of(project: Project) -> dict[Identity, TableRelations]:
    return project.memo(("drizzle-relations-graph",), lambda: _graph(project))


_READS = "drizzle-relations-reads"  # memo key (_READS, path): one file's relations() declarations, read

# One relations() declaration as read: its table (None: cannot be named), the
# declaration, whether every property was read, and the properties that were.
_Read = tuple[Identity | None, RelationsDecl, bool, list[RelationProp]]


def _graph(project: Project) -> dict[Identity, TableRelations]:
    out: dict[Identity, TableRelations] = {}
    unknown_owner = False
    for path, file in sorted(project.files.items()):
        for owner, decl, known, props in _reads(project, path, file):
            if owner is None:
                unknown_owner = True
                continue
            entry = out.setdefault(owner, TableRelations())
            entry.decls.append((file, decl))
            entry.known = entry.known and known
            entry.props += props
    if unknown_owner:  # a relations() for a table we cannot name could hold any inverse
        for entry in out.values():
            entry.known = False
    return out


def _reads(project: Project, path: str, file: SourceFile) -> list[_Read]:
    """The relations() declarations of one file, read. What a file says depends on its
    bytes and on the files it reaches through imports and re-exports: outside
    ``affected`` the snapshot this one was built from read the same (see
    ``Project.carried``)."""
    key = (_READS, path)

    def read() -> list[_Read]:
        carried = project.carried(key)
        if carried is not None and path not in carried[1]:
            return carried[0]
        if file.has_error:
            return []
        decls = relations_declarations(file, project)
        owners = [identity(project, file, d.table) if d.table_kind == "identifier" else None for d in decls]
        rows = _summary(file, project) if any(o is not None for o in owners) else ()
        return [_read_decl(project, file, decl, owner, rows[i] if rows else None)
                for i, (decl, owner) in enumerate(zip(decls, owners))]
    return project.memo(key, read)


def _read_decl(project: Project, file: SourceFile, decl: RelationsDecl, owner: Identity | None,
               row: tuple | None) -> _Read:
    """The semantic half: the tables the syntax summary's names stand for (``identity``
    answers each name of a file once per snapshot)."""
    if owner is None:
        return None, decl, False, []
    if row is None:
        return owner, decl, False, []
    known, props = True, []
    for prop in row:
        if prop is None:
            known = False  # it might be the inverse anybody looks for
            continue
        key, kind, target, line, span, target_span, config_span, fields, references, name = prop
        p = RelationProp(file, decl, key, kind, owner, identity(project, file, target),
                         _column_refs(project, file, fields), _column_refs(project, file, references),
                         UNKNOWN if name is False else name, line, span, target_span, config_span)
        if p.target is None:
            known = False
        props.append(p)
    return owner, decl, known, props


def _column_refs(project: Project, file: SourceFile, refs: tuple | None) -> tuple[ColumnRef, ...] | None:
    if refs is None:
        return None
    return tuple(ColumnRef(q, c, identity(project, file, q), start, end, file) for q, c, start, end in refs)


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


def _decl_row(decl: RelationsDecl) -> tuple | None:
    if decl.object is None or decl.helpers.style in ("other", "none"):
        return None
    return tuple(_prop_row(decl, m) for m in object_members(decl.object))


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
                name = string_value(value) if value is not None and value.type == "string" else False
    if kind == "one" and (fields is None) != (references is None):
        return None
    return (m.key, kind, text(target), m.line, (m.node.start_byte, m.node.end_byte),
            (target.start_byte, target.end_byte), config_span, fields, references, name)


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
    table (``prop`` itself included, for a self-relation)."""
    entry = relations_of(project).get(prop.target)
    if entry is None:
        return []
    if isinstance(prop.relation_name, str):
        return [q for q in entry.props if q is not prop and q.relation_name == prop.relation_name]
    return [q for q in entry.props if q.target == prop.owner]
