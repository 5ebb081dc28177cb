"""Findings of survey m (a helper's refactors simulated on eight public schemas, judged
by tsc, 2026-12-01), each reduced to a small project written for this file."""

from __future__ import annotations

from click.testing import CliRunner

from codemod import cli
from support import diagnostics, fixed, write_tree

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


def _domain_table(name: str) -> str:
    return (REL + PG + f"import {{ users }} from '../users';\n"
            f"export const {name} = pgTable('{name}', {{ id: serial('id').primaryKey(), userId: integer('user_id') }});\n"
            f"export const {name}Relations = relations({name}, ({{ one }}) => ({{\n"
            f"  user: one(users, {{ fields: [{name}.userId], references: [users.id] }}),\n}}));\n")


USERS = (PG + "export const users = pgTable('users', { id: serial('id').primaryKey() });\n")
BILLING = {"src/schema/users.ts": USERS,
           "src/schema/billing/invoices.ts": _domain_table("invoices"),
           "src/schema/billing/refunds.ts": _domain_table("refunds"),
           "src/schema/billing/index.ts": "export * from './invoices';\nexport * from './refunds';\n",
           "src/schema/index.ts": "export * from './users';\n"}


def test_a_barrel_that_lost_the_line_of_a_folder_index_gets_the_index_back():
    """`export * from './custom'` deleted from a domain barrel (a public app's nested
    barrels): SF005 appended the folder's three modules one by one instead of the one
    line the folder's index stands for."""
    after = fixed(BILLING)
    assert after["src/schema/index.ts"] == "export * from './users';\nexport * from './billing';\n"


def test_an_importer_through_the_barrel_waits_for_the_barrel_completion():
    """An importer of a name of one of those modules through the schema barrel, the lost
    line one barrel down: SF001 appended that module to the schema barrel while SF005
    completed the domain barrel in the same run (two lines reaching one module)."""
    nested = {"src/schema/users.ts": USERS,
              "src/schema/domain/billing/invoices.ts": _domain_table("invoices").replace("'../users'", "'../../users'"),
              "src/schema/domain/billing/refunds.ts": _domain_table("refunds").replace("'../users'", "'../../users'"),
              "src/schema/domain/billing/index.ts": "export * from './invoices';\nexport * from './refunds';\n",
              "src/schema/domain/preview.ts": PG + "export const previews = pgTable('previews', "
                                                 "{ id: serial('id').primaryKey() });\n",
              "src/schema/domain/index.ts": "export * from './preview';\n",
              "src/schema/index.ts": "export * from './users';\nexport * from './domain';\n",
              "src/app.ts": "import { invoices } from './schema';\nexport const t = invoices;\n"}
    after = fixed(nested)
    assert after["src/schema/index.ts"] == nested["src/schema/index.ts"]
    assert after["src/schema/domain/index.ts"] == "export * from './preview';\nexport * from './billing';\n"
    assert after["src/app.ts"] == nested["src/app.ts"]


def test_a_folder_index_that_brings_a_module_the_barrel_leaves_out_is_not_added():
    files = {**BILLING, "src/schema/billing/index.ts": BILLING["src/schema/billing/index.ts"]
             + "export * from './legacy';\n",
             "src/schema/billing/legacy.ts": "export const legacyRate = 3;\n"}
    after = fixed(files)["src/schema/index.ts"]
    assert "'./billing'" not in after and "./billing/invoices" in after and "./billing/refunds" in after


def test_an_importer_through_the_barrel_still_completes_it_where_the_barrel_would_only_note_the_module():
    """SF005 only notes a table module when the barrel reaches few others: SF001's line
    for the importer is then still the fix (all rules on)."""
    files = {"src/schema/users.ts": USERS,
             "src/schema/billing/invoices.ts": _domain_table("invoices").split("export const invoicesRelations")[0],
             "src/schema/billing/refunds.ts": _domain_table("refunds").split("export const refundsRelations")[0],
             "src/schema/billing/index.ts": "export * from './invoices';\n",
             "src/app.ts": "import { refunds } from './schema/billing';\nexport const t = refunds;\n"}
    after = fixed(files)
    assert after["src/schema/billing/index.ts"] == "export * from './invoices';\nexport * from './refunds';\n"


CREATOR = "import { pgTableCreator } from 'drizzle-orm/pg-core';\nexport const createTable = pgTableCreator((n) => n);\n"
SERVICE = "export function createTable(name: string) { return name; }\n"


def _creator_project(specifier: str) -> dict[str, str]:
    return {"package.json": '{"name": "db", "type": "module", "imports": {"#*": "./src/*"}}',
            "tsconfig.json": '{"compilerOptions": {"module": "ESNext", "moduleResolution": "Bundler", '
                             '"allowImportingTsExtensions": true, "noEmit": true}}',
            "src/schema/helpers/createTable.ts": CREATOR, "src/service/table.ts": SERVICE,
            "src/schema/user.ts": "import { text } from 'drizzle-orm/pg-core';\n"
                                  f"import {{ createTable }} from '{specifier}';\n"
                                  "export const users = createTable('users', { id: text('id').primaryKey() });\n"}


def test_a_renamed_file_in_the_folder_the_import_named_is_the_one_meant_among_namesakes(tmp_path):
    """`mv helpers/create-table.ts helpers/createTable.ts` (no git) where a service module
    exports a function of the same name: SF001 offered only an unsafe fix (several
    definers), though one of them is the file the import named, renamed in its own
    folder; with a `#schema/*` specifier the folder was not even compared."""
    files = _creator_project("./helpers/create-table")
    [d] = [d for d in diagnostics(files) if d.code == "SF001"]
    assert d.fix is not None and d.fix.applicability.name == "SAFE", d.message
    assert "from './helpers/createTable'" in fixed(files)["src/schema/user.ts"]
    root = tmp_path / "db"
    write_tree(root, _creator_project("#schema/helpers/create-table.ts"))
    result = CliRunner().invoke(cli.main, ["--apply", "--no-cache", str(root)])
    assert "from '#schema/helpers/createTable.ts'" in (root / "src/schema/user.ts").read_text(), result.output


def test_namesakes_in_other_folders_or_of_other_names_stay_an_unsafe_guess():
    files = _creator_project("./helpers/table-creator")
    [d] = [d for d in diagnostics(files) if d.code == "SF001"]
    assert d.fix is not None and d.fix.applicability.name == "UNSAFE", d.message
