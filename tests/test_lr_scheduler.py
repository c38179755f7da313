"""LR schedules against torch: the lr (and momentum) sequence over 100 steps, step for step."""
from __future__ import annotations

import warnings

import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")


def _opt(m, name="SGD"):
    ps = [m.nn.Parameter(m.zeros(2)) for _ in range(2)]
    groups = [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.05}]
    kw = {"momentum": 0.9} if name == "SGD" else {}
    return getattr(m.optim, name)(groups, lr=0.1, **kw)


def S(m):
    return m.optim.lr_scheduler


CASES = {
    "LambdaLR": lambda m, o: S(m).LambdaLR(o, lambda e: 0.95 ** e),
    "LambdaLR-per-group": lambda m, o: S(m).LambdaLR(o, [lambda e: 0.9 ** e,
                                                         lambda e: 1 / (e + 1)]),
    "MultiplicativeLR": lambda m, o: S(m).MultiplicativeLR(o, lambda e: 0.97),
    "StepLR": lambda m, o: S(m).StepLR(o, 7, 0.5),
    "MultiStepLR": lambda m, o: S(m).MultiStepLR(o, [10, 30, 30, 70], 0.3),
    "ConstantLR": lambda m, o: S(m).ConstantLR(o, 0.25, 12),
    "LinearLR": lambda m, o: S(m).LinearLR(o, 0.1, 0.9, 40),
    "ExponentialLR": lambda m, o: S(m).ExponentialLR(o, 0.97),
    "PolynomialLR": lambda m, o: S(m).PolynomialLR(o, 60, 2.0),
    "CosineAnnealingLR": lambda m, o: S(m).CosineAnnealingLR(o, 30, 0.001),
    "CosineAnnealingWarmRestarts": lambda m, o: S(m).CosineAnnealingWarmRestarts(o, 10, 2,
                                                                                 0.001),
    "CyclicLR-triangular2": lambda m, o: S(m).CyclicLR(o, 0.01, [0.1, 0.2], 10, 5,
                                                       "triangular2"),
    "CyclicLR-exp_range": lambda m, o: S(m).CyclicLR(o, 0.01, 0.1, 8, mode="exp_range",
                                                     gamma=0.99),
    "OneCycleLR": lambda m, o: S(m).OneCycleLR(o, [0.5, 0.3], total_steps=101),
    "OneCycleLR-3phase-linear": lambda m, o: S(m).OneCycleLR(o, 0.5, total_steps=101,
                                                             three_phase=True,
                                                             anneal_strategy="linear"),
    "SequentialLR": lambda m, o: S(m).SequentialLR(o, [S(m).LinearLR(o, 0.1, 1.0, 10),
                                                       S(m).CosineAnnealingLR(o, 50)], [10]),
    "ChainedScheduler": lambda m, o: S(m).ChainedScheduler([S(m).ExponentialLR(o, 0.98),
                                                            S(m).StepLR(o, 10, 0.5)]),
}


def _sequence(m, make, opt_name="SGD", steps=100):
    opt = _opt(m, opt_name)
    sched = make(m, opt)
    seq = []
    for _ in range(steps):
        opt.step()
        sched.step()
        seq.append(tuple(sched.get_last_lr())
                   + tuple(g.get("momentum", g.get("betas", (0,))[0]) for g in opt.param_groups))
    return seq


@pytest.mark.parametrize("name", list(CASES))
def test_lr_sequence_equals_torch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _sequence(dg, CASES[name]) == _sequence(torch, CASES[name])


def test_cyclic_momentum_with_adam_betas():
    make = CASES["OneCycleLR"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _sequence(dg, make, "Adam") == _sequence(torch, make, "Adam")


@pytest.mark.parametrize("kw", [dict(patience=2, cooldown=1, factor=0.5, min_lr=0.001),
                                dict(mode="max", threshold_mode="abs", threshold=0.01,
                                     patience=1),
                                dict(patience=0, min_lr=[0.02, 0.001])])
def test_reduce_lr_on_plateau_equals_torch(kw):
    metrics = [1.0, 0.9, 0.91, 0.92, 0.93, 0.95, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86] * 3
    seqs = []
    for m in (torch, dg):
        opt = _opt(m)
        sched = S(m).ReduceLROnPlateau(opt, **kw)
        seq = []
        for v in metrics:
            opt.step()
            sched.step(v)
            seq.append(tuple(sched.get_last_lr()))
        seqs.append(seq)
    assert seqs[0] == seqs[1]


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "OneCycleLR", "SequentialLR",
                                  "MultiStepLR"])
def test_state_dict_resume(name, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = _sequence(dg, CASES[name])
        opt = _opt(dg)
        sched = CASES[name](dg, opt)
        for _ in range(40):
            opt.step()
            sched.step()
        dg.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, tmp_path / "s.dg")
        ck = dg.load(tmp_path / "s.dg")
        opt2 = _opt(dg)
        sched2 = CASES[name](dg, opt2)
        opt2.load_state_dict(ck["opt"])
        sched2.load_state_dict(ck["sched"])
        rest = []
        for _ in range(60):
            opt2.step()
            sched2.step()
            rest.append(tuple(sched2.get_last_lr())
                        + tuple(g.get("momentum", 0) for g in opt2.param_groups))
    assert rest == full[40:]
