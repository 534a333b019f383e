"""Shared fixtures: synthetic rosters and a small graded cohort built once per session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# nbgrader's gradebook runs the `alembic` command: the environment's bin/ must be on PATH.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

from autograder.cohort.roster import write_roster  # noqa: E402
from autograder.course import manifest  # noqa: E402
from autograder.demo import synthetic

REPO = manifest.REPO_ROOT


@pytest.fixture(scope="session")
def course():
    return manifest.load_course()


@pytest.fixture
def roster_file(tmp_path):
    def make(n=4, prefix="UJI"):
        path = tmp_path / f"peserta_{prefix}_{n}.csv"
        write_roster(synthetic.make_roster(n, prefix=prefix), path)
        return path
    return make


@pytest.fixture(scope="session")
def graded_cohort(tmp_path_factory):
    """A cohort of five synthetic participants taken through init → collect → grade → manual.

    Profiles: UJI-0001 complete, UJI-0002 blank notebooks, UJI-0003 missing m05 and post,
    UJI-0004 sent nothing, UJI-0005 complete but the capstone not yet graded by hand.
    """
    from autograder.cohort.workspace import init_workspace
    from autograder.grading.manual import set_manual_scores
    from autograder.grading.run import grade
    from autograder.intake.collect import collect
    from autograder.reports.scores import submission_scores

    base = tmp_path_factory.mktemp("kohort")
    people = synthetic.make_roster(5, prefix="UJI")
    roster = base / "peserta.csv"
    write_roster(people, roster)
    ws = init_workspace(base / "kohort", roster, "Uji Padang (sintetis)")
    course = ws.course
    inbox = base / "kiriman"
    answers, releases = {}, {}
    for aid in course.assignment_ids:
        answers[aid] = synthetic.solution_answers(
            synthetic.load(next((manifest.SOURCE_DIR / aid).glob("*.ipynb"))))
        releases[aid] = synthetic.load(ws.release_notebooks(aid)[0])
    ids = [p.id_peserta for p in people]
    for aid in course.assignment_ids:
        synthetic.dump(synthetic.fill(releases[aid], answers[aid]), inbox / ids[0] / f"{aid}.ipynb")
        synthetic.dump(releases[aid], inbox / f"{ids[1]}_{aid}.ipynb")
        if aid not in ("m05", "post"):
            synthetic.dump(synthetic.fill(releases[aid], answers[aid]),
                           inbox / "usb" / f"{aid} - {people[2].nama}.ipynb")
        synthetic.dump(synthetic.fill(releases[aid], answers[aid]), inbox / ids[4] / f"{aid}.ipynb")
    intake = collect(ws, None, [inbox])
    report = grade(ws, jobs=2)
    capstone = course.completion.capstone
    pending = submission_scores(ws)
    for row in pending[pending["needs_manual_grade"]].itertuples():
        if row.student == ids[4] and row.assignment == capstone:
            continue
        set_manual_scores(ws, row.student, row.assignment, 0.9)
    return {"ws": ws, "ids": ids, "people": people, "intake": intake, "grading": report,
            "answers": answers}


@pytest.fixture(scope="session")
def cohort_template(tmp_path_factory):
    """An initialised, empty cohort of six synthetic participants (copied per test)."""
    from autograder.cohort.workspace import init_workspace

    base = tmp_path_factory.mktemp("templat")
    roster = base / "peserta.csv"
    write_roster(synthetic.make_roster(6, prefix="PST"), roster)
    return init_workspace(base / "kohort", roster, "Templat uji (sintetis)").root


@pytest.fixture
def fresh_cohort(cohort_template, tmp_path):
    import shutil

    from autograder.cohort.workspace import Workspace

    target = tmp_path / "kohort"
    shutil.copytree(cohort_template, target)
    return Workspace(target)


@pytest.fixture(scope="session")
def answer_keys():
    """Released notebook and the answers a knowing participant types, per assignment."""
    keys = {}
    for aid in manifest.load_course().assignment_ids:
        source = synthetic.load(next((manifest.SOURCE_DIR / aid).glob("*.ipynb")))
        release = synthetic.load(next((manifest.RELEASE_DIR / aid).glob("*.ipynb")))
        keys[aid] = (release, synthetic.solution_answers(source))
    return keys
