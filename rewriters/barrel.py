"""SF005: the schema barrel re-exports every relations module, without export collisions."""

from __future__ import annotations

import weakref
from dataclasses import replace
from typing import Iterator

from codemod.exportmap import Binding
from codemod.facts import REEXPORT, VALUE, ImportSite
from codemod.model import Applicability, Diagnostic, Edit, Fix, Severity
from codemod.project import Project
from codemod.resolve import FOLDER, MISSING, Resolution, is_relative
from codemod.rules import Claim, Context, Option, rule
from codemod.style import extension_of, removal_span
from codemod.wording import plural

from . import _barrels
from ._barrel_additions import adds_no_collision, line_kind
from ._barrel_lines import Addition, reexport_fix
from ._barrel_merge import merge_awaited, merge_fix
from ._barrel_moves import MovePlan, plan_moves
from ._barrels import BARREL
from ._relations_rows import relations_rows
from ._schema_coverage import outside_schema
from ._drizzle import RelationsDecl, relations_declarations
from ._import_editor import IMPORT_EXTENSION
from ._tables import tables

CODE = "SF005"


def claims(ctx: Context) -> Iterator[Claim]:
    """What this rule answers for: the re-export lines of the barrels it completes whose
    target is gone (it repoints or reports them, checking that repointing adds no export
    collision), and every module under a schema barrel's folder that the barrel does not
    reach (it adds or lists them; claimed as the module's first byte)."""
    project = ctx.project
    roots = _barrels.find_roots(project, ctx.option("barrel"))
    owner = {barrel: _Barrel.of(project, root) for root in roots for barrel in _Barrel.of(project, root).barrels}
    for barrel in sorted(owner):
        for site, _ in owner[barrel].stale_sites(barrel):
            if site.star:
                yield Claim(barrel, site.start)  # named lines are repointed name by name, like any import
    for root in roots:
        b = _Barrel.of(project, root)
        for path in b.pool(root):
            if path not in b.reached and not _barrels.is_barrel_name(path):
                yield Claim(path, what="module")


def fixes(ctx: Context, claim: Claim) -> bool:
    """Do this pass's fixes settle ``claim``? A stale line: yes (repointed or reported).
    A module: when SF005 answers this pass for adding it to a schema barrel: its fix adds
    the module (or a folder index bringing it), or the barrel's stale lines are repointed
    first and the additions come next pass. SF001 asks before adding a barrel line of its
    own for an importer of that barrel: two rules' lines in one run (often in two
    barrels) would reach the module twice."""
    if claim.what != "module":
        return True
    module = claim.path
    project = ctx.project
    own = replace(ctx, rule=CODE)
    for root in _barrels.find_roots(project, ctx.option("barrel")):
        b = _Barrel.of(project, root)
        if module in b.reached or module not in b.pool(root):
            continue
        if ctx.settings not in b._adds:
            for _ in b.check(own):
                pass
        adds = b._adds.get(ctx.settings, set())
        if adds is None or module in adds:
            return True
    return False


BARREL_ALL = Option("barrel-all", False, "Also add table modules the barrel does not reach.")


@rule(CODE, "barrel-exports-relations",
      "The schema barrel re-exports every relations module, without export name collisions",
      fix=Applicability.SAFE, options=(BARREL, BARREL_ALL, IMPORT_EXTENSION), claims=claims,
      fixes=fixes)
def check(ctx: Context) -> Iterator[Diagnostic]:
    """Drizzle only knows the relations that are part of the schema object, usually
    ``import * as schema from './schema'``: the barrel ``index.ts``. A relations module
    (any module under the barrel's folder exporting a ``relations(…)`` call) that the
    barrel does not reach through ``export *`` / named re-exports, directly or through
    a nested barrel, is silently ignored: relational queries have no relations.

    Fix (safe, one per barrel file): append ``export * from './x/relations';`` lines
    after the last re-export, in the file's quote, semicolon and extension style, under
    a ``// Relations`` heading when the file groups its lines under comment headings.
    Existing lines are never moved or reformatted.

    A name that the new line would export a second time (TypeScript TS2308; at run
    time the name disappears from ``import * as schema``) is never exported twice: the
    module is re-exported by name without the colliding names, and the collision is
    reported (with both declarations when they are relations of the same table). When
    those are two ``relations()`` of one table and the merge is lossless (no key defined
    two ways), a safe fix moves the properties of one declaration into the module the
    project keeps relations in (the one named ``relations.ts``, or the table's own module
    when relations live beside their tables), deletes the other declaration and imports
    what the moved properties use; the module is appended in a later pass. While one of the
    two modules declares the name twice and another rule merges those first (SF003), the
    module waits a pass too: a line written by name to dodge the collision would outlive it.

    Stale re-export lines follow their modules: a rename (git's staged renames first,
    then the same file name up to case, ``-``, ``_`` and a plural ending in the folder the
    line pointed into, or the one module defining every name importers take from the
    barrel or took from the gone module (as the run first read them): unsafe when a
    module beside it exports names that nothing imports or re-exports, the half of a
    split usage cannot see), a merge (several lines, one line
    for the merged module) or a split (one line per new module); a line whose
    replacement is already re-exported is removed, and so is one whose file git's HEAD
    holds with names all exported by the barrel's other lines now (a merge into a module
    the barrel reaches); anything else is reported and kept. Collisions already in the barrel are reported with both
    sources. Table modules the barrel does not reach are added when it already reaches
    all but a few (three times as many), some file of its folder imports them (a
    relations module, another table) and none outside it does; otherwise they are listed
    (info), or appended with ``--barrel-all``: a table module nothing imports may have
    been taken out on purpose, and adding it back would have drizzle-kit create its
    table. A table module declares a table (also one written through a schema,
    ``auth.table(…)``, or made by a ``pgTableCreator`` result), an enum, a view or a
    sequence; a module holding only a creator or a schema is none. A module the barrel
    re-exports only in a comment is never put back (a note). Where a drizzle config names
    its schema by a glob, a table module linked to the schema that the glob does not
    match is a note (drizzle-kit would not see its tables), a config path that is gone
    follows the schema it named (git's HEAD), or is reported, and a path naming a file
    without its extension (drizzle-kit matches it to no file) gets the extension. A
    relations() exported beside a table that the schema handed to ``drizzle()`` takes by
    a named list (``export { posts } from './posts'``), and left off that list, is added
    to the one list naming its module, or reported.

    Example::

        // schema/index.ts, before
        export * from './user/users';
        // after
        export * from './user/users';
        export * from './user/relations';
    """
    yield from outside_schema(ctx)
    for root in _barrels.find_roots(ctx.project, ctx.option("barrel")):
        barrel = _Barrel.of(ctx.project, root)
        if ctx.targets is not None and ctx.targets.isdisjoint(barrel.barrels):
            continue  # every diagnostic of this root lands on one of its barrels: none is reported on
        yield from barrel.check(ctx)


class _Barrel:
    """What SF005 knows of one root barrel in one project snapshot: what it reaches, its
    barrels, the modules under its folder, their relations() declarations. Built once
    per snapshot and root (``of``) and shared by ``claims`` and ``check``, so it holds
    nothing of the context (the rule, the claims, the settings): methods that report or
    read options take ``ctx``."""

    @classmethod
    def of(cls, project: Project, root: str) -> _Barrel:
        return project.memo(("sf005-barrel", root), lambda: cls(project, root))

    def __init__(self, project: Project, root: str):
        # kept in the project's memo: a strong reference back would make a cycle, and the
        # CLI's collector thresholds leave cycles (a whole snapshot each) for a long time
        self._project = weakref.ref(project)
        self.root = root
        self.dir = _barrels.folder(root)
        self.reach_all = _barrels.reach(self.project, root)
        self.star_reach = _barrels.reach(self.project, root, star_only=True)
        self.barrels = _barrels.barrels_of(self.project, root, self.reach_all)
        self.reached = set(self.reach_all)  # membership tests (reach_all keeps the order)
        self._star_barrels: dict[str, list[str]] | None = None  # folder -> barrels star-reached there
        self._decls: dict[str, dict[str, RelationsDecl]] = {}
        self._stale_sites: dict[str, list[tuple[ImportSite, Resolution]]] = {}
        self._pools: dict[str, list[str]] = {}  # exclude -> pool(exclude)
        self._candidates: dict[str, list[str]] = {}  # barrel -> what may replace its stale lines
        self._under: list[str] | None = None  # the modules under the root's folder, in path order
        # settings -> the modules this pass's fixes add (None: the stale lines first, the
        # additions next pass), for SF001's question (``fixes``)
        self._adds: dict[object, set[str] | None] = {}

    # -- entry point -------------------------------------------------------------------

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        stale = list(self._stale_lines(ctx))
        yield from stale
        yield from self._existing_collisions(ctx)
        if any(d.fix is not None and d.fix.applicability >= ctx.settings.minimum_applicability for d in stale):
            self._adds[ctx.settings] = None
            return  # the repointed lines change what the barrel reaches: add the rest next pass
        # (an unsafe repoint a safe run never applies waits for nothing: the next run would add them)
        named_stale = any(not s.star for b in self.barrels for s, _ in self.stale_sites(b))
        yield from self._missing(ctx, stale_lines_left=bool(stale) or named_stale)

    # -- helpers -----------------------------------------------------------------------

    @property
    def project(self) -> Project:
        project = self._project()
        assert project is not None, "a _Barrel outlived its snapshot"
        return project

    @property
    def exports(self):
        return self.project.exports

    def decls(self, path: str) -> dict[str, RelationsDecl]:
        """The exported relations() declarations of ``path``, by name."""
        if path not in self._decls:
            f = self.project.files.get(path)
            found = relations_declarations(f, self.project) if f is not None else []
            self._decls[path] = {d.name: d for d in found if d.exported}
        return self._decls[path]

    def where(self, binding: Binding) -> str:
        f = self.project.files.get(binding.origin)
        if f is not None:
            for d in f.facts.declarations:
                if d.name == binding.name and d.exported:
                    return f"{binding.origin}:{d.line}"
            for e in f.facts.exports:
                if e.name == binding.name:
                    return f"{binding.origin}:{f.position(e.start)[0]}"
        return binding.origin

    def describe(self, binding: Binding) -> str:
        decl = self.decls(binding.origin).get(binding.name)
        what = f"relations of `{decl.table}`" if decl is not None else binding.kind
        return f"{self.where(binding)} ({what})"

    def same_table(self, bindings: list[Binding]) -> str | None:
        """The table, when every binding is a relations() declaration of that one table."""
        tables = set()
        for b in bindings:
            decl = self.decls(b.origin).get(b.name)
            if decl is None:
                return None
            tables.add(decl.table)
        return tables.pop() if len(tables) == 1 else None

    def pool(self, exclude: str) -> list[str]:
        """The modules under the root's folder (no tests, declarations, build output or
        file that does not parse) but ``exclude``, in path order. Do not mutate the list."""
        if self._under is None:
            self._under = [p for p, f in sorted(self.project.files.items())
                           if _barrels.under(p, self.dir) and not _barrels.skipped(p, self.dir)
                           and not f.has_error]
        if exclude not in self._pools:
            self._pools[exclude] = [p for p in self._under if p != exclude]
        return self._pools[exclude]

    def stale_sites(self, barrel: str) -> list[tuple[ImportSite, Resolution]]:
        """The re-export lines of ``barrel`` (one of ``barrels``) whose target is gone (a
        missing file or a folder without index), with how they resolve, in file order."""
        if barrel not in self._stale_sites:
            resolve = self.project.resolver.resolve
            # a site the export map leads to a module resolves to a file: only the others are asked
            self._stale_sites[barrel] = [
                (site, res) for site, target in zip(self.project.files[barrel].facts.imports,
                                                    self.exports.site_targets(barrel))
                if site.kind == REEXPORT and target is None
                and (res := resolve(barrel, site.specifier)).status in (MISSING, FOLDER)]
        return self._stale_sites[barrel]

    # -- stale re-export lines ---------------------------------------------------------

    def _stale_lines(self, ctx: Context) -> Iterator[Diagnostic]:
        for barrel in self.barrels:
            unplaced: list[tuple[ImportSite, Diagnostic]] = []  # stale `export *` lines no single module replaced
            repointed: dict[str, list[tuple[ImportSite, Diagnostic]]] = {}  # replacement -> its stale lines
            for site, res in self.stale_sites(barrel):
                if not site.star:
                    continue  # a stale `export { a } from` line is repointed name by name (SF001)
                d, target = self._stale(ctx, barrel, site, res)
                if target is None and site.star and is_relative(site.specifier):
                    unplaced.append((site, d))
                elif d.fix is not None and site.star:
                    repointed.setdefault(target, []).append((site, d))
                else:
                    yield d
            for target, group in repointed.items():
                if len(group) == 1:
                    yield from (d for _, d in group)
                else:  # several stale lines replaced by one module: one line for it, not one each
                    sites = tuple(s for s, _ in group)
                    names = {n: target for n in self._missing_names(barrel) if n in self.exports.names(target)}
                    found = [self._replacement(barrel, s) for s in sites]
                    evidence = "; ".join(f"{s.specifier!r}: {f.why}" for s, f in zip(sites, found))
                    doubts = list(dict.fromkeys(n for f in found if not f.certain for n in f.notes))
                    yield self._moved(ctx, barrel, MovePlan("merge", sites, (target,), names), evidence,
                                      doubts=doubts)
            covered: set[int] = set()
            if unplaced:
                unreached = [p for p in self.pool(barrel) if p not in self.reached and p != self.root
                             and not _barrels.is_barrel_name(p)]
                for plan in plan_moves(self.project, barrel, [s for s, _ in unplaced], unreached,
                                       self._missing_names(barrel)):
                    covered.update(s.start for s in plan.sites)
                    yield self._moved(ctx, barrel, plan)
            yield from (d for site, d in unplaced if site.start not in covered)

    def _missing_names(self, barrel: str) -> set[str]:
        """Names other files import by name from the barrel (or the root barrel) that it
        no longer exports."""
        used = _barrels.importers_use(self.project, barrel) | _barrels.importers_use(self.project, self.root)
        return used - set(self.exports.names(barrel)) - set(self.exports.names(self.root))

    def _moved(self, ctx: Context, barrel: str, plan: MovePlan,
               evidence: str = "the names other files import from the barrel that it no longer exports", *,
               doubts: list[str] | None = None) -> Diagnostic:
        """The diagnostic (with a fix, unless it would collide) for stale lines whose modules
        were merged into one or split into several; ``doubts``: what leaves other answers
        open (an unsafe fix)."""
        file = self.project.files[barrel]
        first = plan.sites[0]
        specs = ", ".join(repr(s.specifier) for s in plan.sites)
        if plan.kind == "merge":
            head = f"re-export targets {specs} do not exist; their modules were merged into {plan.targets[0]}"
        else:
            head = f"re-export target {specs} does not exist; its module was split into {', '.join(plan.targets)}"
        notes = [*plan.where(), f"evidence: {evidence}", *(doubts or ())]
        clashes = self._clashes({t: self._brought(t) for t in plan.targets}, [barrel, self.root])
        if any(clashes.values()):
            names = ", ".join(sorted({n for c in clashes.values() for n in c}))
            return ctx.diagnostic(CODE, file, first.spec_start, f"{head}; re-exporting them would export "
                                       f"{names} twice (TS2308), lines kept", end=first.spec_end,
                                       notes=tuple(notes))
        fix = None
        trailing = [file.data[s.end:file.line_span(s.end, s.end)[1]] for s in plan.sites]
        styles = {extension_of(s.specifier) for s in plan.sites}
        lines_say_more = (any(s.type_only for s in plan.sites) or len(styles) > 1
                          or any(b"//" in t or b"/*" in t for t in trailing))
        if lines_say_more:  # `export type *`, mixed extension styles, or comments on the lines: a human writes it
            notes.append("not rewritten: the lines differ in kind or style, or carry comments")
        elif ctx.can_edit(barrel):
            stmt = file.data[first.start:first.end]
            quote, semi = chr(file.data[first.spec_start]), ";" if stmt.rstrip().endswith(b";") else ""
            ext = extension_of(first.specifier)
            lines = [f"export * from {quote}{self.project.resolver.specifier_for(barrel, t, extension=ext)}{quote}"
                     f"{semi}" for t in plan.targets]
            edits = [Edit(barrel, first.start, first.end, file.newline.decode().join(lines).encode())]
            edits += [Edit.delete(barrel, *removal_span(file, s.start, s.end)) for s in plan.sites[1:]]
            title = (f"Re-export {plan.targets[0]} in place of {len(plan.sites)} stale lines" if plan.kind == "merge"
                     else f"Re-export {len(plan.targets)} modules in place of {first.specifier!r}")
            fix = Fix(title, tuple(edits), Applicability.UNSAFE if doubts else Applicability.SAFE)
        return ctx.diagnostic(CODE, file, first.spec_start, head, fix=fix, end=first.spec_end,
                                   notes=tuple(notes))

    def _stale(self, ctx: Context, barrel: str, site: ImportSite, res) -> tuple[Diagnostic, str | None]:
        """The diagnostic for one stale re-export line, and the module that replaced it
        (None when no single module did)."""
        file = self.project.files[barrel]
        gone = "is a folder without an index file" if res.status == FOLDER else "does not exist"
        found = self._replacement(barrel, site)
        target, why, notes = found.target, found.why, found.notes
        level = Applicability.SAFE if found.certain else Applicability.UNSAFE
        if target is None and site.star:
            merged = _barrels.merged_away(self.project, barrel, site)
            if merged is not None:
                old, names = merged
                fix = None
                if ctx.can_edit(barrel):
                    fix = Fix(f"Remove the stale line {site.specifier!r}",
                              (Edit.delete(barrel, *removal_span(file, site.start, site.end)),))
                now = self.exports.names(barrel)
                homes: dict[str, list[str]] = {}
                for n in names:
                    homes.setdefault(now[n].origin, []).append(n)
                return ctx.diagnostic(
                    CODE, file, site.spec_start, f"re-export target {site.specifier!r} {gone}; every name {old} "
                    "exported in git's HEAD is re-exported by the barrel's other lines now (its module was merged)",
                    fix=fix, end=site.spec_end,
                    notes=tuple(f"{', '.join(ns)} now in {m}" for m, ns in sorted(homes.items()))), None
        if target is None:  # SF001 leaves unresolvable re-export lines of barrels to this rule
            return ctx.diagnostic(
                CODE, file, site.spec_start, f"re-export target {site.specifier!r} {gone}; no single module "
                f"replaces it, line kept", end=site.spec_end, notes=tuple(notes)), None
        already = [s for s in file.facts.imports if s is not site and s.kind == REEXPORT
                   and self.project.resolver.resolve(barrel, s.specifier).path == target]
        if already and not _covers(already, site):
            if site.star:  # beside a named list: `export *` of the module would also export what it leaves out
                level = Applicability.UNSAFE
                notes = [*notes, f"line {already[0].line} re-exports {target} by name only: removing this line "
                                 f"would drop what it brings, and `export *` of {target} also exports the names "
                                 "that list leaves out"]
            already = []  # a named line repointed brings exactly its names
        if already:  # merged into a module the barrel already re-exports: the line has nothing left to add
            if level < Applicability.SAFE and site.star and (
                    merged := _barrels.merged_away(self.project, barrel, site)) is not None:
                # git's HEAD: every name the gone file exported comes through the other lines
                # (an unreached module beside it cannot be a half of it the line should reach)
                level = Applicability.SAFE
                notes = [f"every name {merged[0]} exported in git's HEAD is re-exported by the other lines"]
            fix = None
            if ctx.can_edit(barrel):
                fix = Fix(f"Remove the stale line {site.specifier!r}",
                          (Edit.delete(barrel, *removal_span(file, site.start, site.end)),), level)
            return ctx.diagnostic(
                CODE, file, site.spec_start, f"re-export target {site.specifier!r} {gone}; its replacement "
                f"{target} is already re-exported on line {already[0].line} ({why})", fix=fix,
                end=site.spec_end, notes=tuple(notes)), None
        brought = self._brought(target, site)
        clashes = self._clashes({target: brought}, [barrel, self.root])
        if clashes.get(target):
            names = ", ".join(sorted(clashes[target]))
            return ctx.diagnostic(
                CODE, file, site.spec_start, f"re-export target {site.specifier!r} {gone}; {target} replaced "
                f"it ({why}) but repointing would export {names} twice (TS2308), line kept",
                end=site.spec_end, notes=tuple(self._clash_notes(target, clashes[target]))), target
        ext = extension_of(site.specifier)
        alias = res.alias if res.alias not in (None, "baseUrl") else None
        spec = self.project.resolver.specifier_for(barrel, target, extension=ext, alias=alias)
        quote = chr(file.data[site.spec_start])
        fix = None
        if ctx.can_edit(barrel):
            fix = Fix(f"Repoint to {spec!r}", (Edit(barrel, site.spec_start, site.spec_end,
                                                     f"{quote}{spec}{quote}".encode()),), level)
        return ctx.diagnostic(CODE, file, site.spec_start,
                                   f"re-export target {site.specifier!r} {gone}; {target} replaced it ({why})",
                                   fix=fix, end=site.spec_end, notes=tuple(notes)), target

    def _replacement(self, barrel: str, site: ImportSite) -> _barrels.Replacement:
        if barrel not in self._candidates:  # one list per barrel, not one per stale line
            self._candidates[barrel] = [p for p in self.pool(barrel) if p != self.root]
        return _barrels.replacement(self.project, barrel, site, self._candidates[barrel])

    # -- collisions already in the barrels --------------------------------------------

    def _existing_collisions(self, ctx: Context) -> Iterator[Diagnostic]:
        for barrel in self.barrels:
            file = self.project.files[barrel]
            ambiguous = self.exports.ambiguous(barrel)
            if not ambiguous:
                continue
            resolve = self.project.resolver.resolve
            star_sites = [(s, res.path) for s in file.facts.imports if s.star
                          and (res := resolve(barrel, s.specifier)).ok]  # once per line, not once per name
            for name, bindings in sorted(ambiguous.items()):
                ordered = sorted(bindings, key=lambda b: (b.origin, b.name))
                bringers = [s for s, path in star_sites if name in self.exports.names(path)]
                at = bringers[-1] if bringers else None
                table = self.same_table(ordered)
                what = f" (two relations() of table `{table}`; merge them into one)" if table else ""
                sources = " and ".join(self.where(b) for b in ordered)
                yield ctx.diagnostic(
                    CODE, file, at.spec_start if at else 0,
                    f"`{name}` is exported twice through `export *`, from {sources}{what}: TypeScript reports "
                    "TS2308 and `import * as schema` silently drops it",
                    end=at.spec_end if at else None,
                    notes=tuple(f"brought by line {s.line}: {s.specifier!r}" for s in bringers))

    # -- missing modules ---------------------------------------------------------------

    def _missing(self, ctx: Context, stale_lines_left: bool = False) -> Iterator[Diagnostic]:
        adds = self._adds[ctx.settings] = set()
        reached: dict[str, set[str]] = {}  # origin -> the names of it the root exports
        for b in self.exports.names(self.root).values():
            reached.setdefault(b.origin, set()).add(b.name)
        root_file = self.project.files[self.root]
        pool = self.pool(self.root)
        relations_mods = []
        unreached_of: dict[str, set[str]] = {}
        nothing: set[str] = set()
        for path in pool:
            names, got = self.exports.names(path), reached.get(path, nothing)
            if got.issuperset(names):  # every name it exports is reached (most modules); an open module's
                continue  # line may bring the root a name of it that it does not list: not counted, compared
            unreached = {n for n, b in names.items() if b.origin == path and n not in got}
            if unreached and not unreached.isdisjoint(self.decls(path)):  # a healthy barrel reads no declaration
                relations_mods.append(path)
                unreached_of[path] = unreached
        relations_set = set(relations_mods)
        table_mods: list[str] = []
        for path in pool:
            if path in relations_set or path in self.reached or _barrels.is_barrel_name(path):
                continue
            values = [n for n, b in self.exports.names(path).items()
                      if b.origin == path and b.kind == VALUE and n != "default"]
            if not values or not reached.get(path, nothing).isdisjoint(values):
                continue
            # what other files import is asked only here: a healthy barrel reaches every module
            project = self.project
            if _barrels.defines_tables(project, project.files[path]) or not _barrels.is_imported(project, path):
                table_mods.append(path)
        disabled = self._commented_out(set(relations_mods + table_mods)) if relations_mods or table_mods else {}
        if disabled:
            yield from self._disabled_reports(ctx, disabled)
            relations_mods = [m for m in relations_mods if m not in disabled]
            table_mods = [m for m in table_mods if m not in disabled]
        if relations_mods:
            doubled = self._second_relations(relations_mods, reached)
            doubled_names = self.exports.ambiguous(self.root)
            for module, twins in doubled.items():
                if unreached_of[module].issubset(doubled_names):
                    continue  # re-exported, but for names two `export *` lines bring (TS2308): the collision's report
                yield ctx.diagnostic(
                    CODE, root_file, _last_line(root_file),
                    f"{self.root} does not re-export {module}: "
                    + "; ".join(f"its `{name}` declares relations of table `{table}`, which {where} declares "
                                f"already as `{other}`" for name, table, where, other in twins)
                    + ". With both in the schema drizzle's relational-query types see neither (SF006): "
                    "merge them into one declaration, then re-export the module")
            relations_mods = [m for m in relations_mods if m not in doubled]
        if not ctx.option("barrel-all"):
            # drizzle needs every table: when the barrel already reaches all but a few table
            # modules of its tree (at least three times as many as it misses), the few are
            # added by default; anything else is a note.
            # a table module other files import directly may belong to another database or
            # schema on purpose: a note, never added by default
            missing_tables = [p for p in table_mods if _barrels.defines_tables(self.project, self.project.files[p])
                              and not _barrels.is_imported(self.project, p, outside=self.dir)]
            # a table module no file imports at all may have been taken out on purpose (its
            # table dropped): adding it back would have drizzle-kit create that table
            unused = {p for p in missing_tables if not _barrels.is_imported(self.project, p)}
            missing_tables = [p for p in missing_tables if p not in unused]
            added = missing_tables if missing_tables and self._reached_tables(relations_set) >= 3 * len(
                missing_tables) else []
            if stale_lines_left:
                added = []  # a stale line may be what should reach them: a human decides
            noted = [p for p in table_mods if p not in added]
            if noted:
                yield ctx.diagnostic(
                    CODE, root_file, 0,
                    f"{len(noted)} {plural(len(noted), 'module')} under {self.dir or 'the root'}/ "
                    f"{'defines' if len(noted) == 1 else 'define'} exported values that {self.root} does not "
                    "reach (add them with --barrel-all)",
                    severity=Severity.INFO,
                    notes=tuple(f"not re-exported: {p}" + (" (nothing imports it)" if p in unused else "")
                                for p in noted))
            table_mods = added
        if not relations_mods and not table_mods:
            return
        indexes = self._folder_indexes(set(relations_mods) | set(table_mods))
        if indexes:
            stood_for = {m for reached_by in indexes.values() for m in reached_by}
            relations_mods = [m for m in relations_mods if m not in stood_for]
            table_mods = [m for m in table_mods if m not in stood_for] + sorted(indexes)
        additions = [Addition(m, self._target_for(m), line_kind(self.project, m), self._brought(m))
                     for m in relations_mods]
        additions += [Addition(m, self._target_for(m), "tables", self._brought(m)) for m in table_mods]
        clashes = self._clashes({a.module: a.brought for a in additions}, [self.root])
        lines_to: dict[str, set[str | None]] = {}  # target -> the modules its re-export lines lead to
        bound: dict[str, set[tuple[str, str]]] = {}  # target -> the (origin, name) of each name it exports
        for a in additions:
            a.colliding = clashes.get(a.module, {})
            target_names = self.exports.names(a.target)
            if a.target not in lines_to:
                lines_to[a.target] = {self.project.resolver.resolve(a.target, s.specifier).path
                                      for s in self.project.files[a.target].facts.imports if s.kind == REEXPORT}
            has_site = a.module in lines_to[a.target]
            if a.colliding or has_site:
                if a.target not in bound:
                    bound[a.target] = {(b.origin, b.name) for b in target_names.values()}
                # a name the target exports already, under an alias (`export { x as y }`), is in the
                # schema object: drizzle finds relations by value, not by key
                a.names = [n for n, b in a.brought.items() if n not in a.colliding and n not in target_names
                           and (b.origin, b.name) not in bound[a.target] and n not in self.exports.ambiguous(a.target)]
        yield from self._collision_reports(ctx, additions)
        by_target: dict[str, list[Addition]] = {}
        defined = tables(self.project)
        for a in additions:
            if a.colliding and a.merged >= set(a.colliding):
                continue  # the merge removes every collision: `export *` it in a later pass
            left_out = sorted(n for n in a.colliding if (a.module, n) in defined)
            if a.names is not None and left_out and not any((a.module, n) in defined for n in a.names):
                yield self._tables_left_out(ctx, a, left_out)  # its relations alone: of no use to drizzle
                continue
            if a.names is None or a.names:
                by_target.setdefault(a.target, []).append(a)
        fixes = {t: reexport_fix(ctx, t, adds) for t, adds in by_target.items()}
        verified = self._verify(ctx, [f for f in fixes.values() if f is not None], list(by_target))
        for target, adds_ in by_target.items():
            file = self.project.files[target]
            rel = [a.module for a in adds_ if a.kind == "relations"]
            tab = [a.module for a in adds_ if a.kind == "tables"]
            parts = []
            if rel:
                parts.append(f"{len(rel)} relations {plural(len(rel), 'module')}")
            if tab:
                parts.append(f"{len(tab)} table {plural(len(tab), 'module')}")
            fix = fixes[target] if verified else None
            if fix is not None:
                adds.update(m for a in adds_ for m in (a.module, *indexes.get(a.module, ())))
            notes = [f"not re-exported: {a.module}" + (" (by name, without colliding names)" if a.names else "")
                     for a in adds_]
            notes += [n for a in adds_ for n in a.notes]
            if fixes[target] is not None and not verified:
                notes.append("appending them would create an export collision; add them by hand")
            last = _barrels.reexport_statements(file)
            yield ctx.diagnostic(
                CODE, file, last[-1].start_byte if last else 0,
                f"{target} does not re-export {' and '.join(parts)}"
                + (" (drizzle never sees their relations)" if rel else ""),
                fix=fix, notes=tuple(notes))

    def _folder_indexes(self, missing: set[str]) -> dict[str, set[str]]:
        """The folder indexes under the root's folder that the barrel does not reach and
        that stand for missing modules: an index of `export *` lines only, each module it
        reaches either missing or reached already, at least one missing (its line was
        deleted, or the folder moved: `export * from './custom'`). The outermost such index
        of each module's folders, mapped to the missing modules it brings: one line for the
        folder, as the project wrote it, not one per module."""
        project, exports = self.project, self.project.exports
        found: dict[str, set[str]] = {}
        for module in sorted(missing):
            best, d = None, _barrels.folder(module)
            while d != self.dir and _barrels.under(d, self.dir):
                index = next((f"{d}/index{ext}" for ext in (".ts", ".tsx", ".mts")
                              if f"{d}/index{ext}" in project.files), None)
                if index is None or index in self.reached or index == self.root:
                    break
                file = project.files[index]
                edges = exports.reexport_edges(index)
                reach = _barrels.reach(project, index, star_only=True)
                if (file.has_error or not edges or not all(star for _t, star in edges)
                        or len(_barrels.reexport_statements(file)) != len(_barrels.statements(file))
                        or module not in reach):
                    break
                brought = {m for m in reach if m != index and not _barrels.is_barrel_name(m)}
                if not brought <= (missing | self.reached):
                    break
                best = (index, brought & missing)
                d = _barrels.folder(d)
            if best is not None:
                found.setdefault(best[0], set()).update(best[1])
        # an index inside another one kept: the outer one stands for it
        return {i: ms for i, ms in found.items()
                if not any(o != i and i in _barrels.reach(project, o, star_only=True) for o in found)}

    def _second_relations(self, modules: list[str], reached: dict[str, set[str]]
                          ) -> dict[str, list[tuple[str, str, str, str]]]:
        """Those of the relations ``modules`` that declare relations() of a table whose
        relations the barrel already exports (or another of ``modules`` declares) under
        another name: appending them puts two relations() of one table in the schema, and
        drizzle's relational-query types then see neither (TS2339 on every `with:`). The
        same name is an export collision instead (``_collision_reports``, which merges).
        Read from the relations rows SF006 groups too (asked only when the barrel misses a
        relations module).
        module -> [(its name, table, where the other is, the other's name)]."""
        rows = relations_rows(self.project)
        wanted = set(modules)
        known: dict[tuple[str, str], list[tuple[str, str, int]]] = {}  # table -> (module, name, line)
        for path in [*self.reach_all, *modules]:
            names = None if path in wanted else reached.get(path)
            if path in wanted or names:
                for origin, table, exported, name, line in rows.get(path, ()):
                    if exported and origin and (names is None or name in names):
                        known.setdefault((origin, table), []).append((path, name, line))
        out: dict[str, list[tuple[str, str, str, str]]] = {}
        for path in modules:
            for origin, table, exported, name, _line in rows.get(path, ()):
                for other, other_name, line in known.get((origin, table), ()) if exported and origin else ():
                    if other != path and other_name != name:
                        out.setdefault(path, []).append((name, table, f"{other}:{line}", other_name))
        return out

    def _tables_left_out(self, ctx: Context, a: Addition, left_out: list[str]) -> Diagnostic:
        """A module whose every table a named re-export would have to leave out (their names
        are taken: `export * as users from './users'` beside `users`): its other names (its
        relations) are no use to drizzle without its tables, so the list is not written
        (seen on a public app, whose barrel of namespaces gave drizzle no table at all). A
        note: the project may not use drizzle's relational queries."""
        file = self.project.files[a.target]
        last = _barrels.reexport_statements(file)
        return ctx.diagnostic(
            CODE, file, last[-1].start_byte if last else 0,
            f"{a.target} does not re-export {a.module}, and cannot: the names of its "
            f"{plural(len(left_out), 'table')} {', '.join(f'`{n}`' for n in left_out)} are taken there, so "
            "drizzle would see its other names without its tables; rename one side",
            severity=Severity.INFO, notes=tuple(a.notes))

    def _commented_out(self, modules: set[str]) -> dict[str, tuple[str, int]]:
        """Those of ``modules`` whose re-export line one of the root's barrels holds
        commented out, with that barrel and the line's offset."""
        out: dict[str, tuple[str, int]] = {}
        for barrel in self.barrels:
            for module, at in _barrels.commented_out(self.project, barrel).items():
                if module in modules:
                    out.setdefault(module, (barrel, at))
        return out

    def _disabled_reports(self, ctx: Context, disabled: dict[str, tuple[str, int]]) -> Iterator[Diagnostic]:
        """A note per module whose line is commented out: the author took it out (work in
        progress, a table dropped on purpose), so it is not put back, and not hidden."""
        for module, (barrel, at) in sorted(disabled.items()):
            what = "its relations" if self.decls(module) else "its tables"
            yield ctx.diagnostic(
                CODE, self.project.files[barrel], at,
                f"{barrel} re-exports {module} only in a comment: drizzle never sees {what} (left as it is)",
                severity=Severity.INFO)

    def _reached_tables(self, relations: set[str]) -> int:
        """How many modules the root reaches that define tables (``relations`` aside)."""
        files = self.project.files
        return sum(1 for p in self.reach_all
                   if p in files and p not in relations and _barrels.defines_tables(self.project, files[p]))

    def _target_for(self, module: str) -> str:
        """The deepest barrel reached by `export *` chains whose folder holds ``module``."""
        if self._star_barrels is None:  # indexed by folder: only the module's ancestors are looked at
            self._star_barrels = {}
            barrels = set(self.barrels)
            for i, p in enumerate(self.star_reach):
                if p in barrels:
                    self._star_barrels.setdefault(_barrels.folder(p), []).append((i, p))
        found, d = [], module
        while d:
            d = _barrels.folder(d)
            found += self._star_barrels.get(d, ())
        best = self.root
        for _, p in sorted(found):  # star-reach order, as a scan of star_reach would meet them
            if p == module or not _barrels.under(module, _barrels.folder(p)):
                continue
            if p.count("/") > best.count("/"):
                best = p
        return best

    def _brought(self, module: str, site: ImportSite | None = None) -> dict[str, Binding]:
        names = self.exports.names(module)
        if site is not None and not site.star:
            return {e.local: names[e.imported] for e in site.named if e.imported in names}
        return {n: b for n, b in names.items() if n != "default"}

    def _clashes(self, new: dict[str, dict[str, Binding]], barrels: list[str]) -> dict[str, dict[str, list[Binding]]]:
        """For each new module, the names it would export twice, with the other bindings."""
        out: dict[str, dict[str, list[Binding]]] = {}
        by_name: dict[str, list[tuple[str, Binding]]] = {}  # name -> (new module, binding): no pairwise scan
        for other_mod, other in new.items():
            for name, o in other.items():
                by_name.setdefault(name, []).append((other_mod, o))
        for module, brought in new.items():
            for name, b in brought.items():
                key = (b.origin, b.name)
                others: list[Binding] = []
                for barrel in dict.fromkeys([*barrels, self._target_for(module)]):
                    have = self.exports.names(barrel).get(name)
                    if have is not None and (have.origin, have.name) != key:
                        others.append(have)
                    others += list(self.exports.ambiguous(barrel).get(name, ()))
                for other_mod, o in by_name.get(name, ()):
                    if other_mod != module and (o.origin, o.name) != key:
                        others.append(o)
                uniq = sorted({(o.origin, o.name): o for o in others if (o.origin, o.name) != key}.values(),
                              key=lambda o: (o.origin, o.name))
                if uniq:
                    out.setdefault(module, {})[name] = uniq
        return out

    def _clash_notes(self, module: str, clashes: dict[str, list[Binding]]) -> list[str]:
        brought = self.exports.names(module)
        notes = []
        for name, others in sorted(clashes.items()):
            here = brought.get(name)
            places = [self.describe(here)] if here is not None else []
            notes.append(f"`{name}`: " + " vs ".join(places + [self.describe(o) for o in others]))
        return notes

    def _collision_reports(self, ctx: Context, additions: list[Addition]) -> Iterator[Diagnostic]:
        """A diagnostic for each colliding *relations* export (drizzle loses it until a human
        merges or renames); other colliding names become notes on the fix (``a.notes``).
        Two relations() of one table get a safe fix merging one into the other when that
        is unambiguous (``merge_fix``); while a module declares one of them twice and another
        rule merges those first, the merge (and the module's line) waits a pass."""
        seen: dict[frozenset, bool] = {}
        last_line: dict[str, int] = {}  # target -> where its last re-export line starts (once per target)
        for a in additions:
            if not a.colliding:
                continue
            file = self.project.files[a.target]
            if a.target not in last_line:
                last = _barrels.reexport_statements(file)
                last_line[a.target] = last[-1].start_byte if last else 0
            at = last_line[a.target]
            for name, others in sorted(a.colliding.items()):
                mine = a.brought[name]
                places = " and ".join(self.where(b) for b in sorted([mine, *others], key=lambda b: b.origin))
                if mine.origin != a.module or name not in self.decls(a.module):
                    a.notes.append(f"`{name}` left out: also exported by "
                                   + ", ".join(self.where(o) for o in others) + " (TS2308)")
                    continue
                key = (name, frozenset((b.origin, b.name) for b in [mine, *others]))
                if key in seen:
                    if seen[key]:
                        a.merged.add(name)
                    continue
                seen[key] = False
                table = self.same_table([mine, *others])
                fix, why = None, []
                if table is not None:
                    msg = (f"`{name}` (relations of table `{table}`) is declared in both {places}; exporting both "
                           f"would collide (TS2308), so drizzle does not see the one in {a.module}: merge the two "
                           "declarations into one module")
                    awaited = merge_awaited(ctx, [mine, *others])
                    if awaited is not None:
                        why = [f"merged in a later pass: {awaited} declares relations of `{table}` more than once, "
                               "and the merge of those declarations comes first"]
                    else:
                        fix, why = merge_fix(ctx, self.decls, [mine, *others])
                    if fix is not None or awaited is not None:
                        seen[key] = True
                        a.merged.add(name)
                else:
                    msg = (f"`{name}` is exported by both {places}; exporting both would collide (TS2308), so "
                           f"drizzle does not see the relations in {a.module}")
                yield ctx.diagnostic(CODE, file, at, msg, fix=fix,
                                          notes=tuple(f"{self.describe(b)}" for b in [mine, *others]) + tuple(why))

    def _verify(self, ctx: Context, fixes: list[Fix], targets: list[str]) -> bool:
        """With ``fixes`` applied (``ctx.preview``): no new ambiguous name, no existing
        export re-bound."""
        if not fixes:
            return True
        after = ctx.preview(fixes)
        return after is not None and adds_no_collision(self.project, after, [self.root, *targets])


def _last_line(file) -> int:
    """Where ``file``'s last re-export statement starts (0 when it has none)."""
    last = _barrels.reexport_statements(file)
    return last[-1].start_byte if last else 0


def _covers(lines: list[ImportSite], site: ImportSite) -> bool:
    """Do the re-export ``lines`` (of the module that replaced ``site``'s) bring every
    name ``site`` brings: one of them is `export *`, or ``site`` is a named list whose
    every entry (name and alias) one of them repeats (a type-only line covers only a
    type-only one)?"""
    lines = [s for s in lines if site.type_only or not s.type_only]
    if any(s.star for s in lines):
        return True
    if site.star:
        return False
    have = {(e.imported, e.local) for s in lines for e in s.named}
    return all((e.imported, e.local) in have for e in site.named)
