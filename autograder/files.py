"""Writing a file whole or not at all: the one atomic write of the package.

A temporary file beside the target, then a rename (atomic on one file system), so a
crash or a full disk never leaves a half-written file where a reader would take it
for a finished one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: str | Path, data: str | bytes | Callable[[Path], object], *,
                 mode: int | None = None) -> Path:
    """Write ``data`` (text as UTF-8, bytes, or a function that writes a given path) to ``path``.

    What the function returns is ignored.

    ``mode`` sets the permission bits of the new file (default: 0666 less the umask, as a
    plain ``open`` would make it; ``mkstemp`` alone would leave 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process's umask, read without changing it (``os.umask`` would, for a moment, in
    every thread: a file another thread makes then would be world-writable)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o077)
    os.umask(current)
    return current
