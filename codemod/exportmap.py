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
from dataclasses import dataclass
from typing import Mapping

from .facts import IMPORT, REEXPORT, REQUIRE, TYPE, VALUE, FileFacts
from .resolve import EXTERNAL, OPAQUE, Resolver


@dataclass(frozen=True)
class Binding:
    """Where an exported name comes from."""

    origin: str  # the module that defines it (a package name for `export { x } from 'pkg'`)
    name: str  # its name there
    kind: str  # VALUE or TYPE


class ExportMap:
    def __init__(self, facts: Mapping[str, FileFacts], resolver: Resolver, opaque: frozenset[str] = frozenset()):
        self._facts = facts
        self._resolver = resolver
        self._opaque = opaque
        self._open: set[str] | None = None
        self._reach: dict[str, frozenset[str]] = {}
        self._names: dict[str, dict[str, Binding]] = {}
        self._ambiguous: dict[str, dict[str, set[Binding]]] = {}
        self._solve()
        self.definers: dict[str, set[str]] = defaultdict(set)
        self.reexporters: dict[str, set[str]] = defaultdict(set)
        for path in sorted(facts):
            for name, binding in self.names(path).items():
                (self.definers if binding.origin == path else self.reexporters)[name].add(path)

    def _solve(self) -> None:
        """Compute every module's names to a fixpoint.

        Modules are visited dependencies first, so an acyclic project settles in one
        sweep (plus one to confirm); modules on an ``export *`` cycle start from what
        the others export so far and are swept again until nothing changes, so every
        member of a cycle ends up complete, not only the one visited first.
        """
        order = self._dependency_order()
        self._names = {m: {} for m in order}
        for _ in range(len(order) + 2):
            changed = False
            for module in order:
                result, ambiguous = self._compute(module)
                if result != self._names[module] or ambiguous != self._ambiguous.get(module, {}):
                    self._names[module] = result
                    self._ambiguous[module] = ambiguous
                    changed = True
            if not changed:
                return

    def _dependency_order(self) -> list[str]:
        """Modules in post-order of their re-export targets (iterative DFS)."""
        order: list[str] = []
        seen: set[str] = set()
        for start in sorted(self._facts):
            if start in seen:
                continue
            seen.add(start)
            stack = [(start, iter(self._targets(start)))]
            while stack:
                module, deps = stack[-1]
                nxt = next((d for d in deps if d not in seen), None)
                if nxt is None:
                    order.append(module)
                    stack.pop()
                else:
                    seen.add(nxt)
                    stack.append((nxt, iter(self._targets(nxt))))
        return order

    def _targets(self, module: str) -> list[str]:
        out = []
        for site in self._facts[module].imports:
            if site.kind in (IMPORT, REEXPORT, REQUIRE):
                target = self._resolver.resolve(module, site.specifier)
                if target.ok and target.path in self._facts:
                    out.append(target.path)
        return out

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
                for site in self._facts[current].imports if current in self._facts else ():
                    if site.kind != REEXPORT:
                        continue
                    target = self._resolver.resolve(current, site.specifier)
                    if target.ok and target.path not in seen:
                        seen.add(target.path)
                        stack.append(target.path)
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
        (opaque), one that `export *`s a package (`export * from "drizzle-orm"`: any name
        the package has), or one that `export *`s an open module. Any name may come from
        it, so an import of it is never called broken."""
        if self._open is None:
            self._open = set(self._opaque)
            grew = True
            while grew:
                grew = False
                for path, facts in self._facts.items():
                    if path in self._open:
                        continue
                    for site in facts.imports:
                        res = self._resolver.resolve(path, site.specifier)
                        if site.star and (res.status in (OPAQUE, EXTERNAL) or res.path in self._open):
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
                    result[entry.local] = Binding(origin.origin, origin.name, kind)
                explicit.add(entry.local)
        ambiguous: dict[str, set[Binding]] = {}
        for name, kinds in star.items():
            if name in explicit:
                continue
            bindings = {Binding(origin, as_name, kind) for (origin, as_name), kind in kinds.items()}
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
