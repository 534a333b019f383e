"""How nbgrader's Execute step runs each submission here: warm, isolated kernels.

``IsolatedExecute`` is nbgrader's own ``Execute`` preprocessor with two changes:

1. the notebook runs in a scratch copy of its folder, outside the workspace
   (``sandbox.py``), so student code never sees the gradebook or other work;
2. its kernel comes from a warm zygote (``zygote.py``) through
   ``ZygoteKernelManager``, instead of a freshly started Python.

Everything else (cell timeouts, interrupts, error outputs, what nbgrader then
does with the outputs) is nbgrader's and nbclient's own code.

The sandbox's part goes through jupyter_client's provisioner API
(``ZygoteProvisioner``); the speed-ups (``FastZygoteKernelManager``) are declared
in ``patches.py`` and chosen through it: with ``SPPTIK_TANPA_PERCEPATAN=1`` the
kernel client waits for readiness as jupyter_client does.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbgrader.preprocessors import Execute

from autograder.grading.zygote import KERNEL_ARGS, ForkedKernelProcess, ZygoteClient, ZygoteError

_zygote: ZygoteClient | None = None
_scratch_root: Path | None = None
_confined = False
_prepared_kernels = True


def activate(zygote: ZygoteClient | None, scratch_root: Path, confined: bool,
             speedups: bool = True) -> None:
    """Set the zygote and scratch folder used by this process's grading.

    The zygote may still be preloading: the first kernel waits for it (meanwhile
    the worker sanitises its first submission). Where kernels must be confined, a
    zygote that failed means no kernel at all (the submission fails, reported);
    only trusted code falls back to kernels started the usual way. ``speedups``
    False: the zygote prepared no kernel application (``SPPTIK_TANPA_PERCEPATAN=1``).
    """
    global _zygote, _scratch_root, _confined, _manager_class, _prepared_kernels
    _zygote = zygote
    _scratch_root = Path(scratch_root)
    _confined = confined
    _prepared_kernels = speedups
    _manager_class = ZygoteKernelManager  # until the run's patches choose the faster one


def _ready_zygote() -> ZygoteClient | None:
    global _zygote
    if _zygote is not None and not _zygote.wait_for_server():  # at once when it listens
        _zygote = None
    zygote = _zygote if _zygote is not None and _zygote.alive() else None
    if zygote is None and _confined:
        raise ZygoteError("sandbox kernel tidak dapat dimulai; kode peserta tidak dijalankan")
    return zygote


def kernel_folders(cwd: str) -> tuple[str, str]:
    """A kernel's connection folder and home, beside its working folder in the scratch folder."""
    return cwd + ".kanal", cwd + ".rumah"


class ZygoteProvisioner(LocalProvisioner):
    """nbclient's local provisioner, launching by fork from the warm zygote, confined."""

    async def pre_launch(self, **kwargs):
        """The kernel's connection folder: the only one it shares with the grader.

        Unix sockets there (transport ``ipc``): the kernel has no network at all.
        Set on the kernel manager before jupyter_client writes the connection file.
        """
        km = self.parent
        if km is not None and _scratch_root is not None and not km.connection_file:
            channel, _ = kernel_folders(str(kwargs.get("cwd") or _scratch_root / "tanpa-folder"))
            os.makedirs(channel, mode=0o700, exist_ok=True)
            km.connection_file = str(Path(channel) / "kernel.json")
            km.transport = "ipc"
            km.ip = str(Path(channel) / "ipc")
        return await super().pre_launch(**kwargs)

    async def launch_kernel(self, cmd, **kwargs):
        from autograder.grading import sandbox

        zygote = _ready_zygote()
        if zygote is None:
            return await super().launch_kernel(cmd, **kwargs)
        args = cmd[cmd.index("-f"):] if "-f" in cmd else cmd[3:]
        # Input history in memory: no history file shared by the run's kernels (one
        # participant's code must never be readable by the next), no writer thread.
        args = [*args, *KERNEL_ARGS]  # --HistoryManager.enabled=False
        cwd = str(kwargs.get("cwd") or os.getcwd())
        channel, home = kernel_folders(cwd)
        # The kernel's whole environment: an allowlist, nothing of the trainer's shell.
        # IPython's folder: the zygote's, whose profile it read for the prepared application
        # (read-only for the kernel); a kernel started the usual way makes its own in its home.
        ipython = _scratch_root / ".ipython" if _prepared_kernels else Path(home) / ".ipython"
        env = sandbox.kernel_env(home, {"IPYTHONDIR": str(ipython),
                                        "MPLCONFIGDIR": str(_scratch_root / ".matplotlib")})
        self.process = zygote.spawn(args, cwd, channel, home, env)
        self.pid = self.process.pid
        self.pgid = None  # signals go through the pidfd (the kernel may be in its own namespace)
        self.cwd = cwd
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        """Kill, then wait (briefly) until the kernel has ended.

        jupyter_client polls whether a killed kernel is gone every 0.1 s, and its first
        poll comes right after the signal, before the kernel has ended: a tenth of a second
        per notebook spent sleeping. Waiting here on the kernel's pidfd ends as soon as it
        has, so that first poll finds it gone.
        """
        await super().kill(restart)
        if isinstance(self.process, ForkedKernelProcess):
            await self.process.wait_async(timeout=1.0)

    async def cleanup(self, restart: bool = False) -> None:
        if isinstance(self.process, ForkedKernelProcess):
            self.process.close()
        await super().cleanup(restart)


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel has answered on both channels.

    jupyter_client's ``wait_for_ready``, after the kernel_info reply, reads IOPub
    until it has been quiet for 0.2 s: for a forked kernel, idle time on every
    notebook. Here the wait ends when IOPub brings the kernel's "idle" status for
    one of our kernel_info requests: IOPub is then connected, and the kernel sends
    that status after its reply, so both have arrived. As in jupyter_client, the
    request is repeated until IOPub answers (a subscriber can miss the first
    messages), and a dead kernel or the timeout ends the wait with an error.
    """

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        sent: set[str] = set()
        while True:
            sent.add(self.kernel_info())
            retry_at = time.monotonic() + 1.0
            while time.monotonic() < min(retry_at, deadline):
                try:
                    msg = await self.iopub_channel.get_msg(timeout=0.05)
                except Empty:
                    continue
                if (msg["msg_type"] == "status"
                        and msg["content"].get("execution_state") == "idle"
                        and msg["parent_header"].get("msg_id") in sent):
                    await self._take_kernel_info_reply(sent)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    async def _take_kernel_info_reply(self, sent: set[str]) -> None:
        while True:
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                return
            if msg["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") in sent:
                self._handle_kernel_info_reply(msg)
                return


_kernel_specs: dict[str, object] = {}


class ZygoteKernelManager(AsyncKernelManager):
    """jupyter_client's manager whose kernels always come from ``ZygoteProvisioner``.

    jupyter_client picks a provisioner from the kernel spec through an entry
    point; setting ours before it would (registry entry ``zygote-provisioner``)
    means no kernel of this manager starts unconfined, even on a restart.
    """

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.provisioner = ZygoteProvisioner(kernel_id=self.kernel_id or "zygote",
                                                 kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class FastZygoteKernelManager(ZygoteKernelManager):
    """The same, with the speed-ups ``prompt-kernel-ready`` and ``kernel-spec-once``."""

    client_class = "autograder.grading.execution.PromptKernelClient"

    @property
    def kernel_spec(self):
        """The kernel's spec, looked up once per grading process (the folders do not change)."""
        if self._kernel_spec is None and self.kernel_name != "":
            if self.kernel_name not in _kernel_specs:
                _kernel_specs[self.kernel_name] = self.kernel_spec_manager.get_kernel_spec(self.kernel_name)
            self._kernel_spec = _kernel_specs[self.kernel_name]
        return self._kernel_spec


_manager_class: type[ZygoteKernelManager] = ZygoteKernelManager


def use_prompt_client() -> None:
    """Registered as ``prompt-kernel-ready`` and ``kernel-spec-once`` in ``patches.py``."""
    global _manager_class
    _manager_class = FastZygoteKernelManager


def use_zygote_provisioner() -> None:
    """Registered as ``zygote-provisioner``: always in force, ``ZygoteKernelManager`` is the
    base of every manager here (nothing to switch on)."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME_FILE = re.compile(r"^File (/.+?\.py):\d+, in ", re.MULTILINE)
_told: set[str] = set()


def traceback_files(nb) -> list[str]:
    """The files (other than cells) that the notebook's error outputs' tracebacks went through."""
    found: list[str] = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else ():
            if output.get("output_type") != "error":
                continue
            text = _ANSI.sub("", "\n".join(str(line) for line in output.get("traceback", [])))
            found += [path for path in _FRAME_FILE.findall(text) if path not in found]
    return found


def tell_traceback_files(nb) -> None:
    """Tell the zygote, once per worker, the library files this notebook's tracebacks went through.

    Registered as ``traceback-sources-learned`` (with the zygote's side): later kernels
    then find them parsed (``zygote.TracebackSources``). The zygote checks every name.
    """
    if _zygote is None or not _prepared_kernels:
        return
    new = [path for path in traceback_files(nb) if path not in _told]
    if new:
        _told.update(new)
        _zygote.learn(new)


class IsolatedExecute(Execute):
    """nbgrader's Execute, in a scratch copy and with a warm kernel where one is set up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _zygote is not None:
            self.kernel_manager_class = _manager_class

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
            nb, resources = super().preprocess(nb, resources, km=km)
            tell_traceback_files(nb)
            return nb, resources
        finally:
            metadata["path"] = original
            for folder in (str(work), *kernel_folders(str(work))):
                shutil.rmtree(folder, ignore_errors=True)
