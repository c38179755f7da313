"""Side-by-side benchmark of deepgrad and PyTorch: ``python -m bench`` or ``python bench/run.py``.

Each framework runs in its own subprocesses (their BLAS thread pools slow each other down several
times over when they share a process), one per workload, alternating deepgrad, torch, deepgrad,
torch for ``--rounds`` rounds per thread count. Every process warms its workload up and takes
repeated samples; the samples of all rounds are pooled into median and spread. The table goes
to stdout and, with the machine description, to ``bench/results/latest.json`` (and
``latest.md``).

Examples::

    python -m bench                                # everything, 1 and 2 threads, 3 rounds
    python -m bench --quick                        # smoke run: fewer repeats, 1 round
    python -m bench --only small_op,matmul512 --threads 1
    python -m bench --list
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.child import THREAD_VARS  # noqa: E402
from bench.report import markdown_report  # noqa: E402
from bench.workloads import WORKLOADS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"

# Per-process measurement settings: (repeats, warm-up s, s per sample, budget s per workload)
FULL = {"repeats": 15, "warmup_s": 0.5, "sample_s": 0.02, "budget_s": 4.0, "rounds": 3,
        "gemm_n": 2048}
QUICK = {"repeats": 5, "warmup_s": 0.1, "sample_s": 0.005, "budget_s": 0.5, "rounds": 1,
         "gemm_n": 1024}


def _parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="fewer repeats and one round, skip full-only workloads (smoke test)")
    p.add_argument("--only", action="append", default=[], metavar="NAME[,NAME]",
                   help="run only these workloads (repeatable or comma-separated)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    p.add_argument("--rounds", type=int, default=None,
                   help="processes per framework and thread count (default 3, quick 1)")
    p.add_argument("--frameworks", default="deepgrad,torch",
                   help="comma-separated subset of deepgrad,torch")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON,
                   help=f"where to write the results (default {DEFAULT_JSON.relative_to(ROOT)});"
                        " a .md table is written beside it")
    p.add_argument("--env", action="append", default=[], metavar="VAR=VALUE",
                   help="extra environment for both frameworks' processes (repeatable), e.g. "
                        "MALLOC_TRIM_THRESHOLD_=1000000000")
    p.add_argument("--list", action="store_true", help="list the workloads and exit")
    return p.parse_args(argv)


def _select(args) -> list[str]:
    only = [n for item in args.only for n in item.split(",") if n]
    unknown = [n for n in only if n not in WORKLOADS]
    if unknown:
        sys.exit(f"unknown workload(s) {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")
    if only:
        return only
    return [n for n, w in WORKLOADS.items() if not (args.quick and w.full_only)]


# -- the machine -------------------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cpu_flags() -> list[str]:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    return [f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_tile")
                            if f in have]
    except OSError:
        pass
    return []


def _git_revision() -> str | None:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "deepgrad"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return rev + ("+dirty" if dirty else "") if rev else None
    except (OSError, subprocess.SubprocessError):
        return None


def machine_description() -> dict:
    mem_gb = None
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        pass
    return {"cpu_model": _cpu_model(), "cpu_flags": _cpu_flags(), "logical_cores": os.cpu_count(),
            "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "memory_gb": round(mem_gb, 1) if mem_gb else None,
            "platform": platform.platform(), "python": platform.python_version(),
            "deepgrad_revision": _git_revision()}


# -- running the children ----------------------------------------------------------------------

def _run_child(framework: str, threads: int, names: list[str], cfg: dict, gemm_n: int,
               extra_env: dict) -> dict:
    env = {**os.environ, **extra_env}
    for var in THREAD_VARS:
        env[var] = str(threads)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "bench.child", "--framework", framework,
               "--threads", str(threads), "--workloads", ",".join(names),
               "--repeats", str(cfg["repeats"]), "--warmup-s", str(cfg["warmup_s"]),
               "--sample-s", str(cfg["sample_s"]), "--budget-s", str(cfg["budget_s"]),
               "--gemm-peak", str(gemm_n), "--out", str(out)]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.stderr.strip():
            sys.stderr.write(proc.stderr)
        if proc.returncode != 0 or not out.exists():  # crashed (segfault, out of memory)
            error = f"{framework} process exited with code {proc.returncode}"
            print(f"  {error}", file=sys.stderr)
            return {"info": {}, "maxrss_mb": 0.0, "load_average_start": 0.0,
                    "load_average_end": 0.0, "workloads": {n: {"error": error} for n in names}}
        return json.loads(out.read_text())


def _quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _summarize(name: str, per_round: list[dict], peak_gflops: float | None) -> dict:
    """Pool one framework's samples of a workload over rounds into ms statistics."""
    errors = [r["error"] for r in per_round if "error" in r]
    if errors:
        return {"error": errors[0]}
    w = WORKLOADS[name]
    samples_ms = [s * 1e3 for r in per_round for s in r["samples_s"]]
    med = statistics.median(samples_ms)
    out = {"ms_median": med, "ms_p25": _quantile(samples_ms, 0.25),
           "ms_p75": _quantile(samples_ms, 0.75), "ms_min": min(samples_ms),
           "ms_max": max(samples_ms), "n_samples": len(samples_ms),
           "steps_per_sample": [r["inner"] for r in per_round],
           "round_medians_ms": [statistics.median(r["samples_s"]) * 1e3 for r in per_round],
           "peak_delta_mb": max(r["peak_delta_mb"] for r in per_round),
           "cpu_share": [r["cpu_share"] for r in per_round],
           "samples_per_s": w.samples / (med / 1e3) if w.samples else None,
           "gflops": w.flops / (med / 1e3) / 1e9 if w.flops else None}
    out["peak_fraction"] = (out["gflops"] / peak_gflops
                            if out["gflops"] and peak_gflops else None)
    return out


def run(args) -> dict:
    names = _select(args)
    cfg = dict(QUICK if args.quick else FULL)
    rounds = args.rounds if args.rounds is not None else cfg["rounds"]
    threads = [int(t) for t in args.threads.split(",") if t]
    frameworks = [f for f in args.frameworks.split(",") if f]
    if not frameworks or set(frameworks) - {"deepgrad", "torch"}:
        sys.exit(f"--frameworks: expected a subset of deepgrad,torch, got {args.frameworks!r}")
    if "torch" in frameworks and importlib.util.find_spec("torch") is None:
        print("torch is not importable: running deepgrad only", file=sys.stderr)
        frameworks.remove("torch")
    extra_env = {}
    for item in args.env:
        var, sep, value = item.partition("=")
        if not sep or not var:
            sys.exit(f"--env: expected VAR=VALUE, got {item!r}")
        extra_env[var] = value

    started = time.time()
    load_before = os.getloadavg()
    # One process per (workload, framework, round): a workload run after another inherits its
    # allocator state (glibc's mmap threshold grows after big arrays are freed), which changes
    # its page faults and its time. The two frameworks alternate, workload by workload.
    raw = {}  # (threads, framework, workload) -> [child result per round]
    for n_threads in threads:
        for rnd in range(rounds):
            for name in names:
                for fw in frameworks:
                    t = time.perf_counter()
                    peak_n = cfg["gemm_n"] if WORKLOADS[name].flops else 0
                    res = _run_child(fw, n_threads, [name], cfg, peak_n, extra_env)
                    raw.setdefault((n_threads, fw, name), []).append(res)
                    print(f"  threads={n_threads} round {rnd + 1}/{rounds} {name:<20} {fw:<8} "
                          f"{time.perf_counter() - t:5.1f} s", file=sys.stderr)

    gemm_peak, results, processes = {}, [], []
    for n_threads in threads:
        # The best of all processes: the peak is what the machine does when nothing interferes.
        libs = {}
        for fw in frameworks:
            runs = [r["gemm_peak"] for name in names for r in raw[(n_threads, fw, name)]
                    if "gemm_peak" in r]
            if runs:
                libs[fw] = max(runs, key=lambda p: p["gflops"])
        peak = max((v["gflops"] for v in libs.values()), default=None)
        if libs:
            gemm_peak[str(n_threads)] = {"peak_gflops": peak, **{
                v["library"]: {"gflops": v["gflops"], "n": v["n"]} for v in libs.values()}}
        for fw in frameworks:
            runs = [(name, r) for name in names for r in raw[(n_threads, fw, name)]]
            processes.append({"framework": fw, "threads": n_threads, "info": runs[0][1]["info"],
                              "maxrss_mb": {name: max(r["maxrss_mb"] for n, r in runs
                                                      if n == name) for name in names},
                              "load_average": [[r["load_average_start"], r["load_average_end"]]
                                               for _, r in runs]})
        for name in names:
            entry = {"workload": name, "threads": n_threads,
                     "description": WORKLOADS[name].description,
                     "flops_per_step": WORKLOADS[name].flops,
                     "samples_per_step": WORKLOADS[name].samples,
                     "target_ratio": WORKLOADS[name].target, "frameworks": {}}
            for fw in frameworks:
                per_round = [r["workloads"][name] for r in raw[(n_threads, fw, name)]]
                entry["frameworks"][fw] = _summarize(name, per_round, peak)
            entry["ratio"], entry["ratio_rounds"], entry["ratio_best"] = _ratio(
                entry["frameworks"])
            results.append(entry)

    return {"schema": 1,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "duration_s": round(time.time() - started, 1),
            "machine": {**machine_description(),
                        "load_average_before": load_before,
                        "load_average_after": os.getloadavg()},
            "config": {"quick": args.quick, "rounds": rounds, "threads": threads,
                       "frameworks": frameworks, "workloads": names, "env": extra_env,
                       **{k: v for k, v in cfg.items() if k != "rounds"}},
            "gemm_peak": gemm_peak, "processes": processes, "results": results}


def _ratio(fws: dict):
    dg, th = fws.get("deepgrad"), fws.get("torch")
    if not dg or not th or "error" in dg or "error" in th:
        return None, None, None
    per_round = [a / b for a, b in zip(dg["round_medians_ms"], th["round_medians_ms"])]
    return (dg["ms_median"] / th["ms_median"], [min(per_round), max(per_round)],
            dg["ms_min"] / th["ms_min"])


def main(argv=None) -> None:
    args = _parse_args(argv)
    if args.list:
        for name, w in WORKLOADS.items():
            extra = " (full run only)" if w.full_only else ""
            print(f"{name:<20} {w.description}{extra}")
        return
    report = run(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1) + "\n")
    table = markdown_report(report)
    args.json.with_suffix(".md").write_text(table)
    print(table)
    print(f"results written to {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
