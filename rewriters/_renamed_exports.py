"""An export renamed in its own module, as git's HEAD shows it (SF001).

``export const userAccounts = pgTable('user_accounts', …)`` became ``export const
accounts = pgTable('user_accounts', …)``, and ``import { userAccounts } from './users'``
broke. The name it became is certain when HEAD's ``users.ts`` exported ``userAccounts``,
the file now exports exactly one declaration that reads the same apart from its name
(``codemod.fingerprints``), under a name HEAD's file did not declare, and no module
defines ``userAccounts`` now. The import then takes the new name under the old one
(``{ accounts as userAccounts }``): every name the file uses stays bound.
"""

from __future__ import annotations

from codemod.fingerprints import exported_declarations
from codemod.project import Project

from ._disk import disk


def renamed_to(project: Project, module: str, name: str) -> str | None:
    """The name that ``name``, exported by ``module`` in git's HEAD, is exported under now
    (see the module); None without that evidence."""
    file = project.files.get(module)
    if file is None or file.has_error or project.exports.definers.get(name):
        return None
    before = disk(project).declared_before(module)
    then = before.get(name)
    if then is None:
        return None
    now = project.memo(("exported-declarations", module),
                       lambda: exported_declarations(file.passing_tree().root_node, file.data))
    if name in now:
        return None
    same = [n for n, text in now.items() if text == then and n not in before]
    return same[0] if len(same) == 1 and project.exports.exports(module, same[0]) else None
