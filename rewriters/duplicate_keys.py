"""SF004: the same key written twice in one object literal."""

from __future__ import annotations

from typing import Iterable

from tree_sitter import Node

from codemod.model import Applicability, Diagnostic, Edit, Fix
from codemod.parsing import captures, node_at
from codemod.project import SourceFile, eager_summary
from codemod.rules import Context, rule

from ._objects import (
    Member,
    member_removal_span,
    normalised,
    object_members,
    one_line,
    repeats_a_key,
)
from ._unused_imports import left_unused


@rule("SF004", "duplicate-object-key", "The same key written twice in one object literal",
      fix=Applicability.SAFE)
def check(ctx: Context) -> Iterable[Diagnostic]:
    """Finds a key written more than once in one object literal (TypeScript: TS1117,
    "An object literal cannot have multiple properties with the same name").

    At runtime the last occurrence wins, so the fix drops each earlier one. When the
    earlier value is the same code as the last (ignoring whitespace, comments, trailing
    commas and quote style) the fix is safe; when it differs the fix keeps today's
    runtime behaviour but discards code somebody wrote, so it is unsafe (``--unsafe``).
    Computed keys, spreads, getters and setters are left alone. Comments attached to a
    dropped property stay where they are.

    Example::

        customer: one(users, { fields: [invoices.customerId], references: [users.id] }),
        customer: one(users, { fields: [invoices.customerId], references: [users.id] }),

    becomes the single last ``customer`` line.
    """
    for file in ctx.files():
        if file.has_error:
            continue
        spans = file.summary(_REPEATING, lambda file=file: _repeating(file))
        if spans:  # most files have none: their trees are not needed
            for obj in file.memo("objects-repeating-a-key", lambda file=file, spans=spans: _objects(file, spans)):
                yield from _check_object(ctx, file, obj)


_REPEATING = ("sf004-objects-repeating-a-key",)


@eager_summary(_REPEATING)
def _repeating(file: SourceFile) -> tuple[tuple[int, int], ...]:
    """The spans of the object literals of ``file`` where two members share a key."""
    return tuple((obj.start_byte, obj.end_byte)
                 for obj in captures(file.path, "objects", file.tree.root_node).get("object", [])
                 if repeats_a_key(obj))


def _objects(file: SourceFile, spans: tuple[tuple[int, int], ...]) -> list[Node]:
    """The object literals at ``spans`` (``_repeating``), found in the file's tree."""
    out = []
    for start, end in spans:
        node = node_at(file.tree.root_node, start, end, "object")
        if node is None:
            raise LookupError(f"{file.path}: no object literal at bytes {start}-{end}")
        out.append(node)
    return out


def _check_object(ctx: Context, file: SourceFile, obj: Node) -> Iterable[Diagnostic]:
    members = object_members(obj)
    by_key: dict[str, list[Member]] = {}
    for member in members:
        if member.key is not None:
            by_key.setdefault(member.key, []).append(member)
    for key, found in by_key.items():
        if len(found) < 2:
            continue
        last = found[-1]
        last_value = normalised(last.value)
        for earlier in found[:-1]:
            same = normalised(earlier.value) == last_value and earlier.node.type == last.node.type
            if same:
                message = (f"duplicate key '{key}' in object literal; line {last.line} repeats it with the "
                           "same value")
                applicability = Applicability.SAFE
                title = f"Remove the earlier identical '{key}'"
            else:
                message = (f"duplicate key '{key}' in object literal with a different value at line "
                           f"{last.line}; at runtime the later one wins")
                applicability = Applicability.UNSAFE
                title = f"Remove the earlier '{key}' (line {earlier.line}); the later one already wins"
            fix = None
            if ctx.can_edit(file.path):
                start, end = member_removal_span(file.data, earlier, keep_comments=True)
                edits = [Edit.delete(file.path, start, end)]
                fix = Fix(title, (*edits, *left_unused(file, edits)), applicability)
            notes = () if same else (
                f"line {earlier.line}: {one_line(file.data, earlier.node)}",
                f"line {last.line}: {one_line(file.data, last.node)}",
            )
            yield ctx.diagnostic("SF004", file, earlier.node.start_byte, message, fix=fix,
                                 end=earlier.node.end_byte, notes=notes)
