"""A full run in chunks, as the Celery workers run it: engine time and memory per chunk size.

    .venv/bin/python bench/chunks.py                       # 100,000 volunteers x 20,000 roles
    .venv/bin/python bench/chunks.py --sizes 1000,10000 --volunteers 20000 --roles 4000
    .venv/bin/python bench/chunks.py --write               # also update docs/benchmarks.md

Production ranks a full run as ``match_run_chunk_execute`` tasks of ``RUN_CHUNK_SIZE`` volunteers,
each calling ``rank_all_arrays`` against the worker's cached ``MatchIndex`` of every open role
(``suggestions.services.candidates.rank_volunteers``). For each chunk size this starts a fresh process (so peak
memory is that size's alone) that builds the generated catalogue of bench/speed.py and the index,
ranks one warm-up chunk of 1,000, then ranks every volunteer chunk after chunk, each chunk told the
suggestions of the chunks before it (``prior_exposures``, as the database holds them mid-run).
Engine only: no database, no Suggestion objects (building those costs the same for any chunk size,
see "Matching speed (engine)").
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

K = 10  # suggestions.services.candidates.SUGGESTIONS_PER_VOLUNTEER
WARM_UP = 1000
SIZES = (1000, 2500, 5000, 10_000, 25_000, 100_000)


class PeakRss:
    """Samples this process's resident memory every few milliseconds in a thread."""

    def __init__(self, every: float = 0.005) -> None:
        import psutil

        self._process = psutil.Process()
        self._every = every
        self._stop = threading.Event()
        self.peak = self.now()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        return int(self._process.memory_info().rss)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            self.peak = max(self.peak, self.now())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now())


def one_size(size: int, volunteers: int, roles: int) -> dict[str, float]:
    """Rank every volunteer in chunks of ``size`` in this process; figures as a dict."""
    from bench._synthetic import make_catalogue
    from matching.engine import MatchIndex, rank_all_arrays

    c = make_catalogue(volunteers, roles, seed=1)
    t = time.perf_counter()
    index = MatchIndex.build(c.opportunities, today=c.today)
    index_seconds = time.perf_counter() - t
    rank_all_arrays(c.volunteers[:WARM_UP], index=index, today=c.today, k=K, fair=True)
    gc.collect()
    shown = np.zeros(len(index.roles), dtype=np.int64)  # this run's suggestions per role row
    seconds: list[float] = []
    fallbacks = 0
    with PeakRss() as rss:
        baseline = rss.now()
        wall = time.perf_counter()
        for start in range(0, len(c.volunteers), size):
            rows = np.flatnonzero(shown)
            prior = dict(zip(index.roles.ids[rows].tolist(), shown[rows].tolist(), strict=True))
            t = time.perf_counter()
            ranked = rank_all_arrays(
                c.volunteers[start : start + size],
                index=index,
                today=c.today,
                k=K,
                fair=True,
                prior_exposures=prior,
            )
            seconds.append(time.perf_counter() - t)
            fallbacks += int(ranked.stats["fallback_volunteers"])
            np.add.at(shown, ranked.pool.ri, 1)
            del ranked
        wall = time.perf_counter() - wall
    return {
        "size": float(size),
        "chunks": float(len(seconds)),
        "engine_seconds": float(sum(seconds)),
        "wall_seconds": wall,
        "mean_chunk_seconds": float(np.mean(seconds)),
        "max_chunk_seconds": float(np.max(seconds)),
        "baseline_gb": baseline / 1e9,
        "peak_gb": rss.peak / 1e9,
        "fallbacks": float(fallbacks),
        "share_shown": float((shown > 0).sum() / max(index.n_published, 1)),
        "index_seconds": index_seconds,
        "open_roles": float(len(index.roles)),
        "published_roles": float(index.n_published),
    }


def table(results: list[dict[str, float]]) -> str:
    lines = [
        "| volunteers per chunk | chunks | engine time, all chunks | per chunk (mean / max) | "
        "peak RSS while ranking | above the idle worker | share of published roles shown |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {int(r['size']):,} | {int(r['chunks']):,} | {r['engine_seconds']:.1f} s | "
            f"{r['mean_chunk_seconds']:.2f} s / {r['max_chunk_seconds']:.2f} s | "
            f"{r['peak_gb']:.2f} GB | {r['peak_gb'] - r['baseline_gb']:.2f} GB | "
            f"{r['share_shown']:.1%} |"
        )
    return "\n".join(lines)


CHUNKS_TEXT = """
Measured {date} on {machine} with `{command}`. The machine is shared with other work; repeat
runs varied by about 10%.

Generated catalogue: {volunteers:,} volunteers x {roles:,} roles (`bench/_synthetic.py`, seed 1):
{open_roles:,} open roles, {published:,} published; k = {k}, fair exposure with the earlier chunks'
suggestions as priors. Each chunk size runs in a fresh process that holds the index (built in
{index_seconds:.1f} s) and ranks every volunteer chunk after chunk, like one Celery worker; engine
only (no database, no Suggestion objects).

{table}

"Peak RSS while ranking" includes the whole generated catalogue ({baseline:.2f} GB before ranking:
all {volunteers:,} volunteer records, which a worker never holds, plus the index); "above the idle
worker" is what ranking the chunks added to it, the figure that grows with the chunk size.

Where a chunk's time goes: on site, volunteers are ranked per spatial group (travel band x cell,
see "Matching speed (engine)"), and each group gathers and transposes its candidate roles' rows and
queries the BallTree. A chunk of 1,000 volunteers spreads over ~400 of the ~1,100 groups the whole
city forms, about 2 volunteers each, so a run in chunks of 1,000 pays that per-group work ~40,000
times instead of ~1,100. Profiled (cProfile, chunks of 1,000 against the prepared index): 0.78 s
per chunk (0.89 s under the profiler), of which 0.50 s built the role side of the groups' products
(0.32 s transposing role rows over all 35,022 text columns), 0.09 s BallTree queries (mostly input
checks), 0.12 s the products. Two changes, results identical (same lists, scores and ranks for the
same input; checked on chunks of 1,000 and 10,000 and the one-call run with a fixed
PYTHONHASHSEED): the products keep only the text columns some volunteer of the call uses (1,432 of
35,022 for a chunk of 1,000; 26% of the roles' stored values), and the groups' BallTree queries go
in one call. The engine before them (the previous commit, same script, same day): chunks of 1,000
85 s, 5,000 31 s, 10,000 22 s.

Chunk size (`suggestions.services.runs.run_chunk_size`): a run is cut into about
`RUN_CHUNKS_WANTED` = 20 chunks, each of at least `RUN_CHUNK_MIN` = 1,000 (the best throughput on
the 5,000 x 1,000 SQLite set of bench/end_to_end.py) and at most `RUN_CHUNK_SIZE` = 5,000
volunteers: 100,000 volunteers -> 20 chunks of 5,000. Against chunks of 1,000, the engine's
share of the run drops from 30 s to 16 s; larger chunks save another 3 s in all but leave too few
chunks to share between several workers, and a worker killed mid-chunk redoes more. Memory is no
constraint at these sizes (0.05 GB per chunk of 5,000).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--roles", type=int, default=20_000)
    parser.add_argument(
        "--sizes", default=",".join(str(s) for s in SIZES), help="comma-separated chunk sizes"
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: one size, JSON out
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.volunteers, args.roles)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        child = [sys.executable, __file__, "--one", str(size)]
        child += ["--volunteers", str(args.volunteers), "--roles", str(args.roles)]
        out = subprocess.run(child, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(table(results[-1:]).splitlines()[-1], flush=True)
    result = table(results)
    print(result)
    if args.write:
        from bench.quality import machine, write_section

        command = " ".join([".venv/bin/python", "bench/chunks.py", *sys.argv[1:]])
        first = results[0]
        write_section(
            "Full run in chunks (as the workers run it)",
            CHUNKS_TEXT.format(
                date=dt.date.today().isoformat(),
                machine=machine(),
                command=command,
                volunteers=args.volunteers,
                roles=args.roles,
                open_roles=int(first["open_roles"]),
                published=int(first["published_roles"]),
                k=K,
                index_seconds=first["index_seconds"],
                table=result,
                baseline=first["baseline_gb"],
            ),
        )


if __name__ == "__main__":
    main()
