"""Verbs of the certificates: ``kunci`` (the signing key), ``sertifikat`` (issue), ``verifikasi``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from autograder.cli.app import (
    INPUT_ERRORS,
    console,
    err_console,
    fail,
    guard_gradebook,
    main,
    open_workspace,
    plain,
    progress_bar,
)


@main.command(help="Buat kunci penandatangan sertifikat (Ed25519) di FOLDER: kunci privat (mode 600) "
                   "dan kunci publik. Simpan FOLDER di luar repositori dan folder kohort.")
@click.argument("folder", type=click.Path(file_okay=False))
def kunci(folder):
    from autograder.reports.register import generate_key

    try:
        made = generate_key(folder)
    except INPUT_ERRORS as exc:
        fail(str(exc))
    for warning in made.warnings:
        err_console.print(f"[bold yellow]Peringatan:[/] {warning}", soft_wrap=True)
    plain(f"Kunci privat: {made.private} (rahasia: jangan dibagikan, simpan cadangannya di tempat aman)")
    plain(f"Kunci publik: {made.public}")
    plain(f"Sidik kunci:  {made.fingerprint}")
    plain(f"Terbitkan sertifikat dengan: spptik sertifikat FOLDER_KOHORT --kunci {made.private}")


@main.command(help="Terbitkan sertifikat (PDF, kode QR, daftar bertanda tangan, halaman verifikasi, "
                   "Open Badges 3.0) untuk peserta berstatus Lulus.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--kunci", "key", required=True, type=click.Path(dir_okay=False),
              help="Kunci privat dari spptik kunci.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder keluaran (bawaan: FOLDER/sertifikat).")
@click.option("--pdf/--no-pdf", default=True, help="Cetak PDF (perlu Chromium).")
def sertifikat(folder, key, out, pdf):
    from autograder.reports.certificates import issue
    from autograder.reports.records import pdf_available
    from autograder.reports.register import key_location_warnings

    ws = open_workspace(folder)
    guard_gradebook(ws, None)
    for warning in key_location_warnings(Path(key).expanduser().parent):
        err_console.print(f"[bold yellow]Peringatan:[/] {warning}", soft_wrap=True)
    if pdf and not pdf_available():
        err_console.print("PDF dilewati: Chromium (paket Debian 'chromium') atau Playwright tidak "
                          "terpasang. HTML, daftar dan lencana tetap ditulis.")
    try:
        with progress_bar("Sertifikat") as (on_start, advance):
            result = issue(ws, key, out, pdf=pdf, on_start=on_start, on_step=advance)
    except INPUT_ERRORS as exc:
        fail(str(exc))
    print_issue(result)


def print_issue(result) -> None:
    changes = result.changes
    table = Table(title="Sertifikat")
    table.add_column("Keterangan")
    table.add_column("Jumlah", justify="right")
    table.add_row("Berlaku (PDF ditulis)", f"{len(result.active)} ({len(result.pdfs)} PDF)")
    table.add_row("Baru diterbitkan kali ini", str(len(changes.issued)))
    table.add_row("Sama seperti sebelumnya (nomor tetap)", str(len(changes.kept)))
    table.add_row("Dicabut kali ini", str(len(changes.revoked)))
    table.add_row("Tidak mendapat sertifikat", str(len(result.skipped)))
    console.print(table)
    for row in changes.revoked:
        err_console.print(f"Dicabut: {row['nomor']} ({row['nama']}): {row['alasan_pencabutan']}",
                          markup=False, soft_wrap=True)
    if result.skipped:
        skipped = Table(title="Peserta tanpa sertifikat")
        for col in ("ID Peserta", "Nama", "Status", "Alasan"):
            skipped.add_column(col, overflow="fold")
        for s in result.skipped:
            skipped.add_row(s.id_peserta, s.nama, s.status, s.reason)
        console.print(skipped)
    plain(f"Sertifikat (PDF):        {result.folder}")
    plain(f"Daftar bertanda tangan:  {result.register}")
    plain(f"Halaman verifikasi:      {result.page.parent} (unggah seluruh folder ini ke situs web)")
    plain(f"Open Badges 3.0:         {result.folder / 'lencana'}")
    plain(f"Sidik kunci penerbit:    {result.fingerprint}")


@main.command(help="Periksa sertifikat (berkas PDF atau NOMOR): sah, dicabut, tidak dikenal, atau diubah.")
@click.argument("target")
@click.option("--daftar", type=click.Path(dir_okay=False), default=None,
              help="Daftar sertifikat (daftar_sertifikat.json). Bawaan: di samping PDF, "
                   "lalu di folder ini.")
@click.option("--kunci-publik", "public_key", type=click.Path(dir_okay=False), default=None,
              help="Kunci publik resmi program (dari spptik kunci). Bawaan: kunci publik di samping "
                   "daftar.")
def verifikasi(target, daftar, public_key):
    from autograder.reports import register, verify

    target_path = Path(target)
    is_pdf = target_path.suffix.lower() == ".pdf" or target_path.is_file()
    if daftar is None:
        places = ([target_path.parent] if is_pdf else []) + [Path.cwd()]
        found = next((p / register.REGISTER_NAME for p in places
                      if (p / register.REGISTER_NAME).is_file()), None)
        if found is None:
            fail("Daftar sertifikat tidak ditemukan. Sebutkan dengan --daftar daftar_sertifikat.json")
        daftar = found
    try:
        doc = register.read_register(daftar)
        if public_key is None:
            beside = Path(daftar).parent / register.PUBLIC_NAME
            public_key = beside if beside.is_file() else None
        trusted = register.load_public_key(public_key) if public_key else None
        verdict = (verify.verify_pdf(target_path, doc, trusted) if is_pdf
                   else verify.verify_number(doc, target, trusted))
    except INPUT_ERRORS as exc:
        fail(str(exc))
    colour = {verify.VALID: "green", verify.REVOKED: "yellow"}.get(verdict.status, "red")
    console.print(f"[bold {colour}]{verdict.label}[/]")
    plain(verdict.message)
    if trusted is None:
        err_console.print(f"Catatan: tidak ada kunci publik resmi (--kunci-publik); tanda tangan diperiksa "
                          f"dengan kunci di dalam daftar (sidik {verdict.fingerprint}). Bandingkan sidik "
                          "itu dengan sidik resmi program.", markup=False, soft_wrap=True)
    else:
        plain(f"Kunci resmi yang dipakai: {public_key} (sidik {register.fingerprint(trusted)})")
    if not verdict.ok:
        raise SystemExit(1)
