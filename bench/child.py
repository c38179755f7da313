"""One measuring process: one framework, one thread count, the given workloads (the driver
gives one per process, so no workload inherits another's allocator or cache state).

Run by ``bench/run.py`` as ``python -m bench.child --framework deepgrad --threads 1 ...``; it
writes its measurements as JSON to ``--out``. The thread-count environment variables must be
set before numpy or torch is imported, so this module imports the framework only in ``main``,
after setting them.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workloads import WORKLOADS  # noqa: E402

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


# -- memory ------------------------------------------------------------------------------------

def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _maxrss_kb() -> int:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r // 1024 if sys.platform == "darwin" else r  # bytes on macOS, KiB on Linux


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class PeakMemory:
    """Peak resident memory added while the block runs, in MiB.

    Uses VmHWM after resetting it (exact per block); without /proc, falls back to the growth of
    ru_maxrss, which misses peaks below the process's earlier maximum.
    """

    def __enter__(self):
        gc.collect()
        self.exact = _reset_peak_rss()
        self.base_kb = _status_kb("VmRSS") if self.exact else _maxrss_kb()
        return self

    def __exit__(self, *exc):
        peak = _status_kb("VmHWM") if self.exact else _maxrss_kb()
        self.delta_mb = max(0, (peak or 0) - (self.base_kb or 0)) / 1024
        return False


# -- timing ------------------------------------------------------------------------------------

def measure(step, *, repeats: int, warmup_s: float, sample_s: float, budget_s: float,
            min_repeats: int = 3) -> tuple[list[float], int, float]:
    """Warm up, then time ``step`` in samples of ``inner`` calls.

    Returns (seconds per step of each sample, steps per sample, CPU time / wall time while
    sampling). The last is the process's CPU share: about 1 per thread when nothing else
    competes for the cores, less when the process waited for a CPU.

    Warm-up runs at least two steps and ``warmup_s`` seconds (first touch of fresh memory is
    slow on these VMs, and BLAS thread pools start lazily). Each sample runs enough steps to
    last ``sample_s``, so timer resolution does not matter for microsecond steps. Sampling stops
    at ``repeats`` samples, or after ``budget_s`` once ``min_repeats`` are in.
    """
    t0 = time.perf_counter()
    n = 0
    while True:
        step()
        n += 1
        elapsed = time.perf_counter() - t0
        if n >= 2 and elapsed >= warmup_s:
            break
    inner = max(1, round(sample_s / (elapsed / n)))
    samples = []
    start = time.perf_counter()
    cpu_start = time.process_time()
    while len(samples) < repeats:
        t = time.perf_counter()
        for _ in range(inner):
            step()
        samples.append((time.perf_counter() - t) / inner)
        if len(samples) >= min_repeats and time.perf_counter() - start > budget_s:
            break
    cpu_share = (time.process_time() - cpu_start) / (time.perf_counter() - start)
    return samples, inner, cpu_share


def gemm_peak(framework: str, m, n: int, reps: int) -> dict:
    """Best float32 n x n GEMM rate of this process's BLAS (numpy's for deepgrad)."""
    if framework == "deepgrad":
        import numpy as np

        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        out = np.empty((n, n), dtype=np.float32)

        def mm():
            np.matmul(a, b, out=out)
        lib = "numpy"
    else:
        a, b = m.randn(n, n), m.randn(n, n)
        out = m.empty(n, n)

        def mm():
            m.mm(a, b, out=out)
        lib = "torch"
    mm()
    mm()
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        mm()
        best = min(best, time.perf_counter() - t)
    return {"library": lib, "n": n, "best_s": best, "gflops": 2 * n**3 / best / 1e9}


# -- framework setup ---------------------------------------------------------------------------

def _import_framework(name: str, threads: int):
    if name == "torch":
        import torch

        torch.set_num_threads(threads)
        info = {"version": torch.__version__, "num_threads": torch.get_num_threads()}
        try:
            cfg = torch.__config__.show()
            blas = re.search(r"BLAS_INFO=(\w+)", cfg)
            info["blas"] = blas.group(1) if blas else None
            cap = re.search(r"CPU capability usage: (\w+)", cfg)
            info["cpu_capability"] = cap.group(1) if cap else None
            info["mkldnn"] = bool(torch.backends.mkldnn.is_available())
        except Exception:  # informational only
            pass
        return torch, info
    if name == "deepgrad":
        import numpy as np

        import deepgrad

        try:
            deepgrad.set_num_threads(threads)
        except RuntimeError:  # no threadpoolctl: the environment variables still apply
            pass
        info = {"version": deepgrad.__version__, "numpy": np.__version__}
        try:
            from threadpoolctl import threadpool_info

            info["blas"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads",
                                                      "architecture", "threading_layer")}
                            for p in threadpool_info() if p.get("user_api") == "blas"]
        except ImportError:
            info["blas"] = None
        return deepgrad, info
    raise ValueError(f"unknown framework {name!r}")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--framework", required=True, choices=("deepgrad", "torch"))
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--workloads", required=True, help="comma-separated names")
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--warmup-s", type=float, default=0.5)
    p.add_argument("--sample-s", type=float, default=0.02)
    p.add_argument("--budget-s", type=float, default=4.0)
    p.add_argument("--gemm-peak", type=int, default=0, help="also measure an n x n GEMM peak")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)

    for var in THREAD_VARS:  # the parent sets these; make sure, before the first import
        os.environ[var] = str(args.threads)
    rss_start = _status_kb("VmRSS")
    t_import = time.perf_counter()
    m, info = _import_framework(args.framework, args.threads)
    info["import_s"] = time.perf_counter() - t_import
    info["rss_after_import_mb"] = (_status_kb("VmRSS") or 0) / 1024
    info["rss_at_start_mb"] = (rss_start or 0) / 1024

    result = {"framework": args.framework, "threads": args.threads, "info": info,
              "load_average_start": os.getloadavg()[0], "workloads": {}}
    for name in args.workloads.split(","):
        w = WORKLOADS[name]
        try:
            with PeakMemory() as mem:
                step = w.setup(m)
                samples, inner, cpu_share = measure(
                    step, repeats=args.repeats, warmup_s=args.warmup_s,
                    sample_s=args.sample_s, budget_s=args.budget_s)
                del step
            result["workloads"][name] = {"samples_s": samples, "inner": inner,
                                         "cpu_share": cpu_share,
                                         "peak_delta_mb": mem.delta_mb,
                                         "peak_exact": mem.exact}
        except Exception as e:
            traceback.print_exc()
            result["workloads"][name] = {"error": f"{type(e).__name__}: {e}"}
    # Last: its big arrays change how malloc treats later allocations (glibc raises its mmap
    # threshold after freeing them), which would change the workloads' page-fault behaviour.
    if args.gemm_peak:
        result["gemm_peak"] = gemm_peak(args.framework, m, args.gemm_peak,
                                        reps=max(3, args.repeats // 3))
    result["maxrss_mb"] = _maxrss_kb() / 1024
    result["load_average_end"] = os.getloadavg()[0]
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
