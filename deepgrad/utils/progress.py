"""Progress bars through tqdm (the optional ``progress`` extra); plain iteration without it."""
from __future__ import annotations

import sys


def progress(iterable, desc: str = "", total=None, leave: bool = False, enabled=None):
    """Wrap ``iterable`` in a tqdm progress bar when tqdm is installed and ``enabled`` (default:
    when stderr is a terminal or tqdm is present); otherwise return it unchanged."""
    if enabled is False:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return iterable
    if enabled is None and not sys.stderr.isatty():
        return tqdm(iterable, desc=desc, total=total, leave=leave, mininterval=5.0,
                    dynamic_ncols=True)
    return tqdm(iterable, desc=desc, total=total, leave=leave, dynamic_ncols=True)
