"""Findings of survey o (a helper's refactors simulated on public schemas, judged by tsc,
2026-12-01, session 36), each reduced to a small project written for this file."""

from __future__ import annotations

import pytest
from support import diagnostics, fixed

REL = "import { relations } from 'drizzle-orm';\n"
PG = "import { integer, pgTable, serial } from 'drizzle-orm/pg-core';\n"
USERS = PG + "export const users = pgTable('users', { id: serial('id').primaryKey() });\n"
NOTES_REL = ("export const notesRelations = relations(notes, ({ one }) => ({\n"
             "  user: one(users, { fields: [notes.userId], references: [users.id] }),\n}));\n")
NOTES_TABLE = "export const notes = pgTable('notes', { id: serial('id').primaryKey(), userId: integer('user_id') });\n"


def test_a_relations_copied_into_a_reexported_module_is_not_called_a_module_the_barrel_misses():
    """`notesRelations` pasted into users/relations.ts, which the barrel `export *`s: the
    name collides (TS2308, reported), but SF005 also said the barrel "does not re-export"
    users/relations.ts (its other relations() have a twin elsewhere): false, the line is
    there. Only the collision is reported."""
    users_rel = (REL + "import { users } from './tables';\nimport { notes } from '../notes/tables';\n"
                 "export const usersRelations = relations(users, ({ many }) => ({ notes: many(notes) }));\n")
    files = {
        "src/schema/users/tables.ts": USERS,
        "src/schema/notes/tables.ts": PG + "import { users } from '../users/tables';\n" + NOTES_TABLE,
        "src/schema/users/relations.ts": users_rel + NOTES_REL,
        "src/schema/notes/relations.ts": (REL + "import { users } from '../users/tables';\n"
                                          "import { notes } from './tables';\n" + NOTES_REL),
        "src/schema/extra.ts": (REL + "import { users } from './users/tables';\nimport { notes } from './notes/tables';\n"
                                "export const usersExtraRelations = relations(users, ({ many }) => ({ extra: many(notes) }));\n"),
        "src/schema/index.ts": ("export * from './users/tables';\nexport * from './notes/tables';\n"
                                "export * from './users/relations';\nexport * from './notes/relations';\n"
                                "export * from './extra';\n"),
    }
    assert fixed(files) == files
    sf005 = [d.message for d in diagnostics(files) if d.code == "SF005"]
    assert not [m for m in sf005 if "does not re-export" in m], sf005
    assert [m for m in sf005 if "exported twice through `export *`" in m and "notesRelations" in m], sf005


def test_a_relations_copied_into_a_relations_module_is_still_merged_there():
    """The same paste, the original beside its table in notes.ts: the two identical
    declarations are merged into relations.ts (the collision goes)."""
    users_rel = (REL + "import { users } from './users';\nimport { notes } from './notes';\n"
                 "export const usersRelations = relations(users, ({ many }) => ({ notes: many(notes) }));\n")
    files = {"src/schema/users.ts": USERS,
             "src/schema/notes.ts": REL + PG + "import { users } from './users';\n" + NOTES_TABLE + NOTES_REL,
             "src/schema/relations.ts": users_rel + NOTES_REL,
             "src/schema/index.ts": "export * from './users';\nexport * from './notes';\nexport * from './relations';\n"}
    out = fixed(files)
    assert "notesRelations" not in out["src/schema/notes.ts"]
    assert out["src/schema/relations.ts"] == files["src/schema/relations.ts"]


MEMBERS = ("import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
           "export const tenantMembers = pgTable('tenant_members', {\n  id: serial('id').primaryKey(),\n"
           "  tenantId: integer('tenant_id'),\n});\n"
           "export const roleNames = ['owner', 'member'] as const;\n")
TEAM = {"src/schema/tenant-members.ts": MEMBERS,
        "src/schema/relations.ts": (REL + "import { tenantMembers } from './tenant-members';\n"
                                    "export const tenantMembersRelations = relations(tenantMembers, () => ({}));\n"),
        "src/schema/roles.ts": "import { roleNames } from './tenant-members';\nexport const roles = [...roleNames];\n",
        "src/schema/index.ts": "export * from './tenant-members';\nexport * from './relations';\n"}


def _rename_file_and_export(root, statement: str = "export const members = pgTable('tenant_members'") -> None:
    from support import git
    git("mv", "src/schema/tenant-members.ts", "src/schema/members.ts", cwd=root)
    path = root / "src/schema/members.ts"
    path.write_text(path.read_text().replace("export const tenantMembers = pgTable('tenant_members'", statement))


def test_a_file_renamed_with_its_export_renamed_is_followed_under_the_new_name(tmp_path):
    """`git mv tenant-members.ts members.ts` and `tenantMembers` became `members` in the
    same change (a public NodeNext schema): the import followed the file only when it
    exported every name, so `{ tenantMembers }` was reported (TS2307 stayed). Git's HEAD
    holds the same declaration in the old file: the import follows the file under the new
    name, aliased to the old; a name the file still exports only follows the file."""
    from support import git_repo
    from test_renamed_exports import run
    root = git_repo(tmp_path, TEAM)
    _rename_file_and_export(root)
    assert run(root, "--apply").exit_code in (0, 1)
    assert (root / "src/schema/relations.ts").read_text().startswith(
        REL + "import { members as tenantMembers } from './members';\n")
    assert (root / "src/schema/roles.ts").read_text().startswith("import { roleNames } from './members';\n")
    assert run(root, "--check").exit_code == 0


def test_a_file_renamed_with_its_export_changed_too_is_only_reported(tmp_path):
    from support import git_repo
    from test_renamed_exports import run, sf001
    root = git_repo(tmp_path, TEAM)
    _rename_file_and_export(root, "export const members = pgTable('members'")
    found = [d for d in sf001(root) if d["path"] == "src/schema/relations.ts"]
    assert found and all(d.get("fix") is None for d in found), found
    run(root, "--apply")
    assert "from './tenant-members'" in (root / "src/schema/relations.ts").read_text()


@pytest.mark.slow
def test_the_compiler_agrees_with_the_file_and_its_export_renamed(tmp_path):
    """tsc: TS2307 (the old file) before; clean after, and a second run changes nothing."""
    from support import db_project_on_disk, error_codes, git, tsc
    from test_renamed_exports import run
    root = db_project_on_disk(tmp_path / "app", {k.replace("src/schema/", "db/"): v for k, v in TEAM.items()})
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "init", cwd=root)
    git("mv", "db/tenant-members.ts", "db/members.ts", cwd=root)
    path = root / "db/members.ts"
    path.write_text(path.read_text().replace("export const tenantMembers =", "export const members ="))
    assert error_codes(tsc(root)).get("TS2307", 0) >= 2
    assert run(root, "--apply").exit_code in (0, 1)
    assert tsc(root) == []
    assert run(root, "--check").exit_code == 0
