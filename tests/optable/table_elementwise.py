"""Op table: elementwise ops (unary math, binary arithmetic, comparisons, where, clamp)."""
from .harness import OpSpec, binary_samples, positive, randn, unary_samples

SPECS = [
    OpSpec("exp", lambda m, x: m.exp(x), unary_samples(), method="exp"),
    OpSpec("log", lambda m, x: m.log(x), unary_samples(positive), method="log"),
    OpSpec("add", lambda m, x, y: m.add(x, y), binary_samples(), method="add"),
    OpSpec("mul", lambda m, x, y: m.mul(x, y), binary_samples(), method="mul"),
    OpSpec("div", lambda m, x, y: m.div(x, y), binary_samples(randn, positive), method="div"),
]
