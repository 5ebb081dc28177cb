"""SF003: one table's ``relations()`` declared twice in a file, merged losslessly."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from codemod.model import Applicability, Diagnostic, Fix
from codemod.parsing import text as node_text
from codemod.parsing import walk
from codemod.project import Project, SourceFile
from codemod.rules import Claim, Context, rule

from ._disk import package_entries
from ._drizzle import RelationsDecl, relations_declarations
from ._objects import one_line
from ._relations_merge_plan import MergePlan, plan_merge, removal_edits
from ._renames import exporters
from ._unused_imports import left_unused

_VALUE_KEYWORDS = frozenset({"const", "let", "var", "function", "class"})
# A first argument whose text names one table wherever it is written in a module (a
# top-level name, `schema.posts`): two declarations with the same text are one table's.
_TABLE_KINDS = frozenset({"identifier", "member_expression"})


def claims(ctx: Context) -> Iterator[Claim]:
    """What this rule answers for: the later declarations of a relations() name, or of
    one table's relations() under several names, that its fix merges into the first
    (claimed at their first byte), so that a rule meeting the duplicate (SF005, whose
    merge across modules needs one declaration per module) waits for the merge instead of
    working around it. A group it only reports (different tables, a conflicting key, a
    file it may not edit, a name used elsewhere) is not claimed."""
    for file in ctx.files():
        if not ctx.can_edit(file.path):
            continue
        if _repeats_a_name(file):  # most files do not: no relations() of theirs is read for this
            for name, group, others in _groups(ctx, file):
                if not others and len(group) > 1 and len({d.table for d in group}) == 1:
                    plan = _plan(ctx, file, group)
                    if not plan.conflicts and plan.problem is None:
                        yield from (Claim(file.path, d.start) for d in group[1:])
        for group in _table_groups(ctx, file):
            if _table_merge_blocked(ctx, file, group) is None:
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

    One table's relations() under two export names in one file (``postsRelations`` and
    ``postCategoryRelations``, both for ``posts``) is valid TypeScript, and drizzle merges
    them at run time, but its relational-query types then see neither (``with: {
    author: true }`` is TS2551/TS2339 on the result). They are merged into the first the
    same way, keeping its name, when the later names can go: exported like the first,
    by the same modules, used nowhere else (a word in no other file, no reference in
    their own), not offered by a package entry point. Otherwise reported, with why.
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
        for group in _table_groups(ctx, file):
            yield _check_table_group(ctx, file, group)


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
        return _conflict(ctx, file, later[0], plan,
                         f"'{name}' declares relations for '{first.table}' {len(group)} times (lines {lines})")
    message = (f"'{name}' declares relations for '{first.table}' {len(group)} times (lines {lines}); "
               "the later declarations should be merged into the first")
    if plan.problem:
        return ctx.diagnostic("SF003", file, where[0], message, end=where[1],
                              notes=(f"not merged automatically: {plan.problem}",))
    title = f"Merge the {len(group)} declarations of '{name}' into the first"
    return ctx.diagnostic("SF003", file, where[0], message, end=where[1], fix=_merge_fix(ctx, file, plan, title))


def _conflict(ctx: Context, file: SourceFile, at: RelationsDecl, plan: MergePlan, what: str) -> Diagnostic:
    """A group whose declarations define one key two ways: reported at ``at`` with both
    definitions, never merged (drizzle keeps the later one; which was meant is a guess)."""
    notes = []
    for key, (a, b) in plan.conflicts:
        notes.append(f"line {a.line}: {one_line(file.data, a.node)}")
        notes.append(f"line {b.line}: {one_line(file.data, b.node)}")
    keys = ", ".join(f"'{key}' (lines {a.line} and {b.line})" for key, (a, b) in plan.conflicts)
    return ctx.diagnostic("SF003", file, at.start, f"{what} and they define {keys} differently; merge them by hand",
                          end=at.end, notes=tuple(notes))


def _merge_fix(ctx: Context, file: SourceFile, plan: MergePlan, title: str) -> Fix | None:
    """The SAFE fix writing ``plan`` (and dropping the imports only the removed
    declarations used), None where the file may not be edited."""
    if not ctx.can_edit(file.path):
        return None
    edits = [*plan.edits, *left_unused(file, plan.edits)]  # e.g. a namespace only a later one used
    return Fix(title, tuple(edits), Applicability.SAFE)


# --- one table's relations() under several names ------------------------------------------


def _table_groups(ctx: Context, file: SourceFile) -> list[list[RelationsDecl]]:
    """Each table ``file`` declares relations() for under two names or more: its
    declarations in file order (a name declared twice too). Names that also have a
    non-relations declaration are left to the name check."""
    def read() -> list[list[RelationsDecl]]:
        by_table: dict[str, list[RelationsDecl]] = {}
        for _name, group, others in _groups(ctx, file):
            for d in group:
                if not others and d.table_kind in _TABLE_KINDS:
                    by_table.setdefault(d.table, []).append(d)
        return [sorted(g, key=lambda d: d.start) for g in by_table.values() if len({d.name for d in g}) > 1]
    if file.has_error or len(relations_declarations(file, ctx.project)) < 2:
        return []  # most files: nothing to group, and no memo entry each (claims and check ask of every file)
    return ctx.project.memo(("sf003-table-groups", file.path), read)


def _check_table_group(ctx: Context, file: SourceFile, group: list[RelationsDecl]) -> Diagnostic:
    """One table's relations() under several names: reported at the first declaration
    of another name than the first's, with the merge as a safe fix when nothing blocks it
    (a conflicting key is shown as the name check shows it)."""
    first = group[0]
    at = next(d for d in group if d.name != first.name)
    names = list(dict.fromkeys(d.name for d in group))
    where = ", ".join(f"'{d.name}' (line {d.line})" for d in group)
    what = f"relations for '{first.table}' are declared under {len(names)} names ({where})"
    blocked = _table_merge_blocked(ctx, file, group)
    plan = _plan(ctx, file, group)
    if plan.conflicts and not _repeated(group):
        return _conflict(ctx, file, at, plan, what)
    message = (f"{what}; drizzle merges them at run time, but relational-query types then see none of their "
               f"relations: merge them into '{first.name}'")
    if blocked is not None:
        return ctx.diagnostic("SF003", file, at.start, message, end=at.end,
                              notes=(f"not merged automatically: {blocked}",))
    others = ", ".join(f"'{n}'" for n in names[1:])
    return ctx.diagnostic("SF003", file, at.start, message, end=at.end,
                          fix=_merge_fix(ctx, file, plan, f"Merge {others} into '{first.name}'"))


def _table_merge_blocked(ctx: Context, file: SourceFile, group: list[RelationsDecl]) -> str | None:
    """Why the later declarations of one table's ``group`` cannot be merged into the first
    by a safe fix, or None (once per snapshot: ``claims`` and ``check`` both ask)."""
    def find() -> str | None:
        first = group[0]
        repeated = _repeated(group)
        if repeated:  # the name's own merge comes first (its fix and this one would overlap)
            return f"'{repeated[0]}' is declared more than once itself; those declarations are merged first"
        plan = _plan(ctx, file, group)
        if plan.conflicts:
            return "a key is defined two ways"
        if plan.problem is not None:
            return plan.problem
        for d in group[1:]:
            why = _name_cannot_go(ctx.project, file, d, first)
            if why is not None:
                return why
        return None
    return ctx.project.memo(("sf003-table-blocked", file.path, tuple(d.start for d in group)), find)


def _repeated(group: list[RelationsDecl]) -> list[str]:
    """The names declared more than once in ``group``, sorted."""
    return sorted({d.name for d in group if sum(x.name == d.name for x in group) > 1})


def _name_cannot_go(project: Project, file: SourceFile, gone: RelationsDecl, kept: RelationsDecl) -> str | None:
    """Why the export name of ``gone`` cannot disappear into ``kept``'s declaration: what
    drizzle receives must not change (both exported, by the same modules) and nothing may
    be left naming it (a reference in its own file, a word in any other, a package's
    entry point exporting it)."""
    for d in (kept, gone):
        if not d.exported:
            return f"'{d.name}' is not exported: drizzle may not receive it together with the others"
    use = _reference(file, gone)
    if use is not None:
        return f"'{gone.name}' is used at line {use} of this file"
    have, lose = exporters(project, file.path, kept.name), exporters(project, file.path, gone.name)
    if have != lose:
        module = sorted(have ^ lose)[0]
        a, b = (kept.name, gone.name) if module in have else (gone.name, kept.name)
        return f"{module} exports '{a}' but not '{b}', so drizzle may receive one without the other"
    entries = sorted(lose & package_entries(project))
    if entries:
        return f"{entries[0]}, a package's entry point, exports '{gone.name}': code outside the project may import it"
    named = _named_elsewhere(project, file.path, gone.name)
    if named is not None:
        return f"{named[0]} names '{gone.name}' (line {named[1]})"
    return None


def _reference(file: SourceFile, decl: RelationsDecl) -> int | None:
    """The line of the first reference to ``decl``'s name in its own file outside it."""
    for n in walk(file.tree.root_node):
        if n.type in ("identifier", "shorthand_property_identifier") and not decl.start <= n.start_byte < decl.end \
                and node_text(n) == decl.name:
            return n.start_point.row + 1
    return None


def _named_elsewhere(project: Project, path: str, name: str) -> tuple[str, int] | None:
    """The first other file (and line) where ``name`` is written as a word: an import, a
    re-export, ``schema.name``, a destructuring, a dynamic import's use, or a comment.
    Words, not bindings: a file naming it for another reason blocks the fix too, which
    only reports then (asked only of a table's relations under two names in a file)."""
    word = re.compile(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])")
    needle = name.encode()
    for other in sorted(project.files):
        data = project.files[other].data
        if other != path and needle in data:
            found = word.search(data)
            if found is not None:
                return other, data.count(b"\n", 0, found.start()) + 1
    return None


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
