"""What each top-level exported declaration of a file is, apart from its name: the
evidence that an export was renamed and nothing else changed (``export const
userAccounts = pgTable(…)`` become ``export const accounts = pgTable(…)``).

``exported_declarations(root, data)`` maps each name to its statement's tokens (its
leaves: a string's contents as written, comments too) joined by one space, the name's
own token written as a placeholder: the layout may change, nothing else. Only
declarations binding one name count: ``export const|let|var x = …`` with one declarator
and ``export function|class|interface|type|enum x``; a name declared twice (overloads, a
merged interface) is left out, since its statements cannot be paired one to one.
"""

from __future__ import annotations

from tree_sitter import Node

from .parsing import parse

_ONE_NAME = frozenset({"function_declaration", "generator_function_declaration", "class_declaration",
                       "abstract_class_declaration", "interface_declaration", "type_alias_declaration",
                       "enum_declaration"})
PLACEHOLDER = b"\0"


def of_bytes(path: str, data: bytes) -> dict[str, bytes]:
    """``exported_declarations`` of a file's bytes (parsed here)."""
    return exported_declarations(parse(path, data).root_node, data)


def exported_declarations(root: Node, data: bytes) -> dict[str, bytes]:
    """name -> its declaration's text apart from the name (see the module)."""
    out: dict[str, bytes] = {}
    twice: set[str] = set()
    for stmt in root.named_children:
        if stmt.type != "export_statement":
            continue
        decl = stmt.child_by_field_name("declaration")
        name = _one_name(decl) if decl is not None else None
        if name is None:
            continue
        key = data[name.start_byte:name.end_byte].decode("utf-8", "replace")
        if key in out:
            twice.add(key)
        out[key] = _tokens(stmt, name, data)
    for key in twice:
        del out[key]
    return out


def _tokens(stmt: Node, name: Node, data: bytes) -> bytes:
    """The statement's leaves (tokens, comments, string contents as written), one space
    between each, ``name`` written as the placeholder: the layout between tokens is free,
    the bytes of a string are not (`pgTable('user  accounts')` is another table)."""
    out = []
    stack = [stmt]
    while stack:
        node = stack.pop()
        if node.id == name.id:
            out.append(PLACEHOLDER)
        elif node.child_count == 0:
            out.append(data[node.start_byte:node.end_byte])
        else:
            stack.extend(reversed(node.children))
    return b" ".join(out)


def _one_name(decl: Node) -> Node | None:
    if decl.type in _ONE_NAME:
        return decl.child_by_field_name("name")
    if decl.type in ("lexical_declaration", "variable_declaration"):
        declarators = [d for d in decl.named_children if d.type == "variable_declarator"]
        if len(declarators) == 1:
            name = declarators[0].child_by_field_name("name")
            return name if name is not None and name.type == "identifier" else None
    return None


def renamed_as(before: dict[str, bytes], now: dict[str, bytes], name: str) -> str | None:
    """The one name of ``now`` whose declaration reads as ``before``'s ``name`` did, under a
    name ``before`` does not declare (both ``exported_declarations`` of one file, before and
    after); None when there is none, or several."""
    then = before.get(name)
    if then is None:
        return None
    same = [n for n, text in now.items() if text == then and n not in before]
    return same[0] if len(same) == 1 else None
