"""What item analysis reads from one cohort: item scores, item texts, failed checks.

- **Item scores** come from nbgrader's gradebook (``nbgrader.api.Gradebook`` through
  ``Workspace.gradebook()``): one row per participant and autograded cell. An autograded
  item is a grade cell that is not also a solution cell (those are answers graded by hand).
  The score is nbgrader's: a trainer's manual score where one was given, else the
  automatic one (extra credit left out: an item's score stays within its maximum).
- **Item texts** come from the cohort's released notebooks (never the source, which holds
  solutions): the nearest Markdown cell above an item's check cell is its question.
- **Failed checks** come from the autograded notebooks' outputs: the error each check cell
  raised, whose message (in Indonesian, from ``assert ..., "pesan"``) is what participants
  saw in their feedback.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd

from autograder.cohort.workspace import Workspace

log = logging.getLogger(__name__)

SCORE_COLUMNS = ["student", "assignment", "notebook", "item", "max_score", "score"]
TEXT_COLUMNS = ["assignment", "notebook", "item", "position", "title", "text"]
CHECK_COLUMNS = ["student", "assignment", "notebook", "item", "message"]

MESSAGE_LIMIT = 300
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def item_scores(ws: Workspace) -> pd.DataFrame:
    """Every autograded cell's score for every submission in the cohort's gradebook."""
    from nbgrader.api import (
        Assignment,
        Grade,
        GradeCell,
        Notebook,
        SolutionCell,
        SubmittedAssignment,
        SubmittedNotebook,
    )

    with ws.gradebook() as gb:
        manual = {(nb_id, name) for nb_id, name in
                  gb.db.query(SolutionCell.notebook_id, SolutionCell.name).all()}
        rows = (gb.db.query(SubmittedAssignment.student_id, Assignment.name, Notebook.name,
                            GradeCell.name, GradeCell.notebook_id, GradeCell.max_score,
                            Grade.auto_score, Grade.manual_score)
                .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
                .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .join(GradeCell, Grade.cell_id == GradeCell.id)
                .filter(Assignment.course_id == gb.course_id)
                .all())
    records = [(student, assignment, notebook, item, float(top),
                manual_score if manual_score is not None else auto_score)
               for student, assignment, notebook, item, nb_id, top, auto_score, manual_score in rows
               if (nb_id, item) not in manual]
    frame = pd.DataFrame(records, columns=SCORE_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_check_cell(cell: dict) -> bool:
    """An autograded check: a graded cell that is not an answer graded by hand."""
    meta = _nbgrader(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and bool(meta.get("grade_id"))


def _title(markdown: str) -> str:
    """The first line of a Markdown cell, without its heading marks."""
    for line in markdown.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return ""


def item_texts(ws: Workspace) -> pd.DataFrame:
    """Each autograded item's position, question title and question text (released notebooks)."""
    rows = []
    for assignment in ws.course.assignment_ids:
        for path in ws.release_notebooks(assignment):
            try:
                nb = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("Notebook %s tidak terbaca: %s", path, exc)
                continue
            question = heading = ""
            for position, cell in enumerate(nb.get("cells", [])):
                if cell.get("cell_type") == "markdown" and not _nbgrader(cell).get("solution"):
                    question = _text(cell.get("source")).strip()
                    if question.startswith("#"):
                        heading = _title(question)
                if is_check_cell(cell):
                    rows.append((assignment, path.stem, _nbgrader(cell)["grade_id"], position,
                                 heading or _title(question), question))
    return pd.DataFrame(rows, columns=TEXT_COLUMNS)


def _message(output: dict) -> str:
    name = str(output.get("ename") or "Error")
    value = ANSI.sub("", str(output.get("evalue") or "")).strip()
    text = value if name == "AssertionError" and value else f"{name}: {value}".rstrip(": ")
    if name == "AssertionError" and not value:
        text = "AssertionError (tanpa pesan)"
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def failed_checks(ws: Workspace, students: set[str] | None = None) -> pd.DataFrame:
    """One row per check cell that raised an error in an autograded notebook, with its message."""
    rows = []
    if not ws.autograded.is_dir():
        return pd.DataFrame(columns=CHECK_COLUMNS)
    assignments = set(ws.course.assignment_ids)
    for path in sorted(ws.autograded.glob("*/*/*.ipynb")):
        student, assignment = path.parent.parent.name, path.parent.name
        if assignment not in assignments or (students is not None and student not in students):
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("Notebook %s tidak terbaca: %s", path, exc)
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code" or not is_check_cell(cell):
                continue
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                rows.append((student, assignment, Path(path).stem, _nbgrader(cell)["grade_id"],
                             _message(errors[0])))
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)
