"""Line arithmetic on a file's bytes: where the line holding an offset starts and ends,
and how it is indented. Lines end with ``\\n`` (a ``\\r`` before it stays part of the line)."""

from __future__ import annotations


def start_of_line(data: bytes, pos: int) -> int:
    """The offset of the first byte of the line holding ``pos`` (0 on the first line).

    For a line start ``s``, ``start_of_line(data, s - 1)`` is the start of the line above."""
    return data.rfind(b"\n", 0, pos) + 1


def end_of_line(data: bytes, pos: int) -> int:
    """The offset just past the newline that ends the line holding ``pos`` (``len(data)``
    when that line is the last and has none): the start of the next line."""
    nl = data.find(b"\n", pos)
    return len(data) if nl < 0 else nl + 1


def line_indent(data: bytes, pos: int) -> str:
    """The whitespace the line holding ``pos`` starts with (up to ``pos`` at most)."""
    prefix = data[start_of_line(data, pos):pos]
    return prefix[:len(prefix) - len(prefix.lstrip())].decode("utf-8")
