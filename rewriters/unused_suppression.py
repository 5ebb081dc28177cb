"""SF100: a ``// schemafix-ignore`` comment that suppresses nothing (like ruff's RUF100).

The diagnostics come from the suppression step (``codemod/suppression.py``), which sees
what every other rule reported; this module registers the code so that ``schemafix
rules`` lists it and ``--select`` / ``--ignore`` accept it.
"""

from __future__ import annotations

from typing import Iterable

from codemod.model import Diagnostic
from codemod.rules import Context, rule
from codemod.suppression import UNUSED


@rule(UNUSED, "unused-suppression", "A schemafix-ignore comment that suppresses nothing", fix=None)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Reports a ``// schemafix-ignore`` (or ``-ignore-file``) comment when none of the
    codes it names is reported where it applies; codes of rules that did not run are not
    called unused. Report only: remove the comment or the codes by hand."""
    return ()
