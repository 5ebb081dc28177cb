"""SF007-SF009: what drizzle needs at runtime from relations() (columns that exist,
inverse relations it can infer, relationNames that pair up). Before/after tests on
realistic pg, mysql and sqlite tables."""

from __future__ import annotations

import re

import pytest
from support import FIXTURES, check_fix, check_noop, diagnostics, fixture_files, run

from codemod import tsconfig
from codemod.model import Applicability

PG_BACKUPS = """import { pgTable, uuid, text, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from '../shared/columns';

export const adminBackups = pgTable('admin_backups', {
  id: uuid('id').primaryKey(),
  label: text('label'),
  ...timestamps,
});

export const backupSchedules = pgTable('backup_schedules', (t) => ({
  id: t.uuid('id').primaryKey(),
  cron: t.text('cron').notNull(),
  lastBackupId: t.uuid('last_backup_id').references(() => adminBackups.id),
}));
"""

SHARED = """import { timestamp } from 'drizzle-orm/pg-core';

export const timestamps = {
  createdAt: timestamp('created_at').notNull().defaultNow(),
  updatedAt: timestamp('updated_at'),
};
"""

WRONG_TABLE = """import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one, many }) => ({
  schedules: many(backupSchedules),
  lastBackup: one(adminBackups, { fields: [adminBackups.lastBackupId], references: [adminBackups.id] }),
}));

export const backupSchedulesRelations = relations(backupSchedules, ({ one }) => ({
}));
"""


def _backups(relations: str) -> dict[str, str]:
    return {"schema/shared/columns.ts": SHARED, "schema/admin/backups.ts": PG_BACKUPS,
            "schema/admin/relations.ts": relations}


# --- SF007 ---------------------------------------------------------------------------


def test_relation_on_the_wrong_table_moves_to_the_table_with_the_column():
    before = _backups("""import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one, many }) => ({
  schedules: many(backupSchedules),
  lastBackup: one(adminBackups, { fields: [adminBackups.lastBackupId], references: [adminBackups.id] }),
}));

export const backupSchedulesRelations = relations(backupSchedules, ({ many }) => ({
  runs: many(adminBackups),
}));
""")
    after = """import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one, many }) => ({
  schedules: many(backupSchedules),
}));

export const backupSchedulesRelations = relations(backupSchedules, ({ many, one }) => ({
  runs: many(adminBackups),
  lastBackup: one(adminBackups, { fields: [backupSchedules.lastBackupId], references: [adminBackups.id] }),
}));
"""
    check_fix(before, {"schema/admin/relations.ts": after}, select="SF007")


def test_the_move_creates_the_relations_declaration_and_its_imports():
    """backupSchedules has no relations(): one is created in the relations.ts beside
    it, importing what it names."""
    before = {
        "schema/shared/columns.ts": SHARED,
        "schema/admin/backups.ts": PG_BACKUPS,
        "schema/admin/relations.ts": """import { relations } from 'drizzle-orm';
import { adminBackups } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one }) => ({
  lastBackup: one(adminBackups, {
    fields: [adminBackups.lastBackupId],
    references: [adminBackups.id],
  }),
}));
""",
    }
    after = """import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one }) => ({
}));

export const backupSchedulesRelations = relations(backupSchedules, ({ one }) => ({
  lastBackup: one(adminBackups, {
    fields: [backupSchedules.lastBackupId],
    references: [adminBackups.id],
  }),
}));
"""
    check_fix(before, {"schema/admin/relations.ts": after}, select="SF007")


def test_a_table_reached_through_a_barrel_in_another_module():
    """The home table lives in another folder, reached through its barrel; the relation
    moves into that folder's relations.ts, which imports the target table."""
    before = {
        "schema/users/users.ts": """import { mysqlTable, int, varchar } from 'drizzle-orm/mysql-core';

export const users = mysqlTable('users', {
  id: int('id').primaryKey().autoincrement(),
  name: varchar('name', { length: 80 }),
});
""",
        "schema/users/index.ts": "export * from './users';\n",
        "schema/teams/teams.ts": """import { mysqlTable, int, varchar } from 'drizzle-orm/mysql-core';
import { users } from '../users';

export const teams = mysqlTable('teams', {
  id: int('id').primaryKey().autoincrement(),
  ownerUserId: int('owner_user_id').notNull().references(() => users.id),
});
""",
        "schema/teams/relations.ts": """import { relations } from 'drizzle-orm';
import { teams } from './teams';

export const teamsRelations = relations(teams, ({ many }) => ({
  members: many(teams),
}));
""",
        "schema/users/relations.ts": """import { relations } from 'drizzle-orm';
import { users } from './users';

export const usersRelations = relations(users, ({ one }) => ({
  owner: one(users, { fields: [users.ownerUserId], references: [users.id] }),
}));
""",
    }
    outcome = check_fix(before, {
        "schema/users/relations.ts": """import { relations } from 'drizzle-orm';
import { users } from './users';

export const usersRelations = relations(users, ({ one }) => ({
}));
""",
        "schema/teams/relations.ts": """import { relations } from 'drizzle-orm';
import { teams } from './teams';
import { users } from '../users/users';

export const teamsRelations = relations(teams, ({ many, one }) => ({
  members: many(teams),
  owner: one(users, { fields: [teams.ownerUserId], references: [users.id] }),
}));
""",
    }, select="SF007")
    [d] = outcome.fixed
    assert d.fix.applicability == Applicability.SAFE


def test_composite_foreign_key_in_the_extra_config_moves():
    tables = """import { sqliteTable, integer, text, foreignKey, primaryKey } from 'drizzle-orm/sqlite-core';

export const shelves = sqliteTable('shelves', {
  storeId: integer('store_id').notNull(),
  code: text('code').notNull(),
}, (t) => [primaryKey({ columns: [t.storeId, t.code] })]);

export const books = sqliteTable('books', {
  id: integer('id').primaryKey(),
  storeId: integer('store_id').notNull(),
  shelfCode: text('shelf_code').notNull(),
}, (t) => [foreignKey({ columns: [t.storeId, t.shelfCode], foreignColumns: [shelves.storeId, shelves.code] })]);
"""
    before = {"db/tables.ts": tables, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { books, shelves } from './tables';

export const shelvesRelations = relations(shelves, (r) => ({
  books: r.many(books),
  shelf: r.one(shelves, { fields: [shelves.storeId, shelves.shelfCode], references: [shelves.storeId, shelves.code] }),
}));

export const booksRelations = relations(books, (r) => ({}));
"""}
    # storeId exists on shelves itself: only shelfCode is missing, so the move needs every
    # field missing -> reported, not moved
    [d] = diagnostics(before, select="SF007")
    assert d.fix is None and "shelfCode" in d.message
    before["db/relations.ts"] = before["db/relations.ts"].replace("shelves.storeId, shelves.shelfCode",
                                                                  "shelves.shelfStoreId, shelves.shelfCode")
    before["db/tables.ts"] = tables.replace("storeId: integer('store_id').notNull(),\n  shelfCode",
                                            "shelfStoreId: integer('store_id').notNull(),\n  shelfCode") \
        .replace("[t.storeId, t.shelfCode]", "[t.shelfStoreId, t.shelfCode]")
    check_fix(before, {"db/relations.ts": """import { relations } from 'drizzle-orm';
import { books, shelves } from './tables';

export const shelvesRelations = relations(shelves, (r) => ({
  books: r.many(books),
}));

export const booksRelations = relations(books, (r) => ({ shelf: r.one(shelves, { fields: [books.shelfStoreId, books.shelfCode], references: [shelves.storeId, shelves.code] }) }));
"""}, select="SF007")


def test_no_foreign_key_to_the_same_target_is_a_report_with_candidates():
    files = _backups(WRONG_TABLE.replace("references: [adminBackups.id]", "references: [adminBackups.label]"))
    [d] = diagnostics(files, select="SF007")
    assert d.fix is None
    assert "`adminBackups` has no column 'lastBackupId'" in d.message
    assert any("no foreign key" in n for n in d.notes)
    assert any("tables that have a column 'lastBackupId': `backupSchedules`" in n for n in d.notes)


def test_did_you_mean_a_close_column_of_the_same_table():
    files = _backups("""import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const backupSchedulesRelations = relations(backupSchedules, ({ one }) => ({
  lastBackup: one(adminBackups, { fields: [backupSchedules.lastBackupID], references: [adminBackups.id] }),
}));
""")
    [d] = diagnostics(files, select="SF007")
    assert d.fix is None
    assert "did you mean `backupSchedules.lastBackupId`?" in d.notes


def test_a_missing_column_of_references_is_reported():
    files = _backups("""import { relations } from 'drizzle-orm';
import { adminBackups, backupSchedules } from './backups';

export const backupSchedulesRelations = relations(backupSchedules, ({ one }) => ({
  lastBackup: one(adminBackups, { fields: [backupSchedules.lastBackupId], references: [adminBackups.uuid] }),
}));
""")
    [d] = diagnostics(files, select="SF007")
    assert d.fix is None and "references" in d.message and "'uuid'" in d.message


def test_two_tables_with_the_column_is_a_report():
    files = _backups(WRONG_TABLE)
    files["schema/admin/archive.ts"] = """import { pgTable, uuid } from 'drizzle-orm/pg-core';
import { adminBackups } from './backups';

export const archives = pgTable('archives', {
  id: uuid('id').primaryKey(),
  lastBackupId: uuid('last_backup_id').references(() => adminBackups.id),
});
"""
    [d] = diagnostics(files, select="SF007")
    assert d.fix is None
    assert any("2 tables have column 'lastBackupId'" in n for n in d.notes)


def test_a_conflicting_key_on_the_home_table_is_reported():
    files = _backups(WRONG_TABLE.replace("({ one }) => ({\n}));", "({ one }) => ({\n  lastBackup: one(adminBackups),\n}));"))
    [d] = diagnostics(files, select="SF007")
    assert d.fix is None and any("already defines 'lastBackup' differently" in n for n in d.notes)


def test_an_identical_twin_on_the_home_table_only_removes_the_wrong_one():
    twin = "  lastBackup: one(adminBackups, { fields: [backupSchedules.lastBackupId], references: [adminBackups.id] }),\n"
    files = _backups(WRONG_TABLE.replace("({ one }) => ({\n}));", "({ one }) => ({\n" + twin + "}));"))
    out = run(files, select="SF007")
    text = out.final["schema/admin/relations.ts"].decode()
    assert text.count("lastBackup:") == 1 and "adminBackups.lastBackupId" not in text


def test_unreadable_spread_means_the_column_may_exist():
    files = _backups(WRONG_TABLE)
    files["schema/admin/backups.ts"] = PG_BACKUPS.replace("...timestamps,", "...makeColumns('x'),")
    assert diagnostics(files, select="SF007") == []


def test_spread_helper_function_columns_are_known():
    files = _backups("""import { relations } from 'drizzle-orm';
import { adminBackups } from './backups';

export const adminBackupsRelations = relations(adminBackups, ({ one }) => ({
  creator: one(adminBackups, { fields: [adminBackups.createdAt], references: [adminBackups.id] }),
}));
""")
    assert diagnostics(files, select="SF007") == []  # createdAt comes from ...timestamps
    files["schema/shared/columns.ts"] = "import { timestamp } from 'drizzle-orm/pg-core';\n\n" \
        "export const timestamps = () => ({ createdAt: timestamp('created_at') });\n"
    files["schema/admin/backups.ts"] = PG_BACKUPS.replace("...timestamps,", "...timestamps(),")
    assert diagnostics(files, select="SF007") == []


# --- SF008 ---------------------------------------------------------------------------

PG_SHOP = """import { pgTable, serial, integer, text } from 'drizzle-orm/pg-core';

export const customers = pgTable('customers', {
  id: serial('id').primaryKey(),
  name: text('name'),
});

export const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  customerId: integer('customer_id').notNull().references(() => customers.id),
});
"""


def test_missing_inverse_one_is_added_to_the_other_tables_relations():
    before = {"db/schema.ts": PG_SHOP, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ many }) => ({}));
"""}
    after = before["db/relations.ts"].replace(
        "relations(orders, ({ many }) => ({}));",
        "relations(orders, ({ many, one }) => ({ customer: one(customers, { fields: [orders.customerId], "
        "references: [customers.id] }) }));")
    check_fix(before, {"db/relations.ts": after}, select="SF008")


def test_an_empty_relations_callback_without_helpers_is_read_as_no_relation():
    """`relations(orders, () => ({}))` (the one() deleted with its helper) declares no
    relation, and drizzle throws on the many() as when the object lists other ones; it
    was read as unreadable, so SF008 said nothing. The fix names the helper it uses."""
    before = {"db/schema.ts": PG_SHOP,
              "db/relations.ts": SHOP_RELATIONS.replace("({ many }) => ({}));", "() => ({}));")}
    after = before["db/relations.ts"].replace(
        "relations(orders, () => ({}));",
        "relations(orders, ({ one }) => ({ customer: one(customers, { fields: [orders.customerId], "
        "references: [customers.id] }) }));")
    check_fix(before, {"db/relations.ts": after}, select="SF008")


@pytest.mark.parametrize("body", ["({ ...shared })", "({ /* later */ })", "relationsOf(orders)"])
def test_a_callback_without_helpers_that_is_not_empty_stays_unreadable(body):
    files = {"db/schema.ts": PG_SHOP,
             "db/relations.ts": SHOP_RELATIONS.replace("({ many }) => ({}));", f"() => {body});")}
    check_noop(files, select="SF008")


def test_a_many_with_no_column_back_says_what_the_other_side_needs():
    """A many() has no fields of its own: the note asks for the column and the one() back
    on the other table (it used to say "give the relation fields on this side")."""
    files = {"db/schema.ts": PG_SHOP.replace("  customerId: integer('customer_id').notNull().references(() => customers.id),\n", ""),
             "db/relations.ts": SHOP_RELATIONS}
    [d] = [d for d in diagnostics(files) if d.code == "SF008"]
    assert d.fix is None
    assert d.notes == ("`orders` has no column that references `customers`: add one, and a one(customers, "
                       "{ fields, references }) through it in `orders`'s relations",), d.notes


# The orders' side lacks the one() back to customers (SF008 adds it).
SHOP_RELATIONS = """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ many }) => ({}));
"""


def test_planning_the_inverse_keeps_no_tree():
    """The fix is planned on a tree the relations file does not keep: planning it would
    otherwise hold the tree of every file a fix goes to until the end of the pass (15 MB
    in the second pass at 4,993 files)."""
    from pathlib import Path

    from codemod.engine import _collect
    from codemod.project import Project
    from codemod.rules import Context, Settings, all_rules

    project = Project.build(Path("/p"), {"db/schema.ts": PG_SHOP.encode(), "db/relations.ts": SHOP_RELATIONS.encode()})
    settings = Settings(select=frozenset({"SF008"}))
    [d] = _collect([r for r in all_rules() if settings.enabled(r.code)], Context(project, settings),
                   frozenset(project.files))
    assert d.fix is not None and {e.path for e in d.fix.edits} == {"db/relations.ts"}
    assert all(f._tree is None for f in project.files.values())


def test_the_next_snapshot_is_gathered_after_the_memos_it_cannot_take_went(monkeypatch):
    """Once a pass's fixes are applied, the snapshot keeps only the memos the next one
    may carry (none about a file the fixes change) before that one's files are gathered:
    the others were held through the gathering, the peak of a large run."""
    from support import record_builds

    from codemod import project as project_mod

    seen = record_builds(monkeypatch, lambda sources, previous: (
        frozenset(p for p, f in previous.files.items() if sources.get(p) != f.data), dict(previous._memo)))
    before = {"db/schema.ts": PG_SHOP, "db/relations.ts": SHOP_RELATIONS}
    assert run(before, select="SF008").changed == ["db/relations.ts"]
    [(changed, memo)] = [s for s in seen if s[0]]
    assert changed == {"db/relations.ts"} and memo
    assert all(k[0] == "lasting" or (k[0] in project_mod._CARRIED_KINDS and not (len(k) == 2 and k[1] in changed))
               for k in memo)


def test_missing_inverse_creates_the_declaration_in_the_table_module():
    """No relations.ts beside the table: the new declaration goes into its module."""
    before = {"db/customers.ts": PG_SHOP.split("export const orders")[0].rstrip() + "\n",
              "db/orders.ts": "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
                              "import { customers } from './customers';\n\n"
                              "export const orders = pgTable('orders', {\n  id: serial('id').primaryKey(),\n"
                              "  customerId: integer('customer_id').references(() => customers.id),\n});\n",
              "db/customer-relations.ts": "import { relations } from 'drizzle-orm';\n"
                                          "import { customers } from './customers';\nimport { orders } from './orders';\n\n"
                                          "export const customersRelations = relations(customers, ({ many }) => ({\n"
                                          "  orders: many(orders),\n}));\n"}
    check_fix(before, {"db/orders.ts": before["db/orders.ts"].replace(
        "from './customers';\n", "from './customers';\nimport { relations } from 'drizzle-orm';\n") +
        "\nexport const ordersRelations = relations(orders, ({ one }) => ({\n"
        "  customer: one(customers, { fields: [orders.customerId], references: [customers.id] }),\n}));\n"},
        select="SF008")


ONE_RELATIONS_MODULE = {
    "src/db/schema/tables.ts": "import { pgTable, serial, text } from 'drizzle-orm/pg-core';\n"
                               "export const users = pgTable('users', { id: serial('id').primaryKey() });\n"
                               "export const warmLeads = pgTable('warm_leads', { id: serial('id').primaryKey(), "
                               "email: text('email') });\n",
    "src/db/schema/relations.ts": "import { relations } from 'drizzle-orm';\n"
                                  "import { users, warmLeads } from './tables';\n"
                                  "import { cities } from '../secondary-schema/cities';\n\n"
                                  "export const usersRelations = relations(users, () => ({}));\n\n"
                                  "export const warmLeadsRelations = relations(warmLeads, ({ many }) => ({\n"
                                  "  cities: many(cities),\n}));\n",
    "src/db/schema/index.ts": "export * from './tables';\nexport * from './relations';\n"
                              "export { cities } from '../secondary-schema/cities';\n",
    "src/db/secondary-schema/cities.ts": "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
                                         "import { warmLeads } from '../schema/tables';\n"
                                         "export const cities = pgTable('cities', { id: serial('id').primaryKey(),\n"
                                         "  warmLeadId: integer('warm_lead_id').references(() => warmLeads.id) });\n",
    "src/db/secondary-schema/index.ts": "export * from './cities';\n",
}
INVERSE = ("\nexport const citiesRelations = relations(cities, ({ one }) => ({\n"
           "  warmLead: one(warmLeads, { fields: [cities.warmLeadId], references: [warmLeads.id] }),\n}));\n")


def test_a_project_keeping_its_relations_in_one_module_gets_the_inverse_there():
    """Seen on a public Next.js project: every relations() in `schema/relations.ts`, and a
    `many(cities)` there whose table lives under a second schema barrel (another drizzle()
    instance): SF008 created `citiesRelations` beside the table, in the other instance's
    schema, and SF005 re-exported it there. The inverse goes where the project keeps its
    relations, beside the many()."""
    check_fix(ONE_RELATIONS_MODULE, {"src/db/schema/relations.ts": ONE_RELATIONS_MODULE["src/db/schema/relations.ts"]
                                     + INVERSE}, select="SF008")


@pytest.mark.slow
def test_drizzle_resolves_the_inverse_added_to_the_one_relations_module(tmp_path):
    from support import relations_dump, write_tree

    root = write_tree(tmp_path / "p", ONE_RELATIONS_MODULE)
    assert list(relations_dump(root / "src/db/schema/index.ts")["broken"]) == ["warmLeads.cities"]
    fixed = run(ONE_RELATIONS_MODULE, select="SF008").final
    root = write_tree(tmp_path / "q", {p: t.decode() for p, t in fixed.items()})
    dump = relations_dump(root / "src/db/schema/index.ts")
    assert dump["broken"] == {} and "warmLead" in dump["relations"]["cities"]


def test_the_name_follows_the_projects_convention():
    """The project names one() after the target table (`owner` for ownerId -> users? no:
    `user`), so the new inverse is `customer`'s table name, not the column's."""
    before = {"db/schema.ts": PG_SHOP.replace("customerId: integer('customer_id')", "buyerId: integer('buyer_id')")
              + "\nexport const notes = pgTable('notes', {\n  id: serial('id').primaryKey(),\n"
                "  writerId: integer('writer_id').references(() => customers.id),\n});\n",
              "db/relations.ts": """import { relations } from 'drizzle-orm';
import { customers, orders, notes } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));

export const notesRelations = relations(notes, ({ one }) => ({
  customer: one(customers, { fields: [notes.writerId], references: [customers.id] }),
}));

export const ordersRelations = relations(orders, ({ one }) => ({}));
"""}
    out = run(before, select="SF008")
    assert "customer: one(customers, { fields: [orders.buyerId], references: [customers.id] })" in \
        out.final["db/relations.ts"].decode()


def test_two_foreign_keys_to_the_table_need_a_relation_name():
    before = {"db/schema.ts": PG_SHOP.replace(
        "  customerId:", "  payerId: integer('payer_id').references(() => customers.id),\n  customerId:"),
        "db/relations.ts": """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));
"""}
    [d] = diagnostics(before, select="SF008")
    assert d.fix is None and any("several columns (payerId; customerId)" in n for n in d.notes)


def test_no_foreign_key_back_is_a_report():
    before = {"db/schema.ts": PG_SHOP.replace(".references(() => customers.id)", ""),
              "db/relations.ts": "import { relations } from 'drizzle-orm';\nimport { customers, orders } from './schema';\n\n"
                                 "export const customersRelations = relations(customers, ({ many }) => ({\n"
                                 "  orders: many(orders),\n}));\n"}
    [d] = diagnostics(before, select="SF008")
    assert d.fix is None and any("no column that references" in n for n in d.notes)


def test_a_relation_name_elsewhere_still_counts_as_an_inverse_candidate():
    """drizzle-orm 0.45 normalizeRelation: without a relationName, every relation of the
    other table pointing back counts, named or not; a many() there gives no fields."""
    before = {"db/schema.ts": PG_SHOP, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ many }) => ({
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ many }) => ({
  lines: many(customers, { relationName: 'unrelated' }),
}));
"""}
    [d] = diagnostics(before, select="SF008")
    assert d.fix is None and any("'lines' (db/relations.ts:9), which has no fields either" in n for n in d.notes)


def test_a_one_without_fields_is_treated_like_many():
    before = {"db/schema.ts": PG_SHOP, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, ({ one }) => ({
  latestOrder: one(orders),
}));

export const ordersRelations = relations(orders, ({ one }) => ({}));
"""}
    [d] = diagnostics(before, select="SF008")
    assert d.fix is not None and "latestOrder" in d.message


def test_a_lone_self_relation_is_reported():
    files = {"db/cats.ts": """import { pgTable, serial, integer, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { relations } from 'drizzle-orm';

export const categories = pgTable('categories', {
  id: serial('id').primaryKey(),
  parentId: integer('parent_id').references((): AnyPgColumn => categories.id),
});

export const categoriesRelations = relations(categories, ({ many }) => ({
  children: many(categories),
}));
"""}
    [d] = diagnostics(files, select="SF008")
    assert d.fix is None and any("self-relation" in n for n in d.notes)


# --- SF009 ---------------------------------------------------------------------------

MESSAGES = """import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

export const people = sqliteTable('people', { id: integer('id').primaryKey(), name: text('name') });

export const messages = sqliteTable('messages', {
  id: integer('id').primaryKey(),
  senderId: integer('sender_id').references(() => people.id),
  recipientId: integer('recipient_id').references(() => people.id),
});
"""


def test_two_relations_between_two_tables_need_relation_names():
    files = {"db/schema.ts": MESSAGES, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { messages, people } from './schema';

export const peopleRelations = relations(people, ({ many }) => ({
  sent: many(messages),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  sender: one(people, { fields: [messages.senderId], references: [people.id] }),
  recipient: one(people, { fields: [messages.recipientId], references: [people.id] }),
}));
"""}
    [d] = diagnostics(files, select="SF008,SF009")
    assert d.code == "SF009" and d.fix is None and "2 relations between `messages` and `people`" in d.message
    assert any(":9: 'sender'" in n for n in d.notes) and any(":10: 'recipient'" in n for n in d.notes)


def test_relation_name_on_one_side_only():
    files = {"db/schema.ts": MESSAGES, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { messages, people } from './schema';

export const peopleRelations = relations(people, ({ many }) => ({
  sent: many(messages, { relationName: 'sent' }),
  received: many(messages, { relationName: 'received' }),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  sender: one(people, { fields: [messages.senderId], references: [people.id], relationName: 'sent' }),
  recipient: one(people, { fields: [messages.recipientId], references: [people.id], relationName: 'recieved' }),
}));
"""}
    [d] = diagnostics(files, select="SF009")
    assert "relationName 'received' of 'received' is used on one side only" in d.message


def test_relation_name_twice_on_one_table():
    files = {"db/schema.ts": MESSAGES, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { messages, people } from './schema';

export const peopleRelations = relations(people, ({ many }) => ({
  sent: many(messages, { relationName: 'sent' }),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  sender: one(people, { fields: [messages.senderId], references: [people.id], relationName: 'sent' }),
  recipient: one(people, { fields: [messages.recipientId], references: [people.id], relationName: 'sent' }),
}));
"""}
    found = diagnostics(files, select="SF009")
    assert {d.line for d in found} == {5, 9}
    twice = next(d for d in found if d.line == 9)
    assert "used by 2 relations of `messages`" in twice.message and len(twice.notes) == 2


def test_paired_relation_names_and_self_relations_are_healthy():
    files = {"db/schema.ts": MESSAGES, "db/relations.ts": """import { relations } from 'drizzle-orm';
import { messages, people } from './schema';

export const peopleRelations = relations(people, ({ many }) => ({
  sent: many(messages, { relationName: 'sent' }),
  received: many(messages, { relationName: 'received' }),
}));

export const messagesRelations = relations(messages, ({ one }) => ({
  sender: one(people, { fields: [messages.senderId], references: [people.id], relationName: 'sent' }),
  recipient: one(people, { fields: [messages.recipientId], references: [people.id], relationName: 'received' }),
}));
"""}
    assert diagnostics(files, select="SF007,SF008,SF009") == []
    check_noop(files)


SELF = """import {{ relations }} from 'drizzle-orm';
import {{ pgTable, serial, integer, type AnyPgColumn }} from 'drizzle-orm/pg-core';
{names}
export const components = pgTable('components', {{ id: serial('id').primaryKey(),
  parentId: integer('parent_id').references((): AnyPgColumn => components.id) }});
export const componentsRelations = relations(components, ({{ one, many }}) => ({{
  parent: one(components, {{ fields: [components.parentId], references: [components.id], relationName: {parent} }}),
  children: many(components, {{ relationName: {children} }}),
}}));
"""


@pytest.mark.parametrize("names, parent, children", [
    ("const componentParent = 'componentParent';", "componentParent", "componentParent"),
    ("export const REL = 'componentParent' as const;", "REL", "'componentParent'"),
])
def test_a_relation_name_held_in_a_const_pairs_like_a_literal(names, parent, children):
    """Seen on a public project (37 commits of its history): `relationName:
    componentParentRelation`, a module-level const, on both sides of a self-relation; SF009
    took it for no name and reported two relations drizzle cannot tell apart."""
    files = {"src/schema/index.ts": SELF.format(names=names, parent=parent, children=children)}
    assert diagnostics(files, select="SF007,SF008,SF009") == []


def test_a_const_relation_name_that_does_not_pair_is_still_reported():
    files = {"src/schema/index.ts": SELF.format(names="const A = 'parent';\nconst B = 'kids';", parent="A",
                                                children="B")}
    [d] = diagnostics(files, select="SF009")
    assert "relationName 'kids' of 'children' is used on one side only" in d.message


def test_a_relation_name_that_cannot_be_read_is_neither_reported_nor_missing_on_the_other_side():
    files = {"src/schema/names.ts": "export const PARENT = 'componentParent';\n",
             "src/schema/index.ts": "import { PARENT } from './names';\n"
                                    + SELF.format(names="", parent="PARENT", children="'componentParent'")}
    assert diagnostics(files, select="SF007,SF008,SF009") == []


@pytest.mark.slow
def test_drizzle_pairs_a_relation_name_held_in_a_const(tmp_path):
    from support import relations_dump, write_tree

    root = write_tree(tmp_path / "p", {"schema/index.ts": SELF.format(
        names="const componentParent = 'componentParent';", parent="componentParent", children="componentParent")})
    dump = relations_dump(root / "schema/index.ts")
    assert dump["broken"] == {} and sorted(dump["relations"]["components"]) == ["children", "parent"]


# --- healthy projects ----------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["healthy-example", "healthy-side-by-side"])
def test_healthy_fixtures_get_no_relation_diagnostic(fixture):
    root = FIXTURES / fixture
    outcome = run(fixture_files(fixture), config=tsconfig.load(root / "tsconfig.json"), root=root,
                  select="SF007,SF008,SF009")
    assert outcome.final == outcome.original
    assert outcome.remaining == []


def test_a_renamed_column_is_not_taken_for_a_relation_on_the_wrong_table():
    """Found in review: `posts.authorId` was renamed `writerId`; `comments.authorId` also
    references users. Moving `posts.author` to comments (and deleting it) was wrong: posts
    itself still points at users, so the column was renamed. Reported, never moved."""
    files = {
        "schema/tables.ts": (
            "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
            "export const users = pgTable('users', { id: serial('id').primaryKey() });\n"
            "export const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n"
            "  writerId: integer('writer_id').references(() => users.id),\n});\n"
            "export const comments = pgTable('comments', {\n  id: serial('id').primaryKey(),\n"
            "  authorId: integer('author_id').references(() => users.id),\n});\n"),
        "schema/relations.ts": (
            "import { relations } from 'drizzle-orm';\nimport { users, posts, comments } from './tables';\n"
            "export const postsRelations = relations(posts, ({ one }) => ({\n"
            "  author: one(users, { fields: [posts.authorId], references: [users.id] }),\n}));\n"
            "export const commentsRelations = relations(comments, ({ one }) => ({\n"
            "  author: one(users, { fields: [comments.authorId], references: [users.id] }),\n}));\n"),
    }
    outcome = run(files, select="SF007")
    assert outcome.final == outcome.original
    [d] = outcome.remaining
    assert d.fix is None and any("was the column renamed" in n or "was the column renamed" in d.message
                                 for n in (*d.notes, d.message))


def test_the_added_inverse_is_never_named_like_a_column_of_the_table():
    """Found in review: `posts` has a column `author` and a foreign key `authorId`; the
    inverse must not be called `author` (the relation and the column would share a key)."""
    files = {
        "schema/tables.ts": (
            "import { pgTable, serial, integer, text } from 'drizzle-orm/pg-core';\n"
            "export const users = pgTable('users', { id: serial('id').primaryKey() });\n"
            "export const posts = pgTable('posts', {\n  id: serial('id').primaryKey(),\n  author: text('author'),\n"
            "  authorId: integer('author_id').references(() => users.id),\n});\n"),
        "schema/relations.ts": (
            "import { relations } from 'drizzle-orm';\nimport { users, posts } from './tables';\n"
            "export const usersRelations = relations(users, ({ many }) => ({\n  posts: many(posts),\n}));\n"
            "export const postsRelations = relations(posts, ({ many }) => ({}));\n"),
    }
    outcome = run(files, select="SF008")
    text = outcome.final["schema/relations.ts"].decode()
    assert "one(users, { fields: [posts.authorId]" in text and "author: one(" not in text


def test_a_run_on_files_without_relations_skips_the_relations_graph(monkeypatch):
    """SF007-SF009 report on relation properties, in the files that declare them: a run
    on other files (pre-commit passes the staged ones) reads neither the project's
    tables nor its relations graph; a run on the relations module still reports."""
    from rewriters import _relation_graph, _tables

    files = _backups(WRONG_TABLE)
    reads = []
    real_graph, real_tables = _relation_graph._rows, _tables._rows
    monkeypatch.setattr(_relation_graph, "_rows", lambda p: reads.append("graph") or real_graph(p))
    monkeypatch.setattr(_tables, "_rows", lambda p: reads.append("tables") or real_tables(p))
    outcome = run(files, select="SF007,SF008,SF009", targets=["schema/admin/backups.ts"])
    assert outcome.remaining == [] and outcome.fixed == [] and reads == []
    outcome = run(files, select="SF007,SF008,SF009", targets=["schema/admin/relations.ts"])
    assert {d.code for d in outcome.fixed + outcome.remaining} >= {"SF007"} and "graph" in reads


def test_reports_without_a_fix_parse_no_file_again(monkeypatch):
    """SF007-SF009 place a report at the relation property's span, kept in the relations
    rows: a report that proposes no fix parses no file after the project is built (the
    trees parsed for reports were held by the relations graph to the end of the run: 38
    of 265 MB traced at 4,993 files)."""
    from support import record_calls

    from codemod import project as project_mod
    from codemod.rules import all_rules

    all_rules()  # their eager summaries are registered, and taken as each file is parsed
    cases = [
        ("SF007", _backups(WRONG_TABLE.replace("references: [adminBackups.id]", "references: [adminBackups.label]"))),
        ("SF008", {"db/schema.ts": PG_SHOP.replace(".references(() => customers.id)", ""),
                   "db/relations.ts": "import { relations } from 'drizzle-orm';\nimport { customers, orders } from './schema';\n\n"
                                      "export const customersRelations = relations(customers, ({ many }) => ({\n"
                                      "  orders: many(orders),\n}));\n"}),
        ("SF009", {"db/schema.ts": MESSAGES, "db/relations.ts": "import { relations } from 'drizzle-orm';\n"
                   "import { messages, people } from './schema';\n\n"
                   "export const peopleRelations = relations(people, ({ many }) => ({\n  sent: many(messages),\n}));\n\n"
                   "export const messagesRelations = relations(messages, ({ one }) => ({\n"
                   "  sender: one(people, { fields: [messages.senderId], references: [people.id] }),\n"
                   "  recipient: one(people, { fields: [messages.recipientId], references: [people.id] }),\n}));\n"}),
    ]
    for code, files in cases:
        parses = record_calls(monkeypatch, project_mod, "parse_with_gaps", lambda path, data: path)
        [d] = diagnostics(files, select=code)
        assert d.code == code and d.fix is None
        assert sorted(parses) == sorted(files), code  # each file once, as the project was built
        # at the property, from its key to the end of its call, as before
        line = files[d.path].splitlines()[d.line - 1]
        assert re.match(r"\w+: (one|many)\(", line[d.column - 1:]), (code, line)
        assert d.end_line == d.line and line[:d.end_column - 1].endswith(")"), (code, line)


def test_a_move_to_the_end_of_a_file_and_a_merge_of_its_last_declaration_take_two_passes():
    """Review finding: SF007 moved a relation into a new `bRelations` at the end of the
    file while SF003 merged the duplicate `aRelations`, the file's last declaration, away:
    the insert lay inside the removed range, and the run crashed (exit 2, nothing
    written). One fix now waits for the next pass; both land, and a second run has
    nothing to do."""
    files = {
        "schema/tables.ts": "import { pgTable, uuid } from 'drizzle-orm/pg-core';\n"
                            "export const a = pgTable('a', { id: uuid('id') });\n"
                            "export const b = pgTable('b', { id: uuid('id'), aId: uuid('a_id').references(() => a.id) });\n"
                            "export const c = pgTable('c', { id: uuid('id') });\n",
        "schema/relations.ts": "import { relations } from 'drizzle-orm';\nimport { a, b, c } from './tables';\n\n"
                               "export const cRelations = relations(c, ({ one }) => ({\n"
                               "  a: one(a, { fields: [c.aId], references: [a.id] }),\n}));\n\n"
                               "export const aRelations = relations(a, ({ many }) => ({\n  cs: many(c),\n}));\n\n"
                               "export const aRelations = relations(a, ({ many }) => ({\n  bs: many(b),\n}));\n",
    }
    outcome = run(files)
    assert {"SF003", "SF007"} <= {d.code for d in outcome.fixed}
    text = outcome.final["schema/relations.ts"].decode()
    assert text.count("export const aRelations") == 1 and "bs: many(b)" in text and "cs: many(c)" in text
    assert "export const bRelations = relations(b" in text and "fields: [b.aId], references: [a.id]" in text
    again = run({p: d.decode() for p, d in outcome.final.items()})
    assert again.fixed == []


# --- a name passed to drizzle as a table comes from a table ---------------------------

_PG = "import { pgTable, serial, text, integer } from 'drizzle-orm/pg-core';\n"
TABLE_USE = {
    "src/db/schema/auth.ts": _PG + "export const user = pgTable('user', { id: serial('id').primaryKey() });\n",
    "src/db/schema/posts.ts": _PG + "export const posts = pgTable('posts', { id: serial('id').primaryKey(), "
                                    "authorId: integer('author_id').notNull() });\n",
    "src/db/schema/relations.ts": "import { relations } from 'drizzle-orm';\nimport { posts } from './posts';\n"
                                  "import { users } from './users';\n"
                                  "export const postsRelations = relations(posts, ({ one }) => ({\n"
                                  "  author: one(users, { fields: [posts.authorId], references: [users.id] }),\n}));\n",
    "src/lib/seed-data.ts": "export const users = [{ id: 1, name: 'Ada' }];\n",
}


def test_a_name_used_as_a_table_is_not_repointed_to_the_one_module_exporting_it_as_data():
    """Seen in a probe: `users.ts` gone, `one(users, …)` in the relations module, and the
    only other `users` of the project a seed-data array: SF001 repointed the import there as
    a safe fix (TS2345, TS2339 after it). Reported, with the tables of a like name."""
    outcome = check_noop(TABLE_USE, select="SF001")
    [d] = outcome.remaining
    assert d.fix is None and d.message == (
        "users is used as a table here, but src/lib/seed-data.ts exports it as something else; kept where it is; "
        "tables of a like name: user")


def test_of_two_modules_exporting_a_name_used_as_a_table_the_one_defining_a_table_is_certain():
    files = {**TABLE_USE, "src/db/schema/people/users.ts": _PG + "export const users = pgTable('users', "
                                                                "{ id: serial('id').primaryKey() });\n"}
    relations = TABLE_USE["src/db/schema/relations.ts"]
    outcome = check_fix(files, {"src/db/schema/relations.ts": relations.replace("'./users'", "'./people/users'")},
                        select="SF001")
    assert outcome.fixed[0].fix.applicability is Applicability.SAFE


def test_a_name_used_as_a_table_follows_a_table_with_row_level_security():
    """The probe that found it: `posts.ts` moved into `blog/`, its `import { users } from
    './users'` used as a table, `users` written `pgTable(...).enableRLS()`."""
    files = {**TABLE_USE, "src/db/schema/people/users.ts": _PG + "export const users = pgTable('users', "
                                                                "{ id: serial('id').primaryKey() }).enableRLS();\n"}
    relations = TABLE_USE["src/db/schema/relations.ts"]
    check_fix(files, {"src/db/schema/relations.ts": relations.replace("'./users'", "'./people/users'")},
              select="SF001")


def test_a_name_used_as_a_table_may_come_from_a_table_helper_it_cannot_read():
    """A table made by the project's own helper (`createTable(...)`) is no table it can
    read, but no evidence against either: the one exporter is taken, as before."""
    files = {**{p: t for p, t in TABLE_USE.items() if p != "src/lib/seed-data.ts"},
             "src/db/schema/people/users.ts": "import { createTable } from '../../table';\n"
                                              "export const users = createTable('users', {});\n"}
    relations = TABLE_USE["src/db/schema/relations.ts"]
    check_fix(files, {"src/db/schema/relations.ts": relations.replace("'./users'", "'./people/users'")},
              select="SF001")


TWO_DECLARATIONS = {
    "db/schema.ts": "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
                    "export const workspaces = pgTable('workspaces', { id: serial('id').primaryKey() });\n"
                    "export const members = pgTable('members', { id: serial('id').primaryKey(), "
                    "workspaceId: integer('w').references(() => workspaces.id) });\n",
    "db/a.ts": "import { relations } from 'drizzle-orm';\nimport { members, workspaces } from './schema';\n"
               "export const workspacesRelations = relations(workspaces, ({ many }) => ({ members: many(members) }));\n"
               "export const membersRelations = relations(members, ({ one }) => ({\n"
               "  workspace: one(workspaces, { fields: [members.workspaceId], references: [workspaces.id] }),\n}));\n",
    "db/b.ts": "import { relations } from 'drizzle-orm';\nimport { members, workspaces } from './schema';\n"
               "export const moreMembersRelations = relations(members, ({ one }) => ({\n"
               "  workspace: one(workspaces, { fields: [members.workspaceId], references: [workspaces.id] }),\n}));\n",
    "db/index.ts": "export * from './schema';\nexport * from './a';\nexport * from './b';\n",
}


def test_one_key_in_two_declarations_of_a_table_is_one_relation_to_pair_with():
    """Seen on a public schema (kan) once its `.enableRLS()` tables were read: the
    relations of `workspaceMembers` declared in two modules, each with `workspace:
    one(workspaces, …)`. Drizzle gathers them into one object: one relation back, and
    `members: many(…)` pairs with it. SF009 counted two; SF006 reports the two modules."""
    found = diagnostics(TWO_DECLARATIONS, select="SF008,SF009,SF006")
    assert [d.code for d in found] == ["SF006", "SF006"]


@pytest.mark.slow
def test_drizzle_pairs_a_key_declared_in_two_relations_of_a_table(tmp_path):
    from support import relations_dump, write_tree

    root = write_tree(tmp_path / "p", TWO_DECLARATIONS)
    dump = relations_dump(root / "db/index.ts")
    assert dump["broken"] == {} and dump["relations"]["members"] == ["workspace"]


FIELDS_HERE = ("import { relations } from 'drizzle-orm';\n"
               "import { pgSchema, pgTable, uuid } from 'drizzle-orm/pg-core';\n"
               "export const auth = pgSchema('auth');\n"
               "export const authUsers = auth.table('users', { id: uuid('id').primaryKey() });\n"
               "export const users = pgTable('users', {\n"
               "  id: uuid('id').primaryKey().references(() => authUsers.id),\n}).enableRLS();\n"
               "export const usersRelations = relations(users, ({ one }) => ({\n  authUser: one(authUsers),\n}));\n")


def test_a_one_without_fields_gets_the_fields_of_its_own_tables_foreign_key():
    """Seen on a public schema (onlook): `authUser: one(authUsers)` in the relations of
    `users`, whose `id` references `authUsers.id`; `authUsers` (Supabase's table) has no
    relations. Drizzle throws "There is not enough information to infer relation" on it;
    the foreign key is on this side, so the relation gets its fields here."""
    check_fix({"db/index.ts": FIELDS_HERE}, {"db/index.ts": FIELDS_HERE.replace(
        "one(authUsers)", "one(authUsers, { fields: [users.id], references: [authUsers.id] })")}, select="SF008")


@pytest.mark.slow
def test_drizzle_resolves_a_one_given_the_fields_of_its_own_foreign_key(tmp_path):
    from support import relations_dump, write_tree

    before = write_tree(tmp_path / "a", {"db/index.ts": FIELDS_HERE})
    assert list(relations_dump(before / "db/index.ts")["broken"]) == ["users.authUser"]
    after = write_tree(tmp_path / "b", {p: t.decode() for p, t in run({"db/index.ts": FIELDS_HERE},
                                                                          select="SF008").final.items()})
    assert relations_dump(after / "db/index.ts")["broken"] == {}


# --- a new relations() follows the file's helper style --------------------------------

IDENT_RELATIONS = """import { relations } from 'drizzle-orm';
import { customers, orders } from './schema';

export const customersRelations = relations(customers, (r) => ({
  orders: r.many(orders),
}));
"""


def test_a_new_relations_declaration_takes_the_helpers_as_the_files_callbacks_do():
    after = IDENT_RELATIONS + """
export const ordersRelations = relations(orders, (r) => ({
  customer: r.one(customers, { fields: [orders.customerId], references: [customers.id] }),
}));
"""
    check_fix({"db/schema.ts": PG_SHOP, "db/relations.ts": IDENT_RELATIONS}, {"db/relations.ts": after},
              select="SF008")


@pytest.mark.parametrize("relations, why", [
    pytest.param(IDENT_RELATIONS.replace("(r) =>", "(customers) =>").replace("r.many", "customers.many"),
                 "the helpers' name is a table the new code names", id="helpers-named-as-a-table"),
    pytest.param(IDENT_RELATIONS + "\nexport const itemsRelations = relations(items, ({ one }) => ({}));\n",
                 "as many callbacks destructure them", id="no-majority"),
])
def test_a_new_relations_declaration_destructures_the_helpers_otherwise(relations, why):
    schema = PG_SHOP + "export const items = pgTable('items', { id: serial('id').primaryKey() });\n"
    relations = relations.replace("import { customers, orders }", "import { customers, items, orders }")
    outcome = run({"db/schema.ts": schema, "db/relations.ts": relations}, select="SF008")
    text = outcome.final["db/relations.ts"].decode()
    assert "export const ordersRelations = relations(orders, ({ one }) => ({\n  customer: one(customers," in text, why
