"""Issue 11: what schemafix may trust and touch. A module that `export *`s a package is
open; a declaration file exports its declarations implicitly; generated files are not
ours; a fix never imports its own file or a barrel that re-exports it; a diagnostic shown
as fixable is one whose fix gets applied."""

from __future__ import annotations

from pathlib import Path

from support import check_fix, check_noop, run

from codemod.project import Project

# --- 1. `export * from 'pkg'` makes its module open ---------------------------------------

DRIZZLE_WRAPPER = {
    "src/drizzle/index.ts": 'export * from "drizzle-orm";\nexport const db = connect();\n',
    "src/billing/queries.ts": (
        'import { and, sql, isNotNull } from "../drizzle";\n'
        "export const unpaid = and(sql`paid = false`);\n"
    ),
}


def test_export_star_of_a_package_makes_the_module_open():
    exports = Project.build(Path("/project"), {p: s.encode() for p, s in DRIZZLE_WRAPPER.items()}).exports
    assert exports.is_open("src/drizzle/index.ts")
    assert exports.exports("src/drizzle/index.ts", "isNotNull")


def test_names_of_a_package_wrapper_are_never_dropped():
    outcome = check_noop(DRIZZLE_WRAPPER)
    assert [d.message for d in outcome.remaining] == []


def test_names_of_a_package_wrapper_reached_through_a_barrel_are_never_dropped():
    files = {
        **DRIZZLE_WRAPPER,
        "src/index.ts": "export * from './drizzle';\nexport const version = 1;\n",
        "src/billing/queries.ts": (
            'import { and, sql, isNotNull } from "..";\n'
            "export const unpaid = and(sql`paid = false`);\n"
        ),
    }
    outcome = check_noop(files)
    assert [d.message for d in outcome.remaining] == []


def test_dropping_an_unused_name_keeps_the_other_names_of_the_statement():
    files = {
        "schema/users.ts": "export const users = 1;\nexport const accounts = 2;\n",
        "schema/relations.ts": (
            "import { users, ghost, accounts } from './users';\n"
            "export const r = [users, accounts];\n"
        ),
    }
    check_fix(files, {"schema/relations.ts": "import { users, accounts } from './users';\n"
                                             "export const r = [users, accounts];\n"}, select="SF001")


def test_dropping_an_unused_name_keeps_the_default_binding():
    files = {
        "schema/users.ts": "const users = 1;\nexport default users;\n",
        "schema/relations.ts": (
            "import users, { ghost } from './users';\n"
            "export const r = [users];\n"
        ),
    }
    check_fix(files, {"schema/relations.ts": "import users from './users';\n"
                                             "export const r = [users];\n"}, select="SF001")


def test_moving_a_named_import_keeps_the_default_binding():
    files = {
        "schema/users.ts": "const users = 1;\nexport default users;\n",
        "schema/accounts.ts": "export const accounts = 2;\n",
        "schema/relations.ts": (
            "import users, { accounts } from './users';\n"
            "export const r = [users, accounts];\n"
        ),
    }
    check_fix(files, {"schema/relations.ts": "import users from './users';\nimport { accounts } from './accounts';\n"
                                             "export const r = [users, accounts];\n"}, select="SF001")
