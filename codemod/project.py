"""One analysed snapshot of the project: parsed files, facts, resolver, export map.

Built from a ``{path: bytes}`` mapping, so the engine can rebuild it after each pass
and tests can build it from strings.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping

from tree_sitter import Node, Tree

from .exportmap import ExportMap
from .facts import FileFacts, gather_facts
from .lines import end_of_line, start_of_line
from .parsing import parse_with_gaps
from .resolve import Resolver, Surroundings
from .tsconfig import TsConfig


@dataclass
class SourceFile:
    path: str
    data: bytes
    tree: Tree
    facts: FileFacts

    _own: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def parse(cls, path: str, data: bytes) -> SourceFile:
        tree, gaps = parse_with_gaps(path, data)
        return cls(path, data, tree, gather_facts(path, data, tree, gaps))

    def memo(self, key, compute: Callable[[], object]):
        """Compute a fact of this file alone (its bytes and tree, nothing another file
        says) once: the next snapshot reuses this SourceFile while its bytes are
        unchanged, so the fact lasts across passes. (``Project.memo`` is for facts of the
        whole snapshot.)"""
        if key not in self._own:
            self._own[key] = compute()
        return self._own[key]

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, find = [0], self.data.find
        at = find(b"\n")
        while at != -1:
            starts.append(at + 1)
            at = find(b"\n", at + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column in characters) of a byte offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        column = len(self.data[start:offset].decode("utf-8", "replace"))
        if line == 0 and self.data.startswith(b"\xef\xbb\xbf"):
            column -= 1
        return line + 1, column + 1

    def line_span(self, start: int, end: int) -> tuple[int, int]:
        """Widen [start, end) to whole lines, the newline after ``end`` included."""
        return start_of_line(self.data, start), end_of_line(self.data, end)

    @property
    def newline(self) -> bytes:
        return b"\r\n" if b"\r\n" in self.data[:4096] else b"\n"

    def node_text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8")


@dataclass
class Project:
    root: Path
    files: dict[str, SourceFile]
    config: TsConfig = field(default_factory=TsConfig)
    opaque: frozenset[str] = frozenset()  # files that exist but were not read: exports unknown
    surroundings: Surroundings = field(default_factory=Surroundings)  # what the resolver asks of the disk

    @classmethod
    def build(cls, root: Path, sources: Mapping[str, bytes], config: TsConfig | None = None,
              previous: Project | None = None,
              progress: Callable[[int, int], None] | None = None,
              opaque: frozenset[str] | None = None, surroundings: Surroundings | None = None) -> Project:
        """Parse ``sources`` (reusing ``previous``'s files whose bytes did not change);
        ``progress(done, total)`` is called as files are parsed. ``config``, ``opaque`` and
        ``surroundings`` default to ``previous``'s."""
        files = {}
        total = len(sources)
        for done, (path, data) in enumerate(sources.items(), 1):
            old = previous.files.get(path) if previous is not None else None
            files[path] = old if old is not None and old.data == data else SourceFile.parse(path, data)
            if progress is not None:
                progress(done, total)
        if opaque is None:
            opaque = previous.opaque if previous is not None else frozenset()
        if surroundings is None:
            surroundings = previous.surroundings if previous is not None else Surroundings()
        if config is None:
            config = previous.config if previous is not None else TsConfig()
        return cls(Path(root), files, config, frozenset(opaque) - files.keys(), surroundings)

    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key, compute: Callable[[], object]):
        """Compute a fact of this snapshot once (the engine builds a new Project after
        every pass, so nothing cached here outlives the bytes it was computed from)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.root, self.files, self.config, opaque=self.opaque, surroundings=self.surroundings)

    @cached_property
    def exports(self) -> ExportMap:
        return ExportMap({p: f.facts for p, f in self.files.items()}, self.resolver, self.opaque)

    @property
    def sources(self) -> dict[str, bytes]:
        return {p: f.data for p, f in self.files.items()}
