"""Findings of survey o (a helper's refactors simulated on public schemas, judged by tsc,
2026-12-01, session 36), each reduced to a small project written for this file."""

from __future__ import annotations

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
