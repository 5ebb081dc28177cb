"""SF003: one table's ``relations()`` declared twice in a file, merged losslessly;
SF006: relations for one table (or one relations export name) defined in two modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from tree_sitter import Node

from codemod.facts import IMPORT
from codemod.model import Applicability, Diagnostic, Edit, Fix
from codemod.parsing import walk
from codemod.project import Project, SourceFile
from codemod.rules import Context, rule
from codemod.style import blank_line_before, detect, removal_span

from ._drizzle import (Helpers, Member, RelationsDecl, dangling_comments, helper_references, normalised,
                       object_members, relations_declarations)

_VALUE_KEYWORDS = frozenset({"const", "let", "var", "function", "class"})


@rule("SF003", "duplicate-relations", "One table's relations() declared twice in a file: merge them",
      fix=Applicability.SAFE)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds a name declared more than once at the top level of a file where at least one
    declaration is a drizzle ``relations(table, (helpers) => ({ ... }))`` call
    (TypeScript: TS2451 "Cannot redeclare block-scoped variable").

    Drizzle merges every ``relations()`` of a table, so deleting the later declaration
    loses the relations only it holds (typically the ``many()`` back-relations). The
    fix merges the later declarations into the first: its properties first, then each
    new property of the later ones, in order; a property with the same key and the same
    code is kept once; comments travel with their properties; the helper parameter
    becomes the union (``({ one })`` + ``({ many })`` -> ``({ one, many })``, also across
    ``(r) => r.one(...)`` callbacks). Safe.

    The same key with different code is a conflict: no fix, both definitions are shown.
    The same name for different tables, or with a non-``relations`` value, is reported
    only. Duplicate keys inside one object are SF004's.
    """
    for file in ctx.files():
        if file.facts.has_error:
            continue
        decls = relations_declarations(file, ctx.project)
        if not decls:
            continue
        by_name: dict[str, list[RelationsDecl]] = {}
        for decl in decls:
            by_name.setdefault(decl.name, []).append(decl)
        others: dict[str, list[int]] = {}
        starts = {d.start for d in decls}
        for d in file.facts.declarations:
            if d.keyword in _VALUE_KEYWORDS and not d.ambient and d.start not in starts:
                others.setdefault(d.name, []).append(d.line)
        for name, group in by_name.items():
            if name in others:
                lines = ", ".join(str(n) for n in sorted([d.line for d in group] + others[name]))
                yield ctx.diagnostic(
                    "SF003", file, group[0].start,
                    f"'{name}' is declared more than once (lines {lines}) and not every declaration is a "
                    "relations() call; rename or remove one by hand", end=group[0].end)
                continue
            if len(group) < 2:
                continue
            yield _check_group(ctx, file, name, group)


def _check_group(ctx: Context, file: SourceFile, name: str, group: list[RelationsDecl]) -> Diagnostic:
    first, later = group[0], group[1:]
    lines = ", ".join(str(d.line) for d in group)
    where = (later[0].start, later[0].end)
    tables = {d.table for d in group}
    if len(tables) > 1:
        notes = tuple(f"line {d.line}: relations({d.table}, ...)" for d in group)
        return ctx.diagnostic(
            "SF003", file, where[0],
            f"'{name}' is declared {len(group)} times (lines {lines}) for different tables; "
            "rename one by hand", end=where[1], notes=notes)
    plan = _plan(file, group)
    if plan.conflicts:
        notes = []
        for key, (a, b) in plan.conflicts:
            notes.append(f"line {a.line}: {_one_line(file, a.node)}")
            notes.append(f"line {b.line}: {_one_line(file, b.node)}")
        keys = ", ".join(f"'{key}' (lines {a.line} and {b.line})" for key, (a, b) in plan.conflicts)
        return ctx.diagnostic(
            "SF003", file, where[0],
            f"'{name}' declares relations for '{first.table}' {len(group)} times (lines {lines}) and they "
            f"define {keys} differently; merge them by hand", end=where[1], notes=tuple(notes))
    message = (f"'{name}' declares relations for '{first.table}' {len(group)} times (lines {lines}); "
               "the later declarations should be merged into the first")
    if plan.problem:
        return ctx.diagnostic("SF003", file, where[0], message, end=where[1],
                              notes=(f"not merged automatically: {plan.problem}",))
    fix = None
    if ctx.can_edit(file.path):
        fix = Fix(f"Merge the {len(group)} declarations of '{name}' into the first", tuple(plan.edits),
                  Applicability.SAFE)
    return ctx.diagnostic("SF003", file, where[0], message, fix=fix, end=where[1])


def _one_line(file: SourceFile, node: Node) -> str:
    text = " ".join(file.data[node.start_byte:node.end_byte].decode("utf-8", "replace").split())
    return text if len(text) <= 120 else text[:117] + "..."


# --- planning the merge -------------------------------------------------------------


@dataclass
class _Plan:
    edits: list[Edit] = field(default_factory=list)
    conflicts: list[tuple[str, tuple[Member, Member]]] = field(default_factory=list)
    problem: str | None = None
    moved: list[Member] = field(default_factory=list)  # the members copied into the first declaration


class _Stop(Exception):
    pass


def _plan(file: SourceFile, group: list[RelationsDecl]) -> _Plan:
    plan = _Plan()
    try:
        _build(file, group, plan)
    except _Stop as stop:
        plan.problem = str(stop)
        plan.edits = []
    return plan


def _build(file: SourceFile, group: list[RelationsDecl], plan: _Plan) -> None:
    first, later = group[0], group[1:]
    _merge_into(file, first, [(file, d) for d in later], plan)
    if plan.conflicts:
        return
    plan.edits += _removal_edits(file, later)


def plan_merge(dest: SourceFile, first: RelationsDecl,
               sources: list[tuple[SourceFile, RelationsDecl]]) -> _Plan:
    """Merge the properties of ``sources`` (declarations, each with its file, possibly
    another file than ``dest``) into ``first`` (a declaration of ``dest``), as SF003 does:
    property union in order, identical properties once, comments travel, the helper
    parameter becomes the union. ``edits`` touch ``dest`` only (removing the sources is
    the caller's: ``removal_edits``); ``moved`` lists the members copied into ``first``.
    A conflicting key fills ``conflicts`` (no edits); anything unusual sets ``problem``."""
    plan = _Plan()
    try:
        _merge_into(dest, first, sources, plan)
    except _Stop as stop:
        plan.problem = str(stop)
        plan.edits = []
        plan.moved = []
    if plan.conflicts:
        plan.edits = []
        plan.moved = []
    return plan


def removal_edits(file: SourceFile, decls: list[RelationsDecl]) -> list[Edit]:
    """Delete ``decls`` of ``file`` with the comment block above each, without blank-line
    debris, and a section comment left describing nothing (as SF003's merge does)."""
    return _removal_edits(file, decls)


def _merge_into(file: SourceFile, first: RelationsDecl, sources: list[tuple[SourceFile, RelationsDecl]],
                plan: _Plan) -> None:
    files = {id(first): file, **{id(d): f for f, d in sources}}
    later = [d for _, d in sources]
    group = [first, *later]
    for d in group:
        if d.declarators != 1:
            raise _Stop(f"line {d.line} declares several variables in one statement")
        if d.object is None:
            raise _Stop(f"the callback at line {d.line} does not return an object literal directly")
        if d.helpers.style == "other":
            raise _Stop(f"the callback parameter at line {d.line} is not `({{ one, many }})`, `(r)` or `()`")
        if any(c.type == "comment" for c in walk(d.call) if not _inside(c, d.object)):
            if d is not first:
                raise _Stop(f"line {d.line} has comments outside its property list")
    # Same key, different code inside one object: SF004's business first.
    for d in group:
        seen: dict[str, tuple[str, Member]] = {}
        for m in object_members(d.object, files[id(d)].data):
            if m.key is None:
                if d is not first:
                    raise _Stop(f"line {m.line} is a spread or a computed key")
                continue
            value = normalised(m.value, helpers=d.helpers)
            if m.key in seen and seen[m.key][0] != value:
                raise _Stop(f"'{m.key}' is written twice with different values in one object "
                            f"(lines {seen[m.key][1].line} and {m.line}); see SF004")
            seen.setdefault(m.key, (value, m))

    # The union of properties.
    known: dict[str, tuple[str, Member]] = {}
    for m in object_members(first.object, file.data):
        if m.key is not None:
            known.setdefault(m.key, (normalised(m.value, helpers=first.helpers), m))
    first_comments = {" ".join(file.node_text(c).split()) for c in walk(first.object) if c.type == "comment"}
    items: list[tuple[str, object, RelationsDecl]] = []  # ("member", Member, decl) | ("comment", Node, decl)
    for d in later:
        src = files[id(d)]
        for c in _comments_above(src, d):
            items.append(("comment", c, d))
        for m in object_members(d.object, src.data):
            value = normalised(m.value, helpers=d.helpers)
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
    for kind, item, d in items:
        if kind != "member":
            continue
        refs = helper_references(item.node, d.helpers) if d.helpers.style != "none" else []
        if refs is None:
            raise _Stop(f"the helper parameter is used in an unusual way at line {item.line}")
        replacements = []
        for ref, helper in refs:
            target = _target(first.helpers, d.helpers, helper, additions)
            replacements.append((ref.start_byte, ref.end_byte, target))
        member_texts[item.node.id] = _splice(files[id(d)].data, item.node.start_byte, item.node.end_byte,
                                             replacements)
        plan.moved.append(item)

    style = detect(file)
    nl = style.newline
    plan.edits += _parameter_edits(file, first, additions)
    plan.edits += _insert_edits(file, first, items, member_texts, style.indent, nl,
                                source=lambda d: files[id(d)])


def _target(first: Helpers, other: Helpers, helper: str, additions: dict[str, str]) -> str:
    """How the first callback names ``helper`` (recording a parameter addition if needed)."""
    if first.style == "ident":
        return f"{first.ident}.{helper}"
    if helper in first.names:
        return first.names[helper]
    if helper in additions:
        return additions[helper]
    wanted = other.names.get(helper, helper) if other.style == "pattern" else helper
    taken = set(first.names.values()) | set(additions.values())
    if wanted in taken:
        wanted = helper
    if wanted in taken:
        raise _Stop(f"cannot add helper '{helper}' to the first callback: the name is taken")
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
                  unit: str, nl: str, source=None) -> list[Edit]:
    """``source(decl)`` is the file an item's declaration is in (default: ``file``)."""
    data = file.data
    obj = first.object
    members = object_members(obj, data)
    single_line = obj.start_point.row == obj.end_point.row
    base = _line_indent(data, first.start)
    indent = _line_indent(data, members[0].start) if members and not single_line else base + unit

    new_lines: list[str] = []
    inline: list[str] = []
    for kind, item, d in items:
        src = source(d) if source is not None else file
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


def _removal_edits(file: SourceFile, later: list[RelationsDecl]) -> list[Edit]:
    data = file.data
    spans = sorted(removal_span(file, d.start, d.end, with_comments=True) for d in later)
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
                s = data.rfind(b"\n", 0, s - 1) + 1
        elif (s == 0 or blank_line_before(data, s)) and not data[e:data.find(b"\n", e) + 1 or len(data)].strip():
            e = data.find(b"\n", e) + 1 or len(data)
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
                while s > 0 and not data[data.rfind(b"\n", 0, s - 1) + 1:s].strip():
                    s = data.rfind(b"\n", 0, s - 1) + 1
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
    line_start = file.data.rfind(b"\n", 0, head.start_byte) + 1
    if file.data[line_start:head.start_byte].strip():
        return None
    return line_start


def _comments_above(file: SourceFile, decl: RelationsDecl) -> list[Node]:
    """The comment block directly above a declaration (no blank line between), which
    ``removal_span(with_comments=True)`` removes with it: it moves with the properties."""
    data = file.data
    line_start = data.rfind(b"\n", 0, decl.start) + 1
    start, _ = removal_span(file, decl.start, decl.end, with_comments=True)
    if start >= line_start:
        return []
    return [n for n in file.tree.root_node.children
            if n.type == "comment" and start <= n.start_byte and n.end_byte <= line_start]


def _line_indent(data: bytes, pos: int) -> str:
    line_start = data.rfind(b"\n", 0, pos) + 1
    prefix = data[line_start:pos]
    return prefix[:len(prefix) - len(prefix.lstrip())].decode("utf-8")


def _reindent(data: bytes, start: int, text: str, indent: str, nl: str) -> str:
    """``text`` (which started at byte ``start``) with its continuation lines moved from
    the indentation of its first line to ``indent``."""
    old = _line_indent(data, start)
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


# --- SF006: across files ---------------------------------------------------------------


@rule("SF006", "relations-in-two-modules", "Relations for one table, or one relations export, in two modules",
      fix=None)
def check_cross_file(ctx: Context) -> Iterable[Diagnostic]:
    """Finds ``relations()`` for the same table, or relations exports with the same name,
    defined in more than one module. Report only.

    Drizzle merges the relations of one table at runtime, but a barrel that does
    ``export *`` from both modules gets an ambiguous name (TypeScript drops it, TS2308)
    and relational-query types see only one of them. Moving code between files is left
    to whoever decides what the barrel exports.
    """
    project = ctx.project
    by_table: dict[tuple[str, str], list[tuple[SourceFile, RelationsDecl]]] = {}
    by_name: dict[str, list[tuple[SourceFile, RelationsDecl]]] = {}
    for path, file in sorted(project.files.items()):
        if file.facts.has_error:
            continue
        for decl in relations_declarations(file, project):
            by_table.setdefault(table_identity(file, project, decl), []).append((file, decl))
            if decl.exported:
                by_name.setdefault(decl.name, []).append((file, decl))
    targets = {f.path for f in ctx.files()}
    reported: set[tuple[str, int, str]] = set()
    for (origin, table), found in sorted(by_table.items()):
        if len({f.path for f, _ in found}) < 2:
            continue
        for file, decl in found:
            places = [f"{f.path}:{d.line} ({d.name})" for f, d in found if f.path != file.path]
            if file.path in targets and (file.path, decl.start, "table") not in reported:
                reported.add((file.path, decl.start, "table"))
                yield ctx.diagnostic(
                    "SF006", file, decl.start,
                    f"relations for table '{table}' are also defined in {', '.join(places)}; drizzle merges "
                    "them at runtime, but relational-query types and a barrel's `export *` break: keep "
                    "one table's relations in one module", end=decl.end)
    for name, found in sorted(by_name.items()):
        if len({f.path for f, _ in found}) < 2:
            continue
        for file, decl in found:
            places = [f"{f.path}:{d.line}" for f, d in found if f.path != file.path]
            if file.path in targets and (file.path, decl.start, "name") not in reported:
                reported.add((file.path, decl.start, "name"))
                yield ctx.diagnostic(
                    "SF006", file, decl.start,
                    f"relations export '{name}' is also defined in {', '.join(places)}; a barrel that does "
                    "`export *` from both modules makes the name ambiguous and drops it (TS2308)",
                    end=decl.end)


def table_identity(file: SourceFile, project: Project, decl: RelationsDecl) -> tuple[str, str]:
    """(defining module, name) of the table a relations() call is for; ("", text) when
    the table is not a plain identifier or its import does not resolve."""
    node = decl.table_node
    if node is None or node.type != "identifier":
        return ("", decl.table)
    name = decl.table
    for site in file.facts.imports:
        if site.kind != IMPORT:
            continue
        for entry in site.entries:
            if entry.local != name or entry.imported in ("*", "default"):
                continue
            target = project.resolver.resolve(file.path, site.specifier)
            if target.ok:
                binding = project.exports.names(target.path).get(entry.imported)
                if binding is not None:
                    return (binding.origin, binding.name)
            return ("", entry.imported)
    if any(d.name == name for d in file.facts.declarations):
        return (file.path, name)
    return ("", name)
