"""Answers typed into the released notebook, the way a participant types them, are graded.

A participant opens assignments/pre/pre.ipynb, finds `jawaban_01 = ...` and types the
answer over the dots, saves, and sends the file. nbgrader re-executes the notebook in a
fresh kernel, so only what is in the cells counts: nothing here goes through a widget.
"""

import re

import nbformat

from autograder.course import manifest
from autograder.grading.run import GRADED, grade
from autograder.intake.collect import collect
from autograder.reports.scores import submission_scores


def typed_values(source_nb) -> dict[str, str]:
    """name → value, from the `name = value` lines of the source solutions."""
    values = {}
    for cell in source_nb.cells:
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        block = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S)
        for line in (block.group(1) if block else "").splitlines():
            match = re.match(r"^(\w+) = (.+)$", line)
            if match:
                values[match.group(1)] = match.group(2)
    return values


def type_answers(release_nb, values) -> int:
    """Replace each `name = ...` stub line with `name = <answer>`; return how many."""
    typed = 0
    for cell in release_nb.cells:
        if not cell.metadata.get("nbgrader", {}).get("solution") or cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            match = re.match(r"^(\w+) = \.\.\.(.*)$", line)
            if match and match.group(1) in values:
                lines[i] = f"{match.group(1)} = {values[match.group(1)]}"
                typed += 1
        cell.source = "\n".join(lines)
    return typed


def test_typed_answers_are_graded_in_full(fresh_cohort, tmp_path):
    ws = fresh_cohort
    pid = ws.participants[0].id_peserta
    inbox = tmp_path / "dari_peserta"
    inbox.mkdir()
    expected = {}
    for aid in ("pre", "post"):
        source = nbformat.read(manifest.SOURCE_DIR / aid / f"{aid}.ipynb", as_version=4)
        release = nbformat.read(manifest.RELEASE_DIR / aid / f"{aid}.ipynb", as_version=4)
        answer_cells = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert type_answers(release, typed_values(source)) == len(answer_cells) == 13
        assert not any(re.search(r"= \.\.\.\s*$", line, re.M)
                       for c in answer_cells for line in c.source.splitlines())
        nbformat.write(release, inbox / f"{pid}_{aid}.ipynb")  # saved as JupyterLab saves
        expected[aid] = 13
    collect(ws, "-", [inbox])
    report = grade(ws, jobs=1)
    assert [r.status for r in report.results] == [GRADED, GRADED]
    scores = submission_scores(ws).set_index("assignment")
    for aid, points in expected.items():
        assert scores.loc[aid, "score"] == scores.loc[aid, "max_score"] == points


def test_graded_answers_never_live_in_widgets():
    """No answer or test cell of any assignment reads a widget's value."""
    for module in manifest.load_course().assignments:
        nb = nbformat.read(next((manifest.SOURCE_DIR / module.assignment).glob("*.ipynb")), 4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution") or meta.get("grade"):
                assert "ipywidgets" not in cell.source and not re.search(r"\.value\b", cell.source), \
                    (module.assignment, meta.get("grade_id"))
