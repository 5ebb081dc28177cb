"""SF003: one table's ``relations()`` declared twice in a file, merged losslessly."""

from __future__ import annotations

from typing import Iterable, Iterator

from codemod.model import Applicability, Diagnostic, Fix
from codemod.project import SourceFile
from codemod.rules import Claim, Context, rule

from ._drizzle import RelationsDecl, relations_declarations
from ._objects import one_line
from ._relations_merge_plan import MergePlan, plan_merge, removal_edits
from ._unused_imports import left_unused

_VALUE_KEYWORDS = frozenset({"const", "let", "var", "function", "class"})


def claims(ctx: Context) -> Iterator[Claim]:
    """What this rule answers for: the later declarations of a relations() name that its
    fix merges into the first (claimed at their first byte), so that a rule meeting the
    duplicate (SF005, whose merge across modules needs one declaration per module) waits
    for the merge instead of working around it. A group it only reports (different
    tables, a conflicting key, a file it may not edit) is not claimed."""
    for file in ctx.files():
        if not _repeats_a_name(file):
            continue  # most files: no relations() of theirs is read for this
        for name, group, others in _groups(ctx, file):
            if not others and len(group) > 1 and len({d.table for d in group}) == 1 and ctx.can_edit(file.path):
                plan = _plan(ctx, file, group)
                if not plan.conflicts and plan.problem is None:
                    yield from (Claim(file.path, d.start) for d in group[1:])


@rule("SF003", "duplicate-relations", "One table's relations() declared twice in a file: merge them",
      fix=Applicability.SAFE, claims=claims)
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
        for name, group, others in _groups(ctx, file):
            if others:
                lines = ", ".join(str(n) for n in sorted([d.line for d in group] + others))
                yield ctx.diagnostic(
                    "SF003", file, group[0].start,
                    f"'{name}' is declared more than once (lines {lines}) and not every declaration is a "
                    "relations() call; rename or remove one by hand", end=group[0].end)
                continue
            if len(group) < 2:
                continue
            yield _check_group(ctx, file, name, group)


def _repeats_a_name(file: SourceFile) -> bool:
    """Does ``file`` declare a top-level value name more than once (from its facts)?"""
    def read() -> bool:
        names = [d.name for d in file.facts.declarations if d.keyword in _VALUE_KEYWORDS and not d.ambient]
        return len(set(names)) < len(names)
    return file.memo("sf003-repeats", read)


def _groups(ctx: Context, file: SourceFile) -> list[tuple[str, list[RelationsDecl], list[int]]]:
    """Each name ``file`` declares with a relations() call: its relations() declarations
    in order, and the lines of its other top-level value declarations (once per
    snapshot: ``claims`` and ``check`` both ask)."""
    if file.has_error:
        return []
    return ctx.project.memo(("sf003-groups", file.path), lambda: _read_groups(ctx, file))


def _read_groups(ctx: Context, file: SourceFile) -> list[tuple[str, list[RelationsDecl], list[int]]]:
    decls = relations_declarations(file, ctx.project)
    if not decls:
        return []
    by_name: dict[str, list[RelationsDecl]] = {}
    for decl in decls:
        by_name.setdefault(decl.name, []).append(decl)
    others: dict[str, list[int]] = {}
    starts = {d.start for d in decls}
    for d in file.facts.declarations:
        if d.keyword in _VALUE_KEYWORDS and not d.ambient and d.start not in starts:
            others.setdefault(d.name, []).append(d.line)
    return [(name, group, others.get(name, [])) for name, group in by_name.items()]


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
    plan = _plan(ctx, file, group)
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
        edits = [*plan.edits, *left_unused(file, plan.edits)]  # e.g. a namespace only a later one used
        fix = Fix(f"Merge the {len(group)} declarations of '{name}' into the first", tuple(edits),
                  Applicability.SAFE)
    return ctx.diagnostic("SF003", file, where[0], message, fix=fix, end=where[1])


def _plan(ctx: Context, file: SourceFile, group: list[RelationsDecl]) -> MergePlan:
    """Merge the later declarations of ``group`` into the first and delete them (made once
    per snapshot: ``claims`` and ``check`` both ask)."""
    def make() -> MergePlan:
        first, later = group[0], group[1:]
        plan = plan_merge(file, first, [(file, d) for d in later])
        if plan.problem is None and not plan.conflicts:
            plan.edits += removal_edits(file, later)
        return plan
    return ctx.project.memo(("sf003-plan", file.path, tuple(d.start for d in group)), make)
