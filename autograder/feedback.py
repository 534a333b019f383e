"""``spptik feedback``: per-participant feedback in Indonesian, through nbgrader.

nbgrader's own GenerateFeedback converter (its GetGrades preprocessor and
gradebook) renders each graded notebook; only the template is ours
(``templates/umpan_balik``), so headings and labels read in Bahasa Indonesia.
One file per participant and assignment: ``feedback/<peserta>/<tugas>/*.html``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps.generatefeedbackapp import GenerateFeedback
from nbgrader.utils import capture_log, temp_attrs
from traitlets.config import Config

from autograder.workspace import Workspace

TEMPLATES = Path(__file__).resolve().parent / "templates"
NBGRADER_FORMGRADER = (Path(os.path.dirname(__import__("nbgrader").__file__))
                       / "server_extensions" / "formgrader")
NBGRADER_TEMPLATES = NBGRADER_FORMGRADER / "templates"
BOOTSTRAP_CSS = NBGRADER_FORMGRADER / "static" / "node_modules" / "bootstrap" / "dist" / "css"


@dataclass
class FeedbackReport:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def feedback_config() -> Config:
    c = Config()
    c.HTMLExporter.template_name = "umpan_balik"
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]
    # nbgrader's own settings (its bootstrap CSS) plus its templates folder, so that
    # ours can extend 'feedback/index.html.j2'.
    c.HTMLExporter.extra_template_paths = [str(BOOTSTRAP_CSS), str(NBGRADER_TEMPLATES)]
    return c


def generate_feedback(ws: Workspace, assignments: Iterable[str] | None = None,
                      on_start: Callable[[int], None] | None = None,
                      on_step: Callable[[], None] | None = None) -> FeedbackReport:
    """Write feedback for every autograded submission of the given assignments."""
    wanted = list(assignments) if assignments else ws.course.assignment_ids
    pairs = [(s.name, a) for s in sorted(ws.autograded.glob("*")) if s.is_dir()
             for a in wanted if (s / a).is_dir()]
    if on_start:
        on_start(len(pairs))
    api = ws.api()
    report = FeedbackReport()
    for student, assignment in pairs:
        with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
            app = GenerateFeedback(coursedir=api.coursedir, parent=api)
            app.update_config(feedback_config())
            app.force = True
            result = capture_log(app)
        if result["success"]:
            report.written.extend(sorted((ws.feedback / student / assignment).glob("*.html")))
        else:
            lines = [x for x in (result.get("error") or "").splitlines() if x.strip()]
            report.failed.append((student, assignment, lines[-1] if lines else "tidak diketahui"))
        if on_step:
            on_step()
    return report
