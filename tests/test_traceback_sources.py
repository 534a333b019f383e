"""The zygote learns which library files kernels' tracebacks go through, and parses them once.

A traceback through pandas makes IPython's formatter (stack_data) parse pandas'
largest files in every kernel. Grading workers tell the zygote which files they
saw (``execution.tell_traceback_files``); the zygote parses files of modules it
imported itself, and kernels forked afterwards find them parsed. These tests
check that kernels really inherit the parsed files, that the traceback a
participant sees is the same text either way, and that nothing a participant
writes makes the zygote read a file it did not import.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from autograder.grading import execution, sandbox, speedups, zygote
from autograder.grading.zygote import TracebackSources, ZygoteClient

PANDAS_ERROR = "import pandas as pd\ntabel = pd.DataFrame({'kegiatan': ['x']})\ntabel['anggaran']\n"

CACHED_FILES = """
import json, stack_data
cache = stack_data.Source.__dict__.get('__source_cache_with_lines', {})
print(json.dumps(sorted({key[0] for key in cache})))
"""


def _run(cells: list[str], work: Path):
    nb = new_notebook(cells=[new_code_cell(source) for source in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, kernel_manager_class=execution.ZygoteKernelManager, allow_errors=True,
                   resources={"metadata": {"path": str(work)}}).execute()
    return nb


def _error_text(nb) -> str:
    return "\n".join("\n".join(output["traceback"]) for cell in nb.cells
                     for output in cell.outputs if output["output_type"] == "error")


def test_kernels_forked_after_a_pandas_traceback_find_its_files_parsed(tmp_path):
    speedups.apply()
    scratch = tmp_path / "scratch"
    work = scratch / "nb-uji"
    work.mkdir(parents=True)
    (work / "modul_peserta.py").write_text("def gagal():\n    raise ValueError('x')\n")
    policy = sandbox.SandboxPolicy(scratch=scratch, mode=sandbox.choose_mode())
    warm = ZygoteClient.start(policy)
    try:
        warm.wait_ready()
        execution.activate(warm, scratch, confined=True)
        first = _run([CACHED_FILES, PANDAS_ERROR], work)
        files = execution.traceback_files(first)
        frame_py = next(f for f in files if f.endswith("pandas/core/frame.py"))
        # the first kernel parsed pandas' files itself: they were not in the zygote
        assert frame_py not in json.loads(first.cells[0].outputs[0]["text"])

        # a participant's fake traceback and own module: named to the zygote, never parsed
        fake = ("from modul_peserta import gagal\n"
                "raise ValueError('\\nFile /etc/passwd:1, in x\\nFile /etc/palsu.py:1, in y')\n")
        own = _run([fake, "from modul_peserta import gagal\ngagal()\n"], work)
        named = execution.traceback_files(own)
        assert "/etc/passwd" not in named  # not a .py file: not even named
        assert "/etc/palsu.py" in named  # named, and refused by the zygote (below)
        assert any(f.endswith("modul_peserta.py") for f in named)
        execution.tell_traceback_files(own)
        execution.tell_traceback_files(first)

        deadline = time.monotonic() + 60
        while True:  # the zygote parses when no kernel is waiting: ask until it has
            later = _run([CACHED_FILES, PANDAS_ERROR], work)
            cached = json.loads(later.cells[0].outputs[0]["text"])
            if frame_py in cached or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        warm.close()
        execution.activate(None, scratch, confined=False)

    assert frame_py in cached
    assert not any(f.endswith("modul_peserta.py") or f.startswith("/etc/") for f in cached)
    # what the participant sees is the same traceback, parsed here or inherited
    assert _error_text(later) == _error_text(first)
    assert "KeyError" in _error_text(later)


def test_only_files_of_the_zygotes_own_modules_within_the_budget():
    import pandas.core.frame
    import pandas.core.generic

    sources = TracebackSources()
    sources.ask([pandas.core.frame.__file__])
    assert sources.pending == []  # not switched on: SPPTIK_TANPA_PERCEPATAN=1 learns nothing
    sources.enabled = True
    frame_py, generic_py = pandas.core.frame.__file__, pandas.core.generic.__file__
    sources.ask([frame_py, "/etc/passwd", "/tmp/nb-x/modul_peserta.py", 42, None, frame_py,
                 "<ipython-input-1>", frame_py + "x", str(Path(frame_py).parent / ".." / "frame.py")])
    assert sources.pending == [frame_py]
    sources.ask({"tidak": "daftar"})
    assert sources.pending == [frame_py]

    sources.lines_left = 100  # frame.py has about 20,000 lines: over the budget, skipped
    sources.parse_next()
    assert sources.pending == [] and sources.lines_left == 100
    sources.ask([frame_py])  # asked once only, even when skipped
    assert sources.pending == []

    import linecache

    import stack_data

    sources.lines_left = TracebackSources.MAX_LINES
    sources.ask([generic_py])
    sources.parse_next()  # within the budget: parsed into stack_data's own cache
    assert sources.lines_left == TracebackSources.MAX_LINES - len(linecache.getlines(generic_py))
    cache = stack_data.Source.__dict__.get("__source_cache_with_lines", {})
    assert generic_py in {key[0] for key in cache}


def test_the_parsed_file_is_the_one_a_later_traceback_uses_and_prints_the_same(tmp_path):
    """In one process: a traceback before and after the zygote's parse, in fresh forks."""
    script = tmp_path / "uji.py"
    script.write_text(f"""
import json, os, sys, linecache
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from autograder.grading import zygote
zygote._preload(True)
import executing
SOURCE = {PANDAS_ERROR!r}

def traceback_in_a_fork():
    read, write = os.pipe()
    if os.fork() == 0:
        built = []
        original = executing.Source.__init__
        def counting(self, filename, lines):
            built.append(filename)
            original(self, filename, lines)
        executing.Source.__init__ = counting
        from IPython.core import ultratb
        linecache.cache["<sel>"] = (len(SOURCE), None, SOURCE.splitlines(True), "<sel>")
        try:
            exec(compile(SOURCE, "<sel>", "exec"), {{}})
        except KeyError as exc:
            text = ultratb.AutoFormattedTB(mode="Context", theme_name="neutral").structured_traceback(
                type(exc), exc, exc.__traceback__)
        os.write(write, json.dumps({{"text": text, "built": built}}).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 20):
        data += chunk
    os.wait()
    return json.loads(data)

before = traceback_in_a_fork()
from autograder.grading import execution
files = execution.traceback_files({{"cells": [{{"cell_type": "code", "outputs": [
    {{"output_type": "error", "traceback": before["text"]}}]}}]}})
zygote._sources.enabled = True
zygote._sources.ask(files)
while zygote._sources.pending:
    zygote._sources.parse_next()
after = traceback_in_a_fork()
print(json.dumps({{"before": before, "after": after, "files": files}}))
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    pandas_files = [f for f in result["files"] if "/pandas/" in f]
    assert pandas_files, result["files"]
    assert set(pandas_files) <= set(result["before"]["built"])  # parsed in the kernel, before
    assert not set(pandas_files) & set(result["after"]["built"])  # inherited, after
    assert result["after"]["text"] == result["before"]["text"]


def test_the_entry_is_in_the_registry_and_off_without_speedups():
    from autograder.grading import patches

    entry = patches.BY_NAME["traceback-sources-learned"]
    assert entry.stage == patches.ZYGOTE and entry.speedup
    assert patches.problems(entry) == []
    assert zygote._learn_traceback_sources.__name__ in entry.apply


def test_a_worker_without_speedups_tells_the_zygote_nothing(tmp_path, monkeypatch):
    told: list = []
    client = ZygoteClient.connect(tmp_path, "token")
    monkeypatch.setattr(ZygoteClient, "learn", lambda self, paths: told.append(paths))
    execution.activate(client, tmp_path, confined=True, speedups=False)
    try:
        nb = {"cells": [{"cell_type": "code", "outputs": [
            {"output_type": "error", "traceback": ["File /x/pandas/core/frame.py:1, in f()"]}]}]}
        execution.tell_traceback_files(nb)
    finally:
        execution.activate(None, tmp_path, confined=False)
    assert told == []
