"""Findings of a survey of public Drizzle projects (helper c, bench/public_projects.toml's
"survey c" entries), each reduced to a small schema written for this file: refactors
simulated on the projects (renames, merges, splits) whose fix was wrong, or healthy
trees that got an edit or a false error. Each was xfail(strict) until its fix landed."""

from __future__ import annotations

from pathlib import Path


from support import run

from codemod.project import Project

TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"


def text(outcome, path: str) -> str:
    return outcome.final[path].decode()


def exported(outcome, barrel: str, name: str) -> bool:
    project = Project.build(Path("/project"), outcome.final)
    return project.exports.exports(barrel, name)


# --- a named re-export line of the barrel, repointed in the same run -------------------


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


def test_an_importer_of_the_barrel_is_not_repointed_past_a_named_line_being_fixed():
    files = {
        "schema/posts.ts": TABLE.format("posts") + TABLE.format("users").split("\n", 1)[1],  # users.ts merged in
        "schema/index.ts": "export { users } from './users';\nexport { posts } from './posts';\n",
        "repo.ts": "import { users } from './schema/index';\nexport const t = users;\n",
    }
    outcome = run(files)
    assert text(outcome, "repo.ts") == files["repo.ts"]
    assert exported(outcome, "schema/index.ts", "users")
