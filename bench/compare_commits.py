"""The full run of bench/speed.py at two commits, in one session, taking turns: wall and CPU seconds.

    .venv/bin/python bench/compare_commits.py BEFORE AFTER            # 100,000 x 20,000, 2 rounds
    .venv/bin/python bench/compare_commits.py BEFORE AFTER --volunteers 20000 --roles 4000
    .venv/bin/python bench/compare_commits.py BEFORE AFTER --assign-after   # AFTER as a run
                                                   # solves it: with the assignment's limits

Each commit is unpacked (``git archive``) into a temporary folder and run in a fresh process, the
two alternating, so both see the same load. On a shared machine wall time swings with the other
work; CPU seconds (user + system, all threads, from the process's own clock) swing far less, and
fallbacks (volunteers sent to the exact one-volunteer path) and suggestions do not swing at all.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def child(root: str, n_vol: int, n_roles: int, assign: bool = False) -> dict:
    sys.path.insert(0, root)
    from bench._synthetic import make_catalogue
    from matching.engine import MatchIndex, rank_all_arrays

    extra: dict[str, Any] = {}
    if assign:  # a commit that has the assignment (matching/engine/allocation.py)
        from matching.engine.allocation import Limits

        extra["limits"] = Limits()
    c = make_catalogue(n_vol, n_roles, seed=1)
    wall, cpu = time.perf_counter(), time.process_time()
    index = MatchIndex.build(c.opportunities, today=c.today)
    ranked = rank_all_arrays(
        c.volunteers, index=index, today=c.today, k=10, fair=True, labels=c.labels, **extra
    )
    return {
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "fallback_volunteers": int(ranked.stats["fallback_volunteers"]),
        "suggestions": int(ranked.stats["suggestions"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--roles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--assign-after",
        action="store_true",
        help="run AFTER with the assignment's limits (15 per volunteer, 10 per place)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--assign", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.volunteers, args.roles, args.assign)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        roots = {}
        for commit in (args.before, args.after):
            roots[commit] = Path(tmp) / commit
            roots[commit].mkdir()
            archive = subprocess.run(
                ["git", "archive", commit], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(roots[commit])], input=archive, check=True)
        for round_ in range(1, args.rounds + 1):
            for commit, root in roots.items():
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        args.before,
                        args.after,
                        "--child",
                        str(root),
                        "--volunteers",
                        str(args.volunteers),
                        "--roles",
                        str(args.roles),
                        *(["--assign"] if args.assign_after and commit == args.after else []),
                    ],
                    cwd=root,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                print(f"round {round_} {commit}: {out.strip().splitlines()[-1]}", flush=True)


if __name__ == "__main__":
    main()
