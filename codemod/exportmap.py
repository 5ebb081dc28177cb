"""The whole-project export map: what every module exports, and who defines each name.

Computed once per pass from every file's facts (LibCST's "full repo" shape), then
looked up by the rewriters. ``export *`` chains are followed cycle-safely and never
forward ``default``; two ``export *`` that bring one name from different origins
make it ambiguous, as in TypeScript (TS2308). ``export type * from`` brings the same
names, each a TYPE here (one name reached through both a value and a type-only star
from the same origin stays a VALUE).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Callable, Iterable, Mapping, NamedTuple

from .facts import IMPORT, REEXPORT, REQUIRE, TYPE, VALUE, FileFacts
from .resolve import EXTERNAL, OPAQUE, Resolver


class Binding(NamedTuple):
    """Where an exported name comes from. A named tuple: a map holds one per name a
    module exports (44,920 at 19,813 files), and a commit hook reads them all back
    from the kept map (``state``), as a frozen dataclass 0.035 s slower."""

    origin: str  # the module that defines it (a package name for `export { x } from 'pkg'`)
    name: str  # its name there
    kind: str  # VALUE or TYPE


def _as(binding: Binding, kind: str) -> Binding:
    """``binding`` of ``kind``: the same object when it is of that kind already. A barrel's
    names share their targets' bindings (the root barrel of a schema re-exports every
    name: 44,920 copies at 19,813 files, in memory and in the kept map)."""
    return binding if binding.kind == kind else Binding(binding.origin, binding.name, kind)


class ExportMap:
    def __init__(self, facts: Mapping[str, FileFacts], resolver: Resolver, opaque: frozenset[str] = frozenset()):
        self._facts = facts
        self._resolver = resolver
        self._opaque = opaque
        self._open: set[str] | None = None
        self._open_known: tuple[set[str], frozenset[str]] | None = None  # derived: (open outside scope, scope)
        self._reach: dict[str, frozenset[str]] = {}
        self._names: dict[str, dict[str, Binding]] = {}
        self._ambiguous: dict[str, dict[str, set[Binding]]] = {}
        self._deps: dict[str, tuple[str, ...]] = {}  # module -> its ``_targets``, filled as they are asked
        self._sites: dict[str, tuple[str | None, ...]] = {}  # module -> its ``site_targets``, likewise
        self._edges: dict[str, tuple[tuple[str, bool], ...]] = {}  # module -> its ``reexport_edges``, likewise
        # Modules solved on a cycle: swept until nothing changes, so their names' order is
        # the first sweep's (see ``_solve``), not necessarily what ``_compute`` gives.
        self._cyclic: set[str] = set()
        self._dependents: dict[str, tuple[str, ...]] | None = None  # the reverse of ``_deps`` (see ``dependents``)
        self.affected: frozenset[str] | None = None  # derived maps: the modules recomputed (see ``derive``)
        self._solve(self._facts)

    @classmethod
    def derive(cls, base: ExportMap, facts: Mapping[str, FileFacts], changed: Iterable[str]) -> ExportMap:
        """The map of ``facts``, which has the same modules as ``base``'s and differs from
        it only in the ``changed`` modules, under the same resolver and opaque files.

        Equal to ``ExportMap(facts, base's resolver, base's opaque)``, computed from
        ``base``: a module that neither changed nor reaches a changed one through
        imports, re-exports or requires (``affected``, the reverse closure) has the
        same names, ambiguous names, openness and re-export reach as in ``base``; only
        the affected modules are solved again, with the others fixed. The new map
        keeps no reference to ``base``."""
        new = cls.__new__(cls)
        new._facts = facts
        new._resolver = base._resolver
        new._opaque = base._opaque
        changed = frozenset(changed)
        new._deps, new._sites, new._edges = dict(base._deps), dict(base._sites), dict(base._edges)
        new._cyclic = set(base._cyclic)
        for module in changed:
            new._deps.pop(module, None)
            new._sites.pop(module, None)
            new._edges.pop(module, None)
        dependents = base.dependents()
        if changed:
            dependents = dict(dependents)
            gained: dict[str, set[str]] = defaultdict(set)
            lost: dict[str, set[str]] = defaultdict(set)
            for module in changed:
                before, after = set(base._targets(module)), set(new._targets(module))
                for target in before - after:
                    lost[target].add(module)
                for target in after - before:
                    gained[target].add(module)
            for target in lost.keys() | gained.keys():
                dependents[target] = tuple((set(dependents.get(target, ())) - lost[target]) | gained[target])
        new._dependents = dependents
        affected = new.affected = new.reverse_closure(changed)
        new._names = dict(base._names)
        new._ambiguous = dict(base._ambiguous)
        for module in affected:
            new._names.pop(module, None)
            new._ambiguous.pop(module, None)
            new._cyclic.discard(module)
        new._reach = {m: r for m, r in base._reach.items() if m not in affected} if affected else dict(base._reach)
        new._open = None
        new._open_known = None
        if base._open is not None:
            new._open_known = ((base._open - affected) if affected else set(base._open), affected)
        elif base._open_known is not None:  # base never needed it: solve it from base's seed
            known, scope = base._open_known
            new._open_known = (known - affected, scope | affected)
        if affected:
            new._solve(affected, base if base._open is not None else None, changed)
        return new

    def state(self) -> tuple:
        """What ``restore`` rebuilds this map from, in a later run: each module's targets
        (and each site's), names, ambiguous names, dependents, openness and the modules on
        a cycle (Bindings and builtins)."""
        self.dependents()
        for module in self._facts:
            self._targets(module)
            self.reexport_edges(module)
        if self._facts:
            self.is_open(next(iter(self._facts)))  # so that a map derived from it can take modules as they were
        ambiguous = {m: names for m, names in self._ambiguous.items() if names}  # read as ``.get(m, {})``:
        # the empty ones (most modules) are left out, 19,813 dicts that took 40 ms to read
        return (self._deps, self._sites, self._edges, self._names, ambiguous, self._dependents, self._open,
                self._cyclic)

    @classmethod
    def restore(cls, state: tuple, facts: Mapping[str, FileFacts], resolver: Resolver, opaque: frozenset[str],
                changed: Iterable[str]) -> ExportMap:
        """The map of ``facts``, from the ``state`` of a map of the same modules built
        with a resolver that answers as ``resolver`` does, from facts that differ from
        ``facts`` only in the ``changed`` modules: ``derive`` from it."""
        base = cls.__new__(cls)
        base._facts = {}  # never read: ``_deps`` holds every module's targets
        base._resolver, base._opaque = resolver, opaque
        (base._deps, base._sites, base._edges, base._names, base._ambiguous, base._dependents, base._open,
         base._cyclic) = state
        base._open_known, base._reach, base.affected = None, {}, None
        if base._deps.keys() != facts.keys():
            raise ValueError("the kept export map is of other modules")
        modules = base._deps.keys()
        if not (isinstance(base._edges, dict) and all(  # read as rules ask, after derive: checked here
                type(edges) is tuple and all(type(e) is tuple and len(e) == 2 and type(e[0]) is str
                                             and e[0] in modules and type(e[1]) is bool for e in edges)
                for edges in base._edges.values())):
            raise ValueError("the kept re-export edges are of another shape")
        return cls.derive(base, facts, changed)

    def hold_facts(self) -> None:
        """Hold the facts themselves rather than the mapping given (a snapshot's view of
        its files): a map kept past its snapshot (``FactsCache.keep_exports`` writes it at
        the end of the run) must not keep that snapshot's files and their memos alive."""
        self._facts = dict(self._facts.items())

    def dependents(self) -> dict[str, tuple[str, ...]]:
        """module -> the modules whose imports, re-exports or requires lead to it (the
        reverse of ``_targets``, in no order); built once, then carried by ``derive``.
        Tuples: the kept map's 19,812 were read back in 0.007 s, as frozensets in 0.021."""
        if self._dependents is None:
            reverse: dict[str, set[str]] = defaultdict(set)
            for module in self._facts:
                for target in self._targets(module):
                    reverse[target].add(module)
            self._dependents = {t: tuple(ms) for t, ms in reverse.items()}
        return self._dependents

    def reverse_closure(self, modules: Iterable[str]) -> frozenset[str]:
        """``modules`` and every module that imports, re-exports or requires one of
        them, transitively."""
        dependents = self.dependents()
        return frozenset(closure(modules, lambda m: dependents.get(m, ())))

    @cached_property
    def _by_name(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        definers: dict[str, set[str]] = defaultdict(set)
        reexporters: dict[str, set[str]] = defaultdict(set)
        for path in sorted(self._facts):
            for name, binding in self.names(path).items():
                (definers if binding.origin == path else reexporters)[name].add(path)
        return definers, reexporters

    @property
    def definers(self) -> dict[str, set[str]]:
        """name -> the modules that define it (computed on first use)."""
        return self._by_name[0]

    @property
    def reexporters(self) -> dict[str, set[str]]:
        """name -> the modules that export it from elsewhere (computed on first use)."""
        return self._by_name[1]

    def _solve(self, modules, base: ExportMap | None = None, edited: frozenset[str] = frozenset()) -> None:
        """Compute the names of ``modules`` (every module, or a derived map's affected
        ones, whose dependencies outside ``modules`` are settled) to a fixpoint.

        One strongly connected component of the import graph at a time, dependencies
        first, so each starts from settled dependencies: a module on no cycle is computed
        once; the members of a cycle start empty and are swept (in their own dependency
        order) until nothing changes, so every member ends up complete, not only the one
        visited first. What a component gets depends only on its own files and what its
        dependencies export, never on the rest of the project or the order it was visited
        in: a map derived from a previous one (``derive``) equals one built from scratch,
        even on a cycle that has more than one fixpoint.

        With ``base`` (``derive``, when the base map knows which modules are open), a
        module outside ``edited``, on no cycle here nor in ``base``, whose targets all
        export what they did in ``base``, with the same ambiguous names and openness,
        exports what it did there too (its file and its targets' answers are all
        ``_compute`` reads): it is taken from ``base``, not computed (an edit that changes
        no module's exports solves the edited module alone, not every barrel above it).
        A module that was on a cycle in ``base`` has its names in the order of the sweeps
        there, which a module no longer on one does not keep.
        """
        differs: set[str] = set()  # solved modules that answer otherwise than in ``base``
        for component in self._components(modules):
            if len(component) == 1 and component[0] not in self._targets(component[0]):
                module = component[0]
                if (base is not None and module not in edited and module not in base._cyclic
                        and not any(t in differs for t in self._targets(module))):
                    self._names[module] = base._names.get(module, {})
                    self._ambiguous[module] = base._ambiguous.get(module, {})
                    continue
                self._names[module], self._ambiguous[module] = self._compute(module)
                if base is not None and self._differs(base, module):
                    differs.add(module)
                continue
            order = self._dependency_order(set(component))
            self._cyclic.update(order)
            for m in order:
                self._names[m] = {}
                self._ambiguous.pop(m, None)
            for _ in range(len(order) + 2):
                changed = False
                for module in order:
                    result, ambiguous = self._compute(module)
                    if result != self._names[module] or ambiguous != self._ambiguous.get(module, {}):
                        self._names[module] = result
                        self._ambiguous[module] = ambiguous
                        changed = True
                if not changed:
                    break
            if base is not None:
                differs.update(m for m in component if self._differs(base, m))

    def _differs(self, base: ExportMap, module: str) -> bool:
        """Does ``module`` answer otherwise than in ``base`` (names, in order, ambiguous
        names or openness)?"""
        return (list(self.names(module).items()) != list(base.names(module).items())
                or self.ambiguous(module) != base.ambiguous(module)
                or self.is_open(module) != (module in base._open))

    def _components(self, modules) -> list[list[str]]:
        """The strongly connected components of the graph of ``_targets`` among
        ``modules``, dependencies first."""
        return strongly_connected(modules, self._targets)

    def _dependency_order(self, modules: Iterable[str]) -> list[str]:
        """``modules`` in post-order of their targets among them (iterative DFS)."""
        order: list[str] = []
        seen: set[str] = set()
        for start in sorted(modules):
            if start in seen:
                continue
            seen.add(start)
            stack = [(start, iter(self._targets(start)))]
            while stack:
                module, deps = stack[-1]
                nxt = next((d for d in deps if d not in seen and d in modules), None)
                if nxt is None:
                    order.append(module)
                    stack.pop()
                else:
                    seen.add(nxt)
                    stack.append((nxt, iter(self._targets(nxt))))
        return order

    def _targets(self, module: str) -> tuple[str, ...]:
        """The project modules ``module`` imports, re-exports or requires (memoised)."""
        found = self._deps.get(module)
        if found is None:
            found = self._deps[module] = tuple(
                target for site, target in zip(self._facts[module].imports, self.site_targets(module))
                if target is not None and site.kind in (IMPORT, REEXPORT, REQUIRE))
        return found

    def site_targets(self, module: str) -> tuple[str | None, ...]:
        """For each import site of ``module`` (``FileFacts.imports``, in order, dynamic
        imports included): the project module it resolves to, or None (a package, a
        missing or unread file). Memoised, and kept between runs with the map
        (``state``), so that a walk of the import graph resolves nothing again."""
        found = self._sites.get(module)
        if found is None:
            resolve, facts = self._resolver.resolve, self._facts
            found = self._sites[module] = tuple(
                target.path if (target := resolve(module, site.specifier)).ok and target.path in facts else None
                for site in facts[module].imports)
        return found

    def reexport_edges(self, module: str) -> tuple[tuple[str, bool], ...]:
        """The project modules ``module`` re-exports from directly, one (target, is it
        ``export *``) per re-export line that resolves to one, in file order. Memoised
        and kept between runs with the map, so that a walk of the barrels reads no
        file's facts."""
        found = self._edges.get(module)
        if found is None:
            found = self._edges[module] = tuple(
                (target, site.star) for site, target in zip(self._facts[module].imports, self.site_targets(module))
                if site.kind == REEXPORT and target is not None)
        return found

    def reexports_from(self, module: str) -> frozenset[str]:
        """Every project module ``module`` re-exports from (`export * from`, `export { … }
        from`), directly or through modules that re-export in turn. An importer in this
        set must not import ``module``: that would be an import cycle through a barrel."""
        found = self._reach.get(module)
        if found is None:
            seen: set[str] = set()
            stack = [module]
            while stack:
                current = stack.pop()
                if current not in self._facts:
                    continue
                for target, _ in self.reexport_edges(current):
                    if target not in seen:
                        seen.add(target)
                        stack.append(target)
            found = self._reach[module] = frozenset(seen)
        return found

    def reaches(self, module: str, importer: str) -> bool:
        """Does ``module`` re-export ``importer`` (itself included)?"""
        return module == importer or importer in self.reexports_from(module)

    def names(self, module: str) -> dict[str, Binding]:
        """Every name ``module`` exports, with its origin (empty for unknown modules)."""
        return self._names.get(module, {})

    def ambiguous(self, module: str) -> dict[str, set[Binding]]:
        """Names that two ``export *`` in ``module`` bring from different origins."""
        return self._ambiguous.get(module, {})

    def exports(self, module: str, name: str) -> bool:
        """Does ``module`` export ``name``? Always true for an open module (see ``open``)."""
        return name in self.names(module) or name in self.ambiguous(module) or self.is_open(module)

    def is_open(self, module: str) -> bool:
        """A module whose export set we cannot know: a file that exists but was not read
        (opaque), one with a statement that does not parse (it may swallow the
        declarations after it: a name missing from what was read may be exported all the
        same; SF000 notes the statement), one that `export *`s a package (`export * from
        "drizzle-orm"`: any name the package has), or one that `export *`s an open module.
        Any name may come from it, so an import of it is never called broken, and a named
        re-export of it is trusted."""
        if self._open is None:
            if self._open_known is not None:  # derived: only the affected modules may have changed
                known, scope = self._open_known
                self._open, self._open_known = set(known), None
            else:
                self._open, scope = set(self._opaque), self._facts
            facts = self._facts
            self._open.update(path for path in scope if path in facts and facts[path].has_error)
            grew = True
            while grew:
                grew = False
                for path in scope:
                    if path in self._open:
                        continue
                    for site, target in zip(self._facts[path].imports, self.site_targets(path)):
                        if not site.star:
                            continue
                        if target is not None:  # a project module (kept with the map: not resolved again)
                            if target in self._open:
                                self._open.add(path)
                                grew = True
                                break
                            continue
                        res = self._resolver.resolve(path, site.specifier)
                        if res.status in (OPAQUE, EXTERNAL) or res.path in self._open:
                            self._open.add(path)
                            grew = True
                            break
        return module in self._open

    def _compute(self, module: str) -> tuple[dict[str, Binding], dict[str, set[Binding]]]:
        facts = self._facts[module]
        bound = {e.local: (site, e) for site in facts.imports if site.kind in (IMPORT, REQUIRE)
                 for e in site.entries if e.local}
        result: dict[str, Binding] = {}
        for ex in facts.exports:
            via = bound.get(ex.local or ex.name) if ex.name not in ("default", "=") else None
            if via is not None and ex.local is not None:  # `import { a } ...; export { a }`
                site, entry = via
                target = self._resolver.resolve(module, site.specifier)
                origin = self.names(target.path).get(entry.imported) if target.ok else None
                result[ex.name] = origin or Binding(module, ex.name, TYPE if entry.type_only else ex.kind)
            else:
                result[ex.name] = Binding(module, ex.name, ex.kind)
        explicit = set(result)
        star: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)  # name -> (origin, name) -> kind
        passed: dict[tuple[str, str], Binding] = {}  # (origin, name) -> a target's binding of it, shared when equal
        for site in facts.imports:
            if site.kind != REEXPORT:
                continue
            target = self._resolver.resolve(module, site.specifier)
            if site.star:  # `export * from` / `export type * from` (its names are types here)
                if target.ok:
                    for name, binding in self.names(target.path).items():
                        if name != "default" and name not in explicit:
                            kinds = star[name]
                            kind = TYPE if site.type_only else binding.kind
                            key = (binding.origin, binding.name)
                            kinds[key] = VALUE if VALUE in (kind, kinds.get(key)) else TYPE
                            passed.setdefault(key, binding)
                continue
            for entry in site.entries:
                if entry.imported == "*":  # export * as ns from
                    result[entry.local] = Binding(module, entry.local, TYPE if site.type_only else VALUE)
                    continue
                origin = self.names(target.path).get(entry.imported) if target.ok else None
                if origin is None and target.status == EXTERNAL:  # `export { x } from 'pkg'`
                    origin = Binding(site.specifier, entry.imported, TYPE if site.type_only else VALUE)
                elif origin is None and (target.status == OPAQUE or (target.ok and self.is_open(target.path))):
                    # an unread module, or one that may export any name: trust the line
                    origin = Binding(target.path, entry.imported, TYPE if site.type_only else VALUE)
                if origin is not None:
                    kind = TYPE if entry.type_only else origin.kind
                    result[entry.local] = _as(origin, kind)
                explicit.add(entry.local)
        ambiguous: dict[str, set[Binding]] = {}
        for name, kinds in star.items():
            if name in explicit:
                continue
            bindings = {_as(passed[key], kind) for key, kind in kinds.items()}
            if len(bindings) == 1:
                result[name] = next(iter(bindings))
            else:
                ambiguous[name] = bindings
        return result, ambiguous

    def as_json(self) -> dict:
        """A stable, JSON-ready view (``schemafix exports``)."""
        modules = {}
        for path in sorted(self._facts):
            names = self.names(path)
            modules[path] = {
                name: {"kind": b.kind, "origin": b.origin, **({"as": b.name} if b.name != name else {})}
                for name, b in sorted(names.items())
            }
            amb = self.ambiguous(path)
            if amb:
                modules[path]["__ambiguous__"] = {
                    name: sorted(b.origin for b in bs) for name, bs in sorted(amb.items())
                }
        return {
            "modules": modules,
            "definers": {n: sorted(ps) for n, ps in sorted(self.definers.items())},
            "reexporters": {n: sorted(ps) for n, ps in sorted(self.reexporters.items())},
        }


def strongly_connected(nodes, targets: Callable[[str], Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of the graph ``node -> targets(node)`` restricted
    to ``nodes`` (a set), dependencies first (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for start in sorted(nodes):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(targets(start)))]
        while work:
            module, deps = work[-1]
            for dep in deps:
                if dep not in nodes:
                    continue
                if dep not in index:
                    index[dep] = low[dep] = len(index)
                    stack.append(dep)
                    on_stack.add(dep)
                    work.append((dep, iter(targets(dep))))
                    break
                if dep in on_stack and index[dep] < low[module]:
                    low[module] = index[dep]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[module] < low[parent]:
                        low[parent] = low[module]
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    out.append(component)
    return out


def closure(starts: Iterable[str], targets: Callable[[str], Iterable[str]]) -> set[str]:
    """``starts`` and every node reached from them through ``targets``."""
    seen = set(starts)
    stack = list(seen)
    while stack:
        for target in targets(stack.pop()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen
