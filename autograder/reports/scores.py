"""Read scores out of nbgrader's gradebook into tables, in a few queries.

One row per (participant, assignment) that has a submission: total score,
maximum, whether manual grading is outstanding, and the part of the score
that is graded by hand (free-text cells), which the completion rule needs for
the capstone. One aggregate query over nbgrader's own tables, so that a
national gradebook (10,000 participants, 1.5 million grades) reads in seconds
rather than through the ORM object by object.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import bindparam, text

from autograder.cohort.workspace import Workspace

COLUMNS = ["student", "assignment", "score", "max_score", "needs_manual_grade",
           "manual_score", "manual_max", "timestamp"]

# A cell is graded by hand when it is both a grade cell and a solution cell (free-text
# answers): nbgrader stores those as a GradeCell and a SolutionCell of the same name in
# the same notebook. There are a few hundred cells at most, so they are found first.
MANUAL_CELLS_SQL = text("""
SELECT gb.id
FROM grade_cells gc
JOIN base_cell gb ON gb.id = gc.id
JOIN base_cell sb ON sb.name = gb.name AND sb.notebook_id = gb.notebook_id
JOIN solution_cells sc ON sc.id = sb.id
""")

# A grade's score is nbgrader's: the manual score where one was given, else the
# automatic one, plus extra credit.
SCORES_SQL = text("""
SELECT sa.student_id AS student,
       a.name AS assignment,
       sa.timestamp AS timestamp,
       COALESCE(SUM(COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0)), 0)
           AS score,
       COALESCE(SUM(gc.max_score), 0) AS max_score,
       COALESCE(MAX(CASE WHEN g.needs_manual_grade THEN 1 ELSE 0 END), 0) AS needs_manual_grade,
       COALESCE(SUM(CASE WHEN g.cell_id IN :manual
                         THEN COALESCE(g.manual_score, g.auto_score, 0)
                              + COALESCE(g.extra_credit, 0)
                         ELSE 0 END), 0) AS manual_score,
       COALESCE(SUM(CASE WHEN g.cell_id IN :manual THEN gc.max_score ELSE 0 END), 0)
           AS manual_max
FROM submitted_assignment sa
JOIN assignment a ON a.id = sa.assignment_id
LEFT JOIN submitted_notebook sn ON sn.assignment_id = sa.id
LEFT JOIN grade g ON g.notebook_id = sn.id
LEFT JOIN grade_cells gc ON gc.id = g.cell_id
WHERE a.course_id = :course
GROUP BY sa.id, sa.student_id, a.name, sa.timestamp
""").bindparams(bindparam("manual", expanding=True))


def submission_scores(ws: Workspace) -> pd.DataFrame:
    """Per-submission scores from the gradebook (see module docstring), one SQL query."""
    with ws.gradebook() as gb:
        manual = [row[0] for row in gb.db.execute(MANUAL_CELLS_SQL).all()] or ["-"]
        rows = gb.db.execute(SCORES_SQL, {"course": gb.course_id, "manual": manual}).all()
    frame = pd.DataFrame(rows, columns=["student", "assignment", "timestamp", "score",
                                        "max_score", "needs_manual_grade", "manual_score",
                                        "manual_max"])
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    for column in ("score", "max_score", "manual_score", "manual_max"):
        frame[column] = frame[column].astype(float)
    frame["needs_manual_grade"] = frame["needs_manual_grade"].astype(int).astype(bool)
    return frame[COLUMNS]


def cell_scores(ws: Workspace) -> dict[tuple[str, str, str, str], float | None]:
    """Every graded cell's automatic score, keyed by (participant, assignment, notebook, cell).

    What the grading benchmark and tests compare between plain ``nbgrader autograde``
    and ``spptik grade``.
    """
    from nbgrader.api import (
        Assignment,
        Grade,
        GradeCell,
        Notebook,
        SubmittedAssignment,
        SubmittedNotebook,
    )

    with ws.gradebook() as gb:
        rows = (gb.db.query(SubmittedAssignment.student_id, Assignment.name, Notebook.name,
                            GradeCell.name, Grade.auto_score)
                .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
                .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .join(GradeCell, Grade.cell_id == GradeCell.id).all())
    return {(s, a, nb, c): score for s, a, nb, c, score in rows}
