"""SF000: a statement that does not parse (a note: shown with its line and column,
never failing a run by itself).

The notes come from the engine (``holdback.parse_notes``, called by the engine), which sees every file's
statements that do not parse; this module registers the code so that ``schemafix rules``
lists it and ``--ignore SF000`` hides the notes.
"""

from __future__ import annotations

from typing import Iterable

from codemod.model import Diagnostic
from codemod.rules import Context, rule


@rule("SF000", "parse-error", "A statement that does not parse (a note; no fix touches it)", fix=None)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """A top-level statement tree-sitter cannot parse. The file is still analysed and
    edited elsewhere; no fix changes the statement. Shown as a note: it does not fail the
    run by itself."""
    return ()
