"""A seeded generator of healthy multi-domain Drizzle-like schemas, and of the ways
they break (renames, merges, splits, folder imports, wrong siblings).

Used by the generated SF001 test and the property tests: every name is defined by
exactly one module, so "the original definer" is always well defined.
"""

from __future__ import annotations

import posixpath
import random
import re
from dataclasses import dataclass, field

DOMAINS = ["user", "billing", "catalog", "messaging", "social", "trade", "admin", "wallet"]
ENTITIES = ["accounts", "profiles", "invoices", "refunds", "listings", "photos", "messages", "threads",
            "follows", "blocks", "orders", "offers", "audits", "flags", "credits", "payouts", "tags",
            "reviews", "sessions", "tokens"]


def kebab(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(p.capitalize() for p in rest)


@dataclass
class Schema:
    # module path (without .ts) -> list of table names it defines
    modules: dict[str, list[str]] = field(default_factory=dict)
    # importer module -> list of (name, specifier)
    imports: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def definer(self, name: str) -> str:
        return next(m for m, names in self.modules.items() if name in names)

    def render(self) -> dict[str, str]:
        files: dict[str, str] = {}
        for module, names in self.modules.items():
            files[module + ".ts"] = "".join(f"export const {n} = table('{n}');\n" for n in names)
            if not names:
                files[module + ".ts"] = "export {};\n"
        for importer, entries in self.imports.items():
            by_spec: dict[str, list[str]] = {}
            for name, spec in entries:
                by_spec.setdefault(spec, []).append(name)
            lines = [f"import {{ {', '.join(ns)} }} from '{spec}';\n" for spec, ns in by_spec.items()]
            used = ", ".join(n for n, _ in entries)
            files[importer + ".ts"] = "".join(lines) + f"\nexport const {posixpath.basename(posixpath.dirname(importer))}Refs = [{used}];\n"
        return files


def relative(importer: str, module: str) -> str:
    rel = posixpath.relpath(module, posixpath.dirname(importer))
    return rel if rel.startswith(".") else "./" + rel


def healthy(rng: random.Random, domains: int = 4) -> Schema:
    schema = Schema()
    entities = rng.sample(ENTITIES, k=min(len(ENTITIES), domains * 3))
    chosen = rng.sample(DOMAINS, k=domains)
    for i, domain in enumerate(chosen):
        for entity in entities[i * 3:(i + 1) * 3]:
            name = domain + entity.capitalize() + rng.choice(["", "Log", "Item"])
            file_name = kebab(name) if rng.random() < 0.5 else name
            schema.modules[f"schema/{domain}/{file_name}"] = [name]
    all_names = [n for names in schema.modules.values() for n in names]
    for domain in chosen:
        importer = f"schema/{domain}/relations"
        own = [n for m, ns in schema.modules.items() if m.startswith(f"schema/{domain}/") for n in ns]
        others = rng.sample([n for n in all_names if n not in own], k=min(3, len(all_names) - len(own)))
        schema.imports[importer] = [(n, relative(importer, schema.definer(n))) for n in own + others]
    return schema


@dataclass
class Broken:
    schema: Schema  # the broken layout (modules moved; imports stale)
    actions: list[str]


def break_schema(rng: random.Random, schema: Schema, steps: int = 3) -> Broken:
    """Move tables between files without updating importers, and corrupt some specifiers."""
    modules = {m: list(ns) for m, ns in schema.modules.items()}
    imports = {m: list(es) for m, es in schema.imports.items()}
    actions = []
    for _ in range(steps):
        kind = rng.choice(["rename", "merge", "split", "folder", "sibling"])
        table_modules = sorted(m for m, ns in modules.items() if ns)
        module = rng.choice(table_modules)
        folder, base = posixpath.split(module)
        if kind == "rename":
            new_base = camel(base) if "-" in base else kebab(base)
            if new_base == base or posixpath.join(folder, new_base) in modules:
                continue
            modules[posixpath.join(folder, new_base)] = modules.pop(module)
            actions.append(f"rename {module} -> {new_base}")
        elif kind == "merge":
            siblings = [m for m in table_modules if posixpath.dirname(m) == folder and m != module]
            if not siblings:
                continue
            into = rng.choice(siblings)
            modules[into] += modules.pop(module)
            actions.append(f"merge {module} into {into}")
        elif kind == "split":
            names = modules[module]
            if len(names) < 2:
                continue
            moved = names.pop()
            new = posixpath.join(folder, kebab(moved) + "-split")
            modules[new] = [moved]
            actions.append(f"split {moved} out of {module}")
        elif kind == "folder":
            importer = rng.choice(sorted(imports))
            entries = imports[importer]
            i = rng.randrange(len(entries))
            name, spec = entries[i]
            if spec.count("/") < 2 or spec.startswith("./"):
                continue
            entries[i] = (name, posixpath.dirname(spec))  # '../user/users' -> '../user'
            actions.append(f"{importer}: import {name} from folder {posixpath.dirname(spec)}")
        elif kind == "sibling":
            importer = rng.choice(sorted(imports))
            entries = imports[importer]
            i = rng.randrange(len(entries))
            name, spec = entries[i]
            target_dir = posixpath.dirname(posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec)))
            siblings = [m for m in modules if posixpath.dirname(m) == target_dir and name not in modules[m]]
            if not siblings:
                continue
            wrong = rng.choice(sorted(siblings))
            entries[i] = (name, relative(importer, wrong))
            actions.append(f"{importer}: import {name} from wrong sibling {wrong}")
    return Broken(Schema(modules, imports), actions)
