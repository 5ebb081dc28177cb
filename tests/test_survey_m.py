"""Findings of survey m (a helper's refactors simulated on eight public schemas, judged
by tsc, 2026-12-01), each reduced to a small project written for this file."""

from __future__ import annotations

from support import diagnostics, fixed

REL = "import { relations } from 'drizzle-orm';\n"
PG = "import { integer, pgTable, serial } from 'drizzle-orm/pg-core';\n"
SHELVES = (REL + PG + "import { books } from './books';\n"
           "export const shelves = pgTable('shelves', { id: serial('id').primaryKey() });\n"
           "export const shelvesRelations = relations(shelves, ({ many }) => ({ books: many(books) }));\n")
BOOKS = (REL + PG + "import { shelves } from './shelves';\n"
         "export const books = pgTable('books', { id: serial('id').primaryKey(), shelfId: integer('shelf_id') });\n"
         "export const booksRelations = relations(books, ({ one }) => ({\n"
         "  shelf: one(shelves, { fields: [books.shelfId], references: [shelves.id] }),\n}));\n")


def test_a_relations_module_is_not_added_beside_another_relations_of_its_table_under_another_name():
    """A second `relations.ts` declared `shelfRelations` for a table whose
    `shelvesRelations` the barrel already exports: SF005 appended the module (no name
    collides), so the schema held two relations() of one table and drizzle's
    relational-query types saw neither (12 new TS2339/TS2551 on a public app). The module
    is reported, not added, and nothing else changes."""
    second = (REL + "import { books } from './books';\nimport { shelves } from './shelves';\n"
              "export const shelfRelations = relations(shelves, ({ many }) => ({ books: many(books) }));\n")
    files = {"src/schema/shelves.ts": SHELVES, "src/schema/books.ts": BOOKS,
             "src/schema/relations.ts": second,
             "src/schema/index.ts": "export * from './shelves';\nexport * from './books';\n"}
    assert fixed(files) == files
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.fix is None and "shelves" in d.message and "src/schema/shelves.ts" in d.message, d.message


def test_a_relations_module_of_tables_without_relations_elsewhere_is_still_added():
    second = (REL + "import { books } from './books';\nimport { shelves } from './shelves';\n"
              "export const shelvesRelations = relations(shelves, ({ many }) => ({ books: many(books) }));\n")
    files = {"src/schema/shelves.ts": SHELVES.rsplit("export const shelvesRelations", 1)[0],
             "src/schema/books.ts": BOOKS, "src/schema/relations.ts": second,
             "src/schema/index.ts": "export * from './shelves';\nexport * from './books';\n"}
    assert fixed(files)["src/schema/index.ts"].endswith("export * from './relations';\n")
