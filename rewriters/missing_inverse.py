"""SF008: a many() (or a one() without fields) whose inverse one() is missing."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from codemod.model import Applicability, Diagnostic, Edit, Fix
from codemod.project import Project
from codemod.rules import Context, rule

from ._naming import singular
from ._relation_edits import add_relation
from ._relation_graph import (
    RelationProp,
    inverse_candidates,
    needs_inverse,
    explicit_ones,
    relation_props_in,
    relations_of,
    reported_files_declare_relations,
)
from ._tables import ForeignKey, Table, tables


@rule("SF008", "missing-inverse-relation", "A many() whose inverse one() with fields is missing",
      fix=Applicability.SAFE)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds a ``many(B)`` in table A's relations (or a ``one(B)`` without ``fields``)
    that drizzle cannot resolve: it looks, in B's relations, for the one relation that
    points back at A, and needs it to be a ``one(A, { fields, references })``. When B
    has none, the first relational query throws "There is not enough information to
    infer relation" (drizzle-orm's ``normalizeRelation``).

    When B has exactly one foreign key to A (a column's ``.references(() => A.x)`` or a
    ``foreignKey()`` of its extra config), the fix adds
    ``<name>: one(A, { fields: [B.col], references: [A.x] })`` to B's relations
    (creating ``<B>Relations`` when B has none: in ``relations.ts`` beside the table,
    else in the module holding the many() when that module keeps the relations of
    several tables and no table, else in the table's module; imports added). The
    name follows the project's convention (most often the column without ``Id``). Safe.

    A ``one(B)`` without fields where B has no foreign key to A but A has exactly one to
    B is that key seen from A: the fix writes it on this side,
    ``one(B, { fields: [A.col], references: [B.x] })``. Safe.

    Reported without a fix: B has no foreign key to A, or several (a ``relationName``
    is then needed on both sides), the name is taken, a self-relation (it needs a
    ``relationName``), or B's only relation back to A has no ``fields`` either. Two
    or more relations back to A are SF009's.
    """
    if not reported_files_declare_relations(ctx):
        return
    graph = relations_of(ctx.project)
    table_defs = tables(ctx.project)
    targets = {f.path for f in ctx.files()}
    for prop in relation_props_in(ctx.project, targets):
        if not needs_inverse(prop) or prop.relation_name is not None:
            continue
        a, b = table_defs.get(prop.owner), table_defs.get(prop.target)
        if a is None or b is None:
            continue
        entry = graph.get(b.identity)
        if entry is not None and not entry.known or entry is None and graph.may_hold(b.name):
            continue  # B's relations may be in a relations() whose table is not known yet (a broken import)
        candidates = inverse_candidates(ctx.project, prop)
        if len(candidates) > 1 or (len(candidates) == 1 and candidates[0].explicit):
            continue
        yield _diagnose(ctx, prop, a, b, candidates)


def _diagnose(ctx: Context, prop: RelationProp, a: Table, b: Table, candidates: list[RelationProp]) -> Diagnostic:
    call = f"{prop.kind}({b.name})"
    message = (f"relation '{prop.key}' of `{prop.decl.name}` is `{call}`, but `{b.name}` has no "
               f"one({a.name}, {{ fields, references }}) back to `{a.name}`: drizzle cannot infer it")
    notes: list[str] = []
    fix = None
    if candidates:
        q = candidates[0]
        if q is prop:
            notes.append(f"a self-relation of `{a.name}` needs a one() with fields and the same relationName "
                         "on both sides")
        else:
            notes.append(f"the only relation of `{b.name}` back to `{a.name}` is '{q.key}' ({q.where}), "
                         "which has no fields either")
    else:
        fks = b.references_to(a.identity)
        if len(fks) == 1 and b.complete:
            fix, why = _fix(ctx, prop, a, b, fks[0])
            if why:
                notes.append(f"not fixed automatically: {why}")
        elif not fks and prop.kind == "one" and prop.config_span is None and len(a.references_to(b.identity)) == 1:
            fix = _fields_here(ctx, prop, a, b, a.references_to(b.identity)[0])
        elif not fks and prop.kind == "one":
            notes.append(f"`{b.name}` has no column that references `{a.name}`; add one, or give the relation "
                         "fields on this side")
        elif not fks:  # a many() has no fields of its own: the one() back needs a column to name
            notes.append(f"`{b.name}` has no column that references `{a.name}`: add one, and a one({a.name}, "
                         f"{{ fields, references }}) through it in `{b.name}`'s relations")
        else:
            cols = "; ".join(", ".join(fk.columns) for fk in fks)
            notes.append(f"`{b.name}` references `{a.name}` through several columns ({cols}): give a one() with "
                         "fields for the right one and the same relationName on both sides")
    return ctx.diagnostic("SF008", prop.file, prop.span[0], message, fix=fix,
                          end=prop.span[1], notes=tuple(notes))


def _fields_here(ctx: Context, prop: RelationProp, a: Table, b: Table, fk: ForeignKey) -> Fix | None:
    """``one(B)`` without fields in A's relations, where A has the one foreign key to B
    and B none back: the relation is that key, written on this side
    (``one(B, { fields: [A.col], references: [B.id] })``), as drizzle needs it."""
    if not ctx.can_edit(prop.file.path) or prop.decl.table_kind != "identifier" or len(fk.columns) != len(
            fk.target_columns):
        return None
    start, end = prop.target_span
    mine, theirs = prop.decl.table, prop.file.data[start:end].decode()
    fields = ", ".join(f"{mine}.{c}" for c in fk.columns)
    refs = ", ".join(f"{theirs}.{c}" for c in fk.target_columns)
    return Fix(f"Give '{prop.key}' the fields of `{a.name}`'s foreign key to `{b.name}`",
               (Edit(prop.file.path, end, end, f", {{ fields: [{fields}], references: [{refs}] }}".encode()),),
               Applicability.SAFE)


def _fix(ctx: Context, prop: RelationProp, a: Table, b: Table, fk: ForeignKey) -> tuple[Fix | None, str | None]:
    entry = relations_of(ctx.project).get(b.identity)
    taken = {p.key for p in entry.props} if entry is not None else set()
    taken |= set(b.columns)  # a relation named like a column shares its key in query results
    name = next((n for n in _names(ctx.project, fk, a) if n not in taken), None)
    if name is None:
        return None, (f"`{b.name}` already has a relation or column named "
                      f"{' or '.join(repr(n) for n in _names(ctx.project, fk, a))}")

    def render(name_of, helper) -> str:
        fields = ", ".join(f"{name_of(b.identity)}.{c}" for c in fk.columns)
        refs = ", ".join(f"{name_of(a.identity)}.{c}" for c in fk.target_columns)
        return f"{name}: {helper('one')}({name_of(a.identity)}, {{ fields: [{fields}], references: [{refs}] }})"

    edits, why = add_relation(ctx, b, name, render, near=prop.file)
    if edits is None:
        return None, why
    title = f"Add the inverse '{name}: one({a.name}, ...)' to the relations of `{b.name}`"
    return Fix(title, tuple(edits), Applicability.SAFE), None


def _strip_id(column: str) -> str | None:
    for suffix in ("Id", "_id", "ID"):
        if column.endswith(suffix) and len(column) > len(suffix):
            return column[: -len(suffix)]
    return None


def _names(project: Project, fk: ForeignKey, a: Table) -> list[str]:
    """Names for the new one(), the project's most common convention first."""
    by_column = _strip_id(fk.columns[0]) if len(fk.columns) == 1 else None
    by_table = singular(a.name)
    votes = project.memo(("sf008-name-votes",), lambda: _votes(project))
    order = [by_table, by_column] if votes["table"] > votes["column"] else [by_column, by_table]
    return list(dict.fromkeys(n for n in order if n))


def _votes(project: Project) -> Counter:
    """How the project names its one() relations: after the column or after the table
    (counted once per snapshot)."""
    votes: Counter = Counter()
    table_defs = tables(project)
    for key, columns, target in explicit_ones(project):
        if len(columns) != 1:
            continue
        stripped = _strip_id(columns[0])
        table = table_defs.get(target)
        if stripped is not None and key == stripped:
            votes["column"] += 1
        elif table is not None and key == singular(table.name):
            votes["table"] += 1
    return votes
