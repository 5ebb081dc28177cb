"""Findings of survey q (a helper's refactors simulated on public schemas, judged by tsc,
2026-12-01, session 36), each reduced to a small project written for this file."""

from __future__ import annotations

from support import git, git_repo
from test_renamed_exports import run

REL = "import { relations } from 'drizzle-orm';\n"
PORTALS = ("import { mysqlTable, int, varchar } from 'drizzle-orm/mysql-core';\n"
           "export const portals = mysqlTable('portals', {\n  id: int('id').primaryKey(),\n"
           "  slug: varchar('slug', { length: 64 }),\n});\n")
SESSIONS = (REL + "import { mysqlTable, int } from 'drizzle-orm/mysql-core';\n"
            "import { portals } from './portals';\n"
            "export const portalSessions = mysqlTable('portal_sessions', {\n  id: int('id').primaryKey(),\n"
            "  portalId: int('portal_id'),\n});\n"
            "export const portalSessionsRelations = relations(portalSessions, ({ one }) => ({\n"
            "  portal: one(portals, { fields: [portalSessions.portalId], references: [portals.id] }),\n}));\n")
PORTAL_FILES = {"src/schema/portals.ts": PORTALS, "src/schema/portal_sessions.ts": SESSIONS,
                "src/schema/index.ts": "export * from './portals';\nexport * from './portal_sessions';\n"}


def _rename_portals(root, statement="export const developerPortals = mysqlTable('portals'"):
    git("mv", "src/schema/portals.ts", "src/schema/developer_portals.ts", cwd=root)
    path = root / "src/schema/developer_portals.ts"
    path.write_text(path.read_text().replace("export const portals = mysqlTable('portals'", statement))
    git("add", "-A", cwd=root)


def test_a_file_renamed_with_its_export_renamed_both_staged_is_followed(tmp_path):
    """`git mv portals.ts developer_portals.ts`, `portals` renamed `developerPortals`, and
    both staged (`git add -A`, as before a commit): git's staged rename was dropped because
    the index's new file no longer exported `portals`, so the import and the barrel line
    were reported (TS2307 stayed), though the unstaged change was followed. A name exported
    under a new name in the same declaration keeps the rename."""
    root = git_repo(tmp_path, PORTAL_FILES)
    _rename_portals(root)
    assert run(root, "--apply").exit_code in (0, 1)
    assert "import { developerPortals as portals } from './developer_portals';\n" in (
        root / "src/schema/portal_sessions.ts").read_text()
    assert (root / "src/schema/index.ts").read_text() == (
        "export * from './developer_portals';\nexport * from './portal_sessions';\n")
    assert run(root, "--check").exit_code == 0


def test_a_staged_rename_whose_declaration_changed_too_is_still_dropped(tmp_path):
    """The table's SQL name changed as well: no evidence it is the same table; the import
    is left (reported) as before."""
    root = git_repo(tmp_path, PORTAL_FILES)
    _rename_portals(root, "export const developerPortals = mysqlTable('developer_portals'")
    run(root, "--apply")
    assert "from './portals'" in (root / "src/schema/portal_sessions.ts").read_text()


PG = "import { integer, pgTable, serial } from 'drizzle-orm/pg-core';\n"
DOMAINS = {
    "src/schema/index.ts": "export * from './monitors';\nexport * from './tags';\n",
    "src/schema/monitors/index.ts": "export * from './monitor';\n",
    "src/schema/monitors/monitor.ts": (
        REL + PG + "import { monitorsToTags } from '../tags';\n"
        "export const monitors = pgTable('monitors', { id: serial('id').primaryKey() });\n"
        "export const monitorsRelations = relations(monitors, ({ many }) => ({ tags: many(monitorsToTags) }));\n"),
    "src/schema/tags/index.ts": "export * from './tag';\nexport * from './validation';\n",
    "src/schema/tags/validation.ts": "import { tags } from './tag';\nexport const tagColumns = Object.keys(tags);\n",
    "src/schema/tags/tag.ts": (
        REL + PG + "import { monitors } from '../monitors';\n"
        "export const tags = pgTable('tags', { id: serial('id').primaryKey() });\n"
        "export const monitorsToTags = pgTable('monitors_to_tags', {\n"
        "  monitorId: integer('monitor_id').references(() => monitors.id),\n"
        "  tagId: integer('tag_id').references(() => tags.id),\n});\n"
        "export const monitorsToTagsRelations = relations(monitorsToTags, ({ one }) => ({\n"
        "  monitor: one(monitors, { fields: [monitorsToTags.monitorId], references: [monitors.id] }),\n"
        "  tag: one(tags, { fields: [monitorsToTags.tagId], references: [tags.id] }),\n}));\n"),
}


def test_a_domain_folder_moved_into_another_settles_in_one_run(tmp_path):
    """`tags/tag.ts` and `tags/validation.ts` `git mv`ed into `monitors/`, `tags/index.ts`
    deleted: the root's stale `export * from './tags'` has only an unsafe replacement, and
    SF005 waited for it ("the repointed lines change what the barrel reaches") though a
    safe run never applies it. The second run then added `./tag` to monitors/index.ts (the
    first run's SF001 repoint made it a module its folder imports): not idempotent. An
    unsafe stale-line fix that the run will not apply no longer holds the additions back."""
    root = git_repo(tmp_path, DOMAINS)
    git("mv", "src/schema/tags/tag.ts", "src/schema/monitors/tag.ts", cwd=root)
    git("mv", "src/schema/tags/validation.ts", "src/schema/monitors/tag_validation.ts", cwd=root)
    git("rm", "-q", "src/schema/tags/index.ts", cwd=root)
    run(root, "--apply")
    assert "import { monitorsToTags } from './tag';\n" in (root / "src/schema/monitors/monitor.ts").read_text()
    assert (root / "src/schema/monitors/index.ts").read_text() == "export * from './monitor';\nexport * from './tag';\n"
    first = {p: p.read_text() for p in (root / "src").rglob("*.ts")}
    run(root, "--apply")
    assert {p: p.read_text() for p in (root / "src").rglob("*.ts")} == first
    assert (root / "src/schema/index.ts").read_text() == DOMAINS["src/schema/index.ts"]  # reported, kept


APIS = ("import { mysqlTable, int, varchar } from 'drizzle-orm/mysql-core';\n"
        "export const apis = mysqlTable('apis', {\n  id: int('id').primaryKey(),\n"
        "  keyAuthId: varchar('key_auth_id', { length: 256 }),\n});\n")
KEY_AUTH = (REL + "import { mysqlTable, int } from 'drizzle-orm/mysql-core';\n"
            "import { apis } from './apis';\n"
            "export const keyAuth = mysqlTable('key_auth', { id: int('id').primaryKey() });\n"
            "export const keyAuthRelations = relations(keyAuth, ({ one }) => ({\n"
            "  api: one(apis, { fields: [keyAuth.id], references: [apis.keyAuthId] }),\n}));\n")
API_FILES = {"src/schema/apis.ts": APIS, "src/schema/key_auth.ts": KEY_AUTH,
             "src/schema/index.ts": "export * from './apis';\nexport * from './key_auth';\n"}
NEW_APIS = ("import { mysqlTable, varchar } from 'drizzle-orm/mysql-core';\n"
            "export const apis = mysqlTable('api_versions', { id: varchar('id', { length: 256 }).primaryKey() });\n")


def test_an_export_renamed_in_place_is_not_repointed_to_a_new_namesake(tmp_path):
    """`apis` renamed `apiDefinitions` in apis.ts (git's HEAD holds the same declaration
    under the old name) while a new module defines another `apis` table: SF001 repointed
    `import { apis } from './apis'` to the newcomer as a safe fix (the one definer), and
    tsc then failed on `apis.keyAuthId` (TS2339). The module the import named still holds
    what it imported, under a new name: the newcomer is a guess (unsafe), never safe."""
    from test_renamed_exports import sf001
    root = git_repo(tmp_path, API_FILES)
    path = root / "src/schema/apis.ts"
    path.write_text(path.read_text().replace("export const apis =", "export const apiDefinitions ="))
    (root / "src/schema/api_versions.ts").write_text(NEW_APIS)
    found = [d for d in sf001(root) if d["path"] == "src/schema/key_auth.ts"]
    assert found and all((d.get("fix") or {}).get("applicability") != "safe" for d in found), found
    assert any("holds git HEAD's declaration of apis as apiDefinitions now" in d["message"] for d in found), found
    run(root, "--apply")
    assert "import { apis } from './apis';\n" in (root / "src/schema/key_auth.ts").read_text()


def test_a_table_moved_out_to_a_new_module_is_still_followed(tmp_path):
    """The guard: `apis` moved to a new module (apis.ts holds no declaration like HEAD's
    `apis` under another name): the repoint to the one definer stays safe."""
    root = git_repo(tmp_path, API_FILES)
    (root / "src/schema/apis.ts").write_text("export const apiNote = 'moved';\n")
    (root / "src/schema/api_tables.ts").write_text(APIS)
    run(root, "--apply")
    assert "import { apis } from './api_tables';\n" in (root / "src/schema/key_auth.ts").read_text()


BOTS = PG + "export const bots = pgTable('bots', { id: serial('id').primaryKey() });\n"
COMMANDS = (PG + "export const botCommands = pgTable('bot_commands', {\n  id: serial('id').primaryKey(),\n"
            "  botId: integer('bot_id'),\n});\nexport type BotCommand = typeof botCommands.$inferSelect;\n")
BOT_FILES = {
    "src/schema/bots.ts": BOTS,
    "src/schema/bot-commands.ts": COMMANDS,
    "src/schema/links.ts": PG + "export const links = pgTable('links', { id: serial('id').primaryKey() });\n",
    "src/schema/relations.ts": (REL + "import { bots } from './bots';\nimport { botCommands } from './bot-commands';\n"
                                "export const botsRelations = relations(bots, ({ many }) => ({ commands: many(botCommands) }));\n"
                                "export const botCommandsRelations = relations(botCommands, ({ one }) => ({\n"
                                "  bot: one(bots, { fields: [botCommands.botId], references: [bots.id] }),\n}));\n"),
    "src/schema/index.ts": "export * from './bots';\nexport * from './bot-commands';\nexport * from './relations';\n",
}


def test_a_stale_line_of_a_file_merged_away_goes_in_the_first_run(tmp_path):
    """bot-commands.ts merged into bots.ts and deleted, beside links.ts, a table module
    the barrel leaves out on purpose: the stale `export * from './bot-commands'` had an
    unsafe removal ("its replacement bots.ts is already re-exported"; links.ts might be the
    other half of a split) while relations.ts imported from it; the second run, the
    import repointed, removed the line as a safe fix (git's HEAD: every name the file
    exported is re-exported by the other lines). HEAD's names decide in the first run."""
    root = git_repo(tmp_path, BOT_FILES)
    (root / "src/schema/bots.ts").write_text(BOTS + COMMANDS.split("\n", 1)[1])
    git("rm", "-q", "src/schema/bot-commands.ts", cwd=root)
    run(root, "--apply")
    assert "import { bots, botCommands } from './bots';\n" in (root / "src/schema/relations.ts").read_text()
    assert (root / "src/schema/index.ts").read_text() == "export * from './bots';\nexport * from './relations';\n"
    assert run(root, "--check").exit_code == 0
