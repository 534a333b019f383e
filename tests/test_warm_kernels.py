"""The warm zygote's shortcuts are taken, and a kernel forked from it is a normal kernel.

The zygote prepares work before forking (the kernel application's configuration,
ipykernel's list of module files, matplotlib's font list) so that each kernel
does not repeat it. These tests check that grading kernels really start from
that preparation, and that what a notebook can see of its kernel is what a
freshly started kernel shows.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from autograder.grading import execution, sandbox, speedups, zygote
from autograder.grading.zygote import ZygoteClient

KERNEL_FACTS = """
import json, sys
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
shell = get_ipython()
print(json.dumps({
    "modules_is_dict": type(sys.modules) is dict,
    "module_files": len(shell.kernel._kernel_modules),
    "pandas_listed": any("pandas" in f for f in shell.kernel._kernel_modules),
    "history_enabled": shell.history_manager.enabled,
    "connection_file": app.connection_file,
}))
"""


def test_grading_kernels_start_from_the_prepared_application(tmp_path, monkeypatch):
    speedups.apply()
    scratch = tmp_path / "scratch"
    work = scratch / "nb-uji"  # a submission's copy lives inside the run's scratch folder
    work.mkdir(parents=True)
    sent: list[list[str]] = []
    spawn = ZygoteClient.spawn

    def recording_spawn(self, args, *rest):
        sent.append(list(args))
        return spawn(self, args, *rest)

    monkeypatch.setattr(ZygoteClient, "spawn", recording_spawn)
    policy = sandbox.SandboxPolicy(scratch=scratch, mode=sandbox.choose_mode())
    warm = ZygoteClient.start(policy)
    try:
        warm.wait_ready()
        execution.activate(warm, scratch, confined=True)
        nb = new_notebook(cells=[new_code_cell(KERNEL_FACTS)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        NotebookClient(nb, kernel_manager_class=execution.ZygoteKernelManager,
                       resources={"metadata": {"path": str(work)}}).execute()
    finally:
        warm.close()
        execution.activate(None, scratch, confined=False)

    # the command line nbclient and execution.py really send is the one the zygote prepared
    assert len(sent) == 1
    connection_file = zygote.prepared_connection_file(sent[0])
    assert connection_file is not None
    facts = json.loads(nb.cells[0].outputs[0]["text"])
    assert facts["connection_file"] == connection_file
    # what the kernel shows is a normal kernel's: the real module table, the debugger's list
    assert facts["modules_is_dict"] is True
    assert facts["module_files"] > 500 and facts["pandas_listed"]
    assert facts["history_enabled"] is False


def test_an_unexpected_command_line_starts_the_usual_way():
    assert zygote.prepared_connection_file(["-f", "k.json", *zygote.PREPARED_ARGS]) == "k.json"
    assert zygote.prepared_connection_file(["-f", "k.json", "--matplotlib=inline"]) is None
    assert zygote.prepared_connection_file([*zygote.PREPARED_ARGS]) is None


def test_font_list_is_built_once_and_then_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "run-1" / ".matplotlib", tmp_path / "run-2" / ".matplotlib"

    zygote._seed_font_list(first)  # nothing kept yet: built beside this run, outside it
    cache = zygote._font_list_cache()
    assert cache is not None and str(cache).startswith(str(tmp_path / "cache"))
    deadline = time.monotonic() + 90
    while not list(cache.glob("fontlist-*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    kept = sorted(cache.glob("fontlist-*.json"))
    assert kept, "matplotlib's font list was not built into the cache"
    while time.monotonic() < deadline:  # the builder has finished when the file parses whole
        try:
            json.loads(kept[0].read_text(encoding="utf-8"))
            break
        except ValueError:
            time.sleep(0.05)

    zygote._seed_font_list(second)
    copied = sorted(second.glob("fontlist-*.json"))
    assert [p.name for p in copied] == [p.name for p in kept]
    assert json.loads(Path(copied[0]).read_text(encoding="utf-8"))["ttflist"]
