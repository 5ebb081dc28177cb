"""SF012: compiled output (``x.js``, ``x.d.ts``, their maps) beside the source ``x.ts``."""

from __future__ import annotations

import posixpath
import re
from typing import Iterator

from codemod.model import Diagnostic, Severity
from codemod.rules import Context, rule

from . import _disk

CODE = "SF012"

_AMBIENT = re.compile(rb"^\s*declare\s+(?:module\s+['\"]|global\b)", re.M)
_WHY = {
    _disk.TRACKED: "tracked by git (git can restore it)",
    _disk.IGNORED: "ignored by git (a build makes it again)",
    _disk.UNTRACKED: "neither tracked nor ignored by git: it exists only here, so check it before deleting it",
    _disk.NO_GIT: "not in a git work tree: nothing can bring it back, so check it before deleting it",
}


@rule(CODE, "stale-build-output", "Compiled .js/.d.ts/.map files beside their .ts source", fix=None)
def check(ctx: Context) -> Iterator[Diagnostic]:
    """Finds build output beside a source file: ``x.js``, ``x.d.ts``, ``x.js.map``,
    ``x.d.ts.map`` next to ``x.ts`` (``.mjs``/``.d.mts`` next to ``.mts`` …) in a source
    folder. Some resolvers (bundlers, node, a tsconfig with ``allowJs``) pick the
    ``.js`` over the ``.ts``, and the output drifts from the source it was built from.
    Folders that are build output (``dist``, ``build``, the tsconfig's ``outDir``) are
    never read. A ``.d.ts`` without a ``.js`` twin that declares an ambient module
    (``declare module '…'``, ``declare global``) is hand-written, not output.

    Report only, with git's view of each file: tracked (git can restore it), ignored
    (a build makes it again), or neither (it exists only here). schemafix does not
    delete files.
    """
    project = ctx.project
    out_dir = _disk.out_dir(project)
    found: dict[str, list[str]] = {}
    for file in ctx.files():
        if out_dir is not None and (file.path + "/").startswith(out_dir + "/"):
            continue
        outputs = _disk.build_output_beside(project, file.path)
        if outputs and not any(o.endswith((".js", ".mjs", ".cjs", ".jsx")) for o in outputs):
            ambient = {o for o in outputs if _ambient(ctx, o)}
            outputs = [o for o in outputs if o not in ambient and o.removesuffix(".map") not in ambient]
        if outputs:
            found[file.path] = outputs
    states = _disk.git_states(project, [o for outs in found.values() for o in outs])
    for path, outputs in sorted(found.items()):
        by_state: dict[str, list[str]] = {}
        for o in outputs:
            by_state.setdefault(states.get(o, _disk.NO_GIT), []).append(posixpath.basename(o))
        cases = "; ".join(f"{', '.join(names)}: {_WHY[state]}" for state, names in sorted(by_state.items()))
        yield ctx.diagnostic(
            CODE, project.files[path], 0,
            f"build output beside '{posixpath.basename(path)}' shadows it for some resolvers and drifts from "
            f"it ({cases}); delete it and build into an outDir",
            severity=Severity.WARNING)


def _ambient(ctx: Context, rel: str) -> bool:
    if not rel.endswith((".d.ts", ".d.mts", ".d.cts")):
        return False
    file = ctx.project.files.get(rel)
    if file is not None:
        return _AMBIENT.search(file.data) is not None
    try:
        return _AMBIENT.search((ctx.project.root / rel).read_bytes()) is not None
    except OSError:
        return True  # unknown: not called output
