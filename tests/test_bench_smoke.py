"""Smoke test of the benchmark suite: one quick workload, both frameworks, via subprocess.

No timing assertions: it checks that the driver runs its child processes and writes a result
file with the expected structure.
"""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick_small_op(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "small_op", "--rounds", "1",
         "--threads", "1", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "small_op" in proc.stdout  # the table was printed
    report = json.loads(out.read_text())
    assert out.with_suffix(".md").exists()
    for key in ("machine", "config", "gemm_peak", "processes", "results"):
        assert key in report
    assert report["machine"]["cpu_model"]
    assert report["machine"]["logical_cores"] >= 1

    frameworks = ["deepgrad"] + (["torch"] if importlib.util.find_spec("torch") else [])
    assert report["config"]["frameworks"] == frameworks
    (result,) = report["results"]
    assert result["workload"] == "small_op" and result["threads"] == 1
    for fw in frameworks:
        stats = result["frameworks"][fw]
        assert "error" not in stats, stats
        assert stats["n_samples"] >= 3
        assert 0 < stats["ms_min"] <= stats["ms_median"] <= stats["ms_max"]
        assert stats["peak_delta_mb"] >= 0
    if "torch" in frameworks:
        assert result["ratio"] > 0
    procs = {p["framework"]: p for p in report["processes"]}
    assert procs["deepgrad"]["info"]["version"]
    assert all(p["maxrss_mb"]["small_op"] > 0 for p in procs.values())
