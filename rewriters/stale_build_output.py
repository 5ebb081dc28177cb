"""SF012: compiled output (``x.js``, ``x.d.ts``, their maps) beside the source ``x.ts``."""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from codemod.model import Applicability, Deletion, Diagnostic, Fix, Severity
from codemod.rules import Context, rule

from . import _disk

CODE = "SF012"

_AMBIENT = re.compile(rb"^\s*declare\s+(?:module\s+['\"]|global\b)", re.M)
_NAMES_A_DTS = re.compile(r"\.d(?:\.[mc]?ts)?$")
_SYMLINK, _LEFT_OUT = "symlink", "left-out"
_WHY = {
    _disk.TRACKED: "tracked by git (git can restore it)",
    _disk.IGNORED: "ignored by git (a build makes it again)",
    _disk.MODIFIED: "tracked by git with changes not committed: git cannot restore them, so check it before "
                    "deleting it",
    _disk.UNTRACKED: "neither tracked nor ignored by git: it exists only here, so check it before deleting it",
    _disk.NO_GIT: "not in a git work tree: nothing can bring it back, so check it before deleting it",
    _SYMLINK: "a symlink: schemafix does not delete it",
    _LEFT_OUT: "left out of the analysis (--exclude, or unreadable): schemafix does not delete it",
}
_CAN_COME_BACK = (_disk.TRACKED, _disk.IGNORED)


@rule(CODE, "stale-build-output", "Compiled .js/.d.ts/.map files beside their .ts source "
      "(unsafe fix: delete the ones git can bring back)", fix=Applicability.UNSAFE)
def check(ctx: Context) -> Iterator[Diagnostic]:
    """Finds build output beside a source file: ``x.js``, ``x.d.ts``, ``x.js.map``,
    ``x.d.ts.map`` next to ``x.ts`` (``.mjs``/``.d.mts`` next to ``.mts`` …) in a source
    folder. Some resolvers (bundlers, node, a tsconfig with ``allowJs``) pick the
    ``.js`` over the ``.ts``, and the output drifts from the source it was built from.
    Folders that are build output (``dist``, ``build``, the tsconfig's ``outDir``) are
    never read. A ``.d.ts`` without a ``.js`` twin that declares an ambient module
    (``declare module '…'``, ``declare global``) or that a module imports by its own
    name (``from './x.d'``) is hand-written, not output.

    Reported with git's view of each file. The unsafe fix (``--unsafe``) deletes the
    files that can come back: tracked by git with no uncommitted change (``git
    checkout`` restores it; ``git status`` shows it deleted) or ignored by git (a build
    makes it again). A file that is neither, has uncommitted changes, is not in a git
    work tree, is a symlink, or is a tracked source left out of the analysis
    (``--exclude``) is only reported: deleting it would lose it. The diff
    shows each deletion as git does (``deleted file mode``); ``--apply`` deletes a file
    only while it holds the bytes analysed.
    """
    project = ctx.project
    out_dir = _disk.out_dir(project)
    found: dict[str, list[str]] = {}
    for file in ctx.files():
        if out_dir is not None and (file.path + "/").startswith(out_dir + "/"):
            continue
        outputs = _disk.build_output_beside(project, file.path, ctx.deleted)
        if outputs and not any(o.endswith((".js", ".mjs", ".cjs", ".jsx")) for o in outputs):
            kept = {o for o in outputs if _ambient(ctx, o) or o in _imported_by_name(ctx)}
            outputs = [o for o in outputs if o not in kept and o.removesuffix(".map") not in kept]
        if outputs:
            found[file.path] = outputs
    states = _disk.git_states(project, [o for outs in found.values() for o in outs])
    for path, outputs in sorted(found.items()):
        by_state: dict[str, list[str]] = {}
        deletions = []
        for o in outputs:
            state = _SYMLINK if _disk.is_symlink(project, o) else states.get(o, _disk.NO_GIT)
            if state == _disk.TRACKED and o in project.opaque:  # ignored ones are left out too, and may go
                state = _LEFT_OUT
            data = _disk.read_bytes(project, o) if state in _CAN_COME_BACK else None
            if data is not None:
                deletions.append(Deletion(o, data))
            by_state.setdefault(state, []).append(posixpath.basename(o))
        cases = "; ".join(f"{', '.join(names)}: {_WHY[state]}" for state, names in sorted(by_state.items()))
        fix = None
        if deletions:
            names = ", ".join(posixpath.basename(x.path) for x in deletions)
            fix = Fix(f"Delete {names}", (), Applicability.UNSAFE, deletions=tuple(deletions))
        yield ctx.diagnostic(
            CODE, project.files[path], 0,
            f"build output beside '{posixpath.basename(path)}' shadows it for some resolvers and drifts from "
            f"it ({cases}); delete it and build into an outDir",
            fix=fix, severity=Severity.WARNING)


def _ambient(ctx: Context, rel: str) -> bool:
    if not rel.endswith((".d.ts", ".d.mts", ".d.cts")):
        return False
    data = _disk.read_bytes(ctx.project, rel)
    return data is None or _AMBIENT.search(data) is not None  # unreadable: not called output


def _imported_by_name(ctx: Context) -> frozenset[str]:
    """The ``.d.ts`` files some module names in its specifier (``./x.d``, ``@/x.d.ts``):
    types written by hand beside ``x.ts``, which a build never makes."""
    def compute() -> frozenset[str]:
        project = ctx.project
        out = set()
        for path, file in project.files.items():
            for site in file.facts.imports:
                if _NAMES_A_DTS.search(site.specifier):
                    found = project.resolver.resolve(path, site.specifier).path
                    if found is not None:
                        out.add(found)
        return frozenset(out)
    return ctx.memo("sf012-dts-imported-by-name", compute)
