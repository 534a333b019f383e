"""Read scores out of nbgrader's gradebook into tables, in a few queries.

One row per (participant, assignment) that has a submission: total score,
maximum, whether manual grading is outstanding, and the part of the score
that is graded by hand (free-text cells), which the completion rule needs for
the capstone. Queries go straight to nbgrader's own models so that a national
gradebook of thousands of participants reads in seconds.
"""

from __future__ import annotations

import pandas as pd
from nbgrader.api import (
    Assignment,
    Grade,
    GradeCell,
    Notebook,
    SolutionCell,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)

from autograder.workspace import Workspace

COLUMNS = ["student", "assignment", "score", "max_score", "needs_manual_grade",
           "manual_score", "manual_max", "timestamp"]


def submission_scores(ws: Workspace) -> pd.DataFrame:
    """Per-submission scores from the gradebook (see module docstring)."""
    with ws.gradebook() as gb:
        db = gb.db
        cells = pd.DataFrame(
            db.query(GradeCell.id, GradeCell.name, GradeCell.cell_type, GradeCell.max_score,
                     Notebook.id.label("notebook_id"))
            .join(Notebook, GradeCell.notebook_id == Notebook.id).all(),
            columns=["cell_id", "name", "cell_type", "max_score", "notebook_id"],
        )
        solutions = pd.DataFrame(
            db.query(SolutionCell.name, SolutionCell.notebook_id).all(),
            columns=["name", "notebook_id"],
        )
        grades = pd.DataFrame(
            db.query(Student.id, Assignment.name, Grade.cell_id, Grade.auto_score,
                     Grade.manual_score, Grade.extra_credit, Grade.needs_manual_grade,
                     SubmittedAssignment.timestamp)
            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
            .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(Student, SubmittedAssignment.student_id == Student.id)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id).all(),
            columns=["student", "assignment", "cell_id", "auto_score", "manual_score",
                     "extra_credit", "needs_manual_grade", "timestamp"],
        )
        submissions = pd.DataFrame(
            db.query(Student.id, Assignment.name, SubmittedAssignment.timestamp)
            .join(SubmittedAssignment, SubmittedAssignment.student_id == Student.id)
            .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id).all(),
            columns=["student", "assignment", "timestamp"],
        )
    if submissions.empty:
        return pd.DataFrame(columns=COLUMNS)

    # A cell is graded by hand when it is both a grade cell and a solution cell
    # (free-text answers); autograded test cells are grade cells only.
    solutions["manual"] = True
    cells = cells.merge(solutions, on=["name", "notebook_id"], how="left")
    cells["manual"] = cells["manual"].astype("boolean").fillna(False).astype(bool)

    merged = grades.merge(cells[["cell_id", "max_score", "manual"]], on="cell_id", how="left")
    score = merged["manual_score"].where(merged["manual_score"].notna(), merged["auto_score"])
    merged["cell_score"] = score.astype(float).fillna(0.0) + \
        merged["extra_credit"].astype(float).fillna(0.0)
    merged["manual_part"] = merged["cell_score"].where(merged["manual"], 0.0)
    merged["manual_max_part"] = merged["max_score"].where(merged["manual"], 0.0)
    merged["needs_manual_grade"] = merged["needs_manual_grade"].astype(bool)
    totals = merged.groupby(["student", "assignment"], as_index=False).agg(
        score=("cell_score", "sum"), max_score=("max_score", "sum"),
        needs_manual_grade=("needs_manual_grade", "any"),
        manual_score=("manual_part", "sum"), manual_max=("manual_max_part", "sum"),
    )
    out = submissions.merge(totals, on=["student", "assignment"], how="left")
    out[["score", "max_score", "manual_score", "manual_max"]] = out[
        ["score", "max_score", "manual_score", "manual_max"]].fillna(0.0)
    out["needs_manual_grade"] = out["needs_manual_grade"].astype("boolean").fillna(False).astype(bool)
    return out[COLUMNS]
