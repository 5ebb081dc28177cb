"""Adding a module to a barrel, checked: the line is written in the barrel's style
(``_barrel_lines``) and kept only if, with it, no name the barrel exports is exported
twice (TS2308) or comes from somewhere else than before.

Used by SF005 (the schema barrel misses relations or table modules) and by SF001 when
an import from a folder fails because the folder's ``index.ts`` no longer reaches the
module that defines the name: the barrel the importer chose is completed, instead of
the importer being repointed past it.
"""

from __future__ import annotations

import posixpath

from codemod.exportmap import closure, strongly_connected
from codemod.facts import IMPORT, REEXPORT, REQUIRE
from codemod.model import Fix
from codemod.project import Project
from codemod.rules import Context

from . import _barrels
from ._barrel_lines import Addition, reexport_fix
from ._drizzle import relations_declarations


def adds_no_collision(before: Project, after: Project, barrels: list[str]) -> bool:
    """No barrel gained an ambiguous name, and every name it exported still comes from
    the same declaration."""
    for barrel in dict.fromkeys(barrels):
        if not set(after.exports.ambiguous(barrel)) <= set(before.exports.ambiguous(barrel)):
            return False
        new = after.exports.names(barrel)
        for name, b in before.exports.names(barrel).items():
            if name not in new or (new[name].origin, new[name].name) != (b.origin, b.name):
                return False
    return True


def unreached_definer(ctx: Context, barrel: str, name: str) -> str | None:
    """The one module under ``barrel``'s folder that defines ``name`` and that the barrel
    does not reach, when ``barrel`` is a folder index; else None."""
    if not _barrels.is_barrel_name(barrel):
        return None
    folder = posixpath.dirname(barrel)
    reached = ctx.project.exports.reexports_from(barrel)
    definers = [p for p in ctx.project.exports.definers.get(name, ())
                if p != barrel and _barrels.under(p, folder) and not _barrels.skipped(p, folder)]
    if len(definers) != 1 or definers[0] in reached:
        return None
    return definers[0]


def reexport_module(ctx: Context, barrel: str, module: str) -> Fix | None:
    """A checked fix adding ``export * from '<module>'`` to ``barrel``; None when the line
    would make a name ambiguous or rebind one, or the barrel cannot be edited."""
    return reexport_modules(ctx, barrel, [module], preview_all=True)[module]


def reexport_modules(ctx: Context, barrel: str, modules: list[str], *,
                     preview_all: bool = False) -> dict[str, Fix | None]:
    """``reexport_module`` for each of ``modules``, all going to ``barrel``."""
    fixes: dict[str, Fix] = {}
    ok = addable_modules(ctx, barrel, modules, preview_all=preview_all, fixes=fixes)
    return {m: (fixes.get(m) or reexport_line(ctx, barrel, m)) if m in ok else None for m in modules}


def reexport_line(ctx: Context, barrel: str, module: str) -> Fix | None:
    """The fix adding ``export * from '<module>'`` to ``barrel``, unchecked."""
    project = ctx.project
    brought = {n: b for n, b in project.exports.names(module).items() if n != "default"}
    return reexport_fix(ctx, barrel, [Addition(module, barrel, line_kind(project, module), brought)])


def line_kind(project: Project, module: str) -> str:
    """The heading a new re-export line of ``module`` goes under: "relations" for a module
    of relations() declarations and no table, else "tables" (a module keeping its tables'
    relations beside them is a table module)."""
    file = project.files.get(module)
    if file is None or _barrels.defines_tables(project, file) or not relations_declarations(file, project):
        return "tables"
    return "relations"


def addable_modules(ctx: Context, barrel: str, modules: list[str], *, preview_all: bool = False,
                    fixes: dict[str, Fix] | None = None) -> list[str]:
    """Those of ``modules`` for which ``reexport_module(ctx, barrel, m)`` is a fix (each
    checked alone, against the project as it is), in order; the fixes it had to build go
    into ``fixes``. The same answers, but the barrels above are found once, and a module
    that ``_Shortcut`` shows safe is neither previewed nor has its line written (a preview
    builds a whole new snapshot and export map, and writing a line reads the barrel's
    style: one of each per module made SF011 quadratic in the number of orphans)."""
    if not ctx.can_edit(barrel):
        return []
    project = ctx.project
    # every barrel that re-exports this one (the schema barrel above a domain barrel) must
    # stay free of new collisions too
    above = [p for p in project.files if p != barrel and _barrels.is_barrel_name(p)
             and barrel in project.exports.reexports_from(p)]
    shortcut = None if preview_all else _Shortcut(project, barrel)
    out = []
    for module in modules:
        if shortcut is not None and shortcut.cannot_collide(module):
            out.append(module)  # reexport_fix gives a fix for any module once the barrel is editable
            continue
        fix = reexport_line(ctx, barrel, module)
        after = ctx.preview([fix]) if fix is not None else None
        if after is not None and adds_no_collision(project, after, [barrel, *above]):
            out.append(module)
            if fixes is not None:
                fixes[module] = fix
    return out


class _Shortcut:
    """When adding ``export * from m`` to ``barrel`` provably changes no exported name's
    binding anywhere and makes none ambiguous, so that the preview's check would pass.

    The export map computes each name on its own (``_compute`` takes a name's bindings
    from the same name, or the name an entry imports, in the modules a module depends
    on), so when

    1. no module the added line can affect (``barrel`` and every module that imports or
       re-exports it, directly or not) nor any module those depend on for their names
       is on a cycle of ``_name_graph`` (a cycle's fixpoint may depend on the sweep
       order, which the new line changes), and the module's own names depend neither on
       ``barrel`` nor on such a cycle (they stay what they are; the new line closes no
       cycle);
    2. the module is not open (the barrel does not become open: an open module makes a
       named re-export of any name bind);
    3. every name the module brings is exported, wherever it is exported in the project,
       with the module's own binding (origin and name), and is ambiguous nowhere;
    4. no module the added line can affect imports or re-exports one of those names by
       name (``export { n as m }`` would carry the binding to another name);

    then after the line every binding any module has for a brought name is the module's
    own (the explicit bindings are unchanged, star ones come from them), so no name
    becomes ambiguous, a name exported before keeps its binding, and the other names are
    computed from unchanged inputs. Anything else is left to the preview.
    """

    def __init__(self, project: Project, barrel: str):
        self.project = project
        self.barrel = barrel
        graph = _name_graph(project)
        self.cyclic = _cyclic(project, graph)
        affected = project.exports.reverse_closure({barrel})
        self.ok = not (self.cyclic & closure(affected, lambda m: graph.get(m, ())))
        self.named = {e.imported for p in affected for site in project.files[p].facts.imports
                      if not site.star for e in site.entries}
        self.bindings = _bindings_by_name(project)
        self.clean: dict[str, bool] = {}

    def cannot_collide(self, module: str) -> bool:
        brought = {n: b for n, b in self.project.exports.names(module).items() if n != "default"}
        if not self.ok or module == self.barrel or self.project.exports.is_open(module):
            return False
        if any(n in self.named for n in brought):
            return False
        for name, b in brought.items():
            if self.bindings.get(name, {(b.origin, b.name)}) != {(b.origin, b.name)}:
                return False
        return self._clean(module)

    def _clean(self, module: str) -> bool:
        """Neither ``barrel`` nor a cyclic module is among the modules ``module``'s names
        depend on (memoised: the modules of one barrel share most of them)."""
        graph = _name_graph(self.project)
        stack = [module]
        while stack:
            current = stack[-1]
            if current in self.clean:
                stack.pop()
                continue
            if current == self.barrel or current in self.cyclic:
                self.clean[current] = False
                stack.pop()
                continue
            pending = [t for t in graph.get(current, ()) if t not in self.clean]
            if pending:
                stack.extend(pending)
                continue
            self.clean[current] = all(self.clean[t] for t in graph.get(current, ()))
            stack.pop()
        return self.clean[module]


def _name_graph(project: Project) -> dict[str, list[str]]:
    """Module -> the modules its exported names are computed from: those it re-exports
    from, and those it imports a name from that it exports (``import { a }; export { a }``).
    Once per snapshot."""
    def compute():
        graph: dict[str, list[str]] = {}
        for path, file in project.files.items():
            facts = file.facts
            exported = {x for e in facts.exports for x in (e.name, e.local) if x}
            out = []
            for site in facts.imports:
                if site.kind == REEXPORT or (site.kind in (IMPORT, REQUIRE)
                                             and any(e.local in exported for e in site.entries)):
                    target = project.resolver.resolve(path, site.specifier)
                    if target.ok and target.path in project.files:
                        out.append(target.path)
            if out:
                graph[path] = out
        return graph
    return project.memo(("barrel-additions-name-graph",), compute)


def _cyclic(project: Project, graph: dict[str, list[str]]) -> frozenset[str]:
    """The modules on a cycle of ``graph``. Once per snapshot."""
    def compute():
        nodes = set(project.files)
        return frozenset(m for c in strongly_connected(nodes, lambda m: graph.get(m, ()))
                         if len(c) > 1 or c[0] in graph.get(c[0], ()) for m in c)
    return project.memo(("barrel-additions-cyclic",), compute)


def _bindings_by_name(project: Project) -> dict[str, set[tuple[str, str]]]:
    """Name -> every (origin, name) some module exports it with; a name ambiguous
    somewhere gets a marker no binding equals. Once per snapshot."""
    def compute():
        out: dict[str, set[tuple[str, str]]] = {}
        exports = project.exports
        for path in project.files:
            for name, b in exports.names(path).items():
                out.setdefault(name, set()).add((b.origin, b.name))
            for name in exports.ambiguous(path):
                out.setdefault(name, set()).add(("", "<ambiguous>"))
        return out
    return project.memo(("barrel-additions-bindings",), compute)
