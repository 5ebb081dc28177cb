"""Issue 12: barrels after renames, merges and splits."""

from __future__ import annotations

import pytest

from support import check_fix, check_noop, diagnostics, run

from codemod.model import Applicability, Severity
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


def test_a_table_module_nothing_imports_is_a_note_not_added_back():
    """Seen (a bun monorepo): a commit removed `export * from './message-integration-links'`
    from the barrel on purpose (nothing used the table, no migration created it), and SF005
    put it back as a safe fix: drizzle-kit would then create the table. A table module no
    file imports is listed; one a relations module or another table imports is added."""
    files = {**TABLES, **RELATIONS, "schema/index.ts": barrel(tables=DOMAINS[:-1], relations=DOMAINS[:-1])}
    del files["schema/wiki/relations.ts"]  # wikis.ts: imported by nobody now
    outcome = check_noop(files, select="SF005")
    [d] = outcome.remaining
    assert d.severity is Severity.INFO and d.fix is None
    assert d.notes == ("not re-exported: schema/wiki/wikis.ts (nothing imports it)",)
    assert run(files, select="SF005", barrel_all=True).final["schema/index.ts"].decode().endswith(
        TABLE_LINE.format(d="wiki"))  # asked for: added


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


# --- §1 stale `export *` lines follow the file: merges and splits ----------------------

BASE = {**TABLES, **RELATIONS}
API = "import {{ {names} }} from '../schema';\nuse({names});\n"


def stale(*modules: str) -> str:
    return barrel() + "".join(f"export * from './billing/{m}';\n" for m in modules)


def test_two_modules_merged_into_one_get_one_line():
    files = {**BASE, "schema/billing/payments.ts": table("invoices", "refunds"),
             "schema/index.ts": stale("invoices", "refunds"), "src/api.ts": API.format(names="invoices, refunds")}
    outcome = check_fix(files, {"schema/index.ts": barrel() + "export * from './billing/payments';\n"},
                        select="SF005")
    [d] = outcome.fixed
    assert "their modules were merged into schema/billing/payments.ts" in d.message
    assert d.notes[0] == "invoices, refunds now in schema/billing/payments.ts"


def test_three_modules_merged_into_one_get_one_line():
    files = {**BASE, "schema/billing/payments.ts": table("invoices", "refunds", "payouts"),
             "schema/index.ts": stale("invoices", "refunds", "payouts"),
             "src/api.ts": API.format(names="invoices, refunds, payouts")}
    check_fix(files, {"schema/index.ts": barrel() + "export * from './billing/payments';\n"}, select="SF005")


def test_one_module_split_in_two_gets_a_line_for_each():
    files = {**BASE, "schema/billing/invoices.ts": table("invoices"), "schema/billing/refunds.ts": table("refunds"),
             "schema/index.ts": stale("payments"), "src/api.ts": API.format(names="invoices, refunds")}
    outcome = check_fix(files, {"schema/index.ts": barrel() + "export * from './billing/invoices';\n"
                                                              "export * from './billing/refunds';\n"},
                        select="SF005")
    assert "its module was split into schema/billing/invoices.ts, schema/billing/refunds.ts" in \
        outcome.fixed[0].message


def test_one_module_split_in_three_keeps_the_line_style():
    files = {**BASE, "schema/billing/invoices.ts": table("invoices"), "schema/billing/refunds.ts": table("refunds"),
             "schema/billing/payouts.ts": table("payouts"),
             "schema/index.ts": barrel() + 'export * from "./billing/payments.js"\n',
             "src/api.ts": API.format(names="invoices, refunds, payouts")}
    check_fix(files, {"schema/index.ts": barrel() + 'export * from "./billing/invoices.js"\n'
                                                    'export * from "./billing/payouts.js"\n'
                                                    'export * from "./billing/refunds.js"\n'}, select="SF005")


SPLIT_UNSEEN = {**BASE, "schema/billing/invoices.ts": table("invoices"), "schema/billing/refunds.ts": table("refunds"),
                "schema/index.ts": stale("payments"), "src/api.ts": API.format(names="invoices")}
SPLIT_NOTE = ("also there, imported and re-exported by nothing: schema/billing/refunds.ts (if the old module was "
              "split, re-export it too)")


def test_a_split_that_usage_sees_half_of_is_an_unsafe_repoint():
    """`payments.ts` split into `invoices.ts` and `refunds.ts`, without git; importers use
    `invoices` only. Repointing the line to `invoices.ts` as a safe fix would silently drop
    the `refunds` table from the schema (drizzle-kit would then drop it): the repoint is
    unsafe and names the module usage cannot tell about."""
    outcome = check_noop(SPLIT_UNSEEN, select="SF005")
    [d] = [d for d in outcome.remaining if "does not exist" in d.message]
    assert str(d.fix.applicability) == "unsafe" and d.notes == (SPLIT_NOTE,)
    check_fix(SPLIT_UNSEEN, {"schema/index.ts": barrel() + "export * from './billing/invoices';\n"},
              select="SF005", unsafe=True)


def test_a_module_beside_the_replacement_that_something_imports_leaves_the_repoint_safe():
    files = {**SPLIT_UNSEEN, "src/refunds.ts": "import { refunds } from '../schema/billing/refunds';\nuse(refunds);\n"}
    outcome = check_fix(files, {"schema/index.ts": barrel() + "export * from './billing/invoices';\n"},
                        select="SF005")
    assert str(outcome.fixed[0].fix.applicability) == "safe" and outcome.fixed[0].notes == ()


def test_a_domain_folder_moved_with_its_index_is_followed_to_the_index():
    """Seen in a probe (a plain `mv billing finance/billing`, no git): the root barrel's
    `export * from './billing'` was repointed, as a safe fix, to
    `./finance/billing/invoices`, the one module defining what importers use: `payments`
    left the schema. The moved folder's index re-exports that module: it is the target."""
    files = {**BASE, "schema/finance/billing/index.ts": "export * from './invoices';\nexport * from './payments';\n",
             "schema/finance/billing/invoices.ts": table("invoices"),
             "schema/finance/billing/payments.ts": table("payments"),
             "schema/index.ts": barrel() + "export * from './billing';\n", "src/api.ts": API.format(names="invoices")}
    outcome = check_fix(files, {"schema/index.ts": barrel() + "export * from './finance/billing';\n"},
                        select="SF005")
    assert "(the folder moved: its index re-exports schema/finance/billing/invoices.ts" in outcome.fixed[0].message


def test_a_root_barrel_gets_no_line_of_its_own_while_a_nested_barrel_is_being_repointed():
    """Seen in probes on three public schemas with per-domain index.ts barrels: a file
    renamed inside a domain folder (`users/user.ts` -> `users/account.ts`); SF005
    repointed the domain barrel, and in the same pass SF001 appended `export *
    from "./users/account"` to the root barrel for an importer of `users`: a redundant
    line the next rename leaves stale. The importer waits for the nested barrel's fix."""
    files = {"schema/index.ts": "export * from './post';\nexport * from './user';\n",
             "schema/user/index.ts": "export * from './user';\n", "schema/user/account.ts": table("users"),
             "schema/post/index.ts": "export * from './post';\n", "schema/post/post.ts": table("posts"),
             "schema/post/uses.ts": "import { users } from '../user';\nexport const u = users;\n",
             "src/seed.ts": "import { users } from '../schema';\nexport const seeded = users;\n"}
    check_fix(files, {"schema/user/index.ts": "export * from './account';\n"})



# A named re-export line (`export { users } from './users'`) that SF001 repoints in the
# same run: importers of the barrel wait for it, as they wait for a stale `export *`
NAMED = {"schema/posts.ts": table("posts"), "schema/index.ts": "export { users } from './users';\n"
                                                            "export { posts } from './posts';\n",
         "src/seed.ts": "import { users } from '../schema';\nexport const seeded = users;\n"}


def test_a_nested_barrel_named_line_being_repointed_is_waited_for_by_an_importer_of_the_root():
    files = {"schema/index.ts": "export * from './post';\nexport * from './user';\n",
             "schema/user/index.ts": "export { users } from './user';\n", "schema/user/account.ts": table("users"),
             "schema/post/index.ts": "export * from './post';\n", "schema/post/post.ts": table("posts"),
             "src/seed.ts": "import { users } from '../schema';\nexport const seeded = users;\n"}
    check_fix(files, {"schema/user/index.ts": "export { users } from './account';\n"})


def test_an_aliased_named_line_being_repointed_is_waited_for():
    files = {**NAMED, "schema/accounts.ts": table("users"),
             "schema/index.ts": "export { users as members } from './users';\nexport { posts } from './posts';\n",
             "src/seed.ts": "import { members } from '../schema';\nexport const seeded = members;\n"}
    check_fix(files, {"schema/index.ts": "export { users as members } from './accounts';\n"
                                         "export { posts } from './posts';\n"})


def test_a_named_line_no_module_replaces_is_not_waited_for():
    """`users` is defined nowhere: the line is only reported, so is the importer."""
    outcome = check_noop(NAMED)
    assert sorted(d.path for d in outcome.remaining if "users is exported by no module" in d.message) == [
        "schema/index.ts", "src/seed.ts"]


def test_a_named_line_repointed_only_as_a_guess_is_not_waited_for_without_unsafe():
    """Two modules define `users` (one closer to the line's path): the line's repoint is
    unsafe, so a safe run leaves it, and the importer is decided on its own, as before.
    With --unsafe the line is repointed and the importer waits for it."""
    files = {**NAMED, "schema/user-table.ts": table("users"), "lib/legacy.ts": table("users")}
    outcome = run(files)
    assert outcome.final["schema/index.ts"].startswith(b"export { users } from './users';\n")
    assert any(d.path == "src/seed.ts" and "users is defined in several modules" in d.message
               for d in outcome.remaining)
    check_fix(files, {"schema/index.ts": "export { users } from './user-table';\nexport { posts } from './posts';\n"},
              unsafe=True)


def test_a_barrel_naming_the_name_in_a_broken_line_gets_no_export_star_beside_it():
    """The barrel's own line for `users` is broken and only guessable (two definers), and
    one of them sits in the barrel's folder: an importer of the barrel used to give the
    barrel `export * from './user-table'`, which that named line shadows (tsc still
    reports TS2307 on it, and `users` still comes from it) and which makes public what the
    named list leaves out. The barrel
    and the importer are left, each reported."""
    files = {**NAMED, "schema/user-table.ts": table("users"), "lib/legacy.ts": table("users")}
    outcome = check_noop(files)
    assert {d.path for d in outcome.remaining if d.code == "SF001"} == {"schema/index.ts", "src/seed.ts"}


def test_no_importer_means_no_evidence_and_the_lines_are_kept():
    files = {**BASE, "schema/billing/payments.ts": table("invoices", "refunds"),
             "schema/index.ts": stale("invoices", "refunds")}
    outcome = check_noop(files, select="SF005")
    assert sum("no single module replaces it, line kept" in d.message for d in outcome.remaining) == 2


def test_a_name_defined_in_two_new_modules_is_no_evidence():
    files = {**BASE, "schema/billing/invoices.ts": table("invoices"), "schema/billing/refunds.ts": table("refunds"),
             "schema/billing/payouts.ts": table("refunds2", "refunds"),
             "schema/index.ts": stale("payments"), "src/api.ts": API.format(names="invoices, refunds")}
    outcome = check_noop(files, select="SF005")
    assert any("no single module replaces it, line kept" in d.message for d in outcome.remaining)


def test_a_stale_line_whose_module_the_barrel_already_exports_is_removed():
    files = {**BASE, "schema/billing/payments.ts": table("payments", "refunds"),
             "schema/index.ts": barrel() + "export * from './billing/payments';\nexport * from './billing/payment';\n"}
    outcome = check_fix(files, {"schema/index.ts": barrel() + "export * from './billing/payments';\n"},
                        select="SF005")
    assert ("is already re-exported on line 13 (the same name but for case, '-', '_' or a plural ending)"
            in outcome.fixed[0].message)


@pytest.mark.parametrize("old, new", [("certificate", "certificates"), ("status", "statuses"),
                                      ("order-statuses", "order-status")])
def test_a_renamed_module_is_found_by_its_singular_or_plural_name(old, new):
    files = {**BASE, f"schema/billing/{new}.ts": table("certificates"),
             "schema/index.ts": barrel() + f"export * from './billing/{old}';\n"}
    outcome = check_fix(files, {"schema/index.ts": barrel() + f"export * from './billing/{new}';\n"},
                        select="SF005")
    assert "(the same name but for case, '-', '_' or a plural ending)" in outcome.fixed[0].message


# --- §2 fix the barrel, not its importers -----------------------------------------------

DOMAIN = {
    "schema/billing/invoices.ts": table("invoices"),
    "schema/billing/usage-records.ts": table("usageRecords"),
    "schema/billing/index.ts": "export * from './invoices';\n",
    "src/api.ts": "import { invoices, usageRecords } from '../schema/billing';\nuse(invoices, usageRecords);\n",
}


def test_a_domain_barrel_that_lost_a_line_gets_it_back_and_the_importer_is_kept():
    outcome = check_fix(DOMAIN, {"schema/billing/index.ts": "export * from './invoices';\n"
                                                            "export * from './usage-records';\n"}, select="SF001")
    [d] = outcome.fixed
    assert "which does not re-export schema/billing/usage-records.ts" in d.message


def test_two_importers_of_the_domain_get_one_line():
    files = {**DOMAIN, "src/jobs.ts": "import { usageRecords } from '../schema/billing';\nuse(usageRecords);\n"}
    check_fix(files, {"schema/billing/index.ts": "export * from './invoices';\nexport * from './usage-records';\n"},
              select="SF001")


def test_a_line_that_would_collide_is_reported_not_added_nor_repointed():
    files = {**DOMAIN, "schema/billing/usage-records.ts": table("usageRecords", "invoices")}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert "would export a name twice (TS2308)" in d.message and d.fix is None


def test_a_stale_named_barrel_line_is_repointed_name_by_name():
    files = {**BASE, "schema/billing/payments.ts": table("invoices"), "schema/billing/refunds.ts": table("refunds"),
             "schema/index.ts": barrel() + "export { invoices, refunds } from './billing/old';\n"}
    check_fix(files, {"schema/index.ts": barrel() + "export { invoices } from './billing/payments';\n"
                                                    "export { refunds } from './billing/refunds';\n"})


# --- §4 one relations export, two modules: merged safely ----------------------------------

BESIDE = {
    # the project keeps each table's relations in the table's own module
    "schema/users.ts": ("import { pgTable, serial } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n"
                        "import { posts } from './posts';\n"
                        "export const users = pgTable('users', { id: serial('id') });\n"
                        "export const usersRelations = relations(users, ({ many }) => ({\n  posts: many(posts),\n}));\n"),
    "schema/posts.ts": ("import { pgTable, serial } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n"
                        "export const posts = pgTable('posts', { id: serial('id') });\n"
                        "export const postsRelations = relations(posts, () => ({}));\n"),
    "schema/extra.ts": ("import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                        "import { tags } from './tags';\n"
                        "export const usersRelations = relations(users, ({ many }) => ({\n  tags: many(tags),\n}));\n"),
    "schema/tags.ts": ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
                       "export const tags = pgTable('tags', { id: serial('id') });\n"),
    "schema/index.ts": "export * from './users';\nexport * from './posts';\nexport * from './tags';\n",
}


def test_same_relations_in_two_modules_merge_into_the_tables_module_by_convention():
    outcome = check_fix({**BESIDE}, {
        "schema/users.ts": ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
                            "import { relations } from 'drizzle-orm';\nimport { posts } from './posts';\n"
                            "import { tags } from './tags';\n"
                            "export const users = pgTable('users', { id: serial('id') });\n"
                            "export const usersRelations = relations(users, ({ many }) => ({\n  posts: many(posts),\n"
                            "  tags: many(tags),\n}));\n"),
        "schema/extra.ts": "export {};\n",
    }, select="SF005")
    assert all(str(d.fix.applicability) == "safe" for d in outcome.fixed)


def test_same_relations_with_a_key_defined_two_ways_are_reported_not_merged():
    files = {**BESIDE, "schema/extra.ts": BESIDE["schema/extra.ts"].replace("tags: many(tags)", "posts: many(tags)")}
    outcome = check_noop(files, select="SF005")
    [d] = [d for d in outcome.remaining if "relations of table `users`" in d.message]
    assert d.fix is None and any("defined differently" in n for n in d.notes)


# --- found in review: a namesake in another folder is another module ----------------------


def test_a_namesake_in_another_folder_never_replaces_a_stale_line():
    """`user/users.ts` became `user/members.ts`; `admin/users.ts` (another table) shares the
    old name. The stale line must not be removed (as 'already re-exported') nor repointed
    to it: `users` would silently leave the schema."""
    files = {"schema/admin/users.ts": table("adminUsers"), "schema/user/members.ts": table("users"),
             "schema/post/posts.ts": table("posts"),
             "schema/index.ts": "export * from './admin/users';\nexport * from './post/posts';\n"
                                "export * from './user/users';\n"}
    outcome = check_noop(files, select="SF005")
    [d] = [d for d in outcome.remaining if "'./user/users'" in d.message]
    assert d.fix is None and "schema/admin/users.ts" in " ".join(d.notes)
    files["schema/index.ts"] = "export * from './post/posts';\nexport * from './user/users';\n"
    check_noop(files, select="SF005")


def test_a_namesake_in_another_folder_never_replaces_a_stale_aliased_line():
    """The same through a tsconfig alias (`@db/user/users`): the folder the alias pointed
    into counts, as for a relative line."""
    from codemod.tsconfig import TsConfig

    config = TsConfig(paths=(("@db/*", ("/project/schema/*",)),))
    files = {"schema/admin/users.ts": table("adminUsers"), "schema/user/members.ts": table("users"),
             "schema/post/posts.ts": table("posts"),
             "schema/index.ts": "export * from '@db/post/posts';\nexport * from '@db/user/users';\n"}
    outcome = check_noop(files, select="SF005", config=config)
    [d] = [d for d in outcome.remaining if "'@db/user/users'" in d.message]
    assert d.fix is None and "same name in another folder (not taken): schema/admin/users.ts" in d.notes
    files["schema/user/users.ts"] = files.pop("schema/user/members.ts")
    files["schema/index.ts"] = "export * from '@db/post/posts';\nexport * from '@db/user/user';\n"
    check_fix(files, {"schema/index.ts": "export * from '@db/post/posts';\nexport * from '@db/user/users';\n"},
              select="SF005", config=config)


def test_a_line_added_to_a_domain_barrel_must_not_collide_in_the_schema_barrel_above():
    enum = "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const statusEnum = pgEnum('{0}', ['a']);\n"
    files = {
        "schema/index.ts": "export * from './user';\nexport * from './billing';\n",
        "schema/user/index.ts": "export * from './users';\n",
        "schema/user/users.ts": table("users"),
        "schema/user/profiles.ts": enum.replace("{0}", "profile_status") + table("profiles").split("\n", 1)[1],
        "schema/billing/index.ts": "export * from './invoices';\nexport * from './status';\n",
        "schema/billing/invoices.ts": table("invoices"),
        "schema/billing/status.ts": enum.replace("{0}", "invoice_status"),
        "src/api.ts": "import { profiles } from '../schema/user';\nuse(profiles);\n",
    }
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert "would export a name twice (TS2308)" in d.message and d.fix is None


def test_a_relations_module_imported_as_a_namespace_is_not_merged_away():
    """Moving `usersRelations` out of schema/users.ts, which another file imports as a
    namespace (`userSchema.usersRelations`), would break that file (TS2339): reported."""
    files = {
        "schema/users.ts": BESIDE["schema/users.ts"],
        "schema/posts.ts": BESIDE["schema/posts.ts"],
        "schema/tags.ts": BESIDE["schema/tags.ts"],
        "schema/relations.ts": BESIDE["schema/extra.ts"],
        "schema/index.ts": BESIDE["schema/index.ts"],
        "src/app.ts": "import * as userSchema from '../schema/users';\nuse(userSchema.usersRelations);\n",
    }
    without = run({p: t for p, t in files.items() if p != "src/app.ts"}, select="SF005")
    assert any("into schema/relations.ts" in d.fix.title for d in without.fixed)  # merged when nobody looks
    outcome = check_noop(files, select="SF005")
    [d] = [d for d in outcome.remaining if "relations of table `users`" in d.message]
    assert d.fix is None and any("as a whole" in n for n in d.notes)


def test_a_table_module_imported_directly_is_never_added_by_default():
    """Seen in review: a second database's table, imported directly by its client, was
    added to the main schema barrel."""
    files = {**TABLES, **RELATIONS, "schema/index.ts": barrel(tables=DOMAINS[:-1]),
             "src/analytics.ts": "import { wikis } from '../schema/wiki/wikis';\nuse(wikis);\n"}
    outcome = check_noop(files, select="SF005")
    assert [d.severity for d in outcome.remaining] == [Severity.INFO]


def test_stale_lines_that_differ_in_kind_or_carry_comments_are_not_rewritten():
    """Found in review: merging `export type *` with `export *` made types values, and a
    comment on a removed line was lost. Such lines are reported, never rewritten."""
    base = {**BASE, "schema/billing/payments.ts": table("invoices", "refunds"),
            "src/api.ts": API.format(names="invoices, refunds")}
    typed = barrel() + "export type * from './billing/invoices';\nexport * from './billing/refunds';\n"
    commented = barrel() + "export * from './billing/invoices';\nexport * from './billing/refunds'; // r\n"
    for text in (typed, commented):
        outcome = check_noop({**base, "schema/index.ts": text}, select="SF005")
        [d] = [d for d in outcome.remaining if "merged into" in d.message]
        assert d.fix is None and "not rewritten" in d.notes[-1]


# --- a collision a merge removes in the same run: `export *`, never a named list -------------

PG = "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
MODS_RELATIONS = ("export const modsRelations = relations(mods, ({ one }) => ({\n"
                  "  author: one(users, { fields: [mods.authorId], references: [users.id] }),\n}));\n")
MOVED = {
    # mod.ts was renamed mods.ts (the barrel line is stale); the move brought a copy of
    # modsRelations, which relations.ts declares twice (pasted twice: SF003's case)
    "schema/users.ts": PG + "export const users = pgTable('users', { id: serial('id').primaryKey() });\n",
    "schema/mods.ts": (PG + "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n\n"
                       "export const mods = pgTable('mods', { id: serial('id').primaryKey(), "
                       "authorId: integer('author_id') });\n\n" + MODS_RELATIONS),
    "schema/relations.ts": ("import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                            "import { mods } from './mods';\n\n"
                            "export const usersRelations = relations(users, ({ many }) => ({\n"
                            "  mods: many(mods),\n}));\n\n" + MODS_RELATIONS + "\n" + MODS_RELATIONS),
    "schema/index.ts": "export * from './users';\nexport * from './mod';\nexport * from './relations';\n",
}
# mods.ts once its relations() merged away: the imports only they used go with them
MODS_TABLE_ONLY = MOVED["schema/mods.ts"].replace("\n" + MODS_RELATIONS, "").replace(
    "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n", "")


def test_a_stale_line_whose_only_collision_a_merge_removes_becomes_export_star():
    """Seen on a public schema (a `git mv` and a duplicated relations()): `modsRelations`
    is declared in the moved module and twice in relations.ts. SF005 dodged the collision
    with `export { mods } from './mods'` while SF003 merged relations.ts, and the list
    stayed: a table added to mods.ts later would not be in the schema. SF005 now waits
    for SF003's merge, then merges the moved copy away, then repoints the line."""
    outcome = check_fix(MOVED, {
        "schema/index.ts": "export * from './users';\nexport * from './mods';\nexport * from './relations';\n",
        "schema/mods.ts": MODS_TABLE_ONLY,
        "schema/relations.ts": MOVED["schema/relations.ts"].replace("\n" + MODS_RELATIONS, "", 1),
    })
    assert outcome.remaining == []
    assert [d.code for d in outcome.fixed] == ["SF003", "SF005", "SF005"]


def test_a_relations_collision_a_merge_removes_is_waited_for_before_adding_the_module():
    """The same without a stale line: the module the barrel misses is appended as
    `export *` once the merges are done (a table module, among three the barrel reaches),
    not by name before."""
    lines = "export * from './users';\nexport * from './games';\nexport * from './tags';\nexport * from './relations';\n"
    files = {**MOVED, "schema/games.ts": table("games"), "schema/tags.ts": table("tags"), "schema/index.ts": lines}
    check_fix(files, {
        "schema/index.ts": lines + "export * from './mods';\n",
        "schema/mods.ts": MODS_TABLE_ONLY,
        "schema/relations.ts": MOVED["schema/relations.ts"].replace("\n" + MODS_RELATIONS, "", 1),
    })


def test_a_duplicate_that_cannot_be_merged_is_not_waited_for():
    """SF003 only reports a duplicate whose copies define a key two ways: nothing will
    remove the collision, so the module is re-exported by name without it, as before."""
    conflicting = MODS_RELATIONS.replace("mods.authorId", "mods.id")
    relations_ts = MOVED["schema/relations.ts"]
    files = {**MOVED, "schema/relations.ts": relations_ts[:relations_ts.rindex(MODS_RELATIONS)] + conflicting}
    outcome = run(files)
    index = outcome.final["schema/index.ts"].decode()
    assert "export { mods } from './mods';" in index and "export * from './mods'" not in index
    assert any(d.code == "SF003" and "differently" in d.message for d in outcome.remaining)


def test_the_barrels_merge_waits_for_one_tables_relations_under_two_names_in_the_moved_module():
    """posts.ts declares `postsRelations` and `postEditorRelations` (both for `posts`),
    relations.ts `postsRelations` too: SF005 moved only `postsRelations` while SF003 would
    merge the two names (their fixes overlap), leaving `postEditorRelations` behind in a
    second module (SF006). SF005 now waits for SF003's merge, then moves both."""
    tables = ("import { integer, pgTable, serial } from 'drizzle-orm/pg-core';\n"
              "export const users = pgTable('users', { id: serial('id') });\n"
              "export const posts = pgTable('posts', { id: serial('id'), authorId: integer('a'), "
              "editorId: integer('e') });\n")
    head = "import { relations } from 'drizzle-orm';\nimport { posts, users } from './tables';\n\n"
    author = "  author: one(users, { fields: [posts.authorId], references: [users.id] }),\n"
    editor = "  editor: one(users, { fields: [posts.editorId], references: [users.id] }),\n"
    files = {"schema/tables.ts": tables,
             "schema/relations.ts": head + "export const postsRelations = relations(posts, ({ one }) => ({\n"
                                    + author + "}));\n",
             "schema/posts.ts": head + "export const postsRelations = relations(posts, ({ one }) => ({\n" + author
                                + "}));\n\nexport const postEditorRelations = relations(posts, ({ one }) => ({\n"
                                + editor + "}));\n",
             "schema/index.ts": "export * from './tables';\nexport * from './relations';\n"}
    outcome = check_fix(files, {"schema/relations.ts": head + "export const postsRelations = relations(posts, "
                                                       "({ one }) => ({\n" + author + editor + "}));\n",
                                "schema/posts.ts": "export {};\n"}, select="SF003,SF005,SF006")
    assert [d.code for d in outcome.fixed] == ["SF003", "SF005"] and outcome.remaining == []


def test_a_real_collision_beside_the_merged_one_keeps_the_named_line():
    """`export *` of mods.ts would also export `status` twice (users.ts has one): the
    merge removes only one of the two collisions, so the line stays a named list."""
    status = "export const status = 'x';\n"
    files = {**MOVED, "schema/users.ts": MOVED["schema/users.ts"] + status,
             "schema/mods.ts": MOVED["schema/mods.ts"] + status}
    index = run(files).final["schema/index.ts"].decode()
    assert "export * from './mods'" not in index and "export { mods } from './mods';" in index


# --- a stale line whose replacement another line re-exports by name ---------------------

TWO_TABLES = ("import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
              "export const posts = pgTable('posts', { id: serial('id') });\n"
              "export const users = pgTable('users', { id: serial('id') });\n")  # users.ts merged into posts.ts
VIA_BARREL = "import { users } from './schema/index';\nexport const t = users;\n"


def test_a_stale_star_line_beside_a_named_list_of_its_replacement_is_not_removed():
    """`export * from './users'` after users.ts was merged into posts.ts, beside `export
    { posts } from './posts'`: removing the stale line (the replacement "is already
    re-exported") would take `users` out of the barrel and drizzle's schema (seen on a
    survey's refactor of a public project). `export * from './posts'` brings it back but
    also exports what the named list leaves out: an unsafe fix, which says so."""
    files = {"schema/posts.ts": TWO_TABLES,
             "schema/index.ts": "export * from './users';\nexport { posts } from './posts';\n",
             "repo.ts": VIA_BARREL}
    check_noop(files)
    [d] = [d for d in diagnostics(files) if d.code == "SF005"]
    assert d.fix is not None and d.fix.applicability.name == "UNSAFE"
    assert any("by name only" in n for n in d.notes), d.notes
    check_fix(files, {"schema/index.ts": "export * from './posts';\nexport { posts } from './posts';\n"}, unsafe=True)


def test_a_stale_named_line_whose_names_another_line_repeats_is_removed():
    files = {"schema/posts.ts": TWO_TABLES,
             "schema/index.ts": "export { users } from './users';\nexport { posts, users } from './posts';\n",
             "repo.ts": VIA_BARREL}
    check_fix(files, {"schema/index.ts": "export { posts, users } from './posts';\n"})


# --- a merge without git: the names other files imported from the gone modules -----------
# users.ts and posts.ts merged into tables.ts with a plain `mv`/edit, committed or not: the
# barrel's two lines and the relations module's imports still name the old files. The
# relations module's imports are the evidence, and SF001 repoints them in the first pass.

MERGED = {
    "db/tables.ts": table("users", "posts"),
    "db/relations.ts": rel(("users", "./users"), ("posts", "./posts")),
    "db/index.ts": "export * from './users';\nexport * from './posts';\nexport * from './relations';\n",
}


def test_stale_lines_of_modules_merged_without_git_follow_what_importers_took_from_them():
    outcome = check_fix(MERGED, {"db/index.ts": "export * from './tables';\nexport * from './relations';\n",
                                 "db/relations.ts": rel(("users", "./tables"), ("posts", "./tables")).replace(
                                     "import { users } from './tables';\nimport { posts } from './tables';\n",
                                     "import { users, posts } from './tables';\n")})
    [d] = [d for d in outcome.fixed if d.code == "SF005"]
    assert d.message == "re-export targets './users', './posts' do not exist; their modules were merged into db/tables.ts"
    assert d.notes[-1] == ("evidence: './users': the one module defining users, which other files imported from "
                           "'./users'; './posts': the one module defining posts, which other files imported from './posts'")


def test_the_evidence_outlives_the_first_pass_that_repoints_the_importers():
    """A module beside the merged one that nothing imports leaves the split open: the fix
    is unsafe, so a dry run shows it from the last pass, after SF001 repointed the
    relations module's imports in the first. The run's first reading still says what they
    took from `./users` and `./posts`."""
    files = {**MERGED, "db/drafts.ts": table("drafts")}
    outcome = run(files)
    assert outcome.passes == 2
    [d] = [d for d in outcome.remaining if d.code == "SF005" and d.fix is not None]
    assert d.fix.applicability is Applicability.UNSAFE and "merged into db/tables.ts" in d.message
    assert "also there, imported and re-exported by nothing: db/drafts.ts" in d.notes[-1]
    assert outcome.final["db/index.ts"] == files["db/index.ts"].encode()
    fixed = run(files, unsafe=True)
    assert fixed.final["db/index.ts"] == b"export * from './tables';\nexport * from './relations';\n"


def test_without_importers_of_the_gone_modules_the_lines_are_kept():
    files = {**MERGED, "db/relations.ts": rel(("users", "./tables"), ("posts", "./tables"))}
    found = diagnostics(files, select="SF005")
    assert {d.message for d in found if d.severity is Severity.ERROR} == {
        "re-export target './users' does not exist; no single module replaces it, line kept",
        "re-export target './posts' does not exist; no single module replaces it, line kept"}


def test_the_run_keeps_the_import_sites_of_the_files_a_pass_edited_as_first_read():
    outcome = run(MERGED, select="SF001")
    first = dict(outcome.last.imports_as_first_read())
    assert [s.specifier for s in first["db/relations.ts"]] == ["drizzle-orm", "./users", "./posts"]
    assert [s.specifier for s in outcome.last.files["db/relations.ts"].facts.imports] == ["drizzle-orm", "./tables"]
