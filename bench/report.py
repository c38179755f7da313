"""The results table, as Markdown (readable in a terminal, pasteable into docs)."""
from __future__ import annotations


def _ms(s: dict) -> str:
    if "error" in s:
        return "error"
    return f"{_num(s['ms_median'])} ({_num(s['ms_p25'])}-{_num(s['ms_p75'])})"


def _num(x: float) -> str:
    """Three significant digits, no exponent for the usual range of step times."""
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def _pair(fws: dict, key: str, fmt) -> str:
    vals = [fws[fw].get(key) for fw in ("deepgrad", "torch") if fw in fws]
    if all(v is None for v in vals):
        return "-"
    return " / ".join("-" if v is None else fmt(v) for v in vals)


def _gflops(s: dict) -> str:
    if "error" in s or s.get("gflops") is None:
        return "-"
    frac = s.get("peak_fraction")
    return f"{s['gflops']:.1f}" + (f" ({frac:.0%})" if frac is not None else "")


def _ratio(r: dict) -> str:
    if r["ratio"] is None:
        return "-"
    lo, hi = r["ratio_rounds"]
    text = f"**{r['ratio']:.2f}x**"
    if len(r["frameworks"]["deepgrad"]["round_medians_ms"]) > 1:
        text += f" ({lo:.2f}-{hi:.2f})"
    if r["target_ratio"]:
        text += " ok" if r["ratio"] <= r["target_ratio"] else f" > {r['target_ratio']:g}x"
    return text


def markdown_report(report: dict) -> str:
    """The table of ``report`` (the dict ``bench.run.run`` returns) as Markdown text."""
    mach, cfg = report["machine"], report["config"]
    fws = cfg["frameworks"]
    versions = {p["framework"]: p["info"] for p in report["processes"]}
    lines = [f"Machine: {mach['cpu_model']}, {mach['usable_cores']} usable cores "
             f"({', '.join(mach['cpu_flags'])}), {mach['memory_gb']} GB; "
             f"Python {mach['python']}, deepgrad {mach['deepgrad_revision']}"]
    if "deepgrad" in versions:
        blas = versions["deepgrad"].get("blas") or []
        libs = ", ".join(f"{b.get('internal_api')} {b.get('version')} {b.get('architecture')}"
                         for b in blas) or "BLAS unknown"
        lines.append(f"numpy {versions['deepgrad'].get('numpy')} (BLAS loaded: {libs})")
    if "torch" in versions:
        tv = versions["torch"]
        lines.append(f"torch {tv.get('version')} (BLAS {tv.get('blas')}, "
                     f"{tv.get('cpu_capability')} kernels)")
    for t, p in report["gemm_peak"].items():
        libs = ", ".join(f"{k} {v['gflops']:.1f}" for k, v in p.items() if k != "peak_gflops")
        lines.append(f"float32 GEMM peak, {t} thread(s): {p['peak_gflops']:.1f} GFLOP/s "
                     f"({libs})")
    la, lb = report["machine"]["load_average_before"], report["machine"]["load_average_after"]
    lines.append(f"{cfg['rounds']} round(s) per framework and thread count, "
                 f"{'quick' if cfg['quick'] else 'full'} settings; load average "
                 f"{la[0]:.2f} before, {lb[0]:.2f} after; {report['created']}")
    worst = max([la[0], lb[0]] + [x for p in report["processes"]
                                  for pair in p.get("load_average", []) for x in pair])
    if worst > mach["usable_cores"]:
        lines.append(f"WARNING: the load average reached {worst:.1f} on "
                     f"{mach['usable_cores']} usable cores: other processes were running, so "
                     "the times are disturbed; compare best/best and rerun on a quiet machine.")
    if cfg.get("env"):
        lines.append("extra environment: " + " ".join(f"{k}={v}" for k, v in cfg["env"].items()))
    lines = ["- " + line for line in lines]  # a list, so it renders line by line as Markdown
    lines.append("")
    results = report["results"]
    cols = [("workload", lambda r: r["workload"]), ("thr", lambda r: str(r["threads"]))]
    cols += [(f"{fw} ms", lambda r, fw=fw: _ms(r["frameworks"][fw])) for fw in fws]
    if len(fws) == 2:
        cols.append(("deepgrad/torch", _ratio))
        cols.append(("best/best", lambda r: "-" if r["ratio_best"] is None
                     else f"{r['ratio_best']:.2f}x"))
    if any(r["flops_per_step"] for r in results):
        cols += [(f"{fw} GFLOP/s (% peak)", lambda r, fw=fw: _gflops(r["frameworks"][fw]))
                 for fw in fws]
    if any(r["samples_per_step"] for r in results):
        cols.append(("samples/s", lambda r: _pair(r["frameworks"], "samples_per_s",
                                                  lambda v: f"{v:,.0f}")))
    cols.append(("CPU share", lambda r: _pair(r["frameworks"], "cpu_share",
                                              lambda v: f"{min(v):.2f}")))
    cols.append(("peak MB", lambda r: _pair(r["frameworks"], "peak_delta_mb",
                                            lambda v: f"{v:.1f}" if v < 10 else f"{v:.0f}")))
    lines.append("| " + " | ".join(name for name, _ in cols) + " |")
    lines.append("|" + "|".join("---" for _ in cols) + "|")
    for r in results:
        lines.append("| " + " | ".join(cell(r) for _, cell in cols) + " |")
    lines.append("")
    lines.append(
        "ms: median per step over all samples of all rounds (interquartile range). "
        "deepgrad/torch: ratio of the medians (range of the per-round ratios); ok = within the "
        "workload's target. best/best: ratio of the fastest samples, the least disturbed by "
        "other load. GFLOP/s: achieved rate at the median (share of the measured float32 GEMM "
        "peak). CPU share: CPU time over wall time while timing, lowest round (deepgrad / "
        "torch); below the thread count means the process waited for a core. peak MB: most "
        "resident memory the workload added to its process (deepgrad / torch).")
    return "\n".join(lines) + "\n"
