"""Object literals read as members, with the comments that belong to them, and code
compared by meaning rather than layout. Generic: nothing here knows about drizzle.

- ``object_members(obj) -> list[Member]``: the members of an object literal with
  their comments and commas; ``dangling_comments(obj)``: the comments after the last one.
- ``member_removal_span(data, member, keep_comments=...)``: the bytes that remove a member.
- ``member_key(node)``: a member's static key, if it has one; ``repeats_a_key(obj)``: do two share one?
- ``normalised(node, ...)`` compares code whitespace-, comment- and trailing-comma-insensitively.
- ``one_line(data, node)``: a member's code on one short line, for notes.
- ``unwrap(node)``, ``arguments(call)``, ``returned(fn)``: an expression seen through
  parentheses and type assertions, a call's arguments, what a function returns directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from sys import intern
from typing import Mapping

from tree_sitter import Node

from codemod.lines import end_of_line, start_of_line
from codemod.parsing import text

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


def object_members(obj: Node) -> list[Member]:
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


def member_removal_span(data: bytes, member: Member, *, keep_comments: bool) -> tuple[int, int]:
    """The bytes to delete to remove ``member`` (with its comma) from its object.

    A member alone on its lines goes with its whole lines; one that shares a line goes
    with the spaces after it (or, at the end of a line, the spaces before it). With
    ``keep_comments`` its leading and trailing comments stay."""
    start, end = (member.node.start_byte, member.core_end) if keep_comments else (member.start, member.end)
    line_start = start_of_line(data, start)
    line_end = end_of_line(data, end)
    if not data[line_start:start].strip() and not data[end:line_end].strip():
        return line_start, line_end
    stop = end
    while stop < len(data) and data[stop:stop + 1] in (b" ", b"\t"):
        stop += 1
    if stop >= len(data) or data[stop:stop + 1] in (b"\n", b"\r"):
        while start > line_start and data[start - 1:start] in (b" ", b"\t"):
            start -= 1
    return start, stop


def dangling_comments(obj: Node) -> list[Node]:
    """Comments after the last member that do not trail it on its line."""
    members = object_members(obj)
    taken = {c.id for m in members for c in m.comments}
    after = members[-1].end if members else obj.start_byte
    return [c for c in obj.children if c.type == "comment" and c.id not in taken and c.start_byte >= after]


# --- expressions ------------------------------------------------------------------------

_WRAPPERS = ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")


def unwrap(node: Node | None, *, non_null: bool = True) -> Node | None:
    """Look through ``(x)``, ``x as T``, ``x satisfies T`` and (unless ``non_null`` is
    False) ``x!``."""
    wrappers = _WRAPPERS if non_null else _WRAPPERS[:-1]
    while node is not None and node.type in wrappers:
        inner = [c for c in node.named_children if c.type != "comment"]
        node = inner[0] if inner else None
    return node


def top_level_values(root: Node, name: str) -> list[tuple[bool, Node | None]]:
    """Each top-level ``[export] const|let|var name = value`` of the file ``root`` is the
    tree of: (is it ``const``, the value seen through parentheses and ``as``), in order."""
    found = []
    for stmt in root.named_children:
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl is None or decl.type not in ("lexical_declaration", "variable_declaration"):
            continue
        const = decl.type == "lexical_declaration" and decl.child(0) is not None and decl.child(0).type == "const"
        for d in decl.named_children:
            n = d.child_by_field_name("name") if d.type == "variable_declarator" else None
            if n is not None and n.type == "identifier" and text(n) == name:
                found.append((const, unwrap(d.child_by_field_name("value"))))
    return found


def arguments(call: Node) -> list[Node]:
    """The arguments of a call expression, comments left out."""
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def returned(fn: Node) -> Node | None:
    """What an arrow function or function returns directly (an expression body, or a
    body that is a single ``return x``), unwrapped."""
    body = fn.child_by_field_name("body")
    if body is None:
        return None
    if body.type == "statement_block":
        stmts = [c for c in body.named_children if c.type != "comment"]
        if len(stmts) == 1 and stmts[0].type == "return_statement":
            vals = [c for c in stmts[0].named_children if c.type != "comment"]
            return unwrap(vals[0]) if vals else None
        return None
    return unwrap(body)


def repeats_a_key(obj: Node) -> bool:
    """Do two members of the object literal ``obj`` share a static key? (A first look at
    the keys alone, before comments and layout are read.)

    First by the keys' raw bytes, a string key's quotes taken off: two keys that are the
    same are the same bytes then (a number key, which may be written two ways, goes to the
    exact look), so an object whose raw keys are all different repeats none. Only an
    object where two raw keys meet is looked at again exactly (``member_key``): of the
    21,567 objects of two members or more in the 4,993 bench files, 32 are."""
    seen: set[bytes] = set()
    for child in obj.named_children:
        kind = child.type
        if kind == "pair":
            key = child.child_by_field_name("key")
            if key is None:
                continue
            if key.type == "number":
                return _repeats_a_key(obj)
            raw = key.text
            if key.type == "string":
                raw = raw[1:-1]
        elif kind == "shorthand_property_identifier":
            raw = child.text
        elif kind == "method_definition":
            name = child.child_by_field_name("name")
            if name is None:
                continue
            raw = name.text
        else:
            continue
        if raw in seen:
            return _repeats_a_key(obj)
        seen.add(raw)
    return False


def _repeats_a_key(obj: Node) -> bool:
    seen = set()
    for child in obj.named_children:
        if child.type not in ("pair", "method_definition", "shorthand_property_identifier"):
            continue
        key = member_key(child)[0]
        if key is None:
            continue
        if key in seen:
            return True
        seen.add(key)
    return False


def member_key(node: Node) -> tuple[str | None, Node]:
    """(key, value node) of an object member; key None when it cannot be known statically."""
    if node.type == "shorthand_property_identifier":
        return text(node), node
    if node.type == "spread_element":
        return None, node
    if node.type == "method_definition":
        name = node.child_by_field_name("name")
        accessor = [c.type for c in node.children if not c.is_named and c.type in ("get", "set", "async", "*")]
        if accessor or name is None:
            return None, node
        return _keytext(name), node
    key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
    if key is None or value is None:
        return None, node
    return _keytext(key), value


def _keytext(key: Node) -> str | None:
    """The key as a name, interned as ``text`` interns names (summaries keep keys)."""
    if key.type in ("property_identifier", "identifier", "private_property_identifier"):
        return text(key)
    if key.type == "string":
        raw = text(key)
        return intern(raw[1:-1]) if "\\" not in raw else None
    if key.type == "number":
        try:
            number = float(text(key).replace("_", ""))
        except ValueError:
            return None
        return intern(str(int(number)) if number.is_integer() else repr(number))
    return None  # computed_property_name and anything unexpected


# --- comparing code --------------------------------------------------------------------

_CLOSERS = (")", "]", "}", ">")


def normalised(node: Node, *, replace: Mapping[int, str] | None = None, comments: bool = False) -> str:
    """``node``'s code as a string that ignores whitespace, (by default) comments, trailing
    commas and quote style; ``replace`` maps node ids to the token written in their place."""
    subst = replace or {}
    tokens: list[str] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.id in subst:
            tokens.append(subst[n.id])
            continue
        if n.type == "comment":
            if comments:
                tokens.append(" ".join(text(n).split()))
            continue
        if n.type == "string":
            raw = text(n)
            inner = raw[1:-1]
            tokens.append('"' + (inner.replace('"', '\\"') if raw[:1] == "'" else inner) + '"')
            continue
        if n.child_count == 0 or n.type in ("template_string", "regex", "number"):
            tokens.append(text(n))
            continue
        stack.extend(reversed(n.children))
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok == "," and i + 1 < len(tokens) and tokens[i + 1] in _CLOSERS:
            continue
        out.append(tok)
    return " ".join(out)


def one_line(data: bytes, node: Node) -> str:
    """``node``'s code on one line (each run of whitespace one space), cut to 120
    characters: how a note shows a member."""
    code = " ".join(data[node.start_byte:node.end_byte].decode("utf-8", "replace").split())
    return code if len(code) <= 120 else code[:117] + "..."
