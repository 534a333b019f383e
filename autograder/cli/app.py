"""The ``spptik`` command's group and what its verbs share: consoles, progress bars, failing
with one Indonesian line, opening a cohort, and the tables printed after each stage.

The verbs live beside this module, one module per group of verbs; each is a thin layer over
functions in the stage packages (``autograder.cohort``, ``.intake``, ``.grading``, ...).
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

import autograder.lean  # noqa: F401 - first: keeps a slow import out (see lean.py)
from autograder.cohort.workspace import Workspace
from autograder.errors import SpptikError

# What a trainer can fix (a bad roster, a folder that is not a cohort, a broken manifest):
# one Indonesian line and exit code 2, never a traceback.
INPUT_ERRORS = (SpptikError,)

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def progress_bar(description: str):
    """Yield (on_start(total), advance()) driving one rich progress bar."""
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("·"), TimeElapsedColumn(), TextColumn("· sisa"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(description, total=None)

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def advance(*_args) -> None:
            progress.advance(task)

        yield on_start, advance

def fail(message: str, code: int = 2) -> NoReturn:
    """End the command with ``message`` unwrapped (a path or a command in it can be copied)."""
    from rich.markup import escape

    err_console.print(f"[bold red]Gagal:[/] {escape(message)}", soft_wrap=True)
    sys.exit(code)

def open_workspace(path: str | Path) -> Workspace:
    """The cohort in ``path``; a missing folder or one that is not a cohort ends the command."""
    if not Path(path).is_dir():
        fail(f"Folder {path} tidak ada.")
    try:
        return Workspace(path)
    except SpptikError as exc:  # not a cohort, or its kohort.toml cannot be used
        fail(str(exc))

def known_assignments(ws: Workspace, tugas) -> list[str] | None:
    """The assignments a trainer named (None: all of them); an unknown one ends the command."""
    unknown = [t for t in tugas if t not in ws.course.assignment_ids]
    if unknown:
        fail(f"Tugas {', '.join(repr(t) for t in unknown)} tidak dikenal. "
             f"Tugas yang ada: {', '.join(ws.course.assignment_ids)}")
    return list(tugas) or None

def guard_gradebook(ws: Workspace, reason: str | None) -> None:
    """Refuse a damaged gradebook; before a run that writes it (``reason``), keep a snapshot."""
    from autograder.cohort import gradebook_guard

    try:
        if reason:
            kept = gradebook_guard.before_write(ws, reason)
            if kept.snapshot is None:  # e.g. PostgreSQL without pg_dump: said, not hidden
                err_console.print(f"Peringatan: {kept.note}", markup=False)
        else:
            gradebook_guard.check(ws)
    except gradebook_guard.GradebookError as exc:
        refuse(exc)

def refuse(exc: Exception):
    """A gradebook refusal, with its own exit code."""
    from autograder.cohort.gradebook_guard import EXIT_CODE

    fail(str(exc), EXIT_CODE)


def plain(text: str) -> None:
    """Print without markup and without wrapping: a path or a command in it can be copied whole."""
    console.print(text, markup=False, soft_wrap=True)


# nbgrader's gradebook runs the `alembic` command from this environment.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
# nbgrader's own gradebook code triggers SQLAlchemy warnings that say nothing to a trainer.
warnings.filterwarnings("ignore", message=".*not in session.*")


@click.group(help="SPP-TIK: kurikulum, penilaian dan ekspor kelulusan Bimtek SPP-TIK (TPBIS).")
@click.version_option(package_name="spptik")
@click.option("-v", "--verbose", count=True,
              help="Tampilkan catatan kerja (log) di layar; -vv lebih rinci. "
                   "Berguna saat melaporkan masalah.")
def main(verbose):
    if verbose:
        logging.basicConfig(level=logging.DEBUG if verbose > 1 else logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        for name in ("autograder", "nbgrader", "traitlets"):
            logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else logging.INFO)


def print_intake(report) -> None:
    from autograder.intake.collect import FILED, OUTCOME_LABELS

    table = Table(title="Hasil penerimaan kiriman")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    table.add_row("Diterima (semua berkas)", str(report.received))
    for key, label in OUTCOME_LABELS.items():
        table.add_row(label, str(report.count(key)))
    console.print(table)
    odd = [i for i in report.items if i.outcome != FILED]
    if odd:
        detail = Table(title="Berkas yang perlu diperhatikan", show_lines=False)
        for col in ("Asal", "Hasil", "Alasan"):
            detail.add_column(col, overflow="fold")
        for item in odd[:50]:
            detail.add_row(item.origin, OUTCOME_LABELS.get(item.outcome, item.outcome),
                           item.reason)
        console.print(detail)

def print_grading(report) -> None:
    from autograder.grading.run import STATUS_LABELS

    table = Table(title=f"Hasil penilaian ({report.seconds:.1f} detik)")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    for key, label in STATUS_LABELS.items():
        table.add_row(label, str(report.count(key)))
    console.print(table)
    if report.isolation:
        console.print(f"Cara menjalankan kode peserta: {report.isolation}")
    for r in report.failures:
        err_console.print(f"[red]✘[/] {r.student} / {r.assignment}: {r.message}")

def run_grading(ws, assignments=None, force=False, jobs=None, trusted=False):
    from autograder.grading.run import grade as do_grade

    with progress_bar("Menilai") as (on_start, advance):
        return do_grade(ws, assignments, force=force, jobs=jobs, trusted=trusted,
                        on_start=on_start, on_result=advance)

def print_export(result) -> None:
    table = result.table
    counts = table["Status"].value_counts()
    summary = Table(title="Status kelulusan")
    summary.add_column("Status")
    summary.add_column("Jumlah", justify="right")
    from autograder.reports import completion

    for status in (completion.LULUS, completion.BELUM_LULUS, completion.MENUNGGU):
        summary.add_row(status, str(int(counts.get(status, 0))))
    console.print(summary)
    console.print(f"Daftar kelulusan (CSV):   {result.csv}")
    console.print(f"Daftar kelulusan (Excel): {result.xlsx}")
    console.print(f"Ringkasan dan grafik:     {result.summary_html}")
    console.print(f"Rekam per peserta:        {result.folder / 'rekam'} "
                  f"({len(result.records)} HTML, {len(result.pdfs)} PDF)")
