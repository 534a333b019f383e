"""The ``spptik`` command: a thin layer over the stage packages, one module per group of verbs.

Messages are in Bahasa Indonesia; long work shows a progress bar; bad input exits non-zero with a
clear message (exit codes: 1 some work failed, 2 bad input, 3 no sandbox, 4 gradebook refused).
"""

from autograder.cli import analysis, certificates, cohort, course, dashboard, demo, grading, reports, site  # noqa: F401
from autograder.cli.app import main

__all__ = ["main"]
