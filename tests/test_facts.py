"""Per-file facts: one named case for every export and import form of issue 2."""

from __future__ import annotations


import pytest

from codemod.facts import DYNAMIC, IMPORT, REEXPORT, REQUIRE, TYPE, VALUE, gather_facts
from codemod.parsing import parse


def facts(src: str, path: str = "m.ts"):
    return gather_facts(path, src.encode("utf-8"))


# --- exports -----------------------------------------------------------------------

EXPORT_FORMS = [
    ("const", "export const a = 1;", [("a", VALUE)]),
    ("let", "export let a = 1, b = 2;", [("a", VALUE), ("b", VALUE)]),
    ("var", "export var a = 1;", [("a", VALUE)]),
    ("const-object-destructuring", "export const { a, b: c, ...d } = obj;", [("a", VALUE), ("c", VALUE), ("d", VALUE)]),
    ("const-array-destructuring", "export const [e, , f = 1] = arr;", [("e", VALUE), ("f", VALUE)]),
    ("function", "export function f() {}", [("f", VALUE)]),
    ("async-function", "export async function f() {}", [("f", VALUE)]),
    ("generator-function", "export function* g() {}", [("g", VALUE)]),
    ("class", "export class C {}", [("C", VALUE)]),
    ("abstract-class", "export abstract class C {}", [("C", VALUE)]),
    ("interface", "export interface I { x: number }", [("I", TYPE)]),
    ("type-alias", "export type T = string;", [("T", TYPE)]),
    ("enum", "export enum E { A }", [("E", VALUE)]),
    ("const-enum", "export const enum E { A }", [("E", VALUE)]),
    ("namespace", "export namespace N { export const x = 1; }", [("N", VALUE)]),
    ("module-keyword", "export module M { }", [("M", VALUE)]),
    ("declare-const", "export declare const x: number;", [("x", VALUE)]),
    ("declare-function", "export declare function f(): void;", [("f", VALUE)]),
    ("declare-class", "export declare class C {}", [("C", VALUE)]),
    ("declare-namespace", "export declare namespace N {}", [("N", VALUE)]),
    ("declare-interface", "export declare interface I {}", [("I", TYPE)]),
    ("declare-type", "export declare type T = string;", [("T", TYPE)]),
    ("default-expression", "export default 42;", [("default", VALUE)]),
    ("default-identifier", "const a = 1;\nexport default a;", [("default", VALUE)]),
    ("default-named-function", "export default function f() {}", [("default", VALUE)]),
    ("default-async-function", "export default async function f() {}", [("default", VALUE)]),
    ("default-anonymous-class", "export default class {}", [("default", VALUE)]),
    ("default-named-class", "export default class C {}", [("default", VALUE)]),
    ("default-interface", "export default interface I {}", [("default", TYPE)]),
    ("local-list", "const a = 1, b = 2;\nexport { a, b as c };", [("a", VALUE), ("c", VALUE)]),
    ("type-list", "type T = 1;\nexport type { T };", [("T", TYPE)]),
    ("inline-type-in-list", "type T = 1;\nconst a = 1;\nexport { type T, a };", [("T", TYPE), ("a", VALUE)]),
    ("export-import-require", "export import x = require('./m');", [("x", VALUE)]),
    ("export-import-alias", "namespace A { export const B = 1; }\nexport import Y = A.B;", [("Y", VALUE)]),
    ("export-equals", "const x = 1;\nexport = x;", [("=", VALUE)]),
]


@pytest.mark.parametrize("src, expected", [pytest.param(s, e, id=i) for i, s, e in EXPORT_FORMS])
def test_export_forms(src, expected):
    f = facts(src)
    assert not f.has_error, f"parse error at line {f.error_line}"
    assert [(e.name, e.kind) for e in f.exports] == expected


def test_export_span_is_whole_statement():
    src = "const x = 1;\nexport const a = 1, b = 2;\n"
    f = facts(src)
    stmt = "export const a = 1, b = 2;"
    start = src.index(stmt)
    assert {(e.start, e.end) for e in f.exports} == {(start, start + len(stmt))}


def test_export_list_records_local_name():
    f = facts("const a = 1;\nexport { a as b };")
    assert [(e.name, e.local) for e in f.exports] == [("b", "a")]


def test_reexports_are_import_sites_not_exports():
    f = facts("export { a } from './m';\nexport * from './n';")
    assert f.exports == ()
    assert [s.kind for s in f.imports] == [REEXPORT, REEXPORT]


# --- import sites ------------------------------------------------------------------

def _entries(site):
    return [(e.imported, e.local, e.type_only) for e in site.entries]


IMPORT_FORMS = [
    ("default", "import a from './m';", IMPORT, [("default", "a", False)]),
    ("named", "import { a } from './m';", IMPORT, [("a", "a", False)]),
    ("named-alias", "import { a as b } from './m';", IMPORT, [("a", "b", False)]),
    ("string-name", "import { 'a-b' as ab } from './m';", IMPORT, [("a-b", "ab", False)]),
    ("namespace", "import * as ns from './m';", IMPORT, [("*", "ns", False)]),
    ("default-and-named", "import d, { a } from './m';", IMPORT, [("default", "d", False), ("a", "a", False)]),
    ("default-and-namespace", "import d, * as ns from './m';", IMPORT, [("default", "d", False), ("*", "ns", False)]),
    ("import-type", "import type { T } from './m';", IMPORT, [("T", "T", True)]),
    ("import-type-default", "import type D from './m';", IMPORT, [("default", "D", True)]),
    ("import-type-namespace", "import type * as ns from './m';", IMPORT, [("*", "ns", True)]),
    ("inline-type-specifier", "import { type T, a } from './m';", IMPORT, [("T", "T", True), ("a", "a", False)]),
    ("side-effect", "import './m';", IMPORT, []),
    ("import-require", "import x = require('./m');", REQUIRE, [("=", "x", False)]),
    ("export-import-require", "export import x = require('./m');", REQUIRE, [("=", "x", False)]),
    ("reexport-named", "export { a } from './m';", REEXPORT, [("a", "a", False)]),
    ("reexport-rename", "export { a as b } from './m';", REEXPORT, [("a", "b", False)]),
    ("reexport-default-as", "export { default as d } from './m';", REEXPORT, [("default", "d", False)]),
    ("reexport-type", "export type { T } from './m';", REEXPORT, [("T", "T", True)]),
    ("reexport-inline-type", "export { type T, a } from './m';", REEXPORT, [("T", "T", True), ("a", "a", False)]),
    ("export-star", "export * from './m';", REEXPORT, [("*", None, False)]),
    ("export-star-as", "export * as ns from './m';", REEXPORT, [("*", "ns", False)]),
    ("dynamic", "const m = import('./m');", DYNAMIC, []),
    ("dynamic-await", "async function f() { return await import('./m'); }", DYNAMIC, []),
]


@pytest.mark.parametrize("src, kind, entries", [pytest.param(s, k, e, id=i) for i, s, k, e in IMPORT_FORMS])
def test_import_forms(src, kind, entries):
    f = facts(src)
    assert not f.has_error, f"parse error at line {f.error_line}"
    (site,) = f.imports
    assert site.kind == kind
    assert site.specifier == "./m"
    assert src[site.spec_start:site.spec_end] == "'./m'"
    assert _entries(site) == entries


@pytest.mark.parametrize("src, braces, comment", [
    pytest.param("import { a, b } from './m';", "{ a, b }", False, id="named"),
    pytest.param("import d, {\n  a, // the table\n} from './m';", "{\n  a, // the table\n}", True, id="default-and-named"),
    pytest.param("import {} from './m';", "{}", False, id="empty"),
    pytest.param("import {/* c */} from './m';", "{/* c */}", True, id="comment-only"),
    pytest.param("export { a as b } from './m';", "{ a as b }", False, id="reexport"),
    pytest.param("/* before */ import { a } from './m'; // after", "{ a }", False, id="comments-outside"),
    pytest.param("import d from './m';", None, False, id="default"),
    pytest.param("import * as ns from './m';", None, False, id="namespace"),
    pytest.param("export * from './m';", None, False, id="star"),
    pytest.param("import './m';", None, False, id="side-effect"),
    pytest.param("const m = import('./m');", None, False, id="dynamic"),
])
def test_the_braces_of_a_site_and_comments_between_them(src, braces, comment):
    """What the import editor reads of a statement's braces is a fact of the file: no
    tree is parsed to add a name or to see a comment between them."""
    (site,) = facts(src).imports
    data = src.encode()
    assert (data[site.braces[0]:site.braces[1]].decode() if site.braces else None) == braces
    assert site.braces_comment is comment


def test_side_effect_only_flag():
    (plain,) = facts("import './m';").imports
    (named,) = facts("import { a } from './m';").imports
    assert plain.side_effect_only and not named.side_effect_only


@pytest.mark.parametrize("src, type_only", [
    pytest.param("import type { T } from './m';", True, id="import-type"),
    pytest.param("import { type T } from './m';", False, id="inline-type-only-on-entry"),
    pytest.param("export type { T } from './m';", True, id="export-type-from"),
    pytest.param("import { T } from './m';", False, id="plain"),
])
def test_site_type_only(src, type_only):
    (site,) = facts(src).imports
    assert site.type_only is type_only


def test_star_property():
    star, star_as, named = facts("export * from './a';\nexport * as ns from './b';\nexport { x } from './c';").imports
    assert star.star and not star_as.star and not named.star


def test_import_site_span_and_line():
    src = "const x = 1;\n\nimport { a } from './m';\n"
    (site,) = facts(src).imports
    assert src[site.start:site.end] == "import { a } from './m';"
    assert site.line == 3


def test_export_import_require_spans_both_grammar_halves():
    # tree-sitter-typescript splits this statement in two; the site covers both.
    src = "export import x = require('./m');\nconst y = 1;\n"
    f = facts(src)
    assert f.error_line is None
    (site,) = f.imports
    assert src[site.start:site.end] == "export import x = require('./m');"


def test_import_sites_in_source_order():
    src = "export * from './c';\nimport { a } from './a';\nconst m = import('./d');\nimport b = require('./b');\n"
    assert [s.specifier for s in facts(src).imports] == ["./c", "./a", "./d", "./b"]


def test_unicode_offsets_are_bytes():
    src = "// héllo wörld ✓\nimport { a } from './m';\n"
    data = src.encode("utf-8")
    (site,) = gather_facts("m.ts", data).imports
    assert data[site.spec_start:site.spec_end] == b"'./m'"


# --- declarations -------------------------------------------------------------------

DECLARATION_FORMS = [
    ("const", "const a = 1;", [("a", "const", False)]),
    ("let-two", "let a, b;", [("a", "let", False), ("b", "let", False)]),
    ("var", "var a;", [("a", "var", False)]),
    ("function", "function f() {}", [("f", "function", False)]),
    ("class", "class C {}", [("C", "class", False)]),
    ("interface", "interface I {}", [("I", "interface", False)]),
    ("type", "type T = 1;", [("T", "type", False)]),
    ("enum", "enum E { A }", [("E", "enum", False)]),
    ("const-enum", "const enum E { A }", [("E", "const enum", False)]),
    ("namespace", "namespace N { }", [("N", "namespace", False)]),
    ("exported-const", "export const a = 1;", [("a", "const", True)]),
    ("exported-destructuring", "export const { a, b } = o;", [("a", "const", True), ("b", "const", True)]),
    ("exported-namespace", "export namespace N { }", [("N", "namespace", True)]),
]


@pytest.mark.parametrize("src, expected", [pytest.param(s, e, id=i) for i, s, e in DECLARATION_FORMS])
def test_top_level_declarations(src, expected):
    f = facts(src)
    assert [(d.name, d.keyword, d.exported) for d in f.declarations] == expected


def test_nested_declarations_are_not_top_level():
    f = facts("function f() { const inner = 1; }\nconst outer = () => { let x; };")
    assert [d.name for d in f.declarations] == ["f", "outer"]


def test_declaration_span_includes_export_and_line():
    src = "// c\nexport const a = relations(t, () => ({\n  x: 1,\n}));\n"
    (decl,) = facts(src).declarations
    assert src[decl.start:decl.end] == src[src.index("export"):].rstrip("\n")
    assert decl.line == 2


def test_duplicate_declarations_both_reported():
    src = "export const r = 1;\nexport const r = 2;\n"
    decls = facts(src).declarations
    assert [(d.name, d.line) for d in decls] == [("r", 1), ("r", 2)]


def test_ambient_and_overloads_are_marked():
    src = "declare const x: number;\nexport function f(a: string): void;\nexport function f(a: any) {}\n"
    decls = facts(src).declarations
    assert [(d.name, d.ambient) for d in decls] == [("x", True), ("f", True), ("f", False)]


# --- parse errors and grammars -----------------------------------------------------

def test_clean_file_has_no_error():
    f = facts("export const a = 1;\n")
    assert not f.has_error and f.error_line is None


def test_syntax_error_line():
    f = facts("export const a = 1;\n\nexport const b = (;\n")
    assert f.has_error
    assert f.error_line == 3


def test_missing_token_is_an_error():
    f = facts("export const a = { x: 1;\n")
    assert f.has_error


def test_export_import_require_is_not_a_syntax_error():
    # The grammar quirk workaround in parsing.py must not hide a real MISSING node.
    assert not facts("export import x = require('./m');\n").has_error
    assert facts("export import x = require('./m');\nconst = ;\n").has_error


JSX = "export const A = () => <div className=\"x\">{1}</div>;\n"


def test_tsx_parsed_with_tsx_grammar():
    f = facts(JSX, path="c.tsx")
    assert not f.has_error
    assert [e.name for e in f.exports] == ["A"]


def test_jsx_in_ts_file_is_an_error():
    assert facts(JSX, path="c.ts").has_error


def test_angle_bracket_cast_parses_in_ts():
    assert not facts("const a = <number>b;\n", path="c.ts").has_error


@pytest.mark.parametrize("path", ["m.mts", "m.cts", "m.d.ts"])
def test_other_suffixes_use_typescript_grammar(path):
    f = facts("export declare const a: number;\nexport type T = 1;\n", path=path)
    assert not f.has_error
    assert [e.name for e in f.exports] == ["a", "T"]


# --- purity: facts depend on (path, bytes) only -----------------------------------------

PURE_A = (b"import d, { a, type T } from './m';\nimport * as ns from './ns';\nconst r = require('./r');\n"
          b"export { a as b } from './m';\nexport * from './star';\nexport const c = a, [e] = [1];\n"
          b"export function f() { return import('./lazy'); }\nexport type U = T;\nexport default d;\n")
PURE_B = (b"import { z } from './other';\nexport class K {}\nexport interface I { k: K }\n"
          b"export = z;\nconst broken = (;\n")  # a parse error, other kinds of export
PURE_TSX = b"import { h } from './h';\nexport const V = () => <div>{h}</div>;\n"


def test_facts_are_pure():
    """The same (path, bytes) give equal facts however often they are gathered, whatever
    was parsed before or in between (other bytes under the same path, a .tsx file, a file
    with a parse error), and whether the tree is parsed afresh or handed in and reused."""
    fresh_a = gather_facts("m.ts", PURE_A)
    fresh_b = gather_facts("m.ts", PURE_B)
    # not vacuous: the inputs give different, non-empty facts
    assert fresh_a != fresh_b
    assert fresh_a.exports and fresh_a.imports and fresh_a.declarations and not fresh_a.has_error
    assert fresh_b.exports and fresh_b.has_error

    # order does not matter: A after B (same path), after a .tsx file, after itself
    gather_facts("m.ts", PURE_B)
    gather_facts("v.tsx", PURE_TSX)
    assert gather_facts("m.ts", PURE_A) == fresh_a
    assert gather_facts("m.ts", PURE_A) == fresh_a
    assert gather_facts("m.ts", PURE_B) == fresh_b
    assert gather_facts("x/other.ts", PURE_A) == fresh_a._replace(path="x/other.ts")

    # a tree parsed once and reused gives the facts of a fresh parse, and stays unchanged
    tree = parse("m.ts", PURE_A)
    before = str(tree.root_node)
    assert gather_facts("m.ts", PURE_A, tree) == fresh_a
    gather_facts("m.ts", PURE_B)
    assert gather_facts("m.ts", PURE_A, tree) == fresh_a
    assert str(tree.root_node) == before


def test_names_and_specifiers_are_one_string_across_files():
    """Facts hold each name and specifier interned: the facts of a large project repeat
    the same few (187,634 strings of 30,926 values at 4,993 files)."""
    a = gather_facts("a.ts", b"import { pgTable } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', {});\n")
    b = gather_facts("b.ts", b"import { pgTable as t } from \"drizzle-orm/pg-core\";\nexport { users } from './a';\n")
    assert a.imports[0].specifier == b.imports[0].specifier and a.imports[0].specifier is b.imports[0].specifier
    assert a.imports[0].entries[0].imported is b.imports[0].entries[0].imported
    assert a.exports[0].name is b.imports[1].entries[0].imported
    assert a.declarations[0].keyword is gather_facts("c.ts", b"const x = 1;\n").declarations[0].keyword


def test_positions_come_from_a_compact_table_of_line_starts():
    """A report's line and column (characters, a BOM not counted) come from the file's
    line starts, kept as 8 bytes a line: every file a report is about keeps them (as a
    list of ints, 13.8 MB at 19,813 files)."""
    import tracemalloc

    from codemod.project import SourceFile

    data = "\ufeffconst a = 1;\nconst é = 2;\r\n\nx".encode()
    file = SourceFile.parse("m.ts", data)
    assert file.position(3) == (1, 1)  # just after the BOM
    assert file.position(data.index(b"2")) == (2, 11)
    assert file.position(data.index(b"x")) == (4, 1)
    assert file.position(len(data)) == (4, 2)
    many = SourceFile.parse("n.ts", b"a;\n" * 10_000)
    tracemalloc.start()
    try:
        assert many.position(3 * 9_999) == (10_000, 1)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 9 * 10_001


def test_import_offsets_are_packed_into_one_int_and_read_back_exactly():
    """An import site's six offsets and an entry's two are one int each (an int object per
    offset past 256, and a tuple per statement's braces, were ~30 MB at 19,813 files)."""
    import pickle

    from codemod import sealed
    from codemod.facts_cache import _ALLOWED

    padding = b"// " + b"x" * 70_000 + b"\n"
    data = padding + b"import a, { b as c, type D } from './m';\nexport * from './n';\nconst z = import('./o');\n"
    facts = gather_facts("f.ts", data)
    first, star, dynamic = facts.imports
    at = len(padding)
    assert (first.start, first.spec_start, first.spec_end) == (at, data.index(b"'./m'"), data.index(b"'./m'") + 5)
    assert first.end == data.index(b";", at) + 1 and first.line == 2
    assert first.braces == (data.index(b"{", at), data.index(b"}", at) + 1) and not first.braces_comment
    assert [(e.imported, e.local, e.type_only, data[e.start:e.end]) for e in first.entries] == [
        ("default", "a", False, data[first.start:first.end]), ("b", "c", False, b"b as c"), ("D", "D", True, b"type D")]
    assert star.braces is None and dynamic.braces is None and dynamic.kind == "dynamic"
    assert len(first) == 7 and type(first.spans) is int and len(first.entries[1]) == 4
    for site in facts.imports:
        assert pickle.loads(pickle.dumps(site)) == site
        assert sealed.unpack(sealed.pack(site), _ALLOWED) == site  # the facts cache's reader
