"""Run schemafix on public Drizzle projects at chosen commits, as a user would.

    python bench/public_projects.py bench/public_projects.toml
    python bench/public_projects.py bench/public_projects.toml --only openstatus --show
    python bench/public_projects.py bench/public_projects.toml --json > out.json

A script, not a test: nothing here asserts. Each entry of the list (TOML or JSON) names
a **local bare git directory** fetched beforehand (``git_dir``, or ``mirror =
"owner/name"`` looked up as ``$SCHEMAFIX_MIRRORS/owner+name/repo``, default
``/work/.mirror``), a commit, the folder schemafix runs from (``root``, relative to the
repository; default its top) and the paths passed to it (``paths``, relative to
``root``). The commit is extracted with ``git archive`` into a temp folder outside this
repository (falling back to ``git cat-file`` blob by blob when the snapshot lacks some
blobs, e.g. large images); ``extract`` limits that to some pathspecs. Then the
installed ``schemafix`` CLI runs there: ``schemafix --format json [ARGS] PATHS`` with
``cwd = root``, and the script prints per entry the proposed edit lines (``+``/``-``
lines of the diff), the diagnostics by code and severity (fixed or left for a human),
the problems (unreadable/unparsable files), stderr lines, the exit code and the wall
time. Unless ``--fresh`` (or ``install = "none"``), every workspace package of the
extracted tree is first symlinked as ``node_modules/<name>`` at its top, as a package
manager's install would (nothing is downloaded: a tsconfig ``extends`` of a workspace
package such as ``@acme/tsconfig/base.json`` then resolves; third-party packages stay
absent). ``--show`` also prints every diagnostic message and the diff.

Entry keys: name, shape, kind ("healthy" | "broken"), git_dir | mirror, commit,
root, paths (list), extract (list of pathspecs, optional), args (extra schemafix
arguments, optional), install ("link-workspaces", the default, or "none"), stubs (a table
path -> text: stand-ins, written by the list's author, for third-party files a package
install would bring, e.g. a tsconfig base under node_modules; optional), note (free
text, optional).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli, which schemafix itself needs there
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

DEFAULT_MIRRORS = os.environ.get("SCHEMAFIX_MIRRORS", "/work/.mirror")
TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")


def load_entries(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.suffix == ".json":
        doc = json.loads(data)
    else:
        if tomllib is None:
            sys.exit("TOML entries need tomllib (Python 3.11+) or tomli; use a .json list instead")
        doc = tomllib.loads(data.decode("utf-8"))
    entries = doc["project"] if isinstance(doc, dict) else doc
    for e in entries:
        for key in ("name", "commit"):
            if key not in e:
                sys.exit(f"{path}: entry {e!r} has no {key!r}")
        if "git_dir" not in e and "mirror" not in e:
            sys.exit(f"{path}: entry {e['name']!r} names neither git_dir nor mirror")
    return entries


def git_dir_of(entry: dict) -> Path:
    if "git_dir" in entry:
        return Path(entry["git_dir"])
    owner, name = entry["mirror"].split("/", 1)
    return Path(DEFAULT_MIRRORS) / f"{owner}+{name}" / "repo"


def git(git_dir: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, **kw)


def extract(git_dir: Path, commit: str, pathspecs: list[str], dest: Path) -> list[str]:
    """Write ``commit`` (limited to ``pathspecs``) under ``dest``; return notes."""
    archive = git(git_dir, "archive", "--format=tar", commit, "--", *pathspecs)
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
        return []
    # The snapshot lacks some blobs (files of 4 MiB and more): write what is there.
    listing = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs, check=True)
    rows = []
    for rec in listing.stdout.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob":
            rows.append((mode.decode(), sha.decode(), path.decode("utf-8", "surrogateescape")))
    batch = git(git_dir, "cat-file", "--batch", input=b"".join(f"{sha}\n".encode() for _, sha, _ in rows))
    out, pos, missing = batch.stdout, 0, []
    for mode, sha, path in rows:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            missing.append(path)
            continue
        size = int(header[2])
        body = out[pos:pos + size]
        pos += size + 1
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(body.decode("utf-8", "surrogateescape"), target)
        else:
            target.write_bytes(body)
            if mode == "100755":
                target.chmod(0o755)
    return [f"{len(missing)} blobs absent from the snapshot, not extracted (e.g. {missing[0]})"] if missing else []


def link_workspaces(top: Path) -> int:
    """Emulate what ``pnpm/bun/npm install`` does for workspace packages (no network):
    ``<top>/node_modules/<name>`` -> the folder of every package.json with a name."""
    n = 0
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d not in ("node_modules", ".git")]
        if "package.json" not in filenames or Path(dirpath) == top:
            continue
        try:
            name = json.loads((Path(dirpath) / "package.json").read_text("utf-8")).get("name")
        except (ValueError, OSError):
            continue
        if not isinstance(name, str) or not name:
            continue
        link = top / "node_modules" / name
        if link.exists() or link.is_symlink():
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(dirpath, link.parent), link)
        n += 1
    return n


def count_ts(root: Path, paths: list[str]) -> int:
    n = 0
    for p in paths:
        base = (root / p).resolve()
        if base.is_file():
            n += base.suffix in TS_SUFFIXES
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if d not in ("node_modules", ".git", "dist", "build")]
            n += sum(1 for f in filenames if f.endswith(TS_SUFFIXES) and not f.endswith(".d.ts"))
    return n


def diff_lines(files: list[dict]) -> tuple[int, int]:
    plus = minus = 0
    for f in files:
        for line in f["diff"].splitlines():
            if line.startswith("+++") or line.startswith("---"):
                continue
            plus += line.startswith("+")
            minus += line.startswith("-")
    return plus, minus


def run_entry(entry: dict, schemafix: str, keep: bool, fresh: bool) -> dict:
    git_dir = git_dir_of(entry)
    result = {k: entry.get(k) for k in ("name", "shape", "kind", "commit", "root", "paths", "note")}
    result["git_dir"] = str(git_dir)
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in entry["name"])
    tmp = Path(tempfile.mkdtemp(prefix=f"sf-public-{safe}-"))
    try:
        commit = git(git_dir, "rev-parse", "--verify", f"{entry['commit']}^{{commit}}", text=True)
        if commit.returncode != 0:
            result["error"] = f"no commit {entry['commit']} in {git_dir}: {commit.stderr.strip()}"
            return result
        result["commit"] = commit.stdout.strip()
        result["extract_notes"] = extract(git_dir, result["commit"], entry.get("extract", []), tmp)
        if not fresh and entry.get("install", "link-workspaces") == "link-workspaces":
            result["linked_workspaces"] = link_workspaces(tmp)
        for rel, content in entry.get("stubs", {}).items():
            stub = tmp / rel  # a stand-in for a third-party file an install would bring
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(content, "utf-8")
        root = tmp / entry.get("root", ".")
        paths = entry.get("paths", ["."])
        result["files"] = count_ts(root, paths)
        cmd = [schemafix, "--format", "json", "--color", "never", *entry.get("args", []), *paths]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        result["seconds"] = round(time.perf_counter() - t0, 2)
        result["exit_code"] = proc.returncode
        result["stderr"] = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        try:
            doc = json.loads(proc.stdout) if proc.stdout.strip() else None
        except json.JSONDecodeError:
            doc = None
            result["stdout"] = proc.stdout[-2000:]
        if doc is None:
            return result
        if "projects" in doc:  # several projects (a solution's references): their parts, in order
            parts = doc["projects"]
            doc = {"files": [f for p in parts for f in p["files"]],
                   "diagnostics": [d for p in parts for d in p["diagnostics"]],
                   "problems": [x for p in parts for x in p["problems"]],
                   "summary": {"text": " | ".join(f"{p['project']}: {p['summary']['text']}" for p in parts)}}
        plus, minus = diff_lines(doc["files"])
        result["edit_lines"] = {"+": plus, "-": minus}
        result["edited_files"] = [f["path"] for f in doc["files"]]
        by = collections.Counter()
        for d in doc["diagnostics"]:
            by[f"{d['code']} {d['severity']}{' fixed' if d['fixed'] else ''}"] += 1
        result["diagnostics_by_code"] = dict(sorted(by.items()))
        result["errors"] = sum(1 for d in doc["diagnostics"] if d["severity"] == "error")
        result["warnings"] = sum(1 for d in doc["diagnostics"] if d["severity"] == "warning")
        result["infos"] = sum(1 for d in doc["diagnostics"] if d["severity"] == "info")
        result["problems"] = doc["problems"]
        result["summary"] = doc["summary"]["text"]
        result["diagnostics"] = [
            {k: d[k] for k in ("code", "severity", "path", "line", "message", "notes", "fixed")}
            | {"fix": d["fix"]["title"] if d["fix"] else None}
            for d in doc["diagnostics"]
        ]
        result["diff"] = "".join(f["diff"] for f in doc["files"])
        return result
    finally:
        if keep:
            result["tree"] = str(tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def print_entry(r: dict, show: bool) -> None:
    print(f"== {r['name']} [{r.get('kind') or '?'}] {r.get('shape') or ''}")
    print(f"   {r['git_dir']} @ {r['commit'][:12]}  root={r.get('root') or '.'}  paths={' '.join(r.get('paths') or ['.'])}")
    if r.get("error"):
        print(f"   ERROR: {r['error']}")
        return
    for n in r.get("extract_notes", []):
        print(f"   extract: {n}")
    if "edit_lines" not in r:
        print(f"   exit {r.get('exit_code')}  {r.get('seconds')} s  no JSON output")
        for ln in r.get("stderr", [])[:20]:
            print(f"   stderr: {ln}")
        return
    e = r["edit_lines"]
    print(f"   files {r['files']}  edits +{e['+']}/-{e['-']} in {len(r['edited_files'])} files  "
          f"errors {r['errors']}  warnings {r['warnings']}  infos {r['infos']}  problems {len(r['problems'])}  "
          f"exit {r['exit_code']}  {r['seconds']} s")
    if r["diagnostics_by_code"]:
        print("   by code: " + ", ".join(f"{k}: {v}" for k, v in r["diagnostics_by_code"].items()))
    for p in r["problems"]:
        print(f"   problem: {p['path']}: {p['message']}")
    diag_lines = [ln for ln in r["stderr"] if not ln.startswith(r["summary"][:20])]
    for ln in diag_lines[:10]:
        print(f"   stderr: {ln}")
    if show:
        for d in r["diagnostics"]:
            print(f"   {d['path']}:{d['line']}: {d['code']} {d['severity']}{' [fixed]' if d['fixed'] else ''}: {d['message']}")
            for n in d["notes"]:
                print(f"       note: {n}")
        if r["diff"]:
            print("   diff:")
            for ln in r["diff"].splitlines():
                print("   | " + ln)
    print(f"   summary: {r['summary']}")


def print_table(results: list[dict]) -> None:
    print()
    print("| project | kind | commit | files | edit lines +/- | errors | warn/info | problems | exit | time s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if "edit_lines" not in r:
            print(f"| {r['name']} | {r.get('kind')} | `{(r.get('commit') or '')[:10]}` | {r.get('files', '')} | – | – | – | – | {r.get('exit_code', '–')} | {r.get('seconds', '–')} |")
            continue
        e = r["edit_lines"]
        print(f"| {r['name']} | {r.get('kind')} | `{r['commit'][:10]}` | {r['files']} | +{e['+']}/-{e['-']} | "
              f"{r['errors']} | {r['warnings']}/{r['infos']} | {len(r['problems'])} | {r['exit_code']} | {r['seconds']} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("entries", type=Path, help="TOML ([[project]] tables) or JSON (a list) of entries")
    ap.add_argument("--only", action="append", default=[], help="run only entries with this name (repeatable)")
    ap.add_argument("--schemafix", default=shutil.which("schemafix") or str(Path(sys.executable).with_name("schemafix")),
                    help="the schemafix executable (default: the one on PATH, else beside this Python)")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout instead of the report")
    ap.add_argument("--show", action="store_true", help="also print every diagnostic and the diff")
    ap.add_argument("--fresh", action="store_true",
                    help="a fresh checkout: do not link workspace packages into node_modules")
    ap.add_argument("--keep", action="store_true", help="keep the extracted trees (their paths are printed)")
    args = ap.parse_args(argv)
    entries = load_entries(args.entries)
    if args.only:
        entries = [e for e in entries if e["name"] in args.only]
    results = []
    for entry in entries:
        r = run_entry(entry, args.schemafix, args.keep, args.fresh)
        results.append(r)
        if not args.json:
            print_entry(r, args.show)
            if r.get("tree"):
                print(f"   tree kept at {r['tree']}")
            sys.stdout.flush()
    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
