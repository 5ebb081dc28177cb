"""bench/public_projects.toml, the list of public projects every session runs schemafix
on, stays loadable: a duplicated key in one entry (two `note`s) made the script stop
before its first project, and no test said so."""

from __future__ import annotations

import importlib.util

from support import REPO


def test_the_public_projects_list_loads_with_unique_names():
    spec = importlib.util.spec_from_file_location("public_projects", REPO / "bench" / "public_projects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = module.load_entries(REPO / "bench" / "public_projects.toml")
    names = [e["name"] for e in entries]
    assert len(names) > 100 and len(set(names)) == len(names)
