"""BLAS thread control through threadpoolctl when available (an optional extra)."""
from __future__ import annotations

import os


def _controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def get_num_threads() -> int:
    ctl = _controller()
    if ctl is not None:
        infos = ctl.info()
        if infos:
            return int(infos[0]["num_threads"])
    return int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1))


def set_num_threads(n: int) -> None:
    """Set the BLAS thread count for this process (needs ``threadpoolctl``)."""
    ctl = _controller()
    if ctl is None:
        raise RuntimeError("set_num_threads needs the optional package threadpoolctl; or set "
                           "OMP_NUM_THREADS / OPENBLAS_NUM_THREADS before starting Python")
    ctl.limit(limits=int(n), user_api="blas")
