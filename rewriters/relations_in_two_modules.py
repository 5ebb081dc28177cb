"""SF006: relations for one table (or one relations export name) defined in two modules."""

from __future__ import annotations

from typing import Iterable

from codemod.model import Diagnostic
from codemod.project import Project
from codemod.rules import Context, rule

from ._drizzle import relations_declarations
from ._relation_graph import reported_files_declare_relations
from ._relations_rows import relations_rows


@rule("SF006", "relations-in-two-modules", "Relations for one table, or one relations export, in two modules",
      fix=None)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds ``relations()`` for the same table, or relations exports with the same name,
    defined in more than one module. Report only.

    Drizzle merges the relations of one table at runtime, but a barrel that does
    ``export *`` from both modules gets an ambiguous name (TypeScript drops it, TS2308)
    and relational-query types see neither (drizzle-orm 0.45: ``with: { posts: true }``
    is a type error, TS2339 on the result). Moving code between files is left
    to whoever decides what the barrel exports. One export name in two modules counts
    only when some module re-exports both (directly or through barrels): modules that
    are alternatives (one schema per SQL dialect, picked at run time) may share names.
    """
    project = ctx.project
    if not reported_files_declare_relations(ctx):
        return  # each diagnostic lands on a declaration in a file reported on: there is none
    by_table: dict[tuple[str, str], list[_Place]] = {}
    by_name: dict[str, list[_Place]] = {}
    rows = relations_rows(project)
    targets = {f.path for f in ctx.files()}
    # only the groups of a target's declarations can be reported (``_each``)
    tables = {(row[0], row[1]) for path in targets for row in rows.get(path, ())}
    names = {row[3] for path in targets for row in rows.get(path, ()) if row[2]}
    for path in sorted(p for p, found in rows.items() if found):
        for i, (origin, table, exported, name, line) in enumerate(rows[path]):
            if (origin, table) in tables:
                by_table.setdefault((origin, table), []).append((path, i, line, name))
            if exported and name in names:
                by_name.setdefault(name, []).append((path, i, line, name))
    for (_origin, table), found in _shared(by_table):
        yield from _each(ctx, found, targets, lambda p: f"{p[2]} ({p[3]})", lambda places: (
            f"relations for table '{table}' are also defined in {places}; drizzle merges them at runtime, but "
            "relational-query types then see neither declaration's relations: keep one table's relations in "
            "one module"))
    for name, found in _shared(by_name):
        # alternatives never exported together (one module per SQL dialect, picked at run
        # time) share names harmlessly: only modules some barrel reaches together count
        together = _exported_together(project, {p[0] for p in found})
        yield from _each(ctx, [p for p in found if p[0] in together], targets, lambda p: f"{p[2]}", lambda places: (
            f"relations export '{name}' is also defined in {places}; a barrel that does `export *` from both "
            "modules makes the name ambiguous and drops it (TS2308)"))


def _exported_together(project: Project, modules: set[str]) -> set[str]:
    """Those of ``modules`` that one module (a barrel, or one of them) re-exports, directly
    or through other barrels, together with another of them."""
    exports = project.exports
    above = project.memo(("sf006-reexported-by",), lambda: _reexported_by(project))
    together: set[str] = set()
    for module in modules:
        seen, stack = {module}, [module]
        while stack:
            current = stack.pop()
            reached = (exports.reexports_from(current) | {current}) & modules
            if len(reached) > 1:
                together |= reached
            for parent in above.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
    return together


def _reexported_by(project: Project) -> dict[str, list[str]]:
    """module -> the modules re-exporting from it directly, once per snapshot (asked only
    when a relations export name is declared in two modules)."""
    above: dict[str, list[str]] = {}
    for module in project.files:
        for target, _star in project.exports.reexport_edges(module):
            above.setdefault(target, []).append(module)
    return above


def _shared(groups: dict) -> list:
    """The groups of two places or more (only they can span two modules), by key: most
    tables have one relations() (21,725 groups at 19,813 files in a whole run, each
    checked and sorted on every run before)."""
    return sorted((key, found) for key, found in groups.items() if len(found) > 1)


_Place = tuple[str, int, int, str]  # (path, index among the file's declarations, line, declared name)
def _each(ctx: Context, found: list[_Place], targets: set[str], where, message):
    """One diagnostic per declaration of ``found`` in a target file, when ``found`` spans
    two modules or more, naming the declarations in the other modules."""
    if len({p[0] for p in found}) < 2:
        return
    for place in found:
        path, i = place[0], place[1]
        if path in targets:
            file = ctx.project.files[path]
            decls = relations_declarations(file, ctx.project)
            decl = decls[i] if i < len(decls) else None  # the row's declaration
            if decl is None or (decl.line, decl.name) != (place[2], place[3]):
                continue  # a kept row that is not this file's (a tampered cache): nothing to point at
            places = ", ".join(f"{p[0]}:{where(p)}" for p in found if p[0] != path)
            yield ctx.diagnostic("SF006", file, decl.start, message(places), end=decl.end)
