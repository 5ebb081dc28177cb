"""Adding a relation property to a table's ``relations()``: into its one declaration
(the merge plan's layout, the helper parameter extended), or, when the table has none,
into a new ``export const <table>Relations = relations(<table>, ({ one }) => ({ ... }))``
where the project keeps relations (the ``relations.ts`` beside the table, else the
table's own module). What the new code names is imported through the import editor.
Shared by SF007 and SF008.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from typing import Callable

from codemod.model import Edit
from codemod.project import SourceFile
from codemod.rules import Context
from codemod.style import EXTENSION_RE, detect

from ._barrels import defines_tables
from ._drizzle import relations_bindings, relations_declarations
from ._import_editor import Wanted, add_imports
from ._relation_graph import relations_of
from ._relations_merge_plan import plan_insert
from ._tables import Identity, Table, is_bound, local_name

# render(name_of, helper) -> code: name_of(identity) is how the destination names a
# table, helper(name) how its callback names a relations helper.
Render = Callable[[Callable[[Identity], str], Callable[[str], str]], str]


class _Names:
    """Local names for identities in a destination file, and the imports they need."""

    def __init__(self, ctx: Context, file: SourceFile, preferred: dict[Identity, str]):
        self.ctx, self.file, self.preferred = ctx, file, preferred
        self.wanted: list[Wanted] = []
        self.problem: str | None = None

    def __call__(self, ident: Identity) -> str:
        if ident in self.preferred:
            return self.preferred[ident]
        have = local_name(self.ctx.project, self.file, ident)
        if have is not None:
            return have
        name = ident[1]
        if any(w.local == name for w in self.wanted):
            return name
        if is_bound(self.file, name):
            self.problem = f"`{name}` means something else in {self.file.path}"
            return name
        self.wanted.append(Wanted(ident[0], ident[1], name, package=ident[0] not in self.ctx.project.files))
        return name


def add_relation(ctx: Context, table: Table, key: str, render: Render,
                 near: SourceFile | None = None) -> tuple[list[Edit] | None, str | None]:
    """Edits that give ``table`` the relation ``key`` written by ``render``, or (None, why
    not). ``near``: the relations module the need was found in (see ``home_of_relations``)."""
    entry = relations_of(ctx.project).get(table.identity)
    decls = entry.decls if entry is not None else []
    if len(decls) > 1:
        return None, f"`{table.name}` has {len(decls)} relations() declarations"
    if decls:
        file, decl = decls[0]
        if not ctx.can_edit(file.path):
            return None, f"{file.path} cannot be edited"
        decl = decl.passing()  # the plan's edits are spans: no node of it outlives it
        names = _Names(ctx, file, {table.identity: decl.table})
        plan = plan_insert(file, decl, [(key, lambda helper: render(names, helper))])
        if plan.problem is not None:
            return None, plan.problem
        if names.problem is not None:
            return None, names.problem
        return [*plan.edits, *add_imports(ctx, file, names.wanted)], None
    return _create(ctx, table, key, render, near)


def home_of_relations(ctx: Context, table: Table, near: SourceFile | None = None) -> SourceFile:
    """Where ``table``'s new relations() goes: ``relations.ts`` beside it; else, when its
    module declares no relations() and ``near`` holds the relations of several tables and
    no table (a project keeping its relations in one module, maybe under another schema
    barrel than the table's), ``near``, where the other side is; else the table's module."""
    homes = ctx.project.memo(("relations-home-by-folder",), lambda: _relations_files(ctx.project))
    found = homes.get(posixpath.dirname(table.module))
    if found is not None:
        return found
    module = ctx.project.files[table.module]
    if (near is not None and near is not module and ctx.can_edit(near.path) and not defines_tables(ctx.project, near)
            and len({d.table for d in relations_declarations(near, ctx.project)}) > 1
            and not relations_declarations(module, ctx.project)):
        return near
    return module


def _helpers_ident(decls) -> str | None:
    """The name the file's relations() callbacks mostly take their helpers by (`(r) =>
    r.one(...)`), which a new declaration follows; None when they mostly destructure them
    (or there are none)."""
    styles = Counter(d.helpers.ident if d.helpers.style == "ident" else None
                     for d in decls if d.helpers.style in ("ident", "pattern"))
    top = styles.most_common(1)
    return top[0][0] if top and top[0][1] * 2 > sum(styles.values()) else None


def _relations_files(project) -> dict[str, SourceFile]:
    """Folder -> its first (sorted by path) parsable ``relations.*`` file, once per snapshot."""
    out: dict[str, SourceFile] = {}
    for path, file in sorted(project.files.items()):
        if posixpath.basename(EXTENSION_RE.sub("", path)) == "relations" and not file.has_error:
            out.setdefault(posixpath.dirname(path), file)
    return out


def _create(ctx: Context, table: Table, key: str, render: Render,
            near: SourceFile | None) -> tuple[list[Edit] | None, str | None]:
    file = home_of_relations(ctx, table, near)
    if not ctx.can_edit(file.path):
        return None, f"{file.path} cannot be edited"
    name = f"{table.name}Relations"
    if is_bound(file, name) or ctx.project.exports.definers.get(name):
        return None, f"the name `{name}` for a new relations() declaration is taken"
    names = _Names(ctx, file, {})
    bindings = relations_bindings(file, ctx.project)
    if bindings.functions:
        relations_fn = sorted(bindings.functions)[0]
    elif bindings.namespaces:
        relations_fn = sorted(bindings.namespaces)[0] + ".relations"
    elif is_bound(file, "relations"):
        return None, f"`relations` means something else in {file.path}"
    else:
        relations_fn = "relations"
        names.wanted.append(Wanted("drizzle-orm", "relations", "relations", package=True))
    table_name = names(table.identity)
    existing = relations_declarations(file, ctx.project)
    ident = _helpers_ident(existing)
    used: list[str] = []

    def helper(h: str) -> str:
        if h not in used:
            used.append(h)
        return h if ident is None else f"{ident}.{h}"

    code = render(names, helper)
    if names.problem is not None:
        return None, names.problem
    if ident is not None and re.search(rf"(?<![\w$.]){re.escape(ident)}(?![\w$])(?!\.(?:{'|'.join(used)})\()", code):
        ident, used = None, []  # the code names something else by the helpers' name: destructure them
        code = render(names, helper)
    style = detect(file)
    nl, unit = style.newline, style.indent
    body = code.replace("\n", nl + unit)
    params = f"({ident})" if ident is not None else f"({{ {', '.join(used)} }})"
    decl = (f"export const {name} = {relations_fn}({table_name}, {params} => ({{{nl}"
            f"{unit}{body},{nl}}})){style.end}")
    data = file.data
    at = existing[-1].end if existing else len(data.rstrip(b"\r\n \t"))
    if table.module == file.path:  # `relations(table, …)` reads the const: never above its declaration
        at = max(at, max((d.end for d in file.facts.declarations if d.name == table.name), default=0))
    lead = nl + nl
    text = lead + decl
    if not existing and not data.strip():
        text = decl + nl
    edits = [Edit.insert(file.path, at, text.encode()), *add_imports(ctx, file, names.wanted)]
    return edits, None

