"""Where datasets live on disk, and verified downloads."""
from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request


def default_root() -> str:
    """``$DEEPGRAD_DATA`` if set, else ``~/.cache/deepgrad``."""
    return os.environ.get("DEEPGRAD_DATA") or os.path.join(os.path.expanduser("~"), ".cache",
                                                           "deepgrad")


def md5sum(path: str, chunk: int = 1 << 20) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def download(filename: str, folder: str, mirrors: list[str], md5: str) -> str:
    """Fetch ``filename`` into ``folder`` from the first mirror that works, verifying its MD5;
    the file is written atomically (no partial file is ever left under the final name)."""
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, filename)
    if os.path.exists(target) and md5sum(target) == md5:
        return target
    errors = []
    for mirror in mirrors:
        url = mirror + filename
        tmp = target + ".part"
        try:
            with urllib.request.urlopen(url, timeout=30) as r, open(tmp, "wb") as f:
                while True:
                    block = r.read(1 << 20)
                    if not block:
                        break
                    f.write(block)
            if md5sum(tmp) != md5:
                errors.append(f"{url}: checksum mismatch")
                os.unlink(tmp)
                continue
            os.replace(tmp, target)
            return target
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            errors.append(f"{url}: {e}")
            if os.path.exists(tmp):
                os.unlink(tmp)
    raise RuntimeError(
        f"could not download {filename} (offline?). Put the file at {target} (MD5 {md5}) or set "
        "DEEPGRAD_DATA to a folder that has it. Tried:\n  " + "\n  ".join(errors))
