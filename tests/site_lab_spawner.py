"""A JupyterHub spawner for tests: each participant's server under its own synthetic uid.

JupyterHub's ``SimpleLocalProcessSpawner`` runs every server as the hub's own account
(root in these tests), which can read anything: a file the hub made readable by root
only would go unnoticed. This one runs each user named in ``SPPTIK_TEST_UIDS``
(``name:uid,...``; the test makes their Linux account) under that uid, without
supplementary groups, and hands them their home. Users not named run as the hub's account.

A development machine's ``.venv`` may come from a Python under a closed folder (pyenv
in ``/root``, mode 700), which a real site refuses (``checkout_problem``; README). So
that the test still runs here, such a server gets its own mount namespace in which
the closed folder shows only the interpreter's tree (as a system Python under /usr
would be): nothing else of that folder, and nothing outside the server changes.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner

CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18


def synthetic_uids() -> dict[str, int]:
    pairs = [p.split(":") for p in os.environ.get("SPPTIK_TEST_UIDS", "").split(",") if p]
    return {name: int(uid) for name, uid in pairs}


def closed_folder_above(path: Path) -> tuple[Path, Path] | None:
    """The first folder above ``path`` others cannot enter, and its child on the way."""
    real = path.resolve()
    for child in reversed([real, *real.parents][:-1]):
        folder = child.parent
        if not folder.stat().st_mode & 0o001:
            return folder, child
    return None


def _mount(source, target, fstype, flags, data=None) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    enc = [None if v is None else str(v).encode() for v in (source, target, fstype, data)]
    if libc.mount(enc[0], enc[1], enc[2], ctypes.c_ulong(flags), enc[3]) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} {target}: {os.strerror(errno)}")


def show_only(folder: Path, child: Path, staging: Path) -> None:
    """In a new mount namespace: ``folder`` (mode 0711) holding only ``child``."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", staging, "tmpfs", 0, "mode=0711")
    (staging / child.name).mkdir()
    _mount(child, staging / child.name, None, MS_BIND | MS_REC)
    _mount(staging, folder, None, MS_BIND | MS_REC)


class SyntheticUidSpawner(SimpleLocalProcessSpawner):
    async def start(self):
        uid = synthetic_uids().get(self.user.name)
        self._view = None
        if uid is not None:  # the home the site prepared (as root) becomes the account's
            home = Path(self.home_dir)
            home.mkdir(parents=True, exist_ok=True)
            for path in [home, *home.rglob("*")]:
                os.chown(path, uid, uid, follow_symlinks=False)
            os.chmod(home, 0o700)
            closed = closed_folder_above(Path(sys.executable))
            if closed:
                staging = Path(tempfile.mkdtemp(prefix=".tampilan-", dir=home.parent))
                self._view = (*closed, staging)
        return await super().start()

    def make_preexec_fn(self, name):
        home, uid, view = self.home_dir, synthetic_uids().get(name), getattr(self, "_view", None)

        def preexec():
            if uid is None:
                os.makedirs(home, 0o755, exist_ok=True)
            else:
                if view:
                    show_only(*view)
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            os.chdir(home)

        return preexec
