"""Verbs of the reports: ``export`` (one cohort) and ``merge`` (many, nationally)."""

from __future__ import annotations

import click
from rich.table import Table

from autograder.cli.app import (
    console,
    err_console,
    guard_gradebook,
    main,
    open_workspace,
    print_export,
    progress_bar,
)


@main.command(help="Ekspor daftar kelulusan (CSV, Excel), ringkasan, grafik, rekam per peserta.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder keluaran (bawaan: FOLDER/ekspor).")
@click.option("--pdf/--no-pdf", default=False, help="Juga cetak rekam ke PDF (perlu Chromium).")
def export(folder, out, pdf):
    from autograder.reports.export import export as do_export
    from autograder.reports.records import pdf_available

    ws = open_workspace(folder)
    guard_gradebook(ws, None)
    if pdf and not pdf_available():
        err_console.print("PDF dilewati: Chromium (paket Debian 'chromium') atau Playwright "
                          "tidak terpasang. HTML tetap ditulis.")
    with progress_bar("Rekam peserta") as (on_start, advance):
        result = do_export(ws, out, pdf=pdf, on_start=on_start, on_step=advance)
    print_export(result)

@main.command(help="Gabungkan daftar kelulusan beberapa kohort menjadi satu daftar nasional.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder keluaran.")
@click.argument("cohorts", nargs=-1, required=True, type=click.Path(file_okay=False))
def merge(out, cohorts):
    from autograder.reports.export import merge as do_merge

    workspaces = [open_workspace(c) for c in cohorts]
    for ws in workspaces:
        guard_gradebook(ws, None)
    with console.status("Menggabungkan kohort…"):
        result = do_merge(workspaces, out)
    console.print(f"{len(result.table)} baris dari {len(workspaces)} kohort.")
    console.print(f"Daftar nasional (CSV):   {result.csv}")
    console.print(f"Daftar nasional (Excel): {result.xlsx}")
    if len(result.duplicates):
        table = Table(title="ID peserta yang muncul di lebih dari satu angkatan (tidak digabung)")
        for col in ("ID Peserta", "Nama", "Angkatan", "Status"):
            table.add_column(col)
        for row in result.duplicates.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        err_console.print(table)
