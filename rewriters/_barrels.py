"""Read-only helpers for SF005 (rewriters/barrel.py), also used by SF001: which files
are barrels, what a barrel reaches, which module replaced a stale re-export target,
which modules hold relations or tables, and where new lines go.

Nothing here builds edits; ``barrel.py`` decides what to change.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

from tree_sitter import Node

from codemod.facts import IMPORT, REEXPORT, ImportSite
from codemod.git_moves import candidates, follow
from codemod.lines import start_of_line
from codemod.parsing import text
from codemod.project import Project, SourceFile
from codemod.resolve import MISSING, is_relative
from codemod.rules import Option
from codemod.style import EXTENSION_RE, blank_line_before

from ._disk import disk
from ._naming import singular
from ._schema_entry import schema_modules
from ._tables import defines_table_in_project, defines_table_like

BARREL_NAMES = ("index.ts", "index.mts")
_BARREL_ENDINGS = tuple("/" + name for name in BARREL_NAMES)

# The schema barrel(s) to complete, shared by every rule that adds modules to it.
BARREL = Option("barrel", [], "The barrel file(s) to complete (default: detected).", metavar="FILE", paths=True)

# Folders and files that are never schema modules: tests, declarations, build output.
_SKIPPED_DIRS = ("__tests__", "__mocks__", "test", "tests", "dist", "build", "out", "node_modules", ".next",
                 "coverage")
_SKIPPED_FILE = r"\.d\.[mc]?ts$|\.(test|spec)\.[mc]?tsx?$"
# a folder of those (a path part followed by another), or a declaration or test file
_SKIPPED = re.compile(rf"(?:^|/)(?:{'|'.join(map(re.escape, _SKIPPED_DIRS))})/|{_SKIPPED_FILE}")

# drizzle table-like constructors: pgTable, mysqlTable, sqliteTable, singlestoreTable,
# pgEnum, pgView, pgMaterializedView, pgSequence, mysqlEnum ... (not pgTableCreator: a
# module holding only a creator makes no table; its calls do, read by ``_tables``)
_TABLE_CALL = re.compile(
    rb"\b(?:pg|mysql|sqlite|singlestore|gel|mssql)(?:Table|Enum|View|MaterializedView|Sequence)\s*[<(]"
)


def defines_tables(project: Project, file: SourceFile) -> bool:
    """Does a top-level statement (not a comment: doc comments show usage examples) call
    a table constructor, or declare a table as ``_tables`` reads them (a schema's
    ``auth.table(…)``, a ``pgTableCreator`` result, ``pg.pgTable`` of a namespace import)
    or a schema's enum, view or sequence? What the file alone tells is a summary, kept
    with its facts; a table made by a creator or schema imported from another module is
    looked up in ``project``."""
    found = file.summary(("barrel-defines-tables", 2), lambda: _defines_tables(file))
    if found is not None:
        return found
    return project.memo(("barrel-defines-tables", file.path), lambda: defines_table_in_project(project, file))


def _defines_tables(file: SourceFile) -> bool | None:
    """True, False, or None when it depends on another module."""
    if _TABLE_CALL.search(file.data) is not None:
        spans = file.facts.statements  # the top-level statements (no tree needed: facts may come from the cache)
        if any(_TABLE_CALL.search(file.data[spans[i]:spans[i + 1]]) for i in range(0, len(spans), 2)):
            return True
    return defines_table_like(file)  # the table-syntax summary: no tree either


def folder(path: str) -> str:
    return posixpath.dirname(path)


def under(path: str, directory: str) -> bool:
    return directory == "" or path.startswith(directory + "/")


def skipped(path: str, directory: str) -> bool:
    """Tests, declaration files and build output below ``directory``."""
    return _SKIPPED.search(path[len(directory) + 1:] if directory else path) is not None


def statements(file: SourceFile) -> list[Node]:
    return [n for n in file.tree.root_node.named_children if n.type not in ("comment", "empty_statement")]


def reexport_statements(file: SourceFile) -> list[Node]:
    return [n for n in statements(file) if n.type == "export_statement" and n.child_by_field_name("source")]


def is_barrel_like(file: SourceFile) -> bool:
    """Mostly ``export … from`` lines (more than half of the top-level statements). A
    summary: a commit hook does not parse the root barrel (1,800 lines at 19,813 files)
    to tell it is one."""
    return file.summary(("barrel-like",), lambda: _is_barrel_like(file))


def _is_barrel_like(file: SourceFile) -> bool:
    total = statements(file)
    reexports = reexport_statements(file)
    return bool(reexports) and 2 * len(reexports) > len(total)


def is_barrel_name(path: str) -> bool:
    return path.endswith(_BARREL_ENDINGS) or path in BARREL_NAMES


def reach(project: Project, barrel: str, *, star_only: bool = False) -> list[str]:
    """Modules reachable from ``barrel`` through re-exports (``barrel`` first), BFS order.
    Computed once per project snapshot; do not mutate the list."""
    return project.memo(("barrel-reach", barrel, star_only), lambda: _reach(project, barrel, star_only))


def _reach(project: Project, barrel: str, star_only: bool) -> list[str]:
    seen = [barrel]
    seen_set = {barrel}  # membership in O(1): the list keeps the BFS order
    queue = deque([barrel])
    edges = project.exports.reexport_edges  # kept between runs: the walk reads no file's facts
    while queue:
        path = queue.popleft()
        for target, star in edges(path):
            if star_only and not star:
                continue
            if target not in seen_set:
                seen.append(target)
                seen_set.add(target)
                queue.append(target)
    return seen


def find_roots(project: Project, explicit: tuple[str, ...]) -> list[str]:
    """The barrels to complete (see ``_find_roots``), once per project snapshot."""
    return project.memo(("barrel-roots", tuple(explicit)), lambda: _find_roots(project, tuple(explicit)))


def _find_roots(project: Project, explicit: tuple[str, ...]) -> list[str]:
    """The barrels to complete: ``explicit`` ones that exist, else the modules the app
    hands to drizzle (``schema_modules``), else every barrel-like ``index.ts``/``index.mts``
    that no other such barrel re-exports or contains in its folder (a per-domain barrel is
    completed only when the root barrel reaches it), among those reaching a table module
    when some do."""
    if explicit:
        return [p for p in dict.fromkeys(explicit) if p in project.files]
    handed = schema_modules(project)
    if handed:  # what the app gives drizzle decides; a schema that is no barrel has nothing to complete
        return [p for p in handed if is_barrel_name(p) and is_barrel_like(project.files[p])]
    candidates = sorted(p for p, f in project.files.items()
                        if is_barrel_name(p) and not f.has_error and is_barrel_like(f)
                        and not _reexports_a_package(f))
    reaches = {c: project.exports.reexports_from(c) | {c} for c in candidates}  # reach's set, memoised by the map
    # where some barrel reaches tables, one that reaches none is not the schema (a package
    # entry re-exporting its helpers): it neither is a root nor covers the barrels in its
    # folder (a package without tables keeps its barrels, for SF011)
    schemas = [c for c in candidates if any(defines_tables(project, project.files[m]) for m in reaches[c])]
    # one reaching its tables only through `export * as ns` lines is a package entry exposing
    # the schema as a namespace (drizzle handed it would see no table): not the schema barrel
    behind = {c for c in schemas if _tables_behind_namespaces(project, c)}
    if behind:
        candidates = [c for c in candidates if c not in behind]
        schemas = [c for c in schemas if c not in behind]
    if not schemas and _tables_elsewhere(project, candidates, reaches):
        # none reaches a table module, yet the project has some: the candidates are package
        # entries (the schema is handed to drizzle some other way, e.g. a config glob), except
        # one with a relative re-export line that leads nowhere (its tables moved away)
        candidates = [c for c in candidates if _has_stale_line(project, c)]
    else:
        candidates = schemas or candidates

    def rank(p: str) -> tuple[int, str]:
        return (p.count("/"), p)

    reached_by: dict[str, list[str]] = {}  # candidate -> the other candidates reaching it
    among = set(candidates)
    for o in candidates:  # the size of every reach, not the square of the candidates
        for m in reaches[o]:
            if m in among and m != o:
                reached_by.setdefault(m, []).append(o)
    roots: list[str] = []
    for c in sorted(candidates, key=rank):
        nested = any(o not in reaches[c] or rank(o) < rank(c) for o in reached_by.get(c, ()))
        inside = any(under(c, folder(r)) for r in roots)  # the outer barrel covers its folder
        if not nested and not inside:
            roots.append(c)
    return sorted(roots)


def _is_namespace_line(site) -> bool:
    """`export * as ns from '…'`."""
    return site.kind == REEXPORT and any(e.imported == "*" and e.local is not None for e in site.entries)


def _tables_behind_namespaces(project: Project, barrel: str) -> bool:
    """Does every table module ``barrel`` reaches lie behind an `export * as ns` line (asked
    of a barrel reaching some)? Reads the facts of the modules it walks, so only a barrel
    with such a line of its own walks."""
    if not any(_is_namespace_line(s) for s in project.files[barrel].facts.imports):
        return False
    seen, stack = {barrel}, [barrel]
    while stack:
        path = stack.pop()
        file = project.files.get(path)
        if file is None:
            continue
        if defines_tables(project, file):
            return False
        for site, target in zip(file.facts.imports, project.exports.site_targets(path)):
            if site.kind == REEXPORT and target is not None and target not in seen and not _is_namespace_line(site):
                seen.add(target)
                stack.append(target)
    return True


def _tables_elsewhere(project: Project, candidates: list[str], reaches: dict[str, set[str]]) -> bool:
    """Does a module outside every candidate's reach define a table (asked only when no
    candidate reaches one)?"""
    if not candidates:
        return False
    reached = set().union(*reaches.values())
    return any(p not in reached and not skipped(p, "") and defines_tables(project, f)
               for p, f in project.files.items())


def _has_stale_line(project: Project, barrel: str) -> bool:
    """A relative re-export line of ``barrel`` that resolves to no module."""
    targets = project.exports.site_targets(barrel)
    return any(s.kind == REEXPORT and t is None and is_relative(s.specifier)
               for s, t in zip(project.files[barrel].facts.imports, targets))


def _reexports_a_package(file: SourceFile) -> bool:
    """A package entry (``export * from 'drizzle-orm'`` beside its own modules) is not the
    schema barrel."""
    return any("drizzle" in s.specifier and s.star and not is_relative(s.specifier)
               and not s.specifier.startswith(("@/", "~/", "#"))
               and (s.specifier.startswith("@") or "/" not in s.specifier or s.specifier.count("/") == 1)
               for s in file.facts.imports)


def barrels_of(project: Project, root: str, reached: list[str] | None = None) -> list[str]:
    """``root`` and the per-domain barrels it reaches: the files whose re-export lines
    SF005 owns."""
    reached = reached if reached is not None else reach(project, root)
    return [root] + [p for p in reached[1:] if is_barrel_name(p) and is_barrel_like(project.files[p])]


class Replacement(NamedTuple):
    target: str | None  # None: no single module replaced it
    why: str
    notes: list[str]  # the candidates, or what makes the answer uncertain
    certain: bool = True  # False: the evidence leaves other answers open (an unsafe fix at most)


def _likeness(path: str, spec: str) -> str:
    """How ``path`` is like the specifier it replaces, as a diagnostic says it."""
    name = posixpath.basename(spec.rstrip("/"))
    stems = {EXTENSION_RE.sub("", posixpath.basename(path)), posixpath.basename(posixpath.dirname(path))}
    return "same file name" if EXTENSION_RE.sub("", name) in stems else \
        "the same name but for case, '-', '_' or a plural ending"


def replacement(project: Project, module: str, site: ImportSite, pool: list[str]) -> Replacement:
    """The module that replaced the missing target of re-export ``site`` in ``module``:
    the one file in ``pool`` with the same name (up to case, ``-``, ``_`` and a plural
    ending) in the folder a relative or aliased specifier pointed into, else the one module defining every name that
    importers take from ``module`` (for ``export *``) or that the line names.

    Found by usage, an ``export *`` target is not certain when a module beside it (or in
    the folder the line pointed into) exports names, is reached by neither, and nothing
    imports it: the old module may have been split, and that half is what nobody uses
    yet (for a schema barrel: a table drizzle would stop seeing)."""
    spec = site.specifier.rstrip("/")
    moved = follow(project.resolver.around.moves, module, spec)
    if moved is not None and moved in pool:
        return Replacement(moved, "git saw the file renamed", [])
    stem = normalized_stem(spec)

    def stem_of(p: str) -> str:
        return normalized_stem(folder(p)) if is_barrel_name(p) else normalized_stem(p)

    by_name = [p for p in pool if stem_of(p) == stem]
    if not by_name:  # `certificate` -> `certificates`, `category` -> `categories`
        by_name = [p for p in pool if singular(stem_of(p)) == singular(stem)]
    bases = project.resolver.intended(module, spec)  # relative, or through a tsconfig alias
    expected_dirs = {folder(EXTENSION_RE.sub("", b)) for b in bases}
    if bases:
        here = [p for p in by_name if folder(p) in expected_dirs or any(p.startswith(b + "/index.") for b in bases)]
        if len(here) == 1:
            return Replacement(here[0], _likeness(here[0], spec), [])
        elsewhere = [] if here else by_name  # a namesake in another folder is another module, not evidence
        by_name = here
    else:
        elsewhere = []
    if len(by_name) == 1:
        return Replacement(by_name[0], _likeness(by_name[0], spec), [])
    exports = project.exports
    followed = moved_in_head(project, module, site.specifier, pool) if not site.type_only else None
    if followed is not None:
        return Replacement(*followed, [])
    notes = [f"candidate by name: {p}" for p in by_name]
    notes += [f"same name in another folder (not taken): {p}" for p in elsewhere]
    taken = taken_from_missing(project, module, site.specifier) if site.star else _NONE
    if site.star:
        used = (importers_use(project, module) - set(exports.names(module))) | taken
    else:
        used = {e.imported for e in site.named}
    if used:
        definers = [p for p in pool if all((b := exports.names(p).get(n)) is not None and b.origin == p
                                           for n in used)]
        if len(definers) == 1:
            target = definers[0]
            why = "the one module defining " + ", ".join(sorted(used)) + (
                f", which other files imported from {site.specifier!r}" if used & taken else "")
            # a namesake folder index elsewhere re-exporting it: the folder moved, index and all
            moved = [p for p in elsewhere if is_barrel_name(p) and exports.reaches(p, target)
                     and all(n in exports.names(p) for n in used)]
            if len(moved) == 1:
                return Replacement(moved[0], f"the folder moved: its index re-exports {target}, {why}", [])
            rest = _unclaimed_beside(project, module, target, pool, {folder(target), *expected_dirs}) if site.star else []
            return Replacement(target, why, [f"also there, imported and re-exported by nothing: {p} (if the old "
                                             "module was split, re-export it too)" for p in rest], not rest)
        if not definers:
            notes.append("no module defines all of: " + ", ".join(sorted(used)))
        notes += [f"candidate defining every used name: {p}" for p in definers]
    return Replacement(None, "", notes)


def moved_in_head(project: Project, module: str, specifier: str, pool: list[str]) -> tuple[str, str] | None:
    """Where the file that the missing relative ``specifier`` of ``module`` named went,
    moved or merged without git's knowing (plain ``mv``), by the names it exported in git's
    HEAD: (the module of ``pool``, why). The one module defining every one of them (one
    ``module`` reaches already is a merge: ``merged_away``); for a folder's index, the
    folder's new index re-exporting them, index and all, or re-exporting each from a
    module of its own folder (a table and its relations: no one module defines them all).
    None when no single module answers, or HEAD holds no such file."""
    before = held_before(project, module, specifier)
    if before is None:
        return None
    old, names = before
    exports = project.exports
    moved_folder = f"the folder moved: its index re-exports every name {old} exported in git's HEAD"
    definers = defining_all(project, names, pool)
    if len(definers) == 1 and not exports.reaches(module, definers[0]):
        target = definers[0]
        if is_barrel_name(old):  # its new index, when one is found
            moved = [p for p in pool if is_barrel_name(p) and p != module and exports.reaches(p, target)
                     and not exports.reaches(module, p) and all(n in exports.names(p) for n in names)]
            if len(moved) == 1:
                return moved[0], moved_folder
        return target, f"it defines every name {old} exported in git's HEAD"
    if is_barrel_name(old) and (index := _moved_index(project, module, names, pool)) is not None:
        return index, moved_folder
    return None


def _moved_index(project: Project, module: str, names: tuple[str, ...], pool: list[str]) -> str | None:
    """The one folder index in ``pool`` (``module`` does not reach it yet) that exports every
    one of ``names`` from a module of its own folder: where a folder whose index exported
    those names in git's HEAD went, with a plain ``mv``."""
    exports = project.exports

    def inside(path: str, index: str) -> bool:
        here = folder(index)
        return not here or path.startswith(here + "/")

    found = [p for p in pool if is_barrel_name(p) and p != module and not exports.reaches(module, p)
             and all((b := exports.names(p).get(n)) is not None and inside(b.origin, p) for n in names)]
    return found[0] if len(found) == 1 else None


def _unclaimed_beside(project: Project, module: str, target: str, pool: list[str], folders: set) -> list[str]:
    """Modules of ``pool`` in ``folders`` (not tests, declarations or build output) that
    export names, that neither ``module`` nor ``target`` reaches and that no file imports:
    the halves of a split that usage cannot tell about."""
    exports = project.exports
    return [p for p in pool if p != target and folder(p) in folders and not _SKIPPED.search(p)
            and exports.names(p) and not exports.reaches(module, p) and not exports.reaches(target, p)
            and not is_imported(project, p)]


def defining_all(project: Project, names, pool, *, pure_barrels: bool = False) -> list[str]:
    """The modules of ``pool`` that define every one of ``names`` (with ``pure_barrels``,
    also a folder index that only re-exports: a module split into a folder), in order."""
    exports = project.exports

    def defines(p: str, n: str) -> bool:
        b = exports.names(p).get(n)
        return b is not None and (b.origin == p or pure_barrels and is_barrel_name(p) and all(
            x.origin != p for x in exports.names(p).values()))
    return [p for p in pool if names and all(defines(p, n) for n in names)]


def merged_away(project: Project, barrel: str, site: ImportSite) -> tuple[str, tuple[str, ...]] | None:
    """When git's ``HEAD`` holds the file the stale relative line ``site`` of ``barrel``
    named, and every name that file exported there is exported by ``barrel`` now (through
    its other lines: the stale one reaches nothing): (that file, its names). The module
    was merged into one the barrel reaches, and the line has nothing left to bring."""
    before = held_before(project, barrel, site.specifier) if not site.type_only else None
    if before is None:
        return None
    now = project.exports.names(barrel)
    return before if all(n in now for n in before[1]) else None


def held_before(project: Project, module: str, specifier: str) -> tuple[str, tuple[str, ...]] | None:
    """(the file, the names it exported) when git's ``HEAD`` holds exactly one file the
    relative ``specifier``, written in ``module``, may have named, and it exported names
    there: what a file moved or merged without git was."""
    if not is_relative(specifier):
        return None
    held = disk(project).names_before(candidates(module, specifier))
    if len(held) != 1:
        return None
    [(old, names)] = held.items()
    return (old, names) if names else None


def importers_use(project: Project, module: str) -> set[str]:
    """Names other files take from ``module`` by name (imports and named re-exports).
    Do not mutate the set."""
    return _names_taken(project).get(module, _NONE)


_NONE: frozenset[str] = frozenset()


# `// export * from './drafts';`, `/* export { a } from "./a" */`, `* export * from …` in a
# block comment: a re-export line the author commented out
_COMMENTED_REEXPORT = re.compile(rb"""^[ \t]*(?://+|/\*+|\*)[ \t]*export\b[^'"\n]*?\bfrom[ \t]*(['"])([^'"\n]+)\1""",
                                 re.M)


def commented_out(project: Project, barrel: str) -> dict[str, int]:
    """The modules a commented-out re-export line of ``barrel`` leads to, each with the
    offset of its first such line: the author took them out of the barrel, and no rule
    puts them back. Once per snapshot and barrel."""
    def compute() -> dict[str, int]:
        file = project.files[barrel]
        out: dict[str, int] = {}
        if b"export" not in file.data:
            return out
        for m in _COMMENTED_REEXPORT.finditer(file.data):
            try:
                spec = m.group(2).decode("utf-8")
            except UnicodeDecodeError:
                continue
            target = project.resolver.resolve(barrel, spec)
            if target.ok and target.path in project.files:
                out.setdefault(target.path, m.start())
        return out
    return project.memo(("barrel-commented-out", barrel), compute)


def is_imported(project: Project, module: str, *, outside: str | None = None) -> bool:
    """``module in imported_modules(project, outside=outside)``, answered from the export
    map's importers of ``module`` when one of them counts (a commit hook asks this of one
    file: the whole set reads every file's imports, 40 ms at 19,813 files). The map's
    importers are a subset of the set's (its imports, re-exports and requires, dynamic
    imports aside), so the set is built only when none of them counts."""
    if any(d != module and (outside is None or not under(d, outside))
           for d in project.exports.dependents().get(module, ())):
        return True
    return module in imported_modules(project, outside=outside)


def imported_modules(project: Project, *, outside: str | None = None) -> frozenset[str]:
    """Modules some other file imports or re-exports (with ``outside``: some file that is
    not under that folder). Once per snapshot and folder."""
    def compute() -> frozenset[str]:
        by_importer = _modules_reached(project)
        return frozenset(m for path, ms in by_importer.items() if outside is None or not under(path, outside)
                         for m in ms)
    return project.memo(("barrel-imported-modules", outside), compute)


def _modules_reached(project: Project) -> dict[str, tuple[str, ...]]:
    """importer -> the other modules its imports resolve to, once per snapshot. Tuples:
    a set of a file's few targets took 216 bytes or more (10.8 MB at 19,813 files)."""
    def compute() -> dict[str, tuple[str, ...]]:
        reached: dict[str, tuple[str, ...]] = {}
        site_targets = project.exports.site_targets
        for path in project.files:
            targets = set(site_targets(path))
            targets.discard(None)
            targets.discard(path)
            if targets:
                reached[path] = tuple(targets)
        return reached
    return project.memo(("barrel-modules-reached",), compute)


def _names_taken(project: Project) -> dict[str, set[str]]:
    """module -> the names other files take from it by name (imports and named
    re-exports), once per snapshot."""
    def compute() -> dict[str, set[str]]:
        names: dict[str, set[str]] = {}
        resolve = project.resolver.resolve
        for path, file in project.files.items():
            for spec, taken in _import_lines(file):
                res = resolve(path, spec)
                if res.ok and res.path != path:
                    names.setdefault(res.path, set()).update(taken)
        return names
    return project.memo(("barrel-names-taken",), compute)


def taken_from_missing(project: Project, module: str, specifier: str) -> frozenset[str]:
    """The names files took by name, as the run first read them (``Project.imports_as_first_read``),
    through a specifier naming the same missing module as ``specifier`` of ``module``
    (the same place, extension aside): what a module gone without git's knowing exported,
    as far as its users say."""
    index = project.memo(("barrel-taken-from-missing",), lambda: _taken_from_missing(project))
    out: set[str] = set()
    for base in project.resolver.intended(module, specifier):
        out |= index.get(EXTENSION_RE.sub("", base), _NONE)
    return frozenset(out)


def _taken_from_missing(project: Project) -> dict[str, set[str]]:
    """missing module (root-relative, extension stripped) -> the names files took from it
    by name, as the run first read them; once per snapshot, asked only for a line whose
    target is gone."""
    resolver = project.resolver
    files = project.files
    out: dict[str, set[str]] = {}
    for path, sites in project.imports_as_first_read():
        file = files.get(path)
        lines = _import_lines(file) if file is not None and sites is file.facts.imports else _lines_of(sites)
        for spec, taken in lines:
            if resolver.resolve(path, spec).status == MISSING:
                for base in resolver.intended(path, spec):
                    out.setdefault(EXTENSION_RE.sub("", base), set()).update(taken)
    return out


def _import_lines(file: SourceFile) -> list[tuple[str, frozenset[str]]]:
    """The specifiers a file's imports and named re-exports take names from by name,
    each once, with those names (a fact of the file alone, kept while its bytes last)."""
    return file.memo("barrel-import-lines", lambda: _read_import_lines(file))


def _read_import_lines(file: SourceFile) -> list[tuple[str, frozenset[str]]]:
    return _lines_of(file.facts.imports)


def _lines_of(sites) -> list[tuple[str, frozenset[str]]]:
    by_spec: dict[str, set[str]] = {}
    for site in sites:
        if site.kind in (IMPORT, REEXPORT):
            taken = {e.imported for e in site.named if e.imported not in ("*", "default", "=")}
            if taken:
                by_spec.setdefault(site.specifier, set()).update(taken)
    return [(spec, frozenset(taken)) for spec, taken in by_spec.items()]


def normalized_stem(name: str) -> str:
    stem = posixpath.basename(name)
    stem = re.sub(r"\.(?:d\.)?[mc]?[jt]sx?$", "", stem)
    return re.sub(r"[-_.]", "", stem).lower()


# --- where new lines go -------------------------------------------------------------


@dataclass(frozen=True)
class BarrelLayout:
    """How a barrel arranges its re-export lines."""

    last_reexport_end: int | None  # end of the line holding the last re-export
    grouped: bool  # re-export lines are grouped under `// Heading` line comments
    blank_between_groups: bool
    relations_group_end: int | None  # end of the line of the last re-export under a "relations" heading
    tables_group_end: int | None = None  # ... under a "tables" heading (`// Tables`, `// Database tables`)


def layout(file: SourceFile) -> BarrelLayout:
    data = file.data
    children = file.tree.root_node.named_children
    last_end = None
    grouped = False
    blank: bool | None = None  # unknown until a heading below the first line is seen
    heading: str | None = None
    relations_end = tables_end = None
    for i, node in enumerate(children):
        if (node.type == "comment" and text(node).startswith("//") and _own_line(data, node)
                and _next_is_reexport(children, i)):
            grouped = True
            heading = text(node)
            if node.start_byte > 0:
                blank = bool(blank) or _blank_line_before(data, node.start_byte)
            continue
        if node.type == "export_statement" and node.child_by_field_name("source") is not None:
            line_end = file.line_span(node.start_byte, node.end_byte)[1]
            last_end = line_end
            if heading is not None and re.search(r"relation", heading, re.I):
                relations_end = line_end
            elif heading is not None and re.search(r"\btables?\b", heading, re.I):
                tables_end = line_end
        elif node.type != "comment":
            heading = None
    return BarrelLayout(last_end, grouped, blank is not False, relations_end, tables_end)


def _own_line(data: bytes, node: Node) -> bool:
    line_start = start_of_line(data, node.start_byte)
    return not data[line_start:node.start_byte].strip() and node.start_point.row == node.end_point.row


def _next_is_reexport(children: list[Node], i: int) -> bool:
    for node in children[i + 1:]:
        if node.type == "comment":
            continue
        return node.type == "export_statement" and node.child_by_field_name("source") is not None
    return False


def _blank_line_before(data: bytes, start: int) -> bool:
    """Is the line above the one holding offset ``start`` blank (False on the first line)?"""
    line_start = start_of_line(data, start)
    return line_start > 0 and blank_line_before(data, line_start)
