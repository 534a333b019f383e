"""Loaded once by the grading workers' forkserver (``grading.WORKER_PRELOAD``).

Every worker is forked from that server, so what is imported and prepared here
is paid once per grading run instead of once per worker: nbgrader, nbconvert and
nbclient, IPython (looking up the kernel's spec imports all of it), nbformat's
schema compiled into a validator. The speed-ups of ``patches.py`` are applied
by each worker (``grading._init_worker``), as the grading run decided: this
server may outlive a run, and a patch applied here could not be taken back.
"""

import autograder.lean  # noqa: F401 - first (see lean.py)

# isort: split
import IPython.paths  # noqa: F401
import nbclient  # noqa: F401
import nbconvert.exporters  # noqa: F401
import nbformat
import nbgrader.apps  # noqa: F401
import nbgrader.preprocessors  # noqa: F401

import autograder.grading.execution  # noqa: F401
import autograder.grading.finishing  # noqa: F401
import autograder.grading.run  # noqa: F401

try:
    nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
except Exception:  # noqa: BLE001 - warming only; a worker validates for itself anyway
    pass
