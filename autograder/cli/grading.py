"""Verbs of grading: ``grade`` (nbgrader's autograding in the sandbox) and ``feedback``."""

from __future__ import annotations

import sys

import click

from autograder.cli.app import (
    console,
    err_console,
    fail,
    guard_gradebook,
    known_assignments,
    main,
    open_workspace,
    print_grading,
    progress_bar,
    refuse,
    run_grading,
)


@main.command(help="Nilai otomatis kiriman yang baru melalui nbgrader.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("tugas", nargs=-1)
@click.option("--jobs", "-j", type=int, default=None, help="Jumlah proses penilai (bawaan: tiga per inti).")
@click.option("--force", is_flag=True, help="Nilai ulang semuanya.")
@click.option("--percaya", is_flag=True,
              help="Kode peserta dipercaya: jalankan tanpa sandbox bila tidak ada sandbox "
                   "yang dapat berjalan (hanya untuk kiriman dari sumber tepercaya).")
def grade(folder, tugas, jobs, force, percaya):
    from autograder.cohort import gradebook_guard
    from autograder.grading.sandbox import SandboxUnavailable

    ws = open_workspace(folder)
    wanted = known_assignments(ws, tugas)
    guard_gradebook(ws, None)  # before the progress bar; grade() checks again and keeps a snapshot
    try:
        report = run_grading(ws, wanted, force, jobs, trusted=percaya)
    except SandboxUnavailable as exc:
        fail(str(exc), code=3)
    except gradebook_guard.GradebookError as exc:
        refuse(exc)
    except ValueError as exc:
        fail(str(exc))
    print_grading(report)
    console.print(gradebook_guard.status_line(ws), soft_wrap=True, markup=False)
    if report.failures:
        err_console.print(f"{len(report.failures)} kiriman tidak dapat dinilai penuh (lihat di atas). "
                          "Kiriman lain sudah dinilai.")
        sys.exit(1)

@main.command(help="Tulis umpan balik (HTML, bahasa Indonesia) untuk setiap peserta.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("tugas", nargs=-1)
def feedback(folder, tugas):
    from autograder.feedback.write import generate_feedback

    ws = open_workspace(folder)
    wanted = known_assignments(ws, tugas)
    guard_gradebook(ws, "feedback")
    with progress_bar("Umpan balik") as (on_start, advance):
        report = generate_feedback(ws, wanted, on_start=on_start, on_step=advance)
    console.print(f"[green]{len(report.written)} berkas umpan balik[/] di {ws.feedback}")
    for student, assignment, why in report.failed:
        err_console.print(f"[red]✘[/] {student} / {assignment}: {why}")
    if report.failed:
        sys.exit(1)
