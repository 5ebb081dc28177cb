"""Findings of survey h (a helper's survey of 16 more public projects, 2026-12-01,
session 34), each reduced to a small project written for this file."""

from __future__ import annotations

from support import diagnostics

BROKEN = "export function f( {\n}\nexport type Status = 'up';\n"  # tree-sitter loses every export after it
USE = "import type {{ Status }} from '{0}';\nexport const s: Status = 'up';\n"


def sf001(files: dict[str, str]) -> list:
    return [d for d in diagnostics(files) if d.code == "SF001"]


def test_a_name_a_parse_error_may_hide_is_neither_reported_nor_repointed():
    """A statement that does not parse can swallow the declarations after it (an interface
    member tree-sitter misreads, on a public Next.js app): the import was called broken,
    and with another module exporting the name it was repointed there by a safe fix."""
    files = {"src/types.ts": BROKEN, "src/use.ts": USE.format("./types")}
    assert sf001(files) == []
    assert sf001({**files, "src/old-status.ts": "export type Status = 'up' | 'down';\n"}) == []


def test_a_parse_error_in_a_module_a_barrel_reexports_hides_the_barrels_names_too():
    files = {"src/types.ts": BROKEN, "src/index.ts": "export * from './types';\n", "src/use.ts": USE.format("./index"),
             "src/old-status.ts": "export type Status = 'up' | 'down';\n"}
    assert sf001(files) == []


def test_a_name_missing_from_a_module_that_parses_is_still_reported():
    files = {"src/types.ts": "export type Kind = 'a';\n", "src/use.ts": USE.format("./types"),
             "src/old-status.ts": "export type Status = 'up' | 'down';\n"}
    [d] = sf001(files)
    assert "Status is exported by src/old-status.ts" in d.message and d.fix is not None
