"""Two inserts at one offset, in one fix, land in the order the fix gives them."""

from codemod.apply import apply_fixes, splice
from codemod.model import Edit, Fix


def test_inserts_at_one_offset_keep_their_order_in_a_fix():
    fix = Fix("two inserts", (Edit.insert("a.ts", 3, b"zz"), Edit.insert("a.ts", 3, b"aa")))
    assert [e.content for e in fix.edits] == [b"zz", b"aa"]
    assert apply_fixes({"a.ts": b"abcdef"}, [fix]).sources["a.ts"] == b"abczzaadef"


def test_splice_keeps_insert_order_and_drops_exact_repeats():
    edits = [Edit.insert("a.ts", 1, b"2"), Edit.insert("a.ts", 1, b"1"), Edit.insert("a.ts", 1, b"2")]
    assert splice(b"xy", edits) == b"x21y"
