"""Issue 12 §1.0: the renames git saw are the strongest evidence of where a file went."""

from __future__ import annotations

import subprocess

from click.testing import CliRunner
from support import git, git_repo as repo

from codemod import cli
from codemod.git_moves import follow, parse_name_status, renames

TABLE = "import {{ pgTable, serial }} from 'drizzle-orm/pg-core';\nexport const {0} = pgTable('{0}', {{ id: serial('id') }});\n"





def test_parse_name_status_keeps_source_renames_only():
    out = b"R100\0a/old.ts\0a/new.ts\0M\0b.ts\0R090\0x.css\0y.css\0C100\0c.ts\0d.ts\0R100\0../o.ts\0n.ts\0"
    assert parse_name_status(out) == {"a/old.ts": "a/new.ts"}


def test_follow_probes_the_files_a_specifier_could_name():
    moves = {"schema/user.ts": "schema/auth/users.ts", "lib/index.ts": "lib2/index.ts"}
    assert follow(moves, "schema/relations.ts", "./user") == "schema/auth/users.ts"
    assert follow(moves, "schema/relations.ts", "./user.js") == "schema/auth/users.ts"
    assert follow(moves, "app.ts", "./lib") == "lib2/index.ts"
    assert follow(moves, "app.ts", "drizzle-orm") is None and follow({}, "a.ts", "./user") is None


def test_no_git_means_no_renames(tmp_path):
    assert renames(tmp_path) == {}


def test_a_staged_rename_decides_a_tie_safely(tmp_path):
    """Two modules define `users`: without git that is a tie (reported); after `git mv`,
    the import follows the file git saw renamed."""
    root = repo(tmp_path, {"schema/user.ts": TABLE.format("users"), "legacy/users.ts": TABLE.format("users"),
                           "schema/relations.ts": "import { users } from './user';\nexport const r = users;\n"})
    (root / "schema/auth").mkdir()
    git("mv", "schema/user.ts", "schema/auth/accounts.ts", cwd=root)
    assert renames(root) == {"schema/user.ts": "schema/auth/accounts.ts"}
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "git saw the file renamed to schema/auth/accounts.ts" in dry.stderr
    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/relations.ts").read_text() == \
        "import { users } from './auth/accounts';\nexport const r = users;\n", result.stderr


def test_a_stale_barrel_line_follows_a_staged_rename(tmp_path):
    root = repo(tmp_path, {"schema/users.ts": TABLE.format("users"), "schema/certificate.ts": TABLE.format("certs"),
                           "schema/index.ts": "export * from './users';\nexport * from './certificate';\n"})
    git("mv", "schema/certificate.ts", "schema/diplomas.ts", cwd=root)
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "git saw the file renamed" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/index.ts").read_text() == "export * from './users';\nexport * from './diplomas';\n"


CONTENT = ("import { pgTable, serial, text } from 'drizzle-orm/pg-core';\n"
           "export const articles = pgTable('articles', { id: serial('id'), title: text('title'), body: text('body'),\n"
           "  slug: text('slug'), summary: text('summary'), author: text('author') });\n")
COMMENTS = "export const comments = pgTable('comments', { id: serial('id') });\n"


def test_a_split_git_calls_a_rename_is_not_followed(tmp_path):
    """Seen (a probe judged by tsc): `content.ts` split into `articles.ts` and `comments.ts`,
    staged; git pairs `content.ts` with the more similar half. Following that "rename",
    SF001 repointed `import * as content` and SF005 the barrel's `export *` to
    `articles.ts` alone: `content.comments` broke (TS2339) and the barrel lost the
    `comments` table (drizzle-kit would drop it). Both are reported now."""
    root = repo(tmp_path, {"schema/content.ts": CONTENT + COMMENTS, "schema/index.ts": "export * from './content';\n",
                           "app/b.ts": "import * as content from '../schema/content';\n"
                                       "export const t = [content.articles, content.comments];\n"})
    (root / "schema/articles.ts").write_text(CONTENT)
    (root / "schema/comments.ts").write_text("import { pgTable, serial } from 'drizzle-orm/pg-core';\n" + COMMENTS)
    git("rm", "-q", "schema/content.ts", cwd=root)
    git("add", "-A", cwd=root)
    status = subprocess.run(["git", "diff", "--cached", "-M", "--name-status"], cwd=root, capture_output=True).stdout
    assert b"R" in status and b"schema/content.ts" in status  # git does call it a rename
    assert renames(root) == {}
    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert (root / "schema/index.ts").read_text() == "export * from './content';\n"
    assert (root / "app/b.ts").read_text().startswith("import * as content from '../schema/content';")


def test_a_rename_that_keeps_every_name_or_gains_some_is_followed(tmp_path):
    root = repo(tmp_path, {"schema/content.ts": CONTENT, "schema/other.ts": COMMENTS.replace("comments", "others")})
    git("mv", "schema/content.ts", "schema/posts.ts", cwd=root)
    (root / "schema/posts.ts").write_text(CONTENT + "export const extra = 1;\n")
    git("add", "-A", cwd=root)
    assert renames(root) == {"schema/content.ts": "schema/posts.ts"}
    assert renames(root, "HEAD") == {"schema/content.ts": "schema/posts.ts"}  # against the work tree


def test_follow_reads_the_specifier_of_a_moved_importer_from_its_old_place():
    moves = {"task/index.ts": "routine/index.ts", "task/tasks.ts": "routine/routines.ts"}
    assert follow(moves, "routine/index.ts", "./tasks.js") == "routine/routines.ts"
    assert follow(moves, "routine/other.ts", "./tasks.js") is None  # not moved: no old place


def test_a_barrel_moved_with_its_files_follows_their_renames(tmp_path):
    """Seen replaying a public project's rename (`git mv task routine`, then each file
    renamed): the moved barrel's `export * from './tasks.js'` was kept and reported ("no
    single module replaces it") though git recorded `task/tasks.ts -> routine/routines.ts`;
    the authors rewrote it to `./routines.js`."""
    steps = ("import { tasks } from './tasks.js';\nimport { pgTable, serial } from 'drizzle-orm/pg-core';\n"
             "export const taskSteps = pgTable('task_steps', { id: serial('id') });\nexport const t = tasks;\n")
    root = repo(tmp_path, {"src/schema/index.ts": "export * from './task/index.js';\n",
                           "src/schema/task/index.ts": "export * from './tasks.js';\nexport * from './task-steps.js';\n",
                           "src/schema/task/tasks.ts": TABLE.format("tasks"),
                           "src/schema/task/task-steps.ts": steps})
    git("mv", "src/schema/task", "src/schema/routine", cwd=root)
    git("mv", "src/schema/routine/tasks.ts", "src/schema/routine/routines.ts", cwd=root)
    git("mv", "src/schema/routine/task-steps.ts", "src/schema/routine/routine-steps.ts", cwd=root)
    (root / "src/schema/index.ts").write_text("export * from './routine/index.js';\n")
    git("add", "-A", cwd=root)
    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "src/schema/routine/index.ts").read_text() == \
        "export * from './routines.js';\nexport * from './routine-steps.js';\n", result.stderr
    assert (root / "src/schema/routine/routine-steps.ts").read_text() == steps.replace("./tasks.js", "./routines.js")
    again = CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False)
    assert again.exit_code == 0, again.stderr


CHAT = "import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
MESSAGES = "export const chatMessages = pgTable('chat_messages', { id: serial('id') });\n"
SESSIONS = "export const chatSessions = pgTable('chat_sessions', { id: serial('id') });\n"
CHAT_BARREL = "export * from './chat-messages';\nexport * from './chat-sessions';\n"


def test_a_module_merged_into_one_the_barrel_reaches_loses_its_stale_line(tmp_path):
    """Seen in a probe on a public schema: `chat-messages.ts` merged into `chat-sessions.ts`
    (`git rm`), which the barrel already re-exports: the stale line was kept and reported
    ("no single module replaces it"). Every name the file exported in HEAD is re-exported
    by the other lines: the line goes."""
    root = repo(tmp_path, {"schema/chat-messages.ts": CHAT + MESSAGES, "schema/chat-sessions.ts": CHAT + SESSIONS,
                           "schema/index.ts": CHAT_BARREL})
    (root / "schema/chat-sessions.ts").write_text(CHAT + SESSIONS + MESSAGES)
    (root / "schema/chat-messages.ts").unlink()  # not even staged: HEAD still says what it exported
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "every name schema/chat-messages.ts exported in git's HEAD is re-exported" in dry.stderr, dry.stderr
    assert "chatMessages now in schema/chat-sessions.ts" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/index.ts").read_text() == "export * from './chat-sessions';\n"
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_a_module_merged_into_two_the_barrel_reaches_loses_its_stale_line(tmp_path):
    """The same, with the file's two tables merged into two modules the barrel re-exports:
    no one module replaces it, but every name it exported in HEAD is exported by the
    barrel's other lines, and the notes say where each went."""
    attachments = "export const chatAttachments = pgTable('chat_attachments', { id: serial('id') });\n"
    files = "export const files = pgTable('files', { id: serial('id') });\n"
    root = repo(tmp_path, {"schema/chat-messages.ts": CHAT + MESSAGES + attachments,
                           "schema/chat-sessions.ts": CHAT + SESSIONS, "schema/files.ts": CHAT + files,
                           "schema/index.ts": CHAT_BARREL + "export * from './files';\n"})
    (root / "schema/chat-sessions.ts").write_text(CHAT + SESSIONS + MESSAGES)
    (root / "schema/files.ts").write_text(CHAT + files + attachments)
    (root / "schema/chat-messages.ts").unlink()
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "every name schema/chat-messages.ts exported in git's HEAD is re-exported" in dry.stderr, dry.stderr
    assert "chatMessages now in schema/chat-sessions.ts" in dry.stderr
    assert "chatAttachments now in schema/files.ts" in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/index.ts").read_text() == "export * from './chat-sessions';\nexport * from './files';\n"
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


MOVED_A = ("import {{ pgTable, serial, integer }} from 'drizzle-orm/pg-core';\nimport {{ relations }} from 'drizzle-orm';\n"
           "import {{ users }} from '{0}';\n"
           "export const {1} = pgTable('{1}', {{ id: serial('id'), userId: integer('user_id').references(() => users.id) }});\n"
           "export const {1}Relations = relations({1}, ({{ one }}) => ({{\n"
           "  user: one(users, {{ fields: [{1}.userId], references: [users.id] }}),\n}}));\n")


def test_modules_moved_into_a_subfolder_without_git_are_repointed_in_place(tmp_path):
    """A plain `mv` of two table modules into a subfolder (not staged; seen simulated on a
    public schema): their barrel lines were removed as "merged" and the modules added back
    at the end under a `// Relations` header, one pass later. git's HEAD says what each
    exported; the one module defining every one of those names now replaces the line,
    where it stands."""
    users = "import { pgTable, serial } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: serial('id') });\n"
    barrel = "export * from './users';\nexport * from './alpha';\nexport * from './beta';\nexport * from './tail';\n"
    root = repo(tmp_path, {"schema/users.ts": users, "schema/tail.ts": users.replace("users", "tail"),
                           "schema/alpha.ts": MOVED_A.format("./users", "alpha"),
                           "schema/beta.ts": MOVED_A.format("./users", "beta"), "schema/index.ts": barrel})
    (root / "schema/sub").mkdir()
    for name in ("alpha", "beta"):
        (root / f"schema/{name}.ts").unlink()
        (root / f"schema/sub/{name}.ts").write_text(MOVED_A.format("../users", name))
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "schema/sub/alpha.ts replaced it (it defines every name schema/alpha.ts exported in git's HEAD)" \
        in dry.stderr, dry.stderr
    assert "merged" not in dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/index.ts").read_text() == barrel.replace("./alpha", "./sub/alpha").replace("./beta", "./sub/beta")
    assert CliRunner().invoke(cli.main, ["--check", str(root)], catch_exceptions=False).exit_code == 0


def test_a_stale_line_whose_old_names_are_not_all_exported_now_is_kept(tmp_path):
    root = repo(tmp_path, {"schema/chat-messages.ts": CHAT + MESSAGES + "export const drafts = 1;\n",
                           "schema/chat-sessions.ts": CHAT + SESSIONS, "schema/index.ts": CHAT_BARREL})
    (root / "schema/chat-sessions.ts").write_text(CHAT + SESSIONS + MESSAGES)  # `drafts` went nowhere
    git("rm", "-q", "schema/chat-messages.ts", cwd=root)
    result = CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert result.exit_code == 1 and "no single module replaces it, line kept" in result.stderr
    assert (root / "schema/index.ts").read_text() == CHAT_BARREL


def test_a_moved_file_s_default_import_follows_from_its_old_place(tmp_path):
    """Seen in a probe (boardgames' shape, default-exported tables): `git mv posts.ts
    blog/posts.ts`, whose `import users from './users'` now points at nothing. Read from
    where the file was, it named `users.ts`, which did not move: a safe fix, not a guess
    by file name."""
    posts = ("import users from './users';\nimport { pgTable, serial, integer } from 'drizzle-orm/pg-core';\n"
             "const posts = pgTable('posts', { id: serial('id'), a: integer('a').references(() => users.id) });\n"
             "export default posts;\n")
    root = repo(tmp_path, {"schema/users.ts": "import { pgTable, serial } from 'drizzle-orm/pg-core';\n"
                                              "export default pgTable('users', { id: serial('id') });\n",
                           "schema/posts.ts": posts})
    (root / "schema/blog").mkdir()
    git("mv", "schema/posts.ts", "schema/blog/posts.ts", cwd=root)
    dry = CliRunner().invoke(cli.main, [str(root)], catch_exceptions=False)
    assert "git saw this file moved from schema/posts.ts, where it named schema/users.ts" in dry.stderr, dry.stderr
    CliRunner().invoke(cli.main, ["--apply", str(root)], catch_exceptions=False)
    assert (root / "schema/blog/posts.ts").read_text() == posts.replace("'./users'", "'../users'")
