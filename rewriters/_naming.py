"""Naming for the rules: the file naming styles of ``codemod/naming.py`` (SF010; the
``schemafix rename`` command uses them too), and ``singular(word)``, which takes an
English plural ending off a stem or a table name (SF005 matching a renamed module by
name, SF008 naming a new ``one()`` after its table).
"""

from __future__ import annotations

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

# Singular words that end in s (a plural adds "es"): statuses -> status, aliases -> alias.
_ENDS_IN_S = ("status", "bonus", "campus", "focus", "virus", "census", "corpus", "genus", "radius", "syllabus",
              "apparatus", "prospectus", "nexus", "consensus", "stimulus", "cactus", "fungus", "octopus",
              "alumnus", "thesaurus", "abacus", "surplus", "circus", "chorus", "sinus", "minus", "plus",
              "alias", "canvas", "bias", "atlas", "lens")
_SAME_IN_PLURAL = ("series", "species", "news", "analysis", "basis", "axis", "crisis", "thesis", "synopsis",
                   "diagnosis", "hypothesis", "emphasis")  # kept as they are
_IE_WORDS = ("movie", "cookie", "zombie", "rookie", "calorie", "selfie", "brownie", "smoothie", "goalie",
             "hippie", "prairie", "lingerie", "pixie", "freebie", "newbie", "genie", "hoodie", "sortie",
             "veggie", "bookie", "junkie", "techie", "foodie", "auntie", "birdie")  # movies -> movie
_CHE_WORDS = ("cache", "niche", "headache", "avalanche", "moustache", "mustache", "cliche", "quiche",
              "psyche", "panache")  # caches -> cache (matches -> match)
_OES_WORDS = ("hero", "potato", "tomato", "echo", "veto", "torpedo", "mosquito", "embargo", "cargo")


def singular(word: str) -> str:
    """``word`` without an English plural ending (``categories`` -> ``category``,
    ``addresses`` -> ``address``, ``statuses`` -> ``status``, ``houses`` -> ``house``,
    ``movies`` -> ``movie``, ``users`` -> ``user``); words of three letters or fewer,
    ``ss`` endings and singular words ending in s (``status``, ``analysis``) are kept.
    Compared case-insensitively at the end, so ``orderStatuses`` -> ``orderStatus``."""
    low = word.lower()
    if low.endswith(_SAME_IN_PLURAL) or low.endswith(_ENDS_IN_S):
        return word
    if low.endswith(tuple(w + "es" for w in _ENDS_IN_S)) or low.endswith(tuple(w + "es" for w in _OES_WORDS)):
        return word[:-2]
    if low.endswith("yses"):
        return word[:-2] + "is"  # analyses -> analysis
    if low.endswith("ies") and len(word) > 4:
        return word[:-1] if low.endswith(tuple(w + "s" for w in _IE_WORDS)) else word[:-3] + "y"
    if low.endswith(("sses", "shes", "xes")) or low.endswith("ches") and not low.endswith(
            tuple(w + "s" for w in _CHE_WORDS)):
        return word[:-2]
    if low.endswith("s") and not low.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word
