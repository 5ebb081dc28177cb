"""SF010: a file whose name breaks its folder's naming style."""

from __future__ import annotations

import hashlib
import posixpath
from typing import Iterator

from codemod.model import Diagnostic, Severity
from codemod.project import Project
from codemod.rules import Context, rule

from ._naming import Outlier, settled_outliers

CODE = "SF010"


@rule(CODE, "file-naming", "A file name in another style than its folder's (fix: `schemafix rename`)", fix=None)
def check(ctx: Context) -> Iterator[Diagnostic]:
    """Measures the naming style of each folder's file names (kebab-case
    ``user-credits.ts``, camelCase ``userCredits.ts``, snake_case ``user_credits.ts``;
    a one-word name fits every style) and of the whole project. A file written in
    another style than most of its folder's multi-word names (at least two of them; when
    a folder is split evenly, the project's style decides) is reported with the name it
    would get. PascalCase names (components, classes) and names in no style (``[id]``,
    ``0001_init``) are left alone. Declaration files are not measured.

    Report only: renaming a file means rewriting every import of it, which is what
    ``schemafix rename`` does (``git mv`` in a git work tree).

    Example::

        schema/billing/user-credits.ts
        schema/billing/refund-items.ts
        schema/billing/userPromotions.ts   <- would be user-promotions.ts
    """
    project = ctx.project
    taken = None  # every module's import name, built for the first outlier reported on
    targets = {f.path for f in ctx.files()}
    for o in project.memo(_OUTLIERS, lambda: _outliers(project)):
        if o.path not in targets:
            continue
        if taken is None:
            taken = {_module(p) for p in (*project.files, *project.opaque)}
        name, new = posixpath.basename(o.path), posixpath.basename(o.new_path)
        clash = f"; {o.new_path} already exists, so it cannot be renamed" if _module(o.new_path) in taken else ""
        yield ctx.diagnostic(
            CODE, project.files[o.path], 0,
            f"file name '{name}' breaks its folder's {o.style}-case naming ({o.evidence}): would be "
            f"'{new}'{clash}; `schemafix rename` renames it and rewrites its imports",
            severity=Severity.INFO)  # a style note: it never fails a run on its own


_OUTLIERS = ("sf010-outliers",)


def _outliers(project: Project) -> list:
    """The files breaking their folder's style: a function of the set of paths alone,
    which a snapshot shares with the one it was built from whenever ``carried`` answers,
    and which is kept between runs under a digest of those paths."""
    carried = project.carried(_OUTLIERS)
    if carried is not None:
        return carried[0]
    paths = sorted(p for p in project.files if not p.endswith((".d.ts", ".d.mts", ".d.cts")))
    digest = hashlib.blake2b("\0".join(paths).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return project.lasting(("sf010-outliers", digest), lambda: tuple(
        (o.path, o.style, o.new_path, o.evidence) for o in settled_outliers(paths)), _decode_outliers)


def _decode_outliers(rows) -> list[Outlier]:
    if not (type(rows) is tuple and all(type(r) is tuple and len(r) == 4 and all(type(x) is str for x in r)
                                        for r in rows)):
        raise TypeError("not outlier rows")
    return [Outlier(*row) for row in rows]


def _module(path: str) -> str:
    """The path as an import names it (extension dropped), case-folded."""
    for ext in (".d.ts", ".ts", ".tsx", ".mts", ".cts"):
        if path.endswith(ext):
            return path[:-len(ext)].lower()
    return path.lower()
