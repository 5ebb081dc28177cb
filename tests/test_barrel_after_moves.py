"""Issue 12: barrels after renames, merges and splits."""

from __future__ import annotations

from support import check_fix, check_noop, diagnostics

from codemod.model import Severity
from test_barrel import rel, table

DOMAINS = ("user", "post", "tag", "shop", "chat", "wiki")
TABLES = {f"schema/{d}/{d}s.ts": table(f"{d}s") for d in DOMAINS}
RELATIONS = {f"schema/{d}/relations.ts": rel((f"{d}s", f"./{d}s")) for d in DOMAINS}
TABLE_LINE = "export * from './{d}/{d}s';\n"
REL_LINE = "export * from './{d}/relations';\n"


def barrel(*, tables=DOMAINS, relations=DOMAINS) -> str:
    return "".join(TABLE_LINE.format(d=d) for d in tables) + "".join(REL_LINE.format(d=d) for d in relations)


# --- §3 table modules belong in the schema barrel ------------------------------------


def test_a_table_module_dropped_from_the_root_barrel_is_added_back_by_default():
    files = {**TABLES, **RELATIONS, "schema/index.ts": barrel(tables=DOMAINS[:-1])}
    outcome = check_fix(files, {"schema/index.ts": barrel(tables=DOMAINS[:-1]) + TABLE_LINE.format(d="wiki")},
                        select="SF005")
    [d] = outcome.fixed
    assert "does not re-export 1 table module" in d.message and str(d.fix.applicability) == "safe"


def test_a_barrel_reaching_few_table_modules_only_gets_a_note():
    """A barrel that re-exports two of six table modules is not 'all but a few': maybe
    on purpose; say so, change nothing."""
    files = {**TABLES, **RELATIONS, "schema/index.ts": barrel(tables=DOMAINS[:2])}
    outcome = check_noop(files, select="SF005")
    [d] = outcome.remaining
    assert d.severity is Severity.INFO and d.notes[0].startswith("not re-exported: schema/")


def test_a_module_without_tables_stays_a_note():
    files = {**TABLES, **RELATIONS, "schema/core/util.ts": "export const helper = 1;\n",
             "schema/index.ts": barrel()}
    [d] = diagnostics(files, select="SF005")
    assert d.severity is Severity.INFO and d.notes == ("not re-exported: schema/core/util.ts",)


def test_healthy_barrel_is_left_alone():
    check_noop({**TABLES, **RELATIONS, "schema/index.ts": barrel()}, select="SF005")
