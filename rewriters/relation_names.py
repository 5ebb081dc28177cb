"""SF009: relationName pairing between two tables."""

from __future__ import annotations

from typing import Iterable

from codemod.model import Diagnostic
from codemod.rules import Context, rule

from ._relation_graph import (
    UNKNOWN,
    RelationProp,
    inverse_candidates,
    needs_inverse,
    relation_props_in,
    relations_of,
    reported_files_declare_relations,
)
from ._tables import tables


@rule("SF009", "relation-name-pairing", "Relations between two tables whose relationNames do not pair up",
      fix=None)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds relations drizzle cannot pair (drizzle-orm's ``normalizeRelation``):

    - a ``many(B)`` (or a ``one(B)`` without fields) without ``relationName`` while B
      has two or more relations back to A ("There are multiple relations between A and
      B"): each needs the same ``relationName`` as its one() on the other side;
    - a ``relationName`` that B uses on two relations ("There are multiple relations
      with name ..."), both shown;
    - a ``relationName`` on a relation that needs its inverse while B has no relation
      of that name, or only one without fields.

    - two ``one()`` with fields of one table to the same table under one
      ``relationName``, both shown.

    A ``relationName`` on a ``one()`` with fields that nothing pairs with does not
    break drizzle and is not reported. A ``relationName`` is read from a string literal
    or a top-level ``const`` of the file holding one; one it cannot read (imported,
    computed) is neither reported nor taken as missing on the other side. Report only: which relation pairs with which is a
    modelling decision.
    """
    if not reported_files_declare_relations(ctx):
        return
    graph = relations_of(ctx.project)
    table_defs = tables(ctx.project)
    targets = {f.path for f in ctx.files()}
    for prop in relation_props_in(ctx.project, targets):
        if prop.target not in table_defs or prop.owner not in table_defs:
            continue
        entry = graph.get(prop.target)
        if entry is None or not entry.known:
            continue
        if prop.relation_name is UNKNOWN:
            continue  # a relationName it cannot read (imported, computed): its pairing is unknown
        a, b = table_defs[prop.owner].name, table_defs[prop.target].name
        named = isinstance(prop.relation_name, str)
        candidates = inverse_candidates(ctx.project, prop)
        if named and prop.explicit:
            twins = [q for q in graph[prop.owner].props if q is not prop and q.target == prop.target
                     and q.explicit and q.relation_name == prop.relation_name]
            if twins and _first(prop, twins):
                yield _report(ctx, prop, f"relationName '{prop.relation_name}' is used by {len(twins) + 1} "
                              f"relations of `{a}` to `{b}`", [prop, *twins])
                continue
        if not needs_inverse(prop):
            continue
        if len(candidates) > 1:
            what = (f"relationName '{prop.relation_name}' is used by {len(candidates)} relations of `{b}`" if named
                    else f"there are {len(candidates)} relations between `{b}` and `{a}`; drizzle cannot tell "
                    f"which is the inverse of '{prop.key}' without the same relationName on both sides")
            yield _report(ctx, prop, what, [prop, *candidates])
        elif named and not candidates:
            if any(q.relation_name is UNKNOWN for q in entry.props):
                continue  # a name it cannot read may be the pair
            yield _report(ctx, prop, f"relationName '{prop.relation_name}' of '{prop.key}' is used on one side "
                          f"only: `{b}` has no relation with that name", [prop])
        elif named and not candidates[0].explicit:
            yield _report(ctx, prop, f"'{prop.key}' and its pair '{candidates[0].key}' in `{b}` both lack fields",
                          [prop, candidates[0]])


def _first(prop: RelationProp, twins: list[RelationProp]) -> bool:
    return all((prop.file.path, prop.line) < (q.file.path, q.line) for q in twins)


def _report(ctx: Context, prop: RelationProp, message: str, where: list[RelationProp]) -> Diagnostic:
    notes = tuple(f"{q.where}: '{q.key}' in `{q.decl.name}`" for q in dict.fromkeys(where))
    return ctx.diagnostic("SF009", prop.file, prop.span[0], message,
                          end=prop.span[1], notes=notes)
