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


# --- richer projects for the property tests: relations, barrels, aliases, type-only names ----


@dataclass
class Relation:
    """One ``relations(table, ...)`` declaration: (key, helper, target table) properties."""
    table: str
    props: list[tuple[str, str, str]]


@dataclass
class Project:
    """A Drizzle-like schema: table modules, one relations module per domain, a barrel.

    Every table and every row type is defined by exactly one module. Relations modules
    import what they use from ``specs`` (name -> module path without .ts), which is the
    definer when healthy and may be stale when broken."""
    modules: dict[str, list[str]]  # module path (no .ts) -> tables it defines, in order
    domains: list[str]
    relations: dict[str, list[Relation]]  # domain -> declarations, in file order
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)  # (domain, table) -> local alias
    specs: dict[tuple[str, str], str] = field(default_factory=dict)  # (domain, name) -> module imported from
    barrel: list[str] = field(default_factory=list)  # modules the barrel re-exports, in order
    duplicate_keys: set[tuple[str, int, str]] = field(default_factory=set)  # (domain, decl index, key)
    inline_types: set[str] = field(default_factory=set)  # domains writing `import { t, type TRow }`
    newline: str = "\n"  # "\r\n" renders every file with CRLF
    extension: str = ""  # ".js" renders specifiers as './users.js' (node16 style)

    @staticmethod
    def row_type(table: str) -> str:
        return table[0].upper() + table[1:] + "Row"

    def definer(self, name: str) -> str:
        table = name[:-3][0].lower() + name[:-3][1:] if name.endswith("Row") else name
        return next(m for m, names in self.modules.items() if table in names)

    def relations_module(self, domain: str) -> str:
        return f"schema/{domain}/relations"

    def imported(self, domain: str) -> list[tuple[str, bool]]:
        """(name, type_only) that the domain's relations module imports, in first-use order."""
        out: list[tuple[str, bool]] = []
        for decl in self.relations[domain]:
            for name in [decl.table] + [t for _k, _h, t in decl.props]:
                if (name, False) not in out:
                    out.append((name, False))
        for decl in self.relations[domain]:
            if (self.row_type(decl.table), True) not in out:
                out.append((self.row_type(decl.table), True))
        return out

    def local(self, domain: str, table: str) -> str:
        return self.aliases.get((domain, table), table)

    def render(self) -> dict[str, str]:
        files: dict[str, str] = {}
        for module, names in self.modules.items():
            files[module + ".ts"] = "".join(
                f"export const {n} = table('{kebab(n)}');\nexport type {self.row_type(n)} = {{ id: number }};\n"
                for n in names) or "export {};\n"
        for domain in self.domains:
            if not self.relations[domain]:
                continue
            importer = self.relations_module(domain)
            groups: dict[tuple[str, bool], list[str]] = {}
            inline = domain in self.inline_types
            for name, type_only in self.imported(domain):
                module = self.specs.get((domain, name)) or self.definer(name)
                local = name if type_only else self.local(domain, name)
                entry = name if local == name else f"{name} as {local}"
                if type_only and inline:
                    entry = "type " + entry
                groups.setdefault((module, type_only and not inline), []).append(entry)
            lines = ["import { relations } from 'drizzle-orm';\n"]
            for (module, type_only), names in groups.items():
                kw = "import type" if type_only else "import"
                lines.append(f"{kw} {{ {', '.join(names)} }} from '{self._spec(importer, module)}';\n")
            for i, decl in enumerate(self.relations[domain]):
                lines.append(f"\nexport const {decl.table}Relations = relations({self.local(domain, decl.table)}, "
                             "({ one, many }) => ({\n")
                for key, helper, target in decl.props:
                    line = f"  {key}: {helper}({self.local(domain, target)}),\n"
                    lines.append(line)
                    if (domain, i, key) in self.duplicate_keys:
                        lines.append(line)
                lines.append("}));\n")
            rows = " | ".join(self.row_type(d.table) for d in self.relations[domain])
            lines.append(f"\nexport type {domain.capitalize()}Rows = {rows};\n")
            files[importer + ".ts"] = "".join(lines)
        if self.barrel:
            files["schema/index.ts"] = "".join(f"export * from '{self._spec('schema/index', m)}';\n"
                                               for m in self.barrel)
        return {path: text.replace("\n", self.newline) for path, text in files.items()}

    def _spec(self, importer: str, module: str) -> str:
        """A module path's specifier; a folder (a broken import) never gets an extension."""
        is_folder = any(m.startswith(module + "/") for m in self.modules)
        return relative(importer, module) + ("" if is_folder else self.extension)
