"""Small helpers for the words of messages, shared by rules and reports."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``word`` for one, else ``many`` (default: ``word + "s"``)."""
    return word if n == 1 else (many or word + "s")
