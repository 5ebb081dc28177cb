"""SF005: the schema barrel re-exports every relations module, without export collisions."""

from __future__ import annotations


import pytest
from support import check_fix, check_noop, diagnostics, fixture_files, run

from codemod.model import Severity



def table(*names: str) -> str:
    body = "".join(f"export const {n} = pgTable('{n}', {{ id: serial('id').primaryKey() }});\n" for n in names)
    return "import { pgTable, serial } from 'drizzle-orm/pg-core';\n" + body


def rel(*pairs: tuple[str, str], imports: str = "") -> str:
    """A relations module: (table, module it is imported from) pairs."""
    head = "import { relations } from 'drizzle-orm';\n" + imports
    head += "".join(f"import {{ {t} }} from '{m}';\n" for t, m in pairs)
    return head + "".join(f"\nexport const {t}Relations = relations({t}, ({{ many }}) => ({{}}));\n"
                          for t, _ in pairs)


SCHEMA = {
    "schema/user/users.ts": table("users"),
    "schema/user/relations.ts": rel(("users", "./users")),
    "schema/post/posts.ts": table("posts"),
    "schema/post/relations.ts": rel(("posts", "./posts")),
    "schema/tag/tags.ts": table("tags"),
    "schema/tag/relations.ts": rel(("tags", "./tags")),
}

TABLE_LINES = "export * from './user/users';\nexport * from './post/posts';\nexport * from './tag/tags';\n"
ALL_RELATIONS = "export * from './post/relations';\nexport * from './tag/relations';\nexport * from './user/relations';\n"


def fix_barrel(barrel: str, expected: str, *, files: dict | None = None, path: str = "schema/index.ts",
               select: str = "SF005", **kw):
    return check_fix({**SCHEMA, **(files or {}), path: barrel}, {path: expected}, select=select, **kw)


# --- no-op ---------------------------------------------------------------------------


def test_noop_when_every_relations_module_is_exported():
    files = {**SCHEMA, "schema/index.ts": TABLE_LINES + ALL_RELATIONS}
    check_noop(files, select="SF005")
    assert diagnostics(files, select="SF005") == []


def load(fixture: str) -> dict[str, bytes]:
    return fixture_files(fixture)


@pytest.mark.parametrize("fixture", ["healthy-example", "healthy-side-by-side"])
def test_noop_on_healthy_fixtures(fixture):
    files = load(fixture)
    check_noop(files, select="SF005")
    assert diagnostics(files, select="SF005") == []


def test_noop_when_index_is_not_a_barrel():
    files = {**SCHEMA, "schema/index.ts": "import { db } from './db';\nexport const a = 1;\nexport const b = db;\n"
             "export * from './user/users';\n", "schema/db.ts": "export const db = 1;\n"}
    check_noop(files, select="SF005")
    assert diagnostics(files, select="SF005") == []


# --- appending -----------------------------------------------------------------------


def test_several_missing_relations_modules_appended_in_one_fix():
    outcome = fix_barrel(TABLE_LINES, TABLE_LINES + ALL_RELATIONS)
    assert len(outcome.fixed) == 1
    assert "3 relations modules" in outcome.fixed[0].message


def test_only_the_missing_ones_are_appended():
    barrel = TABLE_LINES + "export * from './user/relations';\n"
    fix_barrel(barrel, barrel + "export * from './post/relations';\nexport * from './tag/relations';\n")


def test_a_relations_module_whose_line_is_commented_out_is_noted_not_put_back():
    """Seen (a work-in-progress commit of a Next.js shop): `// export * from "./variants"`
    in the barrel, and SF005 appended `export * from "./variants"` above it."""
    barrel = TABLE_LINES + "export * from './user/relations';\n// export * from './post/relations';\n"
    outcome = fix_barrel(barrel, TABLE_LINES + "export * from './user/relations';\nexport * from './tag/relations';\n"
                                 "// export * from './post/relations';\n")
    [note] = [d for d in outcome.remaining if d.code == "SF005"]
    assert note.severity is Severity.INFO and note.fix is None
    assert note.message == ("schema/index.ts re-exports schema/post/relations.ts only in a comment: "
                            "drizzle never sees its relations (left as it is)")
    assert note.line == 6  # the commented line, after the fix


@pytest.mark.parametrize("comment", ["//export * from './tag/tags'", "/* export * from './tag/tags'; */",
                                     "/*\n * export { tags } from \"./tag/tags\";\n */"])
def test_a_table_module_whose_line_is_commented_out_is_not_put_back_even_with_barrel_all(comment):
    barrel = "export * from './user/users';\nexport * from './post/posts';\n" + comment + "\n" + ALL_RELATIONS
    outcome = check_noop({**SCHEMA, "schema/index.ts": barrel}, select="SF005,SF011", barrel_all=True)
    assert [(d.code, d.severity, d.fix) for d in outcome.remaining] == [("SF005", Severity.INFO, None)]
    assert "re-exports schema/tag/tags.ts only in a comment: drizzle never sees its tables" in \
        outcome.remaining[0].message


STYLES = [
    pytest.param(
        'export * from "./user/users"\nexport * from "./post/posts"\n',
        'export * from "./user/users"\nexport * from "./post/posts"\n'
        'export * from "./post/relations"\nexport * from "./tag/relations"\nexport * from "./user/relations"\n',
        id="double-quotes-no-semicolons",
    ),
    pytest.param(
        "export * from './user/users.js';\nexport * from './post/posts.js';\n",
        "export * from './user/users.js';\nexport * from './post/posts.js';\nexport * from './post/relations.js';\n"
        "export * from './tag/relations.js';\nexport * from './user/relations.js';\n",
        id="js-extensions",
    ),
    pytest.param(
        "export * from './user/users.ts';\n",
        "export * from './user/users.ts';\nexport * from './post/relations.ts';\n"
        "export * from './tag/relations.ts';\nexport * from './user/relations.ts';\n",
        id="ts-extensions",
    ),
    pytest.param(
        "// Users\nexport * from './user/users';\n\n// Posts\nexport * from './post/posts';\n",
        "// Users\nexport * from './user/users';\n\n// Posts\nexport * from './post/posts';\n\n// Relations\n"
        + ALL_RELATIONS,
        id="grouped-comments-get-a-relations-heading",
    ),
    pytest.param(
        "// Users\nexport * from './user/users';\n// Posts\nexport * from './post/posts';\n",
        "// Users\nexport * from './user/users';\n// Posts\nexport * from './post/posts';\n// Relations\n"
        + ALL_RELATIONS,
        id="grouped-comments-without-blank-lines",
    ),
    pytest.param(
        "// Tables\nexport * from './user/users';\n\n// Relations\nexport * from './user/relations';\n\n"
        "// Enums\nexport * from './post/posts';\n",
        "// Tables\nexport * from './user/users';\n\n// Relations\nexport * from './user/relations';\n"
        "export * from './post/relations';\nexport * from './tag/relations';\n\n// Enums\nexport * from './post/posts';\n",
        id="existing-relations-group-extended",
    ),
    pytest.param(
        "export * from './user/users';\nexport * from './post/posts';",
        "export * from './user/users';\nexport * from './post/posts';\nexport * from './post/relations';\n"
        "export * from './tag/relations';\nexport * from './user/relations';",
        id="no-final-newline-kept",
    ),
    pytest.param(
        "export * from './user/users';\r\nexport * from './post/posts';\r\n",
        "export * from './user/users';\r\nexport * from './post/posts';\r\nexport * from './post/relations';\r\n"
        "export * from './tag/relations';\r\nexport * from './user/relations';\r\n",
        id="crlf",
    ),
    pytest.param(
        "/** The schema. */\nexport * from './user/users'; // users\n\nexport type { Thing } from './types';\n"
        "\nconsole.log('x');\n",
        "/** The schema. */\nexport * from './user/users'; // users\n\nexport type { Thing } from './types';\n"
        "export * from './post/relations';\nexport * from './tag/relations';\nexport * from './user/relations';\n"
        "\nconsole.log('x');\n",
        id="after-the-last-re-export-not-at-the-end",
    ),
]


@pytest.mark.parametrize("before, after", STYLES)
def test_style_of_the_barrel_is_kept(before, after):
    fix_barrel(before, after, files={"schema/types.ts": "export type Thing = number;\n"})


def test_alias_style_kept():
    from codemod.tsconfig import TsConfig
    config = TsConfig(paths=(("@db/*", ("/project/schema/*",)),))
    before = "export * from '@db/user/users';\nexport * from '@db/post/posts';\n"
    fix_barrel(before, before + "export * from '@db/post/relations';\nexport * from '@db/tag/relations';\n"
               "export * from '@db/user/relations';\n", config=config)


def test_a_name_re_exported_under_an_alias_is_not_re_exported_again():
    """`usersRelations` reaches the schema object as `uR` already (drizzle reads relations
    by value): only the module's other relations are added, by name like the line there."""
    files = {"schema/users.ts": table("users"), "schema/posts.ts": table("posts"),
             "schema/relations.ts": rel(("users", "./users"), ("posts", "./posts"))}
    barrel = ("export * from './users';\nexport * from './posts';\n"
              "export { usersRelations as uR } from './relations';\n")
    check_fix({**files, "schema/index.ts": barrel},
              {"schema/index.ts": barrel + "export { postsRelations } from './relations';\n"}, select="SF005")


def test_relations_module_with_any_file_name():
    files = {"schema/user/users.ts": table("users"), "schema/user/user-links.ts": rel(("users", "./users"))}
    check_fix({**files, "schema/index.ts": "export * from './user/users';\n"},
              {"schema/index.ts": "export * from './user/users';\nexport * from './user/user-links';\n"},
              select="SF005")


def test_relations_alongside_tables_in_one_unreached_file():
    files = {"schema/a.ts": table("a") + "import { relations } from 'drizzle-orm';\n"
             "export const aRelations = relations(a, () => ({}));\n",
             "schema/b.ts": table("b")}
    check_fix({**files, "schema/index.ts": "export * from './b';\n"},
              {"schema/index.ts": "export * from './b';\nexport * from './a';\n"}, select="SF005")


def test_test_files_and_declarations_are_not_relations_modules():
    files = {"schema/user/relations.test.ts": rel(("users", "./users")),
             "schema/user/__tests__/relations.ts": rel(("users", "../users")),
             "schema/user/relations.d.ts": rel(("users", "./users"))}
    barrel = TABLE_LINES + ALL_RELATIONS
    check_noop({**SCHEMA, **files, "schema/index.ts": barrel}, select="SF005")


# --- nested barrels ------------------------------------------------------------------


NESTED = {
    "schema/index.ts": "export * from './user';\nexport * from './post';\n",
    "schema/user/index.ts": "export * from './users';\n",
    "schema/post/index.ts": "export * from './posts';\nexport * from './relations';\n",
    "schema/user/users.ts": table("users"),
    "schema/user/relations.ts": rel(("users", "./users")),
    "schema/post/posts.ts": table("posts"),
    "schema/post/relations.ts": rel(("posts", "./posts")),
}


def test_nested_barrels_complete_the_per_domain_barrel():
    check_fix(NESTED, {"schema/user/index.ts": "export * from './users';\nexport * from './relations';\n"},
              select="SF005")


def test_nested_barrels_reached_through_the_root_are_noop():
    files = {**NESTED, "schema/user/index.ts": "export * from './users';\nexport * from './relations';\n"}
    check_noop(files, select="SF005")
    assert diagnostics(files, select="SF005") == []


def test_nested_barrel_reached_by_name_only_gets_the_line_in_the_root():
    files = {**NESTED, "schema/index.ts": "export { users } from './user';\nexport * from './post';\n"}
    check_fix(files, {"schema/index.ts": "export { users } from './user';\nexport * from './post';\n"
                      "export * from './user/relations';\n"}, select="SF005")


def test_unreached_nested_barrel_is_not_a_second_root():
    files = {**NESTED, "schema/index.ts": "export * from './user/users';\nexport * from './post';\n"}
    check_fix(files, {"schema/index.ts": "export * from './user/users';\nexport * from './post';\n"
                      "export * from './user/relations';\n"}, select="SF005")


def test_explicit_barrel_setting():
    files = {**SCHEMA, "schema/all.ts": "export const version = 1;\nexport * from './user/users';\n"}
    check_fix(files, {"schema/all.ts": "export const version = 1;\nexport * from './user/users';\n"
                      "export * from './post/relations';\nexport * from './tag/relations';\n"
                      "export * from './user/relations';\n"}, select="SF005", barrel=("schema/all.ts",))


# --- collisions ----------------------------------------------------------------------


def test_collision_resolved_with_a_named_re_export():
    files = {"schema/post/relations.ts": rel(("posts", "./posts")) + "export const version = 2;\n"
             "export type PostLink = { id: number };\n",
             "schema/meta.ts": "export const version = 1;\n"}
    barrel = TABLE_LINES + "export * from './meta';\nexport * from './tag/relations';\n"
    outcome = fix_barrel(barrel, barrel + "export { postsRelations, type PostLink } from './post/relations';\n"
                         "export * from './user/relations';\n", files=files)
    [d] = outcome.fixed
    assert "`version` left out: also exported by schema/meta.ts:1 (TS2308)" in d.notes
    assert outcome.remaining == []


def test_collision_between_two_new_modules():
    files = {"schema/user/relations.ts": rel(("users", "./users")) + "export const shared = 1;\n",
             "schema/post/relations.ts": rel(("posts", "./posts")) + "export const shared = 2;\n"}
    barrel = TABLE_LINES + "export * from './tag/relations';\n"
    outcome = fix_barrel(barrel, barrel + "export { postsRelations } from './post/relations';\n"
                         "export { usersRelations } from './user/relations';\n", files=files)
    [d] = outcome.fixed
    assert d.notes[-2:] == ("`shared` left out: also exported by schema/user/relations.ts:5 (TS2308)",
                            "`shared` left out: also exported by schema/post/relations.ts:5 (TS2308)")


SAME_TABLE_BARREL = TABLE_LINES + "export * from './legacy/relations';\nexport * from './post/relations';\n" \
    "export * from './tag/relations';\n"


def test_collision_between_two_relations_of_the_same_table_is_reported_not_fixed():
    files = {**SCHEMA, "schema/legacy/relations.ts": rel(("users", "../user/users")),
             "schema/index.ts": SAME_TABLE_BARREL}
    outcome = check_noop(files, select="SF005")
    [d] = outcome.remaining
    assert d.message.startswith("`usersRelations` (relations of table `users`) is declared in both "
                                "schema/legacy/relations.ts:4 and schema/user/relations.ts:4")
    assert d.fix is None and d.severity is Severity.ERROR


def test_same_table_collision_keeps_the_other_names_by_name():
    files = {**SCHEMA, "schema/legacy/relations.ts": rel(("users", "../user/users")),
             "schema/user/relations.ts": rel(("users", "./users")) + "export const userLinks = 1;\n"}
    outcome = check_fix({**files, "schema/index.ts": SAME_TABLE_BARREL},
                        {"schema/index.ts": SAME_TABLE_BARREL + "export { userLinks } from './user/relations';\n"},
                        select="SF005")
    [d] = outcome.remaining
    assert "relations of table `users`" in d.message


def test_relations_name_colliding_with_another_value_is_reported():
    files = {**SCHEMA, "schema/legacy.ts": "export const usersRelations = 'not drizzle';\n",
             "schema/index.ts": TABLE_LINES + "export * from './legacy';\nexport * from './post/relations';\n"
                                "export * from './tag/relations';\n"}
    outcome = check_noop(files, select="SF005")
    [d] = outcome.remaining
    assert d.message.startswith("`usersRelations` is exported by both schema/legacy.ts:1 and "
                                "schema/user/relations.ts:4; exporting both would collide (TS2308)")


def test_existing_collision_reported_with_both_sources():
    files = {**SCHEMA, "schema/extra.ts": "export const users = 1;\n",
             "schema/index.ts": TABLE_LINES + ALL_RELATIONS + "export * from './extra';\n"}
    check_noop(files, select="SF005")
    [d] = diagnostics(files, select="SF005")
    assert d.message.startswith("`users` is exported twice through `export *`, from schema/extra.ts:1 and "
                                "schema/user/users.ts:2")
    assert d.line == 7 and "TS2308" in d.message


# --- stale lines ---------------------------------------------------------------------


def test_stale_line_repointed_by_file_name():
    files = {"schema/billing/user-credits.ts": table("userCredits")}
    before = TABLE_LINES + ALL_RELATIONS + "export * from './billing/userCredits';\n"
    fix_barrel(before, TABLE_LINES + ALL_RELATIONS + "export * from './billing/user-credits';\n", files=files)


def test_stale_line_repointed_keeps_quotes_and_extension():
    files = {"schema/billing/user-credits.ts": table("userCredits")}
    before = TABLE_LINES + ALL_RELATIONS + 'export * from "./billing/user_credits.js"\n'
    fix_barrel(before, TABLE_LINES + ALL_RELATIONS + 'export * from "./billing/user-credits.js"\n', files=files)


def test_stale_line_repointed_to_the_module_defining_what_importers_use():
    files = {"schema/billing/payments.ts": table("invoices", "refunds"),
             "src/app.ts": "import { invoices, refunds, users } from '../schema';\n"}
    before = TABLE_LINES + ALL_RELATIONS + "export * from './billing/invoices';\n"
    fix_barrel(before, TABLE_LINES + ALL_RELATIONS + "export * from './billing/payments';\n", files=files)


def test_stale_line_then_missing_relations_in_later_passes():
    files = {"schema/billing/user-credits.ts": table("userCredits"),
             "schema/billing/relations.ts": rel(("userCredits", "./user-credits"))}
    before = TABLE_LINES + ALL_RELATIONS + "export * from './billing/userCredits';\n"
    fix_barrel(before, TABLE_LINES + ALL_RELATIONS + "export * from './billing/user-credits';\n"
               "export * from './billing/relations';\n", files=files)


def test_stale_line_to_a_relations_module_is_repointed_not_duplicated():
    before = TABLE_LINES + "export * from './post/relations';\nexport * from './tag/relations';\n" \
        "export * from './user/Relations';\n"
    fix_barrel(before, TABLE_LINES + ALL_RELATIONS)


def test_stale_line_without_replacement_is_reported_and_kept():
    files = {"schema/billing/a/credits.ts": table("a"), "schema/billing/b/credits.ts": table("b")}
    barrel = TABLE_LINES + ALL_RELATIONS + "export * from './billing/credit';\nexport * from './credits';\n"
    outcome = check_noop({**SCHEMA, **files, "schema/index.ts": barrel}, select="SF005")
    msgs = [d.message for d in outcome.remaining]
    assert "re-export target './billing/credit' does not exist; no single module replaces it, line kept" in msgs
    assert "re-export target './credits' does not exist; no single module replaces it, line kept" in msgs
    [two] = [d for d in outcome.remaining if "'./credits'" in d.message]
    assert two.notes == ("same name in another folder (not taken): schema/billing/a/credits.ts",
                         "same name in another folder (not taken): schema/billing/b/credits.ts")


def test_stale_line_without_replacement_is_reported_once_with_sf001():
    """SF001 leaves unresolvable re-export lines of barrels to SF005, which reports once."""
    barrel = TABLE_LINES + ALL_RELATIONS + "export * from './billing/credit';\n"
    outcome = check_noop({**SCHEMA, "schema/index.ts": barrel}, select="SF001,SF005")
    assert [d.code for d in outcome.remaining] == ["SF005"]


def test_sf001_does_not_repoint_a_barrel_line_that_would_collide():
    """A stale barrel line whose same-named replacement would export a name twice is
    kept by SF005; SF001 must not repoint it behind SF005's back."""
    files = {"schema/billing/user-credits.ts": table("users")}  # `users` is already exported
    barrel = TABLE_LINES + ALL_RELATIONS + "export * from './billing/userCredits';\n"
    outcome = check_noop({**SCHEMA, **files, "schema/index.ts": barrel}, select="SF001,SF005")
    [d] = outcome.need_human
    assert d.code == "SF005" and "TS2308" in d.message


def test_stale_line_whose_replacement_is_already_exported_is_removed():
    """Issue 12: the line adds nothing its replacement does not already bring."""
    barrel = TABLE_LINES + ALL_RELATIONS + "export * from './user/Users';\n"
    outcome = check_fix({**SCHEMA, "schema/index.ts": barrel}, {"schema/index.ts": TABLE_LINES + ALL_RELATIONS},
                        select="SF005")
    [d] = outcome.fixed
    assert "its replacement schema/user/users.ts is already re-exported on line 1" in d.message


def test_stale_line_whose_replacement_would_collide_is_reported():
    files = {"schema/billing/user-credits.ts": table("userCredits", "users")}
    barrel = TABLE_LINES + ALL_RELATIONS + "export * from './billing/userCredits';\n"
    outcome = check_noop({**SCHEMA, **files, "schema/index.ts": barrel}, select="SF005")
    [d] = [d for d in outcome.remaining if d.severity is not Severity.INFO]
    assert "repointing would export users twice (TS2308), line kept" in d.message


def test_stale_named_re_export_repointed_to_the_definer():
    files = {"schema/billing/payments.ts": table("invoices", "refunds")}
    before = TABLE_LINES + ALL_RELATIONS + "export { invoices } from './billing/invoice-list';\n"
    # a named line is repointed name by name, as SF001 repoints any import (issue 12)
    fix_barrel(before, TABLE_LINES + ALL_RELATIONS + "export { invoices } from './billing/payments';\n", files=files,
               select="SF001,SF005")


# --- --barrel-all --------------------------------------------------------------------


BARREL_ALL = {
    **SCHEMA,
    "schema/billing/payments.ts": table("invoices"),
    "schema/core/enums.ts": "import { pgEnum } from 'drizzle-orm/pg-core';\nexport const role = pgEnum('role', ['a']);\n",
    "schema/core/columns.ts": "export const timestamps = {};\n",  # a helper the tables import
    "schema/migrations/indices.ts": "export const extraIndices = [];\n",  # imported by nothing
    "schema/billing/payments.test.ts": table("fake"),
    "schema/billing/payments.d.ts": "export declare const invoices: unknown;\n",
    "schema/dist/payments.ts": table("invoices2"),
    "schema/core/types.ts": "export type Role = 'a';\n",  # types only
}
BARREL_ALL["schema/post/posts.ts"] = "import { timestamps } from '../core/columns';\n" + table("posts")


def test_unreached_table_modules_listed_as_info_without_the_flag():
    files = {**BARREL_ALL, "schema/index.ts": TABLE_LINES + ALL_RELATIONS}
    check_noop(files, select="SF005")
    [d] = diagnostics(files, select="SF005")
    assert d.severity is Severity.INFO and d.fix is None
    assert d.notes == ("not re-exported: schema/billing/payments.ts (nothing imports it)",
                       "not re-exported: schema/core/enums.ts (nothing imports it)",
                       "not re-exported: schema/migrations/indices.ts")


def test_barrel_all_appends_unreached_table_modules():
    before = TABLE_LINES + ALL_RELATIONS
    check_fix({**BARREL_ALL, "schema/index.ts": before},
              {"schema/index.ts": before + "export * from './billing/payments';\nexport * from './core/enums';\n"
               "export * from './migrations/indices';\n"}, select="SF005", barrel_all=True)


def test_barrel_all_with_groups_puts_tables_and_relations_under_headings():
    before = "// Users\nexport * from './user/users';\n"
    after = (before + "\n// Tables\nexport * from './billing/payments';\nexport * from './core/enums';\n"
             "export * from './migrations/indices';\nexport * from './post/posts';\nexport * from './tag/tags';\n"
             "\n// Relations\n" + ALL_RELATIONS)
    check_fix({**BARREL_ALL, "schema/index.ts": before}, {"schema/index.ts": after}, select="SF005",
              barrel_all=True)


def test_barrel_all_never_adds_a_colliding_table_module():
    files = {**BARREL_ALL, "schema/billing/payments.ts": table("invoices", "users"),
             "schema/index.ts": TABLE_LINES + ALL_RELATIONS}
    after = TABLE_LINES + ALL_RELATIONS + ("export { invoices } from './billing/payments';\n"
                                           "export * from './core/enums';\nexport * from './migrations/indices';\n")
    outcome = check_fix(files, {"schema/index.ts": after}, select="SF005", barrel_all=True)
    [d] = outcome.fixed
    assert "`users` left out: also exported by schema/user/users.ts:2 (TS2308)" in d.notes


# --- safety --------------------------------------------------------------------------


def test_barrel_with_syntax_error_is_not_edited():
    files = {**SCHEMA, "schema/index.ts": TABLE_LINES + "export * from './post/relations'\nexport {{{\n"}
    outcome = run(files, select="SF005")
    assert outcome.final == outcome.original


def test_fix_is_safe_and_single_per_barrel():
    [d] = diagnostics({**SCHEMA, "schema/index.ts": TABLE_LINES}, select="SF005")
    assert d.fix is not None and str(d.fix.applicability) == "safe" and len(d.fix.edits) == 1
    assert d.path == "schema/index.ts" and d.line == 3


def test_info_listing_does_not_fail_the_run():
    """Informational diagnostics are shown but need no human: exit 0, counted as notes."""
    from codemod.report import Mode, Report

    outcome = check_noop({**BARREL_ALL, "schema/index.ts": TABLE_LINES + ALL_RELATIONS}, select="SF005")
    report = Report(outcome, Mode.CHECK)
    assert outcome.notes and not outcome.need_human
    assert report.exit_code == 0
    assert "1 note" in report.summary()


# --- two relations() of one table: the unsafe merge ----------------------------------

# user/links.ts (reached by the barrel) and social/relations.ts (missing from it) both
# declare `usersRelations`: the one outside the file named relations.ts moves into it.
MERGE_LINKS = (
    "import { relations } from 'drizzle-orm';\n"
    "import { users } from './users';\n"
    "import { follows } from '../social/follows';\n"
    "import { blocks } from '../social/blocks';\n"
    "\n"
    "// Who follows and blocks the user.\n"
    "export const usersRelations = relations(users, (r) => ({\n"
    "  followers: r.many(follows), // newest first\n"
    "  blocked: r.many(blocks),\n"
    "}));\n"
)
MERGE_SOCIAL = (
    "import { relations } from 'drizzle-orm';\n"
    "import { users } from '../user/users';\n"
    "import { follows } from './follows';\n"
    "\n"
    "export const followsRelations = relations(follows, ({ one }) => ({\n"
    "  follower: one(users),\n"
    "}));\n"
    "\n"
    "export const usersRelations = relations(users, ({ one }) => ({\n"
    "  self: one(users),\n"
    "}));\n"
)
MERGE_BARREL = ("export * from './user/users';\nexport * from './user/links';\nexport * from './social/follows';\n"
                "export * from './social/blocks';\n")
MERGE = {
    "schema/user/users.ts": table("users"),
    "schema/social/follows.ts": table("follows"),
    "schema/social/blocks.ts": table("blocks"),
    "schema/user/links.ts": MERGE_LINKS,
    "schema/social/relations.ts": MERGE_SOCIAL,
    "schema/index.ts": MERGE_BARREL,
}


def merge_diagnostic(files):
    [d] = [d for d in diagnostics(files, select="SF005") if "relations of table" in d.message]
    return d


def test_same_table_merge_fix_is_offered_as_safe():
    """Issue 12 §4: a lossless merge into the module the project keeps relations in is the
    one answer (drizzle sees neither declaration while both collide)."""
    d = merge_diagnostic(MERGE)
    assert d.message.startswith("`usersRelations` (relations of table `users`) is declared in both "
                                "schema/social/relations.ts:9 and schema/user/links.ts:7")
    assert d.fix is not None and str(d.fix.applicability) == "safe"
    assert d.fix.paths == ("schema/social/relations.ts", "schema/user/links.ts")
    assert d.fix.title == ("Move 2 properties of `usersRelations` from schema/user/links.ts into "
                           "schema/social/relations.ts and delete its declaration")



def test_same_table_merge_of_a_copy_with_nothing_new_says_it_deletes_the_copy():
    """When every property of the declaration outside relations.ts is already in the one
    inside it, nothing moves: the title said "Move 0 properties of ..."."""
    copy = ("import { relations } from 'drizzle-orm';\nimport { users } from './users';\n\n"
            "export const usersRelations = relations(users, ({ one }) => ({\n  self: one(users),\n}));\n")
    d = merge_diagnostic({**MERGE, "schema/user/links.ts": copy})
    assert d.fix is not None and str(d.fix.applicability) == "safe"
    assert d.fix.title == ("Delete the declaration of `usersRelations` in schema/user/links.ts: "
                           "schema/social/relations.ts already declares every property it has")

def test_same_table_merge_moves_the_properties_then_appends_the_module():
    outcome = check_fix(MERGE, {
        "schema/social/relations.ts": (
            "import { relations } from 'drizzle-orm';\n"
            "import { users } from '../user/users';\n"
            "import { follows } from './follows';\n"
            "import { blocks } from './blocks';\n"
            "\n"
            "export const followsRelations = relations(follows, ({ one }) => ({\n"
            "  follower: one(users),\n"
            "}));\n"
            "\n"
            "export const usersRelations = relations(users, ({ one, many }) => ({\n"
            "  self: one(users),\n"
            "  // Who follows and blocks the user.\n"
            "  followers: many(follows), // newest first\n"
            "  blocked: many(blocks),\n"
            "}));\n"),
        # what only the declaration imported goes with it; `export {}` keeps it a module
        "schema/user/links.ts": "export {};\n",
        "schema/index.ts": MERGE_BARREL + "export * from './social/relations';\n",
    }, select="SF005")
    assert outcome.remaining == []
    assert [str(d.fix.applicability) for d in outcome.fixed] == ["safe", "safe"]


def test_same_table_merge_into_the_reached_relations_module():
    """The other direction: the module being appended is not named relations.ts, so its
    declaration moves into the barrel's relations module, extending an existing import;
    nothing is left to append."""
    files = {
        "schema/user/users.ts": table("users"),
        "schema/post/posts.ts": table("posts", "drafts"),
        "schema/user/relations.ts": "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                                    "import { posts } from '../post/posts';\n\n"
                                    "export const usersRelations = relations(users, ({ many }) => ({\n"
                                    "  posts: many(posts),\n}));\n",
        "schema/post/user-posts.ts": "import { relations } from 'drizzle-orm';\n"
                                     "import { users } from '../user/users';\n"
                                     "import { posts, drafts } from './posts';\n\n"
                                     "export const usersRelations = relations(users, ({ many }) => ({\n"
                                     "  posts: many(posts),\n  drafts: many(drafts),\n}));\n",
        "schema/index.ts": "export * from './user/users';\nexport * from './post/posts';\n"
                           "export * from './user/relations';\n",
    }
    check_fix(files, {
        "schema/user/relations.ts": "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                                    "import { posts, drafts } from '../post/posts';\n\n"
                                    "export const usersRelations = relations(users, ({ many }) => ({\n"
                                    "  posts: many(posts),\n  drafts: many(drafts),\n}));\n",
        "schema/post/user-posts.ts": "export {};\n",
    }, select="SF005", unsafe=True)


def test_same_table_merge_with_a_conflicting_key_has_no_fix():
    files = {**MERGE, "schema/social/relations.ts": MERGE_SOCIAL.replace("self: one(users)", "blocked: one(users)")}
    outcome = check_fix(files, {"schema/index.ts": MERGE_BARREL
                                + "export { followsRelations } from './social/relations';\n"},
                        select="SF005", unsafe=True)
    d = merge_diagnostic(files)
    assert d.fix is None
    assert d.notes[-1] == ("not merged automatically: 'blocked' (schema/user/links.ts:9 vs "
                           "schema/social/relations.ts:10) defined differently")
    assert [x.message for x in outcome.remaining] == [d.message]


def test_same_table_merge_needing_a_local_helper_of_the_source_has_no_fix():
    links = MERGE_LINKS.replace("r.many(blocks)", "r.many(blocks, { relationName })").replace(
        "\n// Who", "\nconst relationName = 'blocked';\n\n// Who")
    files = {**MERGE, "schema/user/links.ts": links}
    check_fix(files, {"schema/index.ts": MERGE_BARREL + "export { followsRelations } from './social/relations';\n"},
              select="SF005", unsafe=True)
    d = merge_diagnostic(files)
    assert d.fix is None
    assert d.notes[-1] == ("not merged automatically: `relationName` is declared in schema/user/links.ts "
                           "without being exported")


def test_same_table_merge_needs_exactly_one_module_named_relations():
    files = {**SCHEMA, "schema/legacy/relations.ts": rel(("users", "../user/users")),
             "schema/index.ts": SAME_TABLE_BARREL}
    d = merge_diagnostic(files)
    assert d.fix is None
    assert d.notes[-1] == ("not merged automatically: both modules are named relations.ts, so neither is "
                           "clearly the one to keep")


def test_same_table_merge_extends_a_multi_line_import():
    files = {**MERGE, "schema/social/follows.ts": table("follows", "mutes"),
             "schema/user/links.ts": MERGE_LINKS.replace("import { follows }", "import { follows, mutes }").replace(
                 "  blocked: r.many(blocks),\n", "  blocked: r.many(blocks),\n  muted: r.many(mutes),\n"),
             "schema/social/relations.ts": MERGE_SOCIAL.replace("import { follows }", "import {\n  follows,\n}")}
    outcome = run(files, select="SF005", unsafe=True)
    social = outcome.final["schema/social/relations.ts"].decode()
    assert social.startswith("import { relations } from 'drizzle-orm';\nimport { users } from '../user/users';\n"
                             "import {\n  follows,\n  mutes,\n} from './follows';\nimport { blocks } from './blocks';\n")
    assert "  blocked: many(blocks),\n  muted: many(mutes),\n}));\n" in social


@pytest.mark.parametrize("change, why", [
    pytest.param({"schema/social/relations.ts": MERGE_SOCIAL + "\nconst blocks = 1;\n"},
                 "`blocks` means something else in schema/social/relations.ts", id="name-bound-differently"),
    pytest.param({"src/app.ts": "import { usersRelations } from '../schema/user/links';\n"},
                 "other files import `usersRelations` from schema/user/links.ts by name", id="imported-by-name"),
])
def test_same_table_merge_refused(change, why):
    d = merge_diagnostic({**MERGE, **change})
    assert d.fix is None
    assert d.notes[-1] == f"not merged automatically: {why}"


@pytest.mark.parametrize("path, expected", [
    ("schema/users.ts", False), ("schema/users.d.ts", True), ("schema/users.d.mts", True),
    ("schema/users.test.ts", True), ("schema/users.spec.tsx", True), ("schema/users.testing.ts", False),
    ("schema/tests/users.ts", True), ("schema/__tests__/a/users.ts", True), ("schema/dist/index.ts", True),
    ("schema/distant/users.ts", False), ("schema/a.dist/users.ts", False), ("schema/tests.ts", False),
    ("schema/build", False), ("tests/users.ts", True),
])
def test_tests_declarations_and_build_output_are_not_in_a_barrels_pool(path, expected):
    """``_barrels.skipped``: a test or declaration file, or a file in a folder of tests or
    build output, below the barrel's folder (one search of the path)."""
    from rewriters import _barrels

    directory = "" if path.startswith("tests/") else "schema"
    assert _barrels.skipped(path, directory) is expected
    assert _barrels.skipped("src/tests/" + path.split("/")[-1], "src/tests") is (path.endswith((".d.ts", ".d.mts", ".test.ts", ".spec.tsx")))


def test_a_relations_module_that_passes_a_package_on_is_still_missed_from_the_barrel():
    """Review finding: SF005 passed over a module every name of which it took to be
    reached, by counting; a module that ``export *``s a package is open, and a barrel
    line taking a name of it (``export { eq } from './rel'``) brings the root a name
    the module does not list, which filled the count: its relations export went
    unreported, and drizzle never saw it."""
    tables = "import { pgTable, uuid } from 'drizzle-orm/pg-core';\n"
    files = {
        "schema/users.ts": tables + "export const users = pgTable('users', { id: uuid('id').primaryKey() });\n",
        "schema/posts.ts": tables + "export const posts = pgTable('posts', { id: uuid('id'), authorId: uuid('a') });\n",
        "schema/rel.ts": "import { relations } from 'drizzle-orm';\nimport { users } from './users';\n"
                         "import { posts } from './posts';\nexport * from 'drizzle-orm';\n"
                         "export const postsRelations = relations(posts, ({ one }) => ({\n"
                         "  author: one(users, { fields: [posts.authorId], references: [users.id] }),\n}));\n",
        "schema/index.ts": "export * from './users';\nexport * from './posts';\nexport { eq } from './rel';\n",
        "db.ts": "import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\n"
                 "export const db = drizzle(process.env.DATABASE_URL!, { schema });\n",
    }
    found = [d for d in diagnostics(files, select="SF005") if d.path == "schema/index.ts"]
    assert any("relations module" in d.message and d.fix is not None for d in found), [d.message for d in found]


def test_a_module_of_a_table_and_its_relations_goes_under_the_tables_heading():
    """A table module that keeps its relations beside its table (`tags.ts`) is a table
    module: in a grouped barrel its line goes under a `// Tables` heading, not under
    `// Relations` (seen after a plain mv on a public schema)."""
    files = {"schema/user/users.ts": table("users"), "schema/post/posts.ts": table("posts"),
             "schema/tag/tags.ts": table("tags") + "import { relations } from 'drizzle-orm';\n"
             "export const tagsRelations = relations(tags, ({ many }) => ({}));\n",
             "schema/index.ts": "// Tables\nexport * from './user/users';\nexport * from './post/posts';\n"}
    index = run(files, select="SF005").final["schema/index.ts"].decode()
    assert index == ("// Tables\nexport * from './user/users';\nexport * from './post/posts';\n"
                     "export * from './tag/tags';\n"), index


def test_a_table_module_joins_the_barrels_own_tables_group():
    """A barrel grouping its lines under `// Tables` and `// Relations` gets a new table
    module's line at the end of its tables group, not under a second `// Tables`."""
    files = {"schema/user/users.ts": table("users"), "schema/post/posts.ts": table("posts"),
             "schema/tag/tags.ts": table("tags") + "import { relations } from 'drizzle-orm';\n"
             "export const tagsRelations = relations(tags, ({ many }) => ({}));\n",
             "schema/post/relations.ts": "import { relations } from 'drizzle-orm';\nimport { posts } from './posts';\n"
             "export const postsRelations = relations(posts, ({ many }) => ({}));\n",
             "schema/index.ts": "// Database tables\nexport * from './user/users';\nexport * from './post/posts';\n\n"
                                "// Relations\nexport * from './post/relations';\n"}
    index = run(files, select="SF005").final["schema/index.ts"].decode()
    assert index == ("// Database tables\nexport * from './user/users';\nexport * from './post/posts';\n"
                     "export * from './tag/tags';\n\n// Relations\nexport * from './post/relations';\n"), index
