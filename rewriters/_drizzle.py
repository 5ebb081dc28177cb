"""Shared helpers: recognise drizzle ``relations()`` declarations, and read object
literals as members (with their comments) for the rewriters that dedupe and merge them.

Public entry points (read-only; nothing here builds edits):

- ``relations_declarations(file, project) -> list[RelationsDecl]``: every top-level
  ``[export] const X = relations(T, (helpers) => ({ ... }))`` in ``file``, in order.
- ``relations_bindings(file, project) -> RelationsBindings``: the local names that
  call drizzle's ``relations`` here (aliases, namespace imports, and local modules that
  re-export drizzle-orm are followed).
- ``object_members(obj, data) -> list[Member]``: the members of an object literal with
  the comments that belong to them; ``normalised(node, ...)`` compares code
  whitespace-, comment- and trailing-comma-insensitively.

Only drizzle 0.x ``relations(table, cb)`` is recognised. Drizzle 1.0's
``defineRelations(schema, (r) => ...)`` is a different call and is never read as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from tree_sitter import Node

from codemod.facts import IMPORT, REEXPORT
from codemod.project import Project, SourceFile

# Modules whose `relations` export is drizzle's relations() (0.x; `_relations` in 1.0 betas).
DRIZZLE_MODULES = frozenset({"drizzle-orm", "drizzle-orm/relations", "drizzle-orm/_relations"})
RELATIONS = "relations"


# --- which local names are drizzle's relations() ------------------------------------


@dataclass(frozen=True)
class RelationsBindings:
    functions: frozenset[str] = frozenset()  # `relations`, or its alias
    namespaces: frozenset[str] = frozenset()  # `d` in `import * as d from 'drizzle-orm'` -> d.relations

    def __bool__(self) -> bool:
        return bool(self.functions or self.namespaces)


def relations_bindings(file: SourceFile, project: Project | None = None) -> RelationsBindings:
    functions: set[str] = set()
    namespaces: set[str] = set()
    for site in file.facts.imports:
        if site.kind != IMPORT or site.type_only:
            continue
        for entry in site.entries:
            if entry.type_only or not entry.local:
                continue
            if entry.imported == "*":
                if _module_has(project, file.path, site.specifier, "*", set()):
                    namespaces.add(entry.local)
            elif entry.imported != "default" or entry.start != site.start:
                if _module_has(project, file.path, site.specifier, entry.imported, set()):
                    functions.add(entry.local)
    return RelationsBindings(frozenset(functions), frozenset(namespaces))


def _module_has(project: Project | None, importer: str, specifier: str, name: str, seen: set) -> bool:
    """Does ``specifier`` (seen from ``importer``) export drizzle's relations as ``name``?
    ``name == "*"`` asks whether the module's namespace has drizzle's ``relations``."""
    if specifier in DRIZZLE_MODULES:
        return name in (RELATIONS, "*")
    if project is None:
        return False
    target = project.resolver.resolve(importer, specifier)
    if not target.ok or target.path not in project.files:
        return False
    return _exports_drizzle(project, target.path, RELATIONS if name == "*" else name, seen)


def _exports_drizzle(project: Project, module: str, name: str, seen: set) -> bool:
    if (module, name) in seen:
        return False
    seen.add((module, name))
    facts = project.files[module].facts
    for site in facts.imports:
        if site.kind == REEXPORT and not site.type_only:
            if site.star and name != "default" and _module_has(project, module, site.specifier, name, seen):
                return True
            for entry in site.entries:
                if entry.imported != "*" and entry.local == name and not entry.type_only:
                    if _module_has(project, module, site.specifier, entry.imported, seen):
                        return True
    for export in facts.exports:  # import { relations } from 'drizzle-orm'; export { relations as r };
        if export.name != name or export.local is None:
            continue
        for site in facts.imports:
            if site.kind != IMPORT:
                continue
            for entry in site.entries:
                if entry.local == export.local and entry.imported not in ("*",):
                    if _module_has(project, module, site.specifier, entry.imported, seen):
                        return True
    return False


def is_relations_call(node: Node | None, bindings: RelationsBindings) -> bool:
    if node is None or node.type != "call_expression":
        return False
    callee = node.child_by_field_name("function")
    if callee is None:
        return False
    if callee.type == "identifier":
        return _text(callee) in bindings.functions
    if callee.type == "member_expression":
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        return (obj is not None and obj.type == "identifier" and _text(obj) in bindings.namespaces
                and prop is not None and _text(prop) == RELATIONS)
    return False


# --- relations() declarations ---------------------------------------------------------


@dataclass(frozen=True)
class Helpers:
    """How a relations() callback takes its helpers.

    ``style`` is "pattern" (``({ one, many: m })``; ``names`` maps helper -> local),
    "ident" (``(r) => r.one(...)``; ``ident`` is ``r``), "none" (``() => ...``) or
    "other" (anything else: rest patterns, defaults, a function expression...)."""

    style: str
    node: Node | None = None  # the object_pattern / identifier / formal_parameters
    names: Mapping[str, str] = field(default_factory=dict)
    ident: str | None = None

    @property
    def locals(self) -> dict[str, str]:
        """local name -> helper name (pattern style)."""
        return {local: helper for helper, local in self.names.items()}


@dataclass(frozen=True, eq=False)
class RelationsDecl:
    name: str  # the declared name, `invoicesRelations`
    table: str  # the first argument as written, `invoices` (or `schema.invoices`)
    start: int  # span of the whole statement, `export` included
    end: int
    exported: bool
    line: int  # 1-based line of the statement
    declarators: int  # how many declarators the statement has (1 in every sane file)
    call: Node  # the relations(...) call_expression
    table_node: Node | None
    callback: Node | None  # the arrow function, if it is one
    object: Node | None  # the object literal the callback returns, if it returns one directly
    helpers: Helpers


def relations_declarations(file: SourceFile, project: Project | None = None,
                           bindings: RelationsBindings | None = None) -> list[RelationsDecl]:
    """Every top-level ``[export] const/let/var X = relations(T, cb)`` of ``file``, in order."""
    if bindings is None and project is not None and project.files.get(file.path) is file:
        # Every rule asks this of every file: read it once per project snapshot.
        return list(project.memo(("relations_declarations", file.path),
                                 lambda: _relations_declarations(file, relations_bindings(file, project))))
    return _relations_declarations(file, bindings if bindings is not None else relations_bindings(file, project))


def _relations_declarations(file: SourceFile, bindings: RelationsBindings) -> list[RelationsDecl]:
    if not bindings:
        return []
    out: list[RelationsDecl] = []
    for stmt in file.tree.root_node.named_children:
        decl, exported = stmt, False
        if stmt.type == "export_statement":
            decl, exported = stmt.child_by_field_name("declaration"), True
        if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
            continue
        declarators = [c for c in decl.named_children if c.type == "variable_declarator"]
        for d in declarators:
            name, value = d.child_by_field_name("name"), d.child_by_field_name("value")
            value = _unwrap(value)
            if name is None or name.type != "identifier" or not is_relations_call(value, bindings):
                continue
            args = [a for a in value.child_by_field_name("arguments").named_children if a.type != "comment"]
            table_node = args[0] if args else None
            callback = args[1] if len(args) > 1 and args[1].type == "arrow_function" else None
            out.append(RelationsDecl(
                name=_text(name),
                table=_text(table_node) if table_node is not None else "",
                start=stmt.start_byte, end=stmt.end_byte, exported=exported,
                line=stmt.start_point.row + 1, declarators=len(declarators), call=value,
                table_node=table_node, callback=callback, object=_returned_object(callback),
                helpers=_helpers(callback),
            ))
    return out


def _unwrap(node: Node | None) -> Node | None:
    """Look through `(x)`, `x as T`, `x satisfies T`."""
    while node is not None and node.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        inner = [c for c in node.named_children if c.type != "comment"]
        node = inner[0] if inner else None
    return node


def _returned_object(callback: Node | None) -> Node | None:
    if callback is None:
        return None
    body = _unwrap(callback.child_by_field_name("body"))
    return body if body is not None and body.type == "object" else None


def _helpers(callback: Node | None) -> Helpers:
    if callback is None:
        return Helpers("other")
    single = callback.child_by_field_name("parameter")
    if single is not None:
        return Helpers("ident", single, ident=_text(single)) if single.type == "identifier" else Helpers("other")
    params = callback.child_by_field_name("parameters")
    if params is None:
        return Helpers("other")
    named = [c for c in params.named_children if c.type != "comment"]
    if not named:
        return Helpers("none", params)
    if len(named) != 1 or named[0].type != "required_parameter":
        return Helpers("other")
    pattern = named[0].child_by_field_name("pattern") or named[0].named_children[0]
    if pattern.type == "identifier":
        return Helpers("ident", pattern, ident=_text(pattern))
    if pattern.type != "object_pattern":
        return Helpers("other")
    names: dict[str, str] = {}
    for entry in pattern.named_children:
        if entry.type == "comment":
            continue
        if entry.type == "shorthand_property_identifier_pattern":
            names[_text(entry)] = _text(entry)
        elif entry.type == "pair_pattern":
            key, value = entry.child_by_field_name("key"), entry.child_by_field_name("value")
            if key is None or value is None or key.type != "property_identifier" or value.type != "identifier":
                return Helpers("other")
            if _text(key) in names:
                return Helpers("other")
            names[_text(key)] = _text(value)
        else:
            return Helpers("other")
    if len(set(names.values())) != len(names):
        return Helpers("other")
    return Helpers("pattern", pattern, names=names)


def helper_references(node: Node, helpers: Helpers) -> list[tuple[Node, str]] | None:
    """Every place under ``node`` that names a helper, as (node, helper name).

    Pattern style: identifiers bound by the pattern. Ident style: ``r.one`` member
    expressions (the whole ``r.one``). None when the helper object is used any other
    way (``r`` passed along, ``r['one']``), which a merge cannot rewrite."""
    out: list[tuple[Node, str]] = []
    local_to_helper = helpers.locals
    stack = [node]
    while stack:
        n = stack.pop()
        if helpers.style == "ident" and n.type == "member_expression":
            obj, prop = n.child_by_field_name("object"), n.child_by_field_name("property")
            if obj is not None and obj.type == "identifier" and _text(obj) == helpers.ident:
                if prop is None or prop.type != "property_identifier":
                    return None
                out.append((n, _text(prop)))
                continue
        if n.type == "identifier":
            name = _text(n)
            if helpers.style == "pattern" and name in local_to_helper:
                out.append((n, local_to_helper[name]))
            elif helpers.style == "ident" and name == helpers.ident:
                return None
        stack.extend(reversed(n.children))
    return sorted(out, key=lambda item: item[0].start_byte)


# --- relation properties (for invariants and comparisons) -------------------------------


@dataclass(frozen=True)
class RelationProperty:
    table: str
    key: str
    value: str  # normalised, helpers written `@one` / `@many` whatever the callback style


def relation_properties(file: SourceFile, project: Project | None = None) -> list[RelationProperty]:
    """Every property of every relations() object in ``file`` (duplicates included)."""
    out = []
    for decl in relations_declarations(file, project):
        if decl.object is None:
            continue
        for member in object_members(decl.object, file.data):
            if member.key is not None:
                out.append(RelationProperty(decl.table, member.key,
                                            normalised(member.value, helpers=decl.helpers)))
    return out


# --- object literals -----------------------------------------------------------------

MEMBER_TYPES = ("pair", "shorthand_property_identifier", "method_definition", "spread_element")


@dataclass(frozen=True, eq=False)
class Member:
    node: Node  # pair / shorthand_property_identifier / method_definition / spread_element
    key: str | None  # None for spreads and computed keys
    value: Node  # the pair's value; the node itself for shorthands and methods
    leading: tuple[Node, ...] = ()  # comments above it (after the previous member's line)
    trailing: tuple[Node, ...] = ()  # comments after it on the same line
    comma: Node | None = None  # the `,` after it

    @property
    def start(self) -> int:
        return self.leading[0].start_byte if self.leading else self.node.start_byte

    @property
    def core_end(self) -> int:
        """End of the member and its comma (trailing comments excluded)."""
        return self.comma.end_byte if self.comma is not None else self.node.end_byte

    @property
    def end(self) -> int:
        ends = [self.core_end] + [c.end_byte for c in self.trailing]
        return max(ends)

    @property
    def line(self) -> int:
        return self.node.start_point.row + 1

    @property
    def comments(self) -> tuple[Node, ...]:
        return self.leading + self.trailing


def object_members(obj: Node, data: bytes | None = None) -> list[Member]:
    """The members of object literal ``obj``, each with its comments and comma.

    A comment that starts on the row where the previous member (or its comma) ends is
    that member's trailing comment; any other comment leads the next member. Comments
    after the last member on later rows are ``dangling_comments(obj)``."""
    members: list[dict] = []
    pending: list[Node] = []
    for child in obj.children:
        if child.type in ("{", "}"):
            continue
        if child.type == "comment":
            last = members[-1] if members else None
            last_row = None
            if last is not None:
                last_row = (last["comma"] or last["node"]).end_point.row
                if last["trailing"]:
                    last_row = last["trailing"][-1].end_point.row
            if last is not None and not pending and child.start_point.row == last_row:
                last["trailing"].append(child)
            else:
                pending.append(child)
            continue
        if child.type == ",":
            if members and members[-1]["comma"] is None and not pending:
                members[-1]["comma"] = child
            continue
        if child.type in MEMBER_TYPES:
            members.append({"node": child, "leading": pending, "trailing": [], "comma": None})
            pending = []
    out = []
    for m in members:
        key, value = member_key(m["node"])
        out.append(Member(m["node"], key, value, tuple(m["leading"]), tuple(m["trailing"]), m["comma"]))
    return out


def dangling_comments(obj: Node) -> list[Node]:
    """Comments after the last member that do not trail it on its line."""
    members = object_members(obj)
    taken = {c.id for m in members for c in m.comments}
    after = members[-1].end if members else obj.start_byte
    return [c for c in obj.children if c.type == "comment" and c.id not in taken and c.start_byte >= after]


def member_key(node: Node) -> tuple[str | None, Node]:
    """(key, value node) of an object member; key None when it cannot be known statically."""
    if node.type == "shorthand_property_identifier":
        return _text(node), node
    if node.type == "spread_element":
        return None, node
    if node.type == "method_definition":
        name = node.child_by_field_name("name")
        accessor = [c.type for c in node.children if not c.is_named and c.type in ("get", "set", "async", "*")]
        if accessor or name is None:
            return None, node
        return _key_text(name), node
    key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
    if key is None or value is None:
        return None, node
    return _key_text(key), value


def _key_text(key: Node) -> str | None:
    if key.type in ("property_identifier", "identifier", "private_property_identifier"):
        return _text(key)
    if key.type == "string":
        raw = _text(key)
        return raw[1:-1] if "\\" not in raw else None
    if key.type == "number":
        try:
            number = float(_text(key).replace("_", ""))
        except ValueError:
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    return None  # computed_property_name and anything unexpected


# --- comparing code --------------------------------------------------------------------

_CLOSERS = (")", "]", "}", ">")


def normalised(node: Node, *, helpers: Helpers | None = None, comments: bool = False) -> str:
    """``node``'s code as a string that ignores whitespace, (by default) comments, trailing
    commas and quote style; with ``helpers``, helper references are written ``@one``."""
    subst: dict[int, str] = {}
    if helpers is not None and helpers.style in ("pattern", "ident"):
        for ref, helper in helper_references(node, helpers) or []:
            subst[ref.id] = "@" + helper
    tokens: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.id in subst:
            tokens.append(subst[n.id])
            continue
        if n.type == "comment":
            if comments:
                tokens.append(" ".join(_text(n).split()))
            continue
        if n.type == "string":
            raw = _text(n)
            inner = raw[1:-1]
            tokens.append('"' + (inner.replace('"', '\\"') if raw[:1] == "'" else inner) + '"')
            continue
        if n.child_count == 0 or n.type in ("template_string", "regex", "number"):
            tokens.append(_text(n))
            continue
        stack.extend(reversed(n.children))
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok == "," and i + 1 < len(tokens) and tokens[i + 1] in _CLOSERS:
            continue
        out.append(tok)
    return " ".join(out)


def _text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "surrogateescape")
