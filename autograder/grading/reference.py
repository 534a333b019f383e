"""Plain nbgrader, the peer that ``spptik grade`` is measured and checked against.

``nbgrader autograde <assignment> --force`` run as its own command in the
workspace, with the workspace's own ``nbgrader_config.py``: the same settings,
a freshly started kernel per notebook, one submission at a time. Used by the
grading benchmark (speed) and by the tests (every cell scores the same).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable

from autograder.cohort.workspace import Workspace


def nbgrader_command() -> str:
    return os.path.join(os.path.dirname(sys.executable), "nbgrader")


def autograde_with_nbgrader(ws: Workspace, assignments: Iterable[str] | None = None) -> float:
    """Grade every submission of the workspace with plain nbgrader; returns the seconds taken."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    start = time.perf_counter()
    for aid in assignments or ws.course.assignment_ids:
        subprocess.run([nbgrader_command(), "autograde", aid, "--force", "--log-level=ERROR"],
                       cwd=ws.root, env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
