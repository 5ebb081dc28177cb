"""Speed benchmark: schemafix against `tsc --noEmit` and the raw tree-sitter parse.

    python bench/bench.py                      # scales 1 and 4, 5 runs each
    python bench/bench.py --scales 1 --runs 3 --json
    python bench/bench.py --scales 1 --profile  # cProfile of load + engine.run
    python bench/bench.py --sizes 1k,5k,20k --runs 3 --tsc-timeout 600   # by file count
    python bench/bench.py --sizes 5k,20k --healthy --no-tsc   # the same schemas unbroken

For each scale the schema from ``bench/gen_schema.py`` is written to a temp folder
with the pinned ``node_modules`` of ``tests/node`` linked in, then measured (median
of N runs, with min and max; wall time from ``time.perf_counter``, CPU time beside
it because a busy machine stretches wall time but not CPU time):

  floor       tree-sitter parse of the same bytes, in process (no I/O)
  in-process  ``discovery.load`` + ``engine.run`` (every rule, to the fixpoint, dry
              run); then, separately, the first pass split into parse, facts,
              resolver + export map and each rule (their sum is one pass, not the run)
  --check     ``schemafix --check`` as a subprocess (interpreter start-up included),
              cold: each run gets an empty cache folder, so it analyses and writes
              its entry
  warm        ``schemafix --check`` again on the last cold run's cache folder (nothing
              changed), and whether it printed exactly what the cold run printed
  tsc         ``tsc --noEmit -p DIR`` with the pinned TypeScript
  after       ``schemafix --apply`` on a copy, then tsc once more: did the import and
              redeclaration errors go to zero? (a correctness side-check)

Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NODE_DIR = REPO / "tests" / "node"
sys.path[:0] = [str(REPO), str(HERE)]

import gen_schema  # noqa: E402
import tree_sitter_typescript  # noqa: E402
from tree_sitter import Language, Parser  # noqa: E402

from codemod import discovery, engine  # noqa: E402
from codemod.facts import gather_facts  # noqa: E402
from codemod.parsing import parse  # noqa: E402
from codemod.project import Project, SourceFile  # noqa: E402
from codemod.rules import Context, Settings, all_rules  # noqa: E402

TSC_ERROR = re.compile(r"error (TS\d+):")
# what the broken schema makes tsc say: cannot find module, no exported member,
# redeclared block-scoped variable, duplicate property in an object literal
IMPORT_AND_REDECLARATION = {"TS2307", "TS2305", "TS2724", "TS2451", "TS1117", "TS2300"}


# --- helpers ------------------------------------------------------------------------


def node_modules() -> Path:
    """`npm ci` in tests/node once, keyed by the lock file's hash (as tests/support.py does)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        sys.exit("bench: node and npm are needed for the tsc side of the benchmark")
    lock = NODE_DIR / "package-lock.json"
    stamp = NODE_DIR / "node_modules" / ".schemafix-lock-sha256"
    want = hashlib.sha256(lock.read_bytes()).hexdigest()
    if not (stamp.is_file() and stamp.read_text() == want):
        print("bench: npm ci in tests/node ...", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR, check=True)
        stamp.write_text(want)
    return NODE_DIR / "node_modules"


def schemafix_command() -> list[str]:
    script = Path(sys.executable).parent / "schemafix"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "codemod.cli"]


class Timing:
    """N samples of wall and CPU seconds; summarised as median/min/max."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    peak_rss_mb: float | None = None  # subprocess measures: the largest peak RSS of the runs

    def summary(self) -> dict:
        out = {"median": self.median, "min": min(self.wall), "max": max(self.wall),
               "cpu_median": self.cpu_median, "runs": len(self.wall)}
        if self.peak_rss_mb is not None:
            out["peak_rss_mb"] = self.peak_rss_mb
        return out


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    cpu0, t0 = time.process_time(), time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, time.process_time() - cpu0, result


class TimedOut(Exception):
    pass


# Children run as on a user's machine: with Python's bytecode cache (this machine sets
# PYTHONDONTWRITEBYTECODE, which makes every start compile schemafix's ~70 modules: ~50 ms).
_CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_child(argv: list[str], cwd: Path, timeout: float = 1800) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a subprocess; wall seconds and its own CPU seconds (user + sys, from its
    rusage). The completed process carries ``peak_rss_mb`` (its own peak resident set:
    ``ru_maxrss`` of that one child, from ``wait4``). ``TimedOut`` after ``timeout``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, env=_CHILD_ENV)
        ended: list = []

        def reap() -> None:  # a blocking wait: the end is seen when it happens (polling every 20 ms
            ended.extend(os.wait4(child.pid, 0))  # added ~10 ms to a 0.15 s warm run)
            ended.append(time.perf_counter())

        reaper = threading.Thread(target=reap, daemon=True)
        reaper.start()
        reaper.join(timeout)
        if reaper.is_alive():
            child.kill()
            reaper.join()
            raise TimedOut(f"{argv[0]} took more than {timeout:.0f} s")
        _, status, usage, t1 = ended
        wall = t1 - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(argv, child.returncode, out.read().decode("utf-8", "replace"),
                                           err.read().decode("utf-8", "replace"))
    proc.peak_rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    return wall, usage.ru_utime + usage.ru_stime, proc


def tsc_codes(output: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for code in TSC_ERROR.findall(output):
        out[code] = out.get(code, 0) + 1
    return dict(sorted(out.items()))


# --- the measurements ---------------------------------------------------------------


def measure_floor(sources: dict[str, bytes], runs: int) -> Timing:
    ts = Language(tree_sitter_typescript.language_typescript())
    tsx = Language(tree_sitter_typescript.language_tsx())
    parsers = {False: Parser(ts), True: Parser(tsx)}
    items = [(parsers[p.endswith(".tsx")], data) for p, data in sources.items()]

    def parse_all() -> None:
        for parser, data in items:
            parser.parse(data)

    parse_all()  # warm-up
    timing = Timing()
    for _ in range(runs):
        wall, cpu, _ = timed(parse_all)
        timing.add(wall, cpu)
    return timing


def measure_in_process(root: Path, runs: int) -> dict:
    settings = Settings()
    rules = [r for r in all_rules() if settings.enabled(r.code)]
    stages = {k: Timing() for k in ("load", "parse", "facts", "resolver+exportmap", "rules pass 1",
                                    "engine.run", "load+engine.run")}
    per_rule = {r.code: Timing() for r in rules}
    info: dict = {}

    def one_run(record: bool) -> None:
        gc.collect()  # start each run from the same heap: no garbage left by the previous one
        wall_l, cpu_l, ws = timed(lambda: discovery.load([root]))
        # the real thing, as the CLI runs it
        wall_e, cpu_e, outcome = timed(lambda: engine.run(ws.root, ws.sources, config=ws.config,
                                                          targets=ws.targets, settings=settings))
        if record:
            info.update(passes=outcome.passes, converged=outcome.converged, fixed=len(outcome.fixed),
                        remaining=len(outcome.remaining), changed_files=len(outcome.changed),
                        fixed_by_rule=_count(d.code for d in outcome.fixed))
        del outcome
        gc.collect()
        # the first pass again, split stage by stage: what Project.build and the rules do
        wall_p, cpu_p, trees = timed(lambda: {p: parse(p, d) for p, d in ws.sources.items()})
        wall_f, cpu_f, files = timed(lambda: {p: SourceFile(p, d, trees[p], gather_facts(p, d, trees[p]))
                                              for p, d in ws.sources.items()})
        project = Project(ws.root, files, ws.config)
        wall_x, cpu_x, _ = timed(lambda: (project.resolver, project.exports))
        ctx = Context(project, settings, ws.targets, frozenset(ws.targets))
        rule_times = {}
        for r in rules:
            rule_times[r.code] = timed(lambda r=r: list(r.check(ctx)))
        if not record:
            return
        stages["load"].add(wall_l, cpu_l)
        stages["parse"].add(wall_p, cpu_p)
        stages["facts"].add(wall_f, cpu_f)
        stages["resolver+exportmap"].add(wall_x, cpu_x)
        stages["rules pass 1"].add(sum(t[0] for t in rule_times.values()), sum(t[1] for t in rule_times.values()))
        for code, (w, c, _) in rule_times.items():
            per_rule[code].add(w, c)
        stages["engine.run"].add(wall_e, cpu_e)
        stages["load+engine.run"].add(wall_l + wall_e, cpu_l + cpu_e)

    one_run(record=False)  # warm-up: rule imports, query compilation, caches
    for _ in range(runs):
        one_run(record=True)
    return {"stages": stages, "rules": per_rule, "outcome": info}


def _count(codes) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in codes:
        out[c] = out.get(c, 0) + 1
    return dict(sorted(out.items()))


def measure_subprocess(argv: list[str] | Callable[[], list[str]], cwd: Path, runs: int,
                       timeout: float = 1800) -> tuple[Timing, subprocess.CompletedProcess]:
    """``argv``, or a function giving each run's argv."""
    timing = Timing()
    proc = None
    peak = 0.0
    for _ in range(runs):
        wall, cpu, proc = run_child(argv() if callable(argv) else argv, cwd, timeout)
        timing.add(wall, cpu)
        peak = max(peak, proc.peak_rss_mb)
    timing.peak_rss_mb = peak
    return timing, proc


def bench_scale(scale: int, args, tmp: Path, tsc_bin: Path) -> dict:
    generated = gen_schema.generate(scale=scale, seed=args.seed, healthy=args.healthy)
    root = tmp / f"scale{scale}"
    gen_schema.write(root, generated)
    (root / "node_modules").symlink_to(tsc_bin.parent.parent, target_is_directory=True)
    sources = {p: t.encode("utf-8") for p, t in generated.files.items() if p.endswith(".ts")}
    say = (lambda m: print(f"bench: scale {scale}: {m}", file=sys.stderr)) if not args.quiet else (lambda m: None)

    say(f"{len(sources)} files; tree-sitter floor")
    floor = measure_floor(sources, args.runs)
    if args.no_split:
        inproc = None
    else:
        say("schemafix in process")
        inproc = measure_in_process(root, args.runs)
    say("schemafix --check subprocess, cold (an empty cache folder each run: it is written, not read)")
    cache_dirs = iter(tmp / f"scale{scale}-cache-{i}" for i in range(args.runs))
    check, check_proc = measure_subprocess(
        lambda: [*schemafix_command(), "--check", "--cache-dir", str(next(cache_dirs)), "."], root, args.runs)
    say("schemafix --check subprocess, warm (nothing changed since the last cold run)")
    warm_argv = [*schemafix_command(), "--check", "--cache-dir", str(tmp / f"scale{scale}-cache-{args.runs - 1}"), "."]
    warm, warm_proc = measure_subprocess(warm_argv, root, args.runs)
    result = {
        "schema": generated.stats,
        "floor": floor.summary(),
        "check": {**check.summary(), "exit": check_proc.returncode},
        "warm": {**warm.summary(), "exit": warm_proc.returncode,
                 "same_output": (warm_proc.stdout, warm_proc.stderr) == (check_proc.stdout, check_proc.stderr)},
    }
    if inproc is not None:
        result.update(in_process={k: t.summary() for k, t in inproc["stages"].items()},
                      rules_pass_1={k: t.summary() for k, t in inproc["rules"].items()}, outcome=inproc["outcome"])
    tsc = None
    if not args.no_tsc and not args.tsc_gave_up:
        say(f"tsc --noEmit x{args.tsc_runs} (given up after {args.tsc_timeout:.0f} s)")
        try:
            tsc, tsc_proc = measure_subprocess([str(tsc_bin), "--noEmit", "--pretty", "false", "-p", "."], root,
                                               args.tsc_runs, args.tsc_timeout)
        except TimedOut:
            args.tsc_gave_up = True  # and for every larger size
            result["tsc"] = {"timed_out": args.tsc_timeout}
    if tsc is not None:  # node may die (out of heap) without one TS error: say so
        result["tsc_exit"] = {"exit": tsc_proc.returncode, "stderr_tail": tsc_proc.stderr.strip()[-300:]}
    if tsc is not None and args.no_apply_check:
        result["tsc"] = {**tsc.summary(), "errors": tsc_codes(tsc_proc.stdout)}
    elif tsc is not None:
        applied = tmp / f"scale{scale}-applied"
        shutil.copytree(root, applied, symlinks=True)
        say("schemafix --apply, then tsc and --check again")
        wall_a, cpu_a, apply_proc = run_child([*schemafix_command(), "--apply", "."], applied)
        wall_t, cpu_t, tsc_after = run_child([str(tsc_bin), "--noEmit", "--pretty", "false", "-p", "."], applied,
                                             args.tsc_timeout)
        _, _, recheck = run_child([*schemafix_command(), "--check", "."], applied)
        before, after = tsc_codes(tsc_proc.stdout), tsc_codes(tsc_after.stdout)
        result["tsc"] = {**tsc.summary(), "errors": before}
        result["after_apply"] = {
            "apply": {"wall": wall_a, "cpu": cpu_a, "exit": apply_proc.returncode},
            "tsc": {"wall": wall_t, "cpu": cpu_t, "errors": after},
            "import_and_redeclaration_errors": {
                "before": sum(n for c, n in before.items() if c in IMPORT_AND_REDECLARATION),
                "after": sum(n for c, n in after.items() if c in IMPORT_AND_REDECLARATION)},
            "recheck_exit": recheck.returncode,
        }
    result["ratios"] = {}
    if tsc is not None:
        result["ratios"] = {"check/tsc": check.median / tsc.median, "check/tsc (cpu)": check.cpu_median / tsc.cpu_median}
    result["ratios"]["check/floor"] = check.median / floor.median
    result["ratios"]["warm/cold"] = warm.median / check.median
    if inproc is not None:
        ip = inproc["stages"]["load+engine.run"]
        result["ratios"]["in_process/floor"] = ip.median / floor.median
        if tsc is not None:
            result["ratios"]["in_process/tsc"] = ip.median / tsc.median
    return result


def profile(scale: int, seed: int, top: int) -> str:
    with tempfile.TemporaryDirectory(prefix="schemafix-bench-") as tmp:
        root = Path(tmp) / "schema"
        gen_schema.write(root, gen_schema.generate(scale=scale, seed=seed))
        settings = Settings()
        ws = discovery.load([root])
        engine.run(ws.root, ws.sources, config=ws.config, targets=ws.targets, settings=settings)  # warm-up
        prof = cProfile.Profile()
        prof.enable()
        ws = discovery.load([root])
        engine.run(ws.root, ws.sources, config=ws.config, targets=ws.targets, settings=settings)
        prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- output -------------------------------------------------------------------------


def versions(tsc_bin: Path | None) -> dict:
    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    out = {"python": platform.python_version(), "tree-sitter": dist("tree-sitter"),
           "tree-sitter-typescript": dist("tree-sitter-typescript"), "schemafix": dist("schemafix"),
           "platform": platform.platform(), "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "codemod", "rewriters"], cwd=REPO,
                               capture_output=True, text=True)
        out["commit"] = head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        pass
    if tsc_bin is not None:
        tsc_version = subprocess.run([str(tsc_bin), "--version"], capture_output=True, text=True).stdout
        out["typescript"] = tsc_version.split()[-1]
        out["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return out


def fmt(s: dict) -> str:
    return f"{s['median']:8.3f} {s['min']:8.3f} {s['max']:8.3f} {s['cpu_median']:8.3f}"


def growth(doc: dict) -> dict | None:
    """How each measure grows from the first scale to the last (median wall time)."""
    scales = list(doc["scales"])
    if len(scales) < 2:
        return None
    a, b = doc["scales"][scales[0]], doc["scales"][scales[-1]]
    pairs = {"floor": (a["floor"], b["floor"]), "--check": (a["check"], b["check"])}
    if "warm" in a and "warm" in b:
        pairs["--check warm"] = (a["warm"], b["warm"])
    if "in_process" in a and "in_process" in b:
        pairs["in-process"] = (a["in_process"]["load+engine.run"], b["in_process"]["load+engine.run"])
    if "median" in a.get("tsc", {}) and "median" in b.get("tsc", {}):
        pairs["tsc"] = (a["tsc"], b["tsc"])
    factors = {"files": b["schema"]["ts_files"] / a["schema"]["ts_files"]}
    factors.update({k: y["median"] / x["median"] for k, (x, y) in pairs.items()})
    factors.update({k + " (cpu)": y["cpu_median"] / x["cpu_median"] for k, (x, y) in pairs.items()})
    factors["--check peak RSS"] = b["check"]["peak_rss_mb"] / a["check"]["peak_rss_mb"]
    return {"from": scales[0], "to": scales[-1], "factors": factors}


def render(doc: dict) -> str:
    lines = []
    v = doc["versions"]
    lines.append(f"schemafix {v['schemafix']} ({v.get('commit', '?')}), Python {v['python']}, "
                 f"tree-sitter {v['tree-sitter']} / typescript grammar {v['tree-sitter-typescript']}, "
                 f"TypeScript {v.get('typescript', '-')}, node {v.get('node', '-')}, {v['cpus']} CPUs, {v['date']}")
    for scale, r in doc["scales"].items():
        s = r["schema"]
        lines.append("")
        lines.append(f"scale {scale}: {s['ts_files']} files, {s['tables']} tables, {s['domains']} domains, "
                     f"{s['lines']} lines, {s['bytes'] / 1024:.0f} KiB; {s['broken_imports']}/{s['import_entries']} "
                     f"relations imports broken, {s['duplicate_relations']} duplicated relations, "
                     f"{s['phantom_names']} phantom names")
        lines.append(f"  {'seconds (runs: ' + str(r['floor']['runs']) + ')':38} {'median':>8} {'min':>8} {'max':>8} "
                     f"{'cpu':>8}")
        lines.append(f"  {'floor: tree-sitter parse':38} {fmt(r['floor'])}")
        for k, t in r.get("in_process", {}).items():
            label = {"load+engine.run": "schemafix in-process (load+run)"}.get(k, "  " + k)
            lines.append(f"  {label:38} {fmt(t)}")
        for code, t in r.get("rules_pass_1", {}).items():
            lines.append(f"  {'    ' + code:38} {fmt(t)}")
        lines.append(f"  {'schemafix --check, cold (subprocess)':38} {fmt(r['check'])}   "
                     f"peak RSS {r['check']['peak_rss_mb']:.0f} MB")
        if "warm" in r:
            lines.append(f"  {'schemafix --check, warm (subprocess)':38} {fmt(r['warm'])}   "
                         f"peak RSS {r['warm']['peak_rss_mb']:.0f} MB   "
                         f"{'same output as cold' if r['warm']['same_output'] else 'OUTPUT DIFFERS FROM COLD'}")
        if "timed_out" in r.get("tsc", {}):
            lines.append(f"  {'tsc --noEmit':38} did not finish in {r['tsc']['timed_out']:.0f} s")
        elif "tsc" in r:
            lines.append(f"  {'tsc --noEmit':38} {fmt(r['tsc'])}   peak RSS {r['tsc']['peak_rss_mb']:.0f} MB"
                         f"   exit {r['tsc_exit']['exit']}")
            if r["tsc_exit"]["exit"] not in (0, 1, 2):
                lines.append(f"  tsc failed: {r['tsc_exit']['stderr_tail']!r}")
        if "outcome" in r:
            o = r["outcome"]
            lines.append(f"  engine: {o['passes']} passes, {o['fixed']} fixes {o['fixed_by_rule']} in "
                         f"{o['changed_files']} files, {o['remaining']} left, converged={o['converged']}")
        if "after_apply" in r and "errors" in r["tsc"]:
            a = r["after_apply"]
            ir = a["import_and_redeclaration_errors"]
            lines.append(f"  tsc errors before: {r['tsc']['errors']}")
            lines.append(f"  after --apply ({a['apply']['wall']:.2f}s, exit {a['apply']['exit']}): "
                         f"{a['tsc']['errors'] or 'no errors'}; import/redeclaration errors {ir['before']} -> "
                         f"{ir['after']}; --check again exits {a['recheck_exit']}")
        lines.append("  ratios: " + ", ".join(f"{k} {x:.3f}" for k, x in r["ratios"].items()))
    if "growth" in doc:
        lines.append("")
        lines.append(f"growth scale {doc['growth']['from']} -> {doc['growth']['to']}: "
                     + ", ".join(f"{k} x{x:.2f}" for k, x in doc["growth"]["factors"].items()))
    return "\n".join(lines)


def _size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="schemafix speed benchmark (see the module docstring)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median, min, max); default 5")
    parser.add_argument("--tsc-runs", type=int, default=None, help="runs of tsc (default: --runs)")
    parser.add_argument("--scales", default="1,4", help="comma-separated scales (default 1,4)")
    parser.add_argument("--sizes", help="comma-separated file counts instead of scales (1k,5k,20k,100k): "
                                        "each becomes the nearest scale (157 files per scale)")
    parser.add_argument("--tsc-timeout", type=float, default=600,
                        help="give tsc up after this many seconds, at this size and every larger one (default 600)")
    parser.add_argument("--no-apply-check", action="store_true",
                        help="skip the --apply side-check (apply, tsc again, --check again)")
    parser.add_argument("--no-split", action="store_true",
                        help="skip the in-process measures (load+run and the per-stage split): --check only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--healthy", action="store_true",
                        help="the same schemas unbroken (gen_schema --healthy): a project's steady state, one pass")
    parser.add_argument("--no-tsc", action="store_true", help="skip tsc and the --apply side-check")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    parser.add_argument("--save", type=Path, help="also write the JSON document to this file")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of load + engine.run and stop")
    parser.add_argument("--top", type=int, default=25, help="rows of --profile output")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    args.tsc_runs = args.tsc_runs or args.runs
    args.tsc_gave_up = False
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if args.sizes:
        scales = [max(1, round(_size(s) / 157)) for s in args.sizes.split(",") if s.strip()]
    if args.profile:
        print(profile(scales[0], args.seed, args.top))
        return 0
    tsc_bin = None if args.no_tsc else node_modules() / ".bin" / "tsc"
    doc = {"versions": versions(tsc_bin), "runs": args.runs, "tsc_runs": args.tsc_runs, "seed": args.seed,
           "healthy": args.healthy, "scales": {}}
    tmp_ctx = tempfile.TemporaryDirectory(prefix="schemafix-bench-") if args.keep is None else None
    tmp = Path(tmp_ctx.name) if tmp_ctx else args.keep
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for scale in scales:
            doc["scales"][str(scale)] = bench_scale(scale, args, tmp, tsc_bin or NODE_DIR / "node_modules/.bin/tsc")
    finally:
        if tmp_ctx:
            tmp_ctx.cleanup()
    grow = growth(doc)
    if grow:
        doc["growth"] = grow
    if args.save:
        args.save.write_text(json.dumps(doc, indent=2) + "\n")
    print(json.dumps(doc, indent=2) if args.json else render(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
