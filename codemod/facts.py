"""Per-file facts: exports, module references and top-level declarations.

``gather_facts`` is a pure function of (path, bytes): the same input always gives
the same ``FileFacts``, so results can be cached or computed in parallel later.
"""

from __future__ import annotations

import re
from sys import intern
from typing import NamedTuple

from tree_sitter import Node, Tree

from .lines import start_of_line
from .parsing import (
    GAP_EXPORT_TYPE_STAR,
    GAP_IMPORT_TYPE_ARGUMENT,
    GAP_IMPORT_TYPE_MEMBER_ARGUMENTS,
    GAP_TAGGED_TEMPLATE,
    IMPORT_CALL,
    Gap,
    captures,
    code_only,
    error_statements,
    parse_with_gaps,
    string_value,
    text,
    walk,
)

VALUE, TYPE = "value", "type"
_IMPORT_TYPE = re.compile(rb"\bimport\s*\(\s*('[^'\r\n]*'|\"[^\"\r\n]*\")\s*\)")

# Import kinds.
IMPORT, REEXPORT, REQUIRE, DYNAMIC = "import", "reexport", "require", "dynamic"

_TYPE_DECLS = {"interface_declaration", "type_alias_declaration"}
_DECL_KEYWORD = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "function_signature": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "enum_declaration": "enum",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "internal_module": "namespace",
    "module": "namespace",
}


class Export(NamedTuple):
    """A name the file exports itself (re-exports with ``from`` are ImportSites)."""

    name: str  # exported name; "default" for default exports, "=" for `export =`
    kind: str  # VALUE or TYPE
    start: int  # span of the whole statement
    end: int
    local: str | None = None  # for `export { a as b }`: "a"
    implicit: bool = False  # a declaration file's top-level declaration, exported without `export`


# Import sites and entries are the facts most files have most of (~6 sites and ~13 entries
# a file): their byte offsets are packed into one int each, 32 bits an offset (a source is
# far below 4 GiB), and read back through properties. As separate fields they were an int
# object per offset past 256 and a tuple per statement's braces: ~30 MB at 19,813 files.
_BITS = 32
_LOW = (1 << _BITS) - 1


class _EntryFields(NamedTuple):
    imported: str
    local: str | None
    type_only: bool
    span: int  # start << 32 | end


class ImportEntry(_EntryFields):
    """One name taken from another module: ``imported``, the name in the target module
    ("default"; "*" for namespace / star); ``local``, the local binding (imports) or the
    exported name (re-exports); ``start``/``end``, the span of the specifier (the
    statement for default/namespace/star)."""

    __slots__ = ()

    def __new__(cls, imported: str, local: str | None, type_only: bool, start: int, end: int):
        return _EntryFields.__new__(cls, imported, local, type_only, (start << _BITS) | end)

    def __reduce__(self):  # pickled packed: one call to rebuild, as a plain named tuple's
        return _entry_of, tuple(self)

    @property
    def start(self) -> int:
        return self.span >> _BITS

    @property
    def end(self) -> int:
        return self.span & _LOW


class _SiteFields(NamedTuple):
    kind: str
    specifier: str
    entries: tuple[ImportEntry, ...]
    type_only: bool
    line: int
    braces_comment: bool
    spans: int  # spec_start, spec_end, start, end, braces start + 1, braces end + 1 (0: none), 32 bits each


class ImportSite(_SiteFields):
    """A statement (or call) that names another module: ``kind`` IMPORT, REEXPORT,
    REQUIRE or DYNAMIC; ``spec_start``/``spec_end``, the span of the string literal,
    quotes included; ``start``/``end``, the statement's; ``type_only`` for `import type
    ...` / `export type ... from`; ``line``, the 1-based line of the specifier;
    ``braces``, the span of the `{ … }` of an import / export … from (None without);
    ``braces_comment``, a comment between those braces."""

    __slots__ = ()

    def __new__(cls, kind: str, specifier: str, spec_start: int, spec_end: int, start: int, end: int,
                entries: tuple[ImportEntry, ...], type_only: bool = False, line: int = 1,
                braces: tuple[int, int] | None = None, braces_comment: bool = False):
        b0, b1 = (braces[0] + 1, braces[1] + 1) if braces is not None else (0, 0)
        spans = (((((spec_start << _BITS | spec_end) << _BITS | start) << _BITS | end) << _BITS | b0) << _BITS) | b1
        return _SiteFields.__new__(cls, kind, specifier, entries, type_only, line, braces_comment, spans)

    def __reduce__(self):  # pickled packed: one call to rebuild, as a plain named tuple's
        return _site_of, tuple(self)

    @property
    def spec_start(self) -> int:
        return self.spans >> 5 * _BITS

    @property
    def spec_end(self) -> int:
        return (self.spans >> 4 * _BITS) & _LOW

    @property
    def start(self) -> int:
        return (self.spans >> 3 * _BITS) & _LOW

    @property
    def end(self) -> int:
        return (self.spans >> 2 * _BITS) & _LOW

    @property
    def braces(self) -> tuple[int, int] | None:
        b0 = (self.spans >> _BITS) & _LOW
        return (b0 - 1, (self.spans & _LOW) - 1) if b0 else None

    @property
    def side_effect_only(self) -> bool:
        return self.kind == IMPORT and not self.entries

    @property
    def star(self) -> bool:
        """`export * from` (not `export * as ns`)."""
        return self.kind == REEXPORT and any(e.imported == "*" and e.local is None for e in self.entries)

    @property
    def named(self) -> tuple[ImportEntry, ...]:
        """The entries in braces (not the default binding, not `* as ns` / `export *`)."""
        return tuple(e for e in self.entries if e.imported != "*" and not self.is_default_binding(e))

    def is_default_binding(self, entry: ImportEntry) -> bool:
        """`d` in `import d, { a } from …` (not `{ default as d }`)."""
        return self.kind == IMPORT and entry.imported == "default" and entry.start == self.start


# Unpickled, the names and specifiers are interned: each batch of the workers' facts
# brought its own copies (61,864 names of 22,771 distinct, 71,238 specifiers of 57,321,
# at 19,813 files).


def _entry_of(imported, local, type_only, span) -> ImportEntry:
    """An ``ImportEntry`` from its packed fields (what pickling it writes)."""
    return tuple.__new__(ImportEntry, (intern(imported), local if local is None else intern(local), type_only, span))


def _site_of(kind, specifier, *fields) -> ImportSite:
    """An ``ImportSite`` from its packed fields (what pickling it writes)."""
    return tuple.__new__(ImportSite, (kind, intern(specifier), *fields))


class Declaration(NamedTuple):
    """A top-level declaration (exported or not)."""

    name: str
    keyword: str  # const / let / var / function / class / enum / interface / type / namespace
    start: int  # span of the whole statement, `export` included
    end: int
    exported: bool
    line: int
    ambient: bool = False  # `declare ...` or a function overload signature


class ParseError(NamedTuple):
    """A top-level statement that does not parse (known grammar gaps are masked
    before parsing and never show up here)."""

    start: int  # span of the statement
    end: int
    line: int  # 1-based position of the first error in it
    column: int  # 1-based, in characters
    statement: str  # the statement's first line, stripped

    def touches(self, start: int, end: int) -> bool:
        """Does an edit of [start, end) change this statement? (An insertion at
        either end of it does not.)"""
        if start == end:
            return self.start < start < self.end
        return start < self.end and self.start < end


class FileFacts(NamedTuple):
    path: str
    exports: tuple[Export, ...]
    imports: tuple[ImportSite, ...]
    declarations: tuple[Declaration, ...]
    error_line: int | None  # first line with a parse error, None if the file parsed cleanly
    parse_errors: tuple[ParseError, ...] = ()  # every statement that does not parse
    statements: tuple[int, ...] = ()  # start, end, start, end…: each top-level statement (no comments)

    @property
    def has_error(self) -> bool:
        return self.error_line is not None


def gather_facts(path: str, data: bytes, tree: Tree | None = None, gaps: tuple[Gap, ...] | None = None) -> FileFacts:
    if tree is None:
        tree, gaps = parse_with_gaps(path, data)
    gaps = gaps or ()
    root = tree.root_node
    errors = tuple(_parse_errors(data, error_statements(tree)))
    imports = _imports(path, root, data, gaps)
    exports = _exports(path, root)
    if _BARE_EXPORT.search(data):
        exports += _exports_across_a_comment(root)
    declarations = _declarations(path, root)
    exports += _implicit_exports(path, root, imports, declarations)
    return FileFacts(
        path=path,
        exports=tuple(exports),
        imports=tuple(imports),
        declarations=tuple(declarations),
        error_line=errors[0].line if errors else None,
        parse_errors=errors,
        statements=tuple(x for n in root.named_children if n.type not in ("comment", "empty_statement")
                         for x in (n.start_byte, n.end_byte)),
    )


def _parse_errors(data: bytes, found: list[tuple[Node, Node]]):
    for stmt, err in found:
        row_start = start_of_line(data, err.start_byte)
        column = len(data[row_start:err.start_byte].decode("utf-8", "replace")) + 1
        if row_start == 0 and data.startswith(b"\xef\xbb\xbf"):
            column -= 1
        nl = data.find(b"\n", stmt.start_byte, stmt.end_byte)
        first = data[stmt.start_byte:stmt.end_byte if nl < 0 else nl]
        yield ParseError(stmt.start_byte, stmt.end_byte, err.start_point.row + 1, column,
                         first.decode("utf-8", "replace").strip())


# --- module references -------------------------------------------------------------


def _has_token(node: Node, token: str, other: str | None = None) -> bool:
    """Is ``token`` (or ``other``) one of ``node``'s anonymous children? (A loop, not
    ``any()`` over a generator: 127,842 calls as 4,993 files are parsed.)"""
    for c in node.children:
        if not c.is_named:
            kind = c.type
            if kind == token or kind == other:
                return True
    return False


def _braces(stmt: Node) -> Node | None:
    """The ``{ … }`` of an import or export statement, if it has one."""
    for child in stmt.named_children:
        if child.type == "export_clause":
            return child
        if child.type == "import_clause":
            return next((c for c in child.named_children if c.type == "named_imports"), None)
    return None


def _site(kind: str, stmt: Node, source: Node, entries: list[ImportEntry], type_only: bool) -> ImportSite:
    braces = _braces(stmt) if kind in (IMPORT, REEXPORT) else None
    return ImportSite(
        kind=kind,
        specifier=string_value(source),
        spec_start=source.start_byte,
        spec_end=source.end_byte,
        start=stmt.start_byte,
        end=stmt.end_byte,
        entries=tuple(entries),
        type_only=type_only,
        line=source.start_point.row + 1,
        braces=(braces.start_byte, braces.end_byte) if braces is not None else None,
        braces_comment=braces is not None and any(c.type == "comment" for c in braces.children),
    )


def _imports(path: str, root: Node, data: bytes, gaps: tuple[Gap, ...] = ()) -> list[ImportSite]:
    found = captures(path, "imports", root, top_level=True)
    if IMPORT_CALL.search(data):  # skip a whole-tree query when the file has none
        found.update(captures(path, "dynamic_imports", root))
    sites: list[ImportSite] = []
    for stmt in found.get("import", []):
        source = stmt.child_by_field_name("source")
        if source is None:
            req = next((c for c in stmt.named_children if c.type == "import_require_clause"), None)
            if req is not None:
                sites.append(_require_site(stmt, req))
            continue
        type_only = _has_token(stmt, "type", "typeof")
        sites.append(_site(IMPORT, stmt, source, _import_entries(stmt, type_only), type_only))
    type_stars = {g.start for g in gaps if g.kind == GAP_EXPORT_TYPE_STAR}
    for stmt in found.get("reexport", []):
        source = stmt.child_by_field_name("source")
        # `export type * from`: the `type` was masked (a grammar gap), so ask the gaps
        type_only = _has_token(stmt, "type") or any(stmt.start_byte < g < source.start_byte for g in type_stars)
        sites.append(_site(REEXPORT, stmt, source, _reexport_entries(stmt, type_only), type_only))
    for call in found.get("dynamic", []):
        source = call.child_by_field_name("arguments").named_children[0]
        sites.append(_site(DYNAMIC, call, source, [], False))
    sites.extend(_export_import_require(root))
    sites.extend(_masked_import_types(data, gaps))
    return sorted(sites, key=lambda s: s.start)


def _masked_import_types(data: bytes, gaps: tuple[Gap, ...]) -> list[ImportSite]:
    """`import('./x')` inside type arguments that were masked (a grammar gap): the
    same DYNAMIC sites an unmasked parse reports for an import type."""
    out = []
    for gap in gaps:
        if gap.kind not in (GAP_TAGGED_TEMPLATE, GAP_IMPORT_TYPE_ARGUMENT, GAP_IMPORT_TYPE_MEMBER_ARGUMENTS):
            continue
        code = code_only(data[gap.start:gap.end])
        for start in IMPORT_CALL.finditer(code):
            m = _IMPORT_TYPE.match(data, gap.start + start.start(), gap.end)
            if m is None:
                continue
            s, e = m.span(1)
            out.append(ImportSite(DYNAMIC, data[s + 1:e - 1].decode("utf-8", "surrogateescape"), s, e,
                                  m.start(), m.end(), (), False, data.count(b"\n", 0, s) + 1))
    return out


def _require_site(stmt: Node, clause: Node) -> ImportSite:
    name = clause.named_children[0]
    source = next(c for c in clause.named_children if c.type == "string")
    entry = ImportEntry("=", text(name), False, stmt.start_byte, stmt.end_byte)
    return _site(REQUIRE, stmt, source, [entry], False)


def _export_import_require(root: Node) -> list[ImportSite]:
    """`export import x = require('./m')`, which the grammar splits in two statements."""
    out = []
    children = root.named_children
    for stmt, nxt in zip(children, children[1:]):
        alias = next((c for c in stmt.named_children if c.type == "import_alias"), None)
        if stmt.type != "export_statement" or alias is None or nxt.type != "expression_statement":
            continue
        ids = [c for c in alias.named_children if c.type == "identifier"]
        strings = [n for n in walk(nxt) if n.type == "string"]
        if len(ids) == 2 and text(ids[1]) == "require" and strings:
            entry = ImportEntry("=", text(ids[0]), False, stmt.start_byte, nxt.end_byte)
            site = _site(REQUIRE, stmt, strings[0], [entry], False)
            out.append(
                ImportSite(REQUIRE, site.specifier, site.spec_start, site.spec_end, stmt.start_byte,
                           nxt.end_byte, site.entries, False, site.line)
            )
    return out


def _import_entries(stmt: Node, type_only: bool) -> list[ImportEntry]:
    clause = next((c for c in stmt.named_children if c.type == "import_clause"), None)
    if clause is None:
        return []
    entries = []
    for child in clause.named_children:
        if child.type == "identifier":  # default import
            entries.append(ImportEntry("default", text(child), type_only, stmt.start_byte, stmt.end_byte))
        elif child.type == "namespace_import":
            local = text(child.named_children[0])
            entries.append(ImportEntry("*", local, type_only, child.start_byte, child.end_byte))
        elif child.type == "named_imports":
            for spec in child.named_children:
                if spec.type != "import_specifier":
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias")
                imported = string_value(name) if name.type == "string" else text(name)
                entries.append(
                    ImportEntry(imported, text(alias or name), type_only or _has_token(spec, "type"),
                                spec.start_byte, spec.end_byte)
                )
    return entries


def _reexport_entries(stmt: Node, type_only: bool) -> list[ImportEntry]:
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    if clause is not None:
        return [
            ImportEntry(imported, exported, type_only or _has_token(spec, "type"), spec.start_byte, spec.end_byte)
            for spec in clause.named_children
            if spec.type == "export_specifier"
            for imported, exported in [_export_specifier_names(spec)]
        ]
    ns = next((c for c in stmt.named_children if c.type == "namespace_export"), None)
    local = text(ns.named_children[0]) if ns is not None else None
    return [ImportEntry("*", local, type_only, stmt.start_byte, stmt.end_byte)]


def _export_specifier_names(spec: Node) -> tuple[str, str]:
    names = [string_value(c) if c.type == "string" else text(c) for c in spec.named_children
             if c.type in ("identifier", "string", "type_identifier")]
    return (names[0], names[-1])


# --- exports -----------------------------------------------------------------------


def _exports(path: str, root: Node) -> list[Export]:
    out: list[Export] = []
    for stmt in captures(path, "exports", root, top_level=True).get("export", []):
        s, e = stmt.start_byte, stmt.end_byte
        decl = stmt.child_by_field_name("declaration")
        if decl is not None and decl.type == "import_alias":  # export import x = A.B / require(...)
            out.append(Export(text(decl.named_children[0]), VALUE, s, e))
            continue
        if _has_token(stmt, "default"):  # `export default function f() {}` exports "default", not "f"
            out.append(Export("default", TYPE if decl is not None and _is_type_decl(decl) else VALUE, s, e))
            continue
        if decl is not None:
            kind = TYPE if _is_type_decl(decl) else VALUE
            for name, _kw, _ambient in _declared_names(decl):
                out.append(Export(name, kind, s, e))
            continue
        if _has_token(stmt, "="):  # export = x;
            out.append(Export("=", VALUE, s, e))
            continue
        clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
        if clause is None:
            continue
        stmt_type = _has_token(stmt, "type")
        for spec in clause.named_children:
            if spec.type != "export_specifier":
                continue
            local, exported = _export_specifier_names(spec)
            kind = TYPE if stmt_type or _has_token(spec, "type") else VALUE
            out.append(Export(exported, kind, s, e, local=local))
    return out


# `export // what it builds` with the declaration on the next line: TypeScript exports it;
# the grammar reads a statement `export` (an identifier) and, apart, the declaration (a
# public app's two functions written so were "exported by no module")
_BARE_EXPORT = re.compile(rb"export[ \t]*(?://|\r?\n)")


def _exports_across_a_comment(root: Node) -> list[Export]:
    """The names of each top-level declaration right after a statement that is the bare
    word ``export`` (and line comments), spanning both."""
    out: list[Export] = []
    children = root.children
    for stmt, decl in zip(children, children[1:]):
        if stmt.type != "expression_statement":
            continue
        first, *rest = stmt.children
        if first.type == "identifier" and first.text == b"export" \
                and all(c.type == "comment" and c.text.startswith(b"//") for c in rest):
            kind = TYPE if _is_type_decl(decl) else VALUE  # anything but a declaration binds no name
            out += [Export(name, kind, stmt.start_byte, decl.end_byte) for name, _kw, _ambient in _declared_names(decl)]
    return out


_DECLARATION_FILE = (".d.ts", ".d.mts", ".d.cts")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*\Z")


def _implicit_exports(path: str, root: Node, imports: list[ImportSite],
                      declarations: list[Declaration]) -> list[Export]:
    """TypeScript's rule for a declaration file that is a module (it has an import or an
    export): unless it has an export declaration (`export { … }`, `export {}`, any
    `export … from`) or an export assignment (`export =`, `export default <expression>`),
    every top-level declaration is exported, `export` or not (`export` modifiers on other
    declarations do not change that). Checked against tsc 5.9."""
    if not path.endswith(_DECLARATION_FILE):
        return []
    statements = captures(path, "exports", root, top_level=True).get("export", [])
    if any(site.kind == REEXPORT for site in imports):
        return []
    for stmt in statements:
        declared = stmt.child_by_field_name("declaration") is not None
        if any(c.type == "export_clause" for c in stmt.named_children):
            return []  # `export { a }`, `export {}`, `export type {}`
        if not declared and (_has_token(stmt, "=") or _has_token(stmt, "default")):
            return []  # `export = x`, `export default x`
    umd = [s for s in statements if _has_token(s, "as") and _has_token(s, "namespace")]
    if len(statements) == len(umd) and not any(site.kind in (IMPORT, REQUIRE) for site in imports):
        return []  # a script: its declarations are global, not exports
    return [Export(d.name, TYPE if d.keyword in ("interface", "type") else VALUE, d.start, d.end, implicit=True)
            for d in declarations if not d.exported and _IDENTIFIER.match(d.name)]


def _is_type_decl(decl: Node) -> bool:
    """interface / type alias, also under `declare` (`export declare type T = ...`)."""
    if decl.type == "ambient_declaration":
        inner = next((c for c in decl.named_children if c.type != "comment"), None)
        return inner is not None and inner.type in _TYPE_DECLS
    return decl.type in _TYPE_DECLS


# --- declarations ------------------------------------------------------------------


def _declared_names(decl: Node) -> list[tuple[str, str, bool]]:
    """(name, keyword, ambient) for every name a declaration node binds."""
    if decl.type == "ambient_declaration":
        inner = next((c for c in decl.named_children if c.type != "comment"), None)
        if inner is None or inner.type in ("statement_block",):
            return []
        return [(n, k, True) for n, k, _ in _declared_names(inner)]
    if decl.type in ("lexical_declaration", "variable_declaration"):
        keyword = intern(decl.children[0].type)  # const / let / var (a new string from the tree at each call)
        names = []
        for declarator in decl.named_children:
            if declarator.type == "variable_declarator":
                names.extend(_pattern_names(declarator.child_by_field_name("name")))
        return [(n, keyword, False) for n in names]
    name = decl.child_by_field_name("name")
    if name is None:
        name = next((c for c in decl.named_children if c.type in ("identifier", "type_identifier")), None)
    if name is None or decl.type not in _DECL_KEYWORD:
        return []
    keyword = _DECL_KEYWORD[decl.type]
    if decl.type == "enum_declaration" and _has_token(decl, "const"):
        keyword = "const enum"
    return [(text(name), keyword, decl.type == "function_signature")]


def _pattern_names(node: Node | None) -> list[str]:
    if node is None:
        return []
    if node.type in ("identifier", "shorthand_property_identifier_pattern"):
        return [text(node)]
    if node.type == "pair_pattern":
        return _pattern_names(node.child_by_field_name("value"))
    if node.type in ("assignment_pattern", "object_assignment_pattern"):
        return _pattern_names(node.child_by_field_name("left") or node.named_children[0])
    if node.type == "rest_pattern":
        return _pattern_names(node.named_children[0])
    return [n for c in node.named_children for n in _pattern_names(c)]


def _declarations(path: str, root: Node) -> list[Declaration]:
    found = captures(path, "declarations", root, top_level=True)
    exported = {n.start_byte: n for n in found.get("exported", [])}
    wrappers = {n.child_by_field_name("declaration").id: n for n in exported.values()}
    out = []
    for decl in found.get("declaration", []):
        stmt = wrappers.get(decl.id, decl)
        for name, keyword, ambient in _declared_names(decl):
            out.append(
                Declaration(name, keyword, stmt.start_byte, stmt.end_byte, stmt is not decl,
                            stmt.start_point.row + 1, ambient)
            )
    return out
