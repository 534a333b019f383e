"""Verbs of the course: ``check`` (the curriculum) and ``lab`` (JupyterLab in Indonesian)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from autograder.cli.app import console, err_console, fail, guard_gradebook, main, open_workspace


@main.command(help="Buka JupyterLab (antarmuka bahasa Indonesia): pada kursus untuk peserta, "
                   "atau pada folder kohort untuk fasilitator (Formgrader).")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--port", type=int, default=None)
@click.option("--no-browser", is_flag=True, help="Jangan membuka peramban.")
def lab(folder, port, no_browser):
    import subprocess

    from autograder.site.lab import default_root, install_overrides, lab_command

    install_overrides()
    root = Path(folder).resolve() if folder else default_root()
    if not root.is_dir():
        fail(f"Folder {root} tidak ada.")
    if (root / "kohort.toml").is_file():
        guard_gradebook(open_workspace(root), "lab")  # the formgrader writes manual grades
        console.print(f"Membuka kohort {root.name} untuk fasilitator: menu Nbgrader › Formgrader.")
    else:
        console.print(f"Membuka kursus di {root}.")
    env = dict(os.environ)
    sys.exit(subprocess.call(lab_command(root, port=port, open_browser=not no_browser),
                             cwd=root, env=env))

@main.command(help="Periksa kurikulum: solusi lulus tes, versi peserta kosong gagal, "
                   "assignments/ sinkron dan bebas jawaban.")
@click.option("--quick", is_flag=True, help="Tanpa menjalankan notebook.")
def check(quick):
    from autograder.course.curriculum import check_curriculum

    with console.status("Memeriksa kurikulum (menjalankan setiap notebook)…"):
        report = check_curriculum(execute=not quick,
                                  on_step=lambda a: console.print(f"  ✔ {a} diperiksa"))
    if report.ok:
        console.print(f"[green]Kurikulum baik:[/] {len(report.checked)} tugas diperiksa.")
        return
    for problem in report.problems:
        err_console.print(f"[red]✘[/] {problem}")
    sys.exit(1)
