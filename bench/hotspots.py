"""Profile one workload's step in deepgrad (or torch): where the microseconds go.

    python -m bench.hotspots small_op                 # cProfile, top functions per step
    python -m bench.hotspots small_op --pyinstrument  # call tree (needs pyinstrument)

Prints the unprofiled time per step first: profilers add a fixed cost to every Python call, so
read their numbers as shares of the step rather than as absolute times.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.child import THREAD_VARS  # noqa: E402
from bench.workloads import WORKLOADS  # noqa: E402


def _time_per_step(step, n: int) -> float:
    for _ in range(max(3, n // 10)):
        step()
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            step()
        best = min(best, (time.perf_counter() - t) / n)
    return best


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.hotspots", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workload", choices=sorted(WORKLOADS))
    p.add_argument("--framework", default="deepgrad", choices=("deepgrad", "torch"))
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--pyinstrument", action="store_true", help="show pyinstrument's call tree")
    args = p.parse_args(argv)

    for var in THREAD_VARS:
        os.environ[var] = str(args.threads)
    if args.framework == "torch":
        import torch as m

        m.set_num_threads(args.threads)
    else:
        import deepgrad as m

    step = WORKLOADS[args.workload].setup(m)
    per_step = _time_per_step(step, args.steps)
    print(f"{args.workload} ({args.framework}): {per_step * 1e6:.1f} us per step unprofiled "
          f"(best of 5 x {args.steps} steps)\n")

    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0001)
        profiler.start()
        for _ in range(args.steps):
            step()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.steps):
        step()
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        where = f"{Path(file).name}:{line}({func})" if file != "~" else func
        if "/deepgrad/" in file:
            where = file[file.rindex("/deepgrad/") + 1:] + f":{line}({func})"
        rows.append((tottime, cumtime, ncalls, where))
    total = sum(r[0] for r in rows)
    print(f"profiled: {total / args.steps * 1e6:.1f} us per step; per step: own time (tottime), "
          f"time including callees (cumtime), calls\n")
    print(f"{'own us':>8} {'cum us':>8} {'calls':>6}  function")
    for tottime, cumtime, ncalls, where in sorted(rows, reverse=True)[:args.top]:
        print(f"{tottime / args.steps * 1e6:8.2f} {cumtime / args.steps * 1e6:8.2f} "
              f"{ncalls / args.steps:6.1f}  {where}")


if __name__ == "__main__":
    main()
