"""Findings of survey f (helper f, 2026-12): new public projects (a SvelteKit app, a React
Router 7 app with typegen, an Express API with src/database/schema/*.ts + barrel, a Nuxt
app, a pgTableCreator app, a mysqlTableCreator package beside a Prisma database) and
refactors simulated on copies, each reduced to a small tree written for this file.
Each was xfail(strict) until its fix landed; one (an import into a git-ignored folder not
generated yet) is a README known limitation instead."""

from __future__ import annotations

from support import TABLE, cli_run, git_repo as tree
from support import json_diagnostics as diagnostics


# --- framework-generated route types: SvelteKit's './$types', React Router's './+types/x' ---

SVELTEKIT = {
    # what `svelte-kit sync` writes (a generated, git-ignored folder): rootDirs put
    # .svelte-kit/types/src/routes/... beside src/routes/...
    "tsconfig.json": '{ "extends": "./.svelte-kit/tsconfig.json", "compilerOptions": { "strict": true } }',
    ".gitignore": ".svelte-kit\nnode_modules\n",
    "src/lib/server/db/schema.ts": TABLE.format("users"),
    "src/routes/login/+page.server.ts": (
        "import type { PageServerLoad } from './$types';\n"
        "import { users } from '$lib/server/db/schema';\n"
        "export const load: PageServerLoad = async () => ({ table: users });\n"),
}
SVELTEKIT_SYNCED = {
    **SVELTEKIT,
    ".svelte-kit/tsconfig.json": (
        '{ "compilerOptions": { "paths": { "$lib": ["../src/lib"], "$lib/*": ["../src/lib/*"] },'
        ' "rootDirs": ["..", "./types"] }, "include": ["../src/**/*.ts"] }'),
    ".svelte-kit/types/src/routes/login/$types.d.ts": "export type PageServerLoad = () => Promise<object>;\n",
}


def test_sveltekit_dollar_types_import_is_never_repointed(tmp_path):
    """Wrong safe fix, seen on webpals (SvelteKit, 40 `./$types` imports), reduced: any module
    of the project that exports `PageServerLoad` (or re-exports `RequestEvent` from
    '@sveltejs/kit') became the target of `./$types`, with `.svelte-kit` generated or not:
    the route's load lost its route-specific types (or the wrong type was used)."""
    root = tree(tmp_path, {**SVELTEKIT, "src/lib/kit.ts": "export interface PageServerLoad { (): Promise<object> }\n"})
    before = (root / "src/routes/login/+page.server.ts").read_text()
    cli_run("--apply", str(root))
    assert (root / "src/routes/login/+page.server.ts").read_text() == before


def test_sveltekit_dollar_types_import_is_no_error_once_synced(tmp_path):
    """False alarm, webpals at HEAD (healthy): 40 SF001 errors 'PageServerLoad/Actions/
    RequestEvent is exported by no module', one per `./$types` import in src/routes (the
    listed SvelteKit entry, dockhand, is run on src/lib/server/db only). With the generated
    .svelte-kit present, TypeScript resolves them through `rootDirs`."""
    root = tree(tmp_path, SVELTEKIT_SYNCED)
    assert [d for d in diagnostics(root) if d["code"] == "SF001"] == []


def test_sveltekit_dollar_types_import_is_no_error_before_sync(tmp_path):
    """False alarm, webpals at HEAD in a fresh clone: schemafix warns that
    './.svelte-kit/tsconfig.json' does not exist ('imports through them are not checked')
    and then reports every `./$types` import as an SF001 error (exit 1 in pre-commit)."""
    root = tree(tmp_path, SVELTEKIT)
    assert [d for d in diagnostics(root) if d["code"] == "SF001" and d["severity"] == "error"] == []


def test_react_router_plus_types_through_root_dirs_is_no_error(tmp_path):
    """False alarm, yufan.me at HEAD (React Router 7, healthy): 43 SF001 errors 'Route is
    exported by no module' for `import type { Route } from './+types/home'`; the tsconfig
    says `"rootDirs": [".", "./.react-router/types"]` and `react-router typegen` writes
    .react-router/types/src/routes/+types/home.ts (git-ignored)."""
    root = tree(tmp_path, {
        "tsconfig.json": '{ "include": ["**/*", ".react-router/types/**/*"], '
                         '"compilerOptions": { "rootDirs": [".", "./.react-router/types"] } }',
        ".gitignore": ".react-router/\n",
        ".react-router/types/src/routes/+types/home.ts": "export namespace Route { export type LoaderArgs = {} }\n",
        "src/db/schema.ts": TABLE.format("posts"),
        "src/routes/home.tsx": (
            "import type { Route } from './+types/home';\n"
            "import { posts } from '../db/schema';\n"
            "export async function loader(_: Route.LoaderArgs) { return posts; }\n"),
    })
    assert [d for d in diagnostics(root) if d["code"] == "SF001"] == []


# --- a namespace import of a module renamed with a plain mv --------------------------------

def test_namespace_import_of_a_module_renamed_without_git_mv_follows_it(tmp_path):
    """Missed fix, simulated on webpals (SvelteKit; `drizzle(client, { schema: { ...auth,
    ...profiles, ...notifications } })` from namespace imports, no barrel):
    `mv schema/notifications.ts schema/notification.ts` (not staged). The named imports of
    the module are repointed; `import * as notifications from './schema/notifications'` is
    an SF001 error 'no module has that file name' and SF005 notes that notification.ts is
    outside the schema drizzle receives. After `git mv` the same import is repointed: git's
    status shows the unstaged rename (deleted + identical untracked file) just as well."""
    root = tree(tmp_path, {
        "src/db/schema/users.ts": TABLE.format("users"),
        "src/db/schema/notifications.ts": TABLE.format("notifications"),
        "src/db/index.ts": (
            "import { drizzle } from 'drizzle-orm/postgres-js';\n"
            "import * as users from './schema/users';\n"
            "import * as notifications from './schema/notifications';\n"
            "export const db = drizzle('', { schema: { ...users, ...notifications } });\n"),
    })
    (root / "src/db/schema/notifications.ts").rename(root / "src/db/schema/notification.ts")
    cli_run("--apply", str(root))
    assert "import * as notifications from './schema/notification';" in (root / "src/db/index.ts").read_text()
    assert cli_run("--check", str(root)).exit_code == 0
