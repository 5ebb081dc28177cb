"""SF001 on generated breakage: after the fix, every import resolves to the module that
defines the name, and a second run changes nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import schemagen
from support import run

from codemod.project import Project


def resolve_all(files: dict[str, bytes]) -> dict[tuple[str, str], str | None]:
    """(importer, name) -> the module whose export of ``name`` the import reaches."""
    project = Project.build(Path("/project"), files)
    out = {}
    for path, file in project.files.items():
        for site in file.facts.imports:
            res = project.resolver.resolve(path, site.specifier)
            for entry in site.entries:
                binding = project.exports.names(res.path).get(entry.imported) if res.ok else None
                out[(path, entry.imported)] = binding.origin if binding else None
    return out


@pytest.mark.parametrize("seed", range(60))
def test_generated_breakage_is_repaired(seed):
    rng = random.Random(seed)
    broken = schemagen.break_schema(rng, schemagen.healthy(rng), steps=4)
    files = {p: s.encode() for p, s in broken.schema.render().items()}
    outcome = run(files, select="SF001")
    assert outcome.remaining == [], (broken.actions, outcome.remaining)
    reached = resolve_all(outcome.final)
    for importer, entries in broken.schema.imports.items():
        for name, _spec in entries:
            assert reached[(importer + ".ts", name)] == broken.schema.definer(name) + ".ts", (broken.actions, name)
    assert run(outcome.final, select="SF001").final == outcome.final


def test_generator_breaks_something():
    """Guard against a generator that silently stops breaking anything."""
    changed = 0
    for seed in range(60):
        rng = random.Random(seed)
        broken = schemagen.break_schema(rng, schemagen.healthy(rng), steps=4)
        files = {p: s.encode() for p, s in broken.schema.render().items()}
        changed += bool(run(files, select="SF001").changed)
    assert changed >= 45


@pytest.mark.parametrize("seed", range(10))
def test_healthy_generated_schema_needs_nothing(seed):
    schema = schemagen.healthy(random.Random(seed))
    files = {p: s.encode() for p, s in schema.render().items()}
    outcome = run(files)
    assert outcome.final == outcome.original
    assert [d for d in outcome.remaining if d.code != "SF010"] == []  # mixed naming on purpose (SF010)
