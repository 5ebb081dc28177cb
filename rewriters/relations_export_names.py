"""SF013: relations exports named against the project's convention, and near-duplicate names."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import astuple, dataclass
from typing import Iterator

from codemod.model import Applicability, Diagnostic, Fix, Severity
from codemod.rules import Context, Option, rule

from ._drizzle import every_declaration_row
from ._relation_graph import reported_files_declare_relations
from ._renames import plan_rename, rename_blocked

CODE = "SF013"
FIX_NAMES = Option("fix-names", False, "Rename relations exports that break the project's naming convention and "
                   "rewrite their importers (SF013; an unsafe fix: other code may import the old names).")

MIN_DECLARATIONS = 5  # fewer exports measure no convention
MIN_SHARE = 0.8  # the share of exports one pattern must hold to be the convention


@dataclass(frozen=True)
class Pattern:
    """``prefix + table + suffix``, the table name as written (``same``) or capitalised."""

    prefix: str
    capitalised: bool
    suffix: str

    def name_for(self, table: str) -> str:
        return self.prefix + (_capitalise(table) if self.capitalised else table) + self.suffix

    def __str__(self) -> str:
        return self.prefix + ("<Table>" if self.capitalised else "<table>") + self.suffix


@dataclass(frozen=True)
class Export:
    path: str
    name: str  # the declared name, `usersRelations`
    table: str  # the table's identifier, `users` (also for `schema.users`)
    start: int  # the declaration's statement
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@rule(CODE, "relations-export-names",
      "A relations export named against the project's convention, or two differing only by case or plural",
      fix=Applicability.UNSAFE, options=(FIX_NAMES,))
def check(ctx: Context) -> Iterator[Diagnostic]:
    """Measures how the project names its ``relations()`` exports from their tables
    (``usersRelations = relations(users, ...)``: ``<table>Relations``). When at least
    five exports exist and at least 80% follow one pattern, that pattern is the
    convention, and an export that breaks it is reported with the name it would get.
    Two relations exports whose names differ only by case or plural
    (``userRelations``, ``usersRelations``, ``UsersRelations``) are reported whatever
    the project's size. Both are notes: a healthy project never fails a run.

    With ``--fix-names`` (an unsafe fix: code outside the project may import the old
    name) an outlier is renamed, with every use in its module and every importer in
    the project: ``import { old }`` and its uses, ``import { old as x }`` (the alias
    is kept), ``export { old } from``, ``ns.old`` through a namespace import. A name
    already taken where the export would be visible (its module, an importer, a barrel
    that re-exports it), or one a package's entry point exports (``package.json``
    ``main``/``exports`` of the project or of a workspace package in it: other packages
    import it by package name), is reported instead, never renamed.

    Example::

        export const usersRelations = relations(users, ...);
        export const postsRelations = relations(posts, ...);
        ... (four more `<table>Relations`)
        export const commentsRels = relations(comments, ...);   <- would be commentsRelations
    """
    if not reported_files_declare_relations(ctx):
        return  # each diagnostic lands on a relations export: none in the files reported on
    exports = _relations_exports(ctx)
    targets = {f.path for f in ctx.files()}
    convention, pairs = _measures(ctx, exports)
    outliers: dict[Export, str] = {}
    if convention is not None:
        outliers = {e: convention[0].name_for(e.table) for e in exports
                    if convention[0].name_for(e.table) != e.name}
    paired: dict[Export, list[Export]] = {}
    for a, b in pairs:
        # One diagnostic per pair, on the outlier when there is one, else on the later export.
        at = b if b in outliers or a not in outliers else a
        paired.setdefault(at, []).append(a if at is b else b)
    new_names = Counter(outliers.values())
    for e in sorted(set(outliers) | set(paired), key=lambda x: (x.path, x.start)):
        if e.path not in targets:
            continue
        file = ctx.project.files[e.path]
        notes = tuple(f"{o.where}: `{o.name}` (relations of `{o.table}`)" for o in paired.get(e, ()))
        twins = "".join(f"; it differs only by case or plural from `{o.name}` ({o.where})" for o in paired.get(e, ()))
        if e not in outliers:
            yield ctx.diagnostic(CODE, file, e.start, f"relations export `{e.name}`{twins[len('; it'):]}",
                                 notes=notes, severity=Severity.INFO)
            continue
        new = outliers[e]
        pattern, count, total = convention
        message = (f"relations export `{e.name}` breaks the project's naming convention `{pattern}` "
                   f"({count} of {total} relations exports): would be `{new}`{twins}")
        fix = None
        if new_names[new] > 1:
            others = [o for o, n in outliers.items() if n == new and o is not e]
            message += "; " + ", ".join(f"`{o.name}` ({o.where})" for o in others) + " would get that name too"
        elif any(o.name == new for o in exports):
            owner = next(o for o in exports if o.name == new)
            message += f"; it cannot be renamed: `{new}` is already the relations export of {owner.path}"
        elif ctx.option(FIX_NAMES.key):
            plan = plan_rename(ctx, e.path, e.name, new)
            if plan.blocked:
                message += f"; it cannot be renamed: {plan.blocked}"
            else:
                fix = Fix(f"Rename `{e.name}` to `{new}` and rewrite its importers", plan.edits,
                          Applicability.UNSAFE)
        else:  # only whether it could be renamed: no edits are planned without --fix-names
            blocked = rename_blocked(ctx, e.path, e.name, new)
            if blocked:
                message += f"; it cannot be renamed: {blocked}"
            else:
                message += "; `--fix-names` renames it and rewrites its importers"
        yield ctx.diagnostic(CODE, file, e.start, message, fix=fix, notes=notes, severity=Severity.INFO)


def _measures(ctx: Context, exports: list[Export]) -> tuple[tuple[Pattern, int, int] | None,
                                                             list[tuple[Export, Export]]]:
    """``_convention`` and ``_near_duplicates`` of ``exports``: functions of their names
    and tables alone, in order, so kept between runs under a digest of those
    (``Project.lasting``): a commit hook on a relations module measures the project's
    exports again only when one of them was added, removed or renamed (21,725 exports at
    19,813 files: 0.16 s)."""
    text = "\0".join(f"{e.name}\1{e.table}" for e in exports)  # identifiers: no control characters
    digest = hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()

    def measure() -> tuple:
        found = _convention(exports)
        kept = None if found is None else (*astuple(found[0]), *found[1:])
        return kept, tuple(_near_duplicate_indices(exports))

    def decode(value) -> tuple:
        if not (type(value) is tuple and len(value) == 2 and type(value[1]) is tuple):
            raise TypeError("not SF013 measures")
        kept, pairs = value
        if kept is not None and not (type(kept) is tuple and len(kept) == 5 and type(kept[0]) is str
                                     and type(kept[1]) is bool and type(kept[2]) is str
                                     and type(kept[3]) is int and type(kept[4]) is int):
            raise TypeError("not a convention")
        if not all(type(p) is tuple and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
                   and 0 <= p[0] < p[1] < len(exports) for p in pairs):
            raise TypeError("not pairs of these exports")
        return (None if kept is None else (Pattern(*kept[:3]), kept[3], kept[4])), pairs
    convention, pairs = ctx.project.lasting(("sf013-measures", digest), measure, decode)
    return convention, _pairs(exports, pairs)  # this list's exports: the memo holds indices


def _relations_exports(ctx: Context) -> list[Export]:
    out = []
    every = every_declaration_row(ctx.project)
    for path in sorted(p for p, rows in every.items() if rows and p in ctx.project.files):
        # the declarations' rows, not objects: SF013 measures every export of the project
        for name, table, start, _end, exported, line, _n, _i, kind, member in every[path]:
            table = table if kind == "identifier" else member if kind == "member_expression" else None
            if exported and table:
                out.append(Export(path, name, table, start, line))
    return out


def _capitalise(name: str) -> str:
    return name[:1].upper() + name[1:]


def pattern_of(name: str, table: str) -> Pattern | None:
    """How ``name`` is built from ``table``, or None when it does not contain it."""
    for written, capitalised in ((table, False), (_capitalise(table), True)):
        at = name.find(written)
        if at >= 0 and written != name:
            return Pattern(name[:at], capitalised and written != table, name[at + len(written):])
    return None


def _convention(exports: list[Export]) -> tuple[Pattern, int, int] | None:
    """The pattern most exports follow, with its count and the total, when there are
    enough exports and it holds enough of them."""
    if len(exports) < MIN_DECLARATIONS:
        return None
    counts = Counter(p for p in (pattern_of(e.name, e.table) for e in exports) if p is not None)
    if not counts:
        return None
    (pattern, count), = counts.most_common(1)
    if count < MIN_SHARE * len(exports):
        return None
    return pattern, count, len(exports)


def _fold(name: str) -> str:
    return name.lower()


def same_but_case_or_plural(a: str, b: str) -> bool:
    """``userRelations`` / ``usersRelations`` / ``UsersRelations``: equal ignoring case, or
    once one ``s`` (or ``es``) is taken out of the longer one."""
    a, b = _fold(a), _fold(b)
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    for extra in ("s", "es"):
        if len(b) - len(a) != len(extra):
            continue
        for i in range(len(a) + 1):
            if b[:i] == a[:i] and b[i:i + len(extra)] == extra and b[i + len(extra):] == a[i:]:
                return True
    return False


def _near_duplicates(exports: list[Export]) -> list[tuple[Export, Export]]:
    """Every pair that ``same_but_case_or_plural`` holds for, in the order of a pairwise
    scan (see ``_near_duplicate_indices``)."""
    return _pairs(exports, _near_duplicate_indices(exports))


def _pairs(exports: list[Export], indices) -> list[tuple[Export, Export]]:
    return [(exports[i], exports[j]) for i, j in indices]


def _near_duplicate_indices(exports: list[Export]) -> list[tuple[int, int]]:
    """The pairs of ``_near_duplicates``, as indices into ``exports``, found through an
    index of folded names (linear: a pairwise scan took 150 s of CPU at 5,000 files),
    each folded name's exports grouped by the name as written (one name repeated in
    every copy of a domain made the scan quadratic: 5.7 s at 99,373 files)."""
    by_fold: dict[str, dict[str, list[int]]] = {}  # folded name -> name as written -> indices
    for i, e in enumerate(exports):
        by_fold.setdefault(_fold(e.name), {}).setdefault(e.name, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for j, b in enumerate(exports):
        folded = _fold(b.name)
        for key in (folded, *_without_one_plural(folded)):
            for name, found in by_fold.get(key, {}).items():
                if name == b.name:
                    continue  # the same name in another module (a monorepo's apps): no pair, not scanned
                pairs.update((min(i, j), max(i, j)) for i in found)
    return sorted(pairs)


def _without_one_plural(folded: str) -> set[str]:
    """``folded`` with one ``s`` or ``es`` taken out, at every place it occurs."""
    return {folded[:i] + folded[i + len(extra):] for extra in ("s", "es")
            for i in range(len(folded)) if folded.startswith(extra, i)}
