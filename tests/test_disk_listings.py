"""What the disk is asked after discovery (codemod/disk.py), answered from the folder
listings discovery made where that is sure: a resolver's candidate that no listed folder
holds (``users.js``, ``users.d.ts``, ``users/index.ts``) is a miss without a stat, on
any file system; anything the listing cannot settle is stat'ed as before."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemod import discovery, disk
from support import write_tree as make


@pytest.fixture
def stats(monkeypatch) -> list[str]:
    """The paths ``codemod.disk`` stat'ed to answer a FILE question."""
    seen: list[str] = []
    real = os.path.isfile

    def counting(path):
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(disk.os.path, "isfile", counting)
    return seen


@pytest.fixture
def seen(tmp_path) -> disk.Disk:
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "schema/users.ts": "export const u = 1;\n",
                                    "schema/legacy.js": "", "schema/sub/x.ts": "export const x = 1;\n",
                                    "schema/sub2/café/y.ts": "export const y = 1;\n", "README.md": ""})
    return discovery.load([root]).surroundings.disk


@pytest.mark.parametrize("path", ["schema/users.js", "schema/users.d.ts", "schema/users/index.ts",
                                  "schema/nothing/deeper/index.ts", "other/x.ts", "schema/sub/y.ts"])
def test_a_name_no_listed_folder_holds_is_a_miss_without_a_stat(seen, stats, path):
    assert seen.is_file(path) is False
    assert stats == []


@pytest.mark.parametrize("path, exists", [
    ("schema/users.ts", True), ("schema/legacy.js", True), ("schema/sub/x.ts", True),
    ("schema/USERS.ts", False),  # a case-insensitive file system would find users.ts: only a stat can say
    ("SCHEMA/users.ts", False),
    ("schema/sub2/café/y.ts", True), ("schema/sub2/café/z.ts", False),  # a non-ASCII name is never judged
    ("schema/sub2/z.ts", False),  # ... nor listed: a folder holding one is not listed
    ("schema/users.ts.", False), ("schema/users.ts ", False),  # Windows drops a trailing dot or space
    ("schema/USERS~1.TS", False),  # an 8.3 short name
    ("schema/users.ts:stream", False), ("C:users.ts", False),  # a Windows stream or drive
    ("schema/./users.js", False), ("schema/../schema/users.js", False), ("../proj/schema/users.js", False),
])
def test_what_a_listing_cannot_settle_is_stat_ed(seen, stats, path, exists):
    assert seen.is_file(path) is exists
    assert len(stats) == 1


def test_a_case_insensitive_file_system_still_finds_a_file_by_another_case(seen, monkeypatch):
    """The listing says only "no name like this, in any case": a name that differs from a
    listed one by case alone is left to the file system, which may find it."""
    monkeypatch.setattr(disk.os.path, "isfile", lambda path: str(path).endswith("USERS.ts"))
    assert seen.is_file("schema/USERS.ts") is True


def test_a_cached_miss_is_checked_against_the_new_listing(tmp_path, stats):
    """A warm run's check of recorded answers: a file that appeared since is in the new
    run's listing, so the recorded "missing" no longer holds (and is stat'ed to say so)."""
    root = make(tmp_path / "proj", {"tsconfig.json": "{}", "schema/users.ts": "export const u = 1;\n"})
    first = discovery.load([root]).surroundings.disk
    assert first.is_file("schema/users.js") is False and first.is_file("schema/users/index.ts") is False
    recorded = list(first.answers.items())
    assert discovery.load([root]).surroundings.disk.still_true(recorded)
    assert stats == []
    make(root, {"schema/users/index.ts": ""})
    assert not discovery.load([root]).surroundings.disk.still_true(recorded)
    assert len(stats) == 1 and stats[0].endswith("schema/users/index.ts")


def test_a_disk_without_listings_stats_every_question(tmp_path, stats):
    seen = disk.Disk(tmp_path)
    assert seen.is_file("users.js") is False
    assert len(stats) == 1


def test_misses_checked_by_folder_agree_with_each_question_asked(tmp_path):
    """A cache entry keeps the FILE misses grouped by folder (``disk.split``) and checks
    them a folder at a time (``still_missing``): on trees that gained files, folders and
    case variants, the verdict is the one of asking each recorded question again."""
    import random

    rng = random.Random(7)
    names = ["users.ts", "users.js", "users.d.ts", "Users.js", "index.ts", "x~1.ts", "x.ts.", "café.ts"]
    folders = ["", "schema", "schema/users", "schema/deep/er", "other", "SCHEMA"]
    for trial in range(40):
        root = tmp_path / f"t{trial}"
        make(root, {"tsconfig.json": "{}", "schema/users.ts": "export const u = 1;\n"})
        first = discovery.load([root]).surroundings.disk
        for _ in range(30):
            folder = rng.choice(folders)
            first.is_file(f"{folder}/{rng.choice(names)}" if folder else rng.choice(names))
        recorded = list(first.answers.items())
        for _ in range(rng.randrange(3)):  # files appear since
            folder = rng.choice(folders[:-1])
            make(root, {f"{folder}/{rng.choice(names[:5])}" if folder else rng.choice(names[:5]): ""})
        now = discovery.load([root]).surroundings.disk
        misses, rest = disk.split(recorded)
        assert sum(map(len, misses.values())) + len(rest) == len(recorded)
        assert (now.still_missing(misses) and now.still_true(rest)) == disk.Disk(root).still_true(recorded)


def test_a_name_that_is_not_text_in_a_kept_miss_is_a_change(seen):
    """Only a forged cache entry holds one (the checksum catches damage): a miss, never a hit."""
    assert seen.still_missing({"schema": ["users.js"]}) is True
    assert seen.still_missing({"not-listed": [1]}) is False
    assert seen.still_missing({"not-listed": iter(["a.ts", 1, "b.ts"])}) is False  # read twice: not an iterator
