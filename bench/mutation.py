"""Mutation testing of the engine's hard rules and the lifecycle guards, with mutmut.

    .venv/bin/python bench/mutation.py                      # both targets, writes docs/benchmarks.md
    .venv/bin/python bench/mutation.py --target engine      # one target (engine | placements | all)
    .venv/bin/python bench/mutation.py --target engine --quick   # skip the slow property tests
    .venv/bin/python bench/mutation.py --report-only        # rewrite the doc from the last results

What it never does: mutate the working tree. mutmut rewrites the code it mutates inside a
``mutants/`` folder of the directory it runs in, so this script first copies the project (the
files git tracks plus untracked, not ignored ones, as they are on disk; or a commit with
``--ref``) to ``var/mutation/<target>/tree/`` (git-ignored, emptied at the start of each run), and
runs ``mutmut run`` there with a ``setup.cfg`` of its own. Nothing outside ``var/mutation/`` is
written except the doc section.

Per target: only its modules are mutated (``only_mutate``) and only its own tests run, the fast
story tests first and the slow property tests last (bench/_mutmut_plugin.py), so that a mutant a
story kills costs a second, not the whole property run. Workers: mutmut's fork server
(``process_isolation = forkserver``), two at most, at ``nice`` 10, with one BLAS/OpenMP thread
(the main process's native threads deadlock a plainly forked child).

Figures: generated = every mutant mutmut wrote; killed; survived; timed out; "no tests" (no
selected test reaches the mutated function; counted with the survivors in the rate); survival rate
= (survived + no tests) / generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._mutation_targets import EQUIVALENT, TARGETS, Target

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
SECTION = "Mutation testing"
TARGET_SURVIVAL = 0.10

#: Packages mutmut copies into mutants/ (Django needs every installed app importable from there).
PACKAGES = (
    "backend",
    "accounts",
    "taxonomy",
    "organizations",
    "opportunities",
    "volunteers",
    "matching",
    "suggestions",
    "placements",
    "notifications",
    "engagement",
    "demo",
)


@dataclass
class ModuleFigures:
    generated: int = 0
    killed: int = 0
    survived: int = 0
    timeout: int = 0
    no_tests: int = 0
    other: int = 0
    survivors: list[str] = field(default_factory=list)

    @property
    def not_killed(self) -> int:
        return self.survived + self.no_tests

    @property
    def survival(self) -> float:
        return self.not_killed / self.generated if self.generated else 0.0

    def add(self, other: ModuleFigures) -> None:
        for name in ("generated", "killed", "survived", "timeout", "no_tests", "other"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.survivors += other.survivors


# --- The copy --------------------------------------------------------------------------------------


def copy_tree(dest: Path, ref: str | None) -> None:
    """The project as it is on disk (or at ``ref``) into ``dest``; never the reverse."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if ref:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        return
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():  # a tracked file deleted on disk is skipped
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)


def setup_cfg(target: Target, tests: list[str], deselect: list[str]) -> str:
    def block(name: str, values: list[str]) -> str:
        return f"{name}=\n" + "".join(f"    {v}\n" for v in values)

    return (
        "[mutmut]\n"
        + block("source_paths", list(PACKAGES))
        + block("only_mutate", list(target.modules))
        + block("also_copy", ["bench", "data", "manage.py"])
        + block("pytest_add_cli_args_test_selection", tests)
        + block(
            "pytest_add_cli_args",
            ["-p", "no:xdist", "-p", "no:cacheprovider", "-p", "bench._mutmut_plugin"]
            + [arg for node in deselect for arg in ("--deselect", node)],
        )
        # mutmut's wall-clock limit is (estimated test time + timeout_constant) * 15 s; a worker
        # first builds its own test database (migrations, a few seconds on a loaded 2-core box).
        + "timeout_constant=10\n"
        + "process_isolation=forkserver\n"
        + "use_git_change_detection=false\n"
    )


# --- Running ---------------------------------------------------------------------------------------


def run_target(name: str, args: argparse.Namespace) -> dict:
    target = TARGETS[name]
    workdir = args.work_dir / name
    tree = workdir / "tree"
    print(f"[{name}] copying the project to {tree}", flush=True)
    copy_tree(tree, args.ref)
    slow = [] if args.quick else [t for t in target.slow_tests if (tree / t).exists()]
    tests = [t for t in target.tests if (tree / t).exists()] + slow
    deselect = [node for node, _ in target.deselect if (tree / node.split("::")[0]).exists()]
    (tree / "setup.cfg").write_text(setup_cfg(target, tests, deselect), encoding="utf-8")

    env = {**os.environ}
    env.pop("KINDRED_VAR_DIR", None)  # the copy's own var/, never the shared one
    env.update(
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        KINDRED_MUTATION_LAST=",".join(slow),
    )
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)]
    log = workdir / "mutmut.log"
    print(f"[{name}] mutmut run over {', '.join(target.modules)}", flush=True)
    print(f"[{name}] tests: {' '.join(tests)}; log: {log}", flush=True)
    started = time.monotonic()
    with log.open("wb") as out:
        code = subprocess.run(
            command,
            cwd=tree,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(10),
        ).returncode
    elapsed = time.monotonic() - started
    if code != 0:
        tail = log.read_bytes()[-3000:].decode(errors="replace").replace("\r", "\n")
        raise SystemExit(f"[{name}] mutmut exited {code}; the end of {log}:\n{tail}")

    figures = collect(tree, target)
    write_survivors(tree, workdir / "survivors.txt", figures, env)
    result = {
        "target": name,
        "command": display_command(args, name),
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "mutmut": mutmut_version(),
        "ref": args.ref,
        "head": git_head(),
        "quick": args.quick,
        "tests": tests,
        "deselected": [list(d) for d in target.deselect if d[0] in deselect],
        "elapsed_s": round(elapsed),
        "modules": {m: vars(f) for m, f in figures.items()},
    }
    (workdir / "results.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def collect(tree: Path, target: Target) -> dict[str, ModuleFigures]:
    from mutmut.stats import status_by_exit_code

    figures: dict[str, ModuleFigures] = {}
    for module in target.modules:
        f = figures[module] = ModuleFigures()
        meta = tree / "mutants" / (module + ".meta")
        if not meta.exists():  # mutmut writes no meta for a module without mutants
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for key, code in sorted(codes.items()):
            status = status_by_exit_code[code]
            f.generated += 1
            if status in ("killed", "caught by type check"):
                f.killed += 1
            elif status == "survived":
                f.survived += 1
                f.survivors.append(key)
            elif status == "timeout":
                f.timeout += 1
            elif status == "no tests":
                f.no_tests += 1
                f.survivors.append(key)
            else:
                f.other += 1
                f.survivors.append(f"{key} ({status})")
    return figures


def write_survivors(tree: Path, out: Path, figures: dict[str, ModuleFigures], env: dict) -> None:
    """The diff of every mutant not killed, for a person to read (``mutmut show``)."""
    parts = []
    for f in figures.values():
        for key in f.survivors:
            shown = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", key.split(" ")[0]],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
            )
            parts.append(shown.stdout.strip() or f"# {key}\n{shown.stderr.strip()}")
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


# --- Reporting -------------------------------------------------------------------------------------


def table(result: dict) -> tuple[str, ModuleFigures]:
    lines = [
        "| module | generated | killed | survived | timed out | no tests | survival |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = ModuleFigures()
    for module, data in result["modules"].items():
        f = ModuleFigures(**data)
        total.add(f)
        lines.append(row(f"`{module}`", f))
    lines.append(row("**all**", total))
    return "\n".join(lines), total


def row(label: str, f: ModuleFigures) -> str:
    # mutmut mutates inside functions only: a module of constant tables (states.py) gets none.
    rate = f"{f.survival:.1%}" if f.generated else "n/a (no functions)"
    return (
        f"| {label} | {f.generated} | {f.killed} | {f.survived} | {f.timeout} | {f.no_tests} "
        f"| {rate} |"
    )


def section_body(result: dict) -> str:
    text, total = table(result)
    verdict = "meets" if total.survival < TARGET_SURVIVAL else "misses"
    equivalent = EQUIVALENT.get(result["target"], {})
    survivors = [key for data in result["modules"].values() for key in data["survivors"]]
    lines = [
        f"- `{key}`: equivalent, {equivalent[key]}."
        if key in equivalent
        else f"- `{key}`: not equivalent; a gap in the tests."
        for key in survivors
    ]
    surv_text = "\n".join(lines) if lines else "- none."
    scope = " (quick: property tests skipped)" if result["quick"] else ""
    deselected = "".join(
        f" Deselected: `{node}` ({why})." for node, why in result.get("deselected", [])
    )
    head = f", HEAD `{result['head']}`" if result.get("head") else ""
    ref = f" at `{result['ref']}`" if result["ref"] else f" (working tree as on disk{head})"
    return f"""Measured {result["date"]} on {result["machine"]} with mutmut {result["mutmut"]}{scope},
in {result["elapsed_s"]} s, on a copy of the project{ref} under `var/mutation/` (the working tree is
never mutated):

```
{result["command"]}
```

Tests run against each mutant: {", ".join(f"`{t}`" for t in result["tests"])}.{deselected}

{text}

Overall survival {total.survival:.1%}: target < {TARGET_SURVIVAL:.0%} ({verdict}). Survival counts
survived and "no tests" mutants over all generated; timed-out mutants are listed apart (a mutant
that loops is caught, not missed). Equivalent mutants stay counted as survivors: none is excluded
with `# pragma: no mutate`. Not killed (`mutmut show NAME` in `var/mutation/<target>/tree/`, or
`var/mutation/<target>/survivors.txt`, shows each diff):

{surv_text}
"""


def write_doc(result: dict) -> None:
    from bench.quality import write_section

    title = f"{SECTION} ({result['target']})"
    write_section(title, section_body(result))
    print(f"wrote {title!r} to docs/benchmarks.md")


def print_result(result: dict) -> None:
    text, _ = table(result)
    print(f"\n[{result['target']}] {result['elapsed_s']} s")
    print(text)
    for data in result["modules"].values():
        for key in data["survivors"]:
            print(f"  not killed: {key}")


def display_command(args: argparse.Namespace, name: str) -> str:
    parts = [".venv/bin/python", "bench/mutation.py", "--target", name]
    if args.quick:
        parts.append("--quick")
    if args.ref:
        parts += ["--ref", args.ref]
    if args.max_children != 2:
        parts += ["--max-children", str(args.max_children)]
    return " ".join(parts)


def git_head() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip()


def machine() -> str:
    from bench.quality import machine as shared_machine

    return shared_machine()


def mutmut_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="skip the slow property tests")
    parser.add_argument(
        "--ref", help="mutate this commit (git archive) instead of the files on disk"
    )
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutmut workers")
    parser.add_argument("--work-dir", type=Path, default=WORK, help="where the copies go")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument(
        "--report-only", action="store_true", help="print and write the last results, run nothing"
    )
    args = parser.parse_args()
    names = list(TARGETS) if args.target == "all" else [args.target]
    failed = False
    for name in names:
        if args.report_only:
            saved = args.work_dir / name / "results.json"
            if not saved.exists():
                sys.exit(
                    f"No results for {name} in {saved.parent}: run without --report-only first."
                )
            result = json.loads(saved.read_text("utf-8"))
        else:
            result = run_target(name, args)
        print_result(result)
        failed |= table(result)[1].survival >= TARGET_SURVIVAL
        if not args.no_write and not result["quick"]:
            write_doc(result)
    if failed:
        print(f"survival at or above {TARGET_SURVIVAL:.0%} for at least one target")
        sys.exit(1)


if __name__ == "__main__":
    main()
