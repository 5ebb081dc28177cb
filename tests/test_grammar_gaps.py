"""Issue 11 §1, "parse what TypeScript accepts": tree-sitter-typescript 0.23.2 rejects
some valid code; schemafix masks those grammar gaps (same-length substitutions, see
codemod/parsing.py) and edits a file that still has a parse error away from the
statements that do not parse.

Every construct has: the facts (no parse error, the gap recorded, ``node.text`` still the
original), an in-memory SF001 fix in the same file, and (slow, runs node) the compiler's
word that the fixed file is valid TypeScript.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import check_fix, node_modules, run, tsc

from codemod import cli, engine
from codemod.facts import DYNAMIC, REEXPORT, TYPE, VALUE, gather_facts
from codemod.model import Applicability, Edit, Fix, Severity
from codemod.parsing import (GAP_EXPORT_TYPE_STAR, GAP_IMPORT_TYPE_ARGUMENT, GAP_IMPORT_TYPE_MEMBER_ARGUMENTS,
                             GAP_IMPORT_TYPE_ARRAY, GAP_JSX_AMPERSAND, GAP_JSX_ATTRIBUTE_AMPERSAND,
                             GAP_KEYWORD_MEMBER_NAME, GAP_USING_NAME,
                             GAP_NAME_AFTER_LINE_BREAK, GAP_TAGGED_TEMPLATE, parse_with_gaps, walk)
from codemod.project import Project
from codemod.rules import Rule, Settings

USERS = ("import { pgTable, text } from 'drizzle-orm/pg-core';\n"
         "export const users = pgTable('users', { id: text('id').primaryKey() });\n")
TYPES = "export type Role = 'admin' | 'member';\nexport interface Profile { id: string }\n"

# name -> (path, source with a broken import of `users` from './user', the gap kinds masked)
CONSTRUCTS = {
    "export-type-star": ("index.ts", (
        "export type * from './types';\n"
        "export type * as T from './types';\n"
        "export { users } from './user';\n"), [GAP_EXPORT_TYPE_STAR, GAP_EXPORT_TYPE_STAR]),
    "tagged-template-array-types": ("queries.ts", (
        "import { sql } from 'drizzle-orm';\n"
        "import { users } from './user';\n"
        "export const ids = sql<string[]>`select ${users.id} from ${users}`;\n"
        "export const rows = sql<{ id: string; n: number | null }[]>`select 1`;\n"
        "export const multi = sql<{\n  id: string;\n}[]>`select 2`;\n"
        "export const fine = sql<number>`select 3`;\n"
        "export const nested = sql<{ ids: Array<string>; by: Map<string, number[]> }[]>`select 4`;\n"),
        [GAP_TAGGED_TEMPLATE] * 4),
    "import-type-in-type-arguments": ("posts.ts", (
        "import { pgTable, text } from 'drizzle-orm/pg-core';\n"
        "import { users } from './user';\n"
        "export const posts = pgTable('posts', {\n"
        "  role: text('role').$type<import('./types').Role>().notNull(),\n"
        "  author: text('author').references(() => users.id),\n"
        "});\n"), [GAP_IMPORT_TYPE_ARGUMENT]),
    # survey l (a React Router app): a call's arguments ending in a comma on their own lines
    # after `<import(…).T | null>`, read by the grammar as less-than, err only at their end
    "import-type-in-call-type-arguments-trailing-comma": ("state.ts", (
        "import { users } from './user';\n"
        "declare function useState<T>(v: T): [T, (v: T) => void];\n"
        "export const [role, setRole] = useState<import('./types').Role | null>(\n"
        "  null,\n"
        ");\n"
        "export const same = users;\n"), [GAP_IMPORT_TYPE_ARGUMENT]),
    "import-type-member-with-type-arguments": ("mirror.ts", (  # how tsc writes a drizzle table in .d.ts output
        "import { users } from './user';\n"
        "export declare const mirror: import(\"drizzle-orm/pg-core\").PgTableWithColumns<{\n"
        "  name: 'users'; schema: undefined; columns: {}; dialect: 'pg';\n"
        "}>;\n"
        "export type Flat = import('drizzle-orm').Simplify<import('./types').Profile>;\n"
        "export const same = users;\n"), [GAP_IMPORT_TYPE_MEMBER_ARGUMENTS] * 2),
    # survey l (a bun app): `let x: import("node:fs").Dirent[]` hid the file's exports
    "import-type-array": ("entries.ts", (
        "import { users } from './user';\n"
        "export let profiles: import('./types').Profile[] = [];\n"
        "export type Grid = import(\"./types\").Profile[] [];\n"
        "export type Flat = import('drizzle-orm').Simplify<import('./types').Profile>[];\n"
        "export let names: import('drizzle-orm').Simplify<string>[] = [];\n"  # review: a plain argument between
        "export function roles(all: import('./types').Role[]): import('./types').Role[] { return all; }\n"
        "export const same = users;\n"),
        [GAP_IMPORT_TYPE_ARRAY, GAP_IMPORT_TYPE_ARRAY, GAP_IMPORT_TYPE_MEMBER_ARGUMENTS, GAP_IMPORT_TYPE_ARRAY,
         GAP_IMPORT_TYPE_MEMBER_ARGUMENTS, GAP_IMPORT_TYPE_ARRAY, GAP_IMPORT_TYPE_ARRAY, GAP_IMPORT_TYPE_ARRAY]),
    # survey l (a bun app, qdrant.ts): the grammar takes `using` for a declaration's keyword
    "using-as-a-name": ("query.ts", (
        "import { users } from './user';\n"
        "export const query = (using: string) =>\n"
        "  ({ using, limit: 1 });\n"
        "export function run(using: string): number {\n"
        "  return using.length;\n"
        "}\n"
        "let using = 0;\n"
        "using = 2;\n"
        "export const same = users;\n"), [GAP_USING_NAME] * 4),
    "jsx-ampersand": ("view.tsx", (
        "import { users } from './user';\n"
        "export const View = () => (\n"
        "  <p title=\"Tom & Jerry\">Tom & Jerry &amp; co {String(users)} & more</p>\n"
        ");\n"), [GAP_JSX_AMPERSAND, GAP_JSX_AMPERSAND]),
    # create-next-app's page.tsx writes `&` in an href; the grammar's JSX string takes
    # `&` only before a byte that is not `#`, a letter or the closing quote
    "jsx-attribute-ampersand": ("page.tsx", (
        "import { users } from './user';\n"
        "export const Page = () => (\n"
        "  <a href=\"https://x.dev/?utm_source=app&utm_medium=default\" title=\"R&\" data-n=\"&#12\">\n"
        "    <img src='/logo/b&w/x.png' alt={String(users)} />\n"
        "  </a>\n"
        ");\n"), [GAP_JSX_ATTRIBUTE_AMPERSAND] * 4),
    # the grammar's jsx_text takes no `&`: next to `&&` and after a character reference
    "jsx-text-ampersands": ("text.tsx", (
        "import { users } from './user';\n"
        "export const Text = () => (\n"
        "  <p>a&&b x&nbsp;&y z&amp;&w {String(users)} &frac12;</p>\n"
        ");\n"), [GAP_JSX_AMPERSAND] * 5),
    # a `;` in the text on either side of the `&` (a dialog's prose, seen on an Electron app)
    "jsx-text-ampersand-beside-semicolons": ("dialog.tsx", (
        "import { users } from './user';\n"
        "export const Dialog = () => (\n"
        "  <p>Choose \"Restore code & fork chat\" to roll back; \"Fork\" leaves {String(users)} it.\n"
        "    First; then a & b</p>\n"
        ");\n"), [GAP_JSX_AMPERSAND] * 2),
    # the grammar reads `abstract` / `accessor` as the modifier; and its scanner puts no
    # `;` at a line break before `in` followed by anything but a letter
    "keyword-member-names": ("params.ts", (
        "import { users } from './user';\n"
        "export interface A { abstract: string }\n"
        "export type Param = {\n"
        "  name: string\n"
        "  in: 'header' | 'query'\n"
        "}\n"
        "export class Holder {\n"
        "  accessor = users\n"
        "  abstract?: number\n"
        "}\n"), [GAP_KEYWORD_MEMBER_NAME] * 4),
    "names-after-line-break": ("widget.ts", (
        "import { users } from './user';\n"
        "interface Item { id: string }\n"
        "export interface Widget {\n"
        "  ongoing: Item[]\n"
        "  in_progress: Item[]\n"
        "  // counted\n"
        "  in2: number\n"
        "}\n"
        "export type Status = 'up' | 'down'\n"
        "export const table = users\n"
        "in_use()\n"
        "function in_use() { return 1 }\n"), [GAP_NAME_AFTER_LINE_BREAK] * 3),
}


def _project(name: str) -> dict[str, str]:
    path, source, _ = CONSTRUCTS[name]
    return {"users.ts": USERS, "types.ts": TYPES, path: source}


# --- each construct: tree-sitter really fails there, and the mask is exactly that ---


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_grammar_really_fails_without_the_mask(name):
    from codemod.parsing import _parser, language_for

    path, source, _ = CONSTRUCTS[name]
    assert _parser(language_for(path)).parse(source.encode()).root_node.has_error


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_construct_parses_with_its_gaps_masked(name):
    path, source, kinds = CONSTRUCTS[name]
    data = source.encode()
    tree, gaps = parse_with_gaps(path, data)
    assert not tree.root_node.has_error
    assert [g.kind for g in gaps] == kinds
    facts = gather_facts(path, data)
    assert not facts.has_error and facts.parse_errors == ()
    # the tree's text is the original, not the masked bytes
    assert tree.root_node.text == data
    for node in walk(tree.root_node):
        assert node.text == data[node.start_byte:node.end_byte]
    assert all(data[g.start:g.end].strip() for g in gaps)  # something real was masked


def test_masks_keep_line_numbers():
    src = b"const a = sql<{\n  id: string;\n}[]>`x`;\nexport const after = 1;\n"
    [decl] = [d for d in gather_facts("m.ts", src).declarations if d.name == "after"]
    assert decl.line == 4


@pytest.mark.parametrize("src", [
    "export * from './x';\n",
    "export type { A } from './x';\n",
    "const q = sql<number>`x`;\n",
    "const q = sql<Record<string, number>>`x`;\n",
    "const t = f<string[]>();\n",
    "type A = import('./x').T;\n",
    "const a = b < c;\nconst d = e > f;\nconst g = x`y`;\n",
])
def test_no_mask_where_the_grammar_copes(src):
    tree, gaps = parse_with_gaps("m.ts", src.encode())
    assert not tree.root_node.has_error and gaps == ()


def test_jsx_attribute_ampersand_needs_no_mask():
    tree, gaps = parse_with_gaps("v.tsx", b"const a = <p title=\"a & b\">x &amp; y</p>;\n")
    assert not tree.root_node.has_error and gaps == ()


def test_genuine_errors_are_not_masked():
    for path, src in [("m.ts", b"export type * from;\n"), ("m.ts", b"const q = sql<string[>`x`;\n"),
                      ("m.tsx", b"const a = <p>x</p> & ;\n"),
                      ("m.tsx", b"type A = B & ;\nconst a = <p>x</p>;\n")]:
        facts = gather_facts(path, src)
        assert facts.has_error, src


# Each is a real syntax error (tsc rejects it) beside or inside one of the constructs
# masked by the byte and letter masks: the mask is refused where the masked parse does
# not read the construct, and the statement is still reported.
GENUINE_NEXT_TO_A_CONSTRUCT = {
    "code-string-not-an-attribute": ("m.tsx", b'const s = "a&b" +;\n', 1),
    "attribute-string-left-open": ("m.tsx", b'export const A = <a href="a&b>x</a>;\n', 1),
    "error-inside-the-element": ("m.tsx", b'export const A = () => <a href="a&b">{</a>;\n', 1),
    "comparison-not-jsx-text": ("m.tsx", b"const x = a > b && c < d junk;\nconst A = <p>a&&b</p>;\n", 1),
    "in-label-not-a-member": ("m.ts", b"const x = 1\nin: 3\n", 1),
    # TypeScript reads `1\n in = 2` in a class as one expression: not a member named `in`
    "in-after-an-initializer": ("m.ts", b"class D {\n  x = 1\n  in: number = 2\n}\n", 2),
    "member-with-no-type": ("m.ts", b"interface A { abstract: }\n", 1),
    "broken-member-after-in-name": ("m.ts", b"interface A {\n  x: number\n  in_x: string\n  y: = 3\n}\n", 1),
}


@pytest.mark.parametrize("name", sorted(GENUINE_NEXT_TO_A_CONSTRUCT))
def test_genuine_error_next_to_a_masked_construct_is_reported(name):
    path, src, line = GENUINE_NEXT_TO_A_CONSTRUCT[name]
    facts = gather_facts(path, src)
    assert facts.has_error and len(facts.parse_errors) == 1, facts.parse_errors
    assert facts.error_line >= line


def test_genuine_error_beside_masked_jsx_is_the_only_note():
    src = 'export const A = () => <a href="https://x.dev/?a=1&b=2">x &&y</a>;\nconst y = (;\n'
    [note] = gather_facts("m.tsx", src.encode()).parse_errors
    assert (note.line, note.statement) == (2, "const y = (;")


def test_masks_refused_in_code():
    """`a > b && c < d` passes the byte test for JSX text and `s = "a&b"` the one for
    an attribute string: the masked parse does not read them so, and nothing is masked."""
    for path, src in [("m.tsx", b"const x = a > b && c < d junk;\n"), ("m.tsx", b'const s = "a&b" +;\n'),
                      ("m.ts", b"class D {\n  x = 1\n  in: number = 2\n}\n")]:
        _, gaps = parse_with_gaps(path, src)
        assert gaps == (), (src, gaps)


def test_a_mask_refused_while_others_were_missing_is_tried_again():
    """The last `&` is refused in the first round (the parse around it is still off
    until the earlier masks are in) and kept in a later one: valid TSX, no note."""
    src = (b'export const M1 = () => <a href="&">x</a>;\n'
           b"export const M2 = () => <a href=\"a&#12\" title='R&D'>x</a>;"
           b"export const M3 = () => <p>R&D a&=b {1}&{2} &&</p>;\n"
           b'export const M4 = () => <a href="x&b\nc">x</a>;\n')
    tree, gaps = parse_with_gaps("m.tsx", src)
    assert not tree.root_node.has_error
    assert src[gaps[-1].start:gaps[-1].start + 3] == b"&b\n"


def test_no_mask_before_a_word_typescript_joins_to_the_next_line():
    """`let` then `in_x` on the next line is `let in_x` to TypeScript: the masked parse
    would end the statement after `let`, so that name is left alone."""
    from codemod.parsing import _names_after_line_break

    assert _names_after_line_break(b"let\nin_x = 1\n", lambda s, e: True) == []
    assert [g.kind for g in _names_after_line_break(b"f()\nin_x = 1\n", lambda s, e: True)] == [
        GAP_NAME_AFTER_LINE_BREAK]


def test_in_names_after_a_line_break_and_a_comment():
    src = b"interface W {\n  a: string\n  /* note */ in_b: string\n  // more\n\n  in?: number\n}\nexport const z = 1\n"
    tree, gaps = parse_with_gaps("w.ts", src)
    assert not tree.root_node.has_error
    assert [(g.kind, src[g.start:g.start + 4]) for g in gaps] == [
        (GAP_NAME_AFTER_LINE_BREAK, b"in_b"), (GAP_KEYWORD_MEMBER_NAME, b"in?:")]


# survey case 4: an interface written without semicolons, a member named `in_...`
WIDGET = ("interface Item { id: string }\nexport interface Widget {\n  ongoing: Item[]\n"
          "  in_progress: Item[]\n}\nexport type Status = 'up' | 'down'\n")


def test_the_exports_after_an_interface_with_an_in_name_are_seen():
    """`in_progress` on its own line broke the interface, and the export after it was
    lost from the file's exports."""
    facts = gather_facts("widget.ts", WIDGET.encode())
    assert [e.name for e in facts.exports] == ["Widget", "Status"] and facts.parse_errors == ()


def test_an_import_of_a_name_after_an_in_member_is_not_broken():
    """Without the mask SF001 called `Status` exported by no module, and with another
    module exporting a `Status` it offered a safe fix repointing the import there."""
    files = {
        "widget.ts": WIDGET,
        "other.ts": "export type Status = 'on' | 'off';\n",
        "use.ts": "import type { Status } from './widget';\nexport const s: Status = 'up';\n",
    }
    outcome = run(files)
    assert outcome.remaining == [] and outcome.changed == [] and outcome.problems == []


# --- facts and the export map ----------------------------------------------------------


def test_export_type_star_facts():
    f = gather_facts("index.ts", b"export type * from './x';\nexport type * as ns from './y';\nexport * from './z';\n")
    star, ns, plain = f.imports
    assert (star.kind, star.specifier, star.type_only, star.star) == (REEXPORT, "./x", True, True)
    assert (ns.specifier, ns.type_only, ns.star) == ("./y", True, False)
    assert [(e.imported, e.local, e.type_only) for e in ns.entries] == [("*", "ns", True)]
    assert (plain.specifier, plain.type_only, plain.star) == ("./z", False, True)


def test_masked_import_type_is_still_a_module_reference():
    src = b"const t = text('r').$type<import('./types').Role>();\nconst s = sql<import(\"./q\").Row[]>`x`;\n"
    f = gather_facts("m.ts", src)
    sites = [(s.kind, s.specifier, src[s.spec_start:s.spec_end], s.line) for s in f.imports]
    assert sites == [(DYNAMIC, "./types", b"'./types'", 1), (DYNAMIC, "./q", b'"./q"', 2)]
    # the same sites as an import type the grammar parses
    clean = gather_facts("m.ts", b"type R = import('./types').Role;\n")
    assert [(s.kind, s.specifier) for s in clean.imports] == [(DYNAMIC, "./types")]


def _names(files: dict[str, str], module: str):
    exports = Project.build(Path("/p"), {p: s.encode() for p, s in files.items()}).exports
    return {n: (b.origin, b.kind) for n, b in exports.names(module).items()}, exports.ambiguous(module)


def test_export_type_star_brings_every_name_as_a_type():
    names, ambiguous = _names({
        "index.ts": "export type * from './leaf';\nexport type * as ns from './leaf';\n",
        "leaf.ts": "export const a = 1;\nexport type T = string;\nexport default 1;\n",
    }, "index.ts")
    assert names == {"a": ("leaf.ts", TYPE), "T": ("leaf.ts", TYPE), "ns": ("index.ts", TYPE)}
    assert ambiguous == {}


def test_export_type_star_through_a_chain():
    names, _ = _names({
        "index.ts": "export * from './mid';\n",
        "mid.ts": "export type * from './leaf';\nexport const m = 1;\n",
        "leaf.ts": "export const a = 1;\n",
    }, "index.ts")
    assert names == {"a": ("leaf.ts", TYPE), "m": ("mid.ts", VALUE)}


def test_value_and_type_star_of_one_origin_is_not_ambiguous():
    names, ambiguous = _names({
        "index.ts": "export * from './leaf';\nexport type * from './leaf';\n",
        "leaf.ts": "export const a = 1;\nexport type T = string;\n",
    }, "index.ts")
    assert names == {"a": ("leaf.ts", VALUE), "T": ("leaf.ts", TYPE)} and ambiguous == {}


def test_type_star_of_two_origins_is_ambiguous():
    _, ambiguous = _names({
        "index.ts": "export type * from './a';\nexport type * from './b';\n",
        "a.ts": "export const x = 1;\n",
        "b.ts": "export const x = 2;\n",
    }, "index.ts")
    assert set(ambiguous) == {"x"}


# --- SF001 fixes a broken import in a file with each construct ------------------------


def _fixed_source(name: str) -> str:
    path, source, _ = CONSTRUCTS[name]
    return source.replace("from './user'", "from './users'")


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_broken_import_fixed_next_to_the_construct(name):
    path, _, _ = CONSTRUCTS[name]
    outcome = check_fix(_project(name), {path: _fixed_source(name)}, select="SF001")
    assert outcome.problems == []


def test_barrel_with_export_type_star_is_completed():
    # was "analysed, never edited": such a barrel could never be completed (SF005)
    head = "import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
    files = {"schema/types.ts": TYPES}
    for t in ("users", "posts"):
        files[f"schema/{t}.ts"] = head + f"export const {t} = pgTable('{t}', {{ id: serial('id').primaryKey() }});\n"
        files[f"schema/{t}-relations.ts"] = (
            f"import {{ relations }} from 'drizzle-orm';\nimport {{ {t} }} from './{t}';\n"
            f"export const {t}Relations = relations({t}, () => ({{}}));\n")
    barrel = ("export type * from './types';\nexport * from './users';\nexport * from './posts';\n"
              "export * from './users-relations';\n")
    files["schema/index.ts"] = barrel
    check_fix(files, {"schema/index.ts": barrel + "export * from './posts-relations';\n"}, select="SF005")


# --- a genuine parse error: edited elsewhere, reported once as a note -------------------

WITH_ERROR = (
    "import { users } from './user';\n"
    "export const a = users;\n"
    "\n"
    "export function f() {\n"
    "  return (;\n"
    "}\n"
    "export const b = 2;\n"
)


def test_parse_error_far_away_does_not_stop_the_import_fix():
    outcome = run({"users.ts": USERS, "a.ts": WITH_ERROR}, select="SF001")
    assert outcome.final["a.ts"].decode() == WITH_ERROR.replace("'./user'", "'./users'")
    [note] = outcome.problems
    assert (note.path, note.line, note.column, note.severity) == ("a.ts", 5, 10, Severity.INFO)
    assert note.message == "parse error in statement: export function f() {"


def test_parse_error_note_does_not_fail_the_run(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    root.mkdir()
    monkeypatch.chdir(root)
    for rel, text in {"tsconfig.json": "{}", "users.ts": USERS, "a.ts": WITH_ERROR}.items():
        (root / rel).write_text(text)
    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "parse error" in line]
    assert notes == ["a.ts:5:10: SF000 info: parse error in statement: export function f() {"]
    assert (root / "a.ts").read_text() == WITH_ERROR.replace("'./user'", "'./users'")
    # a dry run of the fixed project: only the note, exit 0
    again = CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "1 note" in again.stderr


def test_import_in_a_statement_that_does_not_parse_is_not_fixed():
    src = "import { users } from './user' junk junk;\nexport const a = users;\n"
    outcome = run({"users.ts": USERS, "a.ts": src}, select="SF001")
    assert outcome.final["a.ts"].decode() == src
    for d in outcome.remaining:  # shown means applied: an unfixed diagnostic says why
        assert d.fix is None


def _rule(check) -> Rule:
    return Rule("SF999", "test-rule", "a rule defined by the test", Applicability.SAFE, check)


def test_pass_reverted_only_for_a_new_parse_error():
    src = b"const a = 1;\nconst b = (;\nconst c = 3;\n"

    def breaks_c(ctx):
        f = ctx.project.files["a.ts"]
        at = f.data.find(b"= 3")
        if at >= 0:
            yield ctx.diagnostic("SF999", f, at, "x", fix=Fix("x", (Edit("a.ts", at, at + 3, b"= (3"),)))

    out = engine.run(Path("/p"), {"a.ts": src}, rules=[_rule(breaks_c)], settings=Settings())
    assert out.final["a.ts"] == src
    assert any("would introduce a syntax error at line 3" in p.message for p in out.problems)

    def edits_c(ctx):
        f = ctx.project.files["a.ts"]
        at = f.data.find(b"= 3;")
        if at >= 0:
            yield ctx.diagnostic("SF999", f, at, "x", fix=Fix("x", (Edit("a.ts", at, at + 3, b"= 4"),)))

    out = engine.run(Path("/p"), {"a.ts": src}, rules=[_rule(edits_c)], settings=Settings())
    assert out.final["a.ts"] == b"const a = 1;\nconst b = (;\nconst c = 4;\n"
    assert [p.severity for p in out.problems] == [Severity.INFO]


# --- the compiler's word (runs node) -------------------------------------------------

TSCONFIG = {"compilerOptions": {"strict": True, "noEmit": True, "target": "ES2022", "module": "ESNext",
                                "moduleResolution": "Bundler", "jsx": "preserve", "skipLibCheck": True},
            "include": ["*.ts", "*.tsx"]}
JSX_TYPES = "declare namespace JSX { interface IntrinsicElements { [name: string]: unknown } }\n"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_tsc_accepts_the_fixed_construct(name, tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    files = {**_project(name), "tsconfig.json": json.dumps(TSCONFIG), "jsx.d.ts": JSX_TYPES}
    for rel, text in files.items():
        (root / rel).write_text(text)
    (root / "node_modules").symlink_to(node_modules(), target_is_directory=True)
    before = tsc(root)
    assert {e["code"] for e in before} == {"TS2307"}, before  # only the broken import
    result = CliRunner().invoke(cli.main, ["--apply", "--select", "SF001", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = CONSTRUCTS[name][0]
    assert (root / path).read_text() == _fixed_source(name)
    assert tsc(root) == []


def test_import_types_in_masked_member_type_arguments_are_module_references():
    """tsc's .d.ts output nests import types: the outer one stays in the tree, the ones in
    the masked type arguments are recorded from the bytes."""
    src = (b'export declare const t: import("drizzle-orm/pg-core").PgTableWithColumns<{\n'
           b'    columns: { id: import("drizzle-orm/pg-core").PgColumn<{ name: "id" }, {}, {}>; };\n'
           b'}>;\n'
           b"export type F = import('./a').Box<import('./b').Item>;\n")
    tree, gaps = parse_with_gaps("t.d.ts", src)
    assert not tree.root_node.has_error
    assert {g.kind for g in gaps} == {GAP_IMPORT_TYPE_MEMBER_ARGUMENTS}
    f = gather_facts("t.d.ts", src)
    assert [(s.kind, s.specifier, s.line) for s in f.imports] == [
        (DYNAMIC, "drizzle-orm/pg-core", 1), (DYNAMIC, "drizzle-orm/pg-core", 2), (DYNAMIC, "./a", 4),
        (DYNAMIC, "./b", 4)]


def test_an_import_written_in_a_comment_or_a_string_of_a_masked_span_is_not_one():
    """Masked spans are read from their bytes: only code counts (a review found a comment
    `// was import('./old-types').Legacy` reported as a broken dynamic import)."""
    src = (b"export type X = import('./types').Meta<{\n"
           b"  // formerly import('./nope').Meta\n"
           b"  /* import('./gone') */ a: 'import(\"./str\")';\n"
           b"  b: import('./real').R;\n"
           b"}>;\n")
    tree, gaps = parse_with_gaps("x.ts", src)
    assert not tree.root_node.has_error and gaps
    assert [s.specifier for s in gather_facts("x.ts", src).imports] == ["./types", "./real"]


def test_a_comment_in_masked_type_arguments_is_no_problem_for_the_run():
    files = {"schema/types.ts": "export type Meta<T> = { inner: T };\n",
             "schema/users.ts": ("import { jsonb, pgTable, serial } from 'drizzle-orm/pg-core';\n"
                                 "export const users = pgTable('users', {\n"
                                 "  id: serial('id').primaryKey(),\n"
                                 "  meta: jsonb('meta').$type<import('./types').Meta<{\n"
                                 "    a: string; // was import('./old-types').Legacy\n"
                                 "    b: Array<number>;\n"
                                 "  }>>(),\n"
                                 "});\n")}
    outcome = run(files)
    assert [d for d in outcome.remaining if d.code == "SF001"] == [] and outcome.changed == []


def test_brackets_after_an_import_in_a_value_stay_the_files_own_error():
    """`import('x').then[]` is an element access without an index (TS1011): only a type's
    `[]` is masked, so the statement is still reported."""
    tree, gaps = parse_with_gaps("a.ts", b"const v = import('./types').then[];\nexport const w = 1;\n")
    assert gaps == () and tree.root_node.has_error


def test_a_using_declaration_is_no_gap():
    """`using res = open()` is TypeScript 5.2's declaration, which the grammar reads: the
    name after it is no `using` name to mask."""
    source = b"declare function open(): Disposable;\nexport function f() {\n  using res = open();\n}\n"
    tree, gaps = parse_with_gaps("a.ts", source)
    assert gaps == () and not tree.root_node.has_error
