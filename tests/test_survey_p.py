"""Findings of survey p (helper p, 2026-12): new public projects (Supabase apps with a
`pgSchema('auth')` mirror and `schemaFilter`, a React Router 7 app whose schema is
`app/features/*/schema.ts` read by a config glob, package.json `imports` (`#db/*`), drizzle
v1 `defineRelations`) and refactors simulated on copies, each reduced to a small tree
written for this file."""

from __future__ import annotations

from support import TABLE, cli_run, git, git_repo
from support import json_diagnostics as diagnostics


# --- React Router 7: rootDirs [".", "./.react-router/types"], typegen not run ------------

REACT_ROUTER = {
    "tsconfig.json": '{ "include": ["**/*", ".react-router/types/**/*"], '
                     '"compilerOptions": { "rootDirs": [".", "./.react-router/types"] } }',
    ".gitignore": ".react-router/\n",
    "app/features/products/schema.ts": TABLE.format("products"),
    "app/features/users/schema.ts": (
        "import { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
        "import { products } from '../products/schema';\n"
        "export const users = pgTable('users', { id: serial('id'), pick: integer('pick').references(() => products.id) });\n"),
    "app/routes/home.tsx": (
        "import type { Route } from './+types/home';\n"
        "import { users } from '../features/users/schema';\n"
        "export async function loader(_: Route.LoaderArgs) { return users; }\n"),
}


def test_react_router_folder_renamed_before_typegen_repoints_relative_imports(tmp_path):
    """Missed fix, imake (React Router 7, `app/features/<domain>/schema.ts`), simulated: `git mv
    app/features/products app/features/product` in a clone where `react-router typegen` has
    not run. The `~/features/products/…` imports were repointed; every relative one
    (`../products/schema` in users/schema.ts) was silently left: a relative import that did
    not resolve was tried in the missing .react-router/types and called unknown, whatever it
    named. typegen writes only route types there (`./+types/<route>`): those stay unknown."""
    root = git_repo(tmp_path, REACT_ROUTER)
    git("mv", "app/features/products", "app/features/product", cwd=root)
    cli_run("--apply", str(root))
    assert "from '../product/schema'" in (root / "app/features/users/schema.ts").read_text()
    home = (root / "app/routes/home.tsx").read_text()
    assert "from './+types/home'" in home  # the route's generated types: unknown, left alone
    assert [d for d in diagnostics(root) if d["code"] == "SF001"] == []


def test_react_router_broken_relative_import_before_typegen_is_reported(tmp_path):
    """The same tree, `products/schema.ts` deleted with nothing to take its place: an SF001
    error (tsc's TS2307 too), where it was silence."""
    root = git_repo(tmp_path, REACT_ROUTER)
    git("rm", "-q", "app/features/products/schema.ts", cwd=root)
    found = [d for d in diagnostics(root) if d["code"] == "SF001"]
    assert [d["path"].endswith("app/features/users/schema.ts") for d in found] == [True], found


def test_unknown_generated_root_dir_still_leaves_a_relative_import_unknown(tmp_path):
    """Guard: a `rootDirs` folder no known framework writes (`./gen`, not on disk) may hold
    anything once generated: a relative import that does not resolve stays unknown there."""
    root = git_repo(tmp_path, {
        "tsconfig.json": '{ "compilerOptions": { "rootDirs": ["./src", "./gen"] } }',
        "src/db/schema.ts": TABLE.format("users"),
        "src/db/index.ts": "import { users } from './schema';\nimport { extra } from './generated-tables';\n"
                           "export const all = [users, extra];\n",
    })
    assert [d for d in diagnostics(root) if d["code"] == "SF001"] == []
