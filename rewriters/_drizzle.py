"""Drizzle knowledge shared by the rewriters: recognise ``relations()`` declarations and
the helpers (``one``, ``many``) their callbacks use. Object literals in general are
``rewriters._objects``'.

Public entry points (read-only; nothing here builds edits):

- ``relations_declarations(file, project) -> list[RelationsDecl]``: every top-level
  ``[export] const X = relations(T, (helpers) => ({ ... }))`` in ``file``, in order.
- ``relations_bindings(file, project) -> RelationsBindings``: the local names that
  call drizzle's ``relations`` here (aliases, namespace imports, and local modules that
  re-export drizzle-orm are followed).
- ``normalised_with_helpers(node, helpers)``: ``_objects.normalised`` with helper
  references written ``@one`` / ``@many`` whatever the callback style.

Only drizzle 0.x ``relations(table, cb)`` is recognised. Drizzle 1.0's
``defineRelations(schema, (r) => ...)`` is a different call and is never read as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Mapping

from tree_sitter import Node, Tree

from codemod.facts import IMPORT, REEXPORT
from codemod.parsing import text
from codemod.project import (
    Project,
    SourceFile,
    Unchecked,
    carry_between_runs,
    decode_by_file,
    eager_summary,
    encode_by_file,
    read_by_file,
    strings,
    unaffected,
)

from ._objects import arguments, normalised, unwrap

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
    """The local names that call drizzle's ``relations()`` in ``file`` (imported from
    drizzle-orm, or from a local module passing it on; with no ``project``, from
    drizzle-orm only). Once per snapshot and file."""
    if project is not None and project.files.get(file.path) is file:
        return project.memo(("relations-bindings", file.path), lambda: _relations_bindings(file, project))
    return _relations_bindings(file, project)


def _relations_bindings(file: SourceFile, project: Project | None) -> RelationsBindings:
    functions: set[str] = set()
    namespaces: set[str] = set()
    passing = _passing_modules(project) if project is not None else frozenset()
    if project is not None and not passing and not file.summary(("drizzle-relations-alone",),
                                                                lambda: _relations_alone(file)):
        return RelationsBindings()  # drizzle-orm alone gives it, and the file takes it from no drizzle module
    for site in file.facts.imports:
        if site.kind != IMPORT or site.type_only:
            continue
        if not passing and site.specifier not in DRIZZLE_MODULES:
            continue  # only drizzle-orm can give it (what ``_module_has`` would say of each name)
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
    passing = _passing_modules(project)
    if not passing:
        return False  # no local module passes drizzle's relations on: nothing to resolve
    target = project.resolver.resolve(importer, specifier)
    if not target.ok or target.path not in passing:
        return False
    return _exports_drizzle(project, target.path, RELATIONS if name == "*" else name, seen)


def _passing_modules(project: Project) -> frozenset[str]:
    """The local modules that may export drizzle's relations under some name: those that
    re-export from drizzle-orm, or export a name they import from it, and, transitively,
    those that do the same from one of them. ``_exports_drizzle`` is false for any other
    module (it needs a re-export, or an export of an import, whose module passes the
    function on), so ``_module_has`` resolves nothing for most files."""
    def compute() -> frozenset[str]:
        passed_on = project.memo(_PASSED_ON, lambda: read_by_file(
            project, _PASSED_ON, lambda file: file.summary(("drizzle-passed-on",), lambda: _passed_on(file))))
        # module -> the specifiers it re-exports or exports imports of
        sources = {path: set(specifiers) for path, specifiers in passed_on.items() if specifiers}
        passing = {path for path, specifiers in sources.items() if specifiers & DRIZZLE_MODULES}
        if not passing:
            return frozenset()  # nothing to pass on (most projects): no specifier need be resolved
        users: dict[str, list[str]] = {}  # module -> the modules above that re-export it
        for path, specifiers in sources.items():
            for specifier in specifiers - DRIZZLE_MODULES:
                target = project.resolver.resolve(path, specifier)
                if target.ok and target.path is not None:
                    users.setdefault(target.path, []).append(path)
        stack = list(passing)
        while stack:
            for user in users.get(stack.pop(), ()):
                if user not in passing:
                    passing.add(user)
                    stack.append(user)
        return frozenset(passing)
    return project.memo(("drizzle-passing-modules",), compute)


# Each file's specifiers that ``_passed_on`` gives, by path: a fact of the file alone,
# carried from pass to pass and kept between runs, so that a commit hook reads the
# summaries of the files an edit may affect, not of every file (0.02 s at 19,813).
_PASSED_ON = ("drizzle-passed-on-by-file",)
carry_between_runs(_PASSED_ON[0], encode_by_file, lambda kept: decode_by_file(kept, strings))


def _passed_on(file: SourceFile) -> tuple[str, ...]:
    """The specifiers ``file`` re-exports from (type-only lines aside) or exports imports
    of (a fact of the file alone: a summary, kept with its facts)."""
    facts = file.facts
    exported = {e.local for e in facts.exports if e.local is not None}
    return tuple(dict.fromkeys(
        site.specifier for site in facts.imports
        if (site.kind == REEXPORT and not site.type_only)
        or (site.kind == IMPORT and any(entry.local in exported for entry in site.entries))))


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
        return text(callee) in bindings.functions
    if callee.type == "member_expression":
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        return (obj is not None and obj.type == "identifier" and text(obj) in bindings.namespaces
                and prop is not None and text(prop) == RELATIONS)
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
    """One declaration, read without keeping a node (``_rows``: kept between runs, so a
    rule that needs names and lines only never parses the file); the nodes (``call``,
    ``table_node``, ``callback``, ``object``, ``helpers``) are found in the file's tree
    the first time one is asked for."""

    name: str  # the declared name, `invoicesRelations`
    table: str  # the first argument as written, `invoices` (or `schema.invoices`)
    start: int  # span of the whole statement, `export` included
    end: int
    exported: bool
    line: int  # 1-based line of the statement
    declarators: int  # how many declarators the statement has (1 in every sane file)
    index: int  # which of them this is
    table_kind: str | None  # the first argument's node type (`identifier`, `member_expression`...)
    table_member: str | None  # `schema.invoices` -> `invoices`
    file: SourceFile = field(repr=False)

    @property
    def call(self) -> Node:  # the relations(...) call_expression
        return self._nodes[0]

    @property
    def table_node(self) -> Node | None:
        return self._nodes[1]

    @property
    def callback(self) -> Node | None:  # the arrow function, if it is one
        return self._nodes[2]

    @property
    def object(self) -> Node | None:  # the object literal the callback returns, if it returns one directly
        return self._nodes[3]

    @property
    def helpers(self) -> Helpers:
        return self._nodes[4]

    def passing(self) -> RelationsDecl:
        """This declaration with its nodes found in a tree its file does not keep
        (``SourceFile.passing_tree``), for a read that keeps no node past it, such as
        planning a fix: planning would otherwise keep the tree of every file a fix goes
        to until the end of the pass (SF008's second pass at 4,993 files: 15 MB)."""
        if "_nodes" in self.__dict__:
            return self
        copy = replace(self)
        copy.__dict__["_nodes"] = copy._find(self.file.passing_tree())
        return copy

    @cached_property
    def _nodes(self) -> tuple[Node, Node | None, Node | None, Node | None, Helpers]:
        return self._find(self.file.tree)

    def _find(self, tree: Tree) -> tuple[Node, Node | None, Node | None, Node | None, Helpers]:
        for stmt in tree.root_node.named_children:
            if stmt.start_byte == self.start:
                break
        else:
            raise LookupError(f"{self.file.path}: no statement at byte {self.start}")
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        declarator = [c for c in decl.named_children if c.type == "variable_declarator"][self.index]
        call = unwrap(declarator.child_by_field_name("value"), non_null=False)
        args = arguments(call)
        table_node = args[0] if args else None
        callback = args[1] if len(args) > 1 and args[1].type == "arrow_function" else None
        return call, table_node, callback, _returned_object(callback), _helpers(callback)


def relations_declarations(file: SourceFile, project: Project | None = None) -> list[RelationsDecl]:
    """Every top-level ``[export] const/let/var X = relations(T, cb)`` of ``file``, in order."""
    if project is not None and project.files.get(file.path) is file:
        # Every rule asks this of every file: made once per project snapshot, from rows
        # kept while neither the file nor what it imports changed (``_DECLARATIONS``); the
        # snapshot before made the same objects then (the relations graph's objects hold them).
        key = ("relations_declarations", file.path)

        def make() -> list[RelationsDecl]:
            carried = project.carried(key)
            if carried is not None and file.path not in carried[1]:
                return carried[0]
            return [RelationsDecl(*row, file=file) for row in declaration_rows(project, file)]
        return list(project.memo(key, make))
    return [RelationsDecl(*row, file=file) for row in _relations_declarations(file, relations_bindings(file, project))]


# Each file's declarations as plain rows (``RelationsDecl``'s fields but the file): path ->
# rows. Which declarations a file has depends on its bytes and on which of its names call
# drizzle's relations(), which the files it imports decide (``Project.carried``): carried
# from pass to pass and kept between runs, so that a commit hook, which asks them of
# every file (SF013 measures every relations export), reads few files' summaries again.
_DECLARATIONS = ("drizzle-declarations",)


def declaration_rows(project: Project, file: SourceFile) -> tuple[tuple, ...]:
    """``relations_declarations`` as rows (``RelationsDecl``'s fields but the file): for a
    rule that reads every file's names and lines, without making objects."""
    every = project.memo(_DECLARATIONS, lambda: unaffected(project, _DECLARATIONS))
    path = file.path
    rows = every.get(path)
    if type(rows) is Unchecked:  # kept by an earlier run: checked as a file asks for them
        rows = every[path] = tuple(rows) if _checked(rows) else None
    if rows is None:
        rows = every[path] = _relations_declarations(file, relations_bindings(file, project))
    return rows


def every_declaration_row(project: Project) -> dict[str, tuple[tuple, ...]]:
    """``declaration_rows`` of every file, by path (do not mutate): SF013 measures every
    relations export, and most files declare none (one lookup per file is 0.02 s at
    19,813)."""
    every = project.memo(_DECLARATIONS, lambda: unaffected(project, _DECLARATIONS))
    if len(every) < len(project.files) or any(type(rows) is Unchecked for rows in every.values()):
        for path, file in project.files.items():
            declaration_rows(project, file)
    return every


# the types of a declaration row's fields: its table's and member's names may be None
_ROW_SHAPES = frozenset((str, str, int, int, bool, int, int, int, table, member)
                        for table in (str, type(None)) for member in (str, type(None)))


def _checked(rows: tuple) -> bool:
    """Are ``rows`` (kept by an earlier run) declaration rows?"""
    return all(type(row) is tuple and tuple(map(type, row)) in _ROW_SHAPES for row in rows)


carry_between_runs(_DECLARATIONS[0], encode_by_file, lambda kept: decode_by_file(kept, Unchecked.of))


# Summaries other modules take of a file's declarations while its tree is at hand (the
# relations graph's properties): (key for the bindings, compute(file, declarations)).
ALONGSIDE: list[tuple[Callable[[RelationsBindings], tuple], Callable[[SourceFile, list[RelationsDecl]], object]]] = []


def _relations_declarations(file: SourceFile, bindings: RelationsBindings) -> tuple[tuple, ...]:
    """The rows of ``file``'s declarations given ``bindings`` (a summary of the file)."""
    if not bindings:
        return ()
    key = ("drizzle-relations", tuple(sorted(bindings.functions)), tuple(sorted(bindings.namespaces)))

    def read() -> tuple[tuple, ...]:
        rows = _rows(file, bindings)
        decls = [RelationsDecl(*row, file=file) for row in rows]
        for key_of, compute in ALONGSIDE:  # the tree is parsed now: not once more for them
            file.summary(key_of(bindings), lambda compute=compute: compute(file, decls))
        return rows
    return file.summary(key, read)


@eager_summary(("drizzle-relations-alone",))
def _relations_alone(file: SourceFile) -> bool:
    """While the tree is at hand (in a worker process, on a cold run): the relations()
    declarations read with the bindings the file alone shows (``relations`` imported from
    drizzle-orm: the usual case), and the summaries taken alongside them (``ALONGSIDE``).
    Keyed by those bindings, they serve any snapshot whose bindings of the file are the
    same, so the main process parses no relations module again for them. (The value
    says whether the file imports drizzle's relations at all.)"""
    bindings = relations_bindings(file)
    if bindings:
        _relations_declarations(file, bindings)
    return bool(bindings)


def _rows(file: SourceFile, bindings: RelationsBindings) -> tuple[tuple, ...]:
    """The fields of each declaration but the file, as plain data."""
    out = []
    for stmt in file.tree.root_node.named_children:
        decl, exported = stmt, False
        if stmt.type == "export_statement":
            decl, exported = stmt.child_by_field_name("declaration"), True
        if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
            continue
        declarators = [c for c in decl.named_children if c.type == "variable_declarator"]
        for index, d in enumerate(declarators):
            name, value = d.child_by_field_name("name"), d.child_by_field_name("value")
            value = unwrap(value, non_null=False)  # `relations(...)!` has never been read as one
            if name is None or name.type != "identifier" or not is_relations_call(value, bindings):
                continue
            args = arguments(value)
            table = args[0] if args else None
            member = None
            if table is not None and table.type == "member_expression":
                prop = table.child_by_field_name("property")
                member = text(prop) if prop is not None and prop.type == "property_identifier" else None
            out.append((text(name), text(table) if table is not None else "", stmt.start_byte, stmt.end_byte,
                        exported, stmt.start_point.row + 1, len(declarators), index,
                        table.type if table is not None else None, member))
    return tuple(out)


def _returned_object(callback: Node | None) -> Node | None:
    if callback is None:
        return None
    # an expression body only (not ``_objects.returned``): the merges edit `=> ({ ... })`,
    # never a `{ return { ... }; }` body
    body = unwrap(callback.child_by_field_name("body"), non_null=False)
    return body if body is not None and body.type == "object" else None


def _helpers(callback: Node | None) -> Helpers:
    if callback is None:
        return Helpers("other")
    single = callback.child_by_field_name("parameter")
    if single is not None:
        return Helpers("ident", single, ident=text(single)) if single.type == "identifier" else Helpers("other")
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
        return Helpers("ident", pattern, ident=text(pattern))
    if pattern.type != "object_pattern":
        return Helpers("other")
    names: dict[str, str] = {}
    for entry in pattern.named_children:
        if entry.type == "comment":
            continue
        if entry.type == "shorthand_property_identifier_pattern":
            names[text(entry)] = text(entry)
        elif entry.type == "pair_pattern":
            key, value = entry.child_by_field_name("key"), entry.child_by_field_name("value")
            if key is None or value is None or key.type != "property_identifier" or value.type != "identifier":
                return Helpers("other")
            if text(key) in names:
                return Helpers("other")
            names[text(key)] = text(value)
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
            if obj is not None and obj.type == "identifier" and text(obj) == helpers.ident:
                if prop is None or prop.type != "property_identifier":
                    return None
                out.append((n, text(prop)))
                continue
        if n.type == "identifier":
            name = text(n)
            if helpers.style == "pattern" and name in local_to_helper:
                out.append((n, local_to_helper[name]))
            elif helpers.style == "ident" and name == helpers.ident:
                return None
        stack.extend(reversed(n.children))
    return sorted(out, key=lambda item: item[0].start_byte)


def normalised_with_helpers(node: Node, helpers: Helpers) -> str:
    """``normalised(node)`` with the helper references written ``@one`` / ``@many``, so
    ``({ one }) => one(t)`` and ``(r) => r.one(t)`` compare equal."""
    subst: dict[int, str] = {}
    if helpers.style in ("pattern", "ident"):
        for ref, helper in helper_references(node, helpers) or []:
            subst[ref.id] = "@" + helper
    return normalised(node, replace=subst)
