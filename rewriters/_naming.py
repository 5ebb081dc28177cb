"""Naming for the rules: the file naming styles of ``codemod/naming.py`` (SF010; the
``schemafix rename`` command uses them too), and ``singular(word)``, which takes an
English plural ending off a stem or a table name (SF005 matching a renamed module by
name, SF008 naming a new ``one()`` after its table).
"""

from __future__ import annotations

import re

from codemod.naming import (  # re-exported: the rules' view of file naming
    STYLES,
    Outlier,
    multi_word_style,
    outliers,
    project_style,
    renamed,
    restyle,
    settled_outliers,
    split_name,
    styles_of,
    words,
)

_CONSONANT_USES = re.compile(r"[^aeiou]uses$")  # statuses, bonuses, campuses (not houses, causes)


def singular(word: str) -> str:
    """``word`` without an English plural ending (``categories`` -> ``category``,
    ``addresses`` -> ``address``, ``statuses`` -> ``status`` but ``houses`` -> ``house``,
    ``users`` -> ``user``); words of three letters or fewer, and ``ss`` endings, are kept."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")) or _CONSONANT_USES.search(word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word
