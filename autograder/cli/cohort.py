"""Verbs of the cohort: ``init`` (a batch from a roster), ``collect`` (submissions in),
``pulihkan`` (the gradebook's snapshots)."""

from __future__ import annotations

import click

from autograder.cli.app import (
    INPUT_ERRORS,
    console,
    err_console,
    fail,
    known_assignments,
    main,
    open_workspace,
    plain,
    print_intake,
    refuse,
)


def _has_password(url: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        return bool(make_url(url).password)
    except Exception:  # noqa: BLE001 - a malformed URL is reported by init itself
        return False

@main.command(help="Buat ruang kerja kohort (satu angkatan) dari daftar peserta CSV.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--roster", "roster_path", required=True, type=click.Path(dir_okay=False),
              help="Daftar peserta (CSV).")
@click.option("--name", default=None, help='Nama angkatan, misalnya "Padang, 10–14 Mei 2022".')
@click.option("--db-url", default=None, help="URL gradebook (bawaan: SQLite di folder kohort).")
def init(folder, roster_path, name, db_url):
    from autograder.cohort.gradebook_guard import GradebookError, ensure_unused
    from autograder.cohort.workspace import init_workspace

    try:
        if db_url:  # a new cohort never writes into another one's gradebook
            ensure_unused(db_url)
    except GradebookError as exc:
        refuse(exc)
    if db_url and _has_password(db_url):
        err_console.print("[bold yellow]Peringatan:[/] URL gradebook ini memuat kata sandi. Baris "
                          "perintah terlihat oleh akun lain di server; simpan kata sandi di "
                          "~/.pgpass (mode 600) dan tulis URL tanpa kata sandi.")
    try:
        with console.status("Menyiapkan tugas dengan nbgrader…"):
            ws = init_workspace(folder, roster_path, name, db_url=db_url)
    except INPUT_ERRORS as exc:
        fail(str(exc))
    console.print(f"[green]Ruang kerja kohort siap:[/] {ws.root}")
    console.print(f"{len(ws.participants)} peserta, tugas: {', '.join(ws.course.assignment_ids)}")

@main.command(help="Terima kiriman tugas: berkas .ipynb, folder, atau .zip. "
                   "TUGAS boleh '-' agar tugas dikenali dari isi notebook.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("tugas")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def collect(folder, tugas, paths):
    from autograder.intake.collect import BROKEN, UNMATCHED
    from autograder.intake.collect import collect as do_collect

    ws = open_workspace(folder)
    if tugas not in ("-", "otomatis"):
        known_assignments(ws, [tugas])
    with console.status("Membaca kiriman…"):
        report = do_collect(ws, tugas, paths)
    print_intake(report)
    if report.count(UNMATCHED) or report.count(BROKEN):
        console.print(f"Berkas yang tidak dikenali disimpan di {ws.quarantine} beserta alasannya.")

@main.command(help="Cadangan gradebook: tanpa CADANGAN, tampilkan daftarnya; dengan CADANGAN, "
                   "pulihkan gradebook ke cadangan itu (keadaan sekarang disimpan dulu).")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("cadangan", required=False)
@click.option("--baru", is_flag=True, help="Buat gradebook baru (tanpa cadangan yang utuh) atau lengkapi "
                                           "yang ada dengan tugas dan peserta kohort.")
def pulihkan(folder, cadangan, baru):
    from autograder.cohort import gradebook_guard as guard

    ws = open_workspace(folder)
    try:
        if baru:
            kept = guard.rebuild(ws)
            health = guard.inspect_gradebook(ws)
            plain(f"Gradebook memuat tugas dan peserta kohort ({health.participants} peserta, "
                   f"{health.submissions} kiriman). Bila kiriman yang sudah dinilai hilang, "
                   f"nilai ulang semuanya: spptik grade {folder} --force")
        elif cadangan:
            result = guard.restore(ws, cadangan)
            kept = result.kept
            plain(f"Gradebook dipulihkan dari {result.restored.name} "
                   f"({result.health.participants} peserta, {result.health.submissions} kiriman). "
                   "Formgrader yang sedang terbuka: tutup lalu buka lagi dengan spptik lab.")
        else:
            for line in guard.listing(ws):  # plain lines: a name can be copied whole
                plain(line)
            return
    except guard.GradebookError as exc:
        refuse(exc)
    for path in kept:
        console.print(f"Keadaan sebelumnya disimpan: {path}", soft_wrap=True, markup=False)
