"""Discovery and file I/O: root, source listing, .gitignore, symlinks, odd files, atomic writes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from codemod import discovery, writes
from codemod.discovery import InputError, find_root, load
from codemod.writes import write_atomic
from support import write_tree as make


def problems(ws) -> dict[str, str]:
    return {p.path: p.message for p in ws.problems}


# --- root discovery --------------------------------------------------------------------

def test_root_is_nearest_tsconfig(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "pkg/package.json": "{}", "pkg/src/a.ts": ""})
    assert find_root([tmp_path / "pkg" / "src"]) == tmp_path  # a tsconfig above beats a nearer package.json
    assert find_root([tmp_path / "pkg" / "src" / "a.ts"]) == tmp_path


def test_nearer_tsconfig_wins(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "pkg/tsconfig.json": "{}", "pkg/src/a.ts": ""})
    assert find_root([tmp_path / "pkg" / "src"]) == tmp_path / "pkg"


def test_root_falls_back_to_package_json(tmp_path):
    make(tmp_path, {"pkg/package.json": "{}", "pkg/src/a.ts": ""})
    assert find_root([tmp_path / "pkg" / "src"]) == tmp_path / "pkg"


def test_root_falls_back_to_git_root(tmp_path):
    git = shutil.which("git")
    assert git is not None, "git is needed to test the git-root fallback"
    make(tmp_path, {"repo/src/deep/a.ts": ""})
    subprocess.run([git, "init", "-q", str(tmp_path / "repo")], check=True)
    assert find_root([tmp_path / "repo" / "src" / "deep"]) == (tmp_path / "repo").resolve()


def test_root_without_any_marker_is_the_folder(tmp_path):
    make(tmp_path, {"src/a.ts": ""})
    assert find_root([tmp_path / "src"]) == (tmp_path / "src").resolve()


def test_root_override(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "sub/a.ts": ""})
    ws = load([tmp_path / "sub"], root=tmp_path / "sub")
    assert ws.root == (tmp_path / "sub").resolve()
    assert set(ws.sources) == {"a.ts"}


def test_root_override_must_be_a_folder(tmp_path):
    with pytest.raises(InputError, match="not a folder"):
        load([tmp_path], root=tmp_path / "nope")


def test_missing_path_is_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load([tmp_path / "nope"])


def test_path_outside_root_is_input_error(tmp_path):
    make(tmp_path, {"proj/tsconfig.json": "{}", "other/a.ts": ""})
    with pytest.raises(InputError, match="outside the project root"):
        load([tmp_path / "proj", tmp_path / "other"])


def test_malformed_tsconfig_is_input_error(tmp_path):
    make(tmp_path, {"tsconfig.json": "{", "a.ts": ""})
    with pytest.raises(InputError, match="malformed"):
        load([tmp_path])


def test_tsconfig_loaded(tmp_path):
    make(tmp_path, {"tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}', "src/a.ts": ""})
    ws = load([tmp_path])
    assert [p for p, _ in ws.config.paths] == ["@/*"]


# --- listing -------------------------------------------------------------------------

def test_source_suffixes(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": "", "b.tsx": "", "c.mts": "", "d.cts": "", "e.d.ts": "",
                    "f.js": "", "g.json": "{}", "h.ts.map": "", "README.md": ""})
    assert set(load([tmp_path]).sources) == {"a.ts", "b.tsx", "c.mts", "d.cts", "e.d.ts"}


def test_targets_are_the_given_paths(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "a/x.ts": "", "a/y.ts": "", "b/z.ts": ""})
    ws = load([tmp_path / "a" / "x.ts", tmp_path / "b"])
    assert set(ws.sources) == {"a/x.ts", "a/y.ts", "b/z.ts"}  # the whole project is analysed
    assert ws.targets == {"a/x.ts", "b/z.ts"}  # only these are reported and edited


def test_gitignore_honoured_at_root_and_nested(tmp_path):
    make(tmp_path, {
        "tsconfig.json": "{}",
        ".gitignore": "generated/\n*.gen.ts\n!keep.gen.ts\n",
        "a.ts": "", "x.gen.ts": "", "keep.gen.ts": "", "generated/g.ts": "",
        "sub/.gitignore": "local.ts\n/anchored.ts\n",
        "sub/local.ts": "", "sub/anchored.ts": "", "sub/deeper/anchored.ts": "", "sub/ok.ts": "",
        "other/local.ts": "",
    })
    assert set(load([tmp_path]).sources) == {
        "a.ts", "keep.gen.ts", "sub/ok.ts", "sub/deeper/anchored.ts", "other/local.ts"}


@pytest.mark.parametrize("folder", ["node_modules", ".git", "dist", "build", "sub/node_modules", "sub/dist"])
def test_never_entered(tmp_path, folder):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": "", f"{folder}/x.ts": "", "dist.ts": "", "build-tools/b.ts": ""})
    assert set(load([tmp_path]).sources) == {"a.ts", "dist.ts", "build-tools/b.ts"}


def test_node_modules_symlink_is_silently_skipped(tmp_path):
    make(tmp_path, {"outside/pkg/index.ts": "", "proj/tsconfig.json": "{}", "proj/a.ts": ""})
    (tmp_path / "proj" / "node_modules").symlink_to(tmp_path / "outside", target_is_directory=True)
    ws = load([tmp_path / "proj"])
    assert set(ws.sources) == {"a.ts"} and ws.problems == []


@pytest.mark.parametrize("exclude, expected", [
    pytest.param(("legacy",), {"a.ts", "keep/b.ts"}, id="folder-name"),
    pytest.param(("keep/legacy",), {"a.ts", "keep/b.ts", "legacy/c.ts"}, id="root-relative-path"),
    pytest.param(("a.ts",), {"keep/b.ts", "keep/legacy/x.ts", "legacy/c.ts"}, id="file-name"),
])
def test_exclude(tmp_path, exclude, expected):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": "", "keep/b.ts": "", "keep/legacy/x.ts": "", "legacy/c.ts": ""})
    assert set(load([tmp_path], exclude=exclude).sources) == expected


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "tsconfig.json").write_text("{}")
    ws = load([tmp_path / "empty"])
    assert ws.sources == {} and ws.targets == frozenset() and ws.problems == []


# --- symlinks and odd files -------------------------------------------------------------

def test_symlink_loop_survived(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "src/a.ts": ""})
    (tmp_path / "src" / "loop").symlink_to(tmp_path / "src", target_is_directory=True)
    (tmp_path / "src" / "up").symlink_to(tmp_path, target_is_directory=True)
    ws = load([tmp_path])
    assert set(ws.sources) == {"src/a.ts"}
    assert ws.problems == []


def test_symlink_inside_root_listed_under_real_path(tmp_path):
    # `alias` sorts before `real`: the files must still be listed once, under their real
    # path (as TypeScript resolves them), and the real folder is no "repeated folder" problem.
    make(tmp_path, {"tsconfig.json": "{}", "real/a.ts": "", "b.ts": ""})
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "a-link.ts").symlink_to(tmp_path / "b.ts")
    ws = load([tmp_path])
    assert set(ws.sources) == {"real/a.ts", "b.ts"}
    assert ws.problems == []


def test_root_reached_through_a_symlink(tmp_path):
    make(tmp_path, {"real/tsconfig.json": "{}", "real/a.ts": ""})
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    ws = load([tmp_path / "link"])
    assert set(ws.sources) == {"a.ts"} and ws.problems == []


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_symlink_outside_root_skipped_with_problem(tmp_path, kind):
    make(tmp_path, {"outside/x.ts": "export const x = 1;\n", "proj/tsconfig.json": "{}", "proj/a.ts": ""})
    link = tmp_path / "proj" / ("x.ts" if kind == "file" else "shared")
    link.symlink_to(tmp_path / "outside" / "x.ts" if kind == "file" else tmp_path / "outside",
                    target_is_directory=kind == "folder")
    ws = load([tmp_path / "proj"])
    assert set(ws.sources) == {"a.ts"}
    assert problems(ws) == {link.name: "symlink points outside the project root; skipped"}


def test_dangling_symlink(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": ""})
    (tmp_path / "gone.ts").symlink_to(tmp_path / "nowhere.ts")
    ws = load([tmp_path])
    assert set(ws.sources) == {"a.ts"}
    assert problems(ws) == {"gone.ts": "dangling symlink; skipped"}


def test_nul_byte_file(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": "", "blob.ts": b"\x00\x01\x00\x02export\x00\x00\n"})
    ws = load([tmp_path])
    assert set(ws.sources) == {"a.ts"}
    assert problems(ws) == {"blob.ts": "mostly NUL bytes (UTF-16 or binary?); not a text file, skipped"}


def test_a_nul_character_does_not_make_utf8_source_binary(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": b"export const s = `a\x00b`;\n"})
    ws = load([tmp_path])
    assert set(ws.sources) == {"a.ts"} and not ws.problems


def test_non_utf8_file(tmp_path):
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": "", "latin1.ts": b"// caf\xe9\n"})
    ws = load([tmp_path])
    assert set(ws.sources) == {"a.ts"}
    assert problems(ws) == {"latin1.ts": "not valid UTF-8 (byte 6); skipped"}


def test_bom_and_crlf_read_as_bytes(tmp_path):
    data = b"\xef\xbb\xbfexport const a = 1;\r\n"
    make(tmp_path, {"tsconfig.json": "{}", "a.ts": data})
    ws = load([tmp_path])
    assert ws.sources["a.ts"] == data
    assert ws.hashes["a.ts"] == discovery.digest(data)


def test_oversized_file_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(discovery, "MAX_FILE_BYTES", 10)
    make(tmp_path, {"tsconfig.json": "{}", "small.ts": "", "big.ts": "export const a = 12345;\n"})
    ws = load([tmp_path])
    assert set(ws.sources) == {"small.ts"} and "big.ts" in problems(ws)


# --- atomic writes ----------------------------------------------------------------------

def test_write_atomic_keeps_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "a.ts"
    path.write_bytes(b"old\n")
    path.chmod(0o751)
    inode = path.stat().st_ino
    write_atomic(path, b"new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert path.stat().st_ino != inode
    assert os.listdir(tmp_path) == ["a.ts"]


def test_write_atomic_failure_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "a.ts"
    path.write_bytes(b"old\n")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writes.os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["a.ts"]


def test_stale_temp_files_found(tmp_path):
    make(tmp_path, {".a.ts.schemafix-x1.tmp": "", "sub/.b.ts.schemafix-y2.tmp": "", "c.ts": "",
                    "node_modules/.d.ts.schemafix-z.tmp": ""})
    found = {p.relative_to(tmp_path).as_posix() for p in writes.stale_temp_files(tmp_path)}
    assert found == {".a.ts.schemafix-x1.tmp", "sub/.b.ts.schemafix-y2.tmp"}


def test_gitignore_above_the_root_is_honoured(tmp_path):
    """In a monorepo the project root (its tsconfig) sits below the repository's top,
    whose .gitignore still applies."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".gitignore").write_text("packages/db/schema/generated.ts\n")
    project = repo / "packages" / "db"
    (project / "schema").mkdir(parents=True)
    (project / "tsconfig.json").write_text("{}")
    (project / "schema" / "generated.ts").write_text("export const g = 1;\n")
    (project / "schema" / "kept.ts").write_text("export const k = 1;\n")
    ws = discovery.load([project])
    assert sorted(ws.sources) == ["schema/kept.ts"]
    assert ws.left_out == {"schema/generated.ts"}


def test_gitignore_outside_any_repository_does_not_apply(tmp_path):
    (tmp_path / ".gitignore").write_text("*.ts\n")
    project = tmp_path / "proj"
    project.mkdir()
    (project / "tsconfig.json").write_text("{}")
    (project / "a.ts").write_text("export const a = 1;\n")
    assert sorted(discovery.load([project]).sources) == ["a.ts"]


def test_a_nested_tsconfig_named_in_another_case_is_a_project_where_the_file_system_says_so(tmp_path, monkeypatch):
    """The listing finds a nested project's tsconfig.json by its name in any case, and the
    file system decides (a case-insensitive one, as macOS's and Windows' defaults, reads
    TSConfig.json as tsconfig.json, and so does tsc there): emulated here."""
    from codemod import discovery

    make(tmp_path, {"tsconfig.json": "{}", "packages/web/TSConfig.json": "{}", "packages/web/src/a.ts": "",
                    "packages/api/tsconfig.json": "{}", "packages/docs/readme-tsconfig.json": ""})
    real = os.path.isfile
    monkeypatch.setattr(discovery.os.path, "isfile",
                        lambda p: real(p) or str(p).endswith("packages/web/tsconfig.json"))
    found = discovery._project_folders(tmp_path)
    assert found == [tmp_path, tmp_path / "packages/api", tmp_path / "packages/web"]


def test_a_gitignore_named_in_another_case_is_read_where_the_file_system_says_so(tmp_path, monkeypatch):
    from codemod import discovery

    make(tmp_path, {"tsconfig.json": "{}", ".GITIGNORE": "gen/\n", "src/a.ts": "", "gen/x.ts": ""})
    real_is_file, real_read = Path.is_file, Path.read_text
    emulated = tmp_path / ".gitignore"
    monkeypatch.setattr(Path, "is_file", lambda self: real_is_file(self) or self == emulated)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: real_read(
        tmp_path / ".GITIGNORE" if self == emulated else self, *a, **k))
    assert set(discovery.load([tmp_path]).sources) == {"src/a.ts"}


def test_folders_without_inode_numbers_are_all_entered(tmp_path, monkeypatch):
    """Some file systems (network redirectors, some on Windows) give every folder inode 0:
    the walk then tells folders apart by their real path, not as one repeated folder."""
    from codemod import discovery

    make(tmp_path, {"tsconfig.json": "{}", "db/schema.ts": "", "db/sub/more.ts": "", "top.ts": ""})
    real = os.stat

    class NoInode:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 0 if name == "st_ino" else getattr(self._st, name)

    monkeypatch.setattr(discovery.os, "stat", lambda p, *a, **k: NoInode(real(p, *a, **k)))
    ws = discovery.load([tmp_path])
    assert set(ws.sources) == {"db/schema.ts", "db/sub/more.ts", "top.ts"} and ws.problems == []


def test_a_folder_one_may_enter_but_not_list_still_counts_as_a_project(tmp_path, monkeypatch):
    """A folder with execute but no read permission (listing it fails: emulated, since
    root lists every folder) is still asked whether it holds a tsconfig.json."""
    from codemod import discovery

    make(tmp_path, {"tsconfig.json": "{}", "packages/hidden/tsconfig.json": "{}", "packages/open/x.ts": ""})
    real = os.scandir

    def scandir(path):
        if str(path).endswith("packages/hidden"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    assert discovery._project_folders(tmp_path) == [tmp_path, tmp_path / "packages/hidden"]
