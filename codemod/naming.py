"""File naming styles: what style a file name is written in, each folder's style and the
project's, and a name converted to another style (SF010 and ``schemafix rename``; in
``codemod`` because the rename command needs them and ``codemod`` never imports the
rules' helpers: ``rewriters/_naming.py`` re-exports them for the rules).

A name's *stem* is the part before its first dot (``userPromotions`` of
``userPromotions.test.ts``); only the stem is restyled, the rest is kept. Styles:
``kebab`` (``user-promotions``), ``camel`` (``userPromotions``), ``snake``
(``user_promotions``). A one-word lower-case stem (``users``) fits every style.
PascalCase names (components, classes) and names in no style (``0001_init``,
``[id]``, ``_app``, ``README``) are never measured nor reported.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

STYLES = ("kebab", "camel", "snake")

_ONE_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_PATTERNS = {
    "kebab": re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$"),
    "camel": re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$"),
    "snake": re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$"),
}


def split_name(name: str) -> tuple[str, str]:
    """(stem, rest): ``userPromotions.test.ts`` -> (``userPromotions``, ``.test.ts``)."""
    stem, dot, rest = name.partition(".")
    return stem, dot + rest


def styles_of(stem: str) -> frozenset[str]:
    """The styles ``stem`` is written in: every style for one lower-case word, one style
    for a name of several words, none for anything else."""
    if _ONE_WORD.match(stem):
        return frozenset(STYLES)
    return frozenset(s for s, p in _PATTERNS.items() if p.match(stem))


def words(stem: str) -> list[str]:
    """The lower-case words of a stem in any of the styles."""
    parts = re.split(r"[-_]", stem)
    out: list[str] = []
    for part in parts:
        out += [w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", part)]
    return out


def restyle(stem: str, style: str) -> str:
    ws = words(stem)
    if not ws:
        return stem
    if style == "kebab":
        return "-".join(ws)
    if style == "snake":
        return "_".join(ws)
    return ws[0] + "".join(w[:1].upper() + w[1:] for w in ws[1:])


def renamed(path: str, style: str) -> str:
    """``path`` with its file name's stem in ``style`` (the folder and the rest kept)."""
    folder, name = posixpath.split(path)
    stem, rest = split_name(name)
    if not styles_of(stem) or style in styles_of(stem):
        return path
    return posixpath.join(folder, restyle(stem, style) + rest)


@dataclass(frozen=True)
class Outlier:
    path: str
    style: str  # the style it should be in
    new_path: str
    evidence: str  # "3 of 4 names in schema/billing" / "the project's style"


def multi_word_style(path: str) -> str | None:
    """The one style of a file name of several words; None for one word or no style."""
    stem, _ = split_name(posixpath.basename(path))
    found = styles_of(stem)
    return next(iter(found)) if len(found) == 1 else None


def project_style(paths: Iterable[str]) -> str | None:
    """The style most multi-word file names use (None: none, or a tie); files sharing a
    stem in one folder (`a-b.ts`, `a-b.spec.ts`) count once."""
    return _majority(_styles(paths))


def _styles(paths: Iterable[str]) -> Counter:
    """Style -> how many distinct (folder, stem) of ``paths`` use it."""
    stems = {(posixpath.dirname(p), split_name(posixpath.basename(p))[0]): s
             for p in paths if (s := multi_word_style(p))}
    return Counter(stems.values())


def _majority(counts: Counter) -> str | None:
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def outliers(paths: Iterable[str]) -> list[Outlier]:
    """The files whose name breaks their folder's style. A folder's style is the one most
    of its multi-word names use (at least two of them); when its names are split evenly,
    the project's style among them decides; a folder whose names agree has no outlier."""
    paths = sorted(paths)
    overall = project_style(paths)
    by_folder: dict[str, list[str]] = {}
    for p in paths:
        by_folder.setdefault(posixpath.dirname(p), []).append(p)
    out: list[Outlier] = []
    for folder, members in sorted(by_folder.items()):
        counts = _styles(members)
        if len(counts) < 2:
            continue  # the folder agrees with itself
        style = _majority(counts)
        where = folder or "the project root"
        if style is not None and counts[style] >= 2:
            evidence = f"{counts[style]} of {sum(counts.values())} multi-word names in {where} are {style}-case"
        elif style is None and overall is not None and overall in counts:
            style = overall
            evidence = f"the names in {where} are split evenly; the project's names are {style}-case"
        else:
            continue
        for p in members:
            s = multi_word_style(p)
            if s is not None and s != style:
                out.append(Outlier(p, style, renamed(p, style), evidence))
    return out


def settled_outliers(paths: Iterable[str], rounds: int = 5) -> list[Outlier]:
    """``outliers`` until renaming them changes no folder's or the project's style: once
    some files are renamed the project's style may settle, deciding an evenly split
    folder. Each outlier is named by its original path, with its final name."""
    current = {p: p for p in paths}  # original -> current name
    found: dict[str, Outlier] = {}
    for _ in range(rounds):
        back = {now: orig for orig, now in current.items()}
        new = outliers(current.values())
        if not new:
            break
        for o in new:
            orig = back[o.path]
            current[orig] = o.new_path
            first = found.get(orig)
            found[orig] = Outlier(orig, o.style, o.new_path, first.evidence if first else o.evidence)
    return [found[p] for p in sorted(found)]
