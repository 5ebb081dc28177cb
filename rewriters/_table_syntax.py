"""What ``_tables`` reads of one file's syntax, as plain data: taken of every file as it
is parsed (an eager summary, kept in the facts cache), so that reading the project's
drizzle tables parses no file again. Nothing here looks at another file: which calls
are tables, and what a spread or a ``.references()`` names, is ``_tables``'s business.

``syntax(file)`` is a tuple, in source order, of one ``(name, line, value)`` per
top-level ``[export] const|let|var name = value`` declarator (an identifier name) and
per top-level ``[export] function name() {}``; ``line`` is the statement's (1-based).
``value`` (seen through parentheses, ``as``, ``satisfies`` and ``!``) is

- ``None``: no value, or one ``_tables`` never reads (``let x;``, ``const x = 1``);
- ``("call", callee, columns, foreign_keys, label)``: a call (``pgTable(...).enableRLS()``
  is read as the table's call). ``callee`` is the callee's
  name for an identifier; for a member expression, the chain from an identifier to the
  property called, a call written ``"()"`` (its arguments not kept): ``("auth",
  "table")`` for ``auth.table``, ``("pgSchema", "()", "table")`` for
  ``pgSchema('auth').table``, ``("auth", "table", "withRLS")``; else None (also a chain
  longer than five). ``columns`` = the members of its second argument when that is an
  object literal or a function returning one directly (``(t) => ({ ... })``), else
  None. ``foreign_keys`` = its third argument's ``foreignKey({ columns, foreignColumns })``
  calls, each ``(columns, target, foreign_columns)``: ``target`` the name qualifying
  the foreign columns, None when it is the table itself (the declarator's name or a
  parameter of the extra-config callback). ``label`` = the string literal that is the
  first argument of the first call of the chain, for a call without columns or a chain
  holding a call, else None: ``'auth'`` of ``pgSchema('auth')`` and of
  ``pgSchema('auth').table('users', …)`` (a database schema's name, for ``schemaFilter``);
- ``("object", members)``: an object literal;
- ``("fn", members)``: an arrow function, function expression or function declaration;
  ``members`` those of the object literal it returns directly, else None.

A member is ``"key"`` (a property), ``("key", "T", "c")`` (a property whose value calls
``.references(() => T.c)``), ``("...", "name")`` / ``("...()", "name")`` (a spread of
a name, or of a call of a name without arguments) or None (a computed key, a getter, a
spread of anything else: not readable).
"""

from __future__ import annotations

from tree_sitter import Node

from codemod.parsing import string_value, text, walk
from codemod.project import SourceFile, eager_summary, packed_summary

from ._objects import MEMBER_TYPES, arguments, member_key, object_members, returned, unwrap

SYNTAX = ("drizzle-table-syntax",)
packed_summary(SYNTAX[0])  # read once a pass, ~2.4 times its bytes as objects

@eager_summary(SYNTAX)
def syntax(file: SourceFile) -> tuple:
    """The top-level bindings of ``file`` as ``_tables`` reads them (see the module)."""
    out = []
    for stmt in file.tree.root_node.named_children:
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl is None:
            continue
        line = stmt.start_point.row + 1
        if decl.type in ("lexical_declaration", "variable_declaration"):
            for d in decl.named_children:
                if d.type != "variable_declarator":
                    continue
                n = d.child_by_field_name("name")
                if n is not None and n.type == "identifier":
                    name = text(n)
                    out.append((name, line, _value(file, name, d.child_by_field_name("value"))))
        elif decl.type == "function_declaration":
            n = decl.child_by_field_name("name")
            if n is not None:
                out.append((text(n), line, _value(file, "", decl)))
    return tuple(out)


# methods a table's call may be followed by that return the same table
# (`pgTable('users', {...}).enableRLS()`, drizzle-orm 0.36 and later)
_SAME_TABLE = frozenset({"enableRLS"})


def _value(file: SourceFile, name: str, node: Node | None):
    value = unwrap(node)
    if value is None:
        return None
    while value.type == "call_expression" and not arguments(value):  # `pgTable(...).enableRLS()`: that table
        callee = value.child_by_field_name("function")
        inner = unwrap(callee.child_by_field_name("object")) if callee is not None and \
            callee.type == "member_expression" else None
        prop = callee.child_by_field_name("property") if inner is not None else None
        if inner is None or inner.type != "call_expression" or prop is None or text(prop) not in _SAME_TABLE:
            break
        value = inner
    if value.type == "call_expression":
        callee = _callee(value)
        columns, fks = _table_arguments(file, name, value)
        # the label only where ``_tables`` reads one (a schema's name), not of every table's call
        label = _label(value) if columns is None or (type(callee) is tuple and CALLED in callee) else None
        return ("call", callee, columns, fks, label)
    if value.type == "object":
        return ("object", _members(file, value))
    if value.type in ("arrow_function", "function_expression", "function_declaration"):
        body = returned(value)
        return ("fn", _members(file, body) if body is not None and body.type == "object" else None)
    return None


CALLED = "()"  # a call in a callee's chain (no name can be written so)
_MAX_CHAIN = 5  # `pg.pgSchema('x').table.withRLS`, the longest chain `_tables` reads


def _callee(call: Node) -> str | tuple[str, ...] | None:
    callee = call.child_by_field_name("function")
    if callee is None:
        return None
    if callee.type == "identifier":
        return text(callee)
    chain: list[str] = []
    node = callee
    while len(chain) < _MAX_CHAIN:
        if node.type == "identifier":
            return (text(node), *reversed(chain))
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is None or prop.type != "property_identifier":
                return None
            chain.append(text(prop))
        elif node.type == "call_expression":
            chain.append(CALLED)
        else:
            return None
        node = node.child_by_field_name("object" if node.type == "member_expression" else "function")
        if node is None:
            return None
    return None


def _label(call: Node) -> str | None:
    """The string literal that is the first argument of the first call in ``call``'s
    callee chain (``pgSchema('auth')`` of ``pgSchema('auth').table(…)``), else of ``call``."""
    first = call
    node = call.child_by_field_name("function")
    while node is not None and node.type in ("member_expression", "call_expression"):
        if node.type == "call_expression":
            first = node
        node = node.child_by_field_name("object" if node.type == "member_expression" else "function")
    args = arguments(first)
    return string_value(args[0]) if args and args[0].type == "string" else None


def _table_arguments(file: SourceFile, name: str, call: Node) -> tuple[tuple | None, tuple]:
    """(columns, foreign keys) of ``name = f('name', columns, extra)``."""
    args = arguments(call)
    columns = None
    if len(args) >= 2:
        obj = unwrap(args[1])
        if obj is not None and obj.type in ("arrow_function", "function_expression"):
            obj = returned(obj)
        if obj is not None and obj.type == "object":
            columns = _members(file, obj)
    fks = _foreign_keys(args[2], name) if len(args) >= 3 else ()
    return columns, fks


def _members(file: SourceFile, obj: Node) -> tuple:
    out = []
    for m in obj.named_children:  # as ``object_members``, without their comments and commas
        if m.type not in MEMBER_TYPES:
            continue
        if m.type == "spread_element":
            out.append(_spread(m))
            continue
        key, value = member_key(m)
        if key is None:
            out.append(None)
            continue
        ref = _column_reference(file, value)
        out.append((key, *ref) if ref is not None else key)
    return tuple(out)


def _spread(spread: Node) -> tuple[str, str] | None:
    inner = unwrap(next((c for c in spread.named_children if c.type != "comment"), None))
    if inner is None:
        return None
    call = inner.type == "call_expression"
    if call:
        if arguments(inner):
            return None  # a helper that takes arguments may build different columns
        inner = inner.child_by_field_name("function")
    if inner is None or inner.type != "identifier":
        return None
    return ("...()" if call else "...", text(inner))


def _column_reference(file: SourceFile, value: Node) -> tuple[str, str] | None:
    """("T", "c") of the first ``.references(() => T.c)`` a column builder calls; None
    when it calls none, or that one names something else."""
    if not _may_call_references(file.data, value.start_byte, value.end_byte):
        return None  # most columns (and every relations() property): no need to walk them
    for n in walk(value):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            continue
        prop = callee.child_by_field_name("property")
        if prop is None or text(prop) != "references":
            continue
        args = arguments(n)
        if not args or args[0].type != "arrow_function":
            return None
        return qualified(returned(args[0]))
    return None


def _may_call_references(data: bytes, start: int, end: int) -> bool:
    """Could ``data[start:end]`` call ``.references``: is some ``references`` followed
    (after spaces) by what may come between a callee and its arguments (``(``, type
    arguments, a comment, ``?.``)? A ``references: [...]`` key is not."""
    at = data.find(b"references", start, end)
    while at != -1:
        i = at + len(b"references")
        while i < end and data[i] in b" \t\r\n\v\f":
            i += 1
        if i < end and (data[i] in b"(</?" or data[i] >= 0x80):  # non-ASCII: maybe Unicode white space
            return True
        at = data.find(b"references", i, end)
    return False


def qualified(node: Node | None) -> tuple[str, str] | None:
    """``T.c`` as ("T", "c"); None for anything else."""
    node = unwrap(node)
    if node is None or node.type != "member_expression":
        return None
    obj, prop = unwrap(node.child_by_field_name("object")), node.child_by_field_name("property")
    if obj is None or obj.type != "identifier" or prop is None or prop.type != "property_identifier":
        return None
    return text(obj), text(prop)


def _foreign_keys(extra: Node, table_name: str) -> tuple:
    """``foreignKey({ columns: [t.a], foreignColumns: [x.b] })`` in the extra config, as
    ``(("a",), "x", ("b",))``; the target is None when ``x`` is the table itself."""
    params: set[str] = {table_name}
    fn = unwrap(extra)
    if fn is not None and fn.type == "arrow_function":
        p = fn.child_by_field_name("parameter")
        if p is not None:
            params.add(text(p))
        ps = fn.child_by_field_name("parameters")
        if ps is not None:
            for rp in ps.named_children:
                pat = rp.child_by_field_name("pattern")
                if pat is not None and pat.type == "identifier":
                    params.add(text(pat))
    out = []
    for n in walk(extra):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        if callee is None or callee.type != "identifier" or text(callee) != "foreignKey":
            continue
        args = arguments(n)
        if not args or unwrap(args[0]).type != "object":
            continue
        fields: dict[str, Node] = {}
        for m in object_members(unwrap(args[0])):
            if m.key is not None:
                fields[m.key] = unwrap(m.value)
        cols, fcols = fields.get("columns"), fields.get("foreignColumns")
        if cols is None or fcols is None or cols.type != "array" or fcols.type != "array":
            continue
        own = [qualified(c) for c in cols.named_children if c.type != "comment"]
        theirs = [qualified(c) for c in fcols.named_children if c.type != "comment"]
        if not own or None in own or None in theirs or len(own) != len(theirs):
            continue
        if any(q[0] not in params for q in own):
            continue
        targets = {q[0] for q in theirs}
        if len(targets) != 1:
            continue
        (t,) = targets
        out.append((tuple(q[1] for q in own), None if t in params else t,
                    tuple(q[1] for q in theirs)))
    return tuple(out)
