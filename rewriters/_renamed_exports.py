"""An export renamed in its own module, as git's HEAD shows it (SF001).

``export const userAccounts = pgTable('user_accounts', …)`` became ``export const
accounts = pgTable('user_accounts', …)``, and ``import { userAccounts } from './users'``
broke. The name it became is certain when HEAD's ``users.ts`` exported ``userAccounts``,
the file now exports exactly one declaration that reads the same apart from its name
(``codemod.fingerprints``), under a name HEAD's file did not declare, and no module
defines ``userAccounts`` now. The import then takes the new name under the old one
(``{ accounts as userAccounts }``): every name the file uses stays bound. A module git
saw renamed is compared with the file it was in HEAD (renamed and its export renamed in
one change).

While another module defines the old name (a new table of that name), that module is
no certain target for the import: ``held_under`` tells SF001 to make that repoint unsafe.

An import through a barrel (``from './schema'``, ``export *`` lines) looks at the modules
the barrel's ``export *`` lines reach that differ from HEAD (staged or not; HEAD's files
read in one git call): exactly one of them must hold such a rename, and the barrel must
export the new name from it (more than ``MOST_READ`` such modules are not read: reported
as before).
"""

from __future__ import annotations

from codemod.fingerprints import exported_declarations, renamed_as
from codemod.project import Project

from . import _barrels
from ._disk import disk


# the most changed modules behind a barrel whose HEAD files are read (each parsed)
MOST_READ = 400


def renamed_to(project: Project, module: str, name: str, was: str | None = None) -> str | None:
    """The name that ``name``, which ``module`` (or a module its ``export *`` lines reach)
    exported in git's HEAD, is exported under now (see the module); None without that
    evidence. ``was``: the path HEAD holds ``module`` under, when git saw it renamed
    (``tenant-members.ts`` -> ``members.ts``); its own declarations are compared then."""
    if project.exports.definers.get(name):
        return None
    return held_under(project, module, name, was)


def held_under(project: Project, module: str, name: str, was: str | None = None) -> str | None:
    """``renamed_to``'s evidence whether or not another module defines ``name`` now: the
    name ``module`` holds HEAD's declaration of ``name`` under. When another module defines
    ``name`` (a newcomer of the same name), SF001's repoint of the import to it is a guess:
    the module the import named still holds what it imported."""
    exports = project.exports
    # (a module that does not parse is open: no import of it, or of a barrel reaching it, is broken)
    if was is None:  # only a file git sees changed since HEAD can hold a rename (one git call, once a run)
        changed = disk(project).changed()
        candidates = [m for m in _barrels.reach(project, module, star_only=True) if m in changed]
        if not candidates:
            return None
    else:
        candidates = [module]
    if len(candidates) > MOST_READ:
        return None  # a barrel over a whole large project: HEAD's every file is no evidence worth reading
    held = disk(project).declared_before([was] if was is not None else candidates)  # one git call
    found = {(m, new) for m in candidates
             if (new := _renamed_in(project, m, name, held.get(was if was is not None else m))) is not None}
    if len(found) != 1:
        return None
    [(origin, new)] = found
    binding = exports.names(module).get(new)
    return new if binding is not None and (binding.origin, binding.name) == (origin, new) else None


def _renamed_in(project: Project, module: str, name: str, before: dict[str, bytes] | None) -> str | None:
    """The one declaration ``module`` exports now that reads as ``name`` did in HEAD's file
    (``before``: its declarations), under a name HEAD's file did not declare (``module``
    exports ``name`` no more: the import of it is broken)."""
    if not before or name not in before:
        return None
    file = project.files[module]
    now = project.memo(("exported-declarations", module),
                       lambda: exported_declarations(file.passing_tree().root_node, file.data))
    return renamed_as(before, now, name)
