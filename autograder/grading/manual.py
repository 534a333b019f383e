"""Manual grades in nbgrader's gradebook, as the formgrader writes them.

Trainers grade free-text answers in nbgrader's formgrader. The demo and the
tests write the same fields (``Grade.manual_score``) through nbgrader's
``Gradebook`` so that what follows (feedback, export) sees real manual grades.
"""

from __future__ import annotations

from autograder.cohort.workspace import Workspace


def set_manual_scores(ws: Workspace, student: str, assignment: str, fraction: float,
                      comment: str | None = None) -> int:
    """Give every manually graded cell of a submission ``fraction`` of its points."""
    graded = 0
    with ws.gradebook() as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if not grade.needs_manual_grade:
                    continue
                grade.manual_score = round(fraction * grade.max_score, 1)
                grade.needs_manual_grade = False
                graded += 1
            if comment:
                for c in notebook.comments:
                    if c.name in {g.name for g in notebook.grades}:
                        c.manual_comment = comment
        gb.db.commit()
    return graded
