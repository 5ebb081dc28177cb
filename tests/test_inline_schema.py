"""Tables written through an inline schema, `pgSchema('auth').table(...)` (no schema
variable), are tables to every rule that reads tables, as `auth.table(...)` is: the
relation rules (SF007-SF009) check and fix their relations, SF001 takes a module
defining one as certain; a healthy project of them gets no edit and no report. Judged
by tsc and by drizzle's own relations normalisation (tests/node/relations-dump.mjs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_fix, check_noop, db_project_on_disk, diagnostics, run

from codemod.model import Applicability
from codemod.project import Project
from rewriters._tables import tables

SHOP = """import { pgSchema, serial, integer, text } from 'drizzle-orm/pg-core';

export const customers = pgSchema('shop').table('customers', {
  id: serial('id').primaryKey(),
  name: text('name'),
});

export const orders = pgSchema('shop').table('orders', {
  id: serial('id').primaryKey(),
  customerId: integer('customer_id').notNull().references(() => customers.id),
}).enableRLS();
"""

# the orders' side lacks the one() back to customers (SF008 adds it)
SHOP_RELATIONS = """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ many }) => ({}));
"""
INVERSE = ("relations(orders, ({ many, one }) => ({ customer: one(customers, { fields: [orders.customerId], "
           "references: [customers.id] }) }));")
SHOP_PROJECT = {"db/schema.ts": SHOP, "db/relations.ts": SHOP_RELATIONS,
                "db/index.ts": "export * from './schema';\nexport * from './relations';\n"}


def test_a_missing_inverse_between_tables_of_an_inline_schema_is_added():
    check_fix(SHOP_PROJECT, {"db/relations.ts": SHOP_RELATIONS.replace("relations(orders, ({ many }) => ({}));",
                                                                       INVERSE)}, select="SF008")


BACKUPS = """import { mysqlSchema, int, varchar } from 'drizzle-orm/mysql-core';

export const adminBackups = mysqlSchema('admin').table('admin_backups', {
  id: int('id').primaryKey(),
  label: varchar('label', { length: 80 }),
});

export const backupSchedules = mysqlSchema('admin').table('backup_schedules', {
  id: int('id').primaryKey(),
  lastBackupId: int('last_backup_id').references(() => adminBackups.id),
});
"""
BACKUP_RELATIONS = """import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one, many }) => ({
  schedules: many(backupSchedules),
  lastBackup: one(adminBackups, { fields: [adminBackups.lastBackupId], references: [adminBackups.id] }),
}));

export const backupSchedulesRelations = relations(backupSchedules, ({ many }) => ({
  runs: many(adminBackups),
}));
"""


def test_a_relation_on_the_wrong_table_of_an_inline_mysql_schema_moves_to_the_table_with_the_column():
    """SF007: `lastBackupId` is a column of `backupSchedules`, not of `adminBackups`."""
    after = BACKUP_RELATIONS.replace(
        "  lastBackup: one(adminBackups, { fields: [adminBackups.lastBackupId], references: [adminBackups.id] }),\n",
        "").replace("({ many }) => ({\n  runs: many(adminBackups),\n", "({ many, one }) => ({\n  runs: many(adminBackups),\n"
                    "  lastBackup: one(adminBackups, { fields: [backupSchedules.lastBackupId], "
                    "references: [adminBackups.id] }),\n")
    check_fix({"db/backups.ts": BACKUPS, "db/relations.ts": BACKUP_RELATIONS}, {"db/relations.ts": after},
              select="SF007")


_PG = "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
TABLE_USE = {
    "src/db/schema/posts.ts": _PG + "export const posts = pgTable('posts', { id: serial('id').primaryKey(), "
                                    "authorId: integer('author_id').notNull() });\n",
    "src/db/schema/relations.ts": "import { relations } from 'drizzle-orm';\nimport { posts } from './posts';\n"
                                  "import { users } from './users';\n"
                                  "export const postsRelations = relations(posts, ({ one }) => ({\n"
                                  "  author: one(users, { fields: [posts.authorId], references: [users.id] }),\n}));\n",
    "src/db/schema/people/users.ts": "import { pgSchema, serial } from 'drizzle-orm/pg-core';\n"
                                     "export const users = pgSchema('auth').table('users', "
                                     "{ id: serial('id').primaryKey() });\n",
    "src/lib/seed.ts": "import { loadUsers } from './load';\nexport const users = loadUsers();\n",
    "src/lib/load.ts": "export const loadUsers = () => [{ id: 1 }];\n",
}


def test_of_two_modules_exporting_a_name_used_as_a_table_the_one_defining_an_inline_schema_table_is_certain():
    """`users.ts` moved into `people/`; the other `users` of the project is a call's result
    (no evidence either way): the module defining the table is the one meant."""
    relations = TABLE_USE["src/db/schema/relations.ts"]
    outcome = check_fix(TABLE_USE, {"src/db/schema/relations.ts": relations.replace("'./users'", "'./people/users'")},
                        select="SF001")
    assert outcome.fixed[0].fix.applicability is Applicability.SAFE


AUTH = """import { pgSchema, uuid, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const users = pgSchema('auth').table('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull(),
  invitedById: uuid('invited_by_id').references((): AnyPgColumn => users.id),
});

export const sessions = pgSchema('auth').table('sessions', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
}).enableRLS();
"""
AUTH_RELATIONS = """import { relations } from 'drizzle-orm';
import { sessions, users } from './auth';

export const usersRelations = relations(users, ({ one, many }) => ({
  sessions: many(sessions),
  invitedBy: one(users, { fields: [users.invitedById], references: [users.id], relationName: 'invites' }),
  invited: many(users, { relationName: 'invites' }),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));
"""
HEALTHY = {"db/auth.ts": AUTH, "db/relations.ts": AUTH_RELATIONS,
           "db/index.ts": "export * from './auth';\nexport * from './relations';\n"}


def test_a_healthy_project_of_inline_schema_tables_gets_no_edit_and_no_report():
    """The relation rules read every table (and so check every relation) and find nothing."""
    project = Project.build(Path("/project"), {p: t.encode() for p, t in HEALTHY.items()})
    found = tables(project)
    assert {k: t.columns for k, t in found.items()} == {
        ("db/auth.ts", "users"): ("id", "email", "invitedById"), ("db/auth.ts", "sessions"): ("id", "userId")}
    assert found[("db/auth.ts", "users")].references_to(("db/auth.ts", "users"))
    assert diagnostics(HEALTHY) == []
    check_noop(HEALTHY)


# --- the compiler's and drizzle's word (runs node) -----------------------------------

_project = db_project_on_disk


@pytest.mark.slow
def test_drizzle_resolves_the_inverse_added_between_inline_schema_tables(tmp_path):
    from support import relations_dump, tsc

    before = _project(tmp_path / "a", SHOP_PROJECT)
    assert tsc(before) == []
    assert list(relations_dump(before / "db/index.ts")["broken"]) == ["customers.orders"]
    after = _project(tmp_path / "b", {p: t.decode() for p, t in run(SHOP_PROJECT, select="SF008").final.items()})
    assert tsc(after) == []
    dump = relations_dump(after / "db/index.ts")
    assert dump["broken"] == {} and dump["relations"]["orders"] == ["customer"]


@pytest.mark.slow
def test_drizzle_and_tsc_find_the_healthy_inline_schema_project_healthy(tmp_path):
    from support import relations_dump, tsc

    root = _project(tmp_path / "p", HEALTHY)
    assert tsc(root) == []
    dump = relations_dump(root / "db/index.ts")
    assert dump["broken"] == {} and dump["relations"] == {"sessions": ["user"],
                                                         "users": ["invited", "invitedBy", "sessions"]}
