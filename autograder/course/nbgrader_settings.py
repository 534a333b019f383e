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
    # A participant who deletes a test cell gets it back from the gradebook.
    c.OverwriteCells.add_missing_cells = True


def configure_workspace(c, root) -> None:
    """Configure nbgrader for a cohort workspace at ``root`` (read by CLI, API and formgrader).

    The course id and the gradebook URL come from the workspace's ``kohort.toml``;
    ``SPPTIK_DB_URL`` overrides the URL (for example a shared PostgreSQL gradebook).
    """
    from pathlib import Path

    from autograder.cohort.settings import (
        FILE_NAME,
        CohortSettings,
        exchange_root,
        gradebook_url,
        read_settings,
    )

    root = Path(root).resolve()
    settings = read_settings(root) if (root / FILE_NAME).is_file() else CohortSettings(name=root.name)
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = settings.course_id
    c.CourseDirectory.db_url = gradebook_url(root, settings)
    # nbgrader's exchange: the hub's shared folder where one is set, else one inside the workspace
    c.Exchange.root = str(exchange_root(root, settings))
    apply(c)
    if settings.cell_timeout:  # a batch may allow slower machines more time per cell
        c.Execute.timeout = settings.cell_timeout


def use_isolated_execution(c) -> None:
    """nbgrader's autograde pipeline with its Execute step swapped for IsolatedExecute."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from autograder.grading.execution import IsolatedExecute

    # every cell has run by then: nothing is lost by not waiting for a polite exit
    c.Execute.shutdown_kernel = "immediate"
    # nbconvert's own option: validate the notebook once after a pass's preprocessors
    # rather than after each of them (an invalid result is still refused)
    c.Exporter.optimistic_validation = True

    from autograder.grading.finishing import FinishAutograded

    # nbgrader's own list, with Execute swapped and one step added after every scoring step
    c.Autograde.autograde_preprocessors = [
        IsolatedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
        SaveAutoGrades, AssignLatePenalties, CheckCellMetadata, FinishAutograded,
    ]
