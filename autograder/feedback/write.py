"""``spptik feedback``: per-participant feedback in Indonesian, through nbgrader.

nbgrader's own ``NbGraderAPI.generate_feedback`` (its GenerateFeedback converter,
GetGrades preprocessor and gradebook) renders each graded notebook; only the
template is ours (``templates/umpan_balik``), so headings and labels read in Bahasa
Indonesia. nbgrader's API names its template ``feedback`` on ``HTMLExporter``; our
exporter is a subclass of it, whose own settings take precedence.
One file per participant and assignment: ``feedback/<peserta>/<tugas>/*.html``.
Participants' outputs and Markdown pass through ``sanitize`` on the way (also for
notebooks autograded before grading cleaned them), so the page runs nothing of theirs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbgrader
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets.config import Config

from autograder.cohort.workspace import Workspace
from autograder.feedback.sanitize import SanitizeParticipantContent

TEMPLATES = Path(__file__).resolve().parent / "templates"
NBGRADER_FORMGRADER = (Path(os.path.dirname(nbgrader.__file__))
                       / "server_extensions" / "formgrader")
NBGRADER_TEMPLATES = NBGRADER_FORMGRADER / "templates"
BOOTSTRAP_CSS = NBGRADER_FORMGRADER / "static" / "node_modules" / "bootstrap" / "dist" / "css"


@dataclass
class FeedbackReport:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter under its own name, so that its settings win over the
    ``HTMLExporter`` ones nbgrader's API sets for its own template."""


def feedback_config() -> Config:
    c = Config()
    c.GenerateFeedback.exporter_class = FeedbackExporter
    c.FeedbackExporter.template_name = "umpan_balik"
    c.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]
    # nbgrader's own settings (its bootstrap CSS) plus its templates folder, so that
    # ours can extend 'feedback/index.html.j2'.
    c.FeedbackExporter.extra_template_paths = [str(BOOTSTRAP_CSS), str(NBGRADER_TEMPLATES)]
    # nbgrader's own two preprocessors; hidden tests taken out of what participants read
    # (the same assignment serves the next batch: its hidden tests must stay hidden);
    # then the participant's content made inert
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor,
                                        SanitizeParticipantContent]
    return c


def generate_feedback(ws: Workspace, assignments: Iterable[str] | None = None,
                      on_start: Callable[[int], None] | None = None,
                      on_step: Callable[[], None] | None = None) -> FeedbackReport:
    """Write feedback for every autograded submission of the given assignments.

    One nbgrader GenerateFeedback run per assignment covers all its participants;
    if that run fails, each participant is tried alone so one bad notebook costs
    only its own feedback.
    """
    wanted = list(assignments) if assignments else ws.course.assignment_ids
    pairs = {a: [s.name for s in sorted(ws.autograded.glob("*")) if (s / a).is_dir()]
             for a in wanted}
    pairs = {a: students for a, students in pairs.items() if students}
    if on_start:
        on_start(sum(len(v) for v in pairs.values()))
    report = FeedbackReport()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograder.feedback.write", "nbgrader.apps"])
    workers = max(1, min(len(pairs), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_assignment_feedback, str(ws.root), a, students): (a, students)
                   for a, students in pairs.items()}
        for future in as_completed(futures):
            assignment, students = futures[future]
            try:
                failed = future.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker: report, go on
                failed = [(s, str(exc)) for s in students]
            report.failed.extend((s, assignment, why) for s, why in failed)
            for student in students:
                report.written.extend(sorted((ws.feedback / student / assignment).glob("*.html")))
                if on_step:
                    on_step()
    return report


def _assignment_feedback(root: str, assignment: str, students: list[str]) -> list[tuple[str, str]]:
    """In a worker: one nbgrader run for the assignment, one per participant if that fails."""
    import warnings

    from autograder.grading import speedups

    warnings.filterwarnings("ignore", message=".*not in session.*")
    speedups.apply()
    api = Workspace(root).api()
    api.update_config(feedback_config())
    if api.generate_feedback(assignment)["success"]:
        return []
    failed = []
    for student in students:
        one = api.generate_feedback(assignment, student)
        if not one["success"]:
            lines = [x for x in (one.get("error") or "").splitlines() if x.strip()]
            failed.append((student, lines[-1] if lines else "tidak diketahui"))
    return failed
