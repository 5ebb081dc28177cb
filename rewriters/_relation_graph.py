"""Every property of every drizzle ``relations()`` object, read as a relation between two
tables: ``key: one(T, { fields: [A.x], references: [T.y], relationName: 'n' })`` or
``key: many(T, { relationName: 'n' })``. Shared by SF007-SF009; nothing here edits.

- ``relation_props(project) -> list[RelationProp]``, in file and source order;
- ``relations_of(project) -> dict[Identity, TableRelations]``: per table, its
  declarations and properties, and whether every property could be read (``known``):
  only then may a rule say that an inverse relation is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from codemod.parsing import string_value, text
from codemod.project import Project, SourceFile
from codemod.rules import Context

from ._drizzle import RelationsDecl, relations_declarations
from ._objects import Member, arguments, object_members, unwrap
from ._tables import Identity, identity, qualified

UNKNOWN = object()  # a relationName that is not a string literal


@dataclass(frozen=True)
class ColumnRef:
    qualifier: str  # `A` in `A.x`
    column: str
    table: Identity | None
    node: Node  # the member_expression


@dataclass(frozen=True, eq=False)
class RelationProp:
    file: SourceFile
    decl: RelationsDecl
    member: Member
    key: str
    kind: str  # "one" | "many"
    owner: Identity | None  # the table whose relations() holds it
    target: Identity | None
    target_node: Node
    config: Node | None  # the options object, if written as a literal
    fields: tuple[ColumnRef, ...] | None
    references: tuple[ColumnRef, ...] | None
    relation_name: object = None  # str, None (absent) or UNKNOWN

    @property
    def line(self) -> int:
        return self.member.line

    @property
    def where(self) -> str:
        return f"{self.file.path}:{self.line}"

    @property
    def explicit(self) -> bool:
        """A one() with fields and references: drizzle needs nothing from the other side."""
        return self.kind == "one" and self.config is not None and self.fields is not None


@dataclass
class TableRelations:
    decls: list[tuple[SourceFile, RelationsDecl]] = field(default_factory=list)
    props: list[RelationProp] = field(default_factory=list)
    known: bool = True  # every property of every declaration was read


def reported_files_declare_relations(ctx: Context) -> bool:
    """Does a file the run reports on declare ``relations()``? The rules that report on
    relation properties, in the files declaring them (SF007, SF008, SF009), have nothing
    to say otherwise and skip reading the project's tables and relations graph (a run
    on a few files, as pre-commit makes, that are not relations modules)."""
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
        if file.facts.has_error:
            return []
        return [_read_decl(project, file, decl) for decl in relations_declarations(file, project)]
    return project.memo(key, read)


def _read_decl(project: Project, file: SourceFile, decl: RelationsDecl) -> _Read:
    owner = None
    if decl.table_node is not None and decl.table_node.type == "identifier":
        owner = identity(project, file, decl.table)
    if owner is None:
        return None, decl, False, []
    if decl.object is None or decl.helpers.style in ("other", "none"):
        return owner, decl, False, []
    known, props = True, []
    for m in object_members(decl.object):
        prop = _read(project, file, decl, owner, m)
        if prop is None or prop.target is None:
            known = False  # it might be the inverse anybody looks for
        if prop is not None:
            props.append(prop)
    return owner, decl, known, props


def _helper_of(callee: Node, decl: RelationsDecl) -> str | None:
    h = decl.helpers
    if h.style == "pattern" and callee.type == "identifier":
        return h.locals.get(text(callee))
    if h.style == "ident" and callee.type == "member_expression":
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        if obj is not None and obj.type == "identifier" and text(obj) == h.ident and prop is not None:
            return text(prop)
    return None


def _read(project: Project, file: SourceFile, decl: RelationsDecl, owner: Identity, m: Member) -> RelationProp | None:
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
    target_node = unwrap(args[0])
    if target_node is None or target_node.type != "identifier":
        return None
    target = identity(project, file, text(target_node))
    config = fields = references = None
    name: object = None
    if len(args) == 2:
        config = unwrap(args[1])
        if config is None or config.type != "object":
            return None
        for cm in object_members(config):
            if cm.key is None:
                return None
            value = unwrap(cm.value)
            if cm.key in ("fields", "references"):
                refs = _column_refs(project, file, value)
                if refs is None:
                    return None
                if cm.key == "fields":
                    fields = refs
                else:
                    references = refs
            elif cm.key == "relationName":
                name = string_value(value) if value is not None and value.type == "string" else UNKNOWN
    if kind == "one" and (fields is None) != (references is None):
        return None
    return RelationProp(file, decl, m, m.key, kind, owner, target, target_node, config, fields, references, name)


def _column_refs(project: Project, file: SourceFile, node: Node | None) -> tuple[ColumnRef, ...] | None:
    if node is None or node.type != "array":
        return None
    out = []
    for c in node.named_children:
        if c.type == "comment":
            continue
        q = qualified(c)
        if q is None:
            return None
        out.append(ColumnRef(q[0], q[1], identity(project, file, q[0]), unwrap(c)))
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
