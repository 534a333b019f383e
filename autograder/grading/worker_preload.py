"""Loaded once by the grading workers' forkserver (``grading.WORKER_PRELOAD``).

Every worker is forked from that server, so what is imported and prepared here
is paid once per grading run instead of once per worker: nbgrader, nbconvert and
nbclient, IPython (looking up the kernel's spec imports all of it), nbformat's
schema compiled into validators, and nbgrader's gradebook queries built once
against a throw-away gradebook (``_warm_gradebook``; a worker's first submission
cost 0.245 s of CPU without, 0.11 s with, the next ones 0.07–0.1 s). The
speed-ups of ``patches.py`` are applied by each worker (``grading._init_worker``),
as the grading run decided: this server may outlive a run, and a patch applied
here could not be taken back.
"""

import autograder.lean  # noqa: F401 - first (see lean.py)

# isort: split
import warnings

import IPython.paths  # noqa: F401
import nbclient  # noqa: F401
import nbconvert.exporters  # noqa: F401
import nbformat
import nbgrader.apps  # noqa: F401
import nbgrader.preprocessors  # noqa: F401

import autograder.grading.execution  # noqa: F401
import autograder.grading.finishing  # noqa: F401
import autograder.grading.run  # noqa: F401


def _warm_validators() -> None:
    """nbformat compiles one validator per schema variant: both variants nbconvert asks for."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    for relax in (False, True):
        nbformat.validate(notebook, relax_add_props=relax)


def _warm_gradebook() -> None:
    """The queries nbgrader's autograde makes, once, on a throw-away gradebook of nobody.

    SQLAlchemy builds and memoises each query's structure on the mapped classes
    the first time it runs; done here, every worker forked from this server
    inherits it. The database and its engine are gone before any fork. (The
    file holds a table first, so that nbgrader does not ask alembic to stamp it.)
    """
    import sqlite3
    import tempfile
    from pathlib import Path

    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory(prefix="spptik-pemanasan-") as folder:
        path = Path(folder) / "gradebook.db"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.close()
        _queries(Gradebook(f"sqlite:///{path}"))


def _queries(gb) -> None:
    with gb:
        gb.add_assignment("a")
        gb.add_notebook("n", "a")
        gb.add_grade_cell("g", "n", "a", max_score=1, cell_type="code")
        gb.add_solution_cell("s", "n", "a")
        gb.add_source_cell("g", "n", "a", cell_type="code", source="", checksum="")
        gb.add_source_cell("s", "n", "a", cell_type="code", source="", checksum="")
        gb.add_student("x")
        gb.find_student("x")
        gb.find_assignment("a")
        gb.find_notebook("n", "a")
        gb.update_or_create_submission("a", "x")
        gb.find_graded_cell("g", "n", "a")
        gb.find_grade_cell("g", "n", "a")
        gb.find_solution_cell("s", "n", "a")
        gb.find_source_cell("g", "n", "a")
        gb.find_submission_notebook("n", "a", "x")
        grade = gb.find_grade("g", "n", "a", "x")
        grade.auto_score = 1
        gb.find_comment("s", "n", "a", "x")
        gb.db.commit()
        submission = gb.find_submission("a", "x")
        _ = (submission.score, submission.max_score)  # the queries behind the worker's _score
    gb.engine.dispose()


with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy warnings, filtered in workers too
    for _warm in (_warm_validators, _warm_gradebook):
        try:
            _warm()
        except Exception:  # noqa: BLE001 - warming only; a worker does all of it for itself anyway
            pass
