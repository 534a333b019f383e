"""The last step of nbgrader's autograde pass: notes on limits hit, and participants' content made inert.

nbgrader's ``SaveAutoGrades`` has scored the notebook by then; what this step changes is only
what a trainer's browser will later render (``feedback.sanitize``). Done inside nbgrader's own
pass, on the notebook in memory, before nbgrader writes it: the autograded file is written once,
not read back, cleaned and written again. The notes go to the grading worker through
``collected`` (the worker runs nbgrader in its own process and reads them after each submission).
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import default

from autograder.feedback.sanitize import make_inert

ERROR_NOTES = {
    "MemoryError": "batas memori tercapai",
    "CellTimeoutError": "batas waktu sel terlampaui",
    "KeyboardInterrupt": "sel dihentikan karena terlalu lama",
    "DeadKernelError": "kernel berhenti mendadak",
}

# notes of the submission being graded in this process (cleared by the worker before each)
collected: list[str] = []


def limit_notes(nb) -> list[str]:
    """What a notebook's outputs show of limits being hit (memory, time, a dead kernel)."""
    notes = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") in ERROR_NOTES:
                notes.append(f"{ERROR_NOTES[output['ename']]} di sel ke-{index}")
    return notes


class FinishAutograded(Preprocessor):
    """Appended to nbgrader's autograde preprocessors, after every scoring step."""

    @default("enabled")
    def _enabled_default(self):
        return True

    def preprocess(self, nb, resources):
        name = f"{resources.get('unique_key') or 'notebook'}.ipynb"
        collected.extend(limit_notes(nb))
        _changed, notes = make_inert(nb, name)
        collected.extend(notes)
        return nb, resources
