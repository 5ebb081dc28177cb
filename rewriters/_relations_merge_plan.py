"""Merging drizzle ``relations()`` declarations: what SF003 (duplicate relations in one
file) and the barrel rule (relations moved next to their twin) share. No rule owns it.

- ``plan_merge(dest, first, sources) -> MergePlan``: the edits that merge the properties of
  ``sources`` into ``first``, or why they cannot be merged.
- ``plan_insert(dest, first, props) -> MergePlan``: the edits that add new, generated
  properties to ``first`` (the relation rules' fixes), in the same layout.
- ``removal_edits(file, decls)``: delete declarations with the comments above them.
- ``table_identity(file, project, decl)``: which table a ``relations()`` call is for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tree_sitter import Node

from codemod.lines import end_of_line, line_indent, start_of_line
from codemod.model import Edit
from codemod.parsing import walk
from codemod.project import Project, SourceFile
from codemod.style import blank_line_before, detect, removal_span

from ._drizzle import Helpers, RelationsDecl, helper_references, normalised_with_helpers
from ._objects import Member, dangling_comments, object_members
from ._tables import identity, import_binding


@dataclass
class MergePlan:
    edits: list[Edit] = field(default_factory=list)
    conflicts: list[tuple[str, tuple[Member, Member]]] = field(default_factory=list)
    problem: str | None = None
    moved: list[Member] = field(default_factory=list)  # the members copied into the first declaration


class _CannotMerge(Exception):
    """The declarations cannot be merged automatically; the message says why."""


def plan_merge(dest: SourceFile, first: RelationsDecl,
               sources: list[tuple[SourceFile, RelationsDecl]]) -> MergePlan:
    """Merge the properties of ``sources`` (declarations, each with its file, possibly
    another file than ``dest``) into ``first`` (a declaration of ``dest``), as SF003 does:
    property union in order, identical properties once, comments travel, the helper
    parameter becomes the union. ``edits`` touch ``dest`` only (removing the sources is
    the caller's: ``removal_edits``); ``moved`` lists the members copied into ``first``.
    A conflicting key fills ``conflicts`` (no edits); anything unusual sets ``problem``."""
    plan = MergePlan()
    try:
        _merge_into(dest, first, sources, plan)
    except _CannotMerge as reason:
        plan.problem = str(reason)
        plan.edits = []
        plan.moved = []
    if plan.conflicts:
        plan.edits = []
        plan.moved = []
    return plan


def _merge_into(file: SourceFile, first: RelationsDecl, sources: list[tuple[SourceFile, RelationsDecl]],
                plan: MergePlan) -> None:
    files = {id(first): file, **{id(d): f for f, d in sources}}
    later = [d for _, d in sources]
    group = [first, *later]
    for d in group:
        if d.declarators != 1:
            raise _CannotMerge(f"line {d.line} declares several variables in one statement")
        if d.object is None:
            raise _CannotMerge(f"the callback at line {d.line} does not return an object literal directly")
        if d.helpers.style == "other":
            raise _CannotMerge(f"the callback parameter at line {d.line} is not `({{ one, many }})`, `(r)` or `()`")
        if any(c.type == "comment" for c in walk(d.call) if not _inside(c, d.object)):
            if d is not first:
                raise _CannotMerge(f"line {d.line} has comments outside its property list")
    # Same key, different code inside one object: SF004's business first.
    for d in group:
        seen: dict[str, tuple[str, Member]] = {}
        for m in object_members(d.object):
            if m.key is None:
                if d is not first:
                    raise _CannotMerge(f"line {m.line} is a spread or a computed key")
                continue
            value = normalised_with_helpers(m.value, d.helpers)
            if m.key in seen and seen[m.key][0] != value:
                raise _CannotMerge(f"'{m.key}' is written twice with different values in one object "
                            f"(lines {seen[m.key][1].line} and {m.line}); see SF004")
            seen.setdefault(m.key, (value, m))

    # The union of properties.
    known: dict[str, tuple[str, Member]] = {}
    for m in object_members(first.object):
        if m.key is not None:
            known.setdefault(m.key, (normalised_with_helpers(m.value, first.helpers), m))
    first_comments = {" ".join(file.node_text(c).split()) for c in walk(first.object) if c.type == "comment"}
    items: list[tuple[str, object, RelationsDecl]] = []  # ("member", Member, decl) | ("comment", Node, decl)
    for d in later:
        src = files[id(d)]
        for c in _comments_above(src, d):
            items.append(("comment", c, d))
        for m in object_members(d.object):
            value = normalised_with_helpers(m.value, d.helpers)
            if m.key in known:
                if known[m.key][0] != value:
                    plan.conflicts.append((m.key, (known[m.key][1], m)))
                    continue
                for c in m.comments:  # a dropped twin's comments are kept unless already there
                    if " ".join(src.node_text(c).split()) not in first_comments:
                        items.append(("comment", c, d))
                continue
            known[m.key] = (value, m)
            items.append(("member", m, d))
        for c in dangling_comments(d.object):
            items.append(("comment", c, d))
    if plan.conflicts:
        return

    # Helper references in the moved members, rewritten for the first callback.
    additions: dict[str, str] = {}  # helper -> local name to add to the first callback's parameter
    member_texts: dict[int, str] = {}
    members = [(item, d) for kind, item, d in items if kind == "member"]
    found_refs = []
    for item, d in members:
        refs = helper_references(item.node, d.helpers) if d.helpers.style != "none" else []
        if refs is None:
            raise _CannotMerge(f"the helper parameter is used in an unusual way at line {item.line}")
        found_refs.append(refs)
    # a name the first callback or a moved member reads from outside (`relationName: many`
    # with a module-level `many`) cannot become a parameter: it would be captured
    helper_nodes = {ref.id for refs in found_refs for ref, _ in refs}
    used = _names_read(first.callback) | {n for item, _ in members for n in _names_read(item.node, helper_nodes)}
    for (item, d), refs in zip(members, found_refs):
        replacements = []
        for ref, helper in refs:
            target = _target(first.helpers, d.helpers, helper, additions, used)
            replacements.append((ref.start_byte, ref.end_byte, target))
        member_texts[item.node.id] = _splice(files[id(d)].data, item.node.start_byte, item.node.end_byte,
                                             replacements)
        plan.moved.append(item)

    style = detect(file)
    nl = style.newline
    plan.edits += _parameter_edits(file, first, additions)
    plan.edits += _insert_edits(file, first, items, member_texts, style.indent, nl,
                                source=lambda d: files[id(d)])


def _names_read(node: Node | None, skip: frozenset[int] | set[int] = frozenset()) -> set[str]:
    """The identifiers ``node`` reads (shorthand properties included), but the nodes in ``skip``."""
    if node is None:
        return set()
    return {n.text.decode("utf-8", "replace") for n in walk(node)
            if n.type in ("identifier", "shorthand_property_identifier") and n.id not in skip}


def _target(first: Helpers, other: Helpers, helper: str, additions: dict[str, str],
            used: set[str] = frozenset()) -> str:
    """How the first callback names ``helper`` (recording a parameter addition if needed;
    never a name in ``used``, one the code it will hold reads from outside)."""
    if first.style == "ident":
        return f"{first.ident}.{helper}"
    if helper in first.names:
        return first.names[helper]
    if helper in additions:
        return additions[helper]
    wanted = other.names.get(helper, helper) if other.style == "pattern" else helper
    taken = set(first.names.values()) | set(additions.values()) | (set(used) - set(first.names.values()))
    if wanted in taken:
        wanted = helper
    if wanted in taken:
        why = "the code it holds reads another" if wanted in used else "the name is taken"
        raise _CannotMerge(f"cannot add helper '{helper}' to the first callback: {why} `{wanted}`")
    additions[helper] = wanted
    return wanted


def _parameter_edits(file: SourceFile, first: RelationsDecl, additions: dict[str, str]) -> list[Edit]:
    if not additions:
        return []
    entries = [h if local == h else f"{h}: {local}" for h, local in additions.items()]
    h = first.helpers
    if h.style == "none":
        return [Edit(file.path, h.node.start_byte, h.node.end_byte, f"({{ {', '.join(entries)} }})".encode())]
    pattern = h.node
    existing = [c for c in pattern.named_children if c.type != "comment"]
    if not existing:
        return [Edit(file.path, pattern.start_byte, pattern.end_byte, f"{{ {', '.join(entries)} }}".encode())]
    return [Edit.insert(file.path, existing[-1].end_byte, "".join(f", {e}" for e in entries).encode())]


def _insert_edits(file: SourceFile, first: RelationsDecl, items, member_texts: dict[int, str],
                  unit: str, nl: str, source) -> list[Edit]:
    """``source(decl)`` is the file an item's declaration is in."""
    data = file.data
    obj = first.object
    members = object_members(obj)
    single_line = obj.start_point.row == obj.end_point.row
    base = line_indent(data, first.start)
    indent = line_indent(data, members[0].start) if members and not single_line else base + unit

    new_lines: list[str] = []
    inline: list[str] = []
    for kind, item, d in items:
        if kind == "text":  # a generated property (its continuation lines indented from 0)
            new_lines.append(indent + item.replace("\n", nl + indent) + ",")
            inline.append(item if "\n" not in item else "")
            continue
        src = source(d)
        if kind == "comment":
            new_lines.append(indent + _reindent(src.data, item.start_byte, src.node_text(item), indent, nl))
            inline.append("")  # comments force the multi-line layout
            continue
        text = member_texts[item.node.id]
        lines = [indent + _reindent(src.data, c.start_byte, src.node_text(c), indent, nl) for c in item.leading]
        tail = "".join(" " + src.node_text(c) for c in item.trailing)
        lines.append(indent + _reindent(src.data, item.node.start_byte, text, indent, nl) + "," + tail)
        new_lines.extend(lines)
        inline.append(text if not item.comments and "\n" not in text else "")
    if not new_lines:
        return []

    if single_line and all(inline) and not any(c.type == "comment" for c in obj.children):
        if not members:
            return [Edit(file.path, obj.start_byte, obj.end_byte, ("{ " + ", ".join(inline) + " }").encode())]
        last = members[-1]
        if last.comma is not None:
            return [Edit.insert(file.path, last.comma.end_byte, "".join(f" {t}," for t in inline).encode())]
        return [Edit.insert(file.path, last.node.end_byte, "".join(f", {t}" for t in inline).encode())]

    if single_line:  # rebuild the first object on several lines
        lines = []
        for m in members:
            lines += [indent + file.node_text(c) for c in m.leading]
            lines.append(indent + file.node_text(m.node) + "," + "".join(" " + file.node_text(c) for c in m.trailing))
        lines += [indent + file.node_text(c) for c in dangling_comments(obj)]
        body = "{" + nl + "".join(line + nl for line in lines + new_lines) + base + "}"
        return [Edit(file.path, obj.start_byte, obj.end_byte, body.encode())]

    edits = []
    if members:
        last = members[-1]
        if last.comma is None and last.trailing:
            edits.append(Edit.insert(file.path, last.node.end_byte, b","))
        at = last.end
        comma = "," if last.comma is None and not last.trailing else ""
    else:
        at, comma = obj.children[0].end_byte, ""  # after `{`
    edits.append(Edit.insert(file.path, at, (comma + "".join(nl + line for line in new_lines)).encode()))
    return edits


def plan_insert(dest: SourceFile, first: RelationsDecl, props: list[tuple[str, Callable[[Callable[[str], str]], str]]]
                ) -> MergePlan:
    """Insert new properties into ``first`` (a declaration of ``dest``), as the merge
    writes them: each is (key, render), ``render(helper)`` writes the code given how the
    callback names a helper (``one`` -> ``one``, ``r.one``; the parameter gains what it
    lacks). A key ``first`` already has sets ``problem``."""
    plan = MergePlan()
    if first.declarators != 1 or first.object is None or first.helpers.style == "other":
        plan.problem = f"the relations() at line {first.line} is not a plain `relations(t, ({{ one }}) => ({{ ... }}))`"
        return plan
    keys = {m.key for m in object_members(first.object)}
    taken = [k for k, _ in props if k in keys]
    if taken:
        plan.problem = f"`{first.name}` already has a property '{taken[0]}'"
        return plan
    additions: dict[str, str] = {}
    none = Helpers("none")
    used = _names_read(first.callback)
    try:
        texts = [render(lambda helper: _target(first.helpers, none, helper, additions, used)) for _, render in props]
    except _CannotMerge as reason:
        plan.problem = str(reason)
        return plan
    style = detect(dest)
    plan.edits += _parameter_edits(dest, first, additions)
    plan.edits += _insert_edits(dest, first, [("text", t, first) for t in texts], {}, style.indent, style.newline,
                                source=lambda d: dest)
    return plan


def removal_edits(file: SourceFile, decls: list[RelationsDecl]) -> list[Edit]:
    """Delete ``decls`` of ``file`` with the comment block above each, without blank-line
    debris, and a section comment left describing nothing (as SF003's merge does)."""
    data = file.data
    spans = sorted(removal_span(file, d.start, d.end, with_comments=True) for d in decls)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for span in merged:  # two removals side by side can leave two blank lines, or one at the end
        s, e = span
        whole_lines = (s == 0 or data[s - 1:s] == b"\n") and (e >= len(data) or data[e - 1:e] == b"\n")
        if not whole_lines:
            continue
        if e >= len(data):
            while s > 0 and blank_line_before(data, s):
                s = start_of_line(data, s - 1)
        elif (s == 0 or blank_line_before(data, s)) and not data[e:end_of_line(data, e)].strip():
            e = end_of_line(data, e)
        span[0], span[1] = s, e
    # A section comment left with nothing after it (`// Back-relations` above the removed
    # declarations at the end of the file) describes nothing any more: it goes too.
    s, e = merged[-1]
    if not data[e:].strip():
        head = _orphan_comment_start(file, s)
        if head is not None:
            merged[-1][0] = head
            s = head
            if e >= len(data):
                while s > 0 and not data[start_of_line(data, s - 1):s].strip():
                    s = start_of_line(data, s - 1)
                merged[-1][0] = s
    return [Edit.delete(file.path, s, e) for s, e in merged]


def _orphan_comment_start(file: SourceFile, pos: int) -> int | None:
    """If the text just before ``pos`` is blank lines, then a comment block that stands
    alone (a blank line or the file start above it), the start of that block's line."""
    root = file.tree.root_node
    before = [n for n in root.children if n.end_byte <= pos]
    if not before or before[-1].type != "comment":
        return None
    block = [before[-1]]
    for n in reversed(before[:-1]):
        if n.type == "comment" and n.end_point.row + 1 >= block[0].start_point.row:
            block.insert(0, n)
        else:
            break
    head = block[0]
    idx = before.index(head)
    if idx > 0 and before[idx - 1].end_point.row + 1 >= head.start_point.row:
        return None  # hangs on to the code above it
    line_start = start_of_line(file.data, head.start_byte)
    if file.data[line_start:head.start_byte].strip():
        return None
    return line_start


def _comments_above(file: SourceFile, decl: RelationsDecl) -> list[Node]:
    """The comment block directly above a declaration (no blank line between), which
    ``removal_span(with_comments=True)`` removes with it: it moves with the properties."""
    data = file.data
    line_start = start_of_line(data, decl.start)
    start, _ = removal_span(file, decl.start, decl.end, with_comments=True)
    if start >= line_start:
        return []
    return [n for n in file.tree.root_node.children
            if n.type == "comment" and start <= n.start_byte and n.end_byte <= line_start]


def _reindent(data: bytes, start: int, text: str, indent: str, nl: str) -> str:
    """``text`` (which started at byte ``start``) with its continuation lines moved from
    the indentation of its first line to ``indent``."""
    old = line_indent(data, start)
    lines = text.replace("\r\n", "\n").split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        out.append(indent + line[len(old):] if line.startswith(old) else line)
    return nl.join(out)


def _splice(data: bytes, start: int, end: int, replacements: list[tuple[int, int, str]]) -> str:
    out = bytearray()
    pos = start
    for s, e, text in sorted(replacements):
        out += data[pos:s] + text.encode()
        pos = e
    out += data[pos:end]
    return out.decode("utf-8")


def _inside(node: Node, outer: Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def table_identity(file: SourceFile, project: Project, decl: RelationsDecl) -> tuple[str, str]:
    """(defining module, name) of the table a relations() call is for: ``_tables.identity``
    of its first argument when that argument is imported from a project module, never
    None. It differs from ``identity`` on purpose where identity cannot tell or names a
    package: the result is ("", the name as imported, or as written), a key under which
    SF006 still groups the relations of one unresolved table, and which the cross-module
    merge reads as "cannot tell". A declaration of the name, ambient included, is this
    file's own table."""
    if decl.table_kind != "identifier":
        return ("", decl.table)
    name = decl.table
    found = import_binding(file, name)
    if found is None or found[1].imported in ("*", "default"):
        if any(d.name == name for d in file.facts.declarations):
            return (file.path, name)
        return ("", name)
    site, entry = found
    if project.resolver.resolve(file.path, site.specifier).ok:
        known = identity(project, file, name)
        if known is not None:
            return known
    return ("", entry.imported)
