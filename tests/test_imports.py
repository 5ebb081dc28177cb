"""SF001: broken imports repointed to the module that really exports each name."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_fix, check_noop, diagnostics, encode, fixture_files, run

from codemod.model import Applicability
from codemod.tsconfig import TsConfig

TABLES = {
    "billing/payments.ts": "export const invoices = 1;\nexport const refunds = 2;\n",
    "billing/user-credits.ts": "export const userCredits = 3;\nexport const creditTransactions = 4;\n",
    "user/users.ts": "export const users = 5;\nexport type User = { id: number };\n",
    "messaging/chatMessages.ts": "export const chatMessages = 6;\n",
}


def fix_one(relations: str, expected: str, *, extra: dict | None = None, **kwargs):
    files = {**TABLES, **(extra or {}), "billing/relations.ts": relations}
    return check_fix(files, {"billing/relations.ts": expected}, select="SF001", **kwargs)


CASES = [
    pytest.param(
        "import { invoices } from './invoices';\nuse(invoices);\n",
        "import { invoices } from './payments';\nuse(invoices);\n",
        id="table-moved-into-multi-table-file",
    ),
    pytest.param(
        "import { userCredits } from './userCredits';\nuse(userCredits);\n",
        "import { userCredits } from './user-credits';\nuse(userCredits);\n",
        id="camel-to-kebab-rename",
    ),
    pytest.param(
        "import { users, chatMessages } from '../user';\nuse(users, chatMessages);\n",
        "import { users } from '../user/users';\nimport { chatMessages } from '../messaging/chatMessages';\n"
        "use(users, chatMessages);\n",
        id="folder-without-index-split-across-two-modules",
    ),
    pytest.param(
        "import { invoices, userCredits } from './payments';\nuse(invoices, userCredits);\n",
        "import { invoices } from './payments';\nimport { userCredits } from './user-credits';\n"
        "use(invoices, userCredits);\n",
        id="name-from-the-wrong-sibling",
    ),
    pytest.param(
        "import { invoices } from './invoices';\nimport { refunds } from './refunds';\nuse(invoices, refunds);\n",
        "import { invoices, refunds } from './payments';\nuse(invoices, refunds);\n",
        id="two-broken-statements-grouped-in-one",
    ),
    pytest.param(
        "import { invoices } from './payments';\nimport { refunds } from './refunds';\nuse(invoices, refunds);\n",
        "import { invoices, refunds } from './payments';\nuse(invoices, refunds);\n",
        id="merge-into-existing-import",
    ),
    pytest.param(
        "import { invoices } from './payments';\nimport { invoices } from './invoices';\nuse(invoices);\n",
        "import { invoices } from './payments';\nuse(invoices);\n",
        id="merge-without-duplicating-a-name",
    ),
    pytest.param(
        "import {\n    invoices,\n} from './payments';\nimport { refunds } from './refunds';\nuse(invoices, refunds);\n",
        "import {\n    invoices,\n    refunds,\n} from './payments';\nuse(invoices, refunds);\n",
        id="merge-into-multi-line-import",
    ),
    pytest.param(
        "import {\n  invoices,\n  userCredits\n} from './invoices';\nuse(invoices, userCredits);\n",
        "import {\n  invoices\n} from './payments';\nimport {\n  userCredits\n} from './user-credits';\n"
        "use(invoices, userCredits);\n",
        id="multi-line-layout-kept",
    ),
    pytest.param(
        "import { invoices as inv, refunds } from './invoices';\nuse(inv, refunds);\n",
        "import { invoices as inv, refunds } from './payments';\nuse(inv, refunds);\n",
        id="alias-kept",
    ),
    pytest.param(
        "import type { User } from './users';\nlet u: User;\n",
        "import type { User } from '../user/users';\nlet u: User;\n",
        id="statement-level-type-import",
    ),
    pytest.param(
        "import { type User, invoices } from './invoices';\nlet u: User = invoices;\n",
        "import { type User } from '../user/users';\nimport { invoices } from './payments';\nlet u: User = invoices;\n",
        id="inline-type-specifier",
    ),
    pytest.param(
        'import { invoices } from "./invoices"\nuse(invoices)\n',
        'import { invoices } from "./payments"\nuse(invoices)\n',
        id="double-quotes-no-semicolons",
    ),
    pytest.param(
        "import { invoices } from './invoices.js';\nuse(invoices);\n",
        "import { invoices } from './payments.js';\nuse(invoices);\n",
        id="js-extension-style",
    ),
    pytest.param(
        "import { relations } from 'drizzle-orm';\nimport { ghost, invoices } from './invoices';\nuse(invoices);\n",
        "import { relations } from 'drizzle-orm';\nimport { invoices } from './payments';\nuse(invoices);\n",
        id="unused-name-exported-nowhere-removed",
    ),
    pytest.param(
        "import { ghost } from './ghost';\nimport { invoices } from './payments';\nuse(invoices);\n",
        "import { invoices } from './payments';\nuse(invoices);\n",
        id="statement-that-becomes-empty-removed-with-its-line",
    ),
    pytest.param(
        "import { invoices } from './invoices'; // billing tables\nuse(invoices);\n",
        "import { invoices } from './payments'; // billing tables\nuse(invoices);\n",
        id="comment-on-the-line-kept",
    ),
    pytest.param(
        "import { invoices } from './invoices';\r\nimport { users } from '../user';\r\nuse(invoices, users);\r\n",
        "import { invoices } from './payments';\r\nimport { users } from '../user/users';\r\nuse(invoices, users);\r\n",
        id="crlf-kept",
    ),
    pytest.param(
        "export { invoices, refunds as r } from './invoices';\n",
        "export { invoices, refunds as r } from './payments';\n",
        id="named-reexport-repointed",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_repoint(before, after):
    fix_one(before, after)


def test_js_extension_style_from_the_rest_of_the_file():
    fix_one(
        "import { payouts } from './payouts.js';\nimport { invoices } from './invoices';\nuse(invoices, payouts);\n",
        "import { payouts } from './payouts.js';\nimport { invoices } from './payments.js';\nuse(invoices, payouts);\n",
        extra={"billing/payouts.ts": "export const payouts = 1;\n"},
    )


def test_a_file_s_extension_style_is_read_once_per_snapshot(monkeypatch):
    """Every specifier a fix writes follows the file's extension style; the file's
    imports are counted once per snapshot, not once per specifier (a relations module
    with many imports to repoint counted them all for each)."""
    from support import record_calls

    from rewriters import _import_editor

    counted = record_calls(monkeypatch, _import_editor, "_extension_counts", lambda ctx, file: file.path)
    outcome = run({**TABLES, "billing/payouts.ts": "export const payouts = 1;\n", "billing/relations.ts":
                   "import { payouts } from './payouts.js';\nimport { invoices } from './invoices';\n"
                   "import { refunds } from './invoices';\nimport { users } from '../user';\n"
                   "use(invoices, payouts, refunds, users);\n"}, select="SF001")
    text = outcome.final["billing/relations.ts"].decode()
    assert "from './payments.js'" in text and "from '../user/users.js'" in text
    assert counted.count("billing/relations.ts") == outcome.passes - 1  # once in each pass that fixed


def test_tsconfig_alias_kept():
    config = TsConfig(paths=(("@db/*", ("/project/*",)),))
    fix_one(
        "import { users } from '@db/users';\nuse(users);\n",
        "import { users } from '@db/user/users';\nuse(users);\n",
        config=config,
    )


def test_default_import_repointed_by_file_name():
    files = {"lib/client.ts": "export default 1;\n", "lib/app.ts": "import client from './Client';\nuse(client);\n"}
    check_fix(files, {"lib/app.ts": "import client from './client';\nuse(client);\n"}, select="SF001")


def test_default_import_repointed_to_a_namesake_in_another_folder_is_unsafe():
    """Seen in a probe: `import user from './user'` (a table, now `users.ts`) was repointed,
    as a safe fix, to `components/user.tsx`, a React component: the one file of that name
    in the project, but not in the folder the import pointed into."""
    files = {"lib/client.ts": "export default 1;\n", "app.ts": "import client from './client';\nuse(client);\n"}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert str(d.fix.applicability) == "unsafe" and d.message.endswith(
        "the module is now 'lib/client.ts' (the one file of that name, in another folder than the import pointed into)")
    check_fix(files, {"app.ts": "import client from './lib/client';\nuse(client);\n"}, select="SF001", unsafe=True)


def test_a_namespace_import_of_the_moved_schema_is_not_repointed_to_a_form_schema_elsewhere():
    """Seen in a probe: `import * as schema from './schema'` in `src/db/index.ts` (the
    tables moved to `tables.ts` with a plain `mv`) became, as a safe fix,
    `'../app/settings/schema'`, a form schema: tsc passed and the database had no tables."""
    files = {"src/db/index.ts": "import * as schema from './schema';\nexport const db = drizzle(url, { schema });\n",
             "src/db/tables.ts": "export const users = pgTable('users', {});\n",
             "src/app/settings/schema.ts": "export const settingsFormSchema = { name: 'string' };\n"}
    outcome = check_noop(files, select="SF001")
    assert [str(d.fix.applicability) for d in outcome.remaining] == ["unsafe"]


def test_namespace_import_repointed_by_file_name():
    files = {"schema/user-profiles.ts": "export const a = 1;\n",
             "app.ts": "import * as profiles from './schema/userProfiles';\nuse(profiles);\n"}
    check_fix(files, {"app.ts": "import * as profiles from './schema/user-profiles';\nuse(profiles);\n"},
              select="SF001")


def test_export_star_repointed_by_file_name():
    files = {"schema/chat-messages.ts": "export const m = 1;\n",
             "index.ts": "export * from './schema/chatMessages';\n"}
    check_fix(files, {"index.ts": "export * from './schema/chat-messages';\n"}, select="SF001")


def test_export_star_repointed_to_the_module_covering_what_importers_use():
    files = {"schema/orders-and-items.ts": "export const orders = 1;\nexport const orderItems = 2;\n",
             "schema/misc.ts": "export const orders2 = 3;\n",
             "index.ts": "export * from './schema/orders';\nexport * from './schema/misc';\n",
             "app.ts": "import { orders, orderItems } from './index';\nuse(orders, orderItems);\n"}
    check_fix(files, {"index.ts": "export * from './schema/orders-and-items';\nexport * from './schema/misc';\n"},
              select="SF001")


def test_export_star_repointed_by_usage_is_unsafe_when_a_module_beside_it_is_unclaimed():
    """`content.ts` split into `articles.ts` and `comments.ts` without git; the one importer
    takes `articles`. Repointing `export * from './content'` to `articles.ts` is a guess that
    drops `comments` from the module's exports: unsafe, with the module named."""
    files = {"app/articles.ts": "export const articles = 1;\n", "app/comments.ts": "export const comments = 2;\n",
             "app/r.ts": "export * from './content';\nexport const x = 1;\n",
             "app/main.ts": "import { articles, x } from './r';\nuse(articles, x);\n"}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert str(d.fix.applicability) == "unsafe"
    assert d.message.endswith("(the one module defining articles; also there, imported and re-exported by nothing: "
                              "app/comments.ts (if the old module was split, re-export it too))")
    check_fix(files, {"app/r.ts": "export * from './articles';\nexport const x = 1;\n"}, select="SF001", unsafe=True)


def test_export_star_without_a_match_is_reported_and_kept():
    files = {"index.ts": "export * from './schema/gone';\n", "schema/other.ts": "export const x = 1;\n"}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert "no single module replaced it" in d.message and d.fix is None


def test_used_name_exported_nowhere_is_reported_and_file_untouched():
    files = {**TABLES, "billing/relations.ts": "import { invoise } from './payments';\nuse(invoise);\n"}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert d.fix is None
    assert "invoise is exported by no module" in d.message
    assert "did you mean invoices" in d.message


def test_broken_dynamic_import_is_reported_never_rewritten():
    files = {**TABLES, "app.ts": "const m = await import('./invoices');\n"}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert "dynamic import" in d.message and d.fix is None


AMBIGUOUS = {
    "shop/orders.ts": "export const orders = 1;\n",
    "legacy/orders-v1.ts": "export const orders = 2;\n",
}


def test_tie_is_reported_with_candidates_and_no_edit():
    files = {**AMBIGUOUS, "admin/relations.ts": "import { orders } from '../gone/stuff';\nuse(orders);\n"}
    outcome = check_noop(files, select="SF001", unsafe=True)
    [d] = outcome.remaining
    assert "several modules" in d.message
    assert "legacy/orders-v1.ts" in d.message and "shop/orders.ts" in d.message


def test_unique_winner_on_path_match_is_only_unsafe():
    """Several modules define the name: a file-name match ranks them but proves nothing
    (issue 11: a tie-break by likeness alone is UNSAFE at best)."""
    files = {**AMBIGUOUS, "shop/relations.ts": "import { orders } from './order';\nuse(orders);\n"}
    check_noop(files, select="SF001")
    check_fix(files, {"shop/relations.ts": "import { orders } from './orders';\nuse(orders);\n"}, select="SF001",
              unsafe=True)


def test_winner_only_by_distance_needs_unsafe():
    files = {
        "a/b/orders.ts": "export const orders = 1;\n",
        "c/orders2.ts": "export const orders = 2;\n",
        "a/b/c/relations.ts": "import { orders } from '../../zzz/qqq';\nuse(orders);\n",
    }
    [d] = diagnostics(files, select="SF001")
    assert d.fix is not None and d.fix.applicability == Applicability.UNSAFE
    check_noop(files, select="SF001")  # not applied by default
    check_fix(files, {"a/b/c/relations.ts": "import { orders } from '../orders';\nuse(orders);\n"},
              select="SF001", unsafe=True)


def test_definer_preferred_over_reexporter():
    files = {**TABLES, "index.ts": "export * from './billing/payments';\n",
             "app.ts": "import { invoices } from './invoice';\nuse(invoices);\n"}
    check_fix(files, {"app.ts": "import { invoices } from './billing/payments';\nuse(invoices);\n"}, select="SF001")


def test_reexporter_used_when_nobody_defines_the_name():
    files = {"index.ts": "export { x } from 'external-pkg';\n",
             "app.ts": "import { x } from './gone';\nuse(x);\n"}
    check_fix(files, {"app.ts": "import { x } from './index';\nuse(x);\n"}, select="SF001")


HEALTHY = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("fixture", ["healthy-example", "healthy-side-by-side"])
def test_healthy_projects_are_left_alone(fixture):
    root = HEALTHY / fixture
    files = fixture_files(fixture)
    from codemod import tsconfig

    outcome = run(files, config=tsconfig.load(root / "tsconfig.json"), root=root)
    assert outcome.final == outcome.original
    assert [d for d in outcome.remaining if d.code != "SF010"] == []  # mixed naming on purpose (SF010)


# --- regressions found in review ------------------------------------------------------


def test_a_file_at_the_root_is_not_in_every_folder():
    """Ranking: a root-level file's folder ("") must not count as the specifier's folder."""
    files = {"seed.ts": "export const users = 1;\n", "src/schema/auth/users.ts": "export const users = 2;\n",
             "src/schema/relations.ts": "import { users } from './users';\nuse(users);\n"}
    [d] = diagnostics(files, select="SF001")
    assert d.fix is not None and b"./auth/users" in d.fix.edits[0].content
    # wins on path match (the file name), not on distance; several definers: UNSAFE at best
    assert d.fix.applicability == Applicability.UNSAFE


def test_default_and_named_import_with_a_broken_named_part():
    fix_one(
        "import cfg, { users, invoices } from './users';\nuse(cfg, users, invoices);\n",
        "import cfg, { users } from './users';\nimport { invoices } from './payments';\nuse(cfg, users, invoices);\n",
        extra={"billing/users.ts": "export default 1;\nexport const users = 9;\n"},
    )


def test_type_only_name_merged_into_a_value_import_keeps_type():
    fix_one(
        "import { users } from '../user/users';\nimport type { User } from './user';\nlet u: User = users;\n",
        "import { users, type User } from '../user/users';\nlet u: User = users;\n",
    )


def test_type_only_reexport_merged_into_a_value_reexport_keeps_type():
    fix_one(
        "export { users } from '../user/users';\nexport type { User } from './user';\n",
        "export { users, type User } from '../user/users';\n",
    )


def test_comments_inside_braces_kept_when_only_the_specifier_changes():
    fix_one(
        "import {\n  invoices, // the billing table\n  /* moved */ refunds,\n} from './invoices';\nuse(invoices, refunds);\n",
        "import {\n  invoices, // the billing table\n  /* moved */ refunds,\n} from './payments';\nuse(invoices, refunds);\n",
    )


def test_comments_inside_braces_are_never_dropped_by_a_split():
    """Splitting would re-render the statement and lose the comments: report instead."""
    files = {**TABLES, "billing/relations.ts":
             "import {\n  invoices, // the billing table\n  users,\n} from './invoices';\nuse(invoices, users);\n"}
    outcome = check_noop(files, select="SF001")
    assert {d.message.split(";")[0] for d in outcome.remaining} == {
        "invoices is exported by billing/payments.ts", "users is exported by user/users.ts"}
    assert all("comments inside its braces" in d.message for d in outcome.remaining)


def test_repointing_and_merging_imports_parses_no_tree(monkeypatch):
    """The import editor reads braces, names and comments from the file's facts: a fix
    that splits a statement and merges a name into another parses the file once before
    and once after, never for the edit."""
    from codemod import project as project_mod
    from support import record_calls

    parses = record_calls(monkeypatch, project_mod, "parse_with_gaps", lambda path, data: path)
    fix_one(
        "import { invoices } from './payments';\nimport { refunds, users } from './refunds';\n"
        "use(invoices, refunds, users);\n",
        "import { invoices, refunds } from './payments';\nimport { users } from '../user/users';\n"
        "use(invoices, refunds, users);\n",
    )
    # the fixing run: before and after the fix; check_fix's second run and its parse check: once each
    assert parses.count("billing/relations.ts") == 4


def test_a_stale_d_ts_beside_its_source_is_not_a_rival_candidate():
    files = {"user/users.ts": "export const users = 1;\n", "user/users.d.ts": "export declare const users: number;\n",
             "app.ts": "import { users } from './user';\nuse(users);\n"}
    check_fix(files, {"app.ts": "import { users } from './user/users';\nuse(users);\n"}, select="SF001")


def test_several_routes_exporting_one_name_are_never_a_safe_target():
    """Seen in a TanStack route tree: every route module exports `Route`; the deleted
    `posts/new` route's import was repointed, SAFE, to the one module left in its folder.
    It compiled and was wrong. Folder likeness alone is at most UNSAFE."""
    files = {
        "src/routes/posts/route.tsx": "export const Route = 1;\n",
        "src/routes/about.tsx": "export const Route = 2;\n",
        "src/app.ts": "import { Route as NewPostRoute } from './routes/posts/new';\nuse(NewPostRoute);\n",
    }
    [d] = diagnostics(files, select="SF001")
    assert d.fix is not None and d.fix.applicability == Applicability.UNSAFE
    check_noop(files, select="SF001")


def test_a_used_name_that_cannot_be_placed_stays_imported():
    """Seen on a real project: `Token` moved, `TokenDoc` is used but exported nowhere; the
    rewrite kept `other` and moved `Token`, and dropped `TokenDoc` (tsc: TS2304 at every use)."""
    files = {
        "a.ts": "export const Token = 1;\n",
        "b.ts": "export const other = 2;\n",
        "main.ts": "import { Token, TokenDoc, other } from './b';\nuse(Token, TokenDoc, other);\n",
    }
    outcome = check_fix(files, {"main.ts": "import { TokenDoc, other } from './b';\nimport { Token } from './a';\n"
                                           "use(Token, TokenDoc, other);\n"}, select="SF001")
    [d] = [d for d in outcome.remaining if "TokenDoc" in d.message]
    assert "TokenDoc is exported by no module" in d.message and "kept where it is" in d.message


def test_a_tied_name_stays_imported_while_another_moves():
    files = {
        "x/users.ts": "export const users = 1;\n",
        "y/users.ts": "export const users = 2;\n",
        "a.ts": "export const posts = 3;\n",
        "b.ts": "export const other = 4;\n",
        "main.ts": "import { users, posts, other } from './b';\nuse(users, posts, other);\n",
    }
    check_fix(files, {"main.ts": "import { users, other } from './b';\nimport { posts } from './a';\n"
                                 "use(users, posts, other);\n"}, select="SF001")


# --- a folder that moved: the statement follows its index -----------------------------

MOVED_FOLDER = {
    "app/ui/components/Flex.ts": "export const Flex = 1;\n",
    "app/ui/components/Text.ts": "export const Text = 2;\n",
    "app/ui/components/index.ts": "export * from './Flex';\nexport * from './Text';\n",
    "app/ui/modules/Media.ts": 'import { Flex, Text } from "@/ui/components";\nexport const M = [Flex, Text];\n',
}
AT_ROOT = TsConfig(paths=(("@/*", ("/project/*",)),))


def test_an_import_of_a_moved_folder_follows_its_index():
    """Seen (a Next.js dashboard): `@/once-ui/components` moved under `app/`; SF001 split
    the import into one per component file, where the authors' fix imported the folder's
    index, which re-exports every one."""
    [d] = check_fix(MOVED_FOLDER, {"app/ui/modules/Media.ts": 'import { Flex, Text } from "@/app/ui/components";\n'
                                                               "export const M = [Flex, Text];\n"},
                    config=AT_ROOT).fixed
    assert "the folder moved; its index re-exports every name" in d.message


def test_with_two_such_indexes_each_name_is_repointed_to_its_module():
    extra = {"lib/components/index.ts": "export * from '../../app/ui/components/Flex';\n"
                                        "export * from '../../app/ui/components/Text';\n"}
    check_fix({**MOVED_FOLDER, **extra},
              {"app/ui/modules/Media.ts": 'import { Flex } from "@/app/ui/components/Flex";\n'
                                          'import { Text } from "@/app/ui/components/Text";\nexport const M = [Flex, Text];\n'},
              config=AT_ROOT)


def test_an_index_whose_name_is_another_declaration_is_not_followed():
    extra = {"app/ui/components/index.ts": "export * from './Flex';\nexport const Text = 3;\n"}
    outcome = run({**MOVED_FOLDER, **extra}, config=AT_ROOT)
    assert "@/app/ui/components\"" not in outcome.final["app/ui/modules/Media.ts"].decode()
    assert any("Text is defined in several modules" in d.message for d in outcome.remaining)


# --- one binding imported twice through two specifiers of one module (TS2300) ------------

USERS = {"user/users.ts": "export const users = 5;\nexport type User = { id: number };\n"}
TWICE = "import {{ users }} from '{0}';\nimport {{ {1} }} from '{2}';\nexport const u = users;\n"


@pytest.mark.parametrize("first, second, config", [
    pytest.param("./users", "./users.js", None, id="with-and-without-extension"),
    pytest.param("./users.js", "./users", None, id="extension-first"),
    pytest.param("@db/user/users", "./users", TsConfig(paths=(("@db/*", ("/project/*",)),)), id="alias-and-relative"),
])
def test_a_binding_imported_again_through_another_specifier_of_its_module_is_removed(first, second, config):
    """Survey b (F3): `import { users } from "./users"` and `import { users } from
    "./users.js"` bind one name twice (TS2300), and nothing was said: the repeat was looked
    for only among identical specifiers. The later binding goes, as there."""
    files = {**USERS, "user/posts.ts": TWICE.format(first, "users", second)}
    [d] = check_fix(files, {"user/posts.ts": TWICE.format(first, "users", second).split("\n", 2)[0] + "\n"
                            + "export const u = users;\n"}, select="SF001", config=config).fixed
    assert d.message == (f"'{second}' is imported twice: users is imported the same way on line 1 already, "
                         f"as '{first}' (TS2300): removed")


def test_a_later_import_of_the_module_keeps_its_other_names():
    files = {**USERS, "user/posts.ts": TWICE.format("./users", "users, type User", "./users.js")}
    check_fix(files, {"user/posts.ts": "import { users } from './users';\nimport { type User } from './users.js';\n"
                                       "export const u = users;\n"}, select="SF001")


@pytest.mark.parametrize("second", [
    pytest.param("import { users as people } from './users.js';\n", id="another-local-name"),
    pytest.param("import type { users } from './users.js';\n", id="type-only"),
    pytest.param("import { users } from './users/index';\n", id="another-file-of-that-name"),
])
def test_a_binding_that_is_not_the_same_is_not_removed(second):
    files = {**USERS, "user/users/index.ts": "export const users = 6;\n",
             "user/posts.ts": "import { users } from './users';\n" + second + "export const u = users;\n"}
    check_noop(files, select="SF001")


def test_repeats_are_looked_for_only_in_files_importing_one_module_twice(monkeypatch):
    """Every file of a 100,000-file project is asked: a file whose statements each import
    another module answers from their files and specifiers alone, no entry read."""
    from codemod.facts import ImportSite
    from codemod.project import Project
    from rewriters.imports import _repeated_bindings

    project = Project.build(Path("/project"), encode({
        **USERS, "user/other.ts": "export const o = 1;\n",
        "user/a.ts": "import { users } from './users';\nimport { o } from './other';\nimport { x } from 'pkg';\n",
        "user/b.ts": TWICE.format("./users", "users", "./users.js")}))
    read = []
    named = ImportSite.named
    monkeypatch.setattr(ImportSite, "named", property(lambda site: read.append(site.specifier) or named.fget(site)))

    def repeats(path: str) -> dict:
        return _repeated_bindings(project.files[path], project.exports.site_targets(path), lambda: None)

    assert repeats("user/a.ts") == {} and read == []
    [(start, found)] = repeats("user/b.ts").items()
    assert [(entry.imported, site.specifier) for entry, site in found.items()] == [("users", "./users")]
    assert read


@pytest.mark.slow
def test_removing_a_binding_imported_through_two_specifiers_leaves_tsc_clean(tmp_path):
    from click.testing import CliRunner
    from support import error_codes, tsc, write_tree

    from codemod.cli import main

    root = write_tree(tmp_path / "app", {
        **USERS, "user/posts.ts": TWICE.format("./users", "users", "./users.js"),
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "module": "esnext", '
                         '"moduleResolution": "bundler"}, "include": ["**/*.ts"]}'})
    assert error_codes(tsc(root)) == {"TS2300": 2}
    assert CliRunner().invoke(main, ["--apply", "--no-cache", str(root)]).exit_code == 0
    assert error_codes(tsc(root)) == {}


def test_of_two_specifiers_of_one_module_the_one_in_the_projects_extension_style_keeps_the_binding():
    """Survey b (F3), left last time: under `nodenext` the extension-less `./users` is an
    error of its own (TS2835), so removing the later `./users.js` binding left tsc failing.
    In a project whose relative imports write `.js`, the binding stays on that specifier
    whichever comes first; on a tie (only this file) the later one still goes."""
    files = {**USERS, "user/feed.ts": "import { users } from './users.js';\nexport const f = users;\n",
             "user/posts.ts": TWICE.format("./users", "users", "./users.js")}
    [d] = check_fix(files, {"user/posts.ts": "import { users } from './users.js';\nexport const u = users;\n"},
                    select="SF001").fixed
    assert d.message == ("'./users' is imported twice: users is imported the same way on line 2, as "
                         "'./users.js', which names the file in the project's extension style (TS2300): removed here")


@pytest.mark.slow
def test_under_nodenext_the_binding_kept_is_the_one_tsc_accepts(tmp_path):
    from click.testing import CliRunner
    from support import error_codes, tsc, write_tree

    from codemod.cli import main

    root = write_tree(tmp_path / "app", {
        **USERS, "user/feed.ts": "import { users } from './users.js';\nexport const f = users;\n",
        "user/posts.ts": TWICE.format("./users", "users", "./users.js"),
        "package.json": '{"name": "app", "type": "module"}',
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "module": "nodenext", '
                         '"moduleResolution": "nodenext"}, "include": ["**/*.ts"]}'})
    assert error_codes(tsc(root)) == {"TS2300": 2, "TS2835": 1}
    assert CliRunner().invoke(main, ["--apply", "--no-cache", str(root)]).exit_code == 0
    assert error_codes(tsc(root)) == {}
    assert CliRunner().invoke(main, ["--check", "--no-cache", str(root)]).exit_code == 0
