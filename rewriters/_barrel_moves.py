"""Where the modules behind stale barrel lines went, when no single module replaced one
line: several stale lines of one folder whose modules were merged into one, or one
stale line whose module was split into several.

The evidence is the names the rest of the project takes from the barrel that it no
longer exports (``missing``): in a merge, the one module of the folder that no barrel
reaches defines them all; in a split, each is defined by exactly one of the folder's
unreached modules, and each of those defines at least one. No such names, or any doubt
(a name defined twice, a module defining none of them) → no plan: the lines are kept
and reported.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from codemod.facts import ImportSite
from codemod.project import Project
from codemod.style import EXTENSION_RE


@dataclass(frozen=True)
class MovePlan:
    kind: str  # "merge" or "split"
    sites: tuple[ImportSite, ...]  # the stale lines it replaces (the first one gets the new lines)
    targets: tuple[str, ...]  # the modules re-exported instead
    names: dict[str, str]  # missing name -> the module that now defines it

    def where(self) -> list[str]:
        """One note per module: the names that went there."""
        by_target: dict[str, list[str]] = {}
        for name, target in sorted(self.names.items()):
            by_target.setdefault(target, []).append(name)
        return [f"{', '.join(names)} now in {target}" for target, names in by_target.items()]


def expected_folder(barrel: str, site: ImportSite) -> str:
    """The folder a relative stale line pointed into."""
    spec = site.specifier.rstrip("/")
    expected = posixpath.normpath(posixpath.join(posixpath.dirname(barrel), spec))
    return posixpath.dirname(EXTENSION_RE.sub("", expected))


def plan_moves(project: Project, barrel: str, stale: list[ImportSite], unreached: list[str],
               missing: set[str]) -> list[MovePlan]:
    """Merge and split plans for ``stale`` (relative `export *` lines of ``barrel`` that no
    single module replaced), given the modules no barrel reaches and the names importers
    miss."""
    if not missing:
        return []
    by_folder: dict[str, list[ImportSite]] = {}
    for site in stale:
        by_folder.setdefault(expected_folder(barrel, site), []).append(site)
    plans = []
    for folder, sites in sorted(by_folder.items()):
        here = [m for m in unreached if posixpath.dirname(m) == folder]
        defined = {n: [m for m in here if _defines(project, m, n)] for n in sorted(missing)}
        names = {n: ms[0] for n, ms in defined.items() if len(ms) == 1}
        if any(len(ms) > 1 for ms in defined.values()) or not names:
            continue
        modules = sorted(set(names.values()))
        if len(sites) >= 2 and len(modules) == 1 and modules == here:
            plans.append(MovePlan("merge", tuple(sites), tuple(modules), names))
        elif len(sites) == 1 and len(modules) >= 2 and set(modules) == set(here):
            plans.append(MovePlan("split", tuple(sites), tuple(modules), names))
    return plans


def _defines(project: Project, module: str, name: str) -> bool:
    b = project.exports.names(module).get(name)
    return b is not None and b.origin == module
