"""The ``spptik`` command: a thin layer over the functions in this package.

Messages are in Bahasa Indonesia; long work shows a progress bar; bad input
exits non-zero with a clear message.
"""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

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

from autograder import completion
from autograder.manifest import ManifestError
from autograder.roster import RosterError
from autograder.workspace import Workspace, WorkspaceError

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


def fail(message: str, code: int = 2):
    err_console.print(f"[bold red]Gagal:[/] {message}")
    sys.exit(code)


def open_workspace(path: str) -> Workspace:
    try:
        return Workspace(path)
    except WorkspaceError as exc:
        fail(str(exc))


# nbgrader's gradebook runs the `alembic` command from this environment.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
# nbgrader's own gradebook code triggers SQLAlchemy warnings that say nothing to a trainer.
warnings.filterwarnings("ignore", message=".*not in session.*")


@click.group(help="SPP-TIK: kurikulum, penilaian dan ekspor kelulusan Bimtek SPP-TIK (TPBIS).")
@click.version_option(package_name="spptik")
def main():
    pass


@main.command(help="Buat ruang kerja kohort (satu angkatan) dari daftar peserta CSV.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--roster", "roster_path", required=True, type=click.Path(dir_okay=False),
              help="Daftar peserta (CSV).")
@click.option("--name", default=None, help='Nama angkatan, misalnya "Padang, 10–14 Mei 2022".')
@click.option("--db-url", default=None, help="URL gradebook (bawaan: SQLite di folder kohort).")
def init(folder, roster_path, name, db_url):
    from autograder.workspace import init_workspace

    try:
        with console.status("Menyiapkan tugas dengan nbgrader…"):
            ws = init_workspace(folder, roster_path, name, db_url=db_url)
    except RosterError as exc:
        fail(str(exc))
    except (WorkspaceError, ManifestError) as exc:
        fail(str(exc))
    console.print(f"[green]Ruang kerja kohort siap:[/] {ws.root}")
    console.print(f"{len(ws.participants)} peserta, tugas: {', '.join(ws.course.assignment_ids)}")


def print_intake(report) -> None:
    from autograder.intake import OUTCOME_LABELS

    table = Table(title="Hasil penerimaan kiriman")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    table.add_row("Diterima (semua berkas)", str(report.received))
    for key, label in OUTCOME_LABELS.items():
        table.add_row(label, str(report.count(key)))
    console.print(table)
    odd = [i for i in report.items if i.outcome not in ("dicatat",)]
    if odd:
        detail = Table(title="Berkas yang perlu diperhatikan", show_lines=False)
        for col in ("Asal", "Hasil", "Alasan"):
            detail.add_column(col, overflow="fold")
        for item in odd[:50]:
            detail.add_row(item.origin, OUTCOME_LABELS.get(item.outcome, item.outcome),
                           item.reason)
        console.print(detail)


@main.command(help="Terima kiriman tugas: berkas .ipynb, folder, atau .zip. "
                   "TUGAS boleh '-' agar tugas dikenali dari isi notebook.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.argument("tugas")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def collect(folder, tugas, paths):
    from autograder.intake import BROKEN, UNMATCHED
    from autograder.intake import collect as do_collect

    ws = open_workspace(folder)
    if tugas not in ("-", "otomatis") and tugas not in ws.course.assignment_ids:
        fail(f"Tugas '{tugas}' tidak dikenal. Tugas yang ada: {', '.join(ws.course.assignment_ids)}")
    with console.status("Membaca kiriman…"):
        report = do_collect(ws, tugas, paths)
    print_intake(report)
    if report.count(UNMATCHED) or report.count(BROKEN):
        console.print(f"Berkas yang tidak dikenali disimpan di {ws.quarantine} beserta alasannya.")


def print_grading(report) -> None:
    from autograder.grading import STATUS_LABELS

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


def run_grading(ws, assignments=None, force=False, jobs=None):
    from autograder.grading import grade as do_grade

    with progress_bar("Menilai") as (on_start, advance):
        return do_grade(ws, assignments, force=force, jobs=jobs, on_start=on_start,
                        on_result=advance)


@main.command(help="Nilai otomatis kiriman yang baru melalui nbgrader.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.argument("tugas", nargs=-1)
@click.option("--jobs", "-j", type=int, default=None, help="Jumlah proses penilai (bawaan: dua per inti).")
@click.option("--force", is_flag=True, help="Nilai ulang semuanya.")
def grade(folder, tugas, jobs, force):
    ws = open_workspace(folder)
    try:
        report = run_grading(ws, list(tugas) or None, force, jobs)
    except ValueError as exc:
        fail(str(exc))
    print_grading(report)
    if report.failures:
        err_console.print(f"{len(report.failures)} kiriman tidak dapat dinilai penuh (lihat di atas). "
                          "Kiriman lain sudah dinilai.")
        sys.exit(1)


@main.command(help="Tulis umpan balik (HTML, bahasa Indonesia) untuk setiap peserta.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.argument("tugas", nargs=-1)
def feedback(folder, tugas):
    from autograder.feedback import generate_feedback

    ws = open_workspace(folder)
    with progress_bar("Umpan balik") as (on_start, advance):
        report = generate_feedback(ws, list(tugas) or None, on_start=on_start, on_step=advance)
    console.print(f"[green]{len(report.written)} berkas umpan balik[/] di {ws.feedback}")
    for student, assignment, why in report.failed:
        err_console.print(f"[red]✘[/] {student} / {assignment}: {why}")
    if report.failed:
        sys.exit(1)


def print_export(result) -> None:
    table = result.table
    counts = table["Status"].value_counts()
    summary = Table(title="Status kelulusan")
    summary.add_column("Status")
    summary.add_column("Jumlah", justify="right")
    for status in (completion.LULUS, completion.BELUM_LULUS, completion.MENUNGGU):
        summary.add_row(status, str(int(counts.get(status, 0))))
    console.print(summary)
    console.print(f"Daftar kelulusan (CSV):   {result.csv}")
    console.print(f"Daftar kelulusan (Excel): {result.xlsx}")
    console.print(f"Ringkasan dan grafik:     {result.summary_html}")
    console.print(f"Rekam per peserta:        {result.folder / 'rekam'} "
                  f"({len(result.records)} HTML, {len(result.pdfs)} PDF)")


@main.command(help="Ekspor daftar kelulusan (CSV, Excel), ringkasan, grafik, rekam per peserta.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder keluaran (bawaan: FOLDER/ekspor).")
@click.option("--pdf/--no-pdf", default=False, help="Juga cetak rekam ke PDF (perlu Chromium).")
def export(folder, out, pdf):
    from autograder.export import export as do_export
    from autograder.records import pdf_available

    ws = open_workspace(folder)
    if pdf and not pdf_available():
        err_console.print("PDF dilewati: Chromium (paket Debian 'chromium') atau Playwright "
                          "tidak terpasang. HTML tetap ditulis.")
    with progress_bar("Rekam peserta") as (on_start, advance):
        result = do_export(ws, out, pdf=pdf, on_start=on_start, on_step=advance)
    print_export(result)


@main.command(help="Gabungkan daftar kelulusan beberapa kohort menjadi satu daftar nasional.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder keluaran.")
@click.argument("cohorts", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
def merge(out, cohorts):
    from autograder.export import merge as do_merge

    workspaces = [open_workspace(c) for c in cohorts]
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


@main.command(help="Buka JupyterLab (antarmuka bahasa Indonesia): pada kursus untuk peserta, "
                   "atau pada folder kohort untuk fasilitator (Formgrader).")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=int, default=None)
@click.option("--no-browser", is_flag=True, help="Jangan membuka peramban.")
def lab(folder, port, no_browser):
    import subprocess

    from autograder.lab import default_root, install_overrides, lab_command

    install_overrides()
    root = Path(folder).resolve() if folder else default_root()
    if (root / "kohort.toml").is_file():
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
    from autograder.curriculum import check_curriculum

    with console.status("Memeriksa kurikulum (menjalankan setiap notebook)…"):
        report = check_curriculum(execute=not quick,
                                  on_step=lambda a: console.print(f"  ✔ {a} diperiksa"))
    if report.ok:
        console.print(f"[green]Kurikulum baik:[/] {len(report.checked)} tugas diperiksa.")
        return
    for problem in report.problems:
        err_console.print(f"[red]✘[/] {problem}")
    sys.exit(1)


class DemoUI:
    def step(self, text: str) -> None:
        console.rule(f"[bold]{text}")

    def intake(self, report) -> None:
        print_intake(report)

    def grade(self, ws, jobs):
        report = run_grading(ws, jobs=jobs)
        print_grading(report)
        return report


@main.command(help="Jalankan seluruh alur pada kohort sintetis (init, collect, grade, "
                   "penilaian manual, feedback, export).")
@click.option("--out", type=click.Path(file_okay=False), default="demo-spptik",
              help="Folder keluaran (harus baru atau kosong).")
@click.option("--participants", "-n", type=int, default=24, help="Jumlah peserta sintetis.")
@click.option("--jobs", "-j", type=int, default=None, help="Jumlah proses penilai.")
def demo(out, participants, jobs):
    from autograder.demo import run_demo

    if participants < 1:
        fail("Jumlah peserta minimal 1.")
    out_path = Path(out)
    if out_path.exists() and any(out_path.iterdir()):
        fail(f"Folder {out_path} sudah berisi. Hapus dulu atau pilih --out yang lain.")
    try:
        result = run_demo(out_path, participants, jobs=jobs, ui=DemoUI())
    except (WorkspaceError, RosterError, ManifestError) as exc:
        fail(str(exc))
    print_export(result.exported)
    console.print(f"\nRuang kerja kohort: {result.workspace.root}")
    console.print(f"Umpan balik:        {result.workspace.feedback}")


if __name__ == "__main__":
    main()
