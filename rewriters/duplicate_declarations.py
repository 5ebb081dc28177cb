"""SF002: the same top-level declaration written twice in one file."""

from __future__ import annotations

from typing import Iterable

from codemod.facts import Declaration
from codemod.model import Applicability, Diagnostic, Edit, Fix
from codemod.rules import Context, rule
from codemod.style import removal_span

from ._drizzle import relations_declarations
from ._objects import normalised

# Not `var`: redeclaring a var is legal JavaScript, and removing the second one changes
# what runs (`var n = 0; n += 5; var n = 0;` ends with n == 0).
KEYWORDS = frozenset({"const", "let", "function", "class"})


@rule("SF002", "duplicate-declaration", "The same top-level declaration written twice in one file",
      fix=Applicability.SAFE)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds a ``const``/``let``/``function``/``class`` name declared more than once at
    the top level of a file (TypeScript: TS2451 "Cannot redeclare block-scoped
    variable", TS2300 "Duplicate identifier", TS2393). A ``var`` declared twice is
    left alone: that is legal JavaScript, and removing one changes what runs.

    When a later declaration is the same code as an earlier one (ignoring whitespace
    and trailing commas; comments count), the fix removes the later one together with
    the comment block directly above it and the blank line it would leave: safe.
    Declarations that differ are reported for a human to decide.

    Names with a drizzle ``relations()`` declaration among them belong to SF003, which
    merges them losslessly (identical copies included), so the two rules never fight.
    """
    for file in ctx.files():
        if file.has_error:
            continue
        groups: dict[str, list[Declaration]] = {}
        for decl in file.facts.declarations:
            if decl.keyword in KEYWORDS and not decl.ambient:
                groups.setdefault(decl.name, []).append(decl)
        groups = {name: decls for name, decls in groups.items() if len(decls) >= 2}
        if not groups:
            continue  # the facts say it all: the tree is not walked
        relations_names = {d.name for d in relations_declarations(file, ctx.project)}
        statements = {n.start_byte: n for n in file.passing_tree().root_node.named_children}  # read for text alone
        removed: set[int] = set()
        for name, decls in groups.items():
            if name in relations_names:
                continue
            if len({d.start for d in decls}) < len(decls):
                continue  # `const a = 1, a = 2` in one statement: a parse-level oddity, not ours
            canon: dict[int, str] = {}
            for d in decls:
                node = statements.get(d.start)
                canon[d.start] = normalised(node, comments=True) if node is not None else ""
            first = decls[0]
            for later in decls[1:]:
                twin = next((d for d in decls if d.start < later.start and canon[d.start] == canon[later.start]),
                            None)
                if twin is None:
                    lines = ", ".join(str(d.line) for d in decls)
                    yield ctx.diagnostic(
                        "SF002", file, later.start,
                        f"'{name}' is declared again with different code (lines {lines}); "
                        "rename or remove one by hand",
                        end=later.end, notes=(f"first declared at line {first.line}",))
                    continue
                fix = None
                if ctx.can_edit(file.path) and later.start not in removed:
                    removed.add(later.start)
                    start, end = removal_span(file, later.start, later.end, with_comments=True)
                    fix = Fix(f"Remove the repeated declaration of '{name}'",
                              (Edit.delete(file.path, start, end),), Applicability.SAFE)
                yield ctx.diagnostic(
                    "SF002", file, later.start,
                    f"'{name}' is declared again at line {later.line}, identical to line {twin.line}",
                    fix=fix, end=later.end)
