"""How nbgrader's Execute step runs each submission here: warm, isolated kernels.

``IsolatedExecute`` is nbgrader's own ``Execute`` preprocessor with two changes:

1. the notebook runs in a scratch copy of its folder, outside the workspace
   (``sandbox.py``), so student code never sees the gradebook or other work;
2. its kernel comes from a warm zygote (``zygote.py``) through
   ``ZygoteKernelManager``, instead of a freshly started Python.

Everything else (cell timeouts, interrupts, error outputs, what nbgrader then
does with the outputs) is nbgrader's and nbclient's own code.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute

from autograder.zygote import ForkedKernelProcess, ZygoteClient

_zygote: ZygoteClient | None = None
_scratch_root: Path | None = None


def activate(zygote: ZygoteClient | None, scratch_root: Path) -> None:
    """Set the zygote and scratch folder used by this process's grading."""
    global _zygote, _scratch_root
    _zygote = zygote
    _scratch_root = Path(scratch_root)


class ZygoteProvisioner(LocalProvisioner):
    """nbclient's local provisioner, launching by fork from the warm zygote."""

    async def launch_kernel(self, cmd, **kwargs):
        if _zygote is None or not _zygote.alive():
            return await super().launch_kernel(cmd, **kwargs)
        args = cmd[cmd.index("-f"):] if "-f" in cmd else cmd[3:]
        # Input history in memory: no history file shared by the run's kernels (one
        # participant's code must never be readable by the next), no writer thread.
        args = [*args, "--HistoryManager.enabled=False"]
        env = dict(kwargs.get("env") or os.environ)
        if _scratch_root is not None:  # the only writable place inside the sandbox
            env["IPYTHONDIR"] = str(_scratch_root / ".ipython")
            env["MPLCONFIGDIR"] = str(_scratch_root / ".matplotlib")
            env["TMPDIR"] = str(_scratch_root)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = _zygote.spawn(args, cwd, env)
        self.process = ForkedKernelProcess(pid)
        self.pid = pid
        self.pgid = pid  # the child calls setsid()
        self.cwd = cwd
        return self.connection_info


class ZygoteKernelManager(AsyncKernelManager):
    async def _async_pre_start_kernel(self, **kw):
        if _scratch_root is not None and not self.connection_file:
            # inside the sandbox only the scratch folder is visible
            self.connection_file = str(_scratch_root / f"kernel-{os.getpid()}-{id(self)}.json")
            # Unix sockets there rather than TCP on the loopback: both ends on this machine
            self.transport = "ipc"
            self.ip = str(_scratch_root / f"kernel-{os.getpid()}-{id(self)}-ipc")
        if self.provisioner is None:
            self.provisioner = ZygoteProvisioner(kernel_id=self.kernel_id or "zygote",
                                                 kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class IsolatedExecute(Execute):
    """nbgrader's Execute, in a scratch copy and with a warm kernel where one is set up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _zygote is not None:
            self.kernel_manager_class = ZygoteKernelManager

    def preprocess(self, nb, resources=None, km=None):
        resources = resources if resources is not None else {}
        metadata = resources.setdefault("metadata", {})
        original = metadata.get("path") or os.getcwd()
        root = _scratch_root or Path(tempfile.gettempdir())
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="nb-", dir=root))
        try:
            for item in Path(original).iterdir():
                if item.suffix == ".ipynb" or item.name == "timestamp.txt":
                    continue
                target = work / item.name
                if item.is_dir():
                    shutil.copytree(item, target, symlinks=False)
                elif item.is_file():
                    shutil.copy2(item, target)
            metadata["path"] = str(work)
            return super().preprocess(nb, resources, km=km)
        finally:
            metadata["path"] = original
            shutil.rmtree(work, ignore_errors=True)
