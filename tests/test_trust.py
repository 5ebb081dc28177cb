"""Issue 11: what schemafix may trust and touch. A module that `export *`s a package is
open; a declaration file exports its declarations implicitly; generated files are not
ours; a fix never imports its own file or a barrel that re-exports it; a diagnostic shown
as fixable is one whose fix gets applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import check_fix, check_noop, error_codes, run, tsc

from codemod.project import Project

# --- 1. `export * from 'pkg'` makes its module open ---------------------------------------

DRIZZLE_WRAPPER = {
    "src/drizzle/index.ts": 'export * from "drizzle-orm";\nexport const db = connect();\n',
    "src/billing/queries.ts": (
        'import { and, sql, isNotNull } from "../drizzle";\n'
        "export const unpaid = and(sql`paid = false`);\n"
    ),
}


def test_export_star_of_a_package_makes_the_module_open():
    exports = Project.build(Path("/project"), {p: s.encode() for p, s in DRIZZLE_WRAPPER.items()}).exports
    assert exports.is_open("src/drizzle/index.ts")
    assert exports.exports("src/drizzle/index.ts", "isNotNull")


def test_names_of_a_package_wrapper_are_never_dropped():
    outcome = check_noop(DRIZZLE_WRAPPER)
    assert [d.message for d in outcome.remaining] == []


def test_names_of_a_package_wrapper_reached_through_a_barrel_are_never_dropped():
    files = {
        **DRIZZLE_WRAPPER,
        "src/index.ts": "export * from './drizzle';\nexport const version = 1;\n",
        "src/billing/queries.ts": (
            'import { and, sql, isNotNull } from "..";\n'
            "export const unpaid = and(sql`paid = false`);\n"
        ),
    }
    outcome = check_noop(files)
    assert [d.message for d in outcome.remaining] == []


def test_dropping_an_unused_name_keeps_the_other_names_of_the_statement():
    files = {
        "schema/users.ts": "export const users = 1;\nexport const accounts = 2;\n",
        "schema/relations.ts": (
            "import { users, ghost, accounts } from './users';\n"
            "export const r = [users, accounts];\n"
        ),
    }
    check_fix(files, {"schema/relations.ts": "import { users, accounts } from './users';\n"
                                             "export const r = [users, accounts];\n"}, select="SF001")


def test_dropping_an_unused_name_keeps_the_default_binding():
    files = {
        "schema/users.ts": "const users = 1;\nexport default users;\n",
        "schema/relations.ts": (
            "import users, { ghost } from './users';\n"
            "export const r = [users];\n"
        ),
    }
    check_fix(files, {"schema/relations.ts": "import users from './users';\n"
                                             "export const r = [users];\n"}, select="SF001")


def test_moving_a_named_import_keeps_the_default_binding():
    files = {
        "schema/users.ts": "const users = 1;\nexport default users;\n",
        "schema/accounts.ts": "export const accounts = 2;\n",
        "schema/relations.ts": (
            "import users, { accounts } from './users';\n"
            "export const r = [users, accounts];\n"
        ),
    }
    check_fix(files, {"schema/relations.ts": "import users from './users';\nimport { accounts } from './accounts';\n"
                                             "export const r = [users, accounts];\n"}, select="SF001")


# --- 2. a declaration file exports its declarations implicitly ----------------------------
# (name, the declaration file, does it export `T`?) -- what tsc 5.9 says, checked by the
# slow oracle test below.
DTS_CASES = [
    ("import-only", 'import { status } from "../enums";\ntype T = (typeof status)[number];\n', True),
    ("type-import-only", 'import type { status } from "../enums";\ntype T = 2;\n', True),
    ("export-modifier-elsewhere", 'import { status } from "../enums";\nexport type U = 1;\ntype T = 2;\n', True),
    ("export-default-declaration", "export default function h(): void;\ntype T = 2;\n", True),
    ("declare-interface", "export declare const q: number;\ninterface T { a: 1 }\n", True),
    ("empty-export", 'import { status } from "../enums";\ntype T = 2;\nexport {};\n', False),
    ("type-empty-export", "export declare const q: number;\ntype T = 2;\nexport type {};\n", False),
    ("export-list", "declare const m: number;\ntype T = 2;\nexport { m };\n", False),
    ("export-assignment", "type T = 2;\ndeclare const v: number;\nexport = v;\n", False),
    ("export-default-expression", "declare const v: number;\ntype T = 2;\nexport default v;\n", False),
    ("named-reexport", 'export { status } from "../enums";\ntype T = 2;\n', False),
    ("star-reexport", 'export * from "../enums";\ntype T = 2;\n', False),
]


def dts_project() -> dict[str, str]:
    files = {"enums.ts": 'export const status = ["draft", "paid"] as const;\n'}
    uses = []
    for i, (name, text, _exported) in enumerate(DTS_CASES):
        files[f"types/{name}.d.ts"] = text
        uses.append(f'import type {{ T as T{i} }} from "./types/{name}";')
    files["use.ts"] = "\n".join(uses) + "\nexport type All = [" + ", ".join(f"T{i}" for i in range(len(DTS_CASES))) + "];\n"
    return files


@pytest.mark.parametrize("name,text,exported", DTS_CASES, ids=[c[0] for c in DTS_CASES])
def test_declaration_file_implicit_exports(name, text, exported):
    exports = Project.build(Path("/project"), {p: s.encode() for p, s in dts_project().items()}).exports
    assert exports.exports(f"types/{name}.d.ts", "T") is exported


def test_a_script_declaration_file_exports_nothing():
    exports = Project.build(Path("/project"), {"types/globals.d.ts": b"type T = 2;\ndeclare const g: 1;\n"}).exports
    assert exports.names("types/globals.d.ts") == {}


def test_an_ordinary_module_does_not_export_its_plain_declarations():
    exports = Project.build(Path("/project"), {"types/enum.ts": b'import { s } from "./s";\ntype T = 2;\n'}).exports
    assert not exports.exports("types/enum.ts", "T")


def test_import_of_an_implicitly_exported_type_is_healthy():
    files = {
        "src/enums.ts": 'export const status = ["draft", "paid"] as const;\n',
        "src/types/enum.d.ts": 'import { status } from "@/enums";\ntype StatusT = (typeof status)[number];\n',
        "src/orders.ts": 'import { StatusT } from "@/types/enum";\nexport let s: StatusT;\n',
    }
    from codemod.tsconfig import TsConfig
    config = TsConfig(paths=(("@/*", ("/project/src/*",)),))
    outcome = check_noop(files, config=config)
    assert [d.message for d in outcome.remaining] == []


SIBLING = {
    "src/handler.ts": 'import { type AppEnv, notNullish } from "@shared/index";\nimport { money } from "../../shared/money";\n'
                      "export const h = (e: AppEnv, x: string | null) => notNullish(x) && e && money;\n",
    "tests/helpers/fixtures.ts": "export type AppEnv = { a: 1 };\nexport const money = 1;\n",
    "src/utils/gen.ts": "export const notNullish = <T>(x: T | null): x is T => x !== null;\n",
}


def test_a_folder_outside_the_project_that_is_not_there_is_not_a_broken_import(tmp_path):
    """Seen (a bun monorepo's server, with the sibling `shared` package not checked out):
    `@shared/*` -> `../shared/*` and `../../shared/money` reach outside the project into a
    folder that is not on disk; SF001 repointed their names, as safe fixes, to a test
    helper and a local module that happened to export them. With the folder there and
    the file missing from it, the import is reported, never repointed."""
    from click.testing import CliRunner
    from codemod.cli import main
    from support import write_tree

    root = write_tree(tmp_path / "server", {
        **SIBLING, "tsconfig.json": '{"compilerOptions": {"paths": {"@shared/*": ["../shared/*"], "@/*": ["./src/*"]}}}'})

    def check() -> tuple[int, str]:
        result = CliRunner().invoke(main, ["--check", "--cache-dir", str(tmp_path / "cache"), str(root)],
                                    catch_exceptions=False)
        return result.exit_code, result.output

    assert check()[0] == 0
    (tmp_path / "shared").mkdir()  # there, without those files: broken, reported (the cached answer is not reused)
    code, output = check()
    assert code == 1 and "SF001" in output and "[*]" not in output
    assert (root / "src/handler.ts").read_text() == SIBLING["src/handler.ts"]


@pytest.mark.slow
def test_declaration_file_implicit_exports_agree_with_tsc(tmp_path):
    root = tmp_path / "app"
    for path, text in dts_project().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    (root / "tsconfig.json").write_text('{"compilerOptions": {"strict": true, "noEmit": true, "module": "esnext", '
                                        '"moduleResolution": "bundler"}, "include": ["**/*.ts"]}')
    errors = [e for e in tsc(root) if e["file"].endswith("use.ts")]
    not_exported = {DTS_CASES[int(e["line"]) - 1][0] for e in errors}
    assert not_exported == {name for name, _text, exported in DTS_CASES if not exported}, errors


# --- 3. generated files are not ours ------------------------------------------------------

from codemod import engine, rules  # noqa: E402
from codemod.generated import generated_marker  # noqa: E402
from codemod.model import Applicability, Edit, Fix  # noqa: E402
from codemod.rules import Settings  # noqa: E402


@pytest.mark.parametrize("path,text", [
    ("src/routeTree.gen.ts", "import { Route } from './routes/index'\n"),
    ("src/api/client.gen.tsx", "export const x = 1;\n"),
    ("db/schema.ts", "// @generated by our introspection script\nexport const x = 1;\n"),
    ("db/schema.ts", "/* eslint-disable */\n/**\n * Generated from openapi.yaml.\n * DO NOT EDIT.\n */\nexport {};\n"),
    ("db/schema.ts", "#!/usr/bin/env node\n\n// Please do NOT make changes here: run `pnpm gen`.\nexport {};\n"),
    ("db/schema.ts", "// You should not make any changes to this file\nexport {};\n"),
    ("db/schema.ts", "/* eslint-disable */\n// @ts-nocheck\n// This file was automatically generated by Routegen.\n"),
    ("db/schema.ts", "// @ts-nocheck\n// auto-generated\nexport {};\n"),
])
def test_generated_files_are_recognised(path, text):
    assert generated_marker(path, text.encode()) is not None


@pytest.mark.parametrize("path,text", [
    ("db/schema.ts", "export const x = 1;\n// @generated\n"),  # after the first code line
    ("db/schema.ts", "// Tables of the billing domain.\nexport const note = 'do not edit by hand';\n"),
    ("db/schema.ts", "// generated by hand, long ago\nexport {};\n"),  # a banner without @ts-nocheck
    ("db/schema.ts", "// @ts-nocheck\nexport {};\n"),  # @ts-nocheck alone
    ("db/schema.ts", "\n" * 11 + "// @generated\n"),  # past the header lines
    ("db/generate.ts", "// Writes schema.gen.ts\nexport function generate() {}\n"),
])
def test_ordinary_files_are_not_generated(path, text):
    assert generated_marker(path, text.encode()) is None


def test_the_quick_look_at_a_header_agrees_with_reading_it(monkeypatch):
    """``generated_marker`` reads a file's header only when the file may open with a
    comment and its first 8 KB hold a word every marker needs (ASCII text): on headers of
    every kind, in any case, with or without a marker, after blank lines, BOMs, a shebang
    or Unicode spaces, the answer is the one reading every header gives."""
    import itertools

    from codemod import generated

    lines = ["// @GENERATED by db-introspect", "// Do Not Modify", "/* MUST NOT edit */", "// @ts-nocheck",
             "// Auto-Generated", "// notes on the users table", "// Noted: nothing", "/* plain */",
             "// généré: do not edit", "// ÉCRIT À LA MAIN"]
    lines += ["export const notNull = 1; // @generated", "import { generated } from './do-not-edit';"]
    bodies = ["\n".join(combo) + "\nexport const x = 1;\n" for n in (1, 2) for combo in itertools.permutations(lines, n)]
    starts = ["", "\n\n", "  \t", "\ufeff", "\ufeff\ufeff\n", "\n\ufeff", "#!/usr/bin/env node\n", "\u00a0",
              "\x1c", "\u2028", "\r\n\x0b"]
    texts = [start + body for start in starts for body in bodies] + starts
    quick = [generated_marker("db/schema.ts", t.encode()) for t in texts]
    monkeypatch.setattr(generated, "_may_have_marker", lambda head: True)  # every file's header read
    assert quick == [generated_marker("db/schema.ts", t.encode()) for t in texts]
    assert sum(q is not None for q in quick) > 20 and sum(q is None for q in quick) > 20


def test_the_markers_of_a_run_are_read_as_asked_and_are_the_markers_of_every_file(monkeypatch):
    from codemod import generated

    sources = {"a.gen.ts": b"export {};\n", "b.ts": b"// @generated\nexport {};\n", "c.ts": b"export {};\n",
               "d.ts": b"// DO NOT EDIT\n", "e.gen.ts": b"export {};\n"}
    named = frozenset({"d.ts"})
    eager = {p: m for p in sorted(sources) if p not in named and (m := generated_marker(p, sources[p]))}
    asked: list[str] = []
    real = generated.generated_marker
    monkeypatch.setattr(generated, "generated_marker", lambda p, d: asked.append(p) or real(p, d))
    markers = generated.Markers(sources, named)
    sources["c.ts"] = b"// @generated\n"  # the caller's mapping changes later: the markers do not
    assert "b.ts" in markers and "c.ts" not in markers and "d.ts" not in markers and "zz.ts" not in markers
    assert markers["b.ts"] == eager["b.ts"] and 1 not in markers
    assert asked == ["b.ts", "c.ts"]  # d.ts is named; zz.ts is no source
    with pytest.raises(KeyError):
        markers["c.ts"]
    assert dict(markers) == eager and len(markers) == 3
    assert asked.count("b.ts") == 1


GENERATED = {
    "src/db/tables/users.ts": "export const users = 1;\n",
    "src/db/schema.ts": ("// @generated by db-introspect from the live database\n"
                         "import { users } from './tables/user';\nexport const schema = { users };\n"),
}


def run_named(files, named=frozenset(), targets=None):
    return engine.run(Path("/project"), {p: s.encode() for p, s in files.items()},
                      targets=frozenset(targets) if targets else None, named=frozenset(named),
                      settings=Settings(select=frozenset({"SF001"})))


def test_a_generated_file_is_reported_not_edited():
    outcome = run_named(GENERATED)
    assert outcome.final == outcome.original
    [d] = outcome.remaining
    assert d.path == "src/db/schema.ts" and d.fix is None
    assert any("generated file ('@generated' in its header); pass it by name to edit it" in n for n in d.notes), d.notes


def test_a_generated_file_named_by_the_user_is_edited():
    outcome = run_named(GENERATED, named={"src/db/schema.ts"})
    assert outcome.final["src/db/schema.ts"].startswith(b"// @generated by db-introspect from the live database\n"
                                                        b"import { users } from './tables/users';\n")
    assert outcome.remaining == []


# --- 5. shown means applied -----------------------------------------------------------------


@pytest.fixture
def two_file_rule():
    """SF901: a fix in a.ts that also needs an edit of b.ts."""

    @rules.rule("SF901", "two-files", "Edit a.ts and b.ts together", Applicability.SAFE)
    def check(ctx):
        """Marks `// both` in a.ts and b.ts."""
        for f in ctx.files():
            if f.path == "a.ts":
                edits = (Edit("a.ts", 0, 7, b"// done"), Edit("b.ts", 0, 7, b"// done"))
                yield ctx.diagnostic("SF901", f, 0, "both files need it", fix=Fix("Mark both", edits))

    yield
    rules.unregister("SF901")


def test_a_fix_that_needs_a_file_outside_the_targets_is_shown_without_a_fix(two_file_rule):
    files = {"a.ts": b"// both\nexport const a = 1;\n", "b.ts": b"// both\nexport const b = 1;\n"}
    outcome = engine.run(Path("/project"), files, targets=frozenset({"a.ts"}),
                         settings=Settings(select=frozenset({"SF901"})))
    assert outcome.final == outcome.original
    [d] = outcome.remaining
    assert d.fix is None
    assert d.notes == ("not fixed: the fix would also edit b.ts, which is not among the files being fixed",)
    assert outcome.hidden_unsafe == [] and outcome.fixed == []


def test_a_fix_within_the_targets_is_applied(two_file_rule):
    files = {"a.ts": b"// both\nexport const a = 1;\n", "b.ts": b"// both\nexport const b = 1;\n"}
    outcome = engine.run(Path("/project"), files, settings=Settings(select=frozenset({"SF901"})))
    assert outcome.final["b.ts"].startswith(b"// done")


# --- 4. no self-import, no import of a barrel re-exporting the importer, no "./." ----------


def test_a_name_moved_into_the_folder_index_is_imported_from_index_not_dot():
    files = {
        "src/lib/index.ts": "export const db = connect();\n",
        "src/lib/queries.ts": "import { db } from './database';\nexport const all = () => db.select();\n",
    }
    check_fix(files, {"src/lib/queries.ts": "import { db } from './index';\n"
                                            "export const all = () => db.select();\n"}, select="SF001")


def test_a_name_moved_into_the_parent_index_is_imported_from_dot_dot_index():
    files = {
        "src/lib/index.ts": "export const db = connect();\n",
        "src/lib/billing/queries.ts": "import { db } from '../database';\nexport const all = () => db.select();\n",
    }
    check_fix(files, {"src/lib/billing/queries.ts": "import { db } from '../index';\n"
                                                    "export const all = () => db.select();\n"}, select="SF001")


def test_a_barrel_that_re_exports_the_importer_is_never_the_new_target():
    files = {
        "src/db/index.ts": "export { sql, eq } from 'drizzle-orm';\nexport * from './queries';\n",
        "src/db/queries.ts": "import { sql } from './drizzle';\nexport const now = sql`now()`;\n",
    }
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert d.fix is None
    assert d.message == "sql is exported only by src/db/index.ts, which re-exports this file (an import cycle); " \
                        "kept where it is"


MERGED_IN = {
    "schema/index.ts": "export * from './blog';\n",
    "schema/blog.ts": "import { articles } from './articles';\nexport const posts = 1;\n"
                      "export const articles = 2;\nuse(articles);\n",
}
MERGED_IN_FIXED = {"schema/blog.ts": "export const posts = 1;\nexport const articles = 2;\nuse(articles);\n"}


def test_an_import_of_a_name_the_file_now_declares_itself_is_removed():
    """`articles.ts` merged into `blog.ts`, whose stale import of `articles` stayed: the
    import conflicts with the file's own declaration (TS2440), and the only other exporter
    is the barrel re-exporting the file. Not "an import cycle": the import goes, the
    declaration the file uses stays."""
    outcome = check_fix(MERGED_IN, MERGED_IN_FIXED, select="SF001")
    [d] = outcome.fixed
    assert d.message == ("'./articles' does not resolve: articles is declared in this file (line 3), which the "
                         "import conflicts with (TS2440, or TS2395 when exported): removed")


def test_an_import_of_a_name_the_file_declares_is_removed_even_when_another_module_defines_it():
    files = {**MERGED_IN, "lib/articles.ts": "export const articles = 3;\n"}
    check_fix(files, MERGED_IN_FIXED, select="SF001")  # repointing it would keep TS2440


def test_an_import_renamed_away_from_a_local_declaration_is_not_that_declaration():
    files = {"lib/articles.ts": "export const articles = 3;\n",
             "schema/blog.ts": "import { articles as shared } from './articles';\nexport const articles = 2;\n"
                               "use(shared, articles);\n"}
    check_fix(files, {"schema/blog.ts": "import { articles as shared } from '../lib/articles';\n"
                                        "export const articles = 2;\nuse(shared, articles);\n"}, select="SF001")


COMPANION = {  # a value and a type of one name: the import brings the type, the file declares the value
    "schema/types.ts": "export type User = { name: string };\n",
    "schema/user.ts": "import type { User } from './user-type';\nconst User = { name: 'x' };\n"
                      "export const someone: User = { name: 'y' };\nconsole.log(User);\n",
}


def test_a_type_import_beside_a_value_of_the_same_name_is_repointed_not_removed():
    check_fix(COMPANION, {"schema/user.ts": COMPANION["schema/user.ts"].replace("./user-type", "./types")},
              select="SF001")


def test_an_import_beside_an_exported_declaration_that_does_not_cover_it_is_reported():
    """`export const User` with `import type { User }`: TS2395 whatever the import points
    at, and removing the import loses the type the file uses: a human decides."""
    files = {**COMPANION, "schema/user.ts": COMPANION["schema/user.ts"].replace("\nconst User", "\nexport const User")}
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert d.fix is None and d.message == ("User is declared in this file (line 2) and imported too, and the declaration "
                                           "does not stand for everything the import brings; decide which goes")
    del files["schema/types.ts"]  # no other module: the same
    assert [d.message for d in check_noop(files, select="SF001").remaining] == [d.message]


def test_a_local_value_meets_an_imported_value_another_module_defines_the_import_goes():
    files = {"lib/drafts.ts": "export const drafts = 4;\n",
             "schema/blog.ts": "import { drafts } from './drafts';\nconst drafts = 3;\nuse(drafts);\n"}
    check_fix(files, {"schema/blog.ts": "const drafts = 3;\nuse(drafts);\n"}, select="SF001")


def test_an_exported_interface_merged_in_takes_the_place_of_its_import():
    files = {"schema/user.ts": "import { User } from './user-type';\nexport interface User { name: string }\n"
                               "export const someone: User = { name: 'y' };\n"}
    check_fix(files, {"schema/user.ts": "export interface User { name: string }\n"
                                        "export const someone: User = { name: 'y' };\n"}, select="SF001")


@pytest.mark.slow
def test_removing_an_import_the_file_declares_leaves_tsc_clean(tmp_path):
    from support import write_tree

    root = write_tree(tmp_path / "app", {
        "schema/index.ts": MERGED_IN["schema/index.ts"],
        "lib/drafts.ts": "export const drafts = 4;\n",
        "schema/blog.ts": "import { articles, drafts } from './articles';\nexport const articles = 2;\n"
                          "const drafts = 3;\nconsole.log(articles, drafts);\n",
        **COMPANION,
        "tsconfig.json": '{"compilerOptions": {"strict": true, "noEmit": true, "module": "esnext", '
                         '"moduleResolution": "bundler"}, "include": ["**/*.ts"]}'})
    assert {"TS2307", "TS2395"} <= set(error_codes(tsc(root)))
    assert cli_apply(root).returncode == 0
    assert error_codes(tsc(root)) == {}
    assert "./types" in (root / "schema/user.ts").read_text()
    again = cli_apply(root, "--check")
    assert again.returncode == 0, again.stdout


def cli_apply(root, *args: str):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "codemod.cli", *(args or ("--apply",)), "--no-cache", "."],
                          cwd=root, capture_output=True, text=True, timeout=120)


SELF_IMPORT = {"schema/posts.ts": "export const posts = 1;\nimport { posts, drafts } from './posts';\n"
                                  "export const comments = [posts];\n",
               "schema/index.ts": "export * from './posts';\n"}


def test_a_file_s_import_of_itself_loses_the_names_it_declares():
    """Seen in probes on four public schemas: `comments.ts` pasted into `posts.ts` with
    its `import { posts } from './posts'`, now an import of the file itself (TS2395;
    TS2440 unexported): left alone, as the import resolves. The declared name goes; a
    name the file neither declares nor exports is what any broken name is."""
    outcome = check_fix(SELF_IMPORT, {"schema/posts.ts": "export const posts = 1;\nexport const comments = [posts];\n"},
                        select="SF001")
    assert "posts is declared in this file (line 1)" in outcome.fixed[0].message
    alone = {**SELF_IMPORT, "schema/posts.ts": SELF_IMPORT["schema/posts.ts"].replace("posts, drafts", "posts")}
    check_fix(alone, {"schema/posts.ts": "export const posts = 1;\nexport const comments = [posts];\n"},
              select="SF001")  # every name it asks is exported: still no healthy import


@pytest.mark.slow
def test_removing_a_file_s_import_of_itself_leaves_tsc_clean(tmp_path):
    from support import write_tree

    root = write_tree(tmp_path / "app", {**SELF_IMPORT, "tsconfig.json": '{"compilerOptions": {"strict": true, '
                      '"noEmit": true, "module": "esnext", "moduleResolution": "bundler"}, "include": ["**/*.ts"]}'})
    assert "TS2395" in error_codes(tsc(root))
    assert cli_apply(root).returncode == 0
    assert error_codes(tsc(root)) == {}


PASTED = ("import { pgTable, text } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n"
          "export const posts = pgTable('posts', { id: text('id') });\n"
          "import { pgTable, text, integer } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n"
          "import { pgTable as table } from 'drizzle-orm/pg-core';\n"
          "export const comments = table('comments', { id: text('id'), n: integer('n') });\n"
          "export const postsRelations = relations(posts, () => ({}));\n")


def test_imports_a_pasted_merge_repeats_are_removed_once():
    """Seen in probes on four public schemas: `comments.ts` pasted under `posts.ts`, its
    imports with it: `pgTable`, `text`, `relations` imported twice (TS2300). The later
    binding goes; a new name (`integer`) and an alias (`table`) stay."""
    outcome = check_fix({"schema/posts.ts": PASTED}, {"schema/posts.ts": PASTED.replace(
        "import { pgTable, text, integer } from 'drizzle-orm/pg-core';\nimport { relations } from 'drizzle-orm';\n",
        "import { integer } from 'drizzle-orm/pg-core';\n")}, select="SF001")
    assert outcome.fixed[0].message == ("'drizzle-orm/pg-core' is imported twice: pgTable is imported the same way "
                                        "on line 1 already (TS2300): removed; text is imported the same way on line "
                                        "1 already (TS2300): removed")


def test_an_import_written_once_per_specifier_is_never_looked_at_for_repeats():
    files = {"schema/a.ts": "import { x } from './b';\nimport type { x as y } from './b';\nexport const z = [x];\n",
             "schema/b.ts": "export const x = 1;\n"}
    check_noop(files, select="SF001")  # same specifier twice, no binding alike


@pytest.mark.slow
def test_removing_repeated_imports_leaves_tsc_clean(tmp_path):
    from support import node_modules, write_tree

    root = write_tree(tmp_path / "app", {"schema/posts.ts": PASTED, "tsconfig.json": '{"compilerOptions": '
                      '{"strict": true, "noEmit": true, "module": "esnext", "moduleResolution": "bundler", '
                      '"skipLibCheck": true}, "include": ["**/*.ts"]}'})
    (root / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    assert "TS2300" in error_codes(tsc(root))
    assert cli_apply(root).returncode == 0
    assert error_codes(tsc(root)) == {}


def test_an_unused_name_only_a_cyclic_barrel_exports_is_not_dropped():
    files = {
        "src/db/index.ts": "export { sql, eq } from 'drizzle-orm';\nexport * from './queries';\n",
        "src/db/queries.ts": "import { sql } from './drizzle';\nexport const now = 1;\n",
    }
    outcome = check_noop(files, select="SF001")
    assert [d.fix for d in outcome.remaining] == [None]


def test_a_barrel_reaching_the_importer_through_a_chain_is_excluded():
    files = {
        "schema/index.ts": "export const version = 3;\nexport * from './billing';\n",
        "schema/billing/index.ts": "export * from './invoices';\n",
        "schema/billing/invoices.ts": "import { version } from '../meta';\nexport const invoices = version;\n",
    }
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert d.fix is None and "re-exports this file" in d.message


def test_a_definer_left_out_for_a_cycle_makes_the_other_one_only_unsafe():
    files = {
        "schema/index.ts": "export const version = 3;\nexport * from './invoices';\n",
        "lib/version.ts": "export const version = 4;\n",
        "schema/invoices.ts": "import { version } from './meta';\nexport const invoices = version;\n",
    }
    outcome = check_noop(files, select="SF001")
    [d] = outcome.remaining
    assert d.fix is not None and d.fix.applicability == Applicability.UNSAFE
    assert [e.content for e in d.fix.edits] == [b"'../lib/version'"]


def test_a_re_exporter_of_the_importer_does_not_lower_a_single_definer():
    files = {
        "schema/index.ts": "export * from './users';\nexport * from './posts';\n",
        "schema/users.ts": "export const users = 1;\n",
        "schema/posts.ts": "import { users } from './user';\nexport const posts = users;\n",
    }
    check_fix(files, {"schema/posts.ts": "import { users } from './users';\nexport const posts = users;\n"},
              select="SF001")


def test_a_namespace_import_is_not_repointed_to_a_barrel_reaching_the_importer():
    files = {
        "schema/db/relations.ts": "export * from '../tables/users';\n",
        "schema/tables/users.ts": "import * as relations from '../relations';\nexport const users = relations;\n",
    }
    outcome = check_noop(files, select="SF001")
    assert [d.fix for d in outcome.remaining] == [None]


def test_a_named_re_export_of_an_unread_module_is_trusted():
    """`export { x } from './gen'` with gen.ts unread: a.ts exports x, so an import of x
    from a.ts is healthy (it was repointed, SAFE, to another module exporting x)."""
    from pathlib import Path

    from codemod import engine

    sources = {"a.ts": b"export { x } from './gen';\n", "b.ts": b"import { x } from './a';\nexport const y = x;\n",
               "c.ts": b"export const x = 1;\n"}
    outcome = engine.run(Path("/p"), sources, opaque=frozenset({"gen.ts"}))
    assert outcome.final == outcome.original and outcome.remaining == []
