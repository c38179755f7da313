"""Side-by-side benchmarks of deepgrad and PyTorch; run ``python -m bench --help``.

Workloads live in ``bench.workloads``; ``bench.run`` drives one subprocess per framework
(``bench.child``) and prints the table (``bench.report``).
"""
