"""A progress bar on stderr for the whole run, in the style of ``click.progressbar``:
parsing (files), analysis, then each pass of the rules (rules run in this pass). Only
on a terminal, only in text output, and only once the run has taken longer than
``delay`` seconds; ``close`` clears the line."""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, stream: TextIO, *, enabled: bool, delay: float = 1.0, label: str = "parsing"):
        self.stream = stream
        self.enabled = enabled and hasattr(stream, "isatty") and stream.isatty()
        self.delay = delay
        self.label = label
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        """The parsing callback (``Project.build``): once every file is parsed, the
        export map is built ("analysing")."""
        if done >= total:
            self.stage("analysing", 0, 1, "export map")
        else:
            self.stage(self.label, done, total, "files")

    def stage(self, label: str, done: int, total: int, unit: str = "") -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        filled = WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r{label:<10} [{bar}]  {done}/{total} {unit}".rstrip() + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
