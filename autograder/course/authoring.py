"""Small builders for course notebooks with the right nbgrader cell metadata.

Authors may write notebooks in JupyterLab with the nbgrader "Create Assignment"
toolbar, or build them from Python with these functions, which keep the
metadata (schema version, grade ids, points, locks) consistent:

    from autograder.course import authoring as a
    cells = [a.md("# Judul"), a.answer("jawaban_1", 'jawaban_1 = ...\\n### BEGIN SOLUTION\\n...')]
    a.write("source/m03/m03.ipynb", cells)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def md(text: str):
    """A plain markdown cell (teaching text)."""
    return new_markdown_cell(text.strip("\n"))


def code(source: str):
    """A plain code cell (example, setup) that participants may run and change."""
    return new_code_cell(source.strip("\n"))


def readonly(grade_id: str, source: str, *, markdown: bool = False):
    """A locked cell participants cannot edit (instructions, data loading)."""
    maker = new_markdown_cell if markdown else new_code_cell
    cell = maker(source.strip("\n"))
    cell.metadata.update(_nbgrader(grade_id, grade=False, solution=False, locked=True))
    return cell


def answer(grade_id: str, source: str):
    """An answer cell: keep ``jawaban = ...`` above ``### BEGIN SOLUTION``."""
    cell = new_code_cell(source.strip("\n"))
    cell.metadata.update(_nbgrader(grade_id, grade=False, solution=True, locked=False))
    return cell


def tests(grade_id: str, points: float, source: str):
    """An autograded test cell (visible checks, plus ``### BEGIN HIDDEN TESTS``)."""
    cell = new_code_cell(source.strip("\n"))
    cell.metadata.update(_nbgrader(grade_id, grade=True, solution=False, locked=True,
                                   points=points))
    return cell


def manual(grade_id: str, points: float, solution_text: str):
    """A free-text answer graded by hand (markdown; the rubric goes in the cell above)."""
    cell = new_markdown_cell(solution_text.strip("\n"))
    cell.metadata.update(_nbgrader(grade_id, grade=True, solution=True, locked=False,
                                   points=points))
    return cell


def write(path: str | Path, cells: list, *, title: str | None = None) -> Path:
    """Write a clean notebook: Python 3 kernel, no outputs, no execution counts."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    if title:
        nb.metadata["title"] = title
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    nbformat.write(strip(nb), path)
    return path


def strip(nb):
    """Remove outputs, execution counts and personal metadata from a notebook in place."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    for key in list(nb.metadata):
        if key not in ("kernelspec", "language_info", "title"):
            del nb.metadata[key]
    return nb
