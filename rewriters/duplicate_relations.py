"""SF003: one table's ``relations()`` declared twice in a file, merged losslessly."""

from __future__ import annotations

from typing import Iterable

from codemod.model import Applicability, Diagnostic, Fix
from codemod.project import SourceFile
from codemod.rules import Context, rule

from ._drizzle import RelationsDecl, relations_declarations
from ._objects import one_line
from ._relations_merge_plan import MergePlan, plan_merge, removal_edits

_VALUE_KEYWORDS = frozenset({"const", "let", "var", "function", "class"})


@rule("SF003", "duplicate-relations", "One table's relations() declared twice in a file: merge them",
      fix=Applicability.SAFE)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds a name declared more than once at the top level of a file where at least one
    declaration is a drizzle ``relations(table, (helpers) => ({ ... }))`` call
    (TypeScript: TS2451 "Cannot redeclare block-scoped variable").

    Drizzle merges every ``relations()`` of a table, so deleting the later declaration
    loses the relations only it holds (typically the ``many()`` back-relations). The
    fix merges the later declarations into the first: its properties first, then each
    new property of the later ones, in order; a property with the same key and the same
    code is kept once; comments travel with their properties; the helper parameter
    becomes the union (``({ one })`` + ``({ many })`` -> ``({ one, many })``, also across
    ``(r) => r.one(...)`` callbacks). Safe.

    The same key with different code is a conflict: no fix, both definitions are shown.
    The same name for different tables, or with a non-``relations`` value, is reported
    only. Duplicate keys inside one object are SF004's.
    """
    for file in ctx.files():
        if file.has_error:
            continue
        decls = relations_declarations(file, ctx.project)
        if not decls:
            continue
        by_name: dict[str, list[RelationsDecl]] = {}
        for decl in decls:
            by_name.setdefault(decl.name, []).append(decl)
        others: dict[str, list[int]] = {}
        starts = {d.start for d in decls}
        for d in file.facts.declarations:
            if d.keyword in _VALUE_KEYWORDS and not d.ambient and d.start not in starts:
                others.setdefault(d.name, []).append(d.line)
        for name, group in by_name.items():
            if name in others:
                lines = ", ".join(str(n) for n in sorted([d.line for d in group] + others[name]))
                yield ctx.diagnostic(
                    "SF003", file, group[0].start,
                    f"'{name}' is declared more than once (lines {lines}) and not every declaration is a "
                    "relations() call; rename or remove one by hand", end=group[0].end)
                continue
            if len(group) < 2:
                continue
            yield _check_group(ctx, file, name, group)


def _check_group(ctx: Context, file: SourceFile, name: str, group: list[RelationsDecl]) -> Diagnostic:
    first, later = group[0], group[1:]
    lines = ", ".join(str(d.line) for d in group)
    where = (later[0].start, later[0].end)
    tables = {d.table for d in group}
    if len(tables) > 1:
        notes = tuple(f"line {d.line}: relations({d.table}, ...)" for d in group)
        return ctx.diagnostic(
            "SF003", file, where[0],
            f"'{name}' is declared {len(group)} times (lines {lines}) for different tables; "
            "rename one by hand", end=where[1], notes=notes)
    plan = _plan(file, group)
    if plan.conflicts:
        notes = []
        for key, (a, b) in plan.conflicts:
            notes.append(f"line {a.line}: {one_line(file.data, a.node)}")
            notes.append(f"line {b.line}: {one_line(file.data, b.node)}")
        keys = ", ".join(f"'{key}' (lines {a.line} and {b.line})" for key, (a, b) in plan.conflicts)
        return ctx.diagnostic(
            "SF003", file, where[0],
            f"'{name}' declares relations for '{first.table}' {len(group)} times (lines {lines}) and they "
            f"define {keys} differently; merge them by hand", end=where[1], notes=tuple(notes))
    message = (f"'{name}' declares relations for '{first.table}' {len(group)} times (lines {lines}); "
               "the later declarations should be merged into the first")
    if plan.problem:
        return ctx.diagnostic("SF003", file, where[0], message, end=where[1],
                              notes=(f"not merged automatically: {plan.problem}",))
    fix = None
    if ctx.can_edit(file.path):
        fix = Fix(f"Merge the {len(group)} declarations of '{name}' into the first", tuple(plan.edits),
                  Applicability.SAFE)
    return ctx.diagnostic("SF003", file, where[0], message, fix=fix, end=where[1])


def _plan(file: SourceFile, group: list[RelationsDecl]) -> MergePlan:
    """Merge the later declarations of ``group`` into the first and delete them."""
    first, later = group[0], group[1:]
    plan = plan_merge(file, first, [(file, d) for d in later])
    if plan.problem is None and not plan.conflicts:
        plan.edits += removal_edits(file, later)
    return plan
