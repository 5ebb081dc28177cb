"""Findings of a survey of public Drizzle projects (helper c, bench/public_projects.toml's
"survey c" entries), each reduced to a small schema written for this file: refactors
simulated on the projects (renames, merges, splits) whose fix was wrong, or healthy
trees that got an edit or a false error. Marked xfail(strict) until fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import run

from codemod.project import Project

TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"


def text(outcome, path: str) -> str:
    return outcome.final[path].decode()


def exported(outcome, barrel: str, name: str) -> bool:
    project = Project.build(Path("/project"), outcome.final)
    return project.exports.exports(barrel, name)


# --- a named re-export line of the barrel, repointed in the same run -------------------


@pytest.mark.xfail(strict=True, reason="SF001 adds `export * from './accounts'` to the barrel for an importer of "
                   "the barrel while the barrel's own named line `export { users } from './users'` is being "
                   "repointed: _stale_star_fixable only waits for stale `export *` lines (seen on qzpay and "
                   "solaire-starter-kit, git mv of customers.schema.ts / auth.schema.ts)")
def test_a_renamed_module_behind_a_named_barrel_line_gets_no_extra_export_star():
    files = {
        "schema/accounts.ts": TABLE.format("users") + "export const internalOnly = 1;\n",  # was schema/users.ts
        "schema/posts.ts": TABLE.format("posts"),
        "schema/index.ts": "export { users } from './users';\nexport { posts } from './posts';\n",
        "repo.ts": "import { users } from './schema/index';\nexport const t = users;\n",
    }
    outcome = run(files)
    barrel = text(outcome, "schema/index.ts")
    assert barrel == "export { users } from './accounts';\nexport { posts } from './posts';\n", barrel
    assert not exported(outcome, "schema/index.ts", "internalOnly")  # the named list chose what is public


@pytest.mark.xfail(strict=True, reason="SF001 repoints an importer of the barrel past it (to the merged module) "
                   "while the barrel's named line for the merged-away module is repointed in the same run: "
                   "_stale_star_fixable only considers `export *` lines (seen on qzpay: promo-codes.schema.ts "
                   "merged into prices.schema.ts; a mapper and a repository got edits they did not need)")
def test_an_importer_of_the_barrel_is_not_repointed_past_a_named_line_being_fixed():
    files = {
        "schema/posts.ts": TABLE.format("posts") + TABLE.format("users").split("\n", 1)[1],  # users.ts merged in
        "schema/index.ts": "export { users } from './users';\nexport { posts } from './posts';\n",
        "repo.ts": "import { users } from './schema/index';\nexport const t = users;\n",
    }
    outcome = run(files)
    assert text(outcome, "repo.ts") == files["repo.ts"]
    assert exported(outcome, "schema/index.ts", "users")
