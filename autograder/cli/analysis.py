"""``spptik analisis``: item analysis and learning gain over one cohort or many."""

from __future__ import annotations

import click
from rich.table import Table

from autograder.cli.app import INPUT_ERRORS, console, err_console, fail, guard_gradebook, main, open_workspace


def print_headline(result) -> None:
    """The analysis in three lines: ⟨g⟩ with its band, α of the tests, items to revise."""
    from autograder.reports.analysis_page import number
    from autograder.reports.item_analysis import headline

    h = headline(result.analysis)
    band = f" ({h['pita']})" if h["pita"] else ""
    console.print(f"Peningkatan kelas ⟨g⟩: {number(h['g_kelas'])}{band}, dari {h['n']} peserta "
                  "yang mengikuti tes awal dan tes akhir", markup=False)
    if h["alpha"]:
        names = {result.analysis.pre: "tes awal", result.analysis.post: "tes akhir"}
        alphas = ", ".join(f"{names.get(tugas, tugas)} {number(value)}"
                           for tugas, value in h["alpha"].items())
        console.print(f"Keandalan tes (α): {alphas}", markup=False)
    console.print(f"Butir yang perlu ditinjau: {h['tinjau']} ({h['tinjau_tes']} di tes awal/akhir)",
                  markup=False)


@main.command(help="Analisis butir soal (p, d, r_it, α), peningkatan tes awal → tes akhir ⟨g⟩, dan "
                   "di mana peserta tersendat; CSV, Excel dan satu halaman HTML. Beberapa folder "
                   "kohort dianalisis bersama (analisis nasional).")
@click.argument("cohorts", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder keluaran (bawaan: DIR/analisis; wajib untuk beberapa kohort).")
def analisis(cohorts, out):
    from autograder.reports.item_analysis import run_analysis

    if len(cohorts) > 1 and not out:
        fail("Untuk beberapa kohort sekaligus, sebutkan folder keluaran dengan --out.")
    workspaces = [open_workspace(c) for c in cohorts]
    for ws in workspaces:
        guard_gradebook(ws, None)
    try:
        with console.status("Menganalisis…"):
            result = run_analysis(workspaces, out)
    except INPUT_ERRORS as exc:
        fail(str(exc))
    print_headline(result)
    duplicates = result.analysis.duplicates
    if len(duplicates):
        table = Table(title="ID peserta yang muncul di lebih dari satu angkatan (dihitung sekali)")
        for col in ("id_peserta", "angkatan", "dihitung_di"):
            table.add_column(col)
        for row in duplicates.itertuples(index=False):
            table.add_row(*[str(v) for v in row])
        err_console.print(table)
    console.print(f"Halaman analisis (HTML): {result.html}", markup=False, soft_wrap=True)
    console.print(f"Tabel (CSV, Excel):      {result.folder}", markup=False, soft_wrap=True)
