"""SF007: a relation whose fields or references name a column its table lacks."""

from __future__ import annotations

import difflib
from typing import Iterable

from codemod.lines import line_indent
from codemod.model import Applicability, Diagnostic, Edit, Fix
from codemod.parsing import walk
from codemod.rules import Context, rule

from ._drizzle import helper_references
from ._objects import member_removal_span, object_members
from ._relation_edits import add_relation
from ._relation_graph import (
    ColumnRef,
    RelationProp,
    relation_props_in,
    relations_of,
    reported_files_declare_relations,
)
from ._tables import Table, local_name, tables
from ._unused_imports import left_unused


@rule("SF007", "relation-column-mismatch", "A relation names a column its table does not have",
      fix=Applicability.SAFE)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds a ``one(T, { fields: [A.x], references: [T.y] })`` whose ``fields`` or
    ``references`` name a column the table does not define (TypeScript: TS2339).
    ``drizzle(client, { schema })`` then throws while it builds its relational config
    (``Cannot read properties of undefined (reading 'notNull')``). Tables are read from
    their definitions (``pgTable``/``mysqlTable``/``sqliteTable``, the columns object or
    the ``(t) => ({ ... })`` callback, spreads such as ``...timestamps`` followed through
    imports); a table whose columns cannot all be read is never said to lack one.

    The usual cause is a relation generated on the wrong table:
    ``adminBackupsRelations.lastBackup: one(adminBackups, { fields:
    [adminBackups.lastBackupId], references: [adminBackups.id] })`` while
    ``lastBackupId`` is a column of ``backupSchedules``. When exactly one table of the
    project has every missing column, and its ``.references()`` (or a ``foreignKey()``
    of its extra config) points at the relation's ``references``, the property moves
    into that table's relations (qualifiers rewritten, the helper parameter extended,
    a ``<table>Relations`` declaration created beside the table when it has none,
    imports added). Safe. That table already defining the key differently is reported.

    Otherwise it is reported with the table, the missing column, and the columns of
    the table it may have meant (close names, columns referencing the same target).
    """
    if not reported_files_declare_relations(ctx):
        return
    table_defs = tables(ctx.project)
    targets = {f.path for f in ctx.files()}
    for prop in relation_props_in(ctx.project, targets):
        if prop.kind != "one" or prop.fields is None:
            continue
        missing = [(side, ref) for side, refs in (("fields", prop.fields), ("references", prop.references))
                   for ref in refs if _lacks(table_defs, ref)]
        if missing:
            yield _diagnose(ctx, prop, missing, table_defs)


def _lacks(table_defs, ref: ColumnRef) -> bool:
    table = table_defs.get(ref.table) if ref.table is not None else None
    return table is not None and table.complete and ref.column not in table.columns


def _diagnose(ctx: Context, prop: RelationProp, missing, table_defs) -> Diagnostic:
    side, ref = missing[0]
    table = table_defs[ref.table]
    what = ", ".join(f"`{r.qualifier}.{r.column}`" for _, r in missing)
    message = (f"relation '{prop.key}' of `{prop.decl.name}` names {what} in its {side}, but table "
               f"`{table.name}` has no column '{ref.column}'")
    notes: list[str] = []
    fix = None
    home, why = _home(ctx, prop, missing, table_defs)
    if home is not None:
        fix, why = _move(ctx, prop, home)
        if fix is not None:
            message += f"; it belongs to `{home.name}`"
    if fix is None:
        notes += _did_you_mean(prop, ref, table, table_defs)
        if why:
            notes.append(f"not fixed automatically: {why}")
    return ctx.diagnostic("SF007", prop.file, prop.span[0], message, fix=fix,
                          end=prop.span[1], notes=tuple(notes))


def _home(ctx: Context, prop: RelationProp, missing, table_defs) -> tuple[Table | None, str | None]:
    """The one table the property belongs on, or why there is none."""
    if any(side != "fields" for side, _ in missing) or len(missing) != len(prop.fields):
        return None, None
    if any(f.table != prop.owner for f in prop.fields):
        return None, None
    columns = [f.column for f in prop.fields]
    having = [t for t in table_defs.values() if all(c in t.columns for c in columns)]
    if len(having) != 1:
        if having:
            return None, f"{len(having)} tables have {_cols(columns)}: " + ", ".join(
                f"`{t.name}`" for t in having)
        return None, None
    (home,) = having
    targets = {r.table for r in prop.references}
    if len(targets) != 1 or prop.target not in targets or prop.target is None:
        return None, "its references do not all name the table it relates to"
    wanted = (tuple(columns), prop.target, tuple(r.column for r in prop.references))
    owner = table_defs.get(prop.owner)
    own = [fk for fk in (owner.foreign_keys if owner is not None else ())
           if (fk.target, fk.target_columns) == wanted[1:]]
    if own:  # the relation's own table still points there: a renamed column, not a wrong table
        return None, (f"`{owner.name}` itself has a foreign key to the same target "
                      f"({_cols(list(own[0].columns))}): was the column renamed?")
    if not any((fk.columns, fk.target, fk.target_columns) == wanted for fk in home.foreign_keys):
        return None, (f"`{home.name}` has {_cols(columns)}, but no foreign key from it to "
                      f"{', '.join(f'`{r.qualifier}.{r.column}`' for r in prop.references)}")
    return home, None


def _cols(columns: list[str]) -> str:
    return ("column " if len(columns) == 1 else "columns ") + ", ".join(f"'{c}'" for c in columns)


def _move(ctx: Context, prop: RelationProp, home: Table) -> tuple[Fix | None, str | None]:
    if not ctx.can_edit(prop.file.path):
        return None, f"{prop.file.path} cannot be edited"
    replace: dict[int, object] = {}  # node id -> how to write it: ("table", identity) | ("helper", name)
    refs = helper_references(prop.member.value, prop.decl.helpers)
    if refs is None:
        return None, "the helper parameter is used in an unusual way"
    for node, helper in refs:
        replace[node.id] = ("helper", helper, node)
    for f in prop.fields:
        replace[f.node.child_by_field_name("object").id] = ("table", home.identity, f.node.child_by_field_name("object"))
    for r in prop.references:
        replace[r.node.child_by_field_name("object").id] = ("table", r.table, r.node.child_by_field_name("object"))
    replace[prop.target_node.id] = ("table", prop.target, prop.target_node)
    for n in walk(prop.member.value):
        if n.type == "identifier" and n.id not in replace and not _inside_replaced(n, replace):
            return None, f"the relation refers to `{n.text.decode()}`, which is not a table it names"
    file, member = prop.file, prop.member
    indent = line_indent(file.data, member.node.start_byte)

    def render(name_of, helper) -> str:
        out, pos = bytearray(), member.node.start_byte
        for _, (kind, what, node) in sorted(replace.items(), key=lambda kv: kv[1][2].start_byte):
            out += file.data[pos:node.start_byte]
            out += (helper(what) if kind == "helper" else name_of(what)).encode()
            pos = node.end_byte
        out += file.data[pos:member.node.end_byte]
        lines = out.decode().replace("\r\n", "\n").split("\n")
        return "\n".join([lines[0]] + [ln[len(indent):] if ln.startswith(indent) else ln for ln in lines[1:]])

    existing = _existing(ctx, home, prop.key)
    if isinstance(existing, str):
        return None, existing
    if existing is not None:
        mine = render(lambda ident: _local_in(ctx, existing, ident), lambda h: _helper_in(existing, h))
        if _squash(mine) != _squash(existing.member.node.text.decode()):
            return None, (f"`{home.name}` already defines '{prop.key}' differently "
                          f"({existing.where})")
        edits: list[Edit] = []
    else:
        edits, why = add_relation(ctx, home, prop.key, render, near=file)
        if edits is None:
            return None, why
    start, end = member_removal_span(file.data, member, keep_comments=False)
    edits = [*edits, Edit.delete(file.path, start, end)]
    edits += left_unused(file, edits)  # what only the moved property imported
    title = f"Move '{prop.key}' from `{prop.decl.name}` to the relations of `{home.name}`"
    try:
        return Fix(title, tuple(edits), Applicability.SAFE), None
    except ValueError:
        return None, "the move overlaps another edit of the same declaration"


def _inside_replaced(node, replace) -> bool:
    return any(v[2].start_byte <= node.start_byte and node.end_byte <= v[2].end_byte for v in replace.values())


def _existing(ctx: Context, home: Table, key: str) -> RelationProp | str | None:
    """``home``'s relation ``key``, a string when it has one that cannot be read, or None."""
    entry = relations_of(ctx.project).get(home.identity)
    if entry is None:
        return None
    same = [p for p in entry.props if p.key == key]
    if same:
        return same[0]
    for file, decl in entry.decls:
        for m in object_members(decl.object) if decl.object is not None else []:
            if m.key == key:
                return f"`{home.name}` already has a property '{key}' ({file.path}:{m.line})"
    return None


def _local_in(ctx: Context, prop: RelationProp, ident) -> str:
    return local_name(ctx.project, prop.file, ident) or "?"


def _helper_in(prop: RelationProp, helper: str) -> str:
    h = prop.decl.helpers
    if h.style == "ident":
        return f"{h.ident}.{helper}"
    return h.names.get(helper, helper) if h.style == "pattern" else helper


def _squash(code: str) -> str:
    s = "".join(code.split()).replace('"', "'")
    return s.replace(",}", "}").replace(",]", "]").replace(",)", ")")


def _did_you_mean(prop: RelationProp, ref: ColumnRef, table: Table, table_defs) -> list[str]:
    notes = []
    close = difflib.get_close_matches(ref.column, table.columns, n=3, cutoff=0.6)
    if close:
        notes.append(f"did you mean {', '.join(f'`{table.name}.{c}`' for c in close)}?")
    if prop.references and prop.fields and ref in prop.fields:
        target = prop.references[0].table
        pointing = [fk.columns[0] for fk in table.references_to(target) if len(fk.columns) == 1
                    and fk.columns[0] not in close] if target is not None else []
        if pointing:
            notes.append(f"columns of `{table.name}` that reference `{prop.references[0].qualifier}`: "
                         + ", ".join(f"`{c}`" for c in pointing))
    having = [t.name for t in table_defs.values() if ref.column in t.columns]
    if having:
        notes.append(f"tables that have a column '{ref.column}': " + ", ".join(f"`{n}`" for n in sorted(having)))
    return notes
