"""``spptik dasbor DIR``: the trainers' live view of a cohort that collects by file."""

from __future__ import annotations

import click

from autograder.cli.app import console, main, open_workspace, plain


@main.command("dasbor", help="Dasbor kelas langsung (peserta × tugas, yang tertinggal, di mana kelas "
                             "tersendat) untuk kohort yang mengumpulkan lewat berkas. Halaman hanya "
                             "terbuka di komputer ini (127.0.0.1) dengan token di alamatnya; "
                             "diperbarui sendiri setiap beberapa detik. Hentikan dengan Ctrl+C.")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--port", type=int, default=0, help="Port di 127.0.0.1 (bawaan: port bebas mana saja).")
@click.option("--tanpa-peramban", is_flag=True, help="Jangan buka peramban; cetak alamatnya saja.")
def dasbor(folder, port, tanpa_peramban):
    from autograder.site.dashboard import serve_local

    ws = open_workspace(folder)

    def ready(url: str) -> None:
        console.print(f"Dasbor kelas [bold]{ws.name}[/] berjalan. Buka alamat ini (rahasiakan tokennya):")
        plain(url)
        console.print("Hentikan dengan Ctrl+C.")

    try:
        serve_local(ws, port, open_browser=not tanpa_peramban, on_ready=ready)
    except KeyboardInterrupt:
        console.print("Dasbor dihentikan.")
