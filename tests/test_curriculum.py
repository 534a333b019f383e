"""The curriculum is sound: releases in sync and clean, solutions pass, blanks fail,
every lesson runs from a clean kernel."""

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import curriculum, manifest

COURSE = manifest.load_course()
LESSONS = [m.lesson for m in COURSE.modules if m.lesson]


def test_released_notebooks_hold_no_solution_and_no_hidden_test():
    assert curriculum.check_no_leaks(COURSE.assignment_ids) == []


def test_committed_notebooks_are_clean():
    notebooks = curriculum.committed_notebooks()
    assert len(notebooks) >= 2 * len(COURSE.assignment_ids) + len(LESSONS)
    assert curriculum.check_clean(notebooks) == []


def test_nbgrader_metadata_is_kept_in_source():
    for aid in COURSE.assignment_ids:
        nb = json.loads(next((manifest.SOURCE_DIR / aid).glob("*.ipynb")).read_text())
        graded = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
        assert graded, f"{aid} has no graded cell"


def test_assignments_are_in_sync_with_source():
    assert curriculum.check_sync(COURSE.assignment_ids) == []


def test_check_notices_a_stale_release(tmp_path):
    release = tmp_path / "assignments"
    shutil.copytree(manifest.RELEASE_DIR / "m00", release / "m00")
    path = next((release / "m00").glob("*.ipynb"))
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "Teks lama yang sudah diubah di sumber"
    path.write_text(json.dumps(nb))
    problems = curriculum.check_sync(["m00"], release_dir=release)
    assert problems and "tidak sinkron" in problems[0]


def test_check_notices_a_leaked_solution(tmp_path):
    release = tmp_path / "assignments"
    shutil.copytree(manifest.SOURCE_DIR / "m00", release / "m00")
    assert curriculum.check_no_leaks(["m00"], release_dir=release)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", COURSE.assignment_ids)
def test_solution_passes_and_blank_release_fails(assignment):
    assert curriculum.check_grading([assignment]) == []


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_executes_from_a_clean_kernel(lesson, tmp_path):
    nb = nbformat.read(COURSE.root / lesson, as_version=4)
    # run somewhere else than course/lessons: lessons must not depend on relative paths
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
