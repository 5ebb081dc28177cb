"""Merging two ``relations()`` of one table that live in two modules (a fix SF005
offers when the barrel cannot export both): the properties of the declaration
outside the module named ``relations.ts`` move into the one inside it (the same lossless
merge as SF003), the moved-from declaration is deleted, and the destination imports,
through the import editor, what the moved properties reference."""

from __future__ import annotations

import posixpath
from typing import Callable

from codemod.exportmap import Binding
from codemod.facts import DYNAMIC, REQUIRE
from codemod.model import Applicability, Edit, Fix
from codemod.parsing import walk
from codemod.project import Project, SourceFile
from codemod.resolve import is_relative
from codemod.rules import Context
from codemod.style import EXTENSION_RE
from codemod.wording import plural

from . import _barrels
from ._drizzle import RelationsDecl, relations_declarations
from ._import_editor import Wanted, add_imports
from ._relations_merge_plan import plan_merge, removal_edits, table_identity
from ._tables import import_binding
from ._unused_imports import left_unused

DeclsOf = Callable[[str], dict[str, RelationsDecl]]  # path -> its exported relations() declarations by name


def merge_fix(ctx: Context, decls: DeclsOf, bindings: list[Binding]) -> tuple[Fix | None, list[str]]:
    """A SAFE fix for two relations() declarations of one table in two modules: the
    properties of the one outside the module named ``relations.ts`` (or, when the project
    keeps relations beside their tables, outside the table's module) move into the other
    (SF003's lossless merge), the moved-from declaration is deleted, and the destination
    imports what the moved properties reference. (None, [why]) when the merge is not
    unambiguous or not lossless."""
    if len(bindings) != 2 or bindings[0].origin == bindings[1].origin:
        return None, []
    pairs = []
    for b in bindings:
        file = ctx.project.files.get(b.origin)
        decl = decls(b.origin).get(b.name)
        if file is None or decl is None:
            return None, []
        pairs.append((file, decl))
    named = [p for p in pairs if _stem(p[0].path) == "relations"]
    if len(named) != 1:
        # the project's convention decides: relations beside their table, when it keeps them so
        beside = [p for p in pairs if table_identity(p[0], ctx.project, p[1])[0] == p[0].path]
        if len(beside) == 1 and _relations_live_beside_tables(ctx):
            named = beside
        else:
            return None, ["not merged automatically: " + ("both modules are" if named else "neither module is")
                          + " named relations.ts, so neither is clearly the one to keep"]
    (dest, first), = named
    src, decl = next(p for p in pairs if p is not named[0])
    problem = _merge_problem(ctx, dest, first, src, decl)
    if problem is not None:
        return None, [f"not merged automatically: {problem}"]
    plan = plan_merge(dest, first, [(src, decl)])
    if plan.conflicts:
        keys = ", ".join(f"'{k}' ({src.path}:{b.line} vs {dest.path}:{a.line})" for k, (a, b) in plan.conflicts)
        return None, [f"not merged automatically: {keys} defined differently"]
    if plan.problem is not None:
        return None, [f"not merged automatically: {plan.problem}"]
    imports = _imports_for(ctx, dest, src, decl, plan.moved)
    if isinstance(imports, str):
        return None, [f"not merged automatically: {imports}"]
    edits = [*plan.edits, *imports, *removal_edits(src, [decl])]
    edits += left_unused(src, edits)  # what only the deleted declaration imported
    n = len(plan.moved)
    if n == 0:  # every property is already there: nothing moves
        title = (f"Delete the declaration of `{decl.name}` in {src.path}: {dest.path} already declares every "
                 "property it has")
    else:
        title = (f"Move {n} {plural(n, 'property', 'properties')} of `{decl.name}` from {src.path} into "
                 f"{dest.path} and delete its declaration")
    # Lossless (no key defined two ways), every name it moves importable: the one answer.
    return Fix(title, tuple(edits), Applicability.SAFE), []


def merge_awaited(ctx: Context, bindings: list[Binding]) -> str | None:
    """The module of ``bindings`` that declares its relations() export, or that export's
    table, more than once, when another rule answers for (merges) later declarations:
    ``merge_fix`` needs one declaration per module (else it would move one and leave its
    twin behind, still in two modules), so the barrel waits a pass instead of working
    around the collision (a named re-export would outlive it). None when nothing is
    awaited."""
    for b in bindings:
        file = ctx.project.files.get(b.origin)
        if file is None:
            continue
        decls = relations_declarations(file, ctx.project)
        mine = next((d for d in decls if d.name == b.name), None)
        if mine is None:
            continue
        twins = [d for d in decls if d.name == b.name or (d.table, d.table_kind) == (mine.table, mine.table_kind)]
        if any(ctx.claimed(file.path, d.start) for d in twins[1:]):
            return file.path
    return None


def _relations_live_beside_tables(ctx: Context) -> bool:
    """Does the project keep most relations() in the module that defines their table?"""
    def measure() -> bool:
        beside = apart = 0
        for file in ctx.project.files.values():
            for d in relations_declarations(file, ctx.project):
                if table_identity(file, ctx.project, d)[0] == file.path:
                    beside += 1
                else:
                    apart += 1
        return beside > apart
    return bool(ctx.memo("relations-beside-tables", measure))

def _merge_problem(ctx: Context, dest: SourceFile, first: RelationsDecl, src: SourceFile,
                   decl: RelationsDecl) -> str | None:
    if not (ctx.can_edit(dest.path) and ctx.can_edit(src.path)):
        return "a file cannot be edited"
    a, b = table_identity(dest, ctx.project, first), table_identity(src, ctx.project, decl)
    if a != b or not a[0]:
        return f"cannot tell that `{first.table}` is the same table in both modules"
    for file, d in ((dest, first), (src, decl)):
        if sum(x.name == d.name for x in relations_declarations(file, ctx.project)) != 1:
            return f"{file.path} declares `{d.name}` more than once (SF003)"
    if decl.name in _barrels.importers_use(ctx.project, src.path):
        return f"other files import `{decl.name}` from {src.path} by name"
    for path, other in ctx.project.files.items():
        for site in other.facts.imports:
            whole = site.kind in (DYNAMIC, REQUIRE) or any(e.imported == "*" for e in site.entries)
            if path != src.path and whole and not site.star and \
                    ctx.project.resolver.resolve(path, site.specifier).path == src.path:
                return f"{path} imports {src.path} as a whole (a namespace or dynamic import)"
    for n in walk(src.tree.root_node):
        if n.type in ("identifier", "shorthand_property_identifier") and not decl.start <= n.start_byte < decl.end \
                and n.text.decode() == decl.name:
            return f"{src.path} uses `{decl.name}` outside its declaration"
    return None

def _imports_for(ctx: Context, dest: SourceFile, src: SourceFile, decl: RelationsDecl, moved) -> list[Edit] | str:
    """Edits importing into ``dest`` every name the ``moved`` members reference that
    ``src`` binds at its top level (an import or an exported declaration), or why not."""
    helpers = set(decl.helpers.locals) | ({decl.helpers.ident} if decl.helpers.ident else set())
    wanted: list[Wanted] = []
    for name, is_type in _references(moved):
        if name in helpers or any(name == w.local for w in wanted):
            continue
        have = _binding(ctx.project, src, name)
        if have is None:
            continue  # a global, or bound inside the property
        mine = _binding(ctx.project, dest, name)
        if mine is not None:
            if mine[0] != have[0]:
                return f"`{name}` means something else in {dest.path}"
            continue
        ((where, module), imported), kind, type_only = have  # where: "file" (a project path) or "package"
        if kind == "local":
            return f"`{name}` is declared in {src.path} without being exported"
        if kind == "other":
            return f"`{name}` is a default or namespace import in {src.path}"
        if kind == "missing":
            return f"`{name}` is imported in {src.path} from a module that does not exist"
        wanted.append(Wanted(module, imported, name, type_only or is_type, package=where == "package"))
    return add_imports(ctx, dest, wanted)


def _stem(path: str) -> str:
    return posixpath.basename(EXTENSION_RE.sub("", path))


def _references(members) -> list[tuple[str, bool]]:
    """Names the members read, in order, each with whether it is only used as a type."""
    out: dict[str, bool] = {}
    for m in members:
        for n in walk(m.node):
            if n.type in ("identifier", "shorthand_property_identifier", "type_identifier"):
                name = n.text.decode()
                out[name] = out.get(name, True) and n.type == "type_identifier"
    return list(out.items())


def _binding(project: Project, file: SourceFile, name: str):
    """What top-level ``name`` is in ``file``, as ((kind, module), imported name), how
    another file gets it ("import": from that module; "local": a declaration that is not
    exported; "other": a default or namespace import; "missing": an unresolved relative
    import) and whether it is type-only. ``kind`` is "file" (a project path) or "package".
    None when the file does not bind ``name`` at its top level.

    Not ``_tables.identity`` on purpose: that answers which module *defines* a name;
    this answers how *another file* can import the same thing, so it names the module
    to import from (the defining one only when it exports the name itself, else the one
    this file imports it from), keeps packages, says why a name cannot be imported
    (a local declaration, a default or namespace import, a missing module) and carries
    type-only-ness. Only finding the import that binds ``name`` is shared."""
    found = import_binding(file, name)
    if found is not None:
        site, e = found
        type_only = site.type_only or e.type_only
        if e.imported in ("*", "default", "="):
            return (("other", site.specifier), e.imported), "other", type_only
        res = project.resolver.resolve(file.path, site.specifier)
        if not res.ok:
            if is_relative(site.specifier):
                return (("missing", site.specifier), e.imported), "missing", type_only
            return (("package", site.specifier), e.imported), "import", type_only
        b = project.exports.names(res.path).get(e.imported)
        if b is not None:
            own = project.exports.names(b.origin).get(b.name)
            if own is not None and (own.origin, own.name) == (b.origin, b.name):
                return (("file", b.origin), b.name), "import", type_only
        return (("file", res.path), e.imported), "import", type_only
    for d in file.facts.declarations:
        if d.name == name and not d.ambient:
            b = project.exports.names(file.path).get(name)
            exported = b is not None and (b.origin, b.name) == (file.path, name)
            return (("file", file.path), name), ("import" if exported else "local"), d.keyword in ("type", "interface")
    return None
