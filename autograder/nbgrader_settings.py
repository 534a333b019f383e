"""nbgrader settings shared by the authors' config (repository root) and every cohort workspace."""

from __future__ import annotations

# What a participant sees in place of a solution (nbgrader's ClearSolutions).
CODE_STUB = "# Tulis jawaban Anda di sini: ganti tanda ... di atas dengan jawaban Anda."
TEXT_STUB = "*Tulis jawaban Anda di sini.*"

# Per-cell limits while autograding.
CELL_TIMEOUT_SECONDS = 30
MAX_OUTPUT_LINES = 200


def apply(c) -> None:
    """Apply the course's nbgrader settings to a traitlets config object ``c``."""
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = TEXT_STUB
    c.Execute.timeout = CELL_TIMEOUT_SECONDS
    c.Execute.interrupt_on_timeout = True
    c.LimitOutput.max_lines = MAX_OUTPUT_LINES
