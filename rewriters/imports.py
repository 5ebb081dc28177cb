"""SF001: repoint broken imports to the module that really exports each name.

What counts as broken: an ``import … from`` / ``export … from`` whose specifier does
not resolve (or resolves only to a folder without an index), or that resolves but
does not export a name it asks for.

How the target is chosen, per name: the modules that *define* it (re-exporters only
when nobody defines it). One candidate: SAFE. Several: ranked by how well the path
matches the broken specifier (same folder, then file name equal after normalising
case and ``-``/``_``), then by folder hops from the importer; likeness proves nothing,
so the winner is UNSAFE at best (but SAFE when the specifier's file is missing and
the winner alone is in the folder it named, with its file name: a file renamed in its
folder, ``create-table`` -> ``createTable.ts``), and a tie is reported with the candidates. A
name its module now exports under another name (git's HEAD holds the same declaration
under the old one, and no module defines the old name) is taken under the new one,
aliased to the old: ``{ accounts as userAccounts }`` (SAFE; also in a file git saw
renamed, compared with the file it was). A
name no module exports is removed when the file does not use it, else reported with
"did you mean" suggestions. Default, namespace and side-effect imports and
``export *`` are never split; they are repointed only when one module matches the
specifier's file name, an ``export *`` also to the one module defining every name its
importers take (unsafe when a module beside it exports names that nothing imports or
re-exports: the half of a split usage cannot see).

The rewrite groups names for one target in one statement, merges them into an
existing import of that target, and keeps aliases, ``type`` modifiers, name order,
quotes, semicolons, extension style, tsconfig aliases and single/multi-line layout.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import Counter
from dataclasses import replace
from typing import Callable

from codemod.facts import DYNAMIC, IMPORT, REEXPORT, REQUIRE, TYPE, VALUE, ImportEntry, ImportSite
from codemod.git_moves import follow, follow_base, moved_from
from codemod.model import Applicability, Fix
from codemod.project import SourceFile, carry_between_runs
from codemod.resolve import EXTERNAL, FILE, FOLDER, MISSING, OPAQUE, Resolution, is_relative
from codemod.rules import Context, rule
from codemod.style import EXTENSION_RE, extension_of

from . import _barrels
from ._barrel_additions import reexport_module, unreached_definer
from ._import_editor import IMPORT_EXTENSION, existing_import, project_extension_counts
from ._import_plan import Move, SitePlan, plan_edits, plan_level
from ._relation_graph import names_used_as_tables
from ._renamed_exports import held_under, renamed_to
from ._tables import not_a_table, tables

CODE = "SF001"
SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE
_USE_NODES = {"identifier", "type_identifier", "shorthand_property_identifier", "nested_identifier"}


@rule(CODE, "broken-import", "Repoint imports to the module that really exports each name", SAFE,
      options=(IMPORT_EXTENSION,))
def check(ctx: Context):
    """Imports that point at a missing file, a folder without index, or a module that
    does not export the name. Fixed by importing each name from its defining module.
    After a merge: a name the file now declares itself, an import of the file itself,
    and a binding repeated exactly by a later import of the same module (TS2300: the same
    specifier, or another leading to the same file) are removed."""
    project = ctx.project
    healthy: set[str] = project.memo(_HEALTHY, set)
    carried = project.carried(_HEALTHY)
    for file in ctx.files():
        if carried is not None and file.path in carried[0] and file.path not in carried[1]:
            healthy.add(file.path)  # neither it nor anything it imports changed: still healthy
            continue
        yield from _check_file(ctx, file, healthy)


# The files whose every import resolves to what it asks for, in a snapshot: that depends
# only on the file and the files it reaches through imports (Project.carried).
_HEALTHY = ("sf001-healthy-files",)


def _decode_healthy(kept) -> set[str]:
    if not (isinstance(kept, tuple) and all(isinstance(path, str) for path in kept)):
        raise TypeError("not a tuple of paths")
    return set(kept)


carry_between_runs(_HEALTHY[0], lambda healthy: tuple(sorted(healthy)), _decode_healthy)  # an edit: check few


def _check_file(ctx: Context, file: SourceFile, healthy: set[str]):
    plans, sound, reports = _file_plans(ctx, file)
    yield from reports
    if sound:
        healthy.add(file.path)
    if not plans:
        return
    fixes = {}
    for level in (SAFE, UNSAFE):
        chosen = [p for p in plans if p.touched and plan_level(p) >= level]
        if chosen and (level == SAFE or any(plan_level(p) == UNSAFE for p in chosen)):
            edits = plan_edits(ctx, file, chosen, level)
            if edits:
                fixes[level] = Fix(_title(chosen, level), tuple(edits), level)
    for plan in plans:
        site = plan.site
        fix = fixes.get(plan_level(plan)) if plan.touched else None
        if fix is not None:  # one fix per file (its statements are rewritten together), titled for this site
            fix = replace(fix, title=_title([plan], plan_level(plan)))
        parts = []
        if plan.moves:
            by_target: dict[str, list[str]] = {}
            for m in plan.moves:
                by_target.setdefault(m.target, []).append(m.entry.imported)
            parts.append("; ".join(f"{', '.join(ns)} {'is' if len(ns) == 1 else 'are'} exported by {t}"
                                   for t, ns in by_target.items()))
        unused = [e.imported for e in plan.removed if e.imported not in plan.declared_here
                  and e.imported not in plan.repeated]
        if unused:
            parts.append(", ".join(unused) + " exported by no module and unused: removed")
        parts += [f"{name} is declared in this file (line {line}), which the import conflicts with (TS2440, or "
                  "TS2395 when exported): removed" for name, line in plan.declared_here.items()]
        parts += [f"{name} is imported the same way on line {line} already"
                  + (f", as {spec!r}" if spec != site.specifier else "") + " (TS2300): removed"
                  if line < site.line else
                  f"{name} is imported the same way on line {line}, as {spec!r}, which names the file in the "
                  "project's extension style (TS2300): removed here"
                  for name, (line, spec) in plan.repeated.items()]
        parts += [f"but {plan.resolution.path} holds git HEAD's declaration of {name} as {new} now: "
                  f"`{new} as {name}` from there may be what was meant (so the repoint is unsafe)"
                  for name, new in plan.held_there.items()]
        if plan.dropped:
            parts.append(plan.dropped)
        if plan.new_specifier:
            parts.append(f"the module is now {plan.new_specifier[0]!r}"
                         + (f" ({plan.evidence})" if plan.evidence else ""))
        parts += [f"{plan.new_specifier[0] if plan.new_specifier else plan.resolution.path} exports "
                  f"{entry.imported} as {new} now (git's HEAD holds the same "
                  f"declaration under the old name): imported under the new one"
                  for entry, new in plan.renamed.items()]
        if plan.touched:
            head = f"{site.specifier!r} " + ("is imported twice" if plan.repeated and (
                plan.resolution.ok or plan.resolution.status == EXTERNAL) else _what_is_wrong(plan.resolution))
            yield ctx.diagnostic(CODE, file, site.spec_start, f"{head}: {'; '.join(parts)}", fix=fix,
                                 end=site.spec_end)
        for problem in plan.problems:
            yield ctx.diagnostic(CODE, file, site.spec_start, problem, end=site.spec_end)
        for (barrel, module), names in plan.barrel_lines.items():
            yield _barrel_line(ctx, file, site, barrel, module, names)


def _file_plans(ctx: Context, file: SourceFile) -> tuple[list[SitePlan], bool, list]:
    """The plans of ``file``'s broken statements (settled: what ``plan_edits`` writes),
    whether every statement is sound, and the reports made on the way (dynamic imports
    and requires that do not resolve). Once per file and pass when another file asks
    (``_plans_asked``); computed afresh for the file's own check otherwise."""
    done = ctx.memo(_PLANNED, dict)
    if file.path in done:
        return done[file.path]
    return _plan_file(ctx, file)


_PLANNED = "sf001-file-plans"


def _plan_file(ctx: Context, file: SourceFile) -> tuple[list[SitePlan], bool, list]:
    project = ctx.project
    exports = project.exports
    plans: list[SitePlan] = []
    reports = []
    sound = True
    # Where each site leads, as the export map keeps it between runs: a healthy line is
    # settled without resolving (a commit hook re-checks the root barrel's 19,813 lines).
    # A site resolves to a project file exactly when the map has a module there
    # (``ExportMap.site_targets``): below, every site is one that does not, or one that
    # asks a name its module does not export.
    targets = exports.site_targets(file.path)
    repeated = _repeated_bindings(file, targets, lambda: _project_extension_style(ctx))
    for site, target in zip(file.facts.imports, targets):
        if site.start in repeated:
            res = project.resolver.resolve(file.path, site.specifier)
            if res.ok or res.status == EXTERNAL:  # a working import written twice (a pasted merge): TS2300
                sound = False
                plan = SitePlan(site, res)
                for entry in site.named:
                    if entry in repeated[site.start]:
                        earlier = repeated[site.start][entry]
                        plan.removed.append(entry)
                        plan.repeated[entry.imported] = (earlier.line, earlier.specifier)
                    else:
                        plan.stay.append(entry)
                plans.append(plan)
                continue
        if target is not None and (site.kind in (DYNAMIC, REQUIRE) or target != file.path and all(
                exports.exports(target, e.imported) for e in site.entries if e.imported != "*")):
            continue  # healthy (an import of the file itself is looked at: it collides with what the file declares)
        res = project.resolver.resolve(file.path, site.specifier)
        if res.status in (EXTERNAL, OPAQUE):
            continue  # a package, or a file we did not read: nothing to say
        if site.kind in (DYNAMIC, REQUIRE):
            if not res.ok:
                sound = False
                what = "dynamic import" if site.kind == DYNAMIC else "require"
                reports.append(ctx.diagnostic(CODE, file, site.spec_start,
                                              f"{what} of {site.specifier!r} {_what_is_wrong(res)}; not rewritten"))
            continue
        sound = False
        if ctx.claimed(file.path, site.start):
            continue  # another rule answers for this statement (e.g. a barrel's stale re-export line)
        plan = _plan_site(ctx, file, site, res)
        if not res.ok and project.resolver.leads_outside(file.path, site.specifier):
            _leave_outside(plan)
        if plan.touched or plan.problems or plan.barrel_lines:
            plans.append(plan)
    if plans:
        _settle_rewrites(ctx, file, plans)
    return plans, sound, reports


def _leave_outside(plan: SitePlan) -> None:
    """An import of another project's file (outside the root: nothing there is read) that
    does not resolve: what it meant is not known here, so none of its names is repointed
    to this project's modules (a test helper that happens to export one) nor dropped; each
    is reported."""
    spec = plan.site.specifier
    why = f"{spec!r} leads outside the project, where no file is read: not repointed"
    plan.problems += [f"{m.entry.imported} is exported by {m.target}, but {why}" for m in plan.moves]
    plan.problems += [f"{e.imported} is unused and exported by no module here, but {why}" for e in plan.removed]
    if plan.new_specifier:
        plan.problems.append(f"the module may now be {plan.new_specifier[0]!r}, but {why}")
    plan.moves, plan.removed, plan.new_specifier, plan.barrel_lines = [], [], None, {}


def _barrel_line(ctx: Context, file: SourceFile, site: ImportSite, barrel: str, module: str, names: list[str]):
    """An import from a folder whose index no longer reaches the module defining the names:
    the fix adds the module to that index (checked for export collisions)."""
    listed = ", ".join(names)
    head = (f"{site.specifier!r} resolves to {barrel}, which does not re-export {module} "
            f"({listed} {'is' if len(names) == 1 else 'are'} defined there)")
    fix = reexport_module(ctx, barrel, module)
    if fix is None:
        return ctx.diagnostic(CODE, file, site.spec_start, f"{head}; re-exporting it there would export a name "
                              "twice (TS2308) or the barrel cannot be edited: add it by hand", end=site.spec_end)
    return ctx.diagnostic(CODE, file, site.spec_start, f"{head}: re-export it from the barrel", fix=fix,
                          end=site.spec_end)


def _settle_rewrites(ctx: Context, file: SourceFile, plans: list[SitePlan]) -> None:
    """A statement whose names all move to one module that nothing else in the file
    imports needs only its specifier replaced: layout and comments stay as they are.
    Any other rewrite re-renders the statement from its names; when its braces hold
    comments, that would lose them, so the names are reported instead of moved."""
    touched = {p.site.start for p in plans}
    sites_per_target = Counter(t for p in plans for t in {m.target for m in p.moves})
    for plan in plans:
        if not plan.moves or plan.new_specifier:
            continue
        targets = {m.target for m in plan.moves}
        target = next(iter(targets))
        if (len(targets) == 1 and not plan.stay and not plan.removed and sites_per_target[target] == 1
                and len({m.applicability for m in plan.moves}) == 1
                and all(e in [m.entry for m in plan.moves] for e in plan.site.entries)
                and existing_import(ctx, file, plan.site.kind, target, plan.site.type_only, touched) is None):
            plan.specifier_only = True
        elif plan.site.braces_comment:  # set only where the statement has braces
            plan.problems += [f"{m.entry.imported} is exported by {m.target}; the import has comments inside "
                              "its braces, so it is left for you to edit" for m in plan.moves]
            plan.problems += [f"{e.imported} is exported by no module and unused; the import has comments "
                              "inside its braces, so it is left for you to edit" for e in plan.removed]
            plan.moves, plan.removed = [], []


def _what_is_wrong(res: Resolution) -> str:
    if res.status == FOLDER:
        return f"is a folder without index ({res.path})"
    if res.ok:
        return f"resolves to {res.path}"
    return "does not resolve"


def _title(plans: list[SitePlan], level: Applicability) -> str:
    names = list(dict.fromkeys(m.entry.imported for p in plans for m in p.moves if m.applicability >= level))
    removed = list(dict.fromkeys(e.imported for p in plans for e in p.removed))
    bits = []
    if names:
        bits.append("repoint " + ", ".join(names))
    if removed:
        bits.append("drop " + ", ".join(removed))
    whole = [p.site.specifier for p in plans if p.new_specifier]
    if whole:
        bits.append("repoint " + ", ".join(whole))
    renamed = [f"{new} as {entry.imported}" for p in plans for entry, new in p.renamed.items()]
    if renamed:
        bits.append("import " + ", ".join(renamed))
    dropped = [p.site.specifier for p in plans if p.dropped]
    if dropped:
        bits.append("remove the stale line " + ", ".join(repr(s) for s in dropped))
    title = "; ".join(bits)
    return title[:1].upper() + title[1:]


# --- deciding --------------------------------------------------------------------------


def _plan_site(ctx: Context, file: SourceFile, site: ImportSite, res: Resolution) -> SitePlan:
    plan = SitePlan(site, res)
    exports = ctx.project.exports
    named = list(site.named)
    whole = [e for e in site.entries if e not in named]
    if res.ok and res.path == file.path and site.kind == IMPORT and named and not whole:
        _import_of_itself(ctx, file, plan, named)  # a merge pasted the file's own import of it
        return plan
    if res.ok and all(exports.exports(res.path, e.imported) for e in site.entries if e.imported != "*"):
        return plan  # healthy
    if not res.ok and _follow_git(ctx, file, plan):
        return plan
    if res.status == MISSING and named and not whole and _moved_folder(ctx, file, plan, named):
        return plan
    if not res.ok and (whole or site.side_effect_only):
        _plan_whole(ctx, file, plan)
        if not plan.new_specifier:
            return plan
        named = []  # a whole-site repoint carries the named entries along
    barrel_will_cover = res.ok and _stale_star_fixable(ctx, res.path)
    for entry in named:
        if res.ok and (exports.exports(res.path, entry.imported) or barrel_will_cover
                       or _named_line_repointed(ctx, res.path, entry.imported)):
            # healthy, or healthy once the barrel's stale `export *`, or its stale named line
            # for this name, is repointed
            plan.stay.append(entry)
            continue
        # a barrel naming it in a broken line of its own (one this run does not fix) gets no
        # `export *` of the module: that line would shadow it, and it would make public
        # what the named list leaves out
        module = (unreached_definer(ctx, res.path, entry.imported)
                  if res.ok and entry.imported not in _named_lines(ctx, res.path) else None)
        if module is not None:  # the importer chose the folder's barrel: complete the barrel, keep the import
            plan.stay.append(entry)
            if not ctx.fixed_by_claimant(module, what="module"):
                plan.barrel_lines.setdefault((res.path, module), []).append(entry.imported)
            # else SF005 completes the schema barrel (in the barrel the module's folder
            # belongs to, or through its folder's index): a line of this rule's own, in
            # the same run, would reach the module twice
            continue
        if res.ok and (renamed := renamed_to(ctx.project, res.path, entry.imported)) is not None:
            plan.stay.append(entry)  # kept in its place, under the new name
            plan.renamed[entry] = renamed
            continue
        _decide(ctx, file, plan, entry)
    if res.ok:
        for entry in whole:
            if entry.imported == "default" and not exports.exports(res.path, "default"):
                plan.problems.append(f"{site.specifier!r} has no default export (import {entry.local})")
    return plan


def _repeated_bindings(file: SourceFile, targets: tuple[str | None, ...],
                       preferred: Callable[[], str | None]) -> dict[int, dict[ImportEntry, ImportSite]]:
    """Named import entries that bind a name exactly as an earlier import statement of the
    same module does (same name, alias and `type`): site start -> {entry: the earlier
    statement}. The same module is the same specifier, or two specifiers that lead to one
    project file (`./users` and `./users.js`, an alias and a relative path): ``targets``,
    the file's site targets, which the export map resolved once and keeps. Two such
    bindings are TS2300 (a merge pasted a module's imports under the other's, or an
    extension style under the other); the later one goes: both bind the same thing,
    unless only the later one names the file in the project's extension style
    (``preferred()``, asked only then; None when no style has most): `./users` beside `./users.js` in a project whose
    relative imports write `.js` (under `nodenext` the extension-less one is TS2835 too).
    Empty for almost every file (no module imported by two statements), without looking
    at entries: a plain string per statement first (its file, else its specifier; an
    equality there that is no repeat only costs the exact look below)."""
    imports = file.facts.imports
    modules = [target or site.specifier for site, target in zip(imports, targets)
               if site.kind == IMPORT and site.entries]
    if len(set(modules)) == len(modules):
        return {}
    sites = [(site, _module_key(site, target)) for site, target in zip(imports, targets)
             if site.kind == IMPORT and site.named]
    first: dict[tuple, tuple[ImportSite, ImportEntry]] = {}
    out: dict[int, dict[ImportEntry, ImportSite]] = {}
    for site, module in sites:
        for entry in site.named:
            key = (module, entry.imported, entry.local or entry.imported, site.type_only or entry.type_only)
            if key not in first:
                first[key] = (site, entry)
                continue
            earlier, earlier_entry = first[key]
            ext, earlier_ext = extension_of(site.specifier), extension_of(earlier.specifier)
            if ext != earlier_ext and ext == preferred():
                first[key] = (site, entry)
                out.setdefault(earlier.start, {})[earlier_entry] = site
            else:
                out.setdefault(site.start, {})[entry] = earlier
    return out


def _project_extension_style(ctx: Context) -> str | None:
    """The extension style most of the project's relative imports write, None on a tie."""
    counts = project_extension_counts(ctx)
    top = max(counts.values())
    winners = [style for style, n in counts.items() if n == top]
    return winners[0] if len(winners) == 1 else None


def _module_key(site: ImportSite, target: str | None) -> tuple[str, str]:
    """What names the module ``site`` imports: the project file it resolves to, else
    (a package, a file not found) its specifier as written."""
    return ("file", target) if target is not None else ("specifier", site.specifier)


def _import_of_itself(ctx: Context, file: SourceFile, plan: SitePlan, named: list[ImportEntry]) -> None:
    """`import { posts } from './posts'` in `posts.ts` (a module merged in, its import of
    the other file pasted along): each name the file declares itself under the same name
    collides with that declaration (TS2440, TS2395) and goes; any other stays."""
    for entry in named:
        found = _own_declaration(file, plan.site, entry, set())
        if found is not None and found[1] and (entry.local or entry.imported) == entry.imported:
            plan.removed.append(entry)
            plan.declared_here[entry.imported] = found[0].line
        elif ctx.project.exports.exports(file.path, entry.imported):
            plan.stay.append(entry)
        else:
            _decide(ctx, file, plan, entry)


def _moved_folder(ctx: Context, file: SourceFile, plan: SitePlan, named: list[ImportEntry]) -> bool:
    """An import from a folder (`@/ui/components`, its index) that moved: the statement
    follows the one folder index elsewhere whose folder has the same name and that
    re-exports every name asked, each the declaration of the one module defining it
    (what per-name repointing would have chosen, through the barrel the author used)."""
    spec = plan.site.specifier.rstrip("/")
    if posixpath.splitext(spec)[1]:
        return False  # a file's name (`./users.js`), not a folder's
    exports = ctx.project.exports
    found = []
    for index in _indexes_by_folder_name(ctx).get(_barrels.normalized_stem(spec), ()):
        if index == file.path or exports.reaches(index, file.path) or _barrels.under(file.path, _barrels.folder(index)):
            continue  # an import cycle, or one the barrel of the importer's own folder would make once it
            # re-exports the importer (SF005 adds such lines): per-name repointing goes to the module itself
        names = exports.names(index)
        if all((b := names.get(e.imported)) is not None and exports.definers.get(e.imported, set()) == {b.origin}
               for e in named):
            found.append(index)
    if len(found) != 1:
        return False
    plan.new_specifier = (found[0], SAFE)
    plan.evidence = "the folder moved; its index re-exports every name"
    return True


def _indexes_by_folder_name(ctx: Context) -> dict[str, list[str]]:
    """Folder indexes (``index.ts``) by their folder's normalised name, once per snapshot."""
    def compute() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for path in sorted(ctx.project.files):
            if _barrels.is_barrel_name(path) and "/" in path:
                out.setdefault(_barrels.normalized_stem(_barrels.folder(path)), []).append(path)
        return out
    return ctx.memo("sf001-indexes-by-folder-name", compute)


def _follow_git(ctx: Context, file: SourceFile, plan: SitePlan) -> bool:
    """Git saw the file the specifier named renamed, or the importing file moved while the
    file it named stayed: the strongest evidence. The whole statement follows it when
    that file exports every name it asks for."""
    site = plan.site
    moves = ctx.project.resolver.around.moves
    moved = follow(moves, file.path, site.specifier)
    if moved is None and moves and not is_relative(site.specifier):  # `@/lib/db/schema`: where the alias led
        gone = {follow_base(moves, base) for base in ctx.project.resolver.intended(file.path, site.specifier)}
        gone.discard(None)
        moved = gone.pop() if len(gone) == 1 else None
    evidence = f"git saw the file renamed to {moved}"
    if moved is None and moves and is_relative(site.specifier):
        # the importing file moved (git saw it), the file it named stayed: read from where it was
        old = moved_from(moves, file.path)
        there = ctx.project.resolver.resolve(old, site.specifier) if old is not None else None
        if there is not None and there.ok:
            moved, evidence = there.path, f"git saw this file moved from {old}, where it named {there.path}"
    if moved is None or moved == file.path or moved not in ctx.project.files:
        return False
    exports = ctx.project.exports
    missing = [e for e in site.entries if e.imported not in ("*", "=") and not exports.exports(moved, e.imported)]
    renamed = {}
    if missing:  # each one exported under a new name now, the file renamed too (git's HEAD shows both)
        was = moved_from(moves, moved)
        named = set(site.named)
        for entry in missing:
            new = renamed_to(ctx.project, moved, entry.imported, was) if was and entry in named else None
            if new is None:
                return False
            renamed[entry] = new
    plan.new_specifier = (moved, SAFE)
    plan.renamed.update(renamed)
    plan.evidence = evidence
    return True


def _plan_whole(ctx: Context, file: SourceFile, plan: SitePlan) -> None:
    """Default / namespace / side-effect / `export *`: repoint only to a module whose
    file name matches the specifier's, and only when exactly one does (a safe fix when it
    is in the folder the specifier pointed into, else an unsafe one)."""
    site = plan.site
    want = _barrels.normalized_stem(site.specifier.rstrip("/"))
    exports = ctx.project.exports
    # the modules that do not re-export this file (importing one of them would be a cycle)
    pool = [p for p in sorted(ctx.project.files) if not exports.reaches(p, file.path)]
    matches = [p for p in pool if _barrels.normalized_stem(p) == want]
    needs_default = any(site.is_default_binding(e) for e in site.entries)
    if needs_default:  # a module's own, as read (`export *` never brings one; an open module is no evidence)
        matches = [m for m in matches if "default" in exports.names(m)]
    if site.star:
        found = _barrels.replacement(ctx.project, file.path, site, pool)
        if found.target is not None:
            plan.new_specifier = (found.target, SAFE if found.certain else UNSAFE)
            if not found.certain:
                plan.evidence = "; ".join([found.why, *found.notes])
            return
        merged = _barrels.merged_away(ctx.project, file.path, site)
        if merged is not None:
            plan.dropped = (f"every name {merged[0]} exported in git's HEAD is exported by this file's other "
                            "lines now (its module was merged): removed")
            return
        plan.problems.append(f"export * of {site.specifier!r} does not resolve and no single module replaced it"
                             + (f" ({'; '.join(found.notes)})" if found.notes else ""))
        return
    # the folder the specifier pointed into: a namesake elsewhere is another module as
    # often as the moved one (`./schema` vs `app/settings/schema.ts`), a guess at most
    dirs = {posixpath.dirname(EXTENSION_RE.sub("", base)) for base in ctx.project.resolver.intended(
        file.path, site.specifier)}
    here = [m for m in matches if posixpath.dirname(m) in dirs]
    if len(here) == 1:
        plan.new_specifier = (here[0], SAFE)
        return
    if not here and len(matches) == 1:
        plan.new_specifier = (matches[0], UNSAFE)
        plan.evidence = "the one file of that name, in another folder than the import pointed into"
        return
    followed = _barrels.moved_in_head(ctx.project, file.path, site.specifier, pool)
    if followed is not None:  # renamed or moved without git: by what it exported in HEAD
        plan.new_specifier = (followed[0], SAFE)
        plan.evidence = followed[1]
        return
    kind = "namespace import" if site.entries else "side-effect import"
    if needs_default:
        kind = "default import"
    if not matches:
        plan.problems.append(f"{kind} of {site.specifier!r} does not resolve and no module has that file name")
    else:
        plan.problems.append(f"{kind} of {site.specifier!r} does not resolve; candidates: {', '.join(matches)}")


def _stale_star_fixable(ctx: Context, module: str) -> bool:
    """Does ``module``, or a barrel it re-exports from, have an `export *` that does not
    resolve but that will be repointed to a module replacing it? Then its importers wait
    for that fix (the next pass sees what it brings) instead of being repointed past the
    barrel, or the barrel getting a line of its own for the module."""
    exports = ctx.project.exports
    return any(_own_stale_star_fixable(ctx, m) for m in (module, *sorted(exports.reexports_from(module)))
               if m in ctx.project.files)


def _own_stale_star_fixable(ctx: Context, module: str) -> bool:
    def compute() -> bool:
        barrel = ctx.project.files[module]
        stale = [s for s in barrel.facts.imports if s.star and not ctx.project.resolver.resolve(module, s.specifier).ok]
        if not stale:
            return False  # the common case: no sort of every project file
        pool = [p for p in sorted(ctx.project.files) if p != module]
        return any(_barrels.replacement(ctx.project, module, s, pool).target is not None for s in stale)
    return ctx.memo(f"sf001-stale-star:{module}", compute)


def _named_line_repointed(ctx: Context, module: str, name: str) -> bool:
    """Will ``module`` export ``name`` once this rule's fix of a broken named re-export
    line (`export { users } from './users'`, its module renamed or merged away), at the
    level this run applies, is applied, the line being in ``module`` or in a barrel
    ``module`` reaches through `export *` lines alone? Then an importer of ``module``
    waits for that fix, as for a stale `export *` (``_stale_star_fixable``): repointing
    it past the barrel, or giving the barrel an `export *` of the module, would be a
    second fix of the same break, and that `export *` would make public what the named
    list left out. A line this run does not fix (no module defines the name, several do,
    the barrel is not edited) changes nothing here: the importer is decided as before."""
    def compute() -> bool:
        exports = ctx.project.exports
        if name in exports.ambiguous(module):
            return False
        level = ctx.settings.minimum_applicability
        for barrel in _barrels.reach(ctx.project, module, star_only=True):
            starts = _named_lines(ctx, barrel).get(name)
            if not starts or not ctx.can_edit(barrel) or (ctx.targets is not None and barrel not in ctx.targets):
                continue  # the common case (no such line), or this run does not fix the barrel
            for plan in _plans_asked(ctx, ctx.project.files[barrel]):
                if plan.site.start not in starts:
                    continue
                if plan.new_specifier is not None:
                    if plan.new_specifier[1] >= level:
                        return True
                elif any((m.entry.local or m.entry.imported) == name and m.applicability >= level
                         for m in plan.moves):
                    return True
        return False
    return ctx.memo(f"sf001-named-line-repointed:{module}:{name}", compute)


def _named_lines(ctx: Context, barrel: str) -> dict[str, frozenset[int]]:
    """The names ``barrel`` re-exports by name (`export { a as b } from`: b), each with
    where its lines start. Once per file and pass."""
    def compute() -> dict[str, frozenset[int]]:
        file = ctx.project.files.get(barrel)
        out: dict[str, set[int]] = {}
        for site in file.facts.imports if file is not None else ():
            if site.kind == REEXPORT and not site.star:
                for e in site.named:
                    out.setdefault(e.local or e.imported, set()).add(site.start)
        return {n: frozenset(starts) for n, starts in out.items()}
    return ctx.memo(f"sf001-named-lines:{barrel}", compute)


def _plans_asked(ctx: Context, file: SourceFile) -> list[SitePlan]:
    """``file``'s plans for another file's question, made once per pass (and then reused
    by ``file``'s own check). A barrel whose plans are being made when asked again (its
    lines lead back to it) answers with none: the importer is decided as before."""
    done = ctx.memo(_PLANNED, dict)
    if file.path not in done:
        making: set[str] = ctx.memo("sf001-file-plans-making", set)
        if file.path in making:
            return []
        making.add(file.path)
        try:
            done[file.path] = _plan_file(ctx, file)
        finally:
            making.discard(file.path)
    return done[file.path][0]


def _decide(ctx: Context, file: SourceFile, plan: SitePlan, entry: ImportEntry) -> None:
    exports = ctx.project.exports
    name = entry.imported
    # never the importer itself, nor a module that re-exports it (an import cycle)
    candidates, cyclic = _candidates(ctx, file, exports.definers.get(name, ()))
    if not candidates and not cyclic:
        candidates, cyclic = _candidates(ctx, file, exports.reexporters.get(name, ()))
    own = _own_declaration(file, plan.site, entry, {exports.names(c)[name].kind for c in candidates})
    if own is not None:
        decl, covered = own
        if covered:  # moved into this file (a merge): the file's own declaration is what it uses
            plan.removed.append(entry)
            plan.declared_here[name] = decl.line
        else:
            plan.stay.append(entry)
            plan.problems.append(f"{name} is declared in this file (line {decl.line}) and imported too, and the "
                                 "declaration does not stand for everything the import brings; decide which goes")
        return
    if not entry.type_only and not plan.site.type_only:
        values = [c for c in candidates if exports.names(c)[name].kind != TYPE]
        candidates = values or candidates
    # `users.d.ts` beside `users.ts` (stale build output) is the same module to TypeScript,
    # which picks the .ts: not a rival candidate.
    sources = {c[: -len(ext)] for c in candidates for ext in (".ts", ".tsx") if c.endswith(ext) and not c.endswith(".d.ts")}
    candidates = [c for c in candidates if not (c.endswith(".d.ts") and c[: -len(".d.ts")] in sources)]
    if candidates and name in names_used_as_tables(file, ctx.project):
        # passed to relations() / one() / many(): only a table can be meant, and a module
        # defining one is certain evidence; one that certainly defines no table is none
        table_defs = tables(ctx.project)
        origins = {c: tuple(exports.names(c)[name][:2]) for c in candidates}
        defining = [c for c in candidates if origins[c] in table_defs]
        if not defining:
            defining = [c for c in candidates if not not_a_table(ctx.project, *origins[c])]
        if not defining:
            close = difflib.get_close_matches(name, sorted({n for _module, n in table_defs}), n=3, cutoff=0.6)
            plan.stay.append(entry)
            plan.problems.append(f"{name} is used as a table here, but {', '.join(candidates)} "
                                 f"{'exports' if len(candidates) == 1 else 'export'} it as something else; "
                                 "kept where it is" + (f"; tables of a like name: {', '.join(close)}" if close else ""))
            return
        candidates = defining
    if len(candidates) == 1:
        # a module left out only for the cycle may be the one meant: likeness, not proof;
        # so may the binding the module named still holds without exporting it, or holds
        # under a new name (git's HEAD: the same declaration)
        held = held_under(ctx.project, plan.resolution.path, name) if plan.resolution.ok else None
        if held is not None:
            plan.held_there[name] = held
        doubt = cyclic or _still_bound_there(ctx, plan.resolution, name, candidates[0]) or held is not None
        plan.moves.append(Move(entry, candidates[0], UNSAFE if doubt else SAFE))
        return
    if not candidates and cyclic:
        plan.problems.append(f"{name} is exported only by {', '.join(cyclic)}, which re-export"
                             f"{'s' if len(cyclic) == 1 else ''} this file (an import cycle); kept where it is")
        plan.stay.append(entry)
        return
    if not candidates:
        if plan.site.kind == IMPORT and not _used(file, entry.local, plan.site):
            plan.removed.append(entry)
            return
        everything = sorted({n for p in ctx.project.files if p != file.path for n in exports.names(p)})
        close = difflib.get_close_matches(name, everything, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        plan.problems.append(f"{name} is exported by no module{hint}; kept where it is")
        plan.stay.append(entry)  # a used name is never dropped: it stays in the statement
        return
    # Several modules define the name: folder and file-name likeness can rank them, but
    # never prove which one the import meant, so the best is at most UNSAFE; except the
    # file the specifier named, renamed in the folder it named (`create-table` ->
    # `createTable.ts`, no git): the one candidate there of that name is the module meant.
    dirs = _intended_dirs(ctx, file, plan)
    ranked = sorted(candidates, key=lambda c: _rank(file.path, plan, c, dirs), reverse=True)
    first, second = (_rank(file.path, plan, c, dirs) for c in ranked[:2])
    if plan.resolution.status == MISSING and first[0] == (1, 2) and second[0] != (1, 2):
        plan.moves.append(Move(entry, ranked[0], SAFE))
        return
    if first > second:
        plan.moves.append(Move(entry, ranked[0], UNSAFE))
    else:
        plan.stay.append(entry)
        plan.problems.append(f"{name} is defined in several modules: {', '.join(candidates)}; "
                             "import it from the right one")


def _still_bound_there(ctx: Context, res: Resolution, name: str, candidate: str) -> bool:
    """The module the specifier names declares ``name`` without exporting it, or imports
    it from somewhere other than ``candidate``: the export was dropped or renamed there
    (`env` now `createEnv`, `env` imported from 'node:process'), not moved to
    ``candidate``, whose ``name`` may be another thing of that name. A module a name was
    moved out of binds it, if at all, by importing it from where it went."""
    if res.status != FILE or res.path not in ctx.project.files:
        return False
    facts = ctx.project.files[res.path].facts
    if any(d.name == name and not d.exported for d in facts.declarations):
        return True
    targets = ctx.project.exports.site_targets(res.path)
    return any(site.kind == IMPORT and target != candidate and any(e.local == name for e in site.entries)
               for site, target in zip(facts.imports, targets))


# what a top-level declaration names: a value, a type, or both
_MEANINGS = {"const": {VALUE}, "let": {VALUE}, "var": {VALUE}, "function": {VALUE}, "interface": {TYPE},
             "type": {TYPE}}


def _own_declaration(file: SourceFile, site: ImportSite, entry: ImportEntry, kinds: set[str]):
    """When ``file`` declares at its top level (``declare`` aside) the name ``entry``
    binds and the import collides with that declaration: (the declaration, whether it
    stands for everything the import brings, so that removing the import is right).
    None when they coexist or there is no such declaration.

    ``kinds``: what the other modules exporting the name export it as (VALUE, TYPE).
    An exported declaration collides with any import of its name (TS2395); one that is
    not exported only with an import of the same kind (TS2440: `import type { User }`
    beside `const User` is legal). With no other module exporting the name the file's
    exported declaration is its only source (it was merged into the file); an unexported
    one says nothing (the import is reported as before)."""
    if site.kind != IMPORT:
        return None
    local = entry.local or entry.imported
    decl = next((d for d in file.facts.declarations if d.name == local and not d.ambient), None)
    if decl is None:
        return None
    meanings = _MEANINGS.get(decl.keyword, {VALUE, TYPE})  # class, enum, namespace: both
    if not kinds:
        if not decl.exported:
            return None
        kinds = {TYPE} if site.type_only or entry.type_only else meanings
    if not decl.exported and not kinds & meanings:
        return None  # a value and a type of one name: they coexist
    return decl, kinds <= meanings


def _candidates(ctx: Context, file: SourceFile, modules) -> tuple[list[str], list[str]]:
    """(``modules`` ``file`` may import, those that re-export ``file``); never ``file``."""
    exports = ctx.project.exports
    others = sorted(p for p in modules if p != file.path)
    return ([p for p in others if not exports.reaches(p, file.path)],
            [p for p in others if exports.reaches(p, file.path)])


def _intended_dirs(ctx: Context, file: SourceFile, plan: SitePlan) -> frozenset[str]:
    """The folders the specifier pointed into (through a tsconfig ``paths`` or package.json
    ``imports`` alias too), for ``_rank``."""
    return frozenset(posixpath.dirname(EXTENSION_RE.sub("", base))
                     for base in ctx.project.resolver.intended(file.path, plan.site.specifier))


def _rank(importer: str, plan: SitePlan, candidate: str,
          dirs: frozenset[str] = frozenset()) -> tuple[tuple[int, int], int]:
    """(path match, -hops): higher is better. ``dirs``: the folders the specifier
    pointed into (``_intended_dirs``); a relative specifier's is found without them."""
    spec = plan.site.specifier
    if plan.resolution.status == FOLDER:
        intended_dir = plan.resolution.path
        same_dir = int(candidate.startswith(intended_dir + "/"))
        name_match = 0
    else:
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec)) if spec.startswith(".") else spec
        intended_dir = posixpath.dirname(base)
        same_dir = int(posixpath.dirname(candidate) in (dirs or {intended_dir}))
        want, have = _barrels.normalized_stem(spec), _barrels.normalized_stem(candidate)
        name_match = 2 if want == have else 1 if want and (want in have or have in want) else 0
    return (same_dir, name_match), -_hops(posixpath.dirname(importer), posixpath.dirname(candidate))


def _hops(a: str, b: str) -> int:
    pa, pb = [x for x in a.split("/") if x], [x for x in b.split("/") if x]
    common = 0
    for x, y in zip(pa, pb):
        if x != y:
            break
        common += 1
    return len(pa) + len(pb) - 2 * common


def _used(file: SourceFile, local: str | None, site: ImportSite) -> bool:
    """Is ``local`` referenced anywhere in the file outside this import statement?"""
    if not local:
        return False
    needle = local.encode()
    if file.data.count(needle) <= 1:
        return False
    stack = [file.tree.root_node]
    while stack:
        node = stack.pop()
        if node.start_byte >= site.start and node.end_byte <= site.end:
            continue
        if node.type in _USE_NODES and node.text == needle:
            return True
        if node.type == "nested_identifier" and node.text.split(b".")[0] == needle:
            return True
        stack.extend(node.children)
    return False
